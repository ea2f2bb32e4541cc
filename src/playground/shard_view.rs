//! The Incoming chart per shard, as enhanced monitoring shows it: the busiest shards'
//! `IncomingRecords` datapoints, the average shard and the per-shard write limit, and
//! in the title AWS's check for a hot shard — the busiest shard's `IncomingBytes`
//! against the average shard's. Shard-level metrics exist from the moment the view is
//! first chosen, as on a stream where enhanced monitoring is turned on then.

use crate::chart::theme::{SKY, VERMILLION};
use crate::chart::Scale;
use crate::chart::TimeChart;
use crate::format::{axis_duration, bytes_per_s};
use crate::format::{clock, thousands};
use crate::model::cloudwatch::Statistic;
use crate::model::series::Fold;
use crate::model::shard_history::ShardHistory;
use crate::model::sim::{SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};
use crate::share::cloudwatch::shard_id;

use crate::model::order::sort_by_key;

use super::app::App;
use super::charts::{dashed, solid, Span, PALETTE};
use super::incoming_view::bytes_bound;

/// Shards drawn one line each, the busiest first.
const DRAWN: usize = 4;

/// Draws the Incoming chart per shard into `chart`.
pub(super) fn incoming(app: &App, span: &Span, chart: &mut TimeChart) {
    let view = span.view;
    let stat = view.stat_for(Fold::Sum);
    let minutes = view.period_s / 60;
    // Sums in CloudWatch's units, or per second beside the truth.
    let per = if stat == Statistic::Sum && view.scale(stat) == 1.0 {
        view.period_s as f64
    } else {
        1.0
    };
    // Records, or bytes for writes that fill the byte limit first.
    let bytes = bytes_bound(&app.stream, span);
    let (metric, noun, limit_per_s) = if bytes {
        ("IncomingBytes", "bytes", SHARD_WRITE_BYTES_PER_S)
    } else {
        ("IncomingRecords", "records", SHARD_WRITE_RECORDS_PER_S)
    };
    if bytes {
        chart.y_scale = Scale::Binary;
        chart.y_floor = 1_024.0;
        chart.y_format = |v| bytes_per_s(v).trim_end_matches("/s").to_string();
    }
    chart.y_unit = match stat {
        Statistic::Sum if per == 1.0 => format!("{noun} per shard per {minutes} min"),
        Statistic::Sum => format!("{noun}/s per shard"),
        Statistic::SampleCount => "PutRecords calls per shard".into(),
        _ => format!("{noun} per PutRecords call"),
    };
    let Some(history) = app.shard_history.as_ref() else {
        chart.title = "Per shard: enhanced monitoring starts now".into();
        return;
    };
    shard_lines(history, metric, stat, per, span, chart);
    if stat == Statistic::Sum {
        let limit = limit_per_s as f64 * view.period_s as f64 / per;
        let shown = if bytes {
            (chart.y_format)(&limit)
        } else {
            thousands(limit as u64)
        };
        chart.lines.push(dashed(
            format!("write limit per shard ({shown})"),
            VERMILLION,
            vec![(span.x.0, limit), (span.x.1, limit)],
        ));
    }
    chart.title = hot_shard(app, span).unwrap_or_else(|| {
        let since = history.first_ms().unwrap_or(app.sim.now_ms());
        format!(
            "Per shard: the first datapoints end at {}",
            clock(since.div_ceil(60_000) as f64 * 60.0, 3_600.0)
        )
    });
}

/// Draws shard-level metric `metric`'s datapoints with `stat` (÷ `per`): the busiest
/// shards one line each and the average shard; returns how many shards had one.
fn shard_lines(
    history: &ShardHistory,
    metric: &str,
    stat: Statistic,
    per: f64,
    span: &Span,
    chart: &mut TimeChart,
) -> usize {
    let period_ms = span.view.period_s * 1_000;
    let records = history.datapoints(metric, stat, period_ms, span.since_ms, span.until_ms);
    let seconds = |t: u64| t as f64 / 1_000.0;
    for ((id, points), color) in busiest(&records).into_iter().zip(PALETTE) {
        let points = points.iter().map(|&(t, v)| (seconds(t), v / per)).collect();
        chart
            .lines
            .push(solid(format!("{} ({stat})", shard_id(*id)), color, points));
    }
    let mut average: Vec<(u64, f64, f64)> = Vec::new();
    for (_, points) in &records {
        for &(t, v) in points {
            match average.iter_mut().find(|a| a.0 == t) {
                Some(a) => (a.1, a.2) = (a.1 + v, a.2 + 1.0),
                None => average.push((t, v, 1.0)),
            }
        }
    }
    sort_by_key(&mut average, |a| a.0);
    let label = format!("average of {} shards", records.len());
    let average = average
        .iter()
        .map(|a| (seconds(a.0), a.1 / a.2 / per))
        .collect();
    chart.lines.push(dashed(label, SKY, average));
    records.len()
}

/// The Throttled chart per shard: each shard's `WriteProvisionedThroughputExceeded`
/// (records it refused), the busiest shards and the average shard.
pub(super) fn throttled(app: &App, span: &Span, chart: &mut TimeChart) {
    let stat = span.view.stat_for(Fold::Sum);
    chart.title = "WriteProvisionedThroughputExceeded per shard".into();
    chart.y_unit = "records per shard".into();
    if let Some(history) = app.shard_history.as_ref() {
        shard_lines(
            history,
            "WriteProvisionedThroughputExceeded",
            stat,
            1.0,
            span,
            chart,
        );
    }
}

/// The iterator age chart per shard: each shard's `IteratorAgeMilliseconds`, and how
/// many open shards have no datapoint because no GetRecords call reads them.
pub(super) fn age(app: &App, span: &Span, chart: &mut TimeChart) {
    let stat = span.view.stat_for(Fold::Max);
    chart.title = "IteratorAgeMilliseconds per shard".into();
    chart.y_unit = "age".into();
    chart.y_format = axis_duration;
    chart.y_floor = 10_000.0;
    chart.y_scale = Scale::Duration;
    let Some(history) = app.shard_history.as_ref() else {
        return;
    };
    let read = shard_lines(history, "IteratorAgeMilliseconds", stat, 1.0, span, chart);
    let open = app.sim.open_shards() as usize;
    if read < open {
        chart.title = format!(
            "IteratorAgeMilliseconds per shard: {} of {open} shards unread, no datapoint",
            open - read
        );
    }
}

/// The [`DRAWN`] shards with the most over the span, the busiest first.
fn busiest(records: &[(u32, Vec<(u64, f64)>)]) -> Vec<&(u32, Vec<(u64, f64)>)> {
    let total = |r: &(u32, Vec<(u64, f64)>)| r.1.iter().map(|p| p.1).sum::<f64>();
    let mut top: Vec<&(u32, Vec<(u64, f64)>)> = Vec::with_capacity(DRAWN + 1);
    for r in records {
        let at = top
            .iter()
            .position(|t| total(r) > total(t))
            .unwrap_or(top.len());
        top.insert(at, r);
        top.truncate(DRAWN);
    }
    top
}

/// AWS's check for a hot shard over the span's last period: IncomingBytes Sum per
/// shard, the busiest against the average shard.
fn hot_shard(app: &App, span: &Span) -> Option<String> {
    let history = app.shard_history.as_ref()?;
    let period_ms = span.view.period_s * 1_000;
    let bytes = history.datapoints(
        "IncomingBytes",
        Statistic::Sum,
        period_ms,
        span.since_ms,
        span.until_ms,
    );
    let end = bytes
        .iter()
        .filter_map(|(_, p)| p.last())
        .map(|p| p.0)
        .max()?;
    let last: Vec<(u32, f64)> = bytes
        .iter()
        .filter_map(|(id, p)| p.iter().find(|q| q.0 == end).map(|q| (*id, q.1)))
        .collect();
    let (id, max) = last.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let mean = last.iter().map(|l| l.1).sum::<f64>() / last.len() as f64;
    Some(format!(
        "{} IncomingBytes {:.1}× the average shard",
        shard_id(id),
        if mean > 0.0 { max / mean } else { 1.0 },
    ))
}
