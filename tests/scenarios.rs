//! The article's scenarios, the hot key and the healthy baseline: each shows its failure,
//! and each fix removes the failure it targets.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::report;
use kinesis_playground::model::{presets, Config, Simulation};

fn preset(name: &str) -> presets::Preset {
    presets::find(name).unwrap_or_else(|| panic!("no preset {name}"))
}

fn run(config: Config, seconds: u64) -> Simulation {
    let mut sim = Simulation::new(config).expect("valid");
    sim.run_for(seconds);
    sim
}

fn fixed(name: &str) -> Config {
    let p = preset(name);
    p.fixed(&p.config).expect("the fix applies")
}

const DAY: u64 = 86_400;

#[test]
fn scenario_1_iterator_age_reaches_the_retention_and_records_expire() {
    let sim = run(preset("scenario-1").config, 3 * DAY);
    let r = report(&sim, "lambda");
    let age = r.max_iterator_age_ms as f64;
    assert!((age - 86_400_000.0).abs() <= 864_000.0, "max age {age}");
    assert!(r.ledger.expired > 0);
    // Fixed: the function keeps up, nothing expires, the age stays small.
    let sim = run(fixed("scenario-1"), 3 * DAY);
    let r = report(&sim, "lambda");
    assert_eq!(r.ledger.expired, 0);
    assert!(r.max_iterator_age_ms <= 3_000, "{r:?}");
}

#[test]
fn healthy_baseline_has_no_throttling_no_loss_and_small_ages() {
    let sim = run(preset("healthy").config, 3 * DAY);
    let t = sim.totals();
    assert_eq!((t.throttled, t.dropped_by_producer), (0, 0));
    for r in sim.ledgers() {
        assert_eq!(r.ledger.expired + r.ledger.skipped, 0, "{r:?}");
        assert!(r.max_iterator_age_ms <= 3_000, "{r:?}");
    }
}

#[test]
fn scenario_2_bursts_are_throttled_retried_and_land_and_more_shards_remove_throttling() {
    let sim = run(preset("scenario-2").config, 6 * 3_600);
    let t = sim.totals();
    assert!(t.throttled > 0);
    assert_eq!(
        t.dropped_by_producer, 0,
        "occasional bursts land after retries"
    );
    assert!(
        report(&sim, "lambda").max_iterator_age_ms <= 5_000,
        "throttling is not a consumer problem"
    );
    let sim = run(fixed("scenario-2"), 6 * 3_600);
    assert_eq!(sim.totals().throttled, 0);
    // Sustained overload is different: the same producers at burst rate all the time drop.
    let mut sustained = preset("scenario-2").config;
    sustained.producers[0].records_per_sec *= 2.5;
    sustained.producers[0].shape = kinesis_playground::model::Shape::Constant;
    assert!(run(sustained, 600).totals().dropped_by_producer > 0);
}

#[test]
fn scenario_3_lambda_follows_the_new_shards_and_ecs_loses_records() {
    let mut sim = run(preset("scenario-3").config, 3_500);
    assert_eq!(report(&sim, "lambda").max_concurrency, Some(2));
    assert_eq!(
        report(&sim, "lambda").ledger.processed,
        report(&sim, "ecs").ledger.processed,
        "both applications read every record"
    );
    sim.run_for(2 * DAY - 3_500);
    assert_eq!(sim.open_shards(), 10);
    let lambda = report(&sim, "lambda");
    let ecs = report(&sim, "ecs");
    assert_eq!(lambda.max_concurrency, Some(10));
    assert_eq!(lambda.ledger.expired, 0);
    assert!(ecs.ledger.expired > 0, "{ecs:?}");
    // Fixed with ten tasks: ECS reads every shard and loses nothing.
    let sim = run(fixed("scenario-3"), 2 * DAY);
    assert_eq!(report(&sim, "ecs").ledger.expired, 0);
}

#[test]
fn scenario_4_write_and_read_limits_raise_latency_and_more_shards_relieve_both() {
    let sim = run(preset("scenario-4").config, 3_600);
    let t = sim.totals();
    assert!(t.throttled > 0);
    assert!(t.read_throttled > 0);
    assert!(sim.metrics().get_records_latency_ms >= 1_000);
    assert!(sim
        .ledgers()
        .iter()
        .any(|r| r.final_iterator_age_ms > 60_000));
    let sim = run(fixed("scenario-4"), 3_600);
    let t = sim.totals();
    assert_eq!((t.throttled, t.read_throttled), (0, 0));
    assert!(sim
        .ledgers()
        .iter()
        .all(|r| r.final_iterator_age_ms <= 3_000));
}

#[test]
fn hot_key_throttles_one_shard_more_shards_do_not_help_more_keys_do() {
    let sim = run(preset("hot-key").config, 600);
    assert!(sim.totals().throttled > 0);
    let mut more_shards = preset("hot-key").config;
    more_shards.stream.shards = 16;
    assert!(run(more_shards, 600).totals().throttled > 0);
    assert_eq!(run(fixed("hot-key"), 600).totals().throttled, 0);
}
