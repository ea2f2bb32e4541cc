//! The sliders: every knob steps through a table of values and is bound to a dotted
//! settings path. Moving one edits the running simulation's settings.

use serde_json::Value;

use super::consumers::ConsumerKind;
use super::readout::{
    bytes, count, fine_percent, hours, int, millis, ms, optional, per_s, percent, range, real,
    retries, seconds, signed, skew, unlimited, unreserved,
};
use crate::model::path::get_path;
use crate::model::{Config, ConsumerConfig};

/// One slider.
#[derive(Debug, Clone)]
pub struct Knob {
    /// Dotted config path, e.g. `stream.shards` or `consumers.ecs.tasks`.
    pub path: String,
    /// Visible label.
    pub label: &'static str,
    /// The values the slider steps through, in order.
    pub values: Vec<f64>,
    /// How a value reads, with its unit.
    pub show: fn(f64) -> String,
    /// JSON value written for a slider value (integers stay integers).
    pub to_json: fn(f64) -> Value,
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

impl Knob {
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
        Knob {
            path: p("instances"),
            label: "Producer instances",
            values: range(0, 100),
            show: count,
            to_json: int,
            help: "Copies of the producer; total rate = instances × rate. Watch IncomingRecords (Sum) against the write limit; over it, add shards.",
        },
        Knob {
            path: p("records_per_sec"),
            label: "Records/s per instance",
            values: [0.0, 10.0, 50.0, 100.0, 200.0, 250.0, 300.0, 400.0, 500.0, 600.0, 750.0, 1_000.0, 1_500.0, 2_000.0, 3_000.0, 5_000.0].to_vec(),
            show: per_s,
            to_json: real,
            help: "Each shard takes 1,000 records/s. Watch WriteProvisionedThroughputExceeded (Sum); if it stays above 0, add shards.",
        },
        Knob {
            path: p("record_bytes"),
            label: "Record size",
            // Data plus partition key must fit the stream's largest record, 1 MiB unless
            // raised: 1,000,000 bytes leaves room for any key the producer uses. The help
            // names no size, since the stream's largest record is a setting.
            values: [100.0, 256.0, 512.0, 1_024.0, 2_048.0, 5_120.0, 10_240.0, 25_600.0, 102_400.0, 262_144.0, 524_288.0, 1_000_000.0].to_vec(),
            show: bytes,
            to_json: int,
            help: "Each shard also takes 1 MiB/s, so big records hit the byte limit first. Watch IncomingBytes (Sum) against shards × 1 MiB/s. A record and its key must fit in the stream's largest record size.",
        },
        Knob {
            path: p("distinct_keys"),
            label: "Distinct partition keys",
            values: [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 1_000.0, 10_000.0, 100_000.0].to_vec(),
            show: count,
            to_json: int,
            help: "Keys are hashed (MD5) onto shards; one key always lands on one shard. Watch the per-shard strip; with few keys, use more.",
        },
        Knob {
            path: p("key_skew"),
            label: "Key skew",
            values: (0..=30).map(|i| f64::from(i) / 10.0).collect(),
            show: skew,
            to_json: real,
            help: "0 spreads records evenly; higher makes the first key hot. Watch shard-level IncomingRecords (Maximum); fix with more keys, not shards.",
        },
        Knob {
            path: p("retry.max_attempts"),
            label: "Retry attempts",
            values: range(1, 10),
            show: count,
            to_json: int,
            help: "Throttled records are retried with backoff, then dropped. Watch PutRecords.ThrottledRecords (Sum) and the producer drops.",
        },
    ]
}

/// The stream's knobs.
pub fn stream_knobs() -> Vec<Knob> {
    let mut shards: Vec<f64> = range(1, 10);
    shards.extend([
        12.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 64.0, 75.0, 100.0, 128.0, 150.0, 200.0, 250.0,
        300.0, 400.0, 500.0, 750.0, 1_000.0,
    ]);
    vec![
        Knob {
            path: "stream.shards".into(),
            label: "Shards",
            values: shards,
            show: count,
            to_json: int,
            help: "Write and read capacity. Changes go through UpdateShardCount (×2 or ÷2 a step, as many steps a day as the stream allows). Watch the write limit line and IteratorAge.",
        },
        Knob {
            path: "stream.retention_hours".into(),
            label: "Retention",
            values: [
                24.0, 48.0, 72.0, 168.0, 336.0, 720.0, 2_160.0, 4_380.0, 8_760.0,
            ]
            .to_vec(),
            show: hours,
            to_json: int,
            help:
                "Records older than this are deleted. Alarm on GetRecords.IteratorAgeMilliseconds (Maximum) well below it; more retention only buys time.",
        },
    ]
}

/// The account's knobs (Lambda concurrency shared by every function).
pub fn account_knobs() -> Vec<Knob> {
    vec![Knob {
        path: "account.lambda_concurrency".into(),
        label: "Lambda concurrency (account)",
        values: [
            100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0, 20_000.0, 50_000.0,
            100_000.0,
        ]
        .to_vec(),
        show: count,
        to_json: int,
        help: "Executions all functions in the Region may run at once: 1,000 unless a quota increase raised it. Reservations come out of it and must leave 100 for the rest. Watch Throttles (Sum) and ConcurrentExecutions (Maximum).",
    }]
}

/// The knobs of a Lambda consumer called `name`.
pub fn lambda_knobs(name: &str) -> Vec<Knob> {
    let c = |f: &str| format!("consumers.{name}.{f}");
    vec![
        Knob {
            path: c("batch_size"),
            label: "Batch size",
            values: [
                1.0, 10.0, 50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0,
            ]
            .to_vec(),
            show: count,
            to_json: int,
            help: "Records per invocation (at most 6 MB). Larger batches spread the per-call overhead; watch the function's IteratorAge (Maximum).",
        },
        Knob {
            path: c("parallelization_factor"),
            label: "Parallelization factor",
            values: range(1, 10),
            show: count,
            to_json: int,
            help: "Concurrent batches per shard; concurrency can reach shards × this. Watch ConcurrentExecutions (Maximum) when a function falls behind.",
        },
        Knob {
            path: c("ms_per_record"),
            label: "Time per record",
            values: [
                0.0, 0.1, 0.2, 0.5, 1.0, 2.0, 3.8, 5.0, 10.0, 20.0, 50.0, 100.0,
            ]
            .to_vec(),
            show: ms,
            to_json: real,
            help: "Processing time per record. Slower functions fall behind: watch IteratorAge (Maximum); speed up or raise the parallelization factor.",
        },
        Knob {
            path: c("reserved_concurrency"),
            label: "Reserved concurrency",
            // Reservations must leave 100 of the account's default 1,000 unreserved.
            values: [
                0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 900.0,
            ]
            .to_vec(),
            show: unreserved,
            to_json: optional,
            help: "Sets executions aside for this function and caps it there; starts beyond it are Throttles (Sum). Raise it if Throttles and IteratorAge grow together.",
        },
        Knob {
            path: c("timeout_s"),
            label: "Function timeout",
            values: [
                1.0, 3.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0,
            ]
            .to_vec(),
            show: seconds,
            to_json: int,
            help: "How long one invocation may run (3 s for a new function, 15 min at most). A batch that needs longer is cut off, counts as an error and is retried whole. Watch Errors (Sum) and IteratorAge (Maximum); raise the timeout or lower the batch size.",
        },
        Knob {
            path: c("error_rate"),
            label: "Error rate",
            values: (0..=20).map(|i| f64::from(i) * 0.05).collect(),
            show: percent,
            to_json: real,
            help: "Failed batches are retried whole and block their shard. Watch Errors (Sum) and IteratorAge; limit retries or bisect to move on.",
        },
        Knob {
            path: c("poison_rate"),
            label: "Poison records",
            values: [0.0, 0.0001, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5].to_vec(),
            show: fine_percent,
            to_json: real,
            help: "Share of records the function fails on every time. One in a batch fails the whole batch on every retry, so by default its shard stalls until the record expires. Watch Errors (Sum) and IteratorAge (Maximum); bisect failed batches, cap the retries and send what is given up to an on-failure destination.",
        },
        Knob {
            path: c("max_retry_attempts"),
            label: "Batch retries",
            values: [-1.0, 0.0, 1.0, 2.0, 3.0, 5.0, 10.0, 100.0, 1_000.0, 10_000.0].to_vec(),
            show: retries,
            to_json: signed,
            help: "How often Lambda retries a failed batch before giving up on its records (counted as skipped); unlimited, the default, means until they expire. Watch IteratorAge (Maximum) and the skipped records.",
        },
    ]
}

/// The knobs of a KCL (ECS) consumer called `name`.
pub fn kcl_knobs(name: &str) -> Vec<Knob> {
    let c = |f: &str| format!("consumers.{name}.{f}");
    vec![
        Knob {
            path: c("tasks"),
            label: "ECS tasks",
            values: range(0, 50),
            show: count,
            to_json: int,
            help: "Workers; one processor per shard, so tasks beyond the shard count sit idle. Watch the ECS IteratorAge (Maximum) after resharding.",
        },
        Knob {
            path: c("records_per_sec_per_task"),
            label: "Records/s per task",
            values: [
                50.0, 100.0, 200.0, 300.0, 500.0, 750.0, 1_000.0, 1_500.0, 2_000.0, 5_000.0,
                10_000.0,
            ]
            .to_vec(),
            show: per_s,
            to_json: real,
            help: "A task's capacity, shared by the shards it leases. If the ECS IteratorAge (Maximum) grows, add tasks or enable autoscaling.",
        },
        Knob {
            path: c("max_leases_per_worker"),
            label: "Max leases per worker",
            values: [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 10.0, 20.0].to_vec(),
            show: unlimited,
            to_json: optional,
            help: "With a cap, shards beyond tasks × cap have no reader: their IteratorAge grows until records expire. Add tasks or raise it.",
        },
        Knob {
            path: c("poll_interval_ms"),
            label: "Poll interval",
            values: [200.0, 500.0, 1_000.0, 1_500.0, 2_000.0, 5_000.0].to_vec(),
            show: millis,
            to_json: int,
            help: "Pause between GetRecords calls on each shard (idleTimeBetweenReadsInMillis); 1,500 ms is the default in KCL 2.x and 3.x. Shorter pauses cut delay but use more of the 5 calls/s per shard that standard consumers share: watch ReadProvisionedThroughputExceeded. Enhanced fan-out consumers do not poll, so it has no effect on them.",
        },
    ]
}

/// Every slider the full page builds for `config`: producer, stream and account knobs,
/// then each consumer's.
pub fn every_knob(config: &Config) -> Vec<Knob> {
    let mut knobs = producer_knobs();
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
