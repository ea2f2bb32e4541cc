//! The engine on the cases of `benches/cases/mod.rs` as the command line and `run_for`
//! run it (`Simulation::run_ticks`, which replays quiet stretches): simulated
//! shard-seconds per second over a simulated day from each case's warm state, and a
//! simulated year of the default settings.
// criterion's group and main macros define functions that carry no documentation.
#![allow(missing_docs)]

#[cfg(not(target_arch = "wasm32"))]
mod cases;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::cases::{replayed_shard_seconds, CASES, DAY_S, YEAR_S};
    use criterion::{black_box, BatchSize, Criterion, Throughput};
    use kinesis_playground::model::{Config, Simulation};

    /// Each case over a simulated day, and the default settings over a simulated year.
    pub fn replayed(c: &mut Criterion) {
        let mut group = c.benchmark_group("replayed");
        group.sample_size(10);
        for case in &CASES {
            let warm = case.warm();
            group.throughput(Throughput::Elements(replayed_shard_seconds(&warm, DAY_S)));
            group.bench_function(case.name, |b| {
                b.iter_batched(
                    || warm.clone(),
                    |mut sim| {
                        sim.run_for(black_box(DAY_S));
                        sim.totals().accepted
                    },
                    BatchSize::LargeInput,
                )
            });
        }
        let Ok(start) = Simulation::new(Config::default()) else {
            panic!("the default settings are valid");
        };
        group.throughput(Throughput::Elements(replayed_shard_seconds(&start, YEAR_S)));
        group.bench_function("default-year", |b| {
            b.iter_batched(
                || start.clone(),
                |mut sim| {
                    sim.run_for(black_box(YEAR_S));
                    sim.totals().accepted
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::replayed);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

/// Benchmarks run natively only.
#[cfg(target_arch = "wasm32")]
fn main() {}
