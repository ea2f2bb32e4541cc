//! The page's charts natively: their ids, and each chart's title, unit, lines and limit
//! lines built from a running app's history.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::chart::TimeChart;
use kinesis_playground::model::Config;
use kinesis_playground::playground::charts::build;
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
        "Incoming: 1,000/s · 1012 KiB/s (limit 2,000/s · 2.0 MiB/s)"
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
    assert_eq!(throttled.title, "Throttled writes and producer drops");
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
