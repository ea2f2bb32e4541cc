//! What every consumer application counts, whatever its kind.

use serde::Serialize;

/// A consumer's running totals; `accepted = processed + expired + skipped + behind`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ledger {
    /// Records written to the stream since this consumer started reading it.
    pub accepted: u64,
    /// Records processed successfully.
    pub processed: u64,
    /// Records removed by retention before this consumer processed them.
    pub expired: u64,
    /// Records given up after failed retries (Lambda max retries / max record age).
    pub skipped: u64,
}

/// One consumer's numbers for one tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ConsumerTick {
    /// Records processed this tick.
    pub processed: u64,
    /// Bytes read from the stream this tick.
    pub bytes_read: u64,
    /// Records expired unread this tick.
    pub expired: u64,
    /// Records skipped this tick.
    pub skipped: u64,
    /// Max over shards of now − arrival of the oldest unprocessed record, ms.
    pub iterator_age_ms: u64,
    /// Records in the stream not yet processed by this consumer.
    pub behind: u64,
    /// GetRecords calls throttled for this consumer this tick.
    pub read_throttled: u32,
    /// Lambda: concurrent executions; KCL: running tasks.
    pub concurrency: u32,
    /// Lambda: invocations throttled by the concurrency limit.
    pub throttles: u32,
    /// Lambda: failed invocations (function errors, poison records and timeouts).
    pub errors: u32,
    /// Lambda: invocations stopped at the function timeout (also counted in `errors`).
    pub timeouts: u32,
    /// Lambda: invocations started.
    pub invocations: u32,
    /// Lambda: busy milliseconds of all invocations (for GB-s).
    pub busy_ms: u64,
    /// KCL: running tasks holding no lease.
    pub idle_tasks: u32,
    /// Shards this consumer cannot read (no lease, or not yet discovered).
    pub unread_shards: u32,
}
