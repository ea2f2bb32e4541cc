//! A coarser tick changes how finely time is sliced, not the totals: for runs with
//! bursts, retries, lagging consumers and resharding, the writes (produced, accepted,
//! throttled, dropped) are the same record for record at `tick_s` 10 as at `tick_s` 1,
//! since writes run second by second whatever the tick; every consumer total is within
//! 1 % (or within 0.1 % of all records produced, for totals that are a sliver of the flow).

use kinesis_playground::model::{Config, Simulation};
use kinesis_playground::share::report::summary;
use kinesis_playground::teach::presets;
use serde_json::Value;

fn run(mut config: Config, tick_s: u32, seconds: u64) -> Value {
    config.tick_s = tick_s;
    let mut sim = Simulation::new(config).expect("valid config");
    sim.run_for(seconds);
    summary(&sim)
}

fn config(json: &str) -> Config {
    Config::from_json(json).expect("valid config")
}

/// The write totals of a summary, which no tick length may change.
const WRITES: [&str; 4] = ["produced", "accepted", "throttled", "dropped_by_producer"];

/// Every total of the summary and of each consumer's ledger, by name.
fn totals(summary: &Value) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for key in WRITES {
        let total = summary[key].as_f64();
        out.push((key.to_string(), total.unwrap_or_else(|| panic!("no {key}"))));
    }
    for c in summary["consumers"].as_array().into_iter().flatten() {
        for key in ["processed", "expired", "skipped"] {
            let name = format!("{}.{key}", c["name"].as_str().unwrap_or("?"));
            let total = c[key].as_f64().unwrap_or_else(|| panic!("no {name}"));
            out.push((name, total));
        }
    }
    out
}

/// Compares every total of `config` run for `seconds` at 1 s and 10 s ticks; returns
/// the 1 s run's total named `key`, so a test can check it is not trivially zero.
fn check(name: &str, config: Config, seconds: u64, key: &str) -> f64 {
    let fine = run(config.clone(), 1, seconds);
    let coarse = run(config, 10, seconds);
    let produced = fine["produced"].as_f64().unwrap_or(0.0);
    let mut bad = Vec::new();
    let mut wanted = f64::NAN;
    let (fine_totals, coarse_totals) = (totals(&fine), totals(&coarse));
    let names = |t: &[(String, f64)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&fine_totals),
        names(&coarse_totals),
        "the same totals"
    );
    for ((total, a), (_, b)) in fine_totals.into_iter().zip(coarse_totals) {
        if total == key {
            wanted = a;
        }
        let allowed = if WRITES.contains(&total.as_str()) {
            0.0
        } else {
            f64::max(0.01 * a, 0.001 * produced)
        };
        let line = format!("{name}: {total} {a} at 1 s, {b} at 10 s");
        println!("{line}");
        if (a - b).abs() > allowed {
            bad.push(line);
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    wanted
}

#[test]
fn bursts_with_retries_give_the_same_totals_at_1_s_and_10_s() {
    let scenario_2 = presets::find("scenario-2").expect("preset");
    let throttled = check("scenario-2", scenario_2.config, 6 * 3_600, "throttled");
    assert!(throttled > 1e5, "{throttled}");
}

#[test]
fn short_bursts_inside_one_tick_give_the_same_totals() {
    // A 5 s burst every 7 minutes: half a 10 s tick.
    let c = config(
        r#"{"stream": {"shards": 2},
            "producers": [{"name": "p", "instances": 2, "records_per_sec": 800, "record_bytes": 512,
                           "shape": {"type": "surge", "every_s": 420, "duration_s": 5, "multiplier": 3},
                           "retry": {"max_attempts": 5}}],
            "consumers": [{"type": "lambda", "name": "fn"}]}"#,
    );
    let throttled = check("5 s bursts", c, 6 * 3_600, "throttled");
    assert!(throttled > 1e5, "{throttled}");
}

#[test]
fn batches_flushed_inside_a_tick_give_the_same_totals() {
    // Every 5 s the producers send 6,500 records in one second (the hidden-bursts
    // preset), and every 7 s a flush of 9,100 that 3 attempts do not always land: a flush
    // second in each 10 s tick, and flushes that fall across ticks.
    let hidden = presets::find("hidden-bursts").expect("preset");
    let throttled = check(
        "batches every 5 s",
        hidden.config.clone(),
        3_600,
        "throttled",
    );
    assert!(throttled > 1e6, "{throttled}");
    let mut seven = hidden.config;
    seven.producers[0].shape = kinesis_playground::model::Shape::Batches { flush_every_s: 7 };
    seven.producers[0].retry.max_attempts = 3;
    let dropped = check("batches every 7 s", seven, 3_600, "dropped_by_producer");
    assert!(dropped > 1e5, "{dropped}");
}

#[test]
fn sustained_overload_drops_the_same_records() {
    let c = config(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "records_per_sec": 1500, "record_bytes": 512}],
            "consumers": [{"type": "kcl", "name": "ecs", "tasks": 1}]}"#,
    );
    let dropped = check("overload", c, 3 * 3_600, "dropped_by_producer");
    assert!(dropped > 1e6, "{dropped}");
}

#[test]
fn a_lagging_consumer_loses_the_same_records_to_retention() {
    // The function reads half of what arrives: records start expiring near 48 h.
    let scenario_1 = presets::find("scenario-1").expect("preset");
    let expired = check(
        "scenario-1",
        scenario_1.config,
        52 * 3_600,
        "lambda.expired",
    );
    assert!(expired > 1e6, "{expired}");
}

#[test]
fn resharding_and_a_daily_cycle_give_the_same_totals() {
    let c = config(
        r#"{"stream": {"shards": 2},
            "producers": [{"name": "p", "instances": 4, "records_per_sec": 450, "record_bytes": 700,
                           "shape": {"type": "daily", "peak_hour": 3, "trough": 0.2}}],
            "consumers": [{"type": "lambda", "name": "fn", "parallelization_factor": 2},
                          {"type": "kcl", "name": "ecs", "tasks": 2, "records_per_sec_per_task": 900,
                           "shard_sync_s": 45}],
            "events": [{"at_s": 3600, "set": {"stream.shards": 6}},
                       {"at_s": 18000, "set": {"stream.shards": 3}}]}"#,
    );
    let processed = check("reshard + daily", c, 30 * 3_600, "ecs.processed");
    assert!(processed > 1e8, "{processed}");
}

#[test]
fn the_scenario_with_two_consumer_kinds_and_a_reshard_gives_the_same_totals() {
    let scenario_3 = presets::find("scenario-3").expect("preset");
    // Two ECS tasks fall behind once traffic grows at 2 h; their records expire from ~41 h.
    let expired = check("scenario-3", scenario_3.config, 44 * 3_600, "ecs.expired");
    assert!(expired > 1e6, "{expired}");
}
