//! A run's metrics as CloudWatch would show them, as CSV: one row per datapoint, the
//! long format of `aws cloudwatch get-metric-statistics` and of a console export.
//!
//! - Header: `Timestamp,Namespace,MetricName,StreamName,ShardId,ConsumerName,
//!   FunctionName,ServiceName,Statistic,Period,Value,Unit` ([`HEADER`]).
//! - `Timestamp` is the **start** of the period (CloudWatch stamps a datapoint so), in
//!   ISO 8601 UTC with the run starting at `1970-01-01T00:00:00Z`: spreadsheets read it
//!   as a date and time, and the time of day is the simulated clock.
//! - Each metric carries its namespace and dimensions as AWS publishes it; a dimension a
//!   metric does not have is an empty cell:
//!   - `AWS/Kinesis`, StreamName: the stream's metrics (`IncomingRecords`,
//!     `GetRecords.*`, `ReadProvisionedThroughputExceeded`, ...); with ShardId
//!     (`shardId-000000000000`) the shard-level ones of enhanced monitoring; with
//!     ConsumerName an enhanced fan-out consumer's `SubscribeToShardEvent.Records`,
//!     `.Bytes` and `.MillisBehindLatest`.
//!   - `AWS/Lambda`, FunctionName (the consumer's name): `IteratorAge`,
//!     `ConcurrentExecutions`, `Invocations`, `Errors`, `Throttles` and the event source mapping's counts.
//!   - The KCL application's own namespace (its name), without dimensions (the
//!     aggregate KCL publishes): `MillisBehindLatest`, `RecordsProcessed`.
//!   - `ECS/ContainerInsights`, ServiceName (the consumer's name): `RunningTaskCount`.
//!
//!   The model's per-consumer split of `ReadProvisionedThroughputExceeded` and
//!   `GetRecords.IteratorAgeMilliseconds` has no CloudWatch dimension and is left out, as
//!   are the model's own columns (lower-case names).
//! - `Period` in seconds; `Value` in plain decimal (the fewest digits that read back the
//!   same); `Unit` CloudWatch's ([`unit`]: the metric's, whatever the statistic).
//! - A period without a sample has no row, as CloudWatch returns no datapoint.
//! - Cells are never quoted: names allowed in a config hold no comma (a name that does
//!   is written with `;` in its place).

use std::fmt::Write as _;

use crate::model::cloudwatch::{unit, Statistic, KCL_METRICS, LAMBDA_METRICS};
use crate::model::shard_history::ShardHistory;
use crate::model::shard_metrics::SHARD_METRICS;
use crate::model::store::SeriesStore;

/// The header line, `\n` included.
pub const HEADER: &str = "Timestamp,Namespace,MetricName,StreamName,ShardId,ConsumerName,\
                          FunctionName,ServiceName,Statistic,Period,Value,Unit\n";

/// Where a metric is published: its namespace and dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// `AWS/Kinesis`, StreamName.
    Stream,
    /// `AWS/Kinesis`, StreamName and ShardId (the shard's id number).
    Shard(u32),
    /// `AWS/Kinesis`, StreamName and ConsumerName (an enhanced fan-out consumer).
    Consumer(&'a str),
    /// `AWS/Lambda`, FunctionName.
    Function(&'a str),
    /// The KCL application's own namespace, no dimension.
    Application(&'a str),
    /// `ECS/ContainerInsights`, ServiceName.
    Service(&'a str),
}

/// One datapoint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Datapoint<'a> {
    /// Start of the period, simulated ms since the start of the run.
    pub start_ms: u64,
    /// The period, seconds.
    pub period_s: u64,
    /// The metric's CloudWatch name.
    pub metric: &'a str,
    /// Where it is published.
    pub source: Source<'a>,
    /// The statistic.
    pub statistic: Statistic,
    /// Its value over the period.
    pub value: f64,
}

/// AWS's name for shard `id`: `shardId-` and twelve digits.
pub fn shard_id(id: u32) -> String {
    format!("shardId-{id:012}")
}

/// `ms` after the run's start as ISO 8601 UTC, the run starting at 1970-01-01T00:00:00Z.
pub fn timestamp(ms: u64) -> String {
    let secs = ms / 1_000;
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

/// The calendar date `days` after 1970-01-01 (proleptic Gregorian).
fn civil(days: u64) -> (u64, u64, u64) {
    // Days counted from 0000-03-01, so a leap day ends each year.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// The statistic a metric is usually read with when none is asked for (§ CloudWatch
/// of the facts: ages and latencies by their Maximum, so are concurrency and tasks;
/// counts by their Sum).
pub fn usual_statistic(metric: &str) -> Statistic {
    let most = [
        "IteratorAge",
        "MillisBehindLatest",
        "Latency",
        "ConcurrentExecutions",
        "RunningTaskCount",
    ];
    if most.iter().any(|m| metric.contains(m)) {
        Statistic::Maximum
    } else {
        Statistic::Sum
    }
}

/// Where a series column is published, given the metric it holds and, for a consumer's
/// column, the consumer's name; `None` for a column CloudWatch has no datapoint of.
pub fn source<'a>(metric: &str, consumer: Option<&'a str>) -> Option<Source<'a>> {
    let lambda = LAMBDA_METRICS;
    let kcl = &KCL_METRICS[..2];
    if !metric.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let Some(name) = consumer else {
        return Some(Source::Stream);
    };
    if metric.starts_with("SubscribeToShardEvent.") {
        Some(Source::Consumer(name))
    } else if lambda.contains(&metric) {
        Some(Source::Function(name))
    } else if kcl.contains(&metric) {
        Some(Source::Application(name))
    } else if metric == "RunningTaskCount" {
        Some(Source::Service(name))
    } else {
        None
    }
}

/// The page's download as CloudWatch would show it: under [`HEADER`], every datapoint
/// of the CloudWatch metrics in the stream's and the consumers' watched histories
/// (`consumers`: name and history) and, with `shards`, each shard's, over periods of
/// `period_s` up to `until_ms`, with statistic `stat` (`None`: each metric's usual one),
/// in time order. Older history, kept coarser, gives longer periods
/// ([`SeriesStore::datapoints`]).
pub fn stores_csv(
    stream_name: &str,
    stream: &SeriesStore,
    consumers: &[(&str, &SeriesStore)],
    shards: Option<&ShardHistory>,
    period_s: u64,
    stat: Option<Statistic>,
    until_ms: u64,
) -> String {
    let period_ms = period_s * 1_000;
    // One list per metric and source, each in time order; merged by time below.
    let mut lists: Vec<Vec<Datapoint<'_>>> = Vec::new();
    let owners =
        std::iter::once((None, stream)).chain(consumers.iter().map(|(n, s)| (Some(*n), *s)));
    for (owner, store) in owners {
        for metric in &store.columns {
            let Some(source) = source(metric, owner) else {
                continue;
            };
            let statistic = stat.unwrap_or_else(|| usual_statistic(metric));
            let points = store.datapoints(metric, statistic, period_ms, 0, until_ms);
            lists.push(
                points
                    .into_iter()
                    .map(|(end, value)| Datapoint {
                        start_ms: end.saturating_sub(period_ms),
                        period_s,
                        metric,
                        source,
                        statistic,
                        value,
                    })
                    .collect(),
            );
        }
    }
    for metric in shards.map_or(&[][..], |_| &SHARD_METRICS[..]) {
        let statistic = stat.unwrap_or_else(|| usual_statistic(metric));
        let history = shards.map(|h| h.datapoints(metric, statistic, period_ms, 0, until_ms));
        for (id, values) in history.unwrap_or_default() {
            lists.push(
                values
                    .into_iter()
                    .map(|(end, value)| Datapoint {
                        start_ms: end.saturating_sub(period_ms),
                        period_s,
                        metric,
                        source: Source::Shard(id),
                        statistic,
                        value,
                    })
                    .collect(),
            );
        }
    }
    let mut out = HEADER.to_string();
    let mut next = vec![0; lists.len()];
    // The earliest next datapoint of all lists, the first list's on a tie.
    while let Some(k) = (0..lists.len())
        .filter(|&k| next[k] < lists[k].len())
        .min_by_key(|&k| lists[k][next[k]].start_ms)
    {
        row(&mut out, stream_name, &lists[k][next[k]]);
        next[k] += 1;
    }
    out
}

/// A name as one unquoted cell.
fn cell(out: &mut String, text: &str) {
    out.extend(text.chars().map(|c| if c == ',' { ';' } else { c }));
    out.push(',');
}

/// Appends the line of datapoint `d` of stream `stream`.
pub fn row(out: &mut String, stream: &str, d: &Datapoint<'_>) {
    out.push_str(&timestamp(d.start_ms));
    out.push(',');
    let (namespace, in_stream) = match d.source {
        Source::Stream | Source::Shard(_) | Source::Consumer(_) => ("AWS/Kinesis", true),
        Source::Function(_) => ("AWS/Lambda", false),
        Source::Application(app) => (app, false),
        Source::Service(_) => ("ECS/ContainerInsights", false),
    };
    cell(out, namespace);
    cell(out, d.metric);
    cell(out, if in_stream { stream } else { "" });
    let mut dims = ["", "", "", ""];
    let shard;
    match d.source {
        Source::Shard(id) => {
            shard = shard_id(id);
            dims[0] = &shard;
        }
        Source::Consumer(name) => dims[1] = name,
        Source::Function(name) => dims[2] = name,
        Source::Service(name) => dims[3] = name,
        Source::Stream | Source::Application(_) => {}
    }
    for dim in dims {
        cell(out, dim);
    }
    let _ = writeln!(
        out,
        "{},{},{},{}",
        d.statistic,
        d.period_s,
        d.value,
        unit(d.metric)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_count_from_the_epoch() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(3_723_000), "1970-01-01T01:02:03Z");
        // 1972 is a leap year: day 789 is 1972-02-29.
        assert_eq!(timestamp(789 * 86_400_000), "1972-02-29T00:00:00Z");
        // Ten years, the longest run: 3,650 days is 1979-12-30.
        assert_eq!(timestamp(3_650 * 86_400_000), "1979-12-30T00:00:00Z");
    }

    #[test]
    fn each_source_fills_its_namespace_and_dimensions() {
        let mut out = String::new();
        let point = |metric, source, statistic, value| Datapoint {
            start_ms: 300_000,
            period_s: 300,
            metric,
            source,
            statistic,
            value,
        };
        row(
            &mut out,
            "orders",
            &point("IncomingBytes", Source::Shard(3), Statistic::Maximum, 4.5e5),
        );
        row(
            &mut out,
            "orders",
            &point(
                "IteratorAge",
                Source::Function("fn,1"),
                Statistic::Maximum,
                12.0,
            ),
        );
        row(
            &mut out,
            "orders",
            &point(
                "RecordsProcessed",
                Source::Application("ecs"),
                Statistic::Sum,
                0.25,
            ),
        );
        assert_eq!(
            out,
            "1970-01-01T00:05:00Z,AWS/Kinesis,IncomingBytes,orders,shardId-000000000003,,,,\
             Maximum,300,450000,Bytes\n\
             1970-01-01T00:05:00Z,AWS/Lambda,IteratorAge,,,,fn;1,,Maximum,300,12,Milliseconds\n\
             1970-01-01T00:05:00Z,ecs,RecordsProcessed,,,,,,Sum,300,0.25,Count\n"
        );
        assert_eq!(
            HEADER.matches(',').count(),
            out.lines().next().unwrap_or("").matches(',').count()
        );
    }

    #[test]
    fn columns_map_to_where_aws_publishes_them() {
        assert_eq!(source("IncomingRecords", None), Some(Source::Stream));
        assert_eq!(source("produced", None), None);
        assert_eq!(
            source("ConcurrentExecutions", Some("fn")),
            Some(Source::Function("fn"))
        );
        assert_eq!(
            source("RunningTaskCount", Some("ecs")),
            Some(Source::Service("ecs"))
        );
        assert_eq!(
            source("GetRecords.IteratorAgeMilliseconds", Some("ecs")),
            None
        );
        assert_eq!(source("read_throttled", Some("ecs")), None);
        assert_eq!(
            usual_statistic("GetRecords.IteratorAgeMilliseconds"),
            Statistic::Maximum
        );
        assert_eq!(usual_statistic("IncomingBytes"), Statistic::Sum);
    }
}
