//! The columns of the series: each metric's name, how it folds over an interval and
//! how a tick's value is read from the model's numbers.

use super::Fold;
use super::NO_VALUE;
use crate::model::consumer::ConsumerTick;
use crate::model::metrics::TickMetrics;

pub(super) type StreamGet = fn(&TickMetrics) -> f64;
pub(super) type ConsumerGet = fn(&ConsumerTick) -> f64;

/// A count, or no value ([`NO_VALUE`]) for `None`: no datapoint.
fn opt(v: Option<u64>) -> f64 {
    v.map_or(NO_VALUE, |v| v as f64)
}

/// `v` for a Lambda function; no value for a KCL application.
fn lambda(c: &ConsumerTick, v: f64) -> f64 {
    if c.kcl {
        NO_VALUE
    } else {
        v
    }
}

/// `v`, or no value when no GetRecords call was made this tick (answered or refused):
/// CloudWatch has no datapoint of a metric sampled per call without a call.
fn some_calls(m: &TickMetrics, v: f64) -> f64 {
    if m.get_records_calls + m.read_throttled == 0 {
        NO_VALUE
    } else {
        v
    }
}

/// `v`, or no value without an enhanced fan-out consumer: nothing subscribes. (The
/// stream's total of what was pushed is the model's own column: CloudWatch publishes
/// `SubscribeToShardEvent.*` per consumer, by ConsumerName.)
fn fanned_out(m: &TickMetrics, v: f64) -> f64 {
    if m.consumers.iter().any(|c| c.enhanced) {
        v
    } else {
        NO_VALUE
    }
}

/// `v`, or no value when `samples` is 0: Lambda publishes a function's metrics only
/// when something happened (an invocation, a request, an execution).
fn unless_none(samples: u32, v: u32) -> f64 {
    if samples == 0 {
        NO_VALUE
    } else {
        f64::from(v)
    }
}

/// `v` for a consumer reading with enhanced fan-out; no value for one that polls.
fn enhanced(c: &ConsumerTick, v: f64) -> f64 {
    if c.enhanced {
        v
    } else {
        NO_VALUE
    }
}

/// `v` for a KCL application; no value for a Lambda function.
fn kcl(c: &ConsumerTick, v: f64) -> f64 {
    if c.kcl {
        v
    } else {
        NO_VALUE
    }
}

pub(super) const STREAM: &[(&str, Fold, StreamGet)] = &[
    ("produced", Fold::Sum, |m| m.produced as f64),
    ("IncomingRecords", Fold::Sum, |m| m.incoming_records as f64),
    ("IncomingBytes", Fold::Sum, |m| m.incoming_bytes as f64),
    ("PutRecords.SuccessfulRecords", Fold::Sum, |m| {
        m.incoming_records as f64
    }),
    ("WriteProvisionedThroughputExceeded", Fold::Sum, |m| {
        m.write_throttled as f64
    }),
    ("PutRecords.ThrottledRecords", Fold::Sum, |m| {
        m.write_throttled as f64
    }),
    ("dropped_by_producer", Fold::Sum, |m| {
        m.dropped_by_producer as f64
    }),
    ("pending_retry", Fold::Last, |m| m.pending_retry as f64),
    ("ReadProvisionedThroughputExceeded", Fold::Sum, |m| {
        some_calls(m, m.read_throttled as f64)
    }),
    ("GetRecords.Records", Fold::Sum, |m| {
        m.get_records_records as f64
    }),
    ("GetRecords.Bytes", Fold::Sum, |m| {
        m.get_records_bytes as f64
    }),
    ("GetRecords.Success", Fold::Sum, |m| {
        some_calls(m, m.get_records_calls as f64)
    }),
    ("GetRecords.Latency", Fold::Max, |m| {
        opt(m.get_records_latency_ms)
    }),
    ("GetRecords.IteratorAgeMilliseconds", Fold::Max, |m| {
        opt(m.get_records_iterator_age_ms)
    }),
    ("subscribe_records", Fold::Sum, |m| {
        fanned_out(m, m.subscribe_records as f64)
    }),
    ("subscribe_bytes", Fold::Sum, |m| {
        fanned_out(m, m.subscribe_bytes as f64)
    }),
    ("oldest_unprocessed_age_ms", Fold::Max, |m| {
        m.iterator_age_ms as f64
    }),
    ("unread_shards", Fold::Max, |m| f64::from(m.unread_shards)),
    ("open_shards", Fold::Last, |m| f64::from(m.open_shards)),
    ("write_capacity_bytes_per_s", Fold::Last, |m| {
        f64::from(m.open_shards) * 1_048_576.0
    }),
    ("scaling_to_shards", Fold::Last, |m| {
        f64::from(m.scaling_to_shards)
    }),
    ("capacity_mode", Fold::Last, |m| f64::from(m.capacity_mode)),
    ("put_calls", Fold::Sum, |m| m.put_calls as f64),
    ("get_records_calls", Fold::Sum, |m| {
        (m.get_records_calls + m.read_throttled) as f64
    }),
    ("max_shard_utilisation", Fold::Max, |m| {
        m.max_shard_utilisation
    }),
    ("fault_throttle_put_pct", Fold::Max, |m| {
        f64::from(m.fault_percent[0])
    }),
    ("fault_throttle_get_pct", Fold::Max, |m| {
        f64::from(m.fault_percent[1])
    }),
    ("fault_lambda_errors_pct", Fold::Max, |m| {
        f64::from(m.fault_percent[2])
    }),
    // The KPL's UserRecordsPut and KinesisRecordsPut (published by the producer, not
    // by the stream).
    ("user_records_put", Fold::Sum, |m| m.user_records_put as f64),
    ("kinesis_records_put", Fold::Sum, |m| {
        m.kinesis_records_put as f64
    }),
];

pub(super) const CONSUMER: &[(&str, Fold, ConsumerGet)] = &[
    ("processed", Fold::Sum, |c| c.processed as f64),
    ("bytes_read", Fold::Sum, |c| c.bytes_read as f64),
    ("expired", Fold::Sum, |c| c.expired as f64),
    ("skipped", Fold::Sum, |c| c.skipped as f64),
    ("oldest_unprocessed_age_ms", Fold::Max, |c| {
        c.iterator_age_ms as f64
    }),
    ("delivery_delay_ms", Fold::Max, |c| match c.processed {
        0 => NO_VALUE,
        n => (c.delay_sum_ms / n) as f64,
    }),
    ("behind", Fold::Last, |c| c.behind as f64),
    // The consumer's share of the refused calls: the model's own split (CloudWatch's
    // ReadProvisionedThroughputExceeded is per stream or shard, not per consumer).
    ("read_throttled", Fold::Sum, |c| f64::from(c.read_throttled)),
    ("GetRecords.IteratorAgeMilliseconds", Fold::Max, |c| {
        if c.enhanced {
            NO_VALUE
        } else {
            opt(c.behind_latest_ms)
        }
    }),
    ("SubscribeToShardEvent.Records", Fold::Sum, |c| {
        enhanced(c, c.polled as f64)
    }),
    ("SubscribeToShardEvent.Bytes", Fold::Sum, |c| {
        enhanced(c, c.bytes_read as f64)
    }),
    ("SubscribeToShardEvent.MillisBehindLatest", Fold::Max, |c| {
        if c.enhanced {
            opt(c.behind_latest_ms)
        } else {
            NO_VALUE
        }
    }),
    ("MillisBehindLatest", Fold::Max, |c| {
        kcl(c, opt(c.millis_behind_ms))
    }),
    ("RecordsProcessed", Fold::Sum, |c| {
        kcl(c, c.processed as f64)
    }),
    ("RunningTaskCount", Fold::Max, |c| {
        kcl(c, f64::from(c.concurrency))
    }),
    ("idle_tasks", Fold::Max, |c| kcl(c, f64::from(c.idle_tasks))),
    ("IteratorAge", Fold::Max, |c| lambda(c, opt(c.batch_age_ms))),
    ("ConcurrentExecutions", Fold::Max, |c| {
        lambda(c, unless_none(c.concurrency, c.concurrency))
    }),
    ("Invocations", Fold::Sum, |c| {
        lambda(c, unless_none(c.invocations, c.invocations))
    }),
    ("Throttles", Fold::Sum, |c| {
        lambda(c, unless_none(c.invocations + c.throttles, c.throttles))
    }),
    ("Errors", Fold::Sum, |c| {
        lambda(c, unless_none(c.ended, c.errors))
    }),
    ("PolledEventCount", Fold::Sum, |c| {
        lambda(c, c.polled as f64)
    }),
    ("InvokedEventCount", Fold::Sum, |c| {
        lambda(c, c.invoked as f64)
    }),
    ("FailedInvokeEventCount", Fold::Sum, |c| {
        lambda(c, c.failed_invoke as f64)
    }),
    ("DroppedEventCount", Fold::Sum, |c| {
        lambda(c, c.dropped as f64)
    }),
    ("OnFailureDestinationDeliveredEventCount", Fold::Sum, |c| {
        lambda(c, c.to_destination as f64)
    }),
    ("invoke_requests", Fold::Sum, |c| {
        lambda(c, f64::from(c.invocations + c.throttles))
    }),
    ("invocations_ended", Fold::Sum, |c| {
        lambda(c, f64::from(c.ended))
    }),
];
