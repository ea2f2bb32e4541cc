//! Benchmarks of the model: simulated shard-seconds per wall second.
// criterion's group and main macros define functions that carry no documentation.
#![allow(missing_docs)]

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{black_box, BenchmarkId, Criterion, Throughput};
    use kinesis_playground::model::{Config, Simulation};
    use kinesis_playground::playground::App;

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

    /// Simulated shard-seconds per second for each (shards, simulated seconds) case.
    fn group(c: &mut Criterion, name: &str, tick_s: u32, cases: &[(u32, u64)]) {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        for &(shards, seconds) in cases {
            group.throughput(Throughput::Elements(u64::from(shards) * seconds));
            group.bench_with_input(BenchmarkId::from_parameter(shards), &shards, |b, &n| {
                b.iter_batched(
                    || Simulation::new(stream(n, tick_s)).expect("valid"),
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

    /// 1, 10, 100 and 1,000 shards in the default 1 s ticks.
    pub fn shard_seconds(c: &mut Criterion) {
        let cases = [(1, 86_400), (10, 8_640), (100, 3_600), (1_000, 360)];
        group(c, "shard_seconds", 1, &cases);
    }

    /// The page's own tick on the default settings: the model, its histories, the
    /// CloudWatch view's samples and the recommended alarms; simulated seconds per
    /// second for an hour of simulated time.
    pub fn page_seconds(c: &mut Criterion) {
        let mut group = c.benchmark_group("page_seconds");
        group.sample_size(10);
        group.throughput(Throughput::Elements(3_600));
        group.bench_function("default", |b| {
            b.iter_batched(
                || App::new(Config::default()).expect("the defaults are valid"),
                |mut app| {
                    for _ in 0..3_600 {
                        app.step();
                    }
                    black_box(app.sim.now_ms())
                },
                criterion::BatchSize::LargeInput,
            )
        });
        group.finish();
    }

    /// 100 shards in 10 s ticks, one simulated day per sample.
    pub fn shard_seconds_coarse(c: &mut Criterion) {
        group(c, "shard_seconds_tick_10s", 10, &[(100, 86_400)]);
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(
    benches,
    native::shard_seconds,
    native::shard_seconds_coarse,
    native::page_seconds
);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

/// Benchmarks run natively only.
#[cfg(target_arch = "wasm32")]
fn main() {}
