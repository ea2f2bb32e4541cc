//! Consumer applications: a Lambda function behind an event source mapping, or ECS
//! tasks running the Kinesis Client Library, each reading every shard.

use serde::Serialize;
use serde_json::Value;

use super::read::{self, choices, settings, FromJson};
use crate::model::error::ConfigError;

/// How a consumer receives records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FanOut {
    /// Polling with GetRecords, sharing 5 calls/s and 2 MiB/s per shard with other
    /// standard consumers.
    #[default]
    Shared,
    /// Enhanced fan-out: a dedicated 2 MiB/s per shard pushed to this consumer.
    Enhanced,
}

/// Where a Lambda event source mapping sends a batch it gives up on (maximum retry
/// attempts or maximum record age).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OnFailure {
    /// No destination: the records are dropped (`DroppedEventCount`).
    #[default]
    None,
    /// An SQS queue: metadata about the batch (shard, sequence numbers), not its records.
    Sqs,
    /// An SNS topic: metadata about the batch, not its records.
    Sns,
    /// An S3 bucket: the whole batch with its metadata.
    S3,
}

impl OnFailure {
    /// Whether the destination keeps the records themselves (S3), not only where they were.
    pub fn keeps_data(self) -> bool {
        self == OnFailure::S3
    }
}

/// A consumer application, in JSON an object whose `"type"` is `lambda` or `kcl`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ConsumerConfig {
    /// A Lambda function behind an event source mapping.
    Lambda(LambdaConfig),
    /// ECS tasks running the Kinesis Client Library.
    Kcl(KclConfig),
}

impl FromJson for ConsumerConfig {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        match read::tagged(value, path, &["lambda", "kcl"])? {
            (0, rest) => LambdaConfig::read(&rest, path).map(Self::Lambda),
            (_, rest) => KclConfig::read(&rest, path).map(Self::Kcl),
        }
    }
}

choices!(FanOut { "shared" => FanOut::Shared, "enhanced" => FanOut::Enhanced });
choices!(OnFailure {
    "none" => OnFailure::None,
    "sqs" => OnFailure::Sqs,
    "sns" => OnFailure::Sns,
    "s3" => OnFailure::S3,
});

/// A Lambda function reading the stream through an event source mapping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LambdaConfig {
    /// Unique consumer name. Default "lambda".
    pub name: String,
    /// Shared polling or enhanced fan-out. Default shared.
    pub fan_out: FanOut,
    /// Records per batch at most.
    pub batch_size: u32,
    /// Concurrent batches per shard.
    pub parallelization_factor: u32,
    /// Seconds to gather records before invoking with a partial batch.
    pub batch_window_s: u32,
    /// Fixed time per invocation in milliseconds.
    pub invocation_overhead_ms: u32,
    /// Processing time per record in milliseconds.
    pub ms_per_record: f64,
    /// Reserved concurrency (also a cap); null = unreserved. All reservations together must
    /// leave 100 of `account.lambda_concurrency`.
    pub reserved_concurrency: Option<u32>,
    /// Function timeout in seconds. An invocation that would run longer stops at the
    /// timeout and counts as a function error, retried like any other.
    pub timeout_s: u32,
    /// Probability that an invocation fails for a passing reason (transient error).
    pub error_rate: f64,
    /// Fraction of records the function fails on every time they are in a batch (poison
    /// records). Bisecting isolates them.
    pub poison_rate: f64,
    /// Retries of a failed batch.
    pub max_retry_attempts: i64,
    /// Records older than this are skipped instead of retried.
    pub max_record_age_s: i64,
    /// Split a failed batch in two before retrying. Default false.
    pub bisect_on_error: bool,
    /// On-failure destination of batches given up on: "none" (default), "sqs", "sns"
    /// or "s3".
    pub on_failure: OnFailure,
    /// Function memory in MB (for cost).
    pub memory_mb: u32,
    /// The function de-aggregates KPL records: `ms_per_record` applies to each user
    /// record instead of each Kinesis record (`batch_size` still counts Kinesis
    /// records). Default false.
    pub deaggregate: bool,
}

/// ECS tasks, each a KCL worker, reading the stream.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KclConfig {
    /// Unique consumer name. Default "ecs".
    pub name: String,
    /// Shared polling or enhanced fan-out. Default shared.
    pub fan_out: FanOut,
    /// Running tasks (workers).
    pub tasks: u32,
    /// Records each task processes per second at most.
    pub records_per_sec_per_task: f64,
    /// Leases one worker may hold; null = unlimited.
    pub max_leases_per_worker: Option<u32>,
    /// Milliseconds between GetRecords calls per shard (`idleTimeBetweenReadsInMillis`).
    /// Enhanced fan-out does not poll.
    pub poll_interval_ms: u32,
    /// Records one GetRecords call returns at most.
    pub max_records_per_call: u32,
    /// Seconds between shard syncs that discover new shards.
    pub shard_sync_s: u32,
    /// Seconds a new task takes to start.
    pub task_start_s: u32,
    /// Target-tracking autoscaling of the task count. Default off.
    pub autoscaling: AutoscalingConfig,
    /// vCPU per task (for cost).
    pub vcpu: f64,
    /// Memory per task in GB (for cost).
    pub memory_gb: f64,
}

/// Target tracking on records per task per second.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutoscalingConfig {
    /// Whether the task count follows the load. Default false.
    pub enabled: bool,
    /// Fewest tasks.
    pub min_tasks: u32,
    /// Most tasks.
    pub max_tasks: u32,
    /// Incoming records/s per task to aim for.
    pub target_records_per_task: f64,
    /// Seconds after a scaling action before the next one.
    pub cooldown_s: u32,
}

settings!(LambdaConfig {
    name,
    fan_out,
    batch_size,
    parallelization_factor,
    batch_window_s,
    invocation_overhead_ms,
    ms_per_record,
    reserved_concurrency,
    timeout_s,
    error_rate,
    poison_rate,
    max_retry_attempts,
    max_record_age_s,
    bisect_on_error,
    on_failure,
    memory_mb,
    deaggregate,
});

settings!(KclConfig {
    name,
    fan_out,
    tasks,
    records_per_sec_per_task,
    max_leases_per_worker,
    poll_interval_ms,
    max_records_per_call,
    shard_sync_s,
    task_start_s,
    autoscaling,
    vcpu,
    memory_gb,
});

settings!(AutoscalingConfig {
    enabled,
    min_tasks,
    max_tasks,
    target_records_per_task,
    cooldown_s,
});

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
            on_failure: OnFailure::None,
            memory_mb: 256,
            deaggregate: false,
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

    /// A Lambda function or KCL workers.
    pub fn consumer_kind(&self) -> ConsumerKind {
        match self {
            ConsumerConfig::Lambda(_) => ConsumerKind::Lambda,
            ConsumerConfig::Kcl(_) => ConsumerKind::Kcl,
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

/// The two kinds of consumer, written as the config's `type` writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsumerKind {
    /// A Lambda function behind an event source mapping.
    Lambda,
    /// ECS tasks running the Kinesis Client Library.
    Kcl,
}

impl ConsumerKind {
    /// A consumer of this kind with default settings, called `name`.
    pub fn new_consumer(self, name: String) -> ConsumerConfig {
        match self {
            ConsumerKind::Lambda => ConsumerConfig::Lambda(LambdaConfig {
                name,
                ..LambdaConfig::default()
            }),
            ConsumerKind::Kcl => ConsumerConfig::Kcl(KclConfig {
                name,
                ..KclConfig::default()
            }),
        }
    }

    /// The kind as the config's `type` writes it: `"lambda"` or `"kcl"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsumerKind::Lambda => "lambda",
            ConsumerKind::Kcl => "kcl",
        }
    }

    /// The kind a config `type` names.
    pub fn parse(text: &str) -> Option<ConsumerKind> {
        match text {
            "lambda" => Some(ConsumerKind::Lambda),
            "kcl" => Some(ConsumerKind::Kcl),
            _ => None,
        }
    }
}
