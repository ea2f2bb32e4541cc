//! The one configuration type: JSON in, validated settings out.
//!
//! The same type serves the command line, the page, the URL and the presets. Every
//! field has a documented unit and default; omitted fields take their defaults and
//! unknown fields are an error. [`Config::validate`] names the field path and the
//! allowed range of the first value that is out of bounds.

use serde::{Deserialize, Serialize};

use super::error::ConfigError;

/// Everything the simulation needs: the stream, its producers and consumers, and
/// scripted changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Seed of every random draw (Lambda function errors). Same seed, same run. Default 1.
    pub seed: u64,
    /// Simulated seconds per tick: 1, 2, 3, 4, 5, 6 or 10 (a divisor of a minute, so
    /// per-minute metrics and autoscaling line up). Default 1. Larger ticks run faster
    /// and blur sub-tick detail.
    pub tick_s: u32,
    /// The stream's shards and retention.
    pub stream: StreamConfig,
    /// Limits of the AWS account the consumers run in.
    pub account: AccountConfig,
    /// Applications writing to the stream.
    pub producers: Vec<ProducerConfig>,
    /// Applications reading the stream; each one reads every shard.
    pub consumers: Vec<ConsumerConfig>,
    /// Changes applied at given simulated times.
    pub events: Vec<ScriptedEvent>,
}

/// The stream itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StreamConfig {
    /// Open shards, 1..=10,000. Default 2. A change goes through UpdateShardCount rules.
    pub shards: u32,
    /// How long records stay readable, in hours, 24..=8,760. Default 24.
    pub retention_hours: u32,
    /// Simulated seconds one UpdateShardCount step takes, 1..=3,600. Default 120.
    pub reshard_step_s: u32,
    /// UpdateShardCount calls allowed per rolling 24 h, 1..=100. Default 10 (it was 2 before).
    pub max_reshards_per_day: u32,
    /// Largest record (data plus partition key) the stream takes, in KiB,
    /// 1,024..=10,240 (UpdateMaxRecordSize). Default 1,024.
    pub max_record_size_kib: u32,
}

/// The AWS account's limits that several consumers share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountConfig {
    /// Concurrent Lambda executions in the Region, shared by every function,
    /// 100..=100,000. Default 1,000. Reserved concurrencies come out of it and must
    /// leave 100 unreserved; functions without a reservation share the rest.
    pub lambda_concurrency: u32,
}

/// One producer application: identical instances writing with the same settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProducerConfig {
    /// Unique name; partition keys are `"{name}-{i}"`. Default "producer".
    pub name: String,
    /// Number of instances, 0..=10,000. Default 1.
    pub instances: u32,
    /// Records per second offered by each instance at full rate, 0..=1,000,000. Default 100.
    pub records_per_sec: f64,
    /// Bytes per record (data blob; the key's bytes are added), 1..=10,485,760, and with
    /// the longest key at most the stream's `max_record_size_kib`. Default 1,024.
    pub record_bytes: u32,
    /// Distinct partition keys, 1..=1,000,000. Default 1,000.
    pub distinct_keys: u32,
    /// Zipf exponent of key popularity, 0..=4 (0 = uniform). Default 0.
    pub key_skew: f64,
    /// How the rate varies over time. Default constant.
    pub shape: Shape,
    /// What happens to throttled records.
    pub retry: RetryConfig,
    /// Records each instance can hold waiting for a retry, 0..=100,000,000; beyond it
    /// throttled records are dropped. Default 100,000.
    pub buffer_records: u64,
}

/// Traffic shape: a multiplier on `records_per_sec` over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Shape {
    /// Always the full rate.
    #[default]
    Constant,
    /// A daily cycle: full rate at `peak_hour`, `trough` × the rate twelve hours later.
    Daily {
        /// Hour of day of the peak, 0..24. Default 14.
        #[serde(default = "default_peak_hour")]
        peak_hour: f64,
        /// Rate at the trough as a fraction of the peak, 0..=1. Default 0.3.
        #[serde(default = "default_trough")]
        trough: f64,
    },
    /// Bursts: `multiplier` × the rate for `duration_s` at the start of every `every_s`.
    Surge {
        /// Seconds between the starts of two bursts, 1..=604,800. Default 3,600.
        #[serde(default = "default_surge_every")]
        every_s: u32,
        /// Length of a burst in seconds, 1..=every_s. Default 300.
        #[serde(default = "default_surge_duration")]
        duration_s: u32,
        /// Rate multiplier during a burst, 0..=100. Default 3.
        #[serde(default = "default_surge_multiplier")]
        multiplier: f64,
    },
}

fn default_peak_hour() -> f64 {
    14.0
}
fn default_trough() -> f64 {
    0.3
}
fn default_surge_every() -> u32 {
    3_600
}
fn default_surge_duration() -> u32 {
    300
}
fn default_surge_multiplier() -> f64 {
    3.0
}

/// Producer retry policy for throttled records: exponential backoff with full jitter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetryConfig {
    /// Attempts per record including the first, 1..=100. Default 3 (the SDKs' standard mode).
    pub max_attempts: u32,
    /// Backoff base in milliseconds, 0..=60,000: retry k waits uniformly in
    /// `0..min(max_delay_ms, base_delay_ms × 2^(k−1))`. Default 1,000.
    pub base_delay_ms: u32,
    /// Backoff cap in milliseconds, 0..=600,000. Default 20,000.
    pub max_delay_ms: u32,
}

/// How a consumer receives records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FanOut {
    /// Polling with GetRecords, sharing 5 calls/s and 2 MiB/s per shard with other
    /// standard consumers.
    #[default]
    Shared,
    /// Enhanced fan-out: a dedicated 2 MiB/s per shard pushed to this consumer.
    Enhanced,
}

/// A consumer application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ConsumerConfig {
    /// A Lambda function behind an event source mapping.
    Lambda(LambdaConfig),
    /// ECS tasks running the Kinesis Client Library.
    Kcl(KclConfig),
}

/// A Lambda function reading the stream through an event source mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LambdaConfig {
    /// Unique consumer name. Default "lambda".
    pub name: String,
    /// Shared polling or enhanced fan-out. Default shared.
    pub fan_out: FanOut,
    /// Records per batch at most, 1..=10,000. Default 100.
    pub batch_size: u32,
    /// Concurrent batches per shard, 1..=10. Default 1.
    pub parallelization_factor: u32,
    /// Seconds to gather records before invoking with a partial batch, 0..=300. Default 0.
    pub batch_window_s: u32,
    /// Fixed time per invocation in milliseconds, 0..=900,000. Default 20.
    pub invocation_overhead_ms: u32,
    /// Processing time per record in milliseconds, 0..=900,000. Default 1.
    pub ms_per_record: f64,
    /// Reserved concurrency (also a cap), 0..=10,000; null = unreserved. Default null.
    /// All reservations together must leave 100 of `account.lambda_concurrency`.
    pub reserved_concurrency: Option<u32>,
    /// Function timeout in seconds, 1..=900. Default 3 (a new function's default). An
    /// invocation that would run longer stops at the timeout and counts as a function
    /// error, retried like any other.
    pub timeout_s: u32,
    /// Probability that an invocation fails for a passing reason (transient error),
    /// 0..=1. Default 0.
    pub error_rate: f64,
    /// Fraction of records the function fails on every time they are in a batch
    /// (poison records), 0..=1. Default 0. Bisecting isolates them.
    pub poison_rate: f64,
    /// Retries of a failed batch, −1 (forever) or 0..=10,000. Default −1.
    pub max_retry_attempts: i64,
    /// Records older than this are skipped instead of retried, −1 (never) or
    /// 60..=604,800 seconds. Default −1.
    pub max_record_age_s: i64,
    /// Split a failed batch in two before retrying. Default false.
    pub bisect_on_error: bool,
    /// Function memory in MB (for cost), 128..=10,240. Default 256.
    pub memory_mb: u32,
}

/// ECS tasks, each a KCL worker, reading the stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KclConfig {
    /// Unique consumer name. Default "ecs".
    pub name: String,
    /// Shared polling or enhanced fan-out. Default shared.
    pub fan_out: FanOut,
    /// Running tasks (workers), 0..=1,000. Default 2.
    pub tasks: u32,
    /// Records each task processes per second at most, 0..=1,000,000. Default 1,000.
    pub records_per_sec_per_task: f64,
    /// Leases one worker may hold, 1..=10,000; null = unlimited. Default null.
    pub max_leases_per_worker: Option<u32>,
    /// Milliseconds between GetRecords calls per shard (`idleTimeBetweenReadsInMillis`),
    /// 200..=60,000. Default 1,500 (KCL 2.x and 3.x). Enhanced fan-out does not poll.
    pub poll_interval_ms: u32,
    /// Records one GetRecords call returns at most, 1..=10,000. Default 10,000.
    pub max_records_per_call: u32,
    /// Seconds between shard syncs that discover new shards, 1..=3,600. Default 60.
    pub shard_sync_s: u32,
    /// Seconds a new task takes to start, 0..=3,600. Default 60.
    pub task_start_s: u32,
    /// Target-tracking autoscaling of the task count. Default off.
    pub autoscaling: AutoscalingConfig,
    /// vCPU per task (for cost), 0.25..=16. Default 0.5.
    pub vcpu: f64,
    /// Memory per task in GB (for cost), 0.5..=120. Default 1.
    pub memory_gb: f64,
}

/// Target tracking on records per task per second.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AutoscalingConfig {
    /// Whether the task count follows the load. Default false.
    pub enabled: bool,
    /// Fewest tasks, 0..=1,000. Default 1.
    pub min_tasks: u32,
    /// Most tasks, min_tasks..=1,000. Default 10.
    pub max_tasks: u32,
    /// Incoming records/s per task to aim for, 1..=1,000,000. Default 800.
    pub target_records_per_task: f64,
    /// Seconds after a scaling action before the next one, 0..=86,400. Default 300.
    pub cooldown_s: u32,
}

/// A change applied at a simulated time, e.g. `{"at_s": 3600, "set": {"stream.shards": 10}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedEvent {
    /// Simulated second at which the change applies.
    pub at_s: u64,
    /// Dotted paths to new values; consumers and producers are named by their `name`.
    pub set: serde_json::Map<String, serde_json::Value>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 1,
            tick_s: 1,
            stream: StreamConfig::default(),
            account: AccountConfig::default(),
            producers: vec![ProducerConfig {
                instances: 4,
                records_per_sec: 250.0,
                ..ProducerConfig::default()
            }],
            consumers: vec![ConsumerConfig::Lambda(LambdaConfig::default())],
            events: Vec::new(),
        }
    }
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            shards: 2,
            retention_hours: 24,
            reshard_step_s: 120,
            max_reshards_per_day: 10,
            max_record_size_kib: 1_024,
        }
    }
}

impl Default for AccountConfig {
    fn default() -> Self {
        AccountConfig {
            lambda_concurrency: 1_000,
        }
    }
}

impl Default for ProducerConfig {
    fn default() -> Self {
        ProducerConfig {
            name: "producer".into(),
            instances: 1,
            records_per_sec: 100.0,
            record_bytes: 1_024,
            distinct_keys: 1_000,
            key_skew: 0.0,
            shape: Shape::Constant,
            retry: RetryConfig::default(),
            buffer_records: 100_000,
        }
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay_ms: 1_000,
            max_delay_ms: 20_000,
        }
    }
}

impl Default for LambdaConfig {
    fn default() -> Self {
        LambdaConfig {
            name: "lambda".into(),
            fan_out: FanOut::Shared,
            batch_size: 100,
            parallelization_factor: 1,
            batch_window_s: 0,
            invocation_overhead_ms: 20,
            ms_per_record: 1.0,
            reserved_concurrency: None,
            timeout_s: 3,
            error_rate: 0.0,
            poison_rate: 0.0,
            max_retry_attempts: -1,
            max_record_age_s: -1,
            bisect_on_error: false,
            memory_mb: 256,
        }
    }
}

impl Default for KclConfig {
    fn default() -> Self {
        KclConfig {
            name: "ecs".into(),
            fan_out: FanOut::Shared,
            tasks: 2,
            records_per_sec_per_task: 1_000.0,
            max_leases_per_worker: None,
            poll_interval_ms: 1_500,
            max_records_per_call: 10_000,
            shard_sync_s: 60,
            task_start_s: 60,
            autoscaling: AutoscalingConfig::default(),
            vcpu: 0.5,
            memory_gb: 1.0,
        }
    }
}

impl Default for AutoscalingConfig {
    fn default() -> Self {
        AutoscalingConfig {
            enabled: false,
            min_tasks: 1,
            max_tasks: 10,
            target_records_per_task: 800.0,
            cooldown_s: 300,
        }
    }
}

impl ConsumerConfig {
    /// The consumer's unique name.
    pub fn name(&self) -> &str {
        match self {
            ConsumerConfig::Lambda(c) => &c.name,
            ConsumerConfig::Kcl(c) => &c.name,
        }
    }

    /// `"lambda"` or `"kcl"`.
    pub fn kind(&self) -> &'static str {
        match self {
            ConsumerConfig::Lambda(_) => "lambda",
            ConsumerConfig::Kcl(_) => "kcl",
        }
    }

    /// Shared polling or enhanced fan-out.
    pub fn fan_out(&self) -> FanOut {
        match self {
            ConsumerConfig::Lambda(c) => c.fan_out,
            ConsumerConfig::Kcl(c) => c.fan_out,
        }
    }
}

/// Concurrent executions every Lambda function must leave unreserved in the account.
pub const UNRESERVED_MIN: u32 = 100;
/// Enhanced fan-out consumers one stream may register.
pub const MAX_EFO_CONSUMERS: usize = 20;

impl Config {
    /// Concurrent executions Lambda function `l` may run at all: its reserved
    /// concurrency, else what the reservations of all functions leave of the account.
    pub fn lambda_execution_limit(&self, l: &LambdaConfig) -> u32 {
        l.reserved_concurrency
            .unwrap_or_else(|| self.unreserved_concurrency())
    }

    /// The account's concurrency that no function has reserved (shared by the others).
    pub fn unreserved_concurrency(&self) -> u32 {
        self.account
            .lambda_concurrency
            .saturating_sub(self.reserved_concurrency())
    }

    /// Sum of every Lambda function's reserved concurrency.
    fn reserved_concurrency(&self) -> u32 {
        self.consumers
            .iter()
            .filter_map(|c| match c {
                ConsumerConfig::Lambda(l) => l.reserved_concurrency,
                ConsumerConfig::Kcl(_) => None,
            })
            .fold(0, u32::saturating_add)
    }

    /// Most concurrent executions of function `l` on a stream of `shards` open shards:
    /// shards × parallelization factor, within [`Config::lambda_execution_limit`]
    /// (unreserved functions may also find the shared pool used by others).
    pub fn lambda_concurrency_cap(&self, l: &LambdaConfig, shards: u32) -> u32 {
        (shards * l.parallelization_factor).min(self.lambda_execution_limit(l))
    }

    /// Parses JSON into a validated config. The text is one JSON object (a leading UTF-8
    /// byte-order mark is skipped); every setting that is an object in the config is an
    /// object in the text too (serde alone would also take an array of the fields in order).
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ConfigError::parse(e.to_string()))?;
        if !value.is_object() {
            return Err(ConfigError::parse(format!(
                "a config is a JSON object ({{...}}), not {}",
                json_kind(&value)
            )));
        }
        // Parsed again as the config type, so a mistyped field's message has its line.
        let config: Config =
            serde_json::from_str(text).map_err(|e| ConfigError::parse(e.to_string()))?;
        check_objects(&value, &config)?;
        config.validate()?;
        Ok(config)
    }

    /// The config as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every field and every scripted event; the error names the first bad one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_fields()?;
        for (i, e) in self.events.iter().enumerate() {
            Validator.int(&format!("events[{i}].at_s"), e.at_s, 0, 10 * 365 * 86_400)?;
            for path in e.set.keys() {
                let field = path.split('.').next().unwrap_or_default();
                if FIXED_FOR_A_RUN.contains(&field) {
                    return Err(ConfigError::new(
                        &format!("events[{i}].set.{path}"),
                        "cannot change during a run".into(),
                    ));
                }
            }
        }
        self.replay_events(|_, _| {})
    }

    /// Replays the scripted events in the order a run meets them (by `at_s`, ties in
    /// list order), each on top of the ones before, and calls `visit` with each event and
    /// the settings it leaves (their `events` list is empty). The first event that cannot
    /// apply is the error, under `events[i].set`. Each event costs the same whatever the
    /// number of events: the replayed settings never carry the list.
    pub fn replay_events(
        &self,
        mut visit: impl FnMut(&ScriptedEvent, &Config),
    ) -> Result<(), ConfigError> {
        let mut order: Vec<usize> = (0..self.events.len()).collect();
        order.sort_by_key(|&i| self.events[i].at_s);
        let mut state = self.clone();
        state.events.clear();
        for i in order {
            let event = &self.events[i];
            let edits = event.set.iter().map(|(p, v)| (p.as_str(), v));
            state = super::path::set_paths(&state, edits)
                .map_err(|err| err.under(&format!("events[{i}].set")))?;
            visit(event, &state);
        }
        Ok(())
    }

    /// Checks every field against its allowed range, leaving scripted events aside.
    pub fn validate_fields(&self) -> Result<(), ConfigError> {
        let v = Validator;
        v.int("seed", self.seed, 0, u64::MAX)?;
        v.int("tick_s", self.tick_s.into(), 1, 10)?;
        if !60u32.is_multiple_of(self.tick_s) {
            let message = format!(
                "{} does not divide a minute (use 1, 2, 3, 4, 5, 6 or 10)",
                self.tick_s
            );
            return Err(ConfigError::new("tick_s", message));
        }
        let s = &self.stream;
        v.int("stream.shards", s.shards.into(), 1, 10_000)?;
        v.int(
            "stream.retention_hours",
            s.retention_hours.into(),
            24,
            8_760,
        )?;
        v.int("stream.reshard_step_s", s.reshard_step_s.into(), 1, 3_600)?;
        v.int(
            "stream.max_reshards_per_day",
            s.max_reshards_per_day.into(),
            1,
            100,
        )?;
        v.int(
            "stream.max_record_size_kib",
            s.max_record_size_kib.into(),
            1_024,
            10_240,
        )?;
        let pool = self.account.lambda_concurrency;
        v.int("account.lambda_concurrency", pool.into(), 100, 100_000)?;
        unique_names("producers", self.producers.iter().map(|p| p.name.as_str()))?;
        for p in &self.producers {
            let at = |field: &str| format!("producers.{}.{field}", p.name);
            v.int(&at("instances"), p.instances.into(), 0, 10_000)?;
            v.real(&at("records_per_sec"), p.records_per_sec, 0.0, 1e6)?;
            v.int(&at("record_bytes"), p.record_bytes.into(), 1, 10_485_760)?;
            let largest = u64::from(p.record_bytes) + longest_key_bytes(p);
            let max_record = u64::from(s.max_record_size_kib) * 1_024;
            if largest > max_record {
                return Err(ConfigError::new(
                    &at("record_bytes"),
                    format!(
                        "{} bytes plus a key of up to {} bytes exceed the stream's largest record, \
                         {} KiB (stream.max_record_size_kib)",
                        p.record_bytes,
                        longest_key_bytes(p),
                        s.max_record_size_kib
                    ),
                ));
            }
            v.int(&at("distinct_keys"), p.distinct_keys.into(), 1, 1_000_000)?;
            v.real(&at("key_skew"), p.key_skew, 0.0, 4.0)?;
            v.int(&at("buffer_records"), p.buffer_records, 0, 100_000_000)?;
            v.int(
                &at("retry.max_attempts"),
                p.retry.max_attempts.into(),
                1,
                100,
            )?;
            v.int(
                &at("retry.base_delay_ms"),
                p.retry.base_delay_ms.into(),
                0,
                60_000,
            )?;
            v.int(
                &at("retry.max_delay_ms"),
                p.retry.max_delay_ms.into(),
                0,
                600_000,
            )?;
            match &p.shape {
                Shape::Constant => {}
                Shape::Daily { peak_hour, trough } => {
                    v.real_below(&at("shape.peak_hour"), *peak_hour, 0.0, 24.0)?;
                    v.real(&at("shape.trough"), *trough, 0.0, 1.0)?;
                }
                Shape::Surge {
                    every_s,
                    duration_s,
                    multiplier,
                } => {
                    v.int(&at("shape.every_s"), (*every_s).into(), 1, 604_800)?;
                    v.int(
                        &at("shape.duration_s"),
                        (*duration_s).into(),
                        1,
                        (*every_s).into(),
                    )?;
                    v.real(&at("shape.multiplier"), *multiplier, 0.0, 100.0)?;
                }
            }
        }
        unique_names("consumers", self.consumers.iter().map(ConsumerConfig::name))?;
        let efo = self
            .consumers
            .iter()
            .filter(|c| c.fan_out() == FanOut::Enhanced)
            .count();
        if efo > MAX_EFO_CONSUMERS {
            return Err(ConfigError::new(
                "consumers",
                format!(
                    "{efo} use enhanced fan-out; a stream registers at most {MAX_EFO_CONSUMERS}"
                ),
            ));
        }
        for c in &self.consumers {
            let at = |field: &str| format!("consumers.{}.{field}", c.name());
            match c {
                ConsumerConfig::Lambda(l) => {
                    v.int(&at("batch_size"), l.batch_size.into(), 1, 10_000)?;
                    v.int(
                        &at("parallelization_factor"),
                        l.parallelization_factor.into(),
                        1,
                        10,
                    )?;
                    v.int(&at("batch_window_s"), l.batch_window_s.into(), 0, 300)?;
                    let overhead = l.invocation_overhead_ms.into();
                    v.int(&at("invocation_overhead_ms"), overhead, 0, 900_000)?;
                    v.real(&at("ms_per_record"), l.ms_per_record, 0.0, 900_000.0)?;
                    if let Some(r) = l.reserved_concurrency {
                        v.int(&at("reserved_concurrency"), r.into(), 0, 10_000)?;
                    }
                    if let Some(r) = l.reserved_concurrency {
                        let others = self.reserved_concurrency().saturating_sub(r);
                        let room = pool.saturating_sub(UNRESERVED_MIN).saturating_sub(others);
                        if r > room {
                            return Err(ConfigError::new(
                                &at("reserved_concurrency"),
                                format!(
                                    "{r} leaves less than {UNRESERVED_MIN} of the account's {pool} \
                                     unreserved (other functions reserve {others}); at most {room}"
                                ),
                            ));
                        }
                    }
                    v.int(&at("timeout_s"), l.timeout_s.into(), 1, 900)?;
                    v.real(&at("error_rate"), l.error_rate, 0.0, 1.0)?;
                    v.real(&at("poison_rate"), l.poison_rate, 0.0, 1.0)?;
                    if l.max_retry_attempts != -1 {
                        v.signed(&at("max_retry_attempts"), l.max_retry_attempts, 0, 10_000)?;
                    }
                    if l.max_record_age_s != -1 {
                        v.signed(&at("max_record_age_s"), l.max_record_age_s, 60, 604_800)?;
                    }
                    v.int(&at("memory_mb"), l.memory_mb.into(), 128, 10_240)?;
                }
                ConsumerConfig::Kcl(k) => {
                    v.int(&at("tasks"), k.tasks.into(), 0, 1_000)?;
                    let rate = k.records_per_sec_per_task;
                    v.real(&at("records_per_sec_per_task"), rate, 0.0, 1e6)?;
                    if let Some(m) = k.max_leases_per_worker {
                        v.int(&at("max_leases_per_worker"), m.into(), 1, 10_000)?;
                    }
                    v.int(
                        &at("poll_interval_ms"),
                        k.poll_interval_ms.into(),
                        200,
                        60_000,
                    )?;
                    let per_call = k.max_records_per_call.into();
                    v.int(&at("max_records_per_call"), per_call, 1, 10_000)?;
                    v.int(&at("shard_sync_s"), k.shard_sync_s.into(), 1, 3_600)?;
                    v.int(&at("task_start_s"), k.task_start_s.into(), 0, 3_600)?;
                    v.real(&at("vcpu"), k.vcpu, 0.25, 16.0)?;
                    v.real(&at("memory_gb"), k.memory_gb, 0.5, 120.0)?;
                    let a = &k.autoscaling;
                    v.int(&at("autoscaling.min_tasks"), a.min_tasks.into(), 0, 1_000)?;
                    let (lo, hi) = (a.min_tasks.into(), 1_000);
                    v.int(&at("autoscaling.max_tasks"), a.max_tasks.into(), lo, hi)?;
                    let target = a.target_records_per_task;
                    v.real(&at("autoscaling.target_records_per_task"), target, 1.0, 1e6)?;
                    v.int(
                        &at("autoscaling.cooldown_s"),
                        a.cooldown_s.into(),
                        0,
                        86_400,
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// Top-level settings a scripted event may not change: the tick length is fixed when a
/// run starts, and the events are the script itself.
const FIXED_FOR_A_RUN: &[&str] = &["tick_s", "events"];

/// `"an array"`, `"a number"`, … for messages about a JSON value of the wrong kind.
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Refuses `input` (the JSON a config was parsed from) where it holds something else
/// than an object at a place where `config` has one: serde fills a struct from an array
/// of its fields in order, which no reader of the file would expect.
pub(crate) fn check_objects(input: &serde_json::Value, config: &Config) -> Result<(), ConfigError> {
    let canonical = serde_json::to_value(config).map_err(|e| ConfigError::parse(e.to_string()))?;
    same_objects(input, &canonical, "")
}

fn same_objects(
    input: &serde_json::Value,
    canonical: &serde_json::Value,
    path: &str,
) -> Result<(), ConfigError> {
    use serde_json::Value;
    let at = |field: &str| {
        if path.is_empty() {
            field.to_string()
        } else {
            format!("{path}.{field}")
        }
    };
    match (input, canonical) {
        (Value::Object(input), Value::Object(canonical)) => {
            for (key, value) in input {
                if let Some(expected) = canonical.get(key) {
                    same_objects(value, expected, &at(key))?;
                }
            }
            Ok(())
        }
        (Value::Array(input), Value::Array(canonical)) => {
            for (i, (value, expected)) in input.iter().zip(canonical).enumerate() {
                same_objects(value, expected, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (_, Value::Object(_)) if path.is_empty() => Err(ConfigError::parse(format!(
            "a config is a JSON object ({{...}}), not {}",
            json_kind(input)
        ))),
        (_, Value::Object(_)) => Err(ConfigError::new(
            path,
            format!("must be a JSON object ({{...}}), not {}", json_kind(input)),
        )),
        _ => Ok(()),
    }
}

/// Bytes of producer `p`'s longest partition key, `"{name}-{distinct_keys − 1}"`.
pub fn longest_key_bytes(p: &ProducerConfig) -> u64 {
    super::routing::key_name(&p.name, p.distinct_keys.saturating_sub(1)).len() as u64
}

/// Range checks that produce `path: value is out of range lo..=hi`.
struct Validator;

impl Validator {
    fn int(&self, path: &str, value: u64, lo: u64, hi: u64) -> Result<(), ConfigError> {
        if (lo..=hi).contains(&value) {
            Ok(())
        } else {
            Err(ConfigError::range(path, value, lo, hi))
        }
    }

    fn signed(&self, path: &str, value: i64, lo: i64, hi: i64) -> Result<(), ConfigError> {
        if (lo..=hi).contains(&value) {
            Ok(())
        } else {
            Err(ConfigError::range(path, value, lo, hi))
        }
    }

    fn real(&self, path: &str, value: f64, lo: f64, hi: f64) -> Result<(), ConfigError> {
        if value.is_finite() && (lo..=hi).contains(&value) {
            Ok(())
        } else {
            Err(ConfigError::range(path, value, lo, hi))
        }
    }

    fn real_below(&self, path: &str, value: f64, lo: f64, hi: f64) -> Result<(), ConfigError> {
        if value.is_finite() && (lo..hi).contains(&value) {
            Ok(())
        } else {
            Err(ConfigError::new(
                path,
                format!("{value} is out of range {lo}..{hi}"),
            ))
        }
    }
}

fn unique_names<'a>(list: &str, names: impl Iterator<Item = &'a str>) -> Result<(), ConfigError> {
    let mut seen = std::collections::BTreeSet::new();
    for (i, name) in names.enumerate() {
        let path = format!("{list}[{i}].name");
        if name.is_empty() || name.len() > 64 {
            return Err(ConfigError::new(&path, "must be 1 to 64 characters".into()));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ConfigError::new(
                &path,
                format!("{name:?} may hold only letters, digits, '-' and '_'"),
            ));
        }
        if !seen.insert(name) {
            return Err(ConfigError::new(&path, format!("{name:?} is used twice")));
        }
    }
    Ok(())
}
