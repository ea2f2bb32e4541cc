//! The page's Incoming chart per shard (enhanced monitoring): each shard's datapoints,
//! the average shard, the per-shard limit scaled to the period, and AWS's check for a
//! hot shard — the busiest shard's IncomingBytes against the average shard's.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::chart::TimeChart;
use kinesis_playground::model::cloudwatch::Statistic;
use kinesis_playground::model::Config;
use kinesis_playground::playground::charts::build;
use kinesis_playground::playground::cloudwatch::{parse_period, period_value, MetricsView};
use kinesis_playground::playground::{App, ChartId, Drawing};
use kinesis_playground::share::cloudwatch::HEADER;

/// Four shards: 600 records/s under one partition key, 400 records/s over 10,000 keys
/// (about 100 on each shard); 1,000-byte records. The hot shard takes 700 records/s,
/// the average shard 250: 2.8 times as much.
fn hot(tick_s: u32) -> App {
    let json = format!(
        r#"{{"tick_s": {tick_s}, "stream": {{"shards": 4}},
            "producers": [
              {{"name": "hot", "instances": 1, "records_per_sec": 600, "record_bytes": 1000,
                "distinct_keys": 1}},
              {{"name": "even", "instances": 1, "records_per_sec": 400, "record_bytes": 1000,
                "distinct_keys": 10000}}],
            "consumers": []}}"#
    );
    App::new(Config::from_json(&json).expect("valid")).expect("app")
}

fn incoming(app: &App) -> TimeChart {
    match build(app, ChartId::Incoming) {
        Drawing::Time(chart) => chart,
        Drawing::Strip(_) => panic!("a time chart"),
    }
}

fn run(app: &mut App, until_s: u64) {
    while app.sim.now_ms() < until_s * 1_000 {
        app.step();
    }
}

fn view(choice: &str) -> MetricsView {
    let (period_s, shards) = parse_period(choice).expect("a menu value");
    MetricsView {
        period_s,
        shards,
        ..MetricsView::default()
    }
}

#[test]
fn the_hot_shard_stands_out_from_the_average_shard() {
    for tick_s in [1, 5] {
        let mut app = hot(tick_s);
        app.window_s = Some(600);
        // Stream level for two minutes, then per shard: monitoring starts then.
        run(&mut app, 120);
        assert!(app.shard_history.is_none(), "off until asked for");
        app.view = view("60-shard");
        assert_eq!(period_value(&app.view), "60-shard");
        run(&mut app, 600);
        let chart = incoming(&app);
        let labels: Vec<&str> = chart.lines.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels.len(), 6, "{labels:?}");
        assert!(labels[0].starts_with("shardId-0000000000") && labels[0].ends_with(" (Sum)"));
        assert_eq!(labels[4], "average of 4 shards");
        assert_eq!(labels[5], "write limit per shard (60,000)");
        // The busiest shard: 700 records/s, 42,000 a minute; the first datapoint ends
        // at 180 s, the first minute monitored whole.
        let busiest = &chart.lines[0].points;
        assert_eq!(busiest.first().map(|p| p.0), Some(180.0), "tick_s {tick_s}");
        assert_eq!(busiest.len(), 8);
        for &(_, v) in busiest {
            assert!((v - 42_000.0).abs() < 42_000.0 * 0.015, "{v}");
        }
        // The average shard: all 60,000 accepted records of a minute over 4 shards.
        for &(_, v) in &chart.lines[4].points {
            assert!((v - 15_000.0).abs() < 1.0, "{v}");
        }
        // 700 records a second against 250 on the average shard.
        assert!(
            chart.title.starts_with("shardId-0000000000"),
            "{}",
            chart.title
        );
        assert!(
            chart
                .title
                .ends_with(" IncomingBytes 2.8× the average shard"),
            "{}",
            chart.title
        );
        assert_eq!(chart.y_unit, "records per shard per 1 min");
    }
}

#[test]
fn five_minute_periods_and_the_per_call_average() {
    let mut app = hot(1);
    app.window_s = Some(1_800);
    app.view = view("300-shard");
    run(&mut app, 1_800);
    let chart = incoming(&app);
    let busiest = &chart.lines[0].points;
    assert_eq!(busiest.first().map(|p| p.0), Some(300.0));
    for &(_, v) in busiest {
        assert!((v - 210_000.0).abs() < 210_000.0 * 0.015, "{v}");
    }
    assert_eq!(
        chart.lines.last().map(|l| l.label.as_str()),
        Some("write limit per shard (300,000)")
    );
    assert!(
        chart.title.ends_with("× the average shard"),
        "{}",
        chart.title
    );
    // Average is per PutRecords call, and has no limit line.
    app.view.stat = Some(Statistic::Average);
    let chart = incoming(&app);
    assert_eq!(chart.y_unit, "records per PutRecords call");
    assert!(chart
        .lines
        .iter()
        .all(|l| !l.label.starts_with("write limit")));
    assert!(parse_period("60-shards").is_err());
}

#[test]
fn the_download_follows_the_view_and_its_shard_rows_add_up_to_the_stream() {
    let mut app = hot(5);
    app.view = view("60-shard");
    run(&mut app, 300);
    let csv = app.series_csv();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(HEADER.trim_end()));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let incoming = |minute: &str, shard: bool| -> Vec<f64> {
        rows.iter()
            .filter(|r| r[0] == minute && r[2] == "IncomingRecords" && (r[4].is_empty() != shard))
            .map(|r| r[10].parse().expect("a number"))
            .collect()
    };
    for minute in ["1970-01-01T00:01:00Z", "1970-01-01T00:04:00Z"] {
        // 1,000 records/s, all accepted: 60,000 a minute (to a record or two of the
        // producers' rounding), the shards' rows adding up to the stream's.
        let stream = incoming(minute, false);
        assert_eq!(stream.len(), 1);
        assert!((stream[0] - 60_000.0).abs() <= 5.0, "{stream:?}");
        let shards = incoming(minute, true);
        assert_eq!(shards.len(), 4);
        assert_eq!(shards.iter().sum::<f64>(), stream[0]);
    }
    let first = &rows[0];
    assert_eq!(
        first[..4],
        [
            "1970-01-01T00:00:00Z",
            "AWS/Kinesis",
            "IncomingRecords",
            "playground"
        ]
    );
    assert_eq!(first[8..10], ["Sum", "60"]);
    assert!(
        rows.iter().all(|r| r[0] < "1970-01-01T00:05:00Z"),
        "closed periods only"
    );
    assert!(rows
        .iter()
        .any(|r| r[4] == "shardId-000000000003" && r[2] == "IncomingBytes"));
    // Each second as the model counts: the per-second download.
    app.view = view("0");
    assert!(app.series_csv().starts_with("time_s,sample_s,"));
}

#[test]
fn records_over_a_kib_are_drawn_as_bytes_against_the_byte_limit() {
    // Two shards, 6 records/s of 400 KiB: 2.4 MiB/s offered to 2 MiB/s of write limit.
    // The records limit (2,000/s) is far away; the byte limit binds, so the Incoming
    // chart shows IncomingBytes: 2 MiB/s, 120 MiB a minute, each shard 60 MiB.
    let config = Config::from_json(
        r#"{"stream": {"shards": 2},
            "producers": [{"name": "big", "instances": 1, "records_per_sec": 6,
                           "record_bytes": 409600, "distinct_keys": 1000}],
            "consumers": []}"#,
    )
    .expect("valid");
    let mut app = App::new(config).expect("app");
    app.window_s = Some(600);
    app.view = view("60");
    run(&mut app, 600);
    let chart = incoming(&app);
    assert_eq!(chart.y_unit, "bytes per 1 min");
    assert_eq!(chart.title, "IncomingBytes Sum 120 MiB (limit 120 MiB)");
    let bytes = &chart.lines[0];
    assert_eq!(bytes.label, "IncomingBytes (Sum)");
    let mib = 1_048_576.0;
    for &(_, v) in &bytes.points[1..] {
        assert!((v - 120.0 * mib).abs() < 120.0 * mib * 0.04, "{v}");
    }
    app.view = view("60-shard");
    run(&mut app, 900);
    let chart = incoming(&app);
    assert_eq!(chart.y_unit, "bytes per shard per 1 min");
    assert_eq!(
        chart.lines.last().map(|l| l.label.as_str()),
        Some("write limit per shard (60.0 MiB)")
    );
    for &(_, v) in &chart.lines[0].points {
        assert!((v - 60.0 * mib).abs() < 60.0 * mib * 0.05, "{v}");
    }
}

#[test]
fn throttles_and_ages_per_shard_name_the_hot_shard_and_the_unread_ones() {
    // Four shards: 1,600 records/s under one key, 400 over 10,000 keys. The hot shard
    // takes 1,000 a second and refuses the rest of its 1,700 first attempts and their
    // retries; the others refuse nothing. A KCL application with four tasks reads
    // every shard.
    let config = Config::from_json(
        r#"{"stream": {"shards": 4},
            "producers": [
              {"name": "hot", "instances": 1, "records_per_sec": 1600, "distinct_keys": 1,
               "retry": {"max_attempts": 1}},
              {"name": "even", "instances": 1, "records_per_sec": 400, "distinct_keys": 10000}],
            "consumers": [{"type": "kcl", "name": "ecs", "tasks": 4}]}"#,
    )
    .expect("valid");
    let mut app = App::new(config).expect("app");
    app.window_s = Some(600);
    app.view = view("60-shard");
    run(&mut app, 600);
    let chart = |id| match build(&app, id) {
        Drawing::Time(chart) => chart,
        Drawing::Strip(_) => panic!("a time chart"),
    };
    let throttled = chart(ChartId::Throttled);
    assert!(throttled
        .title
        .starts_with("WriteProvisionedThroughputExceeded per shard"));
    // The hot shard takes its 1,000 records a second, 60,000 a minute, and refuses at
    // least the 700 more it is offered; the others refuse none. Every refusal is some
    // shard's: the shards' minutes add up to the stream's.
    let busiest = &throttled.lines[0];
    assert!(busiest.label.starts_with("shardId-"), "{}", busiest.label);
    let hot: u32 = busiest.label[8..20].parse().expect("a shard id");
    for &(_, v) in &busiest.points[1..] {
        assert!(v >= 42_000.0, "{v}");
    }
    for &(_, v) in &throttled.lines[1].points {
        assert!(v < 100.0, "{v}");
    }
    let history = app.shard_history.as_ref().expect("monitoring on");
    let minutes = |metric| history.datapoints(metric, Statistic::Sum, 60_000, 60_000, 600_000);
    let refused = minutes("WriteProvisionedThroughputExceeded");
    let stream = app.stream.datapoints(
        "WriteProvisionedThroughputExceeded",
        Statistic::Sum,
        60_000,
        60_000,
        600_000,
    );
    assert_eq!(stream.len(), 9);
    for (k, &(end, total)) in stream.iter().enumerate() {
        let shards: f64 = refused.iter().map(|(_, p)| p[k].1).sum();
        assert_eq!((refused[0].1[k].0, shards), (end, total), "minute {k}");
    }
    let accepted = minutes("IncomingRecords");
    let on_hot = accepted
        .iter()
        .find(|(id, _)| *id == hot)
        .expect("hot shard");
    for &(_, v) in &on_hot.1 {
        assert!((v - 60_000.0).abs() <= 60.0, "{v}");
    }
    let age = chart(ChartId::Age);
    assert!(
        age.title.starts_with("IteratorAgeMilliseconds per shard"),
        "{}",
        age.title
    );
    assert_eq!(age.lines.len(), 5, "4 shards and the average");
}
