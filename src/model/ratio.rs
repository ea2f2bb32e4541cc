//! Products and quotients of the model's counts, exact in integers: in 64 bits when the
//! product fits (the usual case: counts and spans of a few seconds), else in 128.

/// `a × b` when it fits in 64 bits.
///
/// WebAssembly has no multiply that reports overflow: `checked_mul` there is a 128-bit
/// multiplication in software. Operands whose significant bits add up to 64 or fewer
/// cannot overflow, which a count of leading zeros (one instruction) shows first.
#[inline]
pub(crate) fn product(a: u64, b: u64) -> Option<u64> {
    if cfg!(target_arch = "wasm32") && surely_fits(a, b) {
        return Some(a.wrapping_mul(b));
    }
    a.checked_mul(b)
}

/// Whether `a × b` certainly fits in 64 bits: `a` < 2^(64 − zeros(a)), and so for `b`.
#[inline]
fn surely_fits(a: u64, b: u64) -> bool {
    a.leading_zeros() + b.leading_zeros() >= 64
}

/// `a × b`, or `u64::MAX` when it would not fit (`saturating_mul`, without its
/// software multiply on WebAssembly).
#[inline]
pub(crate) fn saturating_product(a: u64, b: u64) -> u64 {
    product(a, b).unwrap_or(u64::MAX)
}

/// `a × b` in 128 bits: one multiply natively, and in 64 bits on WebAssembly when it
/// surely fits there.
#[inline]
pub(crate) fn wide(a: u64, b: u64) -> u128 {
    if cfg!(target_arch = "wasm32") && surely_fits(a, b) {
        return u128::from(a.wrapping_mul(b));
    }
    u128::from(a) * u128::from(b)
}

/// `a × b / c` rounded down (0 when `c` is 0).
pub(crate) fn mul_div(a: u64, b: u64, c: u64) -> u64 {
    if c == 0 {
        0
    } else if let Some(p) = product(a, b) {
        p / c
    } else {
        (u128::from(a) * u128::from(b) / u128::from(c)) as u64
    }
}

/// `a × b / c` rounded up (0 when `c` is 0).
pub(crate) fn mul_div_ceil(a: u64, b: u64, c: u64) -> u64 {
    if c == 0 {
        0
    } else if let Some(p) = product(a, b) {
        p.div_ceil(c)
    } else {
        (u128::from(a) * u128::from(b)).div_ceil(u128::from(c)) as u64
    }
}

/// These tests run natively and, called from the `web` module's tests, as WebAssembly
/// (`cargo test --target wasm32-unknown-unknown`, in Node), where the shortcut is taken.
#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// WebAssembly's shortcut: a product it takes as fitting does fit, and products of
    /// up to 64 significant bits in all (the model's usual ones) take it.
    #[test]
    pub(crate) fn the_shortcut_takes_only_products_that_fit() {
        for i in 0..64 {
            for j in 0..64 {
                for (a, b) in [
                    (1u64 << i, 1u64 << j),
                    (u64::MAX >> (63 - i), u64::MAX >> (63 - j)),
                ] {
                    let fits = a.checked_mul(b).is_some();
                    assert!(!surely_fits(a, b) || fits, "{a} × {b}");
                    assert_eq!(surely_fits(a, b), i + j <= 62, "{a} × {b}");
                }
            }
        }
    }

    /// 64-bit and 128-bit products agree with 128-bit arithmetic on either side of the
    /// 64-bit line.
    #[test]
    pub(crate) fn products_are_exact_either_side_of_64_bits() {
        let values = [
            0,
            1,
            3,
            999,
            1_000,
            (1 << 32) - 1,
            1 << 32,
            (1 << 32) + 7,
            u64::MAX / 3,
            u64::MAX,
        ];
        for &a in &values {
            for &b in &values {
                for &c in &[1, 7, 1_000, 1 << 33, u64::MAX] {
                    let p = u128::from(a) * u128::from(b);
                    let (c128, down, up) = (u128::from(c), mul_div(a, b, c), mul_div_ceil(a, b, c));
                    if p / c128 <= u128::from(u64::MAX) {
                        assert_eq!(u128::from(down), p / c128, "{a} × {b} / {c}");
                    }
                    if p.div_ceil(c128) <= u128::from(u64::MAX) {
                        assert_eq!(u128::from(up), p.div_ceil(c128), "{a} × {b} / {c} up");
                    }
                }
                assert_eq!((mul_div(a, b, 0), mul_div_ceil(a, b, 0)), (0, 0));
                assert_eq!(wide(a, b), u128::from(a) * u128::from(b));
                assert_eq!(saturating_product(a, b), a.saturating_mul(b));
            }
        }
    }
}
