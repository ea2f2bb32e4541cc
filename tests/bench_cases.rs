//! The engine's benchmark cases (`benches/configs/`) are what their names say: the steady
//! ones never throttle and their consumers keep up, the overload one throttles and drops
//! every minute, the lagging one's KCL application reaches the retention during its
//! measured span, the reshard one goes from 2 to 10 shards, and every case's warm state
//! and shard-seconds are as the benchmarks count them.

#[path = "../benches/cases/mod.rs"]
mod cases;

use cases::{steps, Case, CASES};
use kinesis_playground::model::Simulation;

fn case(name: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

/// A case run from its start for `seconds`.
fn ran(name: &str, seconds: u64) -> Simulation {
    let mut sim = Simulation::new(case(name).config()).expect("valid");
    steps(&mut sim, seconds);
    sim
}

#[test]
fn the_steady_cases_never_throttle_and_every_consumer_keeps_up() {
    for (name, shards) in [("steady", 100), ("efo", 100), ("shards-1000", 1_000)] {
        let sim = ran(name, 600);
        assert_eq!(sim.open_shards(), shards, "{name}");
        let totals = sim.totals();
        assert_eq!(totals.throttled, 0, "{name}");
        assert_eq!(totals.produced, totals.accepted, "{name}");
        // Caught up: at most the last second's records wait, and none is 2 s old.
        for c in sim.ledgers() {
            assert!(c.ledger.processed > 0, "{name}: {}", c.name);
            assert!(
                c.behind <= totals.accepted / 600,
                "{name}: {} {}",
                c.name,
                c.behind
            );
            assert!(c.max_iterator_age_ms <= 2_000, "{name}: {c:?}");
        }
    }
    assert_eq!(ran("efo", 60).ledgers().len(), 10);
}

#[test]
fn the_overload_case_throttles_retries_and_drops() {
    let sim = ran("overload", 600);
    let totals = sim.totals();
    // 130,000 records/s offered to 100 shards taking 1,000/s each.
    assert!(totals.accepted <= 100_000 * 600, "{totals:?}");
    assert!(totals.accepted >= 99_000 * 600, "{totals:?}");
    assert!(totals.throttled > totals.produced / 4, "{totals:?}");
    assert!(
        totals.dropped_by_producer > totals.produced / 5,
        "{totals:?}"
    );
    assert!(sim.pending_retry() > 0);
}

#[test]
fn the_reshard_case_opens_ten_shards_within_its_span() {
    let case = case("reshard");
    let warm = case.warm();
    assert_eq!(warm.open_shards(), 2);
    let shard_seconds = case.shard_seconds(&warm);
    // 60 s at 2 shards, steps to 4, 8 and 10 (120 s each), then 10 shards.
    assert!(shard_seconds > 9 * case.span_s, "{shard_seconds}");
    assert!(shard_seconds < 10 * case.span_s, "{shard_seconds}");
    assert_eq!(ran("reshard", case.span_s).open_shards(), 10);
}

#[test]
fn the_lagging_case_reaches_its_retention_during_the_span_it_measures() {
    let case = case("lagging");
    let mut sim = case.warm();
    let ecs = |sim: &Simulation| {
        sim.ledgers()
            .into_iter()
            .find(|c| c.name == "ecs")
            .expect("the KCL application")
    };
    let before = ecs(&sim);
    assert_eq!(before.ledger.expired, 0);
    // Reading a tenth of what arrives, the oldest record ages 0.9 s a second.
    let age = before.final_iterator_age_ms;
    assert!(age > 80_000_000 && age < 86_400_000, "{age}");
    steps(&mut sim, case.span_s);
    let after = ecs(&sim);
    assert!(after.ledger.expired > 0, "{after:?}");
    assert!(after.final_iterator_age_ms <= 86_400_000, "{after:?}");
    // The Lambda function keeps up all along.
    let lambda = sim.ledgers().into_iter().find(|c| c.name == "fn");
    assert!(lambda.is_some_and(|l| l.ledger.expired == 0 && l.max_iterator_age_ms <= 2_000));
}
