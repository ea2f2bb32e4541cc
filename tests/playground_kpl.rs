//! KPL aggregation on the page, natively: the producer's checkbox and its two sliders,
//! the Lambda function's de-aggregation checkbox, which views show them, and what
//! ticking them writes to the running simulation.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::{Config, ConsumerConfig};
use kinesis_playground::playground::consumers::{panels, producer_toggle, toggle_is_on};
use kinesis_playground::playground::knobs::{every_knob, kpl_knobs};
use kinesis_playground::playground::{App, View};
use serde_json::json;

/// The producer's checkbox, or a panic.
fn aggregation() -> kinesis_playground::playground::Toggle {
    producer_toggle(&View::full()).expect("the full page shows the aggregation checkbox")
}

#[test]
fn the_aggregation_checkbox_writes_the_first_producers_setting() {
    let toggle = aggregation();
    assert_eq!(toggle.label, "Aggregate records (KPL)");
    assert_eq!(toggle.path, "producers.0.aggregation");
    assert_eq!((toggle.on, toggle.off), ("true", "false"));
    let mut config = Config::default();
    assert!(!toggle.is_on(&config), "aggregation is off by default");
    config.producers[0].aggregation = true;
    assert!(toggle.is_on(&config));
}

#[test]
fn a_widget_shows_the_kpl_controls_only_when_it_names_them() {
    assert_eq!(producer_toggle(&View::widget(None, None)), None);
    let named = View::widget(None, Some(vec!["aggregation".into()]));
    assert_eq!(producer_toggle(&named), Some(aggregation()));
    let lambda_only = View::widget(None, Some(vec!["deaggregate".into()]));
    let built = panels(&Config::default(), &lambda_only);
    assert_eq!(built.len(), 1, "the Lambda panel has a control to show");
    let paths: Vec<&str> = built[0].toggles.iter().map(|t| t.path.as_str()).collect();
    assert_eq!(paths, ["consumers.lambda.deaggregate"]);
    // A widget naming neither leaves the Lambda panel out altogether.
    assert!(panels(&Config::default(), &View::widget(None, None)).is_empty());
}

#[test]
fn only_lambda_panels_offer_de_aggregation() {
    let mut config = Config::default();
    config
        .consumers
        .push(kinesis_playground::playground::ConsumerKind::Kcl.new_consumer("ecs".into()));
    let built = panels(&config, &View::full());
    let has = |i: usize| {
        built[i]
            .toggles
            .iter()
            .any(|t| t.path.ends_with(".deaggregate"))
    };
    assert!(has(0) && !has(1), "the KCL de-aggregates by itself");
    let deaggregate = built[0]
        .toggles
        .iter()
        .find(|t| t.path == "consumers.lambda.deaggregate")
        .expect("the Lambda toggle");
    assert!(!deaggregate.is_on(&config));
    if let ConsumerConfig::Lambda(l) = &mut config.consumers[0] {
        l.deaggregate = true;
    }
    assert!(toggle_is_on(&config, &deaggregate.path, deaggregate.on));
}

#[test]
fn the_kpl_sliders_step_through_sizes_and_waits_around_the_kpl_defaults() {
    let knobs = kpl_knobs();
    let paths: Vec<&str> = knobs.iter().map(|k| k.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "producers.0.aggregation_max_bytes",
            "producers.0.record_max_buffered_time_ms"
        ]
    );
    let config = Config::default();
    let size = &knobs[0];
    // AggregationMaxSize 51,200 B and RecordMaxBufferedTime 100 ms (facts § KPL) sit on a
    // step each, and their read-outs say so.
    let at = size.setting(&config).expect("a size");
    assert_eq!(size.values[at.index], 51_200.0);
    assert_eq!(at.shown, "50 KiB");
    assert_eq!(size.values.first(), Some(&1_024.0));
    assert_eq!(
        size.values.last(),
        Some(&1_048_576.0),
        "1 MiB, a record's size"
    );
    assert_eq!((size.show)(25_600.0), "25 KiB");
    let wait = &knobs[1];
    let at = wait.setting(&config).expect("a wait");
    assert_eq!(wait.values[at.index], 100.0);
    assert_eq!(at.shown, "100 ms");
    assert_eq!((wait.show)(60_000.0), "60,000 ms");
    for k in &knobs {
        assert!(
            k.values.windows(2).all(|w| w[0] < w[1]),
            "{} ascends",
            k.path
        );
        assert!(k.help.starts_with("With aggregation on:"), "{}", k.help);
        let json = k.to_json(k.values[2]).expect("a settings value");
        assert!(json.is_u64(), "{}: whole numbers, {json}", k.path);
    }
    // The full page builds them after the producer's other sliders, before the stream's.
    let all: Vec<String> = every_knob(&config).into_iter().map(|k| k.path).collect();
    let at = |p: &str| all.iter().position(|q| q == p).expect(p);
    assert_eq!(
        at("producers.0.aggregation_max_bytes"),
        at("producers.0.retry.max_attempts") + 1
    );
    assert_eq!(
        at("stream.shards"),
        at("producers.0.record_max_buffered_time_ms") + 1
    );
}

/// 5 instances × 1,000 records/s of 100 B on one shard, Lambda reading it.
fn small_records() -> Config {
    let mut config = Config::default();
    config.stream.shards = 1;
    let p = &mut config.producers[0];
    p.instances = 5;
    p.records_per_sec = 1_000.0;
    p.record_bytes = 100;
    config
}

/// Runs `seconds` one-second ticks.
fn run(app: &mut App, seconds: u32) {
    for _ in 0..seconds {
        app.step();
    }
}

#[test]
fn ticking_aggregation_lets_small_records_through_one_shard() {
    // 5,000 records/s of 100 B on one shard: 5 times the records limit, half a MiB/s.
    let mut app = App::new(small_records()).expect("a valid config");
    run(&mut app, 60);
    let throttled = app.sim.totals().throttled;
    assert!(
        throttled > 100_000,
        "without aggregation the shard refuses: {throttled}"
    );
    app.set("producers.0.aggregation", &json!(true))
        .expect("the checkbox's edit is allowed");
    assert!(app.sim.config().producers[0].aggregation);
    run(&mut app, 60);
    let before = app.sim.totals().throttled;
    // The retries of the first minute drain within their backoff; a minute later
    // nothing is refused any more.
    run(&mut app, 60);
    let after = app.sim.totals().throttled;
    assert!(after - before < 100, "{before} → {after}");
    let t = app.sim.totals();
    // 5 instances each pack 100 ms of their 1,000 records/s, 100 records, per shard and
    // send: 50 Kinesis records a second, far from 1,000.
    assert!(t.user_records_put > 10 * t.accepted / 2, "{t:?}");
    app.set("consumers.lambda.deaggregate", &json!(true))
        .expect("the Lambda checkbox's edit is allowed");
    assert!(matches!(&app.sim.config().consumers[0], ConsumerConfig::Lambda(l) if l.deaggregate));
}
