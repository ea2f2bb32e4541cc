//! The article's scenarios, the hot key and the healthy baseline: each shows its failure,
//! and each fix removes the failure it targets.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::report;
use kinesis_playground::model::{Config, ConsumerConfig, Simulation};
use kinesis_playground::teach::presets;

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
    // Retention removes every record older than 24 h, so the age stops at exactly 24 h.
    assert_eq!(r.max_iterator_age_ms, 86_400_000, "{r:?}");
    assert_eq!(r.final_iterator_age_ms, 86_400_000, "{r:?}");
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

/// Records `sim` has taken in and not yet handed to `name`: processed plus behind plus
/// lost must be everything accepted, and while it keeps up only the last poll waits.
fn keeps_up(sim: &Simulation, name: &str) {
    let r = report(sim, name);
    let accepted = sim.totals().accepted;
    assert_eq!(r.ledger.expired + r.ledger.skipped, 0, "{r:?}");
    assert_eq!(r.ledger.processed + r.behind, accepted, "{r:?}");
    // KCL polls every 1.5 s: at most a few seconds of the stream's traffic waits.
    assert!(r.behind <= 5 * 5_000, "{r:?}");
    assert!(r.final_iterator_age_ms <= 5_000, "{r:?}");
}

#[test]
fn scenario_3_lambda_follows_the_new_shards_and_two_ecs_tasks_fall_behind() {
    let p = preset("scenario-3");
    // Two tasks, no lease cap, no autoscaling: the cause is capacity, not a hidden knob.
    let ConsumerConfig::Kcl(ecs) = &p.config.consumers[1] else {
        panic!("the second consumer is the ECS application")
    };
    assert_eq!(
        (
            ecs.tasks,
            ecs.max_leases_per_worker,
            ecs.autoscaling.enabled
        ),
        (2, None, false)
    );
    // Before the reshard: 2 shards, 2 concurrent executions, both read everything.
    let mut sim = run(p.config.clone(), 3_500);
    assert_eq!(report(&sim, "lambda").max_concurrency, Some(2));
    keeps_up(&sim, "lambda");
    keeps_up(&sim, "ecs");
    // Resharded to 10 at 1 h (done by 1 h 6 min); traffic still 1,000 records/s, and
    // both still keep up.
    sim.run_for(7_100 - 3_500);
    assert_eq!(sim.open_shards(), 10);
    assert_eq!(report(&sim, "lambda").max_concurrency, Some(10));
    keeps_up(&sim, "lambda");
    keeps_up(&sim, "ecs");
    // Traffic grows to 5,000 records/s at 2 h: more than the 2 × 1,000 records/s the ECS
    // tasks process, well within what 10 shards take.
    let grown = 4.0 * 1_250.0;
    assert!(2.0 * ecs.records_per_sec_per_task < grown);
    sim.run_for(2 * DAY - 7_100);
    let t = sim.totals();
    assert_eq!(
        (t.throttled, t.dropped_by_producer),
        (0, 0),
        "no producer loss the lesson does not explain"
    );
    assert_eq!(t.accepted, t.produced, "every offered record lands");
    let offered = 2 * 3_600 * 1_000 + (2 * DAY - 2 * 3_600) * 5_000;
    assert!(t.produced.abs_diff(offered) <= 10, "{t:?}");
    keeps_up(&sim, "lambda");
    let lambda = report(&sim, "lambda");
    assert_eq!(lambda.max_concurrency, Some(10));
    let ecs_report = report(&sim, "ecs");
    assert_eq!(ecs_report.max_tasks, Some(2));
    assert!(ecs_report.ledger.expired > 0, "{ecs_report:?}");
    assert_eq!(ecs_report.final_iterator_age_ms, 86_400_000);
    // Fixed: autoscaling brings ECS to one task per shard; it keeps up and loses nothing.
    let sim = run(fixed("scenario-3"), 2 * DAY);
    keeps_up(&sim, "ecs");
    keeps_up(&sim, "lambda");
    let ecs_report = report(&sim, "ecs");
    assert_eq!(ecs_report.max_tasks, Some(10));
    assert!(
        ecs_report.max_iterator_age_ms <= 5 * 60_000,
        "{ecs_report:?}"
    );
}

#[test]
fn scenario_4_write_and_read_limits_raise_latency_and_more_shards_relieve_both() {
    let sim = run(preset("scenario-4").config, 3_600);
    let t = sim.totals();
    assert!(t.throttled > 0);
    assert!(t.read_throttled > 0);
    assert!(
        sim.metrics()
            .get_records_latency_ms
            .is_some_and(|ms| ms >= 100),
        "{:?}",
        sim.metrics()
    );
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
