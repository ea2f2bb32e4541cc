//! The charts as CloudWatch would show them: each CloudWatch metric as datapoints of a
//! statistic over 1- or 5-minute periods, the model's own measures (which no CloudWatch
//! metric shows) left out, and on request the per-second truth drawn beside them.

use crate::chart::Scale;
use crate::chart::{Line, Rgb, TimeChart};
use crate::format::axis_count;
use crate::model::cloudwatch::{is_cloudwatch, Statistic};
use crate::model::series::Fold;
use crate::model::store::SeriesStore;
use crate::model::ConsumerConfig;

use super::actions::UiControl;
use super::app::App;
use super::charts::{dashed, points, Span};
use super::menus::{Binding, Menu};

/// How the charts show metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MetricsView {
    /// Seconds per CloudWatch datapoint; 0 draws every second as the model counts it.
    pub period_s: u64,
    /// The statistic; `None` is each metric's usual one (Sum for counts, Maximum for
    /// ages and other gauges).
    pub stat: Option<Statistic>,
    /// Whether the per-second truth is drawn beside CloudWatch's datapoints, which are
    /// then per second too (a Sum divided by the period's seconds).
    pub truth: bool,
    /// Whether the Incoming chart shows each shard (enhanced monitoring) rather than
    /// the stream.
    pub shards: bool,
}

/// The label of the checkbox that draws the per-second truth beside CloudWatch's view.
pub const TRUTH_LABEL: &str = "Draw each second beside CloudWatch's datapoints";

/// The views the metrics menu offers: period in seconds (0: every second), whether per
/// shard, and the option's text.
const PERIODS: [(u64, bool, &str); 5] = [
    (0, false, "each second, as the model counts"),
    (60, false, "as CloudWatch: 1-minute datapoints"),
    (300, false, "as CloudWatch: 5-minute datapoints"),
    (60, true, "per shard: 1-minute datapoints"),
    (300, true, "per shard: 5-minute datapoints"),
];

/// The metrics menu's value for a period and level: "60", or "60-shard" per shard.
fn period_text(period_s: u64, shards: bool) -> String {
    if shards {
        format!("{period_s}-shard")
    } else {
        period_s.to_string()
    }
}

/// The metrics menu's value for `view`.
pub fn period_value(view: &MetricsView) -> String {
    period_text(view.period_s, view.shards && view.cloudwatch())
}

impl MetricsView {
    /// Whether charts show CloudWatch's datapoints.
    pub fn cloudwatch(&self) -> bool {
        self.period_s > 0
    }

    /// What a per-second rate is multiplied by to compare with `stat`'s datapoints: the
    /// period's seconds for a Sum shown in CloudWatch's own units, else 1.
    pub fn scale(&self, stat: Statistic) -> f64 {
        if self.cloudwatch() && !self.truth && stat == Statistic::Sum {
            self.period_s as f64
        } else {
            1.0
        }
    }

    /// The statistic a metric folded with `fold` is read with.
    pub fn stat_for(&self, fold: Fold) -> Statistic {
        self.stat.unwrap_or(if fold == Fold::Sum {
            Statistic::Sum
        } else {
            Statistic::Maximum
        })
    }

    /// What the chart titles add: " · CloudWatch, 1 min" or " · CloudWatch, 1 min, per
    /// second" when the Sums are divided by the period's seconds.
    pub fn title(&self) -> String {
        if !self.cloudwatch() {
            return String::new();
        }
        let per = if self.truth { ", per second" } else { "" };
        format!(" · CloudWatch, {} min{per}", self.period_s / 60)
    }
}

/// The metrics menu, `view`'s period chosen.
pub fn period_menu(view: &MetricsView) -> Menu {
    Menu {
        id: "kp-period",
        label: "Metrics",
        binding: Binding::Ui(UiControl::Period),
        options: PERIODS
            .iter()
            .map(|&(p, s, text)| (period_text(p, s), text.to_string()))
            .collect(),
        selected: period_value(view),
        help: "CloudWatch keeps one datapoint a minute for a stream: bursts inside a minute disappear. Metrics it does not have are left out. Per shard, the Incoming chart shows each shard's datapoints (enhanced monitoring) from the moment you choose it.",
    }
}

/// The statistic menu, `view`'s chosen.
pub fn stat_menu(view: &MetricsView) -> Menu {
    let mut options = vec![(
        "usual".to_string(),
        "usual (Sum for counts, Maximum for ages)".to_string(),
    )];
    options.extend(
        Statistic::ALL
            .iter()
            .map(|s| (s.name().to_string(), s.name().to_string())),
    );
    Menu {
        id: "kp-stat",
        label: "Statistic",
        binding: Binding::Ui(UiControl::Stat),
        options,
        selected: stat_value(view.stat),
        help: "Average, Maximum and Minimum of write and read metrics are per API call, not per second.",
    }
}

/// The statistic menu's value for `stat`.
pub fn stat_value(stat: Option<Statistic>) -> String {
    stat.map_or_else(|| "usual".to_string(), |s| s.name().to_string())
}

/// A period and level chosen in the metrics menu: (seconds, per shard).
pub fn parse_period(choice: &str) -> Result<(u64, bool), String> {
    PERIODS
        .iter()
        .find(|p| period_text(p.0, p.1) == choice)
        .map(|p| (p.0, p.1))
        .ok_or_else(|| {
            format!("metrics: {choice:?} is not 0, 60 or 300 seconds (\"60-shard\": per shard)")
        })
}

/// A statistic chosen in the statistic menu.
pub fn parse_stat(choice: &str) -> Result<Option<Statistic>, String> {
    if choice == "usual" {
        Ok(None)
    } else {
        choice.parse().map(Some)
    }
}

/// The lines of metric `column` of `store`: every second, or in a CloudWatch view its
/// datapoints (with the per-second truth beside them, dashed, when asked); a measure
/// of the model's own has no line in a CloudWatch view without the truth. Sums become
/// per-second rates when `rate` is set, unless CloudWatch's own units are shown.
pub(super) fn metric(
    label: String,
    color: Rgb,
    is_dashed: bool,
    store: &SeriesStore,
    column: &str,
    span: &Span,
    rate: bool,
) -> Vec<Line> {
    let view = span.view;
    if !view.cloudwatch() {
        return vec![Line {
            label,
            color,
            points: points(store, column, span, rate),
            dashed: is_dashed,
        }];
    }
    if !is_cloudwatch(column) {
        return if view.truth {
            vec![truth(label, color, store, column, span, rate)]
        } else {
            Vec::new()
        };
    }
    // The truth first, so CloudWatch's line is drawn over it.
    let mut lines = Vec::new();
    if view.truth {
        lines.push(truth(label.clone(), color, store, column, span, rate));
    }
    lines.extend(datapoints(label, color, store, column, span, rate));
    lines
}

/// The per-second truth of `column`, dashed: each second while the chart's window
/// holds every tick, else each sample's busiest second, so bursts show at any zoom.
fn truth(
    label: String,
    color: Rgb,
    store: &SeriesStore,
    column: &str,
    span: &Span,
    rate: bool,
) -> Line {
    let (step_ms, peaks) = store.peaks(column, span.since_ms, span.until_ms);
    let tick_ms = store.levels().first().map_or(1_000, |l| l.step_ms);
    if peaks.is_empty() || step_ms <= tick_ms {
        // A tick longer than a second holds its seconds' average: say so.
        let each = match tick_ms / 1_000 {
            0 | 1 => "each second".to_string(),
            s => format!("each {s} s tick, per second"),
        };
        return dashed(
            format!("{label}, {each}"),
            color,
            points(store, column, span, rate),
        );
    }
    dashed(
        format!("{label}, busiest second"),
        color,
        peaks
            .into_iter()
            .map(|(t, v)| (t as f64 / 1_000.0, v))
            .collect(),
    )
}

/// In a CloudWatch view, the line of CloudWatch metric `column`'s datapoints (per
/// second when the truth is drawn beside them and `rate` is set); else none.
pub(super) fn datapoints(
    label: String,
    color: Rgb,
    store: &SeriesStore,
    column: &str,
    span: &Span,
    rate: bool,
) -> Option<Line> {
    let view = span.view;
    if !view.cloudwatch() {
        return None;
    }
    let fold = store.fold(column).unwrap_or(Fold::Sum);
    let stat = view.stat_for(fold);
    let per = if rate && view.truth && stat == Statistic::Sum {
        view.period_s as f64
    } else {
        1.0
    };
    let points = store
        .datapoints(
            column,
            stat,
            view.period_s * 1_000,
            span.since_ms,
            span.until_ms,
        )
        .into_iter()
        .map(|(t, v)| (t as f64 / 1_000.0, v / per))
        .collect();
    Some(Line {
        label: format!("{label} ({stat})"),
        color,
        points,
        dashed: false,
    })
}

/// A chart's title and unit in a CloudWatch view: the statistic and period in the
/// title, and per-second units as per-period ones when Sums are shown as CloudWatch
/// gives them.
/// A statistic other than Sum is per sample (a call, an invocation or a second), so
/// rates are named per sample; a SampleCount counts samples, whatever the metric.
pub(super) fn units(view: &MetricsView, chart: &mut TimeChart) {
    chart.title.push_str(&view.title());
    match view.stat {
        Some(Statistic::SampleCount) => {
            chart.y_unit = "samples (calls, invocations or seconds)".into();
            chart.y_format = axis_count;
            chart.y_scale = Scale::Decimal;
            return;
        }
        Some(Statistic::Average | Statistic::Maximum | Statistic::Minimum) if !view.truth => {
            chart.y_unit = chart
                .y_unit
                .replace("/s", " per sample")
                .replace(" per second", " per sample");
            return;
        }
        _ => {}
    }
    if view.scale(view.stat_for(Fold::Sum)) > 1.0 {
        let per = format!(" per {} min", view.period_s / 60);
        chart.y_unit = chart
            .y_unit
            .replace("/s", &per)
            .replace(" per second", &per);
    }
}

impl App {
    /// The metric history as CSV, as the charts show it: each sample with each
    /// consumer's columns under its name, or in a CloudWatch view CloudWatch's
    /// datapoints of the chosen period and statistic (each shard's too, per shard),
    /// the stream named after the preset.
    pub fn series_csv(&self) -> String {
        let consumers: Vec<(&str, &SeriesStore)> = self
            .sim
            .config()
            .consumers
            .iter()
            .map(ConsumerConfig::name)
            .zip(&self.consumers)
            .collect();
        if self.view.cloudwatch() {
            return crate::share::cloudwatch::stores_csv(
                self.preset.as_deref().unwrap_or("playground"),
                &self.stream,
                &consumers,
                self.shard_history.as_ref().filter(|_| self.view.shards),
                self.view.period_s,
                self.view.stat,
                self.sim.now_ms(),
            );
        }
        crate::share::csv::series(&self.stream, &consumers, 0)
    }
}
