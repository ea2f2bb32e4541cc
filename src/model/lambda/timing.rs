//! How long a function's invocations take: a fixed overhead and whole microseconds per
//! record, up to its timeout.

use crate::model::config::LambdaConfig;

/// How long one function's invocations take, worked out once for a pass over its shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Whole microseconds of work per record.
    micros: u64,
    /// Fixed time per invocation, ms.
    overhead_ms: u64,
    /// The function timeout, ms.
    pub(super) timeout_ms: u64,
    /// Records in a full batch, and the time an invocation on them takes, ms.
    batch: u64,
    full_batch_ms: u64,
}

impl Timing {
    /// The timing of `config`'s invocations.
    pub fn of(config: &LambdaConfig) -> Self {
        // Whole microseconds per record keep this integer arithmetic, exact on every target.
        let micros = (config.ms_per_record * 1_000.0).round() as u64;
        let mut timing = Timing {
            micros,
            overhead_ms: u64::from(config.invocation_overhead_ms),
            timeout_ms: u64::from(config.timeout_s) * 1_000,
            batch: u64::from(config.batch_size),
            full_batch_ms: 0,
        };
        timing.full_batch_ms = timing.ms(timing.batch);
        timing
    }

    /// Milliseconds one invocation on `records` records takes.
    pub fn ms(&self, records: u64) -> u64 {
        if records == self.batch && self.full_batch_ms > 0 {
            return self.full_batch_ms;
        }
        let work = (self.micros * records).div_ceil(1_000);
        (self.overhead_ms + work).max(1)
    }
}

/// Milliseconds one invocation on `records` records takes.
pub fn invocation_ms(config: &LambdaConfig, records: u64) -> u64 {
    Timing::of(config).ms(records)
}
