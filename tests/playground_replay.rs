//! The page's run replays what repeats (`App::step_within`, from the ticks a frame owes)
//! and shows exactly what working out every tick shows: the same histories (as CSV, per
//! second and in a CloudWatch view), readouts, marks, alarms and lesson checkpoints, at
//! the same moments.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::Config;
use kinesis_playground::playground::{Action, App};
use kinesis_playground::teach::presets;

/// What a person sees of `app`, as text.
fn seen(app: &App) -> String {
    format!(
        "{}\n{}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
        app.snapshot(),
        app.series_csv(),
        app.marks,
        app.guide,
        app.utilisation,
        app.alarms,
        app.link_hash(),
    )
}

/// `app` played at `speed` for `frames` frames of 16 ms (no time budget), working out
/// every tick (`every_tick`) or not; pressing Continue whenever a checkpoint pauses it.
fn played(mut app: App, speed: u32, frames: u32, every_tick: bool) -> (App, u64) {
    app.sim.work_out_every_tick(every_tick);
    app.speed = speed;
    app.playing = true;
    for _ in 0..frames {
        app.advance(16.0, f64::INFINITY, || 0.0);
        assert!(!app.sim.replaying(), "a replay outlived its frame");
        if !app.playing {
            app.act(&Action::Continue).expect("continue");
        }
    }
    let replayed = app.sim.replayed_ticks();
    (app, replayed)
}

fn both_ways(app: impl Fn() -> App, speed: u32, frames: u32) -> u64 {
    let (stepped, none) = played(app(), speed, frames, true);
    assert_eq!(none, 0);
    let (replayed, ticks) = played(app(), speed, frames, false);
    assert_eq!(seen(&replayed), seen(&stepped));
    ticks
}

#[test]
fn the_default_run_at_a_day_a_second_replays_to_what_every_tick_shows() {
    // 86,400 simulated seconds a wall second: 1,382 ticks a frame, ten minutes of frames.
    let ticks = both_ways(|| App::new(Config::default()).expect("valid"), 86_400, 40);
    assert!(ticks > 40 * 1_300, "{ticks} ticks replayed");
}

#[test]
fn a_thousand_shards_replay_off_the_defaults() {
    let config = Config::from_json(
        r#"{"tick_s": 5, "stream": {"shards": 1000, "retention_hours": 24},
            "producers": [{"name": "p", "instances": 40, "records_per_sec": 6000,
                           "record_bytes": 3000, "distinct_keys": 100000}],
            "consumers": [{"type": "lambda", "name": "fn", "batch_size": 500,
                           "parallelization_factor": 3},
                          {"type": "kcl", "name": "ecs", "tasks": 250,
                           "poll_interval_ms": 1500, "records_per_sec_per_task": 2500}]}"#,
    )
    .expect("valid");
    let ticks = both_ways(|| App::new(config.clone()).expect("valid"), 86_400, 12);
    assert!(ticks > 12 * 250, "{ticks} ticks replayed");
}

#[test]
fn lessons_pause_at_the_same_ticks_replayed_or_not() {
    for preset in presets::all() {
        let load = || {
            let mut app = App::new(preset.config.clone()).expect("valid");
            app.preset = Some(preset.name.to_string());
            app
        };
        both_ways(load, 3_600, 60);
        // Without pauses the checkpoints are only noted: the run is replayed through them.
        let quiet = || {
            let mut app = load();
            app.guide.pause = false;
            app
        };
        both_ways(quiet, 86_400, 20);
    }
}
