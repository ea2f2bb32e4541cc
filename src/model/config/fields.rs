//! One table of every numeric setting: where it lives, what it measures, the values it
//! may take and what it is when left out.
//!
//! Validation checks each field's range from this table, the page's sliders step
//! through its `steps`, and the command line's `fields` listing and `docs/config.md`
//! are written from it.

#[cfg(not(target_arch = "wasm32"))]
mod doc;

#[cfg(not(target_arch = "wasm32"))]
pub use doc::{listing, markdown};

/// What a setting measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A plain count (shards, tasks, keys, attempts).
    Count,
    /// Records per second.
    RecordsPerSecond,
    /// Bytes.
    Bytes,
    /// Kibibytes (1,024 bytes).
    KiB,
    /// Megabytes of Lambda memory.
    Megabytes,
    /// Gigabytes of task memory.
    Gigabytes,
    /// Virtual CPUs.
    Vcpu,
    /// Hours.
    Hours,
    /// An hour of the day, 0 to 24.
    HourOfDay,
    /// Seconds.
    Seconds,
    /// Milliseconds.
    Millis,
    /// A share between 0 and 1.
    Fraction,
    /// A Zipf exponent.
    Exponent,
    /// A multiplier of a rate.
    Multiplier,
    /// Mebibytes per second.
    MibPerSecond,
    /// A seed for random draws.
    Seed,
}

impl Unit {
    /// The unit as written after a number in help and docs ("" for plain counts).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Count | Unit::Seed => "",
            Unit::RecordsPerSecond => "records/s",
            Unit::Bytes => "B",
            Unit::KiB => "KiB",
            Unit::Megabytes => "MB",
            Unit::Gigabytes => "GB",
            Unit::Vcpu => "vCPU",
            Unit::Hours => "h",
            Unit::HourOfDay => "hour of day",
            Unit::Seconds => "s",
            Unit::Millis => "ms",
            Unit::Fraction => "fraction",
            Unit::Exponent => "exponent",
            Unit::Multiplier => "×",
            Unit::MibPerSecond => "MiB/s",
        }
    }
}

/// The values a setting takes besides its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number in `min..=max`.
    Int,
    /// A finite number in `min..=max`.
    Real,
    /// A finite number in `min..max` (the upper end excluded).
    RealBelow,
    /// A whole number in `min..=max`, or null (none: unreserved, unlimited).
    IntOrNull,
    /// A whole number in `min..=max`, or −1 (never, forever).
    IntOrNever,
}

/// Where in the config a setting sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The top level (`seed`, `tick_s`).
    Run,
    /// `stream.`
    Stream,
    /// `account.`
    Account,
    /// Each entry of `producers`, addressed by name.
    Producer,
    /// Each Lambda entry of `consumers`, addressed by name.
    Lambda,
    /// Each KCL entry of `consumers`, addressed by name.
    Kcl,
}

impl Section {
    /// The dotted prefix of the section's paths, `*` standing for an entry's name.
    pub fn prefix(self) -> &'static str {
        match self {
            Section::Run => "",
            Section::Stream => "stream.",
            Section::Account => "account.",
            Section::Producer => "producers.*.",
            Section::Lambda | Section::Kcl => "consumers.*.",
        }
    }

    /// A heading for listings.
    pub fn title(self) -> &'static str {
        match self {
            Section::Run => "Run",
            Section::Stream => "Stream",
            Section::Account => "Account",
            Section::Producer => "Producers",
            Section::Lambda => "Lambda consumers",
            Section::Kcl => "KCL consumers",
        }
    }
}

/// The positions a slider over the setting steps through.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Steps {
    /// The setting has no slider.
    None,
    /// Every whole number from `from` to `to`.
    Each {
        /// First value.
        from: i32,
        /// Last value.
        to: i32,
    },
    /// `i / per` for every whole `i` from 0 to `to`: fine grids of fractions.
    Grid {
        /// Last `i`.
        to: i32,
        /// Divisor.
        per: f64,
    },
    /// Exactly these values, in order.
    List(&'static [f64]),
    /// Every whole number from `from` to `to`, then these values.
    EachThen {
        /// First value.
        from: i32,
        /// Last whole value.
        to: i32,
        /// The values after it.
        then: &'static [f64],
    },
}

impl Steps {
    /// The slider's values, in order (empty without a slider).
    pub fn values(self) -> Vec<f64> {
        let each = |from: i32, to: i32| (from..=to).map(f64::from).collect::<Vec<f64>>();
        match self {
            Steps::None => Vec::new(),
            Steps::Each { from, to } => each(from, to),
            Steps::Grid { to, per } => (0..=to).map(|i| f64::from(i) / per).collect(),
            Steps::List(values) => values.to_vec(),
            Steps::EachThen { from, to, then } => {
                let mut values = each(from, to);
                values.extend_from_slice(then);
                values
            }
        }
    }
}

/// One setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// Path inside its section, e.g. `shards` or `retry.max_attempts`.
    pub name: &'static str,
    /// The section it belongs to.
    pub section: Section,
    /// Whole number, real, or with a null / −1 sentinel.
    pub kind: Kind,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value (excluded for [`Kind::RealBelow`]).
    pub max: f64,
    /// The value when left out; `None` when it is null.
    pub default: Option<f64>,
    /// What it measures.
    pub unit: Unit,
    /// One line: what the setting does, for the command line's help and docs (left out
    /// of the page's module, which never shows it).
    #[cfg(not(target_arch = "wasm32"))]
    pub about: &'static str,
    /// The page's slider positions.
    pub steps: Steps,
}

impl Field {
    /// The full dotted path with `*` for an entry's name, e.g. `producers.*.instances`.
    pub fn pattern(&self) -> String {
        format!("{}{}", self.section.prefix(), self.name)
    }

    /// The allowed values in words, e.g. `1..=10,000`, `−1 or 0..=10,000`.
    pub fn range_text(&self) -> String {
        let lo = number(self.min);
        let hi = number(self.max);
        match self.kind {
            Kind::Int | Kind::Real => format!("{lo}..={hi}"),
            Kind::RealBelow => format!("{lo}..{hi}"),
            Kind::IntOrNull => format!("{lo}..={hi} or null"),
            Kind::IntOrNever => format!("-1 or {lo}..={hi}"),
        }
    }

    /// The JSON a slider at `value` writes: whole numbers stay whole, and for a field
    /// that may be null, 0 or less means null (unreserved, unlimited).
    pub fn json(&self, value: f64) -> serde_json::Value {
        use serde_json::json;
        match self.kind {
            Kind::Real | Kind::RealBelow => json!(value),
            Kind::IntOrNull if value <= 0.0 => serde_json::Value::Null,
            Kind::IntOrNever => json!(value.round() as i64),
            Kind::Int | Kind::IntOrNull => json!(value.round() as u64),
        }
    }

    /// The default in words (`null` when none).
    pub fn default_text(&self) -> String {
        self.default.map_or_else(|| "null".into(), number)
    }
}

/// A bound or default as written in help, docs and messages: whole numbers with
/// thousands separators (`10,000`), others as they are (`0.25`).
pub(crate) fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1.9e19 {
        let digits = crate::format::thousands(value.abs() as u64);
        if value < 0.0 {
            format!("-{digits}")
        } else {
            digits
        }
    } else {
        value.to_string()
    }
}

/// The field `name` (e.g. `retry.max_attempts`) of `section`.
pub fn field(section: Section, name: &str) -> Option<&'static Field> {
    FIELDS
        .iter()
        .find(|f| f.section == section && f.name == name)
}

/// The field a concrete dotted path names (`producers.web.instances`,
/// `consumers.0.batch_size`): entries' names are matched by position, so the section of
/// a consumer field is found by the field's name.
pub fn for_path(path: &str) -> Option<&'static Field> {
    let parts: Vec<&str> = path.split('.').collect();
    let (sections, rest): (&[Section], String) = match parts.first() {
        Some(&"stream") => (&[Section::Stream], parts[1..].join(".")),
        Some(&"account") => (&[Section::Account], parts[1..].join(".")),
        Some(&"producers") if parts.len() > 2 => (&[Section::Producer], parts[2..].join(".")),
        Some(&"consumers") if parts.len() > 2 => {
            (&[Section::Lambda, Section::Kcl], parts[2..].join("."))
        }
        _ => (&[Section::Run], path.to_string()),
    };
    sections.iter().find_map(|s| field(*s, &rest))
}

#[cfg_attr(target_arch = "wasm32", allow(unused_variables))]
const fn f(
    section: Section,
    name: &'static str,
    (kind, min, max): (Kind, f64, f64),
    default: Option<f64>,
    unit: Unit,
    about: &'static str,
    steps: Steps,
) -> Field {
    Field {
        name,
        section,
        kind,
        min,
        max,
        default,
        unit,
        #[cfg(not(target_arch = "wasm32"))]
        about,
        steps,
    }
}

use Kind::{Int, IntOrNever, IntOrNull, Real, RealBelow};
use Section::{Account, Kcl, Lambda, Producer, Run, Stream};
use Steps::{Each, EachThen, Grid, List, None as NoSlider};

/// Every numeric setting, in the order validation checks them.
#[rustfmt::skip]
pub const FIELDS: &[Field] = &[
    f(Run, "seed", (Int, 0.0, u64::MAX as f64), Some(1.0), Unit::Seed,
      "Seed of every random draw (errors, poison records, reading order): same seed, same run.",
      NoSlider),
    f(Run, "tick_s", (Int, 1.0, 10.0), Some(1.0), Unit::Seconds,
      "Simulated seconds per tick; must divide a minute (1, 2, 3, 4, 5, 6 or 10).",
      NoSlider),
    f(Stream, "shards", (Int, 1.0, 10_000.0), Some(2.0), Unit::Count,
      "Open shards; a change goes through UpdateShardCount's rules.",
      EachThen { from: 1, to: 10, then: &[12.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 64.0, 75.0, 100.0, 128.0, 150.0, 200.0, 250.0, 300.0, 400.0, 500.0, 750.0, 1_000.0] }),
    f(Stream, "retention_hours", (Int, 24.0, 8_760.0), Some(24.0), Unit::Hours,
      "How long records stay readable.",
      List(&[24.0, 48.0, 72.0, 168.0, 336.0, 720.0, 2_160.0, 4_380.0, 8_760.0])),
    f(Stream, "reshard_step_s", (Int, 1.0, 3_600.0), Some(120.0), Unit::Seconds,
      "Simulated seconds one UpdateShardCount step takes.",
      NoSlider),
    f(Stream, "max_reshards_per_day", (Int, 1.0, 100.0), Some(10.0), Unit::Count,
      "UpdateShardCount calls allowed per rolling 24 hours.",
      NoSlider),
    f(Stream, "max_record_size_kib", (Int, 1_024.0, 10_240.0), Some(1_024.0), Unit::KiB,
      "Largest record (data plus partition key) the stream takes.",
      NoSlider),
    f(Stream, "warm_throughput_mibps", (Int, 0.0, 10_240.0), Some(0.0), Unit::MibPerSecond,
      "On-demand Advantage: write throughput kept ready (0 = none); reached in a few minutes.",
      List(&[0.0, 4.0, 8.0, 16.0, 25.0, 50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_240.0])),
    f(Account, "lambda_concurrency", (Int, 100.0, 100_000.0), Some(1_000.0), Unit::Count,
      "Concurrent Lambda executions in the Region, shared by every function.",
      List(&[100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0, 20_000.0, 50_000.0, 100_000.0])),
    f(Producer, "instances", (Int, 0.0, 10_000.0), Some(1.0), Unit::Count,
      "Identical instances of the producer.",
      Each { from: 0, to: 100 }),
    f(Producer, "records_per_sec", (Real, 0.0, 1e6), Some(100.0), Unit::RecordsPerSecond,
      "Records each instance offers per second at full rate.",
      List(&[0.0, 10.0, 50.0, 100.0, 200.0, 250.0, 300.0, 400.0, 500.0, 600.0, 750.0, 1_000.0, 1_500.0, 2_000.0, 3_000.0, 5_000.0])),
    f(Producer, "record_bytes", (Int, 1.0, 10_485_760.0), Some(1_024.0), Unit::Bytes,
      "Data bytes per record; with the longest key it must fit the stream's largest record.",
      List(&[100.0, 256.0, 512.0, 1_024.0, 2_048.0, 5_120.0, 10_240.0, 25_600.0, 102_400.0, 262_144.0, 524_288.0, 1_000_000.0])),
    f(Producer, "distinct_keys", (Int, 1.0, 1_000_000.0), Some(1_000.0), Unit::Count,
      "Distinct partition keys, named \"{name}-{i}\".",
      List(&[1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 1_000.0, 10_000.0, 100_000.0])),
    f(Producer, "key_skew", (Real, 0.0, 4.0), Some(0.0), Unit::Exponent,
      "Zipf exponent of key popularity (0 spreads keys evenly).",
      Grid { to: 30, per: 10.0 }),
    f(Producer, "buffer_records", (Int, 0.0, 100_000_000.0), Some(100_000.0), Unit::Count,
      "Records each instance can hold for a retry; beyond it throttled records are dropped.",
      NoSlider),
    f(Producer, "aggregation_max_bytes", (Int, 64.0, 1_048_576.0), Some(51_200.0), Unit::Bytes,
      "With aggregation: largest Kinesis record the aggregator makes (KPL AggregationMaxSize).",
      List(&[1_024.0, 5_120.0, 10_240.0, 25_600.0, 51_200.0, 102_400.0, 262_144.0, 524_288.0, 1_048_576.0])),
    f(Producer, "record_max_buffered_time_ms", (Int, 1.0, 60_000.0), Some(100.0), Unit::Millis,
      "With aggregation: longest a user record waits to be packed (KPL RecordMaxBufferedTime).",
      List(&[1.0, 10.0, 50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0, 60_000.0])),
    f(Producer, "retry.max_attempts", (Int, 1.0, 100.0), Some(3.0), Unit::Count,
      "Attempts per record, the first included (3 in the SDKs' standard retry mode).",
      Each { from: 1, to: 10 }),
    f(Producer, "retry.base_delay_ms", (Int, 0.0, 60_000.0), Some(1_000.0), Unit::Millis,
      "Backoff base: retry k waits up to min(cap, base × 2^(k−1)).",
      NoSlider),
    f(Producer, "retry.max_delay_ms", (Int, 0.0, 600_000.0), Some(20_000.0), Unit::Millis,
      "Backoff cap.",
      NoSlider),
    f(Producer, "shape.peak_hour", (RealBelow, 0.0, 24.0), Some(14.0), Unit::HourOfDay,
      "Daily shape: hour of the peak.",
      NoSlider),
    f(Producer, "shape.trough", (Real, 0.0, 1.0), Some(0.3), Unit::Fraction,
      "Daily shape: rate twelve hours from the peak, as a share of the peak.",
      NoSlider),
    f(Producer, "shape.every_s", (Int, 1.0, 604_800.0), Some(3_600.0), Unit::Seconds,
      "Surge shape: seconds between the starts of two bursts.",
      NoSlider),
    f(Producer, "shape.duration_s", (Int, 1.0, 604_800.0), Some(300.0), Unit::Seconds,
      "Surge shape: length of a burst (at most every_s).",
      NoSlider),
    f(Producer, "shape.multiplier", (Real, 0.0, 100.0), Some(3.0), Unit::Multiplier,
      "Surge shape: rate multiplier during a burst.",
      NoSlider),
    f(Producer, "shape.flush_every_s", (Int, 2.0, 300.0), Some(5.0), Unit::Seconds,
      "Batches shape: seconds between flushes; all instances send what they buffered in the same second.",
      NoSlider),
    f(Lambda, "batch_size", (Int, 1.0, 10_000.0), Some(100.0), Unit::Count,
      "Records per batch at most.",
      List(&[1.0, 10.0, 50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0])),
    f(Lambda, "parallelization_factor", (Int, 1.0, 10.0), Some(1.0), Unit::Count,
      "Concurrent batches per shard.",
      Each { from: 1, to: 10 }),
    f(Lambda, "batch_window_s", (Int, 0.0, 300.0), Some(0.0), Unit::Seconds,
      "Seconds to gather records before invoking with a partial batch.",
      NoSlider),
    f(Lambda, "invocation_overhead_ms", (Int, 0.0, 900_000.0), Some(20.0), Unit::Millis,
      "Fixed time per invocation.",
      NoSlider),
    f(Lambda, "ms_per_record", (Real, 0.0, 900_000.0), Some(1.0), Unit::Millis,
      "Processing time per record.",
      List(&[0.0, 0.1, 0.2, 0.5, 1.0, 2.0, 3.8, 5.0, 10.0, 20.0, 50.0, 100.0])),
    f(Lambda, "reserved_concurrency", (IntOrNull, 0.0, 10_000.0), None, Unit::Count,
      "Reserved concurrency, also a cap; null shares the account's unreserved pool.",
      List(&[0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 900.0])),
    f(Lambda, "timeout_s", (Int, 1.0, 900.0), Some(3.0), Unit::Seconds,
      "Function timeout (3 s is a new function's default); a longer invocation stops there and fails.",
      List(&[1.0, 3.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0])),
    f(Lambda, "error_rate", (Real, 0.0, 1.0), Some(0.0), Unit::Fraction,
      "Probability that an invocation fails for a passing reason.",
      Grid { to: 20, per: 20.0 }),
    f(Lambda, "poison_rate", (Real, 0.0, 1.0), Some(0.0), Unit::Fraction,
      "Share of records the function fails on every time.",
      List(&[0.0, 0.0001, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5])),
    f(Lambda, "max_retry_attempts", (IntOrNever, 0.0, 10_000.0), Some(-1.0), Unit::Count,
      "Retries of a failed batch (-1: until the records expire).",
      List(&[-1.0, 0.0, 1.0, 2.0, 3.0, 5.0, 10.0, 100.0, 1_000.0, 10_000.0])),
    f(Lambda, "max_record_age_s", (IntOrNever, 60.0, 604_800.0), Some(-1.0), Unit::Seconds,
      "Records older than this are skipped instead of sent (-1: never).",
      List(&[-1.0, 60.0, 300.0, 900.0, 3_600.0, 21_600.0, 86_400.0, 604_800.0])),
    f(Lambda, "memory_mb", (Int, 128.0, 10_240.0), Some(256.0), Unit::Megabytes,
      "Function memory, for cost.",
      NoSlider),
    f(Kcl, "tasks", (Int, 0.0, 1_000.0), Some(2.0), Unit::Count,
      "Running ECS tasks, one KCL worker each.",
      Each { from: 0, to: 50 }),
    f(Kcl, "records_per_sec_per_task", (Real, 0.0, 1e6), Some(1_000.0), Unit::RecordsPerSecond,
      "Records each task processes per second at most.",
      List(&[50.0, 100.0, 200.0, 300.0, 500.0, 750.0, 1_000.0, 1_500.0, 2_000.0, 5_000.0, 10_000.0])),
    f(Kcl, "max_leases_per_worker", (IntOrNull, 1.0, 10_000.0), None, Unit::Count,
      "Leases one worker may hold (null: unlimited).",
      List(&[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 10.0, 20.0])),
    f(Kcl, "poll_interval_ms", (Int, 200.0, 60_000.0), Some(1_500.0), Unit::Millis,
      "Time between GetRecords calls per shard (idleTimeBetweenReadsInMillis; 1,500 ms in KCL 2.x and 3.x).",
      List(&[200.0, 500.0, 1_000.0, 1_500.0, 2_000.0, 5_000.0])),
    f(Kcl, "max_records_per_call", (Int, 1.0, 10_000.0), Some(10_000.0), Unit::Count,
      "Records one GetRecords call returns at most.",
      NoSlider),
    f(Kcl, "shard_sync_s", (Int, 1.0, 3_600.0), Some(60.0), Unit::Seconds,
      "Time between shard syncs that discover new shards.",
      NoSlider),
    f(Kcl, "task_start_s", (Int, 0.0, 3_600.0), Some(60.0), Unit::Seconds,
      "Time a new task takes to start.",
      NoSlider),
    f(Kcl, "vcpu", (Real, 0.25, 16.0), Some(0.5), Unit::Vcpu,
      "vCPU per task, for cost.",
      NoSlider),
    f(Kcl, "memory_gb", (Real, 0.5, 120.0), Some(1.0), Unit::Gigabytes,
      "Memory per task, for cost.",
      NoSlider),
    f(Kcl, "autoscaling.min_tasks", (Int, 0.0, 1_000.0), Some(1.0), Unit::Count,
      "Autoscaling: fewest tasks.",
      NoSlider),
    f(Kcl, "autoscaling.max_tasks", (Int, 0.0, 1_000.0), Some(10.0), Unit::Count,
      "Autoscaling: most tasks (at least min_tasks).",
      NoSlider),
    f(Kcl, "autoscaling.target_records_per_task", (Real, 1.0, 1e6), Some(800.0), Unit::RecordsPerSecond,
      "Autoscaling: incoming records/s per task to aim for.",
      NoSlider),
    f(Kcl, "autoscaling.cooldown_s", (Int, 0.0, 86_400.0), Some(300.0), Unit::Seconds,
      "Autoscaling: time after a scaling action before the next.",
      NoSlider),
];
