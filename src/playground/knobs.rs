//! The sliders: every knob steps through a table of values and is bound to a dotted
//! settings path. Moving one edits the running simulation's settings.

use serde_json::Value;

use super::consumers::ConsumerKind;
use super::readout::{
    age_limit, bytes, count, fine_percent, hours, mib_per_s, millis, ms, per_s, percent, retries,
    seconds, skew, unlimited, unreserved,
};
use crate::model::config::fields::{self, Field};
use crate::model::path::get_path;
use crate::model::{Config, ConsumerConfig};

/// One slider.
#[derive(Debug, Clone)]
pub struct Knob {
    /// Dotted config path, e.g. `stream.shards` or `consumers.ecs.tasks`.
    pub path: String,
    /// Visible label.
    pub label: &'static str,
    /// The setting's row in the settings table: its slider steps and JSON kind.
    pub field: Option<&'static Field>,
    /// The values the slider steps through, in order (the row's steps).
    pub values: Vec<f64>,
    /// How a value reads, with its unit.
    pub show: fn(f64) -> String,
    /// One line of help: what it means and what to watch.
    pub help: &'static str,
}

/// Where a slider sits for some settings, and what its read-out says.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The slider position: the step closest to the value.
    pub index: usize,
    /// The exact value with its unit (the position may only be near it).
    pub shown: String,
}

/// A slider over the setting at `path`, stepping through the settings table's values.
fn knob(path: String, label: &'static str, show: fn(f64) -> String, help: &'static str) -> Knob {
    let field = fields::for_path(&path);
    Knob {
        values: field.map(|f| f.steps.values()).unwrap_or_default(),
        field,
        path,
        label,
        show,
        help,
    }
}

impl Knob {
    /// The JSON a slider value writes (whole numbers stay whole; 0 means null for a
    /// setting that may be null); an error for a path the settings table does not know.
    pub fn to_json(&self, value: f64) -> Result<Value, String> {
        self.field
            .map(|f| f.json(value))
            .ok_or_else(|| format!("{} is not a setting a slider can move", self.path))
    }

    /// The knob's value in `config`: 0 where the setting is `null` (unreserved,
    /// unlimited); an error when the path names nothing or holds no number.
    pub fn current(&self, config: &Config) -> Result<f64, String> {
        let value = get_path(config, &self.path).map_err(|e| e.to_string())?;
        match value {
            Value::Null => Ok(0.0),
            other => other
                .as_f64()
                .ok_or_else(|| format!("{}: {other} is not a number", self.path)),
        }
    }

    /// The slider position closest to `value`.
    pub fn index_of(&self, value: f64) -> usize {
        let mut best = 0;
        for (i, v) in self.values.iter().enumerate() {
            if (v - value).abs() < (self.values[best] - value).abs() {
                best = i;
            }
        }
        best
    }

    /// Position and read-out of the slider for `config`.
    pub fn setting(&self, config: &Config) -> Result<Setting, String> {
        let current = self.current(config)?;
        Ok(Setting {
            index: self.index_of(current),
            shown: (self.show)(current),
        })
    }

    /// The value at slider position `position` (what the browser reports: a whole
    /// number from 0 to the last step); any other position is an error.
    pub fn value_at(&self, position: f64) -> Result<f64, String> {
        let last = self.values.len().saturating_sub(1);
        if position.fract() != 0.0 || !(0.0..=last as f64).contains(&position) {
            return Err(format!(
                "{}: slider position {position} is not one of 0 to {last}",
                self.path
            ));
        }
        Ok(self.values[position as usize])
    }

    /// The element id of the slider on the page (before it is scoped to its
    /// playground): `kp-` and the path with dashes, e.g. `kp-stream-shards`.
    pub fn element_id(&self) -> String {
        format!("kp-{}", self.path.replace('.', "-"))
    }
}

/// The producer's knobs (the first producer of the config).
pub fn producer_knobs() -> Vec<Knob> {
    let p = |f: &str| format!("producers.0.{f}");
    vec![
        knob(p("instances"), "Producer instances", count, "Copies of the producer; total rate = instances × rate. Watch IncomingRecords (Sum) against the write limit; over it, add shards."),
        knob(p("records_per_sec"), "Records/s per instance", per_s, "Each shard takes 1,000 records/s. Watch WriteProvisionedThroughputExceeded (Sum); if it stays above 0, add shards."),
        knob(p("record_bytes"), "Record size", bytes, "Each shard also takes 1 MiB/s, so big records hit the byte limit first. Watch IncomingBytes (Sum) against shards × 1 MiB/s. A record and its key must fit in the stream's largest record size."),
        knob(p("distinct_keys"), "Distinct partition keys", count, "Keys are hashed (MD5) onto shards; one key always lands on one shard. Watch the per-shard strip; with few keys, use more."),
        knob(p("key_skew"), "Key skew", skew, "0 spreads records evenly; higher makes the first key hot. Watch shard-level IncomingRecords (Maximum); fix with more keys, not shards."),
        knob(p("retry.max_attempts"), "Retry attempts", count, "Throttled records are retried with backoff, then dropped. Watch PutRecords.ThrottledRecords (Sum) and the producer drops."),
    ]
}

/// The producer's KPL aggregation knobs (the first producer of the config), shown
/// after its aggregation checkbox.
pub fn kpl_knobs() -> Vec<Knob> {
    let p = |f: &str| format!("producers.0.{f}");
    vec![
        knob(p("aggregation_max_bytes"), "Aggregated record size", bytes, "With aggregation on: the largest Kinesis record the KPL packs user records into (AggregationMaxSize, 51,200 B by default). The 1,000 records/s limit counts these records; bytes still count in full."),
        knob(p("record_max_buffered_time_ms"), "Buffered time", millis, "With aggregation on: the longest a user record waits to be packed (RecordMaxBufferedTime, 100 ms by default). A longer wait packs more into each Kinesis record when traffic is slow, and a user record may wait that long before it is sent."),
    ]
}

/// The stream's knobs.
pub fn stream_knobs() -> Vec<Knob> {
    vec![
        knob("stream.shards".into(), "Shards", count, "Write and read capacity. Changes go through UpdateShardCount (×2 or ÷2 a step, as many steps a day as the stream allows). Watch the write limit line and IteratorAge."),
        knob("stream.retention_hours".into(), "Retention", hours,  "Records older than this are deleted. Alarm on GetRecords.IteratorAgeMilliseconds (Maximum) well below it; more retention only buys time."),
        knob("stream.warm_throughput_mibps".into(), "Warm throughput", mib_per_s, "On-demand Advantage only: write throughput the stream keeps ready, reached about 5 minutes after it is set, so a launch is not throttled while shards are added. Set it to 0 before leaving Advantage."),
    ]
}

/// The account's knobs (Lambda concurrency shared by every function).
pub fn account_knobs() -> Vec<Knob> {
    vec![knob("account.lambda_concurrency".into(), "Lambda concurrency (account)", count, "Executions all functions in the Region may run at once: 1,000 unless a quota increase raised it. Reservations come out of it and must leave 100 for the rest. Watch Throttles (Sum) and ConcurrentExecutions (Maximum).")]
}

/// One of every slider: the producers', the stream's, and a Lambda and a KCL
/// consumer's (their paths name a consumer "_").
pub fn every_kind() -> Vec<Knob> {
    let mut all = producer_knobs();
    all.extend(kpl_knobs());
    all.extend(stream_knobs());
    all.extend(lambda_knobs("_"));
    all.extend(kcl_knobs("_"));
    all
}

/// The knobs of a Lambda consumer called `name`.
pub fn lambda_knobs(name: &str) -> Vec<Knob> {
    let c = |f: &str| format!("consumers.{name}.{f}");
    vec![
        knob(c("batch_size"), "Batch size", count, "Records per invocation (at most 6 MB). Larger batches spread the per-call overhead; watch the function's IteratorAge (Maximum)."),
        knob(c("parallelization_factor"), "Parallelization factor", count, "Concurrent batches per shard; concurrency can reach shards × this. Watch ConcurrentExecutions (Maximum) when a function falls behind."),
        knob(c("ms_per_record"), "Time per record", ms, "Processing time per record. Slower functions fall behind: watch IteratorAge (Maximum); speed up or raise the parallelization factor."),
        knob(c("reserved_concurrency"), "Reserved concurrency", unreserved, "Sets executions aside for this function and caps it there; starts beyond it are Throttles (Sum). Raise it if Throttles and IteratorAge grow together."),
        knob(c("timeout_s"), "Function timeout", seconds, "How long one invocation may run (3 s for a new function, 15 min at most). A batch that needs longer is cut off, counts as an error and is retried whole. Watch Errors (Sum) and IteratorAge (Maximum); raise the timeout or lower the batch size."),
        knob(c("error_rate"), "Error rate", percent, "Failed batches are retried whole and block their shard. Watch Errors (Sum) and IteratorAge; limit retries or bisect to move on."),
        knob(c("poison_rate"), "Poison records", fine_percent, "Share of records the function fails on every time. One in a batch fails the whole batch on every retry, so by default its shard stalls until the record expires. Watch Errors (Sum) and IteratorAge (Maximum); bisect failed batches, cap the retries and send what is given up to an on-failure destination."),
        knob(c("max_retry_attempts"), "Batch retries", retries, "How often Lambda retries a failed batch before giving up on its records (counted as skipped); unlimited, the default, means until they expire. Watch IteratorAge (Maximum) and the skipped records."),
        knob(c("max_record_age_s"), "Maximum record age", age_limit, "Records older than this are skipped (given up) instead of sent to the function; unlimited, the default, means until they expire. With a failing batch it is the other way to let the shard move on. Watch IteratorAge (Maximum) and the skipped records."),
    ]
}

/// The knobs of a KCL (ECS) consumer called `name`.
pub fn kcl_knobs(name: &str) -> Vec<Knob> {
    let c = |f: &str| format!("consumers.{name}.{f}");
    vec![
        knob(c("tasks"), "ECS tasks", count, "Workers; one processor per shard, so tasks beyond the shard count sit idle. Watch the ECS IteratorAge (Maximum) after resharding."),
        knob(c("records_per_sec_per_task"), "Records/s per task", per_s, "A task's capacity, shared by the shards it leases. If the ECS IteratorAge (Maximum) grows, add tasks or enable autoscaling."),
        knob(c("max_leases_per_worker"), "Max leases per worker", unlimited, "With a cap, shards beyond tasks × cap have no reader: their IteratorAge grows until records expire. Add tasks or raise it."),
        knob(c("poll_interval_ms"), "Poll interval", millis, "Pause between GetRecords calls on each shard (idleTimeBetweenReadsInMillis); 1,500 ms is the default in KCL 2.x and 3.x. Shorter pauses cut delay but use more of the 5 calls/s per shard that standard consumers share: watch ReadProvisionedThroughputExceeded. Enhanced fan-out consumers do not poll, so it has no effect on them."),
    ]
}

/// Every slider the full page builds for `config`: producer (aggregation's too), stream
/// and account knobs, then each consumer's.
pub fn every_knob(config: &Config) -> Vec<Knob> {
    let mut knobs = producer_knobs();
    knobs.extend(kpl_knobs());
    knobs.extend(stream_knobs());
    knobs.extend(account_knobs());
    for c in &config.consumers {
        knobs.extend(consumer_knobs(c));
    }
    knobs
}

/// The knobs of consumer `c`, by its kind.
pub fn consumer_knobs(c: &ConsumerConfig) -> Vec<Knob> {
    match c.consumer_kind() {
        ConsumerKind::Lambda => lambda_knobs(c.name()),
        ConsumerKind::Kcl => kcl_knobs(c.name()),
    }
}
