//! The command line's samples of a run are the same whether a replay's repeated periods
//! are added to them tick by tick or whole (`Simulation::run_ticks_into`,
//! `Sampler::again`): every row, bit for bit, with and without a CloudWatch statistic,
//! on random steady configs at every tick length with edits along the way, on the
//! benchmark cases and off-default settings, and never where a sum could stop counting
//! exactly.
#![cfg(not(target_arch = "wasm32"))]

mod common;
#[path = "common/edit.rs"]
mod edit;
// The generator's long-run helpers are the property tests' own.
#[allow(dead_code)]
#[path = "common/gen.rs"]
mod gen;

use gen::{Case, TICKS};
use kinesis_playground::model::cloudwatch::Statistic;
use kinesis_playground::model::series::Sampler;
use kinesis_playground::model::sim::TickSink;
use kinesis_playground::model::{Config, Simulation, TickMetrics};
use proptest::prelude::*;

const SEED: u64 = 0x7361_6d70_6c65_7321;

const STATISTICS: [Statistic; 5] = [
    Statistic::Sum,
    Statistic::Average,
    Statistic::Maximum,
    Statistic::Minimum,
    Statistic::SampleCount,
];

/// A sink that adds whole periods when the sampler takes them, and counts their ticks.
struct Whole<'a> {
    sampler: &'a mut Sampler,
    ticks: u64,
}

impl TickSink for Whole<'_> {
    fn tick(&mut self, m: &TickMetrics, config: &Config) {
        self.sampler.tick(m, config);
    }

    fn again(
        &mut self,
        period: &mut dyn Iterator<Item = &TickMetrics>,
        times: u64,
        end_ms: u64,
    ) -> bool {
        let mut length = 0;
        let took = self
            .sampler
            .again(period.inspect(|_| length += 1), times, end_ms);
        self.ticks += u64::from(took) * times * length;
        took
    }
}

/// Rows as bits (a missing value is NaN; NaNs compare equal by their bits).
fn bits(row: &[f64]) -> Vec<u64> {
    row.iter().map(|v| v.to_bits()).collect()
}

/// Runs `case`, sampling every `every` ticks, ticks added one by one (`whole` false)
/// or periods whole; returns the columns, the rows and the ticks added whole.
fn sampled(
    case: &Case,
    every: u64,
    statistic: Option<Statistic>,
    whole: bool,
) -> (Vec<String>, Vec<Vec<u64>>, u64) {
    let mut sim = Simulation::new(case.config.clone()).expect("a valid config");
    let names: Vec<String> = case
        .config
        .consumers
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let mut sampler = match statistic {
        Some(s) => Sampler::with_statistic(&names, s),
        None => Sampler::new(&names),
    };
    let mut rows = Vec::new();
    let mut periods = 0;
    let mut fresh = 0;
    let mut done = 0;
    let mut edits = case.edits.iter().peekable();
    while done < case.ticks {
        while let Some((_, edit)) = edits.next_if(|(at, _)| *at <= done) {
            let next = edit.applied_to(sim.config(), &mut fresh);
            sim.apply(next).expect("an edit the generator made valid");
        }
        let edit_at = edits
            .peek()
            .map_or(case.ticks, |(at, _)| (*at).min(case.ticks));
        let sample_end = (done / every + 1) * every;
        let n = edit_at.min(sample_end).min(case.ticks).max(done + 1) - done;
        if whole {
            let mut sink = Whole {
                sampler: &mut sampler,
                ticks: 0,
            };
            sim.run_ticks_into(n, &mut sink);
            periods += sink.ticks;
        } else {
            sim.run_ticks(n, |m, config| {
                sampler.add(m, config.consumers.iter().map(|c| c.name()));
            });
        }
        done += n;
        if done.is_multiple_of(every) || done == case.ticks {
            if let Some(row) = sampler.flush() {
                rows.push(bits(row));
            }
        }
    }
    (sampler.columns.clone(), rows, periods)
}

/// Both ways give the same columns and rows; returns the ticks added whole.
fn same(case: &Case, every: u64, statistic: Option<Statistic>) -> Result<u64, TestCaseError> {
    let (columns, rows, _) = sampled(case, every, statistic, false);
    let (whole_columns, whole_rows, periods) = sampled(case, every, statistic, true);
    prop_assert_eq!(columns, whole_columns);
    prop_assert_eq!(rows.len(), whole_rows.len());
    for (i, (a, b)) in rows.iter().zip(&whole_rows).enumerate() {
        prop_assert_eq!(a, b, "row {} of {}", i, rows.len());
    }
    Ok(periods)
}

proptest! {
    #![proptest_config(gen::runner(24, 1, SEED))]

    /// Steady runs of up to two hours at any tick, with a few edits, sampled every 1 to
    /// 2,000 ticks, a third of them with a CloudWatch statistic.
    #[test]
    fn whole_periods_sample_as_ticks_do(
        case in gen::case(gen::config(&TICKS, 24..=24, 7_200).prop_map(gen::steady), 600..=7_200, 24..=24),
        every in 1_u64..=2_000,
        statistic in prop_oneof![
            2 => Just(None),
            1 => prop::sample::select(&STATISTICS[..]).prop_map(Some),
        ],
    ) {
        same(&case, every, statistic)?;
    }
}

fn bench_config(name: &str) -> Config {
    let path = format!("{}/benches/configs/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let json = std::fs::read_to_string(path).expect("the bench config is there");
    Config::from_json(&json).expect("the bench config is valid")
}

/// A simulated day of the benchmark cases that settle, and of settings off the
/// defaults (2 s ticks, a KCL application polling every 1.5 s, Lambda batches of 500
/// with a parallelization factor of 2, 1,039-byte records), sampled every hour and
/// every 7 minutes: the same rows, most of the ticks added as whole periods where a
/// sample holds two periods or more, with and without each CloudWatch statistic.
#[test]
fn a_day_of_whole_periods_samples_as_ticks_do() {
    let off_defaults = Config::from_json(
        r#"{
          "tick_s": 2,
          "stream": {"shards": 8},
          "producers": [{"name": "p", "instances": 8, "records_per_sec": 251.75,
                         "record_bytes": 1039, "distinct_keys": 1000}],
          "consumers": [
            {"type": "lambda", "name": "fn", "batch_size": 500, "parallelization_factor": 2},
            {"type": "kcl", "name": "ecs", "tasks": 2, "poll_interval_ms": 1500,
             "records_per_sec_per_task": 4000}
          ]
        }"#,
    )
    .expect("valid settings");
    let configs = [
        ("steady", bench_config("steady")),
        ("efo", bench_config("efo")),
        ("off the defaults", off_defaults),
    ];
    for (name, config) in configs {
        let tick_s = u64::from(config.tick_s);
        let case = Case {
            config,
            ticks: 86_400 / tick_s,
            edits: Vec::new(),
        };
        for every_s in [3_600, 420] {
            let every = every_s / tick_s;
            let whole = same(&case, every, None)
                .unwrap_or_else(|e| panic!("{name}, every {every_s} s: {e}"));
            // The off-default settings repeat every few hundred ticks: a 7-minute
            // sample holds less than two periods, so each of its ticks is added alone.
            let long_period = name == "off the defaults" && every_s < 3_600;
            assert!(
                long_period || whole * 2 > case.ticks,
                "{name}, every {every_s} s: only {whole} of {} ticks added whole",
                case.ticks
            );
        }
        for statistic in STATISTICS {
            let whole = same(&case, 3_600 / tick_s, Some(statistic))
                .unwrap_or_else(|e| panic!("{name}, {statistic:?}: {e}"));
            assert!(
                whole * 2 > case.ticks,
                "{name}, {statistic:?}: only {whole} of {} ticks added whole",
                case.ticks
            );
        }
    }
}

/// A sum is added whole only while it stays below 2^53, where `f64` counts exactly;
/// beyond, the sampler refuses and changes nothing.
#[test]
fn sums_that_may_stop_counting_exactly_are_not_added_whole() {
    let tick = |t_ms| TickMetrics {
        t_ms,
        incoming_bytes: 1 << 51,
        incoming_records: 3,
        ..TickMetrics::default()
    };
    let row = |s: &mut Sampler| bits(s.flush().expect("a tick was added"));
    // Twice one by one, and once then once more whole: the same row.
    let mut by_tick = Sampler::new(&[]);
    by_tick.add(&tick(1_000), []);
    by_tick.add(&tick(2_000), []);
    let mut whole = Sampler::new(&[]);
    whole.add(&tick(1_000), []);
    assert!(whole.again([tick(1_000)].iter(), 1, 2_000));
    assert_eq!(row(&mut by_tick), row(&mut whole));
    // 2^51 + 3 × 2^51 reaches 2^53: refused, and the row is the one tick's.
    let mut alone = Sampler::new(&[]);
    alone.add(&tick(1_000), []);
    let mut refused = Sampler::new(&[]);
    refused.add(&tick(1_000), []);
    assert!(!refused.again([tick(1_000)].iter(), 3, 4_000));
    assert_eq!(row(&mut alone), row(&mut refused));
    // Nothing added yet in the interval: refused.
    assert!(!Sampler::new(&[]).again([tick(1_000)].iter(), 1, 2_000));
    // The same with a CloudWatch statistic, whose samples count bytes too.
    for statistic in STATISTICS {
        let mut by_tick = Sampler::with_statistic(&[], statistic);
        by_tick.add(&tick(1_000), []);
        by_tick.add(&tick(2_000), []);
        let mut whole = Sampler::with_statistic(&[], statistic);
        whole.add(&tick(1_000), []);
        assert!(whole.again([tick(1_000)].iter(), 1, 2_000));
        assert_eq!(row(&mut by_tick), row(&mut whole), "{statistic:?}");
        let mut alone = Sampler::with_statistic(&[], statistic);
        alone.add(&tick(1_000), []);
        let mut refused = Sampler::with_statistic(&[], statistic);
        refused.add(&tick(1_000), []);
        assert!(
            !refused.again([tick(1_000)].iter(), 3, 4_000),
            "{statistic:?}"
        );
        assert_eq!(row(&mut alone), row(&mut refused), "{statistic:?}");
    }
}
