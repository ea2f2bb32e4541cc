//! The metric history stays bounded for any run length and folds ticks correctly.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::store::{csv, SeriesStore};
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
        .position(|c| c == "ecs.IteratorAgeMilliseconds")
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
fn csv_export_has_one_row_per_sample_and_blank_cells_before_a_consumer_existed() {
    let config = Config::from_json(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
            "consumers": []}"#,
    )
    .expect("valid");
    let mut sim = Simulation::new(config).expect("valid");
    let mut stream = SeriesStore::new(&[], 1_000);
    let mut late = SeriesStore::consumer(1_000);
    for t in 1..=120u64 {
        sim.step();
        let m = sim.metrics();
        stream.add(m);
        // A consumer that joined at 60 s (fed from then on).
        if t > 60 {
            late.add_consumer(m.t_ms, &Default::default());
        }
    }
    let text = csv(&stream, &[("late", &late)], 0);
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(&header[..3], ["time_s", "sample_s", "produced"]);
    // Each store's own time column is the row's time.
    assert_eq!(
        header.len(),
        2 + (stream.columns.len() - 1) + (late.columns.len() - 1)
    );
    assert!(!header.contains(&"t_s") && !header.contains(&"late.t_s"));
    assert!(
        header.contains(&"late.IteratorAgeMilliseconds"),
        "{header:?}"
    );
    // Two minutes of 1 s ticks: 120 rows at the finest level.
    assert_eq!(lines.len(), 1 + 120);
    let produced = header
        .iter()
        .position(|c| *c == "produced")
        .expect("column");
    let sum: f64 = lines[1..]
        .iter()
        .map(|l| {
            l.split(',')
                .nth(produced)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        })
        .sum();
    assert_eq!(sum, sim.totals().produced as f64);
    let row = |i: usize| -> Vec<&str> { lines[i].split(',').collect() };
    assert_eq!(row(1)[0], "1");
    assert_eq!(row(1).len(), header.len());
    assert!(row(60)[1 + stream.columns.len()..]
        .iter()
        .all(|c| c.is_empty()));
    assert!(row(61)[1 + stream.columns.len()..]
        .iter()
        .all(|c| !c.is_empty()));
    // From a later time only later samples come.
    let tail = csv(&stream, &[], 100_000);
    assert_eq!(tail.lines().count(), 1 + 20);
}
