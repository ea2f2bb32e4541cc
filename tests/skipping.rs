//! Replaying quiet stretches gives exactly what stepping gives: every tick's metrics, bit
//! for bit, and the totals, ledgers, meter, bill, cost rate, shard numbers and every
//! shard's log, segment by segment, at the end (and what the next 90 ticks bring
//! after it, and leave), on random valid configs with edits along the way — both as drawn and made
//! steady (constant rates, no scripted events, no random errors) so that most runs
//! settle into a repeat and are replayed; driven by `run_ticks`, and tick by tick by
//! `step_within` as the page drives it.
#![cfg(not(target_arch = "wasm32"))]

mod common;
#[path = "common/edit.rs"]
mod edit;
// The generator's long-run helpers are the property tests' own.
#[allow(dead_code)]
#[path = "common/gen.rs"]
mod gen;

use gen::{Case, TICKS};
use kinesis_playground::model::config::{ConsumerConfig, KclConfig};
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
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}|{}|{}|{:?}|{:?}|{:?}|{}",
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
        sim.shard_logs().collect::<Vec<_>>(),
        // The busiest minute's demand, which on-demand capacity follows.
        sim.peak_demand(),
    )
    // Whether a lookup went past the fresh appends is the engine's note to itself, kept
    // until asked; the logs' contents are everything else.
    .replace("back: Cell { value: true }", "back: Cell { value: false }")
}

/// How a run is driven between edits.
#[derive(Clone, Copy, PartialEq)]
enum Drive {
    /// `step`, tick by tick.
    Step,
    /// `run_ticks` up to the next edit.
    RunTicks,
    /// `step_within`, tick by tick, telling it how many ticks are left before the
    /// next edit (as the page does with the ticks a frame owes).
    Within,
}

/// Runs `case` as `drive` says between the edits; returns every tick's metrics, the
/// state at the end, and the ticks replayed.
fn run(case: &Case, drive: Drive) -> Result<(Vec<String>, String, u64), TestCaseError> {
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
        match drive {
            Drive::RunTicks => sim.run_ticks(n, |m, _| ticks.push(shown(m))),
            Drive::Step => {
                for _ in 0..n {
                    sim.step();
                    ticks.push(shown(sim.metrics()));
                }
            }
            Drive::Within => {
                for i in 0..n {
                    sim.step_within(n - i);
                    ticks.push(shown(sim.metrics()));
                }
                prop_assert!(!sim.replaying(), "a replay outlived the ticks it was given");
            }
        }
        done += n;
    }
    let end = state(&sim);
    // What the run holds but does not show yet comes out in the next ticks.
    for _ in 0..90 {
        sim.step();
        ticks.push(shown(sim.metrics()));
    }
    // And what they leave, a minute's bookkeeping included.
    let end = format!("{end}\n{}", state(&sim));
    Ok((ticks, end, sim.replayed_ticks()))
}

/// Runs `case` each way; all give the same numbers. Returns the ticks `run_ticks`
/// replayed.
fn same(case: &Case) -> Result<u64, TestCaseError> {
    let (stepped, stepped_end, _) = run(case, Drive::Step)?;
    let mut replayed_ticks = 0;
    for drive in [Drive::RunTicks, Drive::Within] {
        let (replayed, replayed_end, skipped) = run(case, drive)?;
        prop_assert_eq!(stepped.len(), replayed.len());
        if let Some(i) = stepped.iter().zip(&replayed).position(|(a, b)| a != b) {
            prop_assert_eq!(&stepped[i], &replayed[i], "tick {} differs", i);
        }
        prop_assert_eq!(&stepped_end, &replayed_end);
        if drive == Drive::RunTicks {
            replayed_ticks = skipped;
        } else {
            prop_assert_eq!(skipped, replayed_ticks, "step_within replays as run_ticks");
        }
    }
    Ok(replayed_ticks)
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
        case in gen::case(gen::config(&TICKS, 24..=24, 7_200).prop_map(gen::steady), 600..=7_200, 24..=24)
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
        if name == "steady" {
            // It finds its repeat at its 36th tick and checks it over three more.
            assert_eq!(replayed, 3_561, "steady: the first 39 ticks are worked out");
        }
    }
}

/// The golden run (random errors, bursts and a reshard: it never holds still) has the
/// same digest both ways.
#[test]
fn the_golden_digest_is_the_same_replayed() {
    let (got, _) = common::replayed_digest(common::golden_config(), common::GOLDEN_SECONDS);
    assert_eq!(got, common::GOLDEN);
}

/// Runs longer than their retention, with a Lambda function and a KCL application off
/// their defaults: retention trims the logs during the replay, and beyond 24 hours it
/// bills the extended retention of what is older than a day, as stepping does.
#[test]
fn runs_past_their_retention_replay_to_the_same_numbers() {
    for (hours, tick_s, record_bytes) in [(24u64, 10u64, 900), (48, 5, 25_000), (168, 10, 2_048)] {
        let json = format!(
            r#"{{
              "tick_s": {tick_s},
              "stream": {{"shards": 3, "retention_hours": {hours}}},
              "producers": [{{"name": "p", "instances": 7, "records_per_sec": 13,
                              "record_bytes": {record_bytes}, "distinct_keys": 500}}],
              "consumers": [
                {{"type": "lambda", "name": "fn", "batch_size": 37,
                  "parallelization_factor": 2}},
                {{"type": "kcl", "name": "ecs", "tasks": 2, "poll_interval_ms": 1500,
                  "records_per_sec_per_task": 400}}
              ]
            }}"#
        );
        let config = Config::from_json(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
        let ticks = (hours + 3) * 3_600 / tick_s;
        let case = Case {
            config,
            ticks,
            edits: Vec::new(),
        };
        let replayed = same(&case)
            .map_err(|e| format!("{hours} h: {e}"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            replayed > ticks * 9 / 10,
            "{hours} h: {replayed} of {ticks} ticks replayed"
        );
    }
}

/// A KCL application that reads a thirtieth of what is written, past its retention: its
/// reader is held at the oldest record, so every call looks back past the fresh appends
/// into records about to expire. Once retention has caught up, each period appends what
/// it cuts and the whole log comes back to the same shape, so the run is replayed by
/// moving the logs on, to the same numbers.
#[test]
fn a_consumer_held_at_the_retention_edge_is_replayed() {
    let json = r#"{
      "stream": {"shards": 2, "retention_hours": 24},
      "producers": [{"name": "p", "instances": 2, "records_per_sec": 150,
                     "record_bytes": 700, "distinct_keys": 300}],
      "consumers": [
        {"type": "kcl", "name": "slow", "tasks": 1, "poll_interval_ms": 2000,
         "max_records_per_call": 300, "records_per_sec_per_task": 10}
      ]
    }"#;
    let config = Config::from_json(json).unwrap_or_else(|e| panic!("{e}"));
    let ticks = 36 * 3_600;
    let case = Case {
        config,
        ticks,
        edits: Vec::new(),
    };
    let replayed = same(&case).unwrap_or_else(|e| panic!("{e}"));
    // The backlog reaches its retention about 24.8 h in: until then (and while the
    // search is paused) ticks are stepped; most of the rest is replayed.
    assert!(replayed > 6 * 3_600, "{replayed} of {ticks} ticks replayed");
}

/// After a replay, the consumers' random order and each minute's bookkeeping must be
/// where stepping leaves them: two Lambda functions (no KCL shard sync to run the
/// control plane) keep pace on one shard and are replayed, then a KCL application
/// joins and all three compete for the shard's read allowance, which the order decides
/// tick by tick.
#[test]
fn after_a_replay_consumers_compete_in_the_order_stepping_draws() {
    let json = r#"{
      "stream": {"shards": 1},
      "producers": [{"name": "p", "instances": 3, "records_per_sec": 300,
                     "record_bytes": 1000, "distinct_keys": 50}],
      "consumers": [
        {"type": "lambda", "name": "fn", "batch_size": 250},
        {"type": "lambda", "name": "audit", "batch_size": 40, "parallelization_factor": 2}
      ]
    }"#;
    let config = Config::from_json(json).unwrap_or_else(|e| panic!("{e}"));
    let third = ConsumerConfig::Kcl(KclConfig {
        name: "late".into(),
        poll_interval_ms: 200,
        ..KclConfig::default()
    });
    let case = Case {
        config,
        ticks: 3_000,
        edits: vec![(2_400, edit::Edit::AddConsumer(third))],
    };
    let replayed = same(&case).unwrap_or_else(|e| panic!("{e}"));
    assert!(replayed > 2_000, "{replayed} ticks replayed");
}

/// Forty shards with a million keys spread over them past their 24 h retention: each
/// shard receives a slightly different, uneven pattern, so the cut of its one folded
/// segment drifts by rounding (a record every few periods). A replay makes the first
/// periods of each log and jumps over the rest where they go alike, to the logs,
/// totals and ledgers stepping gives.
#[test]
fn many_shards_past_their_retention_replay_to_the_same_logs() {
    let json = r#"{
      "tick_s": 2,
      "stream": {"shards": 40},
      "producers": [{"name": "p", "instances": 40, "records_per_sec": 251.75,
                     "record_bytes": 1039, "distinct_keys": 1000000}],
      "consumers": [
        {"type": "lambda", "name": "fn", "batch_size": 500, "parallelization_factor": 2},
        {"type": "kcl", "name": "ecs", "tasks": 10, "poll_interval_ms": 1500,
         "records_per_sec_per_task": 4000}
      ]
    }"#;
    let config = Config::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    let ticks = 26 * 3_600 / 2;
    let case = Case {
        config,
        ticks,
        edits: Vec::new(),
    };
    let replayed = same(&case).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        replayed > ticks * 9 / 10,
        "{replayed} of {ticks} ticks replayed"
    );
}

/// Runs `json` for `ticks` ticks each way (see `same`) and checks that most of them
/// were replayed.
fn same_and_mostly_replayed(json: &str, ticks: u64) {
    let replayed = same_json(json, ticks);
    assert!(
        replayed > ticks * 9 / 10,
        "{json}: {replayed} of {ticks} ticks replayed"
    );
}

/// Runs `json` for `ticks` ticks each way (see `same`); returns the ticks replayed.
fn same_json(json: &str, ticks: u64) -> u64 {
    let config = Config::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    let case = Case {
        config,
        ticks,
        edits: Vec::new(),
    };
    same(&case).unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// KCL applications that fall behind, off the defaults: the rest of the run repeats
/// while their leases read further and further back, so a replay works their reads out
/// tick by tick and replays the rest — a Lambda function keeping up, a second KCL
/// application keeping up, writes aggregated by the KPL, 1.5 s and 500 ms polls, 1 s
/// and 5 s ticks — to the numbers stepping gives.
#[test]
fn kcl_applications_falling_behind_are_replayed_with_their_reads_worked_out() {
    let cases = [
        // A tenth of the traffic, polled every 1.5 s, 2 KB records, beside a function.
        r#"{"stream": {"shards": 3},
            "producers": [{"name": "p", "instances": 3, "records_per_sec": 200,
                           "record_bytes": 2048, "distinct_keys": 600}],
            "consumers": [
              {"type": "lambda", "name": "fn", "batch_size": 250},
              {"type": "kcl", "name": "slow", "tasks": 1, "poll_interval_ms": 1500,
               "records_per_sec_per_task": 60}
            ]}"#,
        // 5 s ticks, 500 ms polls of 500 records, two applications, one keeping up.
        r#"{"tick_s": 5, "stream": {"shards": 4},
            "producers": [{"name": "p", "instances": 4, "records_per_sec": 100,
                           "record_bytes": 900, "distinct_keys": 400}],
            "consumers": [
              {"type": "kcl", "name": "fast", "tasks": 2, "poll_interval_ms": 1000,
               "records_per_sec_per_task": 2000},
              {"type": "kcl", "name": "slow", "tasks": 2, "poll_interval_ms": 500,
               "max_records_per_call": 500, "records_per_sec_per_task": 90}
            ]}"#,
        // KPL aggregation: the application works through user records.
        r#"{"stream": {"shards": 2},
            "producers": [{"name": "p", "instances": 2, "records_per_sec": 400,
                           "record_bytes": 300, "distinct_keys": 200, "aggregation": true}],
            "consumers": [
              {"type": "lambda", "name": "fn"},
              {"type": "kcl", "name": "slow", "tasks": 1, "records_per_sec_per_task": 250}
            ]}"#,
    ];
    for json in cases {
        same_and_mostly_replayed(json, 2 * 3_600);
    }
}

/// Leases falling behind until retention holds them at the oldest record, one shard
/// after another (10 s ticks past a 24 h retention): the replay works their reads and
/// their expired records out, then replays the whole run once every lease is held.
#[test]
fn kcl_leases_falling_behind_into_their_retention_replay_to_the_same_numbers() {
    let json = r#"{"tick_s": 10, "stream": {"shards": 3},
        "producers": [{"name": "p", "instances": 3, "records_per_sec": 120,
                       "record_bytes": 700, "distinct_keys": 300}],
        "consumers": [
          {"type": "lambda", "name": "fn", "batch_size": 100},
          {"type": "kcl", "name": "slow", "tasks": 1, "poll_interval_ms": 1500,
           "records_per_sec_per_task": 30}
        ]}"#;
    same_and_mostly_replayed(json, 28 * 360);
}

/// A KCL application falling behind that polls every 15 s for 10 KB records beside a
/// function: each call takes about 6 MB, overdrawing the shard's 2 MiB a second, and
/// the function's calls are refused for the next ticks. Between those calls the rest of
/// the run repeats and is replayed with the application's reads worked out; the replay
/// finds before each such call that it might not fit in the allowance and stops there,
/// and the ticks that follow are worked out, to the numbers stepping gives.
#[test]
fn reads_that_may_overdraw_the_shared_allowance_stop_a_replay() {
    let json = r#"{"stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 100,
                       "record_bytes": 10000, "distinct_keys": 100}],
        "consumers": [
          {"type": "lambda", "name": "fn", "batch_size": 100},
          {"type": "kcl", "name": "slow", "tasks": 1, "poll_interval_ms": 15000,
           "records_per_sec_per_task": 40}
        ]}"#;
    let ticks = 3_600;
    let replayed = same_json(json, ticks);
    assert!(
        (ticks / 5..=ticks / 2).contains(&replayed),
        "{replayed} of {ticks} ticks replayed"
    );
}
