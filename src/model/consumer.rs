//! What every consumer application counts, whatever its kind.

use serde::Serialize;

use super::reads::Read;

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
    /// Of the skipped records, those an on-failure destination kept with their data
    /// (S3 receives the whole batch).
    #[serde(skip_serializing_if = "is_zero")]
    pub kept_with_data: u64,
    /// Of the skipped records, those an on-failure destination kept as metadata only
    /// (SQS and SNS receive where the batch was, not its records).
    #[serde(skip_serializing_if = "is_zero")]
    pub kept_metadata_only: u64,
    /// User records in the processed records (more than `processed` when producers
    /// aggregate; the ledger itself counts Kinesis records). Reported in
    /// [`crate::model::ConsumerReport`] when aggregation is in play.
    #[serde(skip)]
    pub processed_users: u64,
}

impl Ledger {
    /// `self` and `other` added, field by field.
    pub fn plus(&self, other: &Ledger) -> Ledger {
        self.zip(other, |a, b| a + b)
    }

    /// `self` added up `k` times, field by field.
    pub fn times(&self, k: u64) -> Ledger {
        self.zip(self, |a, _| a * k)
    }

    /// Adds what a consumer's reads came to in `tick`.
    pub fn count(&mut self, tick: &ConsumerTick) {
        self.processed += tick.processed;
        self.processed_users += tick.processed_users;
        self.skipped += tick.skipped;
        self.expired += tick.expired;
    }

    /// What `self` holds beyond `earlier`, field by field.
    pub fn since(&self, earlier: &Ledger) -> Ledger {
        self.zip(earlier, |a, b| a - b)
    }

    fn zip(&self, other: &Ledger, f: impl Fn(u64, u64) -> u64) -> Ledger {
        // Named field by field, so that a new field cannot be left out.
        let Ledger {
            accepted,
            processed,
            expired,
            skipped,
            kept_with_data,
            kept_metadata_only,
            processed_users,
        } = *self;
        Ledger {
            accepted: f(accepted, other.accepted),
            processed: f(processed, other.processed),
            expired: f(expired, other.expired),
            skipped: f(skipped, other.skipped),
            kept_with_data: f(kept_with_data, other.kept_with_data),
            kept_metadata_only: f(kept_metadata_only, other.kept_metadata_only),
            processed_users: f(processed_users, other.processed_users),
        }
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One consumer's numbers for one tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ConsumerTick {
    /// Whether the consumer is a KCL application (otherwise a Lambda function): the
    /// other kind's CloudWatch metrics have no value for it.
    pub kcl: bool,
    /// Whether the consumer reads with enhanced fan-out (otherwise GetRecords calls).
    pub enhanced: bool,
    /// Records processed this tick.
    pub processed: u64,
    /// User records in the records processed this tick (KPL aggregation packs several
    /// into one Kinesis record; otherwise equal to `processed`).
    pub processed_users: u64,
    /// Bytes read from the stream this tick (GetRecords calls or enhanced fan-out).
    pub bytes_read: u64,
    /// Records read from the stream this tick (GetRecords calls or enhanced fan-out):
    /// Lambda's `PolledEventCount`.
    pub polled: u64,
    /// Records expired unread this tick.
    pub expired: u64,
    /// Records skipped this tick.
    pub skipped: u64,
    /// Max over shards of now − arrival of the oldest unprocessed record, ms: the
    /// model's own measure of lag (`oldest_unprocessed_age_ms`), not a CloudWatch metric.
    pub iterator_age_ms: u64,
    /// Largest `MillisBehindLatest` of the GetRecords responses or enhanced fan-out
    /// events this consumer received this tick (now − arrival of the last record
    /// returned, 0 at the tip); `None` when it received none.
    pub behind_latest_ms: Option<u64>,
    /// The KCL's `MillisBehindLatest`: as `behind_latest_ms`, but 0 for a GetRecords
    /// response that reached the tip (caught up); `None` when it received none.
    pub millis_behind_ms: Option<u64>,
    /// Lambda `IteratorAge`: the largest age of the last record of a batch when the
    /// event source mapping sent it this tick; `None` when it sent no batch.
    pub batch_age_ms: Option<u64>,
    /// Sum over the records processed this tick of their delay from arrival in the
    /// stream to the end of their processing, ms.
    pub delay_sum_ms: u64,
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
    /// Lambda: invocations that ended (succeeded or failed): the samples of `Errors`.
    pub ended: u32,
    /// Lambda `InvokedEventCount`: records in the invocations started (a retried
    /// batch counts again).
    pub invoked: u64,
    /// Lambda `FailedInvokeEventCount`: records in the invocations that failed.
    pub failed_invoke: u64,
    /// Lambda `DroppedEventCount`: records given up (maximum retry attempts or maximum
    /// record age) with no on-failure destination; never records lost to retention.
    pub dropped: u64,
    /// Lambda `OnFailureDestinationDeliveredEventCount`: records given up whose batch
    /// went to the on-failure destination.
    pub to_destination: u64,
    /// Lambda: busy milliseconds of all invocations (for GB-s).
    pub busy_ms: u64,
    /// KCL: running tasks holding no lease.
    pub idle_tasks: u32,
    /// Shards this consumer cannot read (no lease, or not yet discovered).
    pub unread_shards: u32,
}

impl ConsumerTick {
    /// Counts what one GetRecords response or enhanced fan-out event brought.
    pub fn fetched(&mut self, read: &Read) {
        self.polled += read.records;
        self.bytes_read += read.bytes;
        self.read_throttled += read.throttled;
        if let Some(behind) = read.behind_ms {
            let most = |now: Option<u64>, v: u64| Some(now.map_or(v, |b| b.max(v)));
            self.behind_latest_ms = most(self.behind_latest_ms, behind);
            let caught_up = if read.at_tip { 0 } else { behind };
            self.millis_behind_ms = most(self.millis_behind_ms, caught_up);
        }
    }

    /// Counts an invocation of `records` records sent `age_ms` after the last of them
    /// arrived in the stream.
    pub fn sent(&mut self, records: u64, age_ms: u64) {
        self.invocations += 1;
        self.invoked += records;
        self.batch_age(age_ms);
    }

    /// Notes a batch sent `age_ms` after the last of its records arrived (Lambda's
    /// `IteratorAge` keeps the largest of the tick).
    pub fn batch_age(&mut self, age_ms: u64) {
        self.batch_age_ms = Some(self.batch_age_ms.map_or(age_ms, |a| a.max(age_ms)));
    }

    /// Counts `records` records processed, the end of whose processing came on average
    /// `mean_delay_ms` after their arrival.
    pub fn done(&mut self, records: u64, mean_delay_ms: u64) {
        self.processed += records;
        self.delay_sum_ms += records * mean_delay_ms;
    }
}
