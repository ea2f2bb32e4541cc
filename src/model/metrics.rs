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
    /// `IncomingRecords`: records written (accepted; a throttled record is not counted).
    /// Every write is a PutRecords call, so this is also `PutRecords.SuccessfulRecords`.
    pub incoming_records: u64,
    /// `IncomingBytes`: bytes written (data plus key).
    pub incoming_bytes: u64,
    /// `WriteProvisionedThroughputExceeded`: records rejected for throttling. Every write
    /// is a PutRecords call, so this is also `PutRecords.ThrottledRecords`.
    pub write_throttled: u64,
    /// Records producers gave up on (attempts exhausted or retry buffer full).
    pub dropped_by_producer: u64,
    /// The KPL's `UserRecordsPut`: user records in the Kinesis records written (more
    /// than `incoming_records` when producers aggregate).
    pub user_records_put: u64,
    /// The KPL's `KinesisRecordsPut`: Kinesis records written (equal to
    /// `incoming_records`; with aggregation each holds several user records).
    pub kinesis_records_put: u64,
    /// PutRecords calls made (the samples of `IncomingRecords` and `IncomingBytes`).
    pub put_calls: u64,
    /// Records waiting in producers' retry buffers at the end of the tick.
    pub pending_retry: u64,
    /// `ReadProvisionedThroughputExceeded`: GetRecords calls throttled.
    pub read_throttled: u64,
    /// `GetRecords.Records`: records GetRecords calls returned to standard consumers
    /// (fetched, whether processed yet or not; enhanced fan-out is not included).
    pub get_records_records: u64,
    /// `GetRecords.Bytes`: bytes GetRecords calls returned to standard consumers.
    pub get_records_bytes: u64,
    /// GetRecords calls answered (not refused).
    pub get_records_calls: u64,
    /// `GetRecords.Latency`: mean time of the tick's GetRecords calls, refused ones
    /// included (`reads::call_ms`, `reads::REFUSED_CALL_MS`); `None` without a call.
    pub get_records_latency_ms: Option<u64>,
    /// `GetRecords.IteratorAgeMilliseconds`: the largest age (now − arrival) of the last
    /// record a GetRecords call returned this tick, 0 for a call at the tip, over every
    /// standard consumer and shard; `None` when no call was answered — a shard nobody
    /// reads adds nothing to it.
    pub get_records_iterator_age_ms: Option<u64>,
    /// `SubscribeToShardEvent.Records`: records pushed to enhanced fan-out consumers.
    pub subscribe_records: u64,
    /// `SubscribeToShardEvent.Bytes`: bytes pushed to enhanced fan-out consumers.
    pub subscribe_bytes: u64,
    /// The largest age of the oldest record not yet processed, over consumers and shards,
    /// ms: how far the slowest consumer lags, whether or not any call sees it (not a
    /// CloudWatch metric).
    pub iterator_age_ms: u64,
    /// Shards no consumer reads (open, or closed with records left) and which therefore
    /// produce no GetRecords datapoint: no lease, not yet discovered, or waiting for a
    /// parent; every shard when there is no consumer.
    pub unread_shards: u32,
    /// Open shards.
    pub open_shards: u32,
    /// The shard count the stream is heading for: an UpdateShardCount target, or the
    /// count an on-demand scaling step under way leads to (the open count when idle).
    pub scaling_to_shards: u32,
    /// Capacity mode: 0 provisioned, 1 On-demand Standard, 2 On-demand Advantage.
    pub capacity_mode: u8,
    /// Shards still held (open plus closed parents with records).
    pub live_shards: u32,
    /// Highest write utilisation of any open shard (see `Simulation::shard_utilisation`).
    pub max_shard_utilisation: f64,
    /// Concurrent executions of Lambda functions without a reservation, all drawn from
    /// the account's unreserved pool.
    pub unreserved_concurrency: u32,
    /// Each scripted fault action's intensity during the tick, %, in
    /// [`FaultAction::ALL`](super::config::FaultAction::ALL) order (put, get, Lambda
    /// errors): the largest in force at any time of the tick, 0 without one.
    pub fault_percent: [u32; 3],
    /// Per consumer, in config order.
    pub consumers: Vec<ConsumerTick>,
}

impl TickMetrics {
    /// Makes `self` a copy of `other`, keeping its own allocation for the consumers
    /// (a replay copies a recorded tick's numbers every tick).
    pub fn copy_from(&mut self, other: &TickMetrics) {
        let mut consumers = std::mem::take(&mut self.consumers);
        consumers.clone_from(&other.consumers);
        *self = TickMetrics {
            consumers,
            ..*other
        };
    }
}

/// Running totals of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// New records created by producers.
    pub produced: u64,
    /// Records written to the stream (first attempts and retries): Kinesis records,
    /// the KPL's `KinesisRecordsPut`.
    pub accepted: u64,
    /// Write attempts rejected by throttling.
    pub throttled: u64,
    /// Records producers gave up on.
    pub dropped_by_producer: u64,
    /// GetRecords calls throttled.
    pub read_throttled: u64,
    /// User records producers made (with KPL aggregation, several per Kinesis record;
    /// otherwise equal to `produced`).
    pub user_records_produced: u64,
    /// User records in the Kinesis records written (the KPL's `UserRecordsPut`).
    pub user_records_put: u64,
    /// KiB of the records written with each rounded up to 1 KiB (on-demand ingest).
    pub billed_kib: u64,
}
