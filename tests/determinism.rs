//! Same config and seed ⇒ the same numbers, tick for tick; a pinned digest of a fixed run.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use kinesis_playground::model::Simulation;

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
