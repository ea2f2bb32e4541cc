//! Products and quotients of the model's counts, exact in integers: in 64 bits when the
//! product fits (the usual case: counts and spans of a few seconds), else in 128.

/// `a × b / c` rounded down (0 when `c` is 0).
pub(crate) fn mul_div(a: u64, b: u64, c: u64) -> u64 {
    if c == 0 {
        0
    } else if let Some(p) = a.checked_mul(b) {
        p / c
    } else {
        (u128::from(a) * u128::from(b) / u128::from(c)) as u64
    }
}

/// `a × b / c` rounded up (0 when `c` is 0).
pub(crate) fn mul_div_ceil(a: u64, b: u64, c: u64) -> u64 {
    if c == 0 {
        0
    } else if let Some(p) = a.checked_mul(b) {
        p.div_ceil(c)
    } else {
        (u128::from(a) * u128::from(b)).div_ceil(u128::from(c)) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 64-bit and 128-bit products agree with 128-bit arithmetic on either side of the
    /// 64-bit line.
    #[test]
    fn products_are_exact_either_side_of_64_bits() {
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
            }
        }
    }
}
