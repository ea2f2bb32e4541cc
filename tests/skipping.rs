//! Replaying quiet stretches gives exactly what stepping gives: every tick's metrics, bit
//! for bit, and the totals, ledgers, meter, bill, cost rate and shard numbers at the
//! end (and what the next ticks bring after it), on random valid configs with edits
//! along the way — both as drawn and made steady (constant rates, no scripted events,
//! no random errors) so that most runs settle into a repeat and are replayed.
#![cfg(not(target_arch = "wasm32"))]

mod common;
#[path = "common/edit.rs"]
mod edit;
// The generator's long-run helpers are the property tests' own.
#[allow(dead_code)]
#[path = "common/gen.rs"]
mod gen;

use gen::{Case, TICKS};
use kinesis_playground::model::config::{ConsumerConfig, Shape};
use kinesis_playground::model::{Config, Simulation, TickMetrics};
use proptest::prelude::*;

/// The default seed, so that `make test` checks the same configs every time.
const SEED: u64 = 0x7265_706c_6179_2121;

fn runner() -> proptest::test_runner::Config {
    gen::runner(32, 1, SEED)
}

/// Everything a run shows: each tick's metrics in full, then the run's state as its
/// accessors give it.
fn shown(m: &TickMetrics) -> String {
    format!("{m:?}")
}

fn state(sim: &Simulation) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}|{}|{}|{:?}|{:?}",
        sim.now_ms(),
        sim.totals(),
        sim.ledgers(),
        sim.meter(),
        sim.spend(),
        sim.cost_per_hour(),
        sim.shard_utilisation(),
        sim.segments(),
        sim.live_shards(),
        sim.pending_retry(),
        sim.events_applied(),
        sim.shard_get_records().collect::<Vec<_>>(),
        sim.metrics(),
    )
}

/// Runs `case` by stepping (`replay` false) or with `run_ticks` between the edits;
/// returns every tick's metrics, the state at the end, and the ticks replayed.
fn run(case: &Case, replay: bool) -> Result<(Vec<String>, String, u64), TestCaseError> {
    let mut sim = Simulation::new(case.config.clone())
        .map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
    let mut ticks = Vec::new();
    let mut done = 0;
    let mut fresh = 0;
    let mut edits = case.edits.iter().peekable();
    while done < case.ticks {
        while let Some((_, edit)) = edits.next_if(|(at, _)| *at <= done) {
            let next = edit.applied_to(sim.config(), &mut fresh);
            sim.apply(next)
                .map_err(|e| TestCaseError::fail(format!("{edit:?} refused: {e}")))?;
        }
        let until = edits
            .peek()
            .map_or(case.ticks, |(at, _)| (*at).min(case.ticks));
        let n = until.max(done + 1) - done;
        if replay {
            sim.run_ticks(n, |m, _| ticks.push(shown(m)));
        } else {
            for _ in 0..n {
                sim.step();
                ticks.push(shown(sim.metrics()));
            }
        }
        done += n;
    }
    let end = state(&sim);
    // What the run holds but does not show yet comes out in the next ticks.
    for _ in 0..30 {
        sim.step();
        ticks.push(shown(sim.metrics()));
    }
    Ok((ticks, end, sim.replayed_ticks()))
}

fn same(case: &Case) -> Result<u64, TestCaseError> {
    let (stepped, stepped_end, _) = run(case, false)?;
    let (replayed, replayed_end, skipped) = run(case, true)?;
    prop_assert_eq!(stepped.len(), replayed.len());
    if let Some(i) = stepped.iter().zip(&replayed).position(|(a, b)| a != b) {
        prop_assert_eq!(&stepped[i], &replayed[i], "tick {} differs", i);
    }
    prop_assert_eq!(stepped_end, replayed_end);
    Ok(skipped)
}

/// `config` made steady: constant rates, no scripted events, no random errors or
/// poison records, no autoscaling.
fn steady(mut config: Config) -> Config {
    config.events.clear();
    for p in &mut config.producers {
        p.shape = Shape::Constant;
    }
    for c in &mut config.consumers {
        match c {
            ConsumerConfig::Lambda(l) => {
                l.error_rate = 0.0;
                l.poison_rate = 0.0;
            }
            ConsumerConfig::Kcl(k) => k.autoscaling.enabled = false,
        }
    }
    config
}

proptest! {
    #![proptest_config(runner())]

    /// Up to two simulated hours at any tick, as drawn, with edits.
    #[test]
    fn replaying_changes_no_number(
        case in gen::case(gen::config(&TICKS, 24..=72, 7_200), 60..=7_200, 24..=72)
    ) {
        same(&case)?;
    }

    /// Steady runs of up to two hours, with a few edits: most settle and are replayed.
    #[test]
    fn steady_runs_replay_to_the_same_numbers(
        case in gen::case(gen::config(&TICKS, 24..=24, 7_200).prop_map(steady), 600..=7_200, 24..=24)
    ) {
        same(&case)?;
    }
}

/// The benchmark cases that hold still are replayed for all but their first minutes
/// (the reshard case: once it has its ten shards), to the numbers stepping gives.
#[test]
fn the_steady_benchmarks_are_replayed() {
    for name in ["steady", "efo", "reshard"] {
        let path = format!("{}/benches/configs/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let json = std::fs::read_to_string(path).expect("the bench config is there");
        let config = Config::from_json(&json).expect("the bench config is valid");
        let case = Case {
            config,
            ticks: 3_600,
            edits: Vec::new(),
        };
        let replayed = same(&case)
            .map_err(|e| format!("{name}: {e}"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            replayed > case.ticks * 4 / 5,
            "{name}: {replayed} of {} ticks replayed",
            case.ticks
        );
    }
}

/// The golden run (random errors, bursts and a reshard: it never holds still) has the
/// same digest both ways.
#[test]
fn the_golden_digest_is_the_same_replayed() {
    let got = common::replayed_digest(common::golden_config(), common::GOLDEN_SECONDS);
    assert_eq!(got, common::GOLDEN);
}
