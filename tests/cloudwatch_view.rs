//! CloudWatch's datapoints kept by the page's history: every statistic over 1- and
//! 5-minute periods equals what the per-second series gives by CloudWatch's rules, at
//! ticks of 1 and 5 seconds, also once the history has moved to per-minute samples.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::cloudwatch::Statistic;
use kinesis_playground::model::series::Sampler;
use kinesis_playground::model::store::SeriesStore;
use kinesis_playground::model::{Config, Simulation};

/// Two shards, four agents flushing 325 records/s every 5 s (6,500 records in one
/// second of five) and a Lambda function; `tick_s` seconds per tick.
fn bursts(tick_s: u32) -> Simulation {
    let config = Config::from_json(&format!(
        r#"{{"tick_s": {tick_s}, "stream": {{"shards": 2}},
            "producers": [{{"name": "agents", "instances": 4, "records_per_sec": 325,
                           "record_bytes": 512, "distinct_keys": 5000,
                           "shape": {{"type": "batches", "flush_every_s": 5}},
                           "retry": {{"max_attempts": 10}}}}],
            "consumers": [{{"type": "lambda", "name": "fn", "ms_per_record": 0.5}}]}}"#
    ))
    .expect("valid");
    Simulation::new(config).expect("valid")
}

/// A statistic, the CLI's columns and its rows.
type Sampled = (Statistic, Vec<String>, Vec<Vec<f64>>);

/// Runs `sim` for `seconds`, feeding a watched store and, per `period_s`, a CLI sampler
/// for each statistic; returns the store and each statistic's rows (column → values).
fn run(sim: &mut Simulation, seconds: u64, period_s: u64) -> (SeriesStore, Vec<Sampled>) {
    let tick_ms = u64::from(sim.config().tick_s) * 1_000;
    let mut store = SeriesStore::new(&[], tick_ms).watched(&[]);
    let names = vec!["fn".to_string()];
    let mut samplers: Vec<(Statistic, Sampler, Vec<Vec<f64>>)> = Statistic::ALL
        .iter()
        .map(|&s| (s, Sampler::with_statistic(&names, s), Vec::new()))
        .collect();
    while sim.now_ms() < seconds * 1_000 {
        sim.step();
        let m = sim.metrics();
        store.add(m);
        for (_, sampler, rows) in &mut samplers {
            sampler.add(m, ["fn"]);
            if m.t_ms.is_multiple_of(period_s * 1_000) {
                if let Some(row) = sampler.flush() {
                    rows.push(row.to_vec());
                }
            }
        }
    }
    let rows = samplers
        .into_iter()
        .map(|(s, sampler, rows)| (s, sampler.columns, rows))
        .collect();
    (store, rows)
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn a_minute_sum_is_the_sum_of_its_seconds_and_the_sampler_agrees_on_every_statistic() {
    for tick_s in [1, 5] {
        let mut sim = bursts(tick_s);
        let (store, sampled) = run(&mut sim, 600, 60);
        let until = sim.now_ms();
        // The 1-minute Sum is the sum of the per-tick values of that minute.
        let c = store.column("IncomingRecords").expect("column");
        let ticks = store.series(c, 0);
        let sums = store.datapoints("IncomingRecords", Statistic::Sum, 60_000, 0, until);
        assert_eq!(sums.len(), 10, "tick {tick_s}");
        for &(end, sum) in &sums {
            let seconds: f64 = ticks
                .iter()
                .filter(|(t, _)| *t > end - 60_000 && *t <= end)
                .map(|p| p.1)
                .sum();
            assert_eq!(sum, seconds, "tick {tick_s}, minute ending {end}");
        }
        // 6,500 records every 5 s are 78,000 a minute once retries have landed: 65 % of
        // the 120,000 two shards take, while seconds are throttled.
        // (Records are whole, so a minute can be one off.)
        assert!(
            sums[2..].iter().all(|p| (p.1 - 78_000.0).abs() <= 1.0),
            "{sums:?}"
        );
        let throttled = store.datapoints(
            "WriteProvisionedThroughputExceeded",
            Statistic::Sum,
            60_000,
            0,
            until,
        );
        assert!(throttled.iter().all(|p| p.1 > 0.0), "{throttled:?}");
        // Every statistic of every CloudWatch column equals the CLI's for that period.
        for (stat, columns, rows) in &sampled {
            for metric in [
                "IncomingRecords",
                "IncomingBytes",
                "WriteProvisionedThroughputExceeded",
                "GetRecords.Records",
                "GetRecords.IteratorAgeMilliseconds",
                "GetRecords.Latency",
            ] {
                let k = columns.iter().position(|n| n == metric).expect("column");
                let from_cli: Vec<f64> =
                    rows.iter().map(|r| r[k]).filter(|v| !v.is_nan()).collect();
                let kept: Vec<f64> = store
                    .datapoints(metric, *stat, 60_000, 0, until)
                    .into_iter()
                    .map(|p| p.1)
                    .collect();
                assert_eq!(kept.len(), from_cli.len(), "{metric} {stat} tick {tick_s}");
                for (a, b) in kept.iter().zip(&from_cli) {
                    assert!(near(*a, *b), "{metric} {stat} tick {tick_s}: {a} vs {b}");
                }
            }
        }
    }
}

#[test]
fn statistics_count_put_calls_for_writes_and_answered_calls_for_ages_at_any_tick() {
    // 5-second ticks: a minute holds one sample of the stream's iterator age per
    // answered GetRecords call, and as many samples of IncomingRecords as PutRecords
    // calls were answered.
    let mut sim = bursts(5);
    let (store, _) = run(&mut sim, 900, 300);
    let until = sim.now_ms();
    let age = store.datapoints(
        "GetRecords.IteratorAgeMilliseconds",
        Statistic::SampleCount,
        60_000,
        0,
        until,
    );
    let answered = store.datapoints("GetRecords.Success", Statistic::Sum, 60_000, 0, until);
    assert_eq!(age, answered);
    assert!(
        age.iter().all(|p| p.1 >= 60.0),
        "a call a second at least: {age:?}"
    );
    let five = |stat| store.datapoints("IncomingRecords", stat, 300_000, 0, until);
    let (sum, calls) = (five(Statistic::Sum), five(Statistic::SampleCount));
    assert_eq!(
        sum.iter().map(|p| p.0).collect::<Vec<_>>(),
        [300_000, 600_000, 900_000]
    );
    let put_calls = store.column("put_calls").expect("column");
    for ((end, s), (_, n)) in sum.iter().zip(&calls) {
        let counted: f64 = store
            .series(put_calls, 0)
            .iter()
            .filter(|(t, _)| *t > end - 300_000 && *t <= *end)
            .map(|p| p.1)
            .sum();
        assert_eq!(*n, counted);
        let average = five(Statistic::Average)
            .into_iter()
            .find(|p| p.0 == *end)
            .map(|p| p.1);
        assert_eq!(average, Some(s / n));
    }
}

#[test]
fn older_history_keeps_exact_minute_datapoints_and_a_period_starts_on_its_boundary() {
    // After an hour the per-tick samples are gone; the minute samples still give each
    // minute's Sum and Maximum exactly, and a window starting mid-period still gets the
    // whole first period.
    let mut sim = bursts(1);
    let (store, sampled) = run(&mut sim, 3_600, 60);
    let until = sim.now_ms();
    let (_, columns, rows) = &sampled[2];
    let k = columns
        .iter()
        .position(|n| n == "IncomingRecords")
        .expect("column");
    let kept = store.datapoints("IncomingRecords", Statistic::Maximum, 60_000, 90_000, until);
    assert_eq!(kept.first().map(|p| p.0), Some(120_000));
    assert_eq!(kept.len(), 59);
    for (p, row) in kept.iter().zip(&rows[1..]) {
        assert_eq!(p.1, row[k]);
    }
    // No PutRecords call carries more than 500 records, and the minute's largest
    // call is above its average one: the bursts show in the Maximum.
    let average = store.datapoints("IncomingRecords", Statistic::Average, 60_000, 90_000, until);
    for (max, avg) in kept.iter().zip(&average) {
        assert!(max.1 <= 500.0 && max.1 > 1.5 * avg.1, "{max:?} {avg:?}");
    }
    assert!(store
        .datapoints("produced", Statistic::Sum, 60_000, 0, until)
        .is_empty());
}
