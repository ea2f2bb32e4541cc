//! The charts of the consumers' side: Lambda concurrency, read throughput, records
//! processed, refused reads and Lambda errors.

use crate::chart::theme::{GREEN, VERMILLION};
use crate::chart::{Scale, TimeChart};
use crate::format::bytes_per_s;
use crate::model::reads::READ_BYTES_PER_S;
use crate::model::{ConsumerConfig, FanOut};

use super::app::{App, CAP_COLUMN};
use super::chart_lines::{highest, steps};
use super::charts::{consumers, dashed, points, solid, Span};

/// Concurrent executions and throttles per Lambda function, with the cap.
pub(super) fn lambda(app: &App, span: &Span, chart: &mut TimeChart) {
    let x = span.x;
    chart.title = "Lambda concurrency".into();
    chart.y_unit = "executions".into();
    let mut cap = 0.0;
    let mut caps = Vec::new();
    for (c, store, color) in consumers(app) {
        let ConsumerConfig::Lambda(l) = c else {
            continue;
        };
        chart.lines.push(solid(
            format!("{} ConcurrentExecutions", l.name),
            color,
            points(store, "ConcurrentExecutions", span, false),
        ));
        chart.lines.push(solid(
            format!("{} Throttles/s", l.name),
            VERMILLION,
            points(store, "Throttles", span, true),
        ));
        caps.push(points(store, CAP_COLUMN, span, false));
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
        // The cap as it was at each moment: resharding and edits move it from then on.
        chart.lines.push(dashed(
            "shards × PF (or reserved)",
            GREEN,
            steps(&highest(&caps), x, cap),
        ));
    }
}

/// Bytes read per second per consumer against the shared read limit.
pub(super) fn reads(app: &App, span: &Span, chart: &mut TimeChart) {
    let x = span.x;
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
            points(store, "bytes_read", span, true),
        ));
    }
    // The limit of the shards open at each moment.
    let limit: Vec<(f64, f64)> = points(&app.stream, "open_shards", span, false)
        .into_iter()
        .map(|(t, n)| (t, n * READ_BYTES_PER_S as f64))
        .collect();
    chart.lines.push(dashed(
        "shared read limit (2 MiB/s × shards)",
        VERMILLION,
        steps(&limit, x, shards * READ_BYTES_PER_S as f64),
    ));
}

/// Records processed per second by each consumer, against the records written.
pub(super) fn processed(app: &App, span: &Span, chart: &mut TimeChart) {
    chart.title = "Records processed per consumer".into();
    for (c, store, color) in consumers(app) {
        chart.lines.push(solid(
            format!("{} processed", c.name()),
            color,
            points(store, "processed", span, true),
        ));
    }
    chart.lines.push(dashed(
        "IncomingRecords",
        VERMILLION,
        points(&app.stream, "IncomingRecords", span, true),
    ));
}

/// GetRecords calls refused per consumer and failed invocations per Lambda function,
/// per second.
pub(super) fn errors(app: &App, span: &Span, chart: &mut TimeChart) {
    chart.title = "Refused reads and Lambda errors".into();
    chart.y_unit = "per second".into();
    chart.y_floor = 1.0;
    for (c, store, color) in consumers(app) {
        chart.lines.push(solid(
            format!("{} ReadProvisionedThroughputExceeded", c.name()),
            color,
            points(store, "ReadProvisionedThroughputExceeded", span, true),
        ));
        if matches!(c, ConsumerConfig::Lambda(_)) {
            chart.lines.push(dashed(
                format!("{} Errors", c.name()),
                color,
                points(store, "Errors", span, true),
            ));
        }
    }
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
