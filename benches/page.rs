//! The page's frames at its fastest speed, natively: one animation frame of 86,400×
//! (a simulated day a minute at 60 frames a second, 1,443 ticks owed a frame) as
//! `App::advance` runs it, with no budget cutting it short, on a stream past its 24 h
//! retention. The default settings, and the page's 1,000-shard stream of
//! `make bench-web` (the defaults with 1,000 shards, 1,000 producer instances and a
//! million keys: every shard's log drifts as retention cuts it).
// criterion's group and main macros define functions that carry no documentation.
#![allow(missing_docs)]

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{black_box, Criterion};
    use kinesis_playground::model::Config;
    use kinesis_playground::playground::App;

    /// Milliseconds between two frames at 60 frames a second.
    const FRAME_MS: f64 = 16.7;
    /// Where the frames are measured: a little past the 24 h retention.
    const WARM_MS: u64 = 100_000_000;

    /// An app playing `config` at 86,400×, run to [`WARM_MS`].
    fn warm(config: Config) -> App {
        let mut app = match App::new(config) {
            Ok(app) => app,
            Err(e) => panic!("the bench's config runs: {e}"),
        };
        app.playing = true;
        app.speed = 86_400;
        while app.sim.now_ms() < WARM_MS {
            app.advance(FRAME_MS, f64::INFINITY, || 0.0);
        }
        app
    }

    /// One frame of each stream, the app going on from frame to frame.
    pub fn frames(c: &mut Criterion) {
        let mut group = c.benchmark_group("page_frame_86400x");
        group.sample_size(20);
        let mut wide = Config::default();
        wide.stream.shards = 1_000;
        for p in &mut wide.producers {
            p.instances = 1_000;
            p.distinct_keys = 1_000_000;
        }
        for (name, config) in [("default", Config::default()), ("shards-1000", wide)] {
            let mut app = warm(config);
            group.bench_function(name, |b| {
                b.iter(|| app.advance(black_box(FRAME_MS), f64::INFINITY, || 0.0))
            });
        }
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::frames);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

/// Benchmarks run natively only.
#[cfg(target_arch = "wasm32")]
fn main() {}
