//! Same config and seed ⇒ the same numbers, tick for tick; pinned digests of a fixed run,
//! over its counters and over its floating-point series; edits that change nothing
//! change no number.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use kinesis_playground::model::{ConsumerConfig, Simulation};
use kinesis_playground::teach::presets;

#[test]
fn two_runs_agree_tick_for_tick() {
    let mut a = Simulation::new(common::golden_config()).expect("valid");
    let mut b = Simulation::new(common::golden_config()).expect("valid");
    for tick in 0..3_600 {
        a.step();
        b.step();
        assert_eq!(
            a.metrics(),
            b.metrics(),
            "runs diverge at tick {tick} (seed 7)"
        );
    }
}

#[test]
fn a_different_seed_changes_the_lambda_errors() {
    let mut config = common::golden_config();
    let base = common::digest(config.clone(), 600);
    config.seed = 8;
    assert_ne!(base, common::digest(config, 600));
}

#[test]
fn golden_digest_of_a_fixed_run() {
    let got = common::digest(common::golden_config(), common::GOLDEN_SECONDS);
    assert_eq!(got, common::GOLDEN, "golden digest changed: {got:#018x}");
}

#[test]
fn golden_digest_of_the_fixed_run_s_utilisation_and_cost_series() {
    let got = common::digests(common::golden_config(), common::GOLDEN_SECONDS, |_| {});
    assert_eq!(got.metrics, common::GOLDEN);
    assert_eq!(
        got.floats,
        common::GOLDEN_FLOATS,
        "golden digest of the float series changed: {:#018x}",
        got.floats
    );
}

#[test]
fn the_float_digest_sees_a_change_only_the_bill_shows() {
    // A bigger function memory changes the Lambda bill and nothing the counters hold.
    let mut config = common::golden_config();
    let base = common::digests(config.clone(), 600, |_| {});
    if let ConsumerConfig::Lambda(l) = &mut config.consumers[0] {
        l.memory_mb = 512;
    }
    let bigger = common::digests(config, 600, |_| {});
    assert_eq!(base.metrics, bigger.metrics);
    assert_ne!(base.floats, bigger.floats);
}

#[test]
fn applying_the_unchanged_settings_mid_run_changes_no_number() {
    // Every 97 s (across the scripted reshard at 30 min) the running settings are applied
    // again as they are.
    let again = |sim: &mut Simulation| {
        if (sim.now_ms() / 1_000).is_multiple_of(97) {
            let same = sim.config().clone();
            sim.apply(same).expect("the running settings apply");
        }
    };
    let seconds = common::GOLDEN_SECONDS;
    let plain = common::digests(common::golden_config(), seconds, |_| {});
    assert_eq!(
        common::digests(common::golden_config(), seconds, again),
        plain
    );
    // The same check sees an edit that does change something.
    let edit = |sim: &mut Simulation| {
        if sim.now_ms() == 1_200_000 {
            let mut more = sim.config().clone();
            more.producers[0].records_per_sec += 1.0;
            sim.apply(more).expect("valid");
        }
    };
    assert_ne!(
        common::digests(common::golden_config(), seconds, edit),
        plain
    );
}

#[test]
fn applying_the_unchanged_settings_every_tick_changes_no_preset_run() {
    for p in presets::all() {
        let again = |sim: &mut Simulation| {
            let same = sim.config().clone();
            sim.apply(same).expect("the running settings apply");
        };
        let plain = common::digests(p.config.clone(), 7_200, |_| {});
        let applied = common::digests(p.config.clone(), 7_200, again);
        assert_eq!(applied, plain, "{}", p.name);
    }
}
