//! The command line's arguments, declared for clap: subcommands, options, their help,
//! and the parsers of simulated durations and partition keys.

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use kinesis_playground::model::alarm::AlarmSpec;
use kinesis_playground::model::cloudwatch::Statistic;

/// Longest run `--duration` accepts: 10 years of simulated time, in seconds.
pub const MAX_DURATION_S: u64 = 3_650 * 86_400;

/// The whole command line.
#[derive(Debug, Parser)]
#[command(
    name = "kinesis-sim",
    about = "kinesis-sim: simulate an Amazon Kinesis data stream with Lambda and ECS/KCL consumers",
    override_usage = "kinesis-sim run (--config FILE | --preset NAME) [--duration 1h] [--every 1m] [--format json|csv|cloudwatch [--shard-level]]\n       \
                      kinesis-sim presets [NAME]\n       \
                      kinesis-sim alarms (--config FILE | --preset NAME) [--duration 1h] [--alarm SPEC]... [--no-recommended] [--format text|json]\n       \
                      kinesis-sim route --shards N [--ranges] [KEY...]\n       \
                      kinesis-sim fields",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// What to do; none prints this help.
    #[command(subcommand)]
    pub command: Option<Command>,
}

const AFTER_HELP: &str = "\
Each command has its own help: kinesis-sim run --help, kinesis-sim alarms --help,
kinesis-sim presets --help, kinesis-sim route --help, kinesis-sim fields --help. `kinesis-sim fields` lists every
setting a config may hold, with its allowed values, unit and default.

Exit status: 0 on success (also when the reader of the output stops early), 2 on bad
input (one line on standard error, before any output), 1 when the output cannot be
written.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulates a config or a preset and prints the run's summary and metric series.
    #[command(after_long_help = RUN_HELP)]
    Run(RunArgs),
    /// Simulates a config or a preset with CloudWatch alarms: when each would have fired,
    /// and which lost records no alarm caught.
    #[command(after_long_help = ALARMS_HELP)]
    Alarms(AlarmsArgs),
    /// Lists the presets, or prints one preset's config.
    #[command(long_about = PRESETS_ABOUT)]
    Presets(PresetsArgs),
    /// Prints the shard each partition key maps to.
    #[command(long_about = ROUTE_ABOUT)]
    Route(RouteArgs),
    /// Lists every numeric setting of a config: its path, allowed values, unit and default.
    #[command(long_about = FIELDS_ABOUT)]
    Fields,
}

const FIELDS_ABOUT: &str = "\
Lists every numeric setting of a config: its path, allowed values, unit, default and
what it does, one section per part of the config (the table validation checks against).
Entries of producers and consumers are addressed by name (* in the paths).";

const PRESETS_ABOUT: &str = "\
Lists the presets, or prints one preset's config.

Without NAME, lists the presets: name and one line each.
With NAME, prints that preset's config as JSON.";

const ROUTE_ABOUT: &str = "\
Prints the shard each partition key maps to.

Prints, per partition key, the key and the 0-based shard index it maps to: MD5 of the
key over N evenly split hash-key ranges.";

const RUN_HELP: &str = "\
Config files may start with a UTF-8 byte-order mark; a config is one JSON object.
Omitted settings take their defaults; `kinesis-sim fields` lists them all.

Times (--duration, --every) are a whole number with s, m, h or d (a bare number is
seconds), and a whole number of the config's ticks (tick_s). --duration is at most
3650d (10 years of simulated time).

--format json writes one object with `summary` and `series` when the run ends; it holds
at most 5,000,000 series values (rows x columns): sample less often (--every) or use
csv beyond. --format csv writes the series, header first, each row as soon as its
interval ends (any length, constant memory).

The summary holds duration_s, produced, accepted, throttled, dropped_by_producer,
pending_retry, read_throttled, open_shards and, per consumer that ran, name, type, accepted,
processed, expired, skipped, behind, max_iterator_age_ms, final_iterator_age_ms,
max_concurrency (Lambda) or max_tasks (KCL), for a Lambda function with an on-failure
destination kept_with_data (S3) or kept_metadata_only (SQS, SNS), and, for a consumer a
scripted event removed, removed_at_s (its numbers are those of that moment).

Series columns: the stream's metrics, then CONSUMER.metric columns for every consumer
the run meets. A column has a CloudWatch name only when it means what that metric
means (IncomingRecords: records accepted; GetRecords.Records: what the GetRecords
calls of standard consumers returned, enhanced fan-out being
SubscribeToShardEvent.Records; Lambda's IteratorAge, ConcurrentExecutions and
DroppedEventCount; KCL's MillisBehindLatest and RunningTaskCount, ...) and a plain
name otherwise (oldest_unprocessed_age_ms, delivery_delay_ms, unread_shards, ...).
Counts are sums over the interval, ages and concurrency maxima, pending_retry and
behind the value at its end. With --stat, every column with a CloudWatch name holds
that statistic over the interval instead, as CloudWatch computes it: a sample of
IncomingRecords, IncomingBytes and WriteProvisionedThroughputExceeded is one PutRecords
call (put_calls counts them; Average is per call, not per second), of
GetRecords.Records and .Bytes one answered GetRecords call, of the others one second; an interval without a sample is empty. --period 1m --stat Sum gives the
1-minute Sum a CloudWatch graph shows. A cell is empty (csv) or null (json) where CloudWatch
would have no datapoint: GetRecords.IteratorAgeMilliseconds and GetRecords.Latency
without a GetRecords call answered, Lambda's IteratorAge without a batch sent, the
other kind of consumer's metrics; and a consumer's cells where it did not run: before
a scripted event added it, after one removed it. JSON's series starts with t_s (end of each interval, s); CSV's rows start
with time_s (the same) and sample_s (the interval's length, s: shorter for a last
interval cut by --duration).

--format cloudwatch writes CloudWatch's datapoints instead, one row each, each period's
rows as it closes: Timestamp (the period's start, ISO 8601, the run starting at
1970-01-01T00:00:00Z), Namespace, MetricName, the dimensions StreamName (the preset's
name or the config file's), ShardId, ConsumerName, FunctionName and ServiceName (empty
where the metric has none), Statistic, Period (s), Value, Unit. AWS/Kinesis holds the
stream's metrics, AWS/Lambda a function's (FunctionName), the KCL application's own
namespace its MillisBehindLatest and RecordsProcessed, ECS/ContainerInsights its
RunningTaskCount (ServiceName). A period without a sample has no row. --period must be
whole minutes. Without --stat each metric has its usual statistic: Maximum for ages,
latencies, concurrency and tasks, Sum for counts. --shard-level (only with --format
cloudwatch) adds per shard (ShardId shardId-000000000000, ...) IncomingRecords,
IncomingBytes, WriteProvisionedThroughputExceeded, OutgoingRecords and OutgoingBytes
(GetRecords calls and enhanced fan-out events), ReadProvisionedThroughputExceeded and
IteratorAgeMilliseconds (no row for a shard no GetRecords call read).";

/// The run a command simulates: a config or a preset, for how long.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["config", "preset"])))]
pub struct RunSource {
    /// The config to simulate: a JSON file, '-' for standard input.
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
    /// The preset to simulate (`kinesis-sim presets` lists them).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// Simulated time to run: 90s, 15m, 36h, 3d, ...
    #[arg(long, value_name = "TIME", default_value = "1h", value_parser = parse_span)]
    pub duration: Span,
}

/// `run`'s arguments.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// What to simulate and for how long.
    #[command(flatten)]
    pub run: RunSource,
    /// Sample interval of the series (--period is the same: CloudWatch's word).
    #[arg(long, visible_alias = "period", value_name = "TIME", default_value = "1m", value_parser = parse_span)]
    pub every: Span,
    /// Gives each CloudWatch metric by this statistic over each interval, as CloudWatch
    /// would with that period: Sum, Average, Maximum, Minimum or SampleCount.
    #[arg(long, value_name = "STAT", value_parser = parse_statistic)]
    pub stat: Option<Statistic>,
    /// Output format: json (summary and series), csv (the series) or cloudwatch (each
    /// CloudWatch metric's datapoints, one row each).
    #[arg(long, value_enum, default_value_t = Format::Json, hide_possible_values = true)]
    pub format: Format,
    /// With --format cloudwatch: adds each shard's enhanced-monitoring metrics (ShardId
    /// dimension), by --stat or each metric's usual statistic.
    #[arg(long)]
    pub shard_level: bool,
    /// Works out every tick, stretches that repeat included (the same numbers, more
    /// slowly): to time or profile the engine tick by tick.
    #[arg(long)]
    pub every_tick: bool,
}

const ALARMS_HELP: &str = "\
An alarm is one line: METRIC STATISTIC PERIOD COMPARISON THRESHOLD M/N [MISSING], e.g.
  --alarm 'WriteProvisionedThroughputExceeded Sum 1m > 0 1/1 notBreaching'
  --alarm 'lambda.IteratorAge Maximum 5m >= 30000 3/5 missing'
METRIC is a CloudWatch-named series column: a stream metric or CONSUMER.metric (the
columns of `kinesis-sim run`; the playground's own, lower-case measures have no
CloudWatch metric and cannot be alarmed on). STATISTIC is Sum, Average, Maximum,
Minimum or SampleCount; PERIOD 1m or a whole number of minutes; COMPARISON >, >=, <
or <=; M/N the datapoints to alarm out of the evaluation periods; MISSING how a period
without a datapoint counts: missing (the default), ignore, breaching or notBreaching.

Alarms are evaluated as CloudWatch does at the end of each period, with an evaluation
range of N + 2 datapoints: with fewer than N real datapoints in it, missing ones are
filled in by the treatment; `missing` is INSUFFICIENT_DATA only when the whole range is
missing or only recent breaching datapoints remain; `ignore` keeps the state.

Unless --no-recommended, the alarms a team should have for the config come first: the
stream's GetRecords.IteratorAgeMilliseconds Maximum at a quarter of the retention,
WriteProvisionedThroughputExceeded Sum > 0, and per Lambda function IteratorAge
Maximum >= 30000, Errors and DroppedEventCount Sum > 0, per KCL application
MillisBehindLatest at a quarter of the retention.

Prints each alarm, its state changes (time, from -> to, reason) and, last, each loss no
alarm watching it caught: records dropped by producers, expired by retention or given
up by a Lambda function with no watching alarm in ALARM from an hour before the loss
began to its end. --format json writes the same as one object.";

/// `alarms`' arguments.
#[derive(Debug, Args)]
pub struct AlarmsArgs {
    /// What to simulate and for how long.
    #[command(flatten)]
    pub run: RunSource,
    /// An alarm to evaluate, as one line (repeat for more); see below.
    #[arg(long = "alarm", value_name = "SPEC", value_parser = parse_alarm)]
    pub alarms: Vec<AlarmSpec>,
    /// Leaves out the recommended alarms.
    #[arg(long)]
    pub no_recommended: bool,
    /// Output format: text (for people) or json.
    #[arg(long, value_enum, default_value_t = AlarmsFormat::Text, hide_possible_values = true)]
    pub format: AlarmsFormat,
}

/// What `alarms` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlarmsFormat {
    /// Lines for people.
    Text,
    /// One JSON object.
    Json,
}

/// An alarm in its one-line form.
fn parse_alarm(text: &str) -> Result<AlarmSpec, String> {
    text.parse()
}

/// What `run` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One object with `summary` and `series`, written when the run ends.
    Json,
    /// The series, header first, each row written as soon as its interval ends.
    Csv,
    /// CloudWatch's datapoints, one row each, each period written as it closes.
    Cloudwatch,
}

/// `presets`' arguments.
#[derive(Debug, Args)]
pub struct PresetsArgs {
    /// Prints that preset's config as JSON: the file `run --config` reads.
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
}

/// `route`'s arguments.
#[derive(Debug, Args)]
pub struct RouteArgs {
    /// Number of shards, 1 to 10000.
    #[arg(long, value_name = "N", value_parser = parse_shards)]
    pub shards: u32,
    /// First prints each shard's index, starting and ending hash key (decimal).
    #[arg(long)]
    pub ranges: bool,
    /// Partition keys, 1 to 256 characters each (after `--` when one starts with `-`).
    #[arg(value_name = "KEY", value_parser = parse_key)]
    pub keys: Vec<String>,
}

/// A CloudWatch statistic by its name.
pub fn parse_statistic(text: &str) -> Result<Statistic, String> {
    text.parse::<Statistic>()
        .map_err(|_| "takes Sum, Average, Maximum, Minimum or SampleCount".to_string())
}

/// A shard count, 1 to 10,000, with a message for people otherwise.
pub fn parse_shards(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n @ 1..=10_000) => Ok(n),
        _ => Err("takes a whole number of shards from 1 to 10,000".to_string()),
    }
}

/// A span of simulated time as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text given, for messages.
    pub text: String,
    /// Seconds (`u64::MAX` when too long to count).
    pub seconds: u64,
}

/// `90`, `90s`, `15m`, `36h`, `3d` → a [`Span`].
pub fn parse_span(text: &str) -> Result<Span, String> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => 0,
    };
    if digits.is_empty() || scale == 0 {
        return Err("not a duration like 90s, 15m, 36h or 3d".into());
    }
    // Only digits: a number too large for u64 is simply too long.
    let n: u64 = digits.parse().unwrap_or(u64::MAX);
    Ok(Span {
        text: text.to_string(),
        seconds: n.saturating_mul(scale),
    })
}

/// A partition key: 1 to 256 characters.
fn parse_key(text: &str) -> Result<String, String> {
    if text.is_empty() || text.chars().count() > 256 {
        return Err("a partition key has 1 to 256 characters".into());
    }
    Ok(text.to_string())
}
