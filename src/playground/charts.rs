//! The page's charts: which there are, and each one built from the playground's
//! metric history for the visible window.

use std::fmt;
use std::str::FromStr;

use crate::chart::theme::{BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION};
use crate::chart::{Line, Rgb, Scale, TimeChart};
use crate::format::{axis_count, bytes_per_s, thousands};
use crate::model::sim::{SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};
use crate::model::store::SeriesStore;
use crate::model::ConsumerConfig;

use super::app::App;
use super::chart_lines::{
    describe, describe_strip, distinct_colours, last_minute, marks_within, point_at,
};
use super::cloudwatch::{metric, MetricsView};
use super::consumer_charts;

/// A chart of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartId {
    /// Incoming records and bytes against the write limit.
    Incoming,
    /// Throttled writes and producer drops.
    Throttled,
    /// Iterator age per consumer.
    Age,
    /// Records lost, cumulative.
    Loss,
    /// Lambda concurrency and throttles.
    Lambda,
    /// Read throughput per consumer.
    Reads,
    /// Records processed per consumer.
    Processed,
    /// Refused reads and Lambda errors per consumer.
    Errors,
    /// Write utilisation per shard.
    Shards,
}

impl ChartId {
    /// Every chart, in page order.
    pub const ALL: [ChartId; 9] = [
        ChartId::Incoming,
        ChartId::Throttled,
        ChartId::Age,
        ChartId::Loss,
        ChartId::Lambda,
        ChartId::Reads,
        ChartId::Processed,
        ChartId::Errors,
        ChartId::Shards,
    ];

    /// The id in links, options and element ids: `incoming`, `age`…
    pub fn name(self) -> &'static str {
        match self {
            ChartId::Incoming => "incoming",
            ChartId::Throttled => "throttled",
            ChartId::Age => "age",
            ChartId::Loss => "loss",
            ChartId::Lambda => "lambda",
            ChartId::Reads => "reads",
            ChartId::Processed => "processed",
            ChartId::Errors => "errors",
            ChartId::Shards => "shards",
        }
    }

    /// The chart's accessible name.
    pub fn title(self) -> &'static str {
        match self {
            ChartId::Incoming => "Incoming records and bytes",
            ChartId::Throttled => "Throttled and dropped writes",
            ChartId::Age => "Iterator age",
            ChartId::Loss => "Records lost",
            ChartId::Lambda => "Lambda concurrency",
            ChartId::Reads => "Read throughput",
            ChartId::Processed => "Records processed",
            ChartId::Errors => "Refused reads and Lambda errors",
            ChartId::Shards => "Shards",
        }
    }

    /// One line under the chart: what it shows and what to do about it.
    pub fn help(self) -> &'static str {
        match self {
            ChartId::Incoming => "IncomingRecords and IncomingBytes (Sum per second) as a share of the write limit: 1,000 records/s and 1 MiB/s per shard. Offered load above 100 % is throttled; add shards.",
            ChartId::Throttled => "WriteProvisionedThroughputExceeded (records rejected) and the records producers gave up on after their last retry.",
            ChartId::Age => "How old each consumer's oldest unprocessed record is, every second: what IteratorAge (Maximum) shows for the shards a consumer reads, and also for shards nobody reads, which no CloudWatch metric shows. At the retention line, records expire unread.",
            ChartId::Loss => "Cumulative: expired (retention deleted them unread), skipped (Lambda gave up after retries), dropped (never written).",
            ChartId::Lambda => "ConcurrentExecutions (Maximum) and Throttles per Lambda consumer; concurrency can reach shards × parallelization factor.",
            ChartId::Reads => "Bytes each consumer reads (GetRecords.Bytes for standard consumers, SubscribeToShardEvent.Bytes for enhanced fan-out) against the 2 MiB/s per shard that standard consumers share (enhanced fan-out gets its own).",
            ChartId::Processed => "Records each consumer processed per second, against IncomingRecords: every consumer reads every record, so each line should follow it.",
            ChartId::Errors => "GetRecords calls refused by the shared read limit, per consumer (CloudWatch's ReadProvisionedThroughputExceeded counts them for the stream), and Errors (failed invocations) per Lambda function.",
            ChartId::Shards => "Write utilisation per shard: one hot partition key shows as one hot shard.",
        }
    }

    /// Every chart's id, in page order.
    pub fn names() -> Vec<&'static str> {
        ChartId::ALL.map(ChartId::name).to_vec()
    }

    /// Charts from their ids, in the order given; the first unknown id is an error.
    pub fn parse_list(names: &[impl AsRef<str>]) -> Result<Vec<ChartId>, String> {
        names.iter().map(|n| n.as_ref().parse()).collect()
    }
}

impl fmt::Display for ChartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ChartId {
    type Err = String;

    /// A chart from its id; an unknown id names the known ones.
    fn from_str(text: &str) -> Result<Self, String> {
        ChartId::ALL
            .into_iter()
            .find(|c| c.name() == text)
            .ok_or_else(|| format!("{text:?} is not one of {}", ChartId::names().join(", ")))
    }
}

/// What to draw for a chart.
#[derive(Debug, Clone)]
pub enum Drawing<'a> {
    /// A time chart.
    Time(TimeChart),
    /// The shard strip: smoothed write utilisation per open shard.
    Strip(&'a [f64]),
}

pub(super) const PALETTE: [Rgb; 5] = [BLUE, ORANGE, GREEN, PURPLE, SKY];

/// Points of `column` in `store` over the visible window (up to the span's moment), as
/// (seconds, value); sums become per-second rates when `rate` is set.
pub(super) fn points(
    store: &SeriesStore,
    column: &str,
    span: &Span,
    rate: bool,
) -> Vec<(f64, f64)> {
    let mut all = points_after(store, column, span.since_ms, rate);
    all.retain(|p| p.0 * 1_000.0 <= span.until_ms as f64);
    all
}

/// Points of `column` in `store` after `since_ms`, up to now.
fn points_after(store: &SeriesStore, column: &str, since_ms: u64, rate: bool) -> Vec<(f64, f64)> {
    let Some(c) = store.column(column) else {
        return Vec::new();
    };
    let (step_ms, pts) = store.window(c, since_ms);
    let per = if rate { 1_000.0 / step_ms as f64 } else { 1.0 };
    pts.into_iter()
        .map(|(t, v)| (t as f64 / 1_000.0, v * per))
        .collect()
}

/// The running total of `column` up to the span's moment, ending at what `total` (the
/// run's total now) was then.
pub(super) fn running_total(
    store: &SeriesStore,
    column: &str,
    span: &Span,
    total: f64,
) -> Vec<(f64, f64)> {
    let all = cumulative(points_after(store, column, span.since_ms, false), total);
    all.into_iter()
        .filter(|p| p.0 * 1_000.0 <= span.until_ms as f64)
        .collect()
}

/// Each consumer with its history and its colour, in config order.
pub(super) fn consumers(app: &App) -> impl Iterator<Item = (&ConsumerConfig, &SeriesStore, Rgb)> {
    app.sim
        .config()
        .consumers
        .iter()
        .zip(&app.consumers)
        .zip(PALETTE.iter().cycle())
        .map(|((c, store), &color)| (c, store, color))
}

/// A running total ending at `total`, built backwards from per-sample amounts.
fn cumulative(per_sample: Vec<(f64, f64)>, total: f64) -> Vec<(f64, f64)> {
    let mut out = per_sample;
    let mut acc = total;
    for p in out.iter_mut().rev() {
        let here = p.1;
        p.1 = acc;
        acc -= here;
    }
    out
}

pub(super) fn solid(label: impl Into<String>, color: Rgb, points: Vec<(f64, f64)>) -> Line {
    Line {
        label: label.into(),
        color,
        points,
        dashed: false,
    }
}

pub(super) fn dashed(label: impl Into<String>, color: Rgb, points: Vec<(f64, f64)>) -> Line {
    Line {
        label: label.into(),
        color,
        points,
        dashed: true,
    }
}

pub(super) fn flat(label: String, color: Rgb, value: f64, x: (f64, f64)) -> Line {
    Line {
        label,
        color,
        points: vec![(x.0, value), (x.1, value)],
        dashed: true,
    }
}

/// The visible stretch of time: samples after `since_ms` up to `until_ms`, the x axis
/// in seconds.
#[derive(Clone, Copy)]
pub(super) struct Span {
    pub(super) view: MetricsView,
    pub(super) since_ms: u64,
    pub(super) until_ms: u64,
    pub(super) x: (f64, f64),
}

/// The stretch of time a chart over `window_s` seconds (the whole run for `None`)
/// ending at `until_ms` shows.
fn build_span(app: &App, until_ms: u64, window_s: Option<u64>) -> Span {
    let now_ms = until_ms.min(app.sim.now_ms());
    let since_ms = window_s.map_or(0, |w| now_ms.saturating_sub(w * 1_000));
    let x = (
        since_ms as f64 / 1_000.0,
        (now_ms as f64 / 1_000.0).max(since_ms as f64 / 1_000.0 + 60.0),
    );
    Span {
        view: app.view,
        since_ms,
        until_ms: now_ms,
        x,
    }
}

/// What chart `id` shows now, for the app's current window.
pub fn build(app: &App, id: ChartId) -> Drawing<'_> {
    build_at(app, id, app.sim.now_ms())
}

/// What chart `id` shows for the app's window ending at simulated moment `until_ms`
/// (no later than now): every chart of a drawing round ends at the same moment.
pub fn build_at(app: &App, id: ChartId, until_ms: u64) -> Drawing<'_> {
    build_for(app, id, until_ms, app.window_s)
}

/// Chart `id` over `window_s` seconds (the whole run for `None`) ending at `until_ms`.
fn build_for(app: &App, id: ChartId, until_ms: u64, window_s: Option<u64>) -> Drawing<'_> {
    let span = build_span(app, until_ms, window_s);
    let x = span.x;
    let mut chart = TimeChart {
        title: String::new(),
        y_unit: "records/s".into(),
        x_range: x,
        lines: Vec::new(),
        y_format: axis_count,
        y_floor: 10.0,
        y_scale: Scale::Decimal,
        marks: Vec::new(),
        focus: None,
        x_axis: None,
    };
    match id {
        ChartId::Incoming => incoming(app, &span, &mut chart),
        ChartId::Throttled => throttled(app, &span, &mut chart),
        ChartId::Age => consumer_charts::age(app, &span, &mut chart),
        ChartId::Loss => consumer_charts::loss(app, &span, &mut chart),
        ChartId::Lambda => consumer_charts::lambda(app, &span, &mut chart),
        ChartId::Reads => consumer_charts::reads(app, &span, &mut chart),
        ChartId::Processed => consumer_charts::processed(app, &span, &mut chart),
        ChartId::Errors => consumer_charts::errors(app, &span, &mut chart),
        ChartId::Shards => return Drawing::Strip(&app.utilisation),
    }
    // The Incoming chart names its statistic, period and units itself.
    if app.view.cloudwatch() && id != ChartId::Incoming {
        super::cloudwatch::units(&app.view, &mut chart);
    }
    distinct_colours(&mut chart.lines);
    point_at(app, id, &mut chart);
    Drawing::Time(chart)
}

/// Seconds of history a text alternative reads: the finest samples the store keeps,
/// whatever window the chart shows.
const DESCRIBED_S: u64 = 900;

/// The text alternative of chart `id` at `until_ms`: each line's last-minute average
/// (a running total's last value) read from the finest samples, so it agrees with the
/// summary at the same moment whatever the chart's window.
pub fn description(app: &App, id: ChartId, until_ms: u64) -> String {
    match build_for(app, id, until_ms, Some(DESCRIBED_S)) {
        Drawing::Time(mut chart) => {
            // The changes are those the chart shows, over its own window.
            let shown = build_span(app, until_ms, app.window_s);
            chart.marks = marks_within(app, shown.x);
            // Running totals, unless CloudWatch's per-period counts stand alone.
            let totals = !app.view.cloudwatch() || app.view.truth;
            describe(&chart, id == ChartId::Loss && totals)
        }
        Drawing::Strip(utilisation) => describe_strip(utilisation),
    }
}

/// Offered and accepted records and bytes as a share of the write limit.
fn incoming(app: &App, span: &Span, chart: &mut TimeChart) {
    if span.view.cloudwatch() && span.view.shards {
        return super::shard_view::incoming(app, span, chart);
    }
    if span.view.cloudwatch() {
        return super::incoming_view::incoming(app, span, chart);
    }
    let x = span.x;
    let open = points(&app.stream, "open_shards", span, false);
    // The title tells the last minute of the span (or its last sample when longer).
    let last = |column: &str, rate: bool| last_minute(&points(&app.stream, column, span, rate));
    let shards = open
        .last()
        .map_or(f64::from(app.sim.open_shards()), |p| p.1);
    chart.title = format!(
        "Incoming: {}/s · {} (limit {}/s · {})",
        thousands(last("IncomingRecords", true) as u64),
        bytes_per_s(&last("IncomingBytes", true)),
        thousands((shards * SHARD_WRITE_RECORDS_PER_S as f64) as u64),
        bytes_per_s(&(shards * SHARD_WRITE_BYTES_PER_S as f64)),
    );
    // Records and bytes share one axis as a share of the write limit of the shards
    // open at each moment, so resharding moves the lines, not the limit.
    chart.y_unit = "% of write limit".into();
    chart.y_format = axis_percent;
    chart.y_floor = 120.0;
    let share = |column: &str, per_shard: u64| -> Vec<(f64, f64)> {
        points(&app.stream, column, span, true)
            .into_iter()
            .zip(&open)
            .map(|((t, v), (_, n))| (t, 100.0 * v / (n.max(1.0) * per_shard as f64)))
            .collect()
    };
    chart.lines.push(solid(
        "offered records (first attempts)",
        ORANGE,
        share("produced", SHARD_WRITE_RECORDS_PER_S),
    ));
    chart.lines.push(solid(
        "IncomingRecords",
        BLUE,
        share("IncomingRecords", SHARD_WRITE_RECORDS_PER_S),
    ));
    chart.lines.push(solid(
        "IncomingBytes",
        SKY,
        share("IncomingBytes", SHARD_WRITE_BYTES_PER_S),
    ));
    chart.lines.push(flat(
        "write limit (1,000 records/s and 1 MiB/s per shard)".into(),
        VERMILLION,
        100.0,
        x,
    ));
}

/// Records refused by the write limit and records producers gave up on, per second.
fn throttled(app: &App, span: &Span, chart: &mut TimeChart) {
    if span.view.cloudwatch() && span.view.shards {
        return super::shard_view::throttled(app, span, chart);
    }
    chart.title = "Throttled and dropped writes".into();
    chart.lines.extend(metric(
        "WriteProvisionedThroughputExceeded".into(),
        ORANGE,
        false,
        &app.stream,
        "WriteProvisionedThroughputExceeded",
        span,
        true,
    ));
    chart.lines.extend(metric(
        "dropped by producers".into(),
        VERMILLION,
        false,
        &app.stream,
        "dropped_by_producer",
        span,
        true,
    ));
}

fn axis_percent(v: &f64) -> String {
    format!("{}%", axis_count(v))
}
