//! Whole units out of fractional amounts, with the fraction carried exactly.
//!
//! Producers offer fractional records a second to each shard, and a KCL worker may
//! process a fractional number of records a tick. The model hands out whole records and
//! carries what is left. The fraction is kept as an integer number of parts of
//! [`PARTS`] per unit (each amount rounded to the nearest part), not as a float, so that
//! a constant amount hands out a sequence that repeats exactly: after at most `PARTS`
//! steps the carry is back where it started, and the whole units of any number of
//! steps have a closed form.

/// Parts a unit is divided into. 600 divides by 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 25,
/// 30, 40, 50, 60, 75, 100, 120, 150, 200 and 300, so an amount carried each tick repeats
/// with a period that divides 600 ticks, and so does a mix of such amounts.
pub const PARTS: u64 = 600;

/// The fraction of a unit carried to the next step, in parts of [`PARTS`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Carry(u64);

impl Carry {
    /// `amount` in parts, to the nearest part (amounts are never negative; a negative or
    /// NaN amount counts as none).
    #[inline]
    pub fn parts(amount: f64) -> u64 {
        // `amount + 0.5` truncated rounds half up without a call into the maths library.
        let scaled = amount * PARTS as f64 + 0.5;
        if scaled > 0.0 {
            scaled as u64
        } else {
            0
        }
    }

    /// Adds `amount` and returns the whole units now carried, keeping the fraction.
    #[inline]
    pub fn whole(&mut self, amount: f64) -> u64 {
        self.whole_parts(Self::parts(amount))
    }

    /// Adds `parts` parts and returns the whole units now carried, keeping the fraction.
    #[inline]
    pub fn whole_parts(&mut self, parts: u64) -> u64 {
        let total = self.0 + parts;
        self.0 = total % PARTS;
        total / PARTS
    }

    /// The fraction carried, in parts.
    pub fn get(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_amount_repeats_within_parts_steps_and_loses_nothing() {
        // 7.38 records a tick: 4,428 parts; 600 / gcd(4,428, 600) = 50 ticks a period.
        let mut carry = Carry::default();
        let counts: Vec<u64> = (0..100).map(|_| carry.whole(7.38)).collect();
        assert_eq!(carry.get(), 0);
        assert_eq!(counts[..50], counts[50..]);
        assert_eq!(counts[..50].iter().sum::<u64>(), 369);
        assert!(counts.iter().all(|&n| n == 7 || n == 8));
    }

    #[test]
    fn amounts_round_to_the_nearest_part() {
        assert_eq!(Carry::parts(1.0), 600);
        assert_eq!(Carry::parts(1.0 / 1_200.0), 1);
        assert_eq!(Carry::parts(1.0 / 1_300.0), 0);
        assert_eq!(Carry::parts(-3.0), 0);
        assert_eq!(Carry::parts(f64::NAN), 0);
        // One record every 20 minutes is still carried at one part a second.
        let mut carry = Carry::default();
        let got: u64 = (0..7_200).map(|_| carry.whole(1.0 / 600.0)).sum();
        assert_eq!(got, 12);
    }
}
