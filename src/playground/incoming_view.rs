//! The Incoming chart as CloudWatch shows it, for the stream: IncomingRecords against
//! the write limit over the period and AWS's own check of what was tried, or
//! IncomingBytes against the byte limit when records over 1 KiB fill that first.

use crate::chart::theme::{BLUE, ORANGE, VERMILLION};
use crate::chart::{Line, Scale, TimeChart};
use crate::format::{bytes_per_s, thousands};
use crate::model::cloudwatch::Statistic;
use crate::model::series::Fold;
use crate::model::sim::{SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};
use crate::model::store::SeriesStore;

use super::app::App;
use super::chart_lines::steps;
use super::charts::{dashed, points, Span};
use super::cloudwatch::metric;

/// The Incoming chart as CloudWatch shows it: IncomingRecords by the view's statistic
/// against the write limit over the same period and, for a Sum, what was really tried
/// (IncomingRecords + WriteProvisionedThroughputExceeded, AWS's own check); with the
/// truth, everything per second beside what producers offered each second.
pub(super) fn incoming(app: &App, span: &Span, chart: &mut TimeChart) {
    if bytes_bound(&app.stream, span) {
        return incoming_bytes(app, span, chart);
    }
    let view = span.view;
    let stat = view.stat_for(Fold::Sum);
    let scale = view.scale(stat);
    let minutes = view.period_s / 60;
    chart.y_unit = match stat {
        Statistic::Sum if scale > 1.0 => format!("records per {minutes} min"),
        Statistic::Sum => "records/s".into(),
        Statistic::SampleCount => "PutRecords calls".into(),
        _ => "records per PutRecords call".into(),
    };
    let stream = &app.stream;
    chart.lines.extend(metric(
        "offered records (first attempts)".into(),
        ORANGE,
        false,
        stream,
        "produced",
        span,
        true,
    ));
    chart.lines.extend(metric(
        "IncomingRecords".into(),
        BLUE,
        false,
        stream,
        "IncomingRecords",
        span,
        true,
    ));
    let incoming = chart.lines.iter().find(|l| !l.dashed && l.color == BLUE);
    let last = incoming.and_then(|l| l.points.last()).map_or(0.0, |p| p.1);
    let shards = points(stream, "open_shards", span, false)
        .last()
        .map_or(f64::from(app.sim.open_shards()), |p| p.1);
    if stat != Statistic::Sum {
        chart.title = format!("IncomingRecords {stat} {}", thousands(last as u64));
        return;
    }
    let tried = tried(
        stream,
        span,
        if scale > 1.0 {
            1.0
        } else {
            view.period_s as f64
        },
    );
    chart.lines.push(Line {
        label: "IncomingRecords + WriteProvisionedThroughputExceeded (Sum): tried".into(),
        color: ORANGE,
        points: tried,
        dashed: false,
    });
    let per_shard = SHARD_WRITE_RECORDS_PER_S as f64 * scale;
    let limit: Vec<(f64, f64)> = points(stream, "open_shards", span, false)
        .into_iter()
        .map(|(t, n)| (t, n * per_shard))
        .collect();
    let label = if scale > 1.0 {
        format!(
            "write limit ({} records per shard per {minutes} min)",
            thousands(per_shard as u64)
        )
    } else {
        "write limit (1,000 records/s per shard)".into()
    };
    chart.lines.push(dashed(
        label,
        VERMILLION,
        steps(&limit, span.x, shards * per_shard),
    ));
    let unit = if scale > 1.0 {
        format!(" per {minutes} min")
    } else {
        "/s".into()
    };
    chart.title = format!(
        "IncomingRecords Sum {}{unit} (limit {})",
        thousands(last as u64),
        thousands((shards * per_shard) as u64)
    );
}

/// Whether the span's accepted writes are nearer a shard's byte limit than its record
/// limit: records of more than 1,048.576 bytes on average (1,000 of them fill 1 MiB).
pub(super) fn bytes_bound(stream: &SeriesStore, span: &Span) -> bool {
    let sum = |column| {
        let period_ms = span.view.period_s.max(60) * 1_000;
        let points = stream.datapoints(
            column,
            Statistic::Sum,
            period_ms,
            span.since_ms,
            span.until_ms,
        );
        points.iter().map(|p| p.1).sum::<f64>()
    };
    let per_record = SHARD_WRITE_BYTES_PER_S as f64 / SHARD_WRITE_RECORDS_PER_S as f64;
    sum("IncomingBytes") > sum("IncomingRecords") * per_record
}

/// The Incoming chart of a stream its bytes limit: IncomingBytes by the view's
/// statistic, and for a Sum against the byte limit over the same period.
fn incoming_bytes(app: &App, span: &Span, chart: &mut TimeChart) {
    let view = span.view;
    let stat = view.stat_for(Fold::Sum);
    let scale = view.scale(stat);
    let minutes = view.period_s / 60;
    chart.y_unit = match stat {
        Statistic::Sum if scale > 1.0 => format!("bytes per {minutes} min"),
        Statistic::Sum => "bytes/s".into(),
        Statistic::SampleCount => "PutRecords calls".into(),
        _ => "bytes per PutRecords call".into(),
    };
    chart.y_scale = Scale::Binary;
    chart.y_floor = 1_024.0;
    chart.y_format = if stat == Statistic::Sum && scale == 1.0 {
        bytes_per_s
    } else {
        |v| bytes_per_s(v).trim_end_matches("/s").to_string()
    };
    let stream = &app.stream;
    let label = "IncomingBytes".to_string();
    chart.lines.extend(metric(
        label,
        BLUE,
        false,
        stream,
        "IncomingBytes",
        span,
        true,
    ));
    let last = chart
        .lines
        .iter()
        .rev()
        .find_map(|l| l.points.last())
        .map_or(0.0, |p| p.1);
    let shown = (chart.y_format)(&last);
    if stat != Statistic::Sum {
        chart.title = format!("IncomingBytes {stat} {shown}");
        return;
    }
    let per_shard = SHARD_WRITE_BYTES_PER_S as f64 * scale;
    let limit: Vec<(f64, f64)> = points(stream, "open_shards", span, false)
        .into_iter()
        .map(|(t, n)| (t, n * per_shard))
        .collect();
    let shards = limit
        .last()
        .map_or(f64::from(app.sim.open_shards()), |p| p.1 / per_shard);
    let label = format!(
        "write limit (1 MiB/s per shard{})",
        if scale > 1.0 {
            format!(" × {scale} s")
        } else {
            String::new()
        }
    );
    chart.lines.push(dashed(
        label,
        VERMILLION,
        steps(&limit, span.x, shards * per_shard),
    ));
    let limit = (chart.y_format)(&(shards * per_shard));
    chart.title = format!("IncomingBytes Sum {shown} (limit {limit})");
}

/// IncomingRecords + WriteProvisionedThroughputExceeded per period (Sum ÷ `per`).
fn tried(stream: &SeriesStore, span: &Span, per: f64) -> Vec<(f64, f64)> {
    let period_ms = span.view.period_s * 1_000;
    let sums = |column| {
        stream.datapoints(
            column,
            Statistic::Sum,
            period_ms,
            span.since_ms,
            span.until_ms,
        )
    };
    let throttled = sums("WriteProvisionedThroughputExceeded");
    sums("IncomingRecords")
        .into_iter()
        .map(|(t, v)| {
            let refused = throttled.iter().find(|p| p.0 == t).map_or(0.0, |p| p.1);
            (t as f64 / 1_000.0, (v + refused) / per)
        })
        .collect()
}
