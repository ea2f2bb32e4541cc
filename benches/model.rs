//! Benchmarks of the model: simulated shard-seconds per wall second.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{black_box, BenchmarkId, Criterion, Throughput};
    use kinesis_playground::model::{Config, Simulation};

    /// A stream of `shards` shards at 80 % of its write limit, read by one Lambda
    /// function and one KCL application, simulated in ticks of `tick_s` seconds.
    pub fn stream(shards: u32, tick_s: u32) -> Config {
        let json = format!(
            r#"{{
            "tick_s": {tick_s},
            "stream": {{"shards": {shards}}},
            "producers": [{{"name": "p", "instances": {shards}, "records_per_sec": 800,
                           "record_bytes": 512, "distinct_keys": {keys}}}],
            "consumers": [
                {{"type": "lambda", "name": "fn"}},
                {{"type": "kcl", "name": "ecs", "tasks": {tasks}, "records_per_sec_per_task": 4000}}
            ]
        }}"#,
            keys = shards * 100,
            tasks = shards.div_ceil(4),
        );
        Config::from_json(&json).expect("the benchmark config is valid")
    }

    /// Simulated shard-seconds per second for 1, 10, 100 and 1,000 shards.
    pub fn shard_seconds(c: &mut Criterion) {
        let mut group = c.benchmark_group("shard_seconds");
        group.sample_size(10);
        for (shards, seconds) in [(1u32, 86_400u64), (10, 8_640), (100, 3_600), (1_000, 360)] {
            group.throughput(Throughput::Elements(u64::from(shards) * seconds));
            group.bench_with_input(BenchmarkId::from_parameter(shards), &shards, |b, &n| {
                b.iter_batched(
                    || Simulation::new(stream(n, 1)).expect("valid"),
                    |mut sim| {
                        sim.run_for(black_box(seconds));
                        sim.totals().accepted
                    },
                    criterion::BatchSize::LargeInput,
                )
            });
        }
        group.finish();
    }

    /// The same for 100 shards in 10-second ticks (one simulated day per sample).
    pub fn shard_seconds_coarse(c: &mut Criterion) {
        let mut group = c.benchmark_group("shard_seconds_tick_10s");
        group.sample_size(10);
        let (shards, seconds) = (100u32, 86_400u64);
        group.throughput(Throughput::Elements(u64::from(shards) * seconds));
        group.bench_function(BenchmarkId::from_parameter(shards), |b| {
            b.iter_batched(
                || Simulation::new(stream(shards, 10)).expect("valid"),
                |mut sim| {
                    sim.run_for(black_box(seconds));
                    sim.totals().accepted
                },
                criterion::BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::shard_seconds, native::shard_seconds_coarse);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

/// Benchmarks run natively only.
#[cfg(target_arch = "wasm32")]
fn main() {}
