//! The metric history stays bounded for any run length and folds ticks correctly.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use kinesis_playground::model::store::SeriesStore;
use kinesis_playground::model::{Config, Simulation};

#[test]
fn thirty_days_fit_in_a_bounded_history_that_still_sums_to_the_totals() {
    let config = Config::from_json(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100,
                           "shape": {"type": "daily", "peak_hour": 15, "trough": 0.1}}],
            "consumers": [{"type": "kcl", "name": "ecs", "tasks": 1, "records_per_sec_per_task": 60}]}"#,
    )
    .expect("valid");
    let mut sim = Simulation::new(config).expect("valid");
    let mut store = SeriesStore::new(&["ecs".to_string()], 1_000);
    let produced = store
        .columns
        .iter()
        .position(|c| c == "produced")
        .expect("column");
    let age = store
        .columns
        .iter()
        .position(|c| c == "ecs.oldest_unprocessed_age_ms")
        .expect("column");
    let width = store.columns.len();
    let mut bound = 0;
    for day in 1..=30 {
        for _ in 0..86_400 {
            sim.step();
            store.add(sim.metrics());
        }
        if day == 2 {
            bound = store.values_held();
        }
        assert!(
            store.values_held() <= width * (900 + 2_880 + 2_049),
            "day {day}"
        );
    }
    // After two days the history no longer grows (the coarse level halves instead).
    assert!(store.values_held() <= bound + width * 2_049);
    let coarse = &store.levels()[2];
    assert!(coarse.step_ms >= 1_800_000, "step {}", coarse.step_ms);
    assert!(coarse.len() <= 2_048);

    // Every record produced in 30 days is in the coarse level's sums.
    let all = store.series(produced, 0);
    let total: f64 = all.iter().map(|(_, v)| v).sum();
    assert_eq!(total as u64, sim.totals().produced);
    // The per-minute level keeps the last two days at one-minute steps.
    let recent = store.series(produced, 28 * 86_400_000);
    assert_eq!(recent.len(), 2 * 1_440);
    assert!(recent.windows(2).all(|w| w[1].0 - w[0].0 == 60_000));
    // The per-tick level answers for the last few minutes.
    let last = store.series(produced, 30 * 86_400_000 - 300_000);
    assert_eq!(last.len(), 300);
    // Maxima survive folding: the coarse series' peak age is the run's peak age.
    let peak = store
        .series(age, 0)
        .iter()
        .map(|(_, v)| *v)
        .fold(0.0, f64::max);
    let reported = sim.ledgers()[0].max_iterator_age_ms as f64;
    assert_eq!(peak, reported);
}

#[test]
fn consumer_columns_follow_consumers_by_name_when_an_event_replaces_them() {
    // At 300 s an event replaces consumer "a" by "b"; "c" stays throughout, first in the
    // list before the event and last after it.
    let (sim, store) = common::replaced_consumer_run();
    let column = |name: &str| store.column(name).unwrap_or_else(|| panic!("no {name}"));
    // b's columns come after a's, which stay.
    assert!(column("a.processed") < column("b.processed"));
    assert_eq!(
        store.columns.last().map(String::as_str),
        Some("b.invocations_ended")
    );
    let points = |name: &str| store.series(column(name), 0);
    // a's values stop at 300 s, b's start after it; c's go on, in its own columns.
    let a = points("a.processed");
    assert_eq!(a.len(), 300);
    assert_eq!(a.last().map(|p| p.0), Some(300_000));
    let b = points("b.processed");
    assert_eq!(b.len(), 300);
    assert_eq!(b.first().map(|p| p.0), Some(301_000));
    let c = points("c.processed");
    assert_eq!(c.len(), 600);
    let total = |p: &[(u64, f64)]| p.iter().map(|(_, v)| v).sum::<f64>() as u64;
    let ledgers = sim.ledgers();
    let processed = |name: &str| {
        ledgers
            .iter()
            .find(|l| l.name == name)
            .map(|l| l.ledger.processed)
    };
    assert_eq!(Some(total(&a)), processed("a"));
    assert_eq!(Some(total(&b)), processed("b"));
    assert_eq!(Some(total(&c)), processed("c"));
    // The KCL consumer's task count never takes a Lambda function's concurrency.
    let tasks = points("c.RunningTaskCount");
    assert!(tasks.iter().all(|(_, v)| *v == 1.0), "{tasks:?}");
}
