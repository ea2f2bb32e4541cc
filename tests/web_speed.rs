//! Not pass/fail tests: the engine's speed in the browser on the benchmark cases of
//! `benches/cases/mod.rs`, to compare with `cargo bench --bench engine` and `--bench
//! replay` natively. Measurements, so only `make bench-web` (all of them) and `make
//! bench-wasm` (one at a time, each right after its native benchmark) run them
//! (`--include-ignored`).
#![cfg(target_arch = "wasm32")]

#[path = "../benches/cases/mod.rs"]
mod cases;

use cases::{replayed_shard_seconds, steps, Case, CASES, DAY_S, YEAR_S};
use kinesis_playground::model::{Config, Simulation};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets the page's event loop run (the test runner reads the output between cases; a
/// page busy for half a minute is given up on).
async fn breathe() {
    let later = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            // A page without a timer goes on at once.
            if w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .is_err()
            {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        }
    });
    let _ = JsFuture::from(later).await;
}

/// Wall seconds of `run` by the page's clock.
fn timed(run: impl FnOnce()) -> f64 {
    let perf = web_sys::window().and_then(|w| w.performance());
    let now = || perf.as_ref().map_or(0.0, web_sys::Performance::now);
    let start = now();
    run();
    (now() - start) / 1_000.0
}

/// The case named `name`.
fn case(name: &str) -> &'static Case {
    match CASES.iter().find(|c| c.name == name) {
        Some(case) => case,
        None => panic!("no benchmark case {name}"),
    }
}

/// Reports the speed of the case named `name` run `run`: fixed steps over its span, or
/// a simulated day with `run_for`.
async fn report(name: &str, run: Run) {
    let case = case(name);
    let warm = case.warm();
    let (span_s, shard_seconds, how) = match run {
        Run::Stepped => (
            case.span_s,
            case.shard_seconds(&warm),
            format!("with fixed 1 s steps ({} simulated s: ", case.span_s),
        ),
        Run::Replayed => (
            DAY_S,
            replayed_shard_seconds(&warm, DAY_S),
            String::from("over a simulated day with run_for, which replays quiet stretches ("),
        ),
    };
    let (rate, range, _) = rate_of(&warm, span_s, shard_seconds, 5, run).await;
    console_log!(
        "engine speed in the browser, {name}: {rate:.2} M shard-seconds per second {how}{range})"
    );
}

/// Simulated M shard-seconds per second of `run`s of `span_s` simulated seconds (in
/// which `shard_seconds` are open) from `start`, by the median run (see [`runs_of`]);
/// the runs' spread as text; the ticks a run replayed.
async fn rate_of(
    start: &Simulation,
    span_s: u64,
    shard_seconds: u64,
    min_runs: usize,
    run: Run,
) -> (f64, String, u64) {
    let (times, block, replayed) = runs_of(start, span_s, min_runs, run).await;
    let (seconds, range) = spread(&times, block);
    (shard_seconds as f64 / seconds / 1e6, range, replayed)
}

/// One test for each case's fixed steps and one for its day, so that
/// `scripts/bench-wasm.sh` can time a case in the browser right after it times it
/// natively; `--include-ignored` with no filter runs them all.
macro_rules! reports {
    ($($name:literal: $fixed:ident, $day:ident;)*) => {
        /// The cases reported, to check none is left out.
        const REPORTED: &[&str] = &[$($name),*];
        $(
            #[wasm_bindgen_test]
            #[ignore = "a measurement: make bench-web and make bench-wasm run it"]
            async fn $fixed() {
                report($name, Run::Stepped).await;
            }

            #[wasm_bindgen_test]
            #[ignore = "a measurement: make bench-web and make bench-wasm run it"]
            async fn $day() {
                report($name, Run::Replayed).await;
            }
        )*
    };
}

reports! {
    "steady": fixed_steady, day_steady;
    "overload": fixed_overload, day_overload;
    "lagging": fixed_lagging, day_lagging;
    "reshard": fixed_reshard, day_reshard;
    "efo": fixed_efo, day_efo;
    "shards-1000": fixed_shards_1000, day_shards_1000;
}

#[wasm_bindgen_test]
fn every_case_is_reported() {
    let names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    assert_eq!(names, REPORTED);
}

/// How a timed run moves its copy of the simulation on.
#[derive(Clone, Copy)]
enum Run {
    /// One fixed 1 s step at a time (`Simulation::step`), as the engine benchmark does.
    Stepped,
    /// With `Simulation::run_for`, which replays quiet stretches.
    Replayed,
}

impl Run {
    /// Wall seconds of a run of `span_s` simulated seconds on `sim`; a replayed one
    /// goes in calls of at most `chunk_s` with the event loop let go between them.
    async fn time(self, sim: &mut Simulation, span_s: u64, chunk_s: u64) -> f64 {
        match self {
            Run::Stepped => timed(|| steps(sim, span_s)),
            Run::Replayed => run_for(sim, span_s, chunk_s).await,
        }
    }
}

/// Most wall seconds the page runs the model without letting its event loop go on: the
/// test driver gives up on a page that answers none of its calls for 5 s.
const BUSY_S: f64 = 2.5;

/// Wall seconds of `run_for(span_s)` on `sim`, in calls of at most `chunk_s` simulated
/// seconds with the event loop let go between them.
async fn run_for(sim: &mut Simulation, span_s: u64, chunk_s: u64) -> f64 {
    let end_ms = sim.now_ms() + span_s * 1_000;
    let mut seconds = 0.0;
    while sim.now_ms() < end_ms {
        let (step_s, before_ms) = (chunk_s.min((end_ms - sim.now_ms()) / 1_000), sim.now_ms());
        seconds += timed(|| sim.run_for(step_s));
        if sim.now_ms() == before_ms {
            // Less than a tick was left.
            break;
        }
        if step_s < span_s {
            breathe().await;
        }
    }
    seconds
}

/// Wall seconds a timed block of runs aims at: runs shorter than this go in blocks of
/// several, back to back.
const BLOCK_S: f64 = 0.1;

/// Seconds of `run`s of `span_s` simulated seconds from `start`, sorted, and the ticks
/// a run replayed. After one warm-up run, times runs until there are at least
/// `min_runs` and they took a second in all (or three that took 5 s, or 63 of them). A
/// replayed day can take 4 ms: runs under `BLOCK_S` go in blocks (at most 32 runs),
/// each counted as its mean. Each run starts from a copy of `start` made just before
/// it, the last run's copy dropped first, as criterion's `iter_batched` times runs
/// natively. The first block (or run) is not counted either, since the browser compiles
/// hot functions again, optimised, only after their first calls (timed one at a time
/// with the event loop let go between them, short runs spread over four times their
/// fastest). A replayed warm-up run goes a 24th of the span at a time; the others make
/// one call, unless the warm-up took over [`BUSY_S`] (a day of the overload case, which
/// never repeats and is stepped, takes 4 to 6 s).
async fn runs_of(
    start: &Simulation,
    span_s: u64,
    min_runs: usize,
    run: Run,
) -> (Vec<f64>, usize, u64) {
    let mut times = Vec::new();
    let part_s = (span_s / 24).max(1);
    let mut warm = start.clone();
    let warm_s = run.time(&mut warm, span_s, part_s).await;
    assert!(warm.now_ms() > start.now_ms());
    let replayed = warm.replayed_ticks() - start.replayed_ticks();
    drop(warm);
    let chunk_s = if warm_s <= BUSY_S { span_s } else { part_s };
    let block = (BLOCK_S / warm_s).ceil().clamp(1.0, 32.0) as usize;
    for round in 0..64 {
        breathe().await;
        let mut seconds = 0.0;
        for _ in 0..block {
            // Dropped at the end of the run's turn, before the next copy is made.
            let mut copy = start.clone();
            seconds += run.time(&mut copy, span_s, chunk_s).await;
        }
        if round == 0 {
            continue;
        }
        times.push(seconds / block as f64);
        let total: f64 = times.iter().sum::<f64>() * block as f64;
        if (times.len() >= min_runs && total >= 1.0) || (times.len() >= 3 && total >= 5.0) {
            break;
        }
    }
    times.sort_by(f64::total_cmp);
    (times, block, replayed)
}

/// The median of sorted `times`, their number, the fastest and the slowest, as text;
/// `block` runs were timed together for each.
fn spread(times: &[f64], block: usize) -> (f64, String) {
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    let (first, last) = (times.first(), times.last());
    let range = match (first, last) {
        (Some(a), Some(b)) if block > 1 => format!(
            "{median:.4} s a run, median of {} blocks of {block} runs back to back after a warm-up run and a warm-up block, {a:.4}–{b:.4} s a run",
            times.len()
        ),
        (Some(a), Some(b)) => format!(
            "{median:.4} s, median of {} runs after two warm-up runs, {a:.4}–{b:.4} s",
            times.len()
        ),
        _ => String::from("no run"),
    };
    (median, range)
}

#[wasm_bindgen_test]
#[ignore = "a measurement: make bench-web and make bench-wasm run it"]
async fn year_default_settings() {
    let Ok(start) = Simulation::new(Config::default()) else {
        panic!("the default settings are valid");
    };
    let shard_seconds = replayed_shard_seconds(&start, YEAR_S);
    let (rate, range, replayed) = rate_of(&start, YEAR_S, shard_seconds, 3, Run::Replayed).await;
    console_log!(
        "engine speed in the browser, default-year: {rate:.2} M shard-seconds per second over a simulated year of the default settings with run_for ({range}; {} ticks replayed of {})",
        replayed,
        YEAR_S
    );
}
