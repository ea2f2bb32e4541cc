//! The page's charts as CloudWatch would show them: on the "Throttled, but the graphs
//! look fine" preset, a minute's IncomingRecords Sum sits under the limit scaled to the
//! period while the per-second truth reaches the limit and writes are throttled.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::chart::{Line, TimeChart};
use kinesis_playground::model::cloudwatch::Statistic;
use kinesis_playground::playground::charts::build;
use kinesis_playground::playground::cloudwatch::MetricsView;
use kinesis_playground::playground::{App, ChartId, Drawing};
use kinesis_playground::teach::presets;

/// The preset after ten minutes, its charts shown with `view`.
fn bursts(view: MetricsView) -> App {
    bursts_for(view, 600)
}

/// The preset after `seconds`, its charts shown with `view`.
fn bursts_for(view: MetricsView, seconds: u32) -> App {
    let config = presets::find("hidden-bursts").expect("preset").config;
    let mut app = App::new(config).expect("valid");
    app.view = view;
    for _ in 0..seconds {
        app.step();
    }
    app
}

fn chart(app: &App, id: ChartId) -> TimeChart {
    match build(app, id) {
        Drawing::Time(chart) => chart,
        Drawing::Strip(_) => panic!("{id} is a time chart"),
    }
}

fn line<'a>(chart: &'a TimeChart, label: &str) -> &'a Line {
    chart
        .lines
        .iter()
        .find(|l| l.label == label)
        .unwrap_or_else(|| panic!("no line {label:?} in {:?}", labels(chart)))
}

fn labels(chart: &TimeChart) -> Vec<&str> {
    chart.lines.iter().map(|l| l.label.as_str()).collect()
}

fn minute(stat: Option<Statistic>, truth: bool) -> MetricsView {
    MetricsView {
        period_s: 60,
        stat,
        truth,
        ..MetricsView::default()
    }
}

#[test]
fn a_minute_sum_is_under_the_limit_scaled_to_the_minute_while_writes_are_throttled() {
    let app = bursts(minute(Some(Statistic::Sum), false));
    let incoming = chart(&app, ChartId::Incoming);
    assert_eq!(incoming.y_unit, "records per 1 min");
    assert_eq!(
        labels(&incoming),
        [
            "IncomingRecords (Sum)",
            "IncomingRecords + WriteProvisionedThroughputExceeded (Sum): tried",
            "write limit (60,000 records per shard per 1 min)"
        ],
        "offered records are the model's own: not in CloudWatch's view"
    );
    // 4 agents × 325 records/s = 78,000 a minute; 2 shards take 120,000.
    let sums = &line(&incoming, "IncomingRecords (Sum)").points;
    assert_eq!(sums.len(), 10, "one datapoint per ended minute");
    assert!(
        sums[2..].iter().all(|p| (p.1 - 78_000.0).abs() <= 1.0),
        "{sums:?}"
    );
    let limit = &line(
        &incoming,
        "write limit (60,000 records per shard per 1 min)",
    )
    .points;
    assert!(limit.iter().all(|p| p.1 == 120_000.0));
    // What was tried, retries included, is over the limit: 162,000 a minute.
    let tried = &line(
        &incoming,
        "IncomingRecords + WriteProvisionedThroughputExceeded (Sum): tried",
    )
    .points;
    assert!(tried[2..].iter().all(|p| p.1 > 150_000.0), "{tried:?}");
    assert!(
        incoming
            .title
            .starts_with("IncomingRecords Sum 78,001 per 1 min (limit 120,000)"),
        "{}",
        incoming.title
    );
    let throttled = chart(&app, ChartId::Throttled);
    assert_eq!(
        labels(&throttled),
        ["WriteProvisionedThroughputExceeded (Sum)"]
    );
    assert!(throttled.title.ends_with(" · CloudWatch, 1 min"));
    assert_eq!(throttled.y_unit, "records per 1 min");
}

#[test]
fn with_the_truth_the_seconds_reach_the_limit_that_the_minute_divided_by_60_stays_under() {
    let mut app = bursts(minute(None, true));
    app.window_s = Some(900);
    let incoming = chart(&app, ChartId::Incoming);
    assert_eq!(incoming.y_unit, "records/s");
    let per_second = &line(&incoming, "IncomingRecords (Sum)").points;
    assert!(
        per_second[2..].iter().all(|p| (p.1 - 1_300.0).abs() < 0.1),
        "Sum ÷ 60: {per_second:?}"
    );
    let truth = &line(&incoming, "IncomingRecords, each second").points;
    let peak = truth.iter().map(|p| p.1).fold(0.0, f64::max);
    assert_eq!(peak, 2_000.0, "a flush second fills both shards");
    assert!(
        truth.iter().any(|p| p.1 == 0.0),
        "and some seconds carry nothing"
    );
    let limit = line(&incoming, "write limit (1,000 records/s per shard)");
    assert!(limit.points.iter().all(|p| p.1 == 2_000.0));
    // The model's own offered line is back beside them, dashed.
    assert!(line(&incoming, "offered records (first attempts), each second").dashed);
}

#[test]
fn five_minute_periods_and_other_statistics_change_the_numbers_as_cloudwatch_does() {
    let five = MetricsView {
        period_s: 300,
        stat: None,
        truth: false,
        ..MetricsView::default()
    };
    let app = bursts(five);
    let incoming = chart(&app, ChartId::Incoming);
    let sums = &line(&incoming, "IncomingRecords (Sum)").points;
    assert_eq!(sums.iter().map(|p| p.0).collect::<Vec<_>>(), [300.0, 600.0]);
    assert!((sums[1].1 - 390_000.0).abs() <= 2.0, "{sums:?}");
    assert!(line(
        &incoming,
        "write limit (300,000 records per shard per 5 min)"
    )
    .points
    .iter()
    .all(|p| p.1 == 600_000.0));
    // The usual statistic of an age is its Maximum; a gauge has one sample a second.
    let age = chart(&app, ChartId::Age);
    assert!(
        labels(&age).contains(&"lambda IteratorAge (Maximum)"),
        "{:?}",
        labels(&age)
    );
    let average = bursts(minute(Some(Statistic::Average), false));
    let incoming = chart(&average, ChartId::Incoming);
    assert_eq!(incoming.y_unit, "records per PutRecords call");
    assert_eq!(
        labels(&incoming),
        ["IncomingRecords (Average)"],
        "no limit for a call"
    );
    let per_call = &line(&incoming, "IncomingRecords (Average)").points;
    assert!(
        per_call.iter().all(|p| p.1 > 0.0 && p.1 <= 500.0),
        "{per_call:?}"
    );
    // Losses: with nothing dropped, CloudWatch shows the function's DroppedEventCount
    // at zero and none of the model's running totals.
    let loss = chart(&average, ChartId::Loss);
    assert_eq!(labels(&loss), ["lambda DroppedEventCount (Average)"]);
}

#[test]
fn over_hours_the_truth_is_each_minutes_busiest_second() {
    // A 6-hour window draws minute samples: the truth keeps each minute's busiest
    // second (2,000 records/s, both shards full) where the minute's rate is 1,300.
    // After half an hour the first quarter-hour is kept by the minute only.
    let mut app = bursts_for(minute(Some(Statistic::Sum), true), 1_800);
    app.window_s = Some(6 * 3_600);
    let incoming = chart(&app, ChartId::Incoming);
    let peaks = &line(&incoming, "IncomingRecords, busiest second").points;
    assert_eq!(peaks.len(), 30);
    assert!(peaks.iter().all(|p| p.1 == 2_000.0), "{peaks:?}");
    let offered = &line(
        &incoming,
        "offered records (first attempts), busiest second",
    )
    .points;
    assert!(
        offered.iter().all(|p| (p.1 - 6_500.0).abs() <= 1.0),
        "{offered:?}"
    );
    let throttled = chart(&app, ChartId::Throttled);
    assert_eq!(
        labels(&throttled),
        [
            "WriteProvisionedThroughputExceeded, busiest second",
            "WriteProvisionedThroughputExceeded (Sum)",
            "dropped by producers, busiest second"
        ]
    );
}

#[test]
fn a_statistic_per_sample_is_named_so_and_has_no_per_second_limit() {
    let app = bursts(minute(Some(Statistic::Average), false));
    let reads = chart(&app, ChartId::Reads);
    assert_eq!(reads.y_unit, "bytes per sample");
    assert!(
        labels(&reads).iter().all(|l| !l.contains("limit")),
        "{:?}",
        labels(&reads)
    );
    assert!(
        (reads.y_format)(&2_048.0).ends_with("KiB"),
        "per call, not per second"
    );
    let throttled = chart(&app, ChartId::Throttled);
    assert_eq!(throttled.y_unit, "records per sample");
    let app = bursts(minute(Some(Statistic::SampleCount), false));
    let age = chart(&app, ChartId::Age);
    assert_eq!(age.y_unit, "samples (calls, invocations or seconds)");
    assert_eq!((age.y_format)(&60.0), "60");
}

#[test]
fn the_truth_of_a_five_second_tick_says_it_is_the_ticks_average() {
    let config = presets::find("hidden-bursts").expect("preset").config;
    let mut config = config;
    config.tick_s = 5;
    let mut app = App::new(config).expect("valid");
    app.view = minute(Some(Statistic::Sum), true);
    while app.sim.now_ms() < 600_000 {
        app.step();
    }
    let incoming = chart(&app, ChartId::Incoming);
    assert!(
        labels(&incoming).contains(&"IncomingRecords, each 5 s tick, per second"),
        "{:?}",
        labels(&incoming)
    );
}
