//! The charts of the consumers' side: iterator age, records lost, Lambda concurrency,
//! read throughput, records processed, refused reads and Lambda errors.

use crate::chart::theme::{BLUE, GREEN, SKY, VERMILLION};
use crate::chart::{Scale, TimeChart};
use crate::format::{axis_duration, bytes_per_s};
use crate::model::reads::READ_BYTES_PER_S;
use crate::model::{ConsumerConfig, FanOut, OnFailure};

use super::app::{App, CAP_COLUMN, RETENTION_COLUMN};
use super::chart_lines::{highest, steps};
use super::charts::{consumers, dashed, points, running_total, solid, Span};
use super::cloudwatch::{datapoints, metric};
use crate::model::cloudwatch::Statistic;
use crate::model::series::Fold;

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
        chart.lines.extend(metric(
            format!("{} ConcurrentExecutions", l.name),
            color,
            false,
            store,
            "ConcurrentExecutions",
            span,
            false,
        ));
        chart.lines.extend(metric(
            format!(
                "{} Throttles{}",
                l.name,
                if span.view.cloudwatch() { "" } else { "/s" }
            ),
            VERMILLION,
            false,
            store,
            "Throttles",
            span,
            true,
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
        let enhanced = c.fan_out() == FanOut::Enhanced;
        let efo = if enhanced { " (enhanced)" } else { "" };
        chart.lines.extend(metric(
            format!("{}{efo}", c.name()),
            color,
            false,
            store,
            "bytes_read",
            span,
            true,
        ));
        // CloudWatch has an enhanced consumer's reads under its ConsumerName.
        if enhanced {
            let column = "SubscribeToShardEvent.Bytes";
            let label = format!("{} {column}", c.name());
            chart
                .lines
                .extend(datapoints(label, color, store, column, span, true));
        }
    }
    // And the standard consumers' reads all together, for the stream.
    let column = "GetRecords.Bytes";
    chart.lines.extend(datapoints(
        column.into(),
        BLUE,
        &app.stream,
        column,
        span,
        true,
    ));
    let stat = span.view.stat_for(Fold::Sum);
    let scale = span.view.scale(stat);
    let per_sample = span.view.cloudwatch() && !span.view.truth && stat != Statistic::Sum;
    if scale > 1.0 || per_sample {
        // Bytes per period or per call, not per second.
        chart.y_format = |v| bytes_per_s(v).trim_end_matches("/s").to_string();
    }
    if per_sample {
        // A call's bytes have no per-second limit to compare with.
        return;
    }
    // The limit of the shards open at each moment.
    let limit: Vec<(f64, f64)> = points(&app.stream, "open_shards", span, false)
        .into_iter()
        .map(|(t, n)| (t, n * READ_BYTES_PER_S as f64 * scale))
        .collect();
    chart.lines.push(dashed(
        if scale > 1.0 {
            format!("shared read limit (2 MiB/s × shards × {} s)", scale)
        } else {
            "shared read limit (2 MiB/s × shards)".into()
        },
        VERMILLION,
        steps(&limit, x, shards * READ_BYTES_PER_S as f64 * scale),
    ));
}

/// Records processed per second by each consumer, against the records written.
pub(super) fn processed(app: &App, span: &Span, chart: &mut TimeChart) {
    chart.title = "Records processed per consumer".into();
    for (c, store, color) in consumers(app) {
        chart.lines.extend(metric(
            format!("{} processed", c.name()),
            color,
            false,
            store,
            "processed",
            span,
            true,
        ));
        // Only a KCL application publishes RecordsProcessed.
        if matches!(c, ConsumerConfig::Kcl(_)) {
            let label = format!("{} RecordsProcessed", c.name());
            let points = datapoints(label, color, store, "RecordsProcessed", span, true);
            chart.lines.extend(points);
        }
    }
    chart.lines.extend(metric(
        "IncomingRecords".into(),
        VERMILLION,
        true,
        &app.stream,
        "IncomingRecords",
        span,
        true,
    ));
}

/// GetRecords calls refused per consumer and failed invocations per Lambda function,
/// per second.
pub(super) fn errors(app: &App, span: &Span, chart: &mut TimeChart) {
    chart.title = "Refused reads and Lambda errors".into();
    chart.y_unit = "per second".into();
    chart.y_floor = 1.0;
    // CloudWatch counts refused calls per stream (or shard), not per consumer.
    let refused = "ReadProvisionedThroughputExceeded";
    let stream = datapoints(refused.into(), VERMILLION, &app.stream, refused, span, true);
    chart.lines.extend(stream);
    for (c, store, color) in consumers(app) {
        chart.lines.extend(metric(
            format!("{} GetRecords calls refused", c.name()),
            color,
            false,
            store,
            "read_throttled",
            span,
            true,
        ));
        if matches!(c, ConsumerConfig::Lambda(_)) {
            chart.lines.extend(metric(
                format!("{} Errors", c.name()),
                color,
                true,
                store,
                "Errors",
                span,
                true,
            ));
        }
    }
}

/// Iterator age per consumer, with the retention line once ages come near it.
pub(super) fn age(app: &App, span: &Span, chart: &mut TimeChart) {
    if span.view.cloudwatch() && span.view.shards {
        return super::shard_view::age(app, span, chart);
    }
    let x = span.x;
    chart.title = "Iterator age per consumer".into();
    chart.y_unit = "age".into();
    chart.y_format = axis_duration;
    chart.y_floor = 10_000.0;
    chart.y_scale = Scale::Duration;
    for (c, store, color) in consumers(app) {
        chart.lines.extend(metric(
            c.name().to_string(),
            color,
            false,
            store,
            "oldest_unprocessed_age_ms",
            span,
            false,
        ));
        // What CloudWatch shows of the consumer's age.
        let name = match c {
            ConsumerConfig::Lambda(_) => "IteratorAge",
            ConsumerConfig::Kcl(_) => "MillisBehindLatest",
        };
        chart.lines.extend(datapoints(
            format!("{} {name}", c.name()),
            color,
            store,
            name,
            span,
            false,
        ));
    }
    chart.lines.extend(datapoints(
        "GetRecords.IteratorAgeMilliseconds".into(),
        SKY,
        &app.stream,
        "GetRecords.IteratorAgeMilliseconds",
        span,
        false,
    ));
    // The retention as it was at each moment: an edit moves the line from then on.
    let hours = points(&app.stream, RETENTION_COLUMN, span, false);
    let now = f64::from(app.sim.config().stream.retention_hours);
    let retention_line: Vec<(f64, f64)> = steps(&hours, x, now)
        .into_iter()
        .map(|(t, h)| (t, h * 3_600_000.0))
        .collect();
    let retention = retention_line
        .iter()
        .map(|p| p.1)
        .fold(f64::INFINITY, f64::min);
    let peak = chart
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    // The retention line is drawn once ages come within a tenth of it, so small
    // ages stay readable until loss is near.
    if peak * 10.0 >= retention {
        chart.lines.push(dashed(
            "retention (records expire)",
            VERMILLION,
            retention_line,
        ));
    }
}

/// Records lost so far: expired and skipped per consumer, dropped by producers.
pub(super) fn loss(app: &App, span: &Span, chart: &mut TimeChart) {
    chart.title = "Records lost (cumulative)".into();
    chart.y_unit = "records".into();
    for (c, store, color) in consumers(app) {
        // The one loss CloudWatch counts: what an event source mapping discarded.
        if matches!(c, ConsumerConfig::Lambda(_)) {
            let label = format!("{} DroppedEventCount", c.name());
            let points = datapoints(label, color, store, "DroppedEventCount", span, false);
            chart.lines.extend(points);
        }
    }
    // The running totals are the model's own: no CloudWatch metric has them.
    if span.view.cloudwatch() && !span.view.truth {
        chart.title = "Records lost: DroppedEventCount per period".into();
        return;
    }
    let ledgers = app.sim.ledgers();
    for (c, store, color) in consumers(app) {
        let Some(l) = ledgers.iter().find(|l| l.name == c.name()) else {
            continue;
        };
        chart.lines.push(solid(
            format!("{} expired", c.name()),
            color,
            running_total(store, "expired", span, l.ledger.expired as f64),
        ));
        if let ConsumerConfig::Lambda(lambda) = c {
            // Where the batches it gave up on went: only S3 keeps the records.
            let kept = match lambda.on_failure {
                OnFailure::None => "",
                OnFailure::S3 => " (whole batches in S3)",
                OnFailure::Sqs => " (only their place, in SQS)",
                OnFailure::Sns => " (only their place, in SNS)",
            };
            chart.lines.push(dashed(
                format!("{} skipped{kept}", c.name()),
                color,
                running_total(store, "skipped", span, l.ledger.skipped as f64),
            ));
        }
    }
    let dropped = app.sim.totals().dropped_by_producer as f64;
    chart.lines.push(solid(
        "dropped by producers",
        VERMILLION,
        running_total(&app.stream, "dropped_by_producer", span, dropped),
    ));
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
