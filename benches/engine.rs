//! The engine on the cases of `benches/cases.rs`: simulated shard-seconds per second
//! with fixed 1 s steps (`Simulation::step`).
// criterion's group and main macros define functions that carry no documentation.
#![allow(missing_docs)]

#[cfg(not(target_arch = "wasm32"))]
mod cases;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::cases::{steps, CASES};
    use criterion::{black_box, BatchSize, Criterion, Throughput};

    /// Each case in fixed steps, from its warm state.
    pub fn fixed(c: &mut Criterion) {
        let mut group = c.benchmark_group("fixed");
        group.sample_size(10);
        for case in &CASES {
            let warm = case.warm();
            group.throughput(Throughput::Elements(case.shard_seconds(&warm)));
            group.bench_function(case.name, |b| {
                b.iter_batched(
                    || warm.clone(),
                    |mut sim| {
                        steps(&mut sim, black_box(case.span_s));
                        sim.totals().accepted
                    },
                    BatchSize::LargeInput,
                )
            });
        }
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::fixed);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

/// Benchmarks run natively only.
#[cfg(target_arch = "wasm32")]
fn main() {}
