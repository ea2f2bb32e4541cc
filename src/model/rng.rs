//! Seeded, portable pseudo-random numbers with one independent stream per entity.
//!
//! SplitMix64 (Steele, Lea and Flood, 2014): small, fast, and bit-identical on every
//! target. Each entity derives its own stream from the master seed, its kind and its
//! index, so adding one consumer never shifts the draws of another.

/// One stream of pseudo-random numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rng {
    state: u64,
}

/// The SplitMix64 increment (the golden ratio in 64-bit fixed point).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A stream starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// The sub-stream of entity `index` of kind `kind` under master seed `seed`.
    pub fn substream(seed: u64, kind: u64, index: u64) -> Self {
        let a = mix(seed.wrapping_add(GAMMA));
        let b = mix(a ^ kind.wrapping_mul(GAMMA).wrapping_add(1));
        Rng::new(mix(b ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03)))
    }

    /// Moves the stream on by `draws` draws without making them.
    pub fn skip(&mut self, draws: u64) {
        self.state = self.state.wrapping_add(draws.wrapping_mul(GAMMA));
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix(self.state)
    }

    /// A uniform number in `0.0..1.0` with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p` (clamped to 0..=1).
    pub fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            false
        } else if p >= 1.0 {
            true
        } else {
            self.next_f64() < p
        }
    }
}

/// A well-mixed hash of three numbers (the same on every target).
pub fn hash3(a: u64, b: u64, c: u64) -> u64 {
    mix(mix(mix(a ^ GAMMA) ^ b.wrapping_mul(GAMMA)) ^ c)
}

/// The threshold below which a uniform 64-bit hash falls with probability `p`.
pub fn threshold(p: f64) -> u64 {
    if p >= 1.0 {
        u64::MAX
    } else if p <= 0.0 {
        0
    } else {
        (p * 18_446_744_073_709_551_616.0) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_splitmix64_reference_sequence() {
        // Reference outputs of SplitMix64 seeded with 1234567.
        let mut r = Rng::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(r.next_u64(), 9_817_491_932_198_370_423);
    }

    #[test]
    fn substreams_differ_and_repeat() {
        let a = Rng::substream(7, 1, 0).next_u64();
        assert_eq!(a, Rng::substream(7, 1, 0).next_u64());
        assert_ne!(a, Rng::substream(7, 1, 1).next_u64());
        assert_ne!(a, Rng::substream(7, 2, 0).next_u64());
        assert_ne!(a, Rng::substream(8, 1, 0).next_u64());
    }

    #[test]
    fn uniform_draws_have_the_right_mean() {
        let mut r = Rng::new(42);
        let n = 100_000;
        let mean = (0..n).map(|_| r.next_f64()).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.005, "{mean}");
        let hits = (0..n).filter(|_| r.chance(0.1)).count();
        assert!((9_500..10_500).contains(&hits), "{hits}");
    }
}
