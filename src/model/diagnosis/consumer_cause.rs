//! What a finding about a consumer found, as numbers: lag and loss, Lambda batches and
//! concurrency, KCL tasks and leases, and the shared read limit.

use serde::Serialize;

use super::MoreShards;

/// A consumer's records expiring unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecordsExpired {
    /// Records expired in the last minute.
    pub expired: u64,
    /// Records expired since the start.
    pub expired_total: u64,
    /// The stream's retention, ms.
    pub retention_ms: u64,
    /// Whether more shards help.
    pub more: MoreShards,
    /// Whether its invocations failed in the last minute: a failing batch retried until
    /// its records expire holds the shard, whatever the speed.
    pub failing: bool,
}

/// A consumer's iterator age at half the retention or more.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AgeNearRetention {
    /// Iterator age now, ms.
    pub age_ms: u64,
    /// The stream's retention, ms.
    pub retention_ms: u64,
    /// Iterator age growth over the last minute, seconds per second.
    pub growth: f64,
    /// Whether more shards help.
    pub more: MoreShards,
}

/// What one Lambda batch takes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BatchCost {
    /// Records in the batch.
    pub records: u64,
    /// Ms the invocation takes.
    pub invocation_ms: u64,
    /// Fixed ms per invocation.
    pub overhead_ms: u32,
    /// Ms per record.
    pub ms_per_record: f64,
}

/// Failed Lambda invocations in the last minute and the settings that decide their fate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LambdaErrors {
    /// Failed invocations (timeouts included).
    pub errors: u64,
    /// Invocations that timed out.
    pub timeouts: u64,
    /// Invocations.
    pub invocations: u64,
    /// Records given up (skipped).
    pub skipped: u64,
    /// The function's timeout, s.
    pub timeout_s: u32,
    /// What a full batch takes.
    pub full_batch: BatchCost,
    /// Retries of a failed batch, −1 for forever.
    pub max_retry_attempts: i64,
    /// Age in s from which records are skipped, −1 for never.
    pub max_record_age_s: i64,
    /// Whether a failed batch is split in two before a retry.
    pub bisect_on_error: bool,
}

/// Records arriving at the stream in the last minute.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Arrivals {
    /// Records/s over all shards.
    pub records_per_s: f64,
    /// Records/s at one shard: the mean, or the hot shard's.
    pub per_shard_records_per_s: f64,
    /// Whether one shard is hot.
    pub hot: bool,
    /// Mean bytes per record.
    pub record_bytes: f64,
}

/// A Lambda function at its concurrency cap and too slow for what arrives.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LambdaCapped {
    /// Concurrent executions lately.
    pub concurrency: u32,
    /// What one batch takes.
    pub batch: BatchCost,
    /// Whether the 6 MB invocation payload, not the batch size, bounds the batch.
    pub payload_bound: bool,
    /// What arrives.
    pub arrivals: Arrivals,
    /// What sets the cap.
    pub cap: ConcurrencyCap,
}

/// What caps a Lambda function's concurrency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConcurrencyCap {
    /// Shards × parallelization factor.
    Shards {
        /// The cap.
        batches: u32,
        /// The parallelization factor.
        parallelization_factor: u32,
        /// Records/s one shard is processed at, at most.
        per_shard_records_per_s: f64,
        /// Whether more shards help.
        more: MoreShards,
    },
    /// The function's reservation, or the account's unreserved concurrency.
    Limit {
        /// The cap.
        batches: u32,
        /// Whether it is the function's own reservation.
        reserved: bool,
        /// Records/s the capped batches process at most.
        most_records_per_s: f64,
    },
}

/// ECS tasks holding no lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TasksIdle {
    /// Tasks without a lease.
    pub idle: u32,
    /// Tasks running.
    pub tasks: u32,
    /// Whether more shards help.
    pub more: MoreShards,
}

/// Shards of a KCL application nobody reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShardsUnread {
    /// No task runs.
    NoTask {
        /// Open shards.
        shards: u32,
        /// Whether autoscaling is on (its minimum is 0).
        autoscaling: bool,
    },
    /// Every task is at its lease cap.
    LeaseCap {
        /// Open shards.
        shards: u32,
        /// Tasks running.
        tasks: u32,
        /// Leases one task may hold.
        leases_per_task: u32,
    },
}

/// ECS tasks processing at full capacity while records wait.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TasksSaturated {
    /// Tasks running.
    pub tasks: u32,
    /// Records/s processed over the last minute.
    pub processed_records_per_s: f64,
    /// Records/s the tasks can process.
    pub capacity_records_per_s: f64,
}

/// Throttled GetRecords calls of standard consumers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SharedReads {
    /// Calls throttled in the last minute.
    pub read_throttled: u64,
    /// Standard (shared) consumers.
    pub standard: usize,
    /// Bytes/s written to one shard.
    pub per_shard_bytes_per_s: f64,
    /// Bytes/s all standard consumers want of one shard.
    pub demand_bytes_per_s: f64,
    /// Which of the shared limits is reached.
    pub limit: ReadLimit,
}

/// The shared read limit reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadLimit {
    /// 2 MiB/s per shard.
    Bytes {
        /// Shards that would give every standard consumer what it reads.
        needed_shards: u64,
        /// Whether more shards help.
        more: MoreShards,
    },
    /// 5 calls/s per shard.
    Calls,
}

/// A consumer falling behind, or throttled by Lambda, and the likeliest cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Behind {
    /// How far it lags.
    pub lag: Lag,
    /// What arrives.
    pub arrivals: Arrivals,
    /// The likeliest cause.
    pub why: Why,
}

/// How far a consumer lags and how it fares over the last minute.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Lag {
    /// Iterator age now, ms.
    pub age_ms: u64,
    /// Iterator age growth, seconds per second.
    pub growth: f64,
    /// Records processed per second.
    pub processed_records_per_s: f64,
    /// Whether the iterator age is above a minute and growing.
    pub behind: bool,
}

/// Why a consumer falls behind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// A function reserved at 0 never runs.
    NeverRuns {
        /// Shards × parallelization factor.
        batches_by_shards: u32,
    },
    /// Lambda throttles a function at its reservation.
    Reservation {
        /// Invocations throttled in the last minute.
        throttles: u64,
        /// The reservation.
        reserved: u32,
        /// Shards × parallelization factor.
        batches_by_shards: u32,
    },
    /// Lambda throttles a function in the account's unreserved pool.
    Pool(Pool),
    /// The consumer is slower than what arrives.
    TooSlow {
        /// Whether more shards help.
        more: MoreShards,
    },
    /// One GetRecords call per poll reads less than arrives at a shard.
    CallLimit(CallLimit),
    /// KCL balances leases by count, and a task holding more is over its capacity.
    Leases(Leases),
}

/// A function throttled in the account's unreserved concurrency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pool {
    /// Invocations throttled in the last minute.
    pub throttles: u64,
    /// The account's concurrency.
    pub account: u32,
    /// Concurrency reserved by functions.
    pub reserved: u32,
    /// What reservations leave.
    pub unreserved: u32,
    /// The least the account must leave unreserved.
    pub unreserved_min: u32,
    /// Shards × parallelization factor.
    pub batches_by_shards: u32,
    /// Other functions without a reservation and what they held; `None` when there
    /// are none.
    pub sharing: Option<PoolSharing>,
}

/// Functions sharing the unreserved pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PoolSharing {
    /// The other functions without a reservation.
    pub others: Vec<String>,
    /// Executions of the pool the others held at the last tick.
    pub others_held: u32,
    /// Executions this function held at the last tick.
    pub held: u32,
}

/// A KCL application held back by one GetRecords call per poll.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CallLimit {
    /// Records one call returns at most.
    pub max_records_per_call: u32,
    /// Ms between calls.
    pub poll_interval_ms: u32,
    /// Records/s one shard's calls read at most.
    pub per_shard_records_per_s: f64,
    /// Records per call that would keep up (with a fifth to spare), at most 10,000.
    pub needed_per_call: f64,
}

/// KCL leases balanced by count while a task holding more is over its capacity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Leases {
    /// Tasks running.
    pub tasks: u32,
    /// Tasks holding the most leases.
    pub busiest_tasks: u64,
    /// Most leases one task holds.
    pub most: u32,
    /// Fewest leases one task holds.
    pub fewest: u32,
    /// Open shards.
    pub shards: u32,
    /// Records/s the busiest task needs.
    pub needed_records_per_s: f64,
    /// Records/s one task processes at most.
    pub capacity_records_per_s: f64,
    /// Tasks that would keep up.
    pub tasks_needed: u32,
    /// Leases one of them could take at most.
    pub leases_per_task: u32,
}
