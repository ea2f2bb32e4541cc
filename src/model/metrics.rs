//! Per-tick metrics under their CloudWatch names, and the run's totals.

use serde::Serialize;

use super::consumer::ConsumerTick;

/// The stream's numbers for one tick (sums over the tick unless noted).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TickMetrics {
    /// End of the tick, simulated ms.
    pub t_ms: u64,
    /// New records producers created (first attempts).
    pub produced: u64,
    /// `IncomingRecords`: records written.
    pub incoming_records: u64,
    /// `IncomingBytes`: bytes written (data plus key).
    pub incoming_bytes: u64,
    /// `WriteProvisionedThroughputExceeded` (= `PutRecords.ThrottledRecords`): records rejected.
    pub write_throttled: u64,
    /// Records producers gave up on (attempts exhausted or retry buffer full).
    pub dropped_by_producer: u64,
    /// PutRecords calls made (the samples of `IncomingRecords` and `IncomingBytes`).
    pub put_calls: u64,
    /// Records waiting in producers' retry buffers at the end of the tick.
    pub pending_retry: u64,
    /// `ReadProvisionedThroughputExceeded`: GetRecords calls throttled.
    pub read_throttled: u64,
    /// `GetRecords.Records`: records returned to all consumers.
    pub get_records_records: u64,
    /// `GetRecords.Bytes`: bytes returned to all consumers.
    pub get_records_bytes: u64,
    /// `GetRecords.Latency`: mean modelled latency of a GetRecords call, ms.
    pub get_records_latency_ms: u64,
    /// `GetRecords.IteratorAgeMilliseconds`: max over consumers and shards, ms.
    pub iterator_age_ms: u64,
    /// Open shards.
    pub open_shards: u32,
    /// Shards still held (open plus closed parents with records).
    pub live_shards: u32,
    /// Highest write utilisation of any open shard (see `Simulation::shard_utilisation`).
    pub max_shard_utilisation: f64,
    /// Concurrent executions of Lambda functions without a reservation, all drawn from
    /// the account's unreserved pool.
    pub unreserved_concurrency: u32,
    /// Per consumer, in config order.
    pub consumers: Vec<ConsumerTick>,
}

/// Running totals of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// New records created by producers.
    pub produced: u64,
    /// Records written to the stream (first attempts and retries).
    pub accepted: u64,
    /// Write attempts rejected by throttling.
    pub throttled: u64,
    /// Records producers gave up on.
    pub dropped_by_producer: u64,
    /// GetRecords calls throttled.
    pub read_throttled: u64,
}
