//! The page's charts natively: their ids, and each chart's title, unit, lines and limit
//! lines built from a running app's history.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::chart::TimeChart;
use kinesis_playground::format::thousands;
use kinesis_playground::model::Config;
use kinesis_playground::playground::charts::{build, build_at, description};
use kinesis_playground::playground::{App, ChartId, ConsumerKind, Drawing};

/// The default settings (four instances at 250 records/s of 1 KiB on two shards, one
/// Lambda function) after `seconds`.
fn ran(seconds: u32) -> App {
    let mut app = App::new(Config::default()).expect("valid");
    for _ in 0..seconds {
        app.step();
    }
    app
}

fn time_chart(app: &App, id: ChartId) -> TimeChart {
    match build(app, id) {
        Drawing::Time(chart) => chart,
        Drawing::Strip(_) => panic!("{id} is a time chart"),
    }
}

fn labels(chart: &TimeChart) -> Vec<&str> {
    chart.lines.iter().map(|l| l.label.as_str()).collect()
}

#[test]
fn chart_ids_read_back_and_unknown_ones_name_the_known() {
    assert_eq!(
        ChartId::names(),
        [
            "incoming",
            "throttled",
            "age",
            "loss",
            "lambda",
            "reads",
            "processed",
            "errors",
            "shards"
        ]
    );
    for id in ChartId::ALL {
        assert_eq!(id.to_string().parse::<ChartId>(), Ok(id));
        assert!(!id.title().is_empty() && !id.help().is_empty());
    }
    assert_eq!(ChartId::Age.title(), "Iterator age");
    assert_eq!(
        "pie".parse::<ChartId>(),
        Err(
            "\"pie\" is not one of incoming, throttled, age, loss, lambda, reads, processed, errors, shards".to_string()
        )
    );
    assert_eq!(
        ChartId::parse_list(&["age", "incoming"]),
        Ok(vec![ChartId::Age, ChartId::Incoming])
    );
    assert!(ChartId::parse_list(&["age", "Age"]).is_err());
}

#[test]
fn incoming_shows_records_and_bytes_as_a_share_of_the_write_limit() {
    let app = ran(60);
    let chart = time_chart(&app, ChartId::Incoming);
    // 1,024 bytes of data and a key of 10 to 12 bytes ("producer-0" to "producer-999").
    assert_eq!(
        chart.title,
        "Incoming: 1,000/s · 0.99 MiB/s (limit 2,000/s · 2.0 MiB/s)"
    );
    assert_eq!(chart.y_unit, "% of write limit");
    assert_eq!(chart.y_floor, 120.0);
    assert_eq!(
        labels(&chart),
        [
            "offered records (first attempts)",
            "IncomingRecords",
            "IncomingBytes",
            "write limit (1,000 records/s and 1 MiB/s per shard)"
        ]
    );
    // 1,000 records/s on two shards is half of 2 × 1,000 records/s, every second.
    let records = &chart.lines[1].points;
    assert_eq!(records.len(), 60);
    assert_eq!(records[0], (1.0, 50.0));
    assert!(records.iter().all(|p| p.1 == 50.0), "{records:?}");
    assert_eq!(
        chart.lines[0].points, *records,
        "nothing throttled: offered = accepted"
    );
    // Each record is 1,024 bytes plus its key: a little over 48.8 % of 2 MiB/s.
    let bytes = chart.lines[2].points[30].1;
    assert!(
        bytes > 100.0 * 1_024_000.0 / 2_097_152.0 && bytes < 50.0,
        "{bytes}"
    );
    let limit = &chart.lines[3];
    assert!(limit.dashed);
    assert_eq!(limit.points, [(0.0, 100.0), (60.0, 100.0)]);
    // Less than a minute in: the axis still spans a minute.
    assert_eq!(chart.x_range, (0.0, 60.0));
}

#[test]
fn the_window_keeps_the_charts_to_the_last_stretch_of_time() {
    let mut app = ran(1_200);
    app.window_s = Some(900);
    let chart = time_chart(&app, ChartId::Incoming);
    assert_eq!(chart.x_range, (300.0, 1_200.0));
    let records = &chart.lines[1].points;
    assert_eq!(records.first().map(|p| p.0), Some(301.0));
    assert_eq!(records.last().map(|p| p.0), Some(1_200.0));
    app.window_s = None;
    assert_eq!(time_chart(&app, ChartId::Incoming).x_range, (0.0, 1_200.0));
}

#[test]
fn throttled_and_loss_charts_name_their_lines() {
    let app = ran(120);
    let throttled = time_chart(&app, ChartId::Throttled);
    assert_eq!(throttled.title, "Throttled and dropped writes");
    assert_eq!(
        labels(&throttled),
        ["WriteProvisionedThroughputExceeded", "dropped by producers"]
    );
    assert!(throttled.lines[0].points.iter().all(|p| p.1 == 0.0));
    let loss = time_chart(&app, ChartId::Loss);
    assert_eq!(loss.title, "Records lost (cumulative)");
    assert_eq!(loss.y_unit, "records");
    assert_eq!(
        labels(&loss),
        ["lambda expired", "lambda skipped", "dropped by producers"]
    );
    assert!(loss.lines[1].dashed);
    assert!(loss
        .lines
        .iter()
        .all(|l| l.points.iter().all(|p| p.1 == 0.0)));
}

#[test]
fn losses_add_up_to_the_run_totals() {
    // Two shards take 2,000 records/s; 4,000 offered with one attempt each: half dropped.
    let mut app = App::new(
        Config::from_json(
            r#"{"producers": [{"name": "p", "instances": 4, "records_per_sec": 1000,
                               "retry": {"max_attempts": 1}}]}"#,
        )
        .expect("valid"),
    )
    .expect("valid");
    for _ in 0..60 {
        app.step();
    }
    let loss = time_chart(&app, ChartId::Loss);
    let dropped = &loss.lines[2].points;
    let total = app.sim.totals().dropped_by_producer as f64;
    assert!(total > 100_000.0, "{total}");
    assert_eq!(dropped.last().map(|p| p.1), Some(total));
    assert!(dropped.windows(2).all(|w| w[0].1 <= w[1].1), "cumulative");
    // Ninety seconds more: a 6 h window draws minutes, and the text still gives the
    // total of this moment, as the summary does, not the last whole minute's.
    for _ in 0..90 {
        app.step();
    }
    app.window_s = Some(21_600);
    let total = app.sim.totals().dropped_by_producer;
    let text = description(&app, ChartId::Loss, app.sim.now_ms());
    assert!(
        text.starts_with("Records lost (cumulative), so far: ")
            && text.contains(&format!(
                "dropped by producers {}, rising",
                thousands(total)
            )),
        "{text}"
    );
    // 2,000 a second for 150 s, less the first second's accepted ones.
    assert!((297_000..=300_000).contains(&total), "{total}");
}

#[test]
fn age_draws_the_retention_line_only_near_it() {
    let app = ran(60);
    let age = time_chart(&app, ChartId::Age);
    assert_eq!(age.title, "Iterator age per consumer");
    assert_eq!(age.y_unit, "age");
    assert_eq!(labels(&age), ["lambda"]);
    // A lagging consumer of a stream with 24 h retention: the line shows once ages
    // reach 2.4 h.
    let mut app = App::new(
        Config::from_json(
            r#"{"consumers": [{"type": "kcl", "name": "slow", "tasks": 1,
                               "records_per_sec_per_task": 100}]}"#,
        )
        .expect("valid"),
    )
    .expect("valid");
    app.window_s = None;
    let mut seen_at = None;
    for t in 1..=4 * 3_600 {
        app.step();
        if t % 600 == 0 && seen_at.is_none() {
            let chart = time_chart(&app, ChartId::Age);
            if chart.lines.len() == 2 {
                seen_at = Some(t);
                assert_eq!(chart.lines[1].label, "retention (records expire)");
                assert_eq!(chart.lines[1].points[0].1, 86_400_000.0);
            }
        }
    }
    let seen_at = seen_at.expect("the retention line appears");
    assert!((8_640..=9_600).contains(&seen_at), "{seen_at}");
}

#[test]
fn lambda_shows_concurrency_throttles_and_the_cap() {
    let mut app = ran(60);
    let chart = time_chart(&app, ChartId::Lambda);
    assert_eq!(chart.y_unit, "executions");
    assert_eq!(
        labels(&chart),
        [
            "lambda ConcurrentExecutions",
            "lambda Throttles/s",
            "shards × PF (or reserved)"
        ]
    );
    // Two shards, parallelization factor 1.
    assert_eq!(chart.lines[2].points[0].1, 2.0);
    // Without a Lambda function there is nothing to cap.
    app.add_consumer(ConsumerKind::Kcl).expect("valid");
    app.remove_consumer("lambda").expect("valid");
    assert!(time_chart(&app, ChartId::Lambda).lines.is_empty());
}

#[test]
fn reads_show_each_consumer_against_the_shared_limit() {
    let mut app = ran(60);
    app.set("consumers.lambda.fan_out", &"enhanced".into())
        .expect("valid");
    app.add_consumer(ConsumerKind::Kcl).expect("valid");
    let chart = time_chart(&app, ChartId::Reads);
    assert_eq!(chart.title, "Read throughput per consumer");
    assert_eq!(chart.y_unit, "bytes/s");
    assert_eq!(
        labels(&chart),
        [
            "lambda (enhanced)",
            "ecs",
            "shared read limit (2 MiB/s × shards)"
        ]
    );
    assert_eq!(chart.lines[2].points[0].1, 2.0 * 2_097_152.0);
}

#[test]
fn the_shard_strip_holds_one_cell_per_open_shard() {
    let app = ran(30);
    match build(&app, ChartId::Shards) {
        Drawing::Strip(cells) => {
            assert_eq!(cells.len(), 2);
            assert!(cells.iter().all(|u| *u > 0.4 && *u < 0.6), "{cells:?}");
        }
        Drawing::Time(_) => panic!("the shard chart is a strip"),
    }
}

/// The value of a step line at `t` seconds (the last point at or before it).
fn at(line: &[(f64, f64)], t: f64) -> f64 {
    line.iter()
        .take_while(|p| p.0 <= t)
        .last()
        .map_or(f64::NAN, |p| p.1)
}

fn line<'a>(chart: &'a TimeChart, label: &str) -> &'a [(f64, f64)] {
    &chart
        .lines
        .iter()
        .find(|l| l.label == label)
        .unwrap_or_else(|| panic!("no line {label:?} in {:?}", labels(chart)))
        .points
}

#[test]
fn the_read_limit_is_drawn_as_it_was_at_each_moment() {
    let mut app = ran(600);
    app.window_s = None;
    app.set("stream.shards", &6.into()).expect("valid");
    for _ in 0..1_200 {
        app.step();
    }
    assert_eq!(app.sim.open_shards(), 6);
    let chart = time_chart(&app, ChartId::Reads);
    let limit = line(&chart, "shared read limit (2 MiB/s × shards)");
    let mib = 1_048_576.0;
    assert_eq!(at(limit, 0.0), 4.0 * mib, "two shards before the edit");
    assert_eq!(at(limit, 600.0), 4.0 * mib);
    assert_eq!(at(limit, 1_800.0), 12.0 * mib, "six shards at the end");
    // In between, the two steps of UpdateShardCount: 2 → 4 → 6.
    let values: Vec<f64> = limit.iter().map(|p| p.1 / mib).collect();
    let mut distinct = values.clone();
    distinct.dedup();
    assert_eq!(distinct, [4.0, 8.0, 12.0], "{limit:?}");
    let first_change = limit.iter().find(|p| p.1 > 4.0 * mib).map(|p| p.0);
    assert!(
        first_change.is_some_and(|t| t > 600.0 && t < 1_200.0),
        "{first_change:?}"
    );
    assert_eq!(limit.last(), Some(&(1_800.0, 12.0 * mib)));
}

#[test]
fn the_lambda_cap_follows_the_parallelization_factor_from_the_edit_on() {
    let mut app = ran(300);
    app.window_s = None;
    app.set("consumers.lambda.parallelization_factor", &3.into())
        .expect("valid");
    for _ in 0..300 {
        app.step();
    }
    let chart = time_chart(&app, ChartId::Lambda);
    let cap = line(&chart, "shards × PF (or reserved)");
    assert_eq!(at(cap, 100.0), 2.0, "2 shards × 1");
    // The edit at 300 s: the step stands there.
    assert_eq!(at(cap, 299.0), 2.0);
    assert_eq!(at(cap, 300.0), 6.0, "2 shards × 3");
    assert_eq!(at(cap, 600.0), 6.0);
    // A reservation below shards × PF caps it from then on.
    app.set("consumers.lambda.reserved_concurrency", &4.into())
        .expect("valid");
    for _ in 0..60 {
        app.step();
    }
    let chart = time_chart(&app, ChartId::Lambda);
    let cap = line(&chart, "shards × PF (or reserved)");
    assert_eq!((at(cap, 599.0), at(cap, 660.0)), (6.0, 4.0));
}

#[test]
fn a_retention_edit_moves_the_retention_line_only_from_then_on() {
    // A consumer that falls behind: after 3 h its age is near the 24 h retention's tenth.
    let mut app = App::new(
        Config::from_json(
            r#"{"consumers": [{"type": "kcl", "name": "slow", "tasks": 1,
                               "records_per_sec_per_task": 100}]}"#,
        )
        .expect("valid"),
    )
    .expect("valid");
    app.window_s = None;
    for _ in 0..3 * 3_600 {
        app.step();
    }
    app.set("stream.retention_hours", &48.into())
        .expect("valid");
    for _ in 0..600 {
        app.step();
    }
    let chart = time_chart(&app, ChartId::Age);
    let retention = line(&chart, "retention (records expire)");
    let hour_ms = 3_600_000.0;
    assert_eq!(at(retention, 0.0), 24.0 * hour_ms);
    assert_eq!(at(retention, 10_799.0), 24.0 * hour_ms);
    assert_eq!(at(retention, 10_800.0), 48.0 * hour_ms);
    assert_eq!(retention.last().map(|p| p.1), Some(48.0 * hour_ms));
}

#[test]
fn every_line_a_lesson_watches_is_on_a_chart() {
    let mut app = ran(120);
    app.add_consumer(ConsumerKind::Kcl).expect("valid");
    for _ in 0..60 {
        app.step();
    }
    let processed = time_chart(&app, ChartId::Processed);
    assert_eq!(processed.title, "Records processed per consumer");
    assert_eq!(
        labels(&processed),
        ["lambda processed", "ecs processed", "IncomingRecords"]
    );
    // Every consumer reads every record: 1,000 records/s each once caught up.
    assert_eq!(at(&processed.lines[0].points, 170.0), 1_000.0);
    assert_eq!(at(&processed.lines[2].points, 170.0), 1_000.0);
    let errors = time_chart(&app, ChartId::Errors);
    assert_eq!(
        labels(&errors),
        [
            "lambda GetRecords calls refused",
            "lambda Errors",
            "ecs GetRecords calls refused"
        ]
    );
    assert_eq!(errors.y_unit, "per second");
}

#[test]
fn no_two_lines_of_a_chart_share_a_colour() {
    let mut app = ran(10);
    for _ in 0..3 {
        app.add_consumer(ConsumerKind::Lambda).expect("valid");
        app.add_consumer(ConsumerKind::Kcl).expect("valid");
    }
    for _ in 0..10 {
        app.step();
    }
    assert_eq!(app.sim.config().consumers.len(), 7);
    for id in ChartId::ALL {
        let Drawing::Time(chart) = build(&app, id) else {
            continue;
        };
        for (i, a) in chart.lines.iter().enumerate() {
            for b in &chart.lines[i + 1..] {
                assert_ne!(a.color, b.color, "{id}: {} and {}", a.label, b.label);
            }
        }
    }
}

#[test]
fn charts_built_for_a_moment_end_there_and_describe_it() {
    let mut app = ran(600);
    app.window_s = None;
    for _ in 0..300 {
        app.step();
    }
    for id in ChartId::ALL {
        let Drawing::Time(chart) = build_at(&app, id, 600_000) else {
            continue;
        };
        assert_eq!(chart.x_range.1, 600.0, "{id}");
        let last = chart
            .lines
            .iter()
            .filter(|l| !l.dashed)
            .filter_map(|l| l.points.last().map(|p| p.0))
            .fold(0.0, f64::max);
        assert!(last <= 600.0, "{id} ends at {last}");
    }
    let Drawing::Time(age) = build_at(&app, ChartId::Age, 600_000) else {
        panic!("a time chart");
    };
    assert_eq!(age.lines[0].points.last().map(|p| p.0), Some(600.0));
    let text = description(&app, ChartId::Incoming, 600_000);
    assert_eq!(
        text,
        "Incoming: 1,000/s · 0.99 MiB/s (limit 2,000/s · 2.0 MiB/s), average of the last minute: offered records (first attempts) 50%; IncomingRecords 50%; IncomingBytes 49%; write limit (1,000 records/s and 1 MiB/s per shard) 100%."
    );
    assert_eq!(
        description(&app, ChartId::Shards, app.sim.now_ms()),
        "Write utilisation per shard: 2 open, 0 at the write limit, the busiest at 51 %."
    );
}
