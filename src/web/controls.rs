//! The controls: every knob is a stepped slider over a table of values, bound to a
//! dotted config path. Changing one edits the running simulation's config.

use serde_json::{json, Value};

use crate::format::{duration_ms, thousands};

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

impl Knob {
    /// The knob's value in `config` (0 where the setting is unset, e.g. unreserved).
    pub fn current(&self, config: &crate::model::Config) -> f64 {
        crate::model::path::get_path(config, &self.path)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
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
}

fn int(v: f64) -> Value {
    json!(v.round() as u64)
}

fn real(v: f64) -> Value {
    json!(v)
}

/// 0 means "none" (unreserved / unlimited).
fn optional(v: f64) -> Value {
    if v <= 0.0 {
        Value::Null
    } else {
        json!(v.round() as u64)
    }
}

fn range(lo: u32, hi: u32) -> Vec<f64> {
    (lo..=hi).map(f64::from).collect()
}

fn count(v: f64) -> String {
    thousands(v.round() as u64)
}

fn per_s(v: f64) -> String {
    format!("{} records/s", thousands(v.round() as u64))
}

fn bytes(v: f64) -> String {
    let b = v.round() as u64;
    if b >= 1_048_576 {
        format!("{} MiB", b / 1_048_576)
    } else if b >= 1_024 {
        format!("{} KiB", b / 1_024)
    } else {
        format!("{b} B")
    }
}

fn hours(v: f64) -> String {
    let h = v.round() as u64;
    if h == 24 {
        "1 day (24 h)".into()
    } else if h.is_multiple_of(24) {
        format!("{} days ({h} h)", h / 24)
    } else {
        format!("{h} h")
    }
}

fn ms(v: f64) -> String {
    if v < 1.0 {
        format!("{v} ms")
    } else {
        duration_ms(v)
    }
}

fn percent(v: f64) -> String {
    format!("{:.0} %", v * 100.0)
}

fn skew(v: f64) -> String {
    if v == 0.0 {
        "uniform".into()
    } else {
        format!("Zipf {v:.1}")
    }
}

fn unreserved(v: f64) -> String {
    if v <= 0.0 {
        "unreserved".into()
    } else {
        count(v)
    }
}

fn unlimited(v: f64) -> String {
    if v <= 0.0 {
        "unlimited".into()
    } else {
        count(v)
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
            values: [100.0, 256.0, 512.0, 1_024.0, 2_048.0, 5_120.0, 10_240.0, 25_600.0, 102_400.0, 1_048_576.0].to_vec(),
            show: bytes,
            to_json: int,
            help: "Each shard also takes 1 MiB/s, so big records hit the byte limit first. Watch IncomingBytes (Sum) against shards × 1 MiB/s.",
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
            help: "Write and read capacity. Changes go through UpdateShardCount (×2 or ÷2 a step, 10 a day). Watch the write limit line and IteratorAge.",
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
            values: [
                0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1_000.0,
            ]
            .to_vec(),
            show: unreserved,
            to_json: optional,
            help: "Caps concurrent executions; starts beyond it are Throttles (Sum). Raise it if Throttles and IteratorAge grow together.",
        },
        Knob {
            path: c("error_rate"),
            label: "Error rate",
            values: (0..=20).map(|i| f64::from(i) * 0.05).collect(),
            show: percent,
            to_json: real,
            help: "Failed batches are retried whole and block their shard. Watch Errors (Sum) and IteratorAge; limit retries or bisect to move on.",
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
    ]
}
