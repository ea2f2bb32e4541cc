//! The page's charts: which there are, and each one built from the playground's
//! metric history for the visible window.

use std::fmt;
use std::str::FromStr;

use crate::chart::theme::{BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION};
use crate::chart::{Line, Scale, TimeChart};
use crate::format::{axis_count, axis_duration, bytes_per_s, thousands};
use crate::model::reads::READ_BYTES_PER_S;
use crate::model::sim::{SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};
use crate::model::store::SeriesStore;
use crate::model::{ConsumerConfig, FanOut};
use plotters::style::RGBColor;

use super::app::App;

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
    /// Write utilisation per shard.
    Shards,
}

impl ChartId {
    /// Every chart, in page order.
    pub const ALL: [ChartId; 7] = [
        ChartId::Incoming,
        ChartId::Throttled,
        ChartId::Age,
        ChartId::Loss,
        ChartId::Lambda,
        ChartId::Reads,
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
            ChartId::Shards => "Shards",
        }
    }

    /// One line under the chart: what it shows and what to do about it.
    pub fn help(self) -> &'static str {
        match self {
            ChartId::Incoming => "IncomingRecords and IncomingBytes (Sum per second) as a share of the write limit: 1,000 records/s and 1 MiB/s per shard. Offered load above 100 % is throttled; add shards.",
            ChartId::Throttled => "WriteProvisionedThroughputExceeded (records rejected) and the records producers gave up on after their last retry.",
            ChartId::Age => "GetRecords.IteratorAgeMilliseconds (Maximum) per consumer: how old the oldest unprocessed record is. At the retention line, records expire unread.",
            ChartId::Loss => "Cumulative: expired (retention deleted them unread), skipped (Lambda gave up after retries), dropped (never written).",
            ChartId::Lambda => "ConcurrentExecutions (Maximum) and Throttles per Lambda consumer; concurrency can reach shards × parallelization factor.",
            ChartId::Reads => "GetRecords.Bytes per consumer against the 2 MiB/s per shard that standard consumers share (enhanced fan-out gets its own).",
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

const PALETTE: [RGBColor; 5] = [BLUE, ORANGE, GREEN, PURPLE, SKY];

/// Points of `column` in `store` over the visible window, as (seconds, value); sums become
/// per-second rates when `rate` is set.
fn points(store: &SeriesStore, column: &str, since_ms: u64, rate: bool) -> Vec<(f64, f64)> {
    let Some(c) = store.column(column) else {
        return Vec::new();
    };
    let (step_ms, pts) = store.window(c, since_ms);
    let per = if rate { 1_000.0 / step_ms as f64 } else { 1.0 };
    pts.into_iter()
        .map(|(t, v)| (t as f64 / 1_000.0, v * per))
        .collect()
}

/// Each consumer with its history and its colour, in config order.
fn consumers(app: &App) -> impl Iterator<Item = (&ConsumerConfig, &SeriesStore, RGBColor)> {
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

fn solid(label: impl Into<String>, color: RGBColor, points: Vec<(f64, f64)>) -> Line {
    Line {
        label: label.into(),
        color,
        points,
        dashed: false,
    }
}

fn dashed(label: impl Into<String>, color: RGBColor, points: Vec<(f64, f64)>) -> Line {
    Line {
        label: label.into(),
        color,
        points,
        dashed: true,
    }
}

fn flat(label: impl Into<String>, color: RGBColor, value: f64, x: (f64, f64)) -> Line {
    Line {
        label: label.into(),
        color,
        points: vec![(x.0, value), (x.1, value)],
        dashed: true,
    }
}

/// The visible stretch of time: samples from `since_ms`, the x axis in seconds.
#[derive(Clone, Copy)]
struct Span {
    since_ms: u64,
    x: (f64, f64),
}

/// What chart `id` shows now, for the app's current window.
pub fn build(app: &App, id: ChartId) -> Drawing<'_> {
    let now_ms = app.sim.now_ms();
    let since_ms = app.window_s.map_or(0, |w| now_ms.saturating_sub(w * 1_000));
    let x = (
        since_ms as f64 / 1_000.0,
        (now_ms as f64 / 1_000.0).max(since_ms as f64 / 1_000.0 + 60.0),
    );
    let span = Span { since_ms, x };
    let mut chart = TimeChart {
        title: String::new(),
        y_unit: "records/s".into(),
        x_range: x,
        lines: Vec::new(),
        y_format: axis_count,
        y_floor: 10.0,
        y_scale: Scale::Decimal,
    };
    match id {
        ChartId::Incoming => incoming(app, &span, &mut chart),
        ChartId::Throttled => throttled(app, &span, &mut chart),
        ChartId::Age => age(app, &span, &mut chart),
        ChartId::Loss => loss(app, &span, &mut chart),
        ChartId::Lambda => lambda(app, &span, &mut chart),
        ChartId::Reads => reads(app, &span, &mut chart),
        ChartId::Shards => return Drawing::Strip(&app.utilisation),
    }
    Drawing::Time(chart)
}

/// Offered and accepted records and bytes as a share of the write limit.
fn incoming(app: &App, span: &Span, chart: &mut TimeChart) {
    let Span { since_ms, x } = *span;
    let shards = f64::from(app.sim.open_shards());
    let m = app.sim.metrics();
    let tick_s = f64::from(app.sim.config().tick_s);
    chart.title = format!(
        "Incoming: {}/s · {} (limit {}/s · {})",
        thousands((m.incoming_records as f64 / tick_s) as u64),
        bytes_per_s(&(m.incoming_bytes as f64 / tick_s)),
        thousands((shards * SHARD_WRITE_RECORDS_PER_S as f64) as u64),
        bytes_per_s(&(shards * SHARD_WRITE_BYTES_PER_S as f64)),
    );
    // Records and bytes share one axis as a share of the write limit of the shards
    // open at each moment, so resharding moves the lines, not the limit.
    chart.y_unit = "% of write limit".into();
    chart.y_format = axis_percent;
    chart.y_floor = 120.0;
    let open = points(&app.stream, "open_shards", since_ms, false);
    let share = |column: &str, per_shard: u64| -> Vec<(f64, f64)> {
        points(&app.stream, column, since_ms, true)
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
        "write limit (1,000 records/s and 1 MiB/s per shard)",
        VERMILLION,
        100.0,
        x,
    ));
}

/// Records refused by the write limit and records producers gave up on, per second.
fn throttled(app: &App, span: &Span, chart: &mut TimeChart) {
    let since_ms = span.since_ms;
    chart.title = "Throttled writes and producer drops".into();
    chart.lines.push(solid(
        "WriteProvisionedThroughputExceeded",
        ORANGE,
        points(
            &app.stream,
            "WriteProvisionedThroughputExceeded",
            since_ms,
            true,
        ),
    ));
    chart.lines.push(solid(
        "dropped by producers",
        VERMILLION,
        points(&app.stream, "dropped_by_producer", since_ms, true),
    ));
}

/// Iterator age per consumer, with the retention line once ages come near it.
fn age(app: &App, span: &Span, chart: &mut TimeChart) {
    let Span { since_ms, x } = *span;
    chart.title = "Iterator age per consumer".into();
    chart.y_unit = "age".into();
    chart.y_format = axis_duration;
    chart.y_floor = 10_000.0;
    chart.y_scale = Scale::Duration;
    for (c, store, color) in consumers(app) {
        chart.lines.push(solid(
            c.name().to_string(),
            color,
            points(store, "IteratorAgeMilliseconds", since_ms, false),
        ));
    }
    let retention = f64::from(app.sim.config().stream.retention_hours) * 3_600_000.0;
    let peak = chart
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    // The retention line is drawn once ages come within a tenth of it, so small
    // ages stay readable until loss is near.
    if peak * 10.0 >= retention {
        chart
            .lines
            .push(flat("retention (records expire)", VERMILLION, retention, x));
    }
}

/// Records lost so far: expired and skipped per consumer, dropped by producers.
fn loss(app: &App, span: &Span, chart: &mut TimeChart) {
    let since_ms = span.since_ms;
    chart.title = "Records lost (cumulative)".into();
    chart.y_unit = "records".into();
    let ledgers = app.sim.ledgers();
    for (c, store, color) in consumers(app) {
        let Some(l) = ledgers.iter().find(|l| l.name == c.name()) else {
            continue;
        };
        chart.lines.push(solid(
            format!("{} expired", c.name()),
            color,
            cumulative(
                points(store, "expired", since_ms, false),
                l.ledger.expired as f64,
            ),
        ));
        if matches!(c, ConsumerConfig::Lambda(_)) {
            chart.lines.push(dashed(
                format!("{} skipped", c.name()),
                color,
                cumulative(
                    points(store, "skipped", since_ms, false),
                    l.ledger.skipped as f64,
                ),
            ));
        }
    }
    let dropped = app.sim.totals().dropped_by_producer as f64;
    chart.lines.push(solid(
        "dropped by producers",
        VERMILLION,
        cumulative(
            points(&app.stream, "dropped_by_producer", since_ms, false),
            dropped,
        ),
    ));
}

/// Concurrent executions and throttles per Lambda function, with the cap.
fn lambda(app: &App, span: &Span, chart: &mut TimeChart) {
    let Span { since_ms, x } = *span;
    chart.title = "Lambda concurrency".into();
    chart.y_unit = "executions".into();
    let mut cap = 0.0;
    for (c, store, color) in consumers(app) {
        let ConsumerConfig::Lambda(l) = c else {
            continue;
        };
        chart.lines.push(solid(
            format!("{} ConcurrentExecutions", l.name),
            color,
            points(store, "ConcurrentExecutions", since_ms, false),
        ));
        chart.lines.push(solid(
            format!("{} Throttles/s", l.name),
            VERMILLION,
            points(store, "Throttles", since_ms, true),
        ));
        cap = f64::max(
            cap,
            f64::from(
                app.sim
                    .config()
                    .lambda_concurrency_cap(l, app.sim.open_shards()),
            ),
        );
    }
    if cap > 0.0 {
        chart
            .lines
            .push(flat("shards × PF (or reserved)", GREEN, cap, x));
    }
}

/// Bytes read per second per consumer against the shared read limit.
fn reads(app: &App, span: &Span, chart: &mut TimeChart) {
    let Span { since_ms, x } = *span;
    let shards = f64::from(app.sim.open_shards());
    chart.title = "Read throughput per consumer".into();
    chart.y_unit = "bytes/s".into();
    chart.y_format = bytes_per_s_axis;
    chart.y_floor = 1_024.0;
    chart.y_scale = Scale::Binary;
    for (c, store, color) in consumers(app) {
        let efo = if c.fan_out() == FanOut::Enhanced {
            " (enhanced)"
        } else {
            ""
        };
        chart.lines.push(solid(
            format!("{}{efo}", c.name()),
            color,
            points(store, "bytes_read", since_ms, true),
        ));
    }
    chart.lines.push(flat(
        "shared read limit (2 MiB/s × shards)",
        VERMILLION,
        shards * READ_BYTES_PER_S as f64,
        x,
    ));
}

fn axis_percent(v: &f64) -> String {
    format!("{}%", axis_count(v))
}

/// Byte rates on the axis: whole ticks without decimals ("2 MiB/s", "1.5 MiB/s").
fn bytes_per_s_axis(v: &f64) -> String {
    let mib = v / 1_048_576.0;
    if mib >= 1.0 && (mib - mib.round()).abs() < 1e-9 {
        format!("{mib:.0} MiB/s")
    } else {
        bytes_per_s(v)
    }
}
