//! The page's clock replays quiet stretches (`App::tick` with the ticks a frame owes):
//! what it records tick by tick — every chart's history, the last minute the diagnosis
//! reads, the shard strip, alarms and lesson checkpoints — is what pressing Step that
//! many times records, at off-default settings and frame sizes.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::LookingClock;
use kinesis_playground::model::Config;
use kinesis_playground::playground::App;
use kinesis_playground::teach::presets;

/// Runs `ticks` ticks of `app`: pressing Step each time when `frame` is 0, else in
/// frames of `frame` ticks, each tick told how many of its frame are left.
fn run(app: &mut App, ticks: u64, frame: u64) {
    let mut left = ticks;
    while left > 0 {
        let n = if frame == 0 { 1 } else { frame.min(left) };
        let mut ran = 0;
        while ran < n {
            if frame == 0 {
                app.step();
                ran += 1;
            } else {
                ran += app.tick(n - ran);
            }
        }
        left -= n;
    }
}

/// Everything the page shows from the app, as text.
fn shown(app: &App) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        app.sim.now_ms(),
        app.sim.totals(),
        app.sim.ledgers(),
        app.sim.spend(),
        app.stream,
        app.consumers,
        app.recent,
        app.utilisation,
        app.alarms,
        app.guide,
    )
}

/// Runs `config` both ways for `ticks` ticks in frames of `frame`; returns the ticks
/// the framed run replayed.
fn same(config: &Config, ticks: u64, frame: u64) -> u64 {
    let mut stepped = App::new(config.clone()).unwrap_or_else(|e| panic!("{e}"));
    let mut framed = App::new(config.clone()).unwrap_or_else(|e| panic!("{e}"));
    run(&mut stepped, ticks, 0);
    run(&mut framed, ticks, frame);
    assert_eq!(stepped.sim.replayed_ticks(), 0);
    assert!(shown(&stepped) == shown(&framed), "the framed run differs");
    framed.sim.replayed_ticks()
}

fn config(json: &str) -> Config {
    Config::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// Three shards taking 700 records/s of 512 bytes over 1,000 keys, read by `consumer`
/// (a JSON object), at `tick_s` seconds a tick.
fn three_shards(tick_s: u32, consumer: &str) -> Config {
    config(&format!(
        r#"{{"tick_s": {tick_s}, "stream": {{"shards": 3}},
            "producers": [{{"name": "p", "instances": 1, "records_per_sec": 700,
                           "record_bytes": 512, "distinct_keys": 1000}}],
            "consumers": [{consumer}]}}"#
    ))
}

/// A page of `config` playing at `speed`.
fn playing(config: &Config, speed: u32) -> App {
    let mut app = App::new(config.clone()).unwrap_or_else(|e| panic!("{e}"));
    app.speed = speed;
    app.playing = true;
    app
}

/// Steps a fresh page of `config` to the moment `played` reached and checks that it
/// records what `played` does.
fn matches_stepping(config: &Config, played: &App, what: &str) {
    let mut stepped = App::new(config.clone()).unwrap_or_else(|e| panic!("{e}"));
    while stepped.sim.now_ms() < played.sim.now_ms() {
        stepped.step();
    }
    assert!(shown(&stepped) == shown(played), "{what}: the runs differ");
}

#[test]
fn the_defaults_at_a_day_a_second_are_replayed_to_the_same_charts() {
    // 86,400× at 60 frames a second: 1,440 ticks a frame; and frames of 37 ticks.
    for frame in [1_440, 37] {
        let replayed = same(&Config::default(), 6 * 3_600, frame);
        assert!(
            replayed > 5 * 3_600,
            "frames of {frame}: {replayed} ticks replayed"
        );
    }
}

#[test]
fn kcl_polling_every_1_5_s_with_big_records_and_a_lambda_window() {
    // 2-second ticks at 86,400×: 720 ticks a frame. The run repeats every few
    // minutes, so shorter frames (slower speeds) replay nothing here.
    let json = r#"{
      "stream": {"shards": 12, "retention_hours": 24},
      "tick_s": 2,
      "producers": [{"name": "p", "instances": 4, "records_per_sec": 90,
                     "record_bytes": 9000, "distinct_keys": 5000}],
      "consumers": [
        {"type": "kcl", "name": "k", "tasks": 3, "poll_interval_ms": 1500,
         "max_records_per_call": 2000},
        {"type": "lambda", "name": "fn", "batch_size": 300,
         "batch_window_s": 5, "parallelization_factor": 2}
      ]
    }"#;
    let replayed = same(&config(json), 3 * 1_800, 720);
    assert!(replayed > 1_800, "{replayed} ticks replayed");
}

/// While a lesson may still pause, the page does not replay: a pause inside a replay
/// would leave the readers and logs where the replay started until it ends.
#[test]
fn a_lesson_pauses_at_each_checkpoint_at_the_moment_stepping_does() {
    for name in ["scenario-1", "scenario-3", "hot-key", "launch-day"] {
        let preset = presets::find(name).unwrap_or_else(|| panic!("{name}"));
        let mut stepped = App::new(preset.config.clone()).unwrap_or_else(|e| panic!("{e}"));
        let mut played = App::new(preset.config.clone()).unwrap_or_else(|e| panic!("{e}"));
        for app in [&mut stepped, &mut played] {
            app.preset = Some(name.to_string());
            app.speed = 86_400;
            app.playing = true;
        }
        let mut pauses = 0;
        while played.sim.now_ms() < 12 * 3_600_000 {
            // Frames of 60 ms of wall time, on a machine that always keeps up.
            played.advance(60.0, f64::INFINITY, || 0.0);
            if played.playing {
                continue;
            }
            while stepped.playing {
                stepped.step();
            }
            pauses += 1;
            assert_eq!(
                stepped.sim.now_ms(),
                played.sim.now_ms(),
                "{name}: pause {pauses}"
            );
            assert!(
                shown(&stepped) == shown(&played),
                "{name}: pause {pauses} differs"
            );
            stepped.continue_lesson();
            played.continue_lesson();
        }
        assert!(pauses > 0, "{name}: a checkpoint is reached");
        while stepped.sim.now_ms() < played.sim.now_ms() {
            stepped.step();
        }
        assert!(shown(&stepped) == shown(&played), "{name}: the end differs");
    }
}

/// On a machine that cannot keep up, the frame's budget is looked at between replays,
/// so a frame stops after the first replay over it. Here every replay takes twice the
/// budget however long: halving the cap once shows shorter replays cost as much, so
/// the cap grows instead and each frame's one replay runs what the frame owes; what
/// the page records still matches stepping to the same moment.
#[test]
fn frames_over_budget_run_one_replay_each_and_still_match_stepping() {
    let mut played = playing(&Config::default(), 86_400);
    let mut most = 0;
    for frame in 0..400 {
        // The clock says twice the budget is spent from the third look on: after 32
        // ticks worked out, or at the end of the first replay (looked at as it begins
        // and ends).
        let clock = LookingClock::spent_after(2, 15.0);
        let ran = played.advance(100.0, 7.0, || clock.now());
        if frame >= 10 {
            most = most.max(ran);
        }
    }
    // The defaults repeat every tick.
    assert_eq!(played.sim.known_period(), Some(1));
    // 100 ms at 86,400× owes 8,640 ticks a frame; from 256, one halving does not pay
    // and the cap grows: a frame runs one replay of what it owes at most, after the
    // ticks before its first look (the old rule held frames to 16 ticks).
    assert!(
        (1_000..=8_640 + 32).contains(&most),
        "a frame ran {most} ticks"
    );
    assert!(
        played.sim.replayed_ticks() > 1_000,
        "{}",
        played.sim.replayed_ticks()
    );
    matches_stepping(&Config::default(), &played, "the slow run");
}

/// A known period is replayed only whole. A frame at 86,400× (16.7 ms owes about 1,443
/// seconds) leaves owed the few ticks short of a whole period, for the next frame to
/// replay, rather than work them out one by one; at 60× (a second a frame) it still runs
/// each tick as it falls due. Either way the page records what stepping records: at
/// 1 s ticks with a Lambda function (a period of 10 ticks) and at 2 s ticks with a KCL
/// application polling every 1.5 s (a period of 15).
#[test]
fn a_frame_leaves_a_part_period_owed_rather_than_work_it_out() {
    let lambda = three_shards(1, r#"{"type": "lambda", "name": "fn"}"#);
    let kcl = three_shards(
        2,
        r#"{"type": "kcl", "name": "k", "poll_interval_ms": 1500}"#,
    );
    for (config, period) in [(lambda, 10), (kcl, 15)] {
        for (speed, frames) in [(86_400, 300), (60, 3_000)] {
            part_period_frames(&config, period, speed, frames);
        }
    }
}

/// Runs `frames` frames of 16.7 ms at `speed` of the run of `config`, which repeats every
/// `period` ticks; checks the clock, the ticks worked out and the records.
fn part_period_frames(config: &Config, period: u64, speed: u32, frames: u32) {
    let mut played = playing(config, speed);
    let mut ran = 0;
    for _ in 0..frames {
        ran += u64::from(played.advance(16.7, f64::INFINITY, || 0.0));
    }
    assert_eq!(played.sim.known_period(), Some(period));
    let tick_s = f64::from(played.sim.config().tick_s);
    let frame_ticks = 16.7 * f64::from(speed) / 1_000.0 / tick_s;
    // Never a whole number of periods a frame.
    assert!(frame_ticks < 2.0 || frame_ticks % period as f64 > 1.0);
    let owed = f64::from(frames) * frame_ticks;
    assert_eq!(
        played.sim.now_ms(),
        ran * 1_000 * u64::from(played.sim.config().tick_s)
    );
    assert!(
        (ran as f64) <= owed && owed - (ran as f64) < frame_ticks.max(1.0),
        "{speed}×: {ran} ticks run of {owed} owed"
    );
    let worked_out = ran - played.sim.replayed_ticks();
    if speed == 86_400 {
        // Only the ticks before the period was known and checked: frames that each
        // worked out their last few would make hundreds more.
        assert!(worked_out < 100, "{speed}×: {worked_out} ticks worked out");
    } else {
        assert_eq!(
            played.sim.replayed_ticks(),
            0,
            "a tick a frame: nothing to replay"
        );
    }
    matches_stepping(config, &played, &format!("{speed}×"));
}

/// Replays are never held below the period. At 1 s ticks with a KCL application polling
/// every 1.7 s, the run repeats every 170 ticks, more than the least cap of 16; on a
/// machine that never keeps up, frames still replay whole periods (halving would hold
/// replays to 16 ticks, too few for one period, and stop them), to the records of
/// stepping.
#[test]
fn replays_held_short_still_span_a_whole_period() {
    let config = three_shards(
        1,
        r#"{"type": "kcl", "name": "k", "poll_interval_ms": 1700}"#,
    );
    let mut played = playing(&config, 86_400);
    for _ in 0..300 {
        // Every replay ends past the budget.
        let clock = LookingClock::spent_after(2, 15.0);
        played.advance(100.0, 7.0, || clock.now());
    }
    assert_eq!(played.sim.known_period(), Some(170));
    let replayed = played.sim.replayed_ticks();
    assert!(replayed > 3_000, "{replayed} ticks replayed");
    matches_stepping(&config, &played, "a period of 170");
}
