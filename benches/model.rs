//! Benchmarks of the model: simulated seconds per wall second.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{black_box, Criterion, Throughput};
    use kinesis_playground::model::OneShardWrites;

    /// One simulated day of a single shard's write admission.
    pub fn one_shard_day(c: &mut Criterion) {
        const DAY_S: u64 = 86_400;
        let mut group = c.benchmark_group("one_shard_writes");
        group.throughput(Throughput::Elements(DAY_S));
        group.bench_function("day_at_1500_per_s", |b| {
            b.iter(|| {
                let mut sim = OneShardWrites::new(black_box(1_500.0));
                (0..DAY_S).map(|_| sim.step().accepted).sum::<u64>()
            })
        });
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::one_shard_day);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

/// Benchmarks run natively only.
#[cfg(target_arch = "wasm32")]
fn main() {}
