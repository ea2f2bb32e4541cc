//! The playground's app natively: the clock that decides how many ticks a frame runs,
//! edits, consumers and their histories, the buttons' actions, link and downloads.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::LookingClock;
use kinesis_playground::model::Config;
use kinesis_playground::playground::{Action, App, ChartId, ConsumerKind};
use kinesis_playground::teach::presets;
use serde_json::json;

fn app() -> App {
    App::new(Config::default()).expect("the defaults are valid")
}

fn names(app: &App) -> Vec<String> {
    app.sim
        .config()
        .consumers
        .iter()
        .map(|c| c.name().to_string())
        .collect()
}

/// Per-tick samples in the history of consumer `consumer`.
fn samples(app: &App, consumer: usize) -> usize {
    app.consumers[consumer].levels()[0].len()
}

#[test]
fn a_new_app_is_paused_at_an_hour_a_second_showing_six_hours() {
    let app = app();
    assert!(!app.playing);
    assert_eq!(app.speed, 3_600);
    assert_eq!(app.window_s, Some(21_600));
    assert_eq!(app.sim.now_ms(), 0);
    assert_eq!(app.consumers.len(), 1);
    assert_eq!((app.preset.clone(), app.notice.clone()), (None, None));
    let bad = Config::from_json(r#"{"stream": {"shards": 2}}"#).map(|mut c| {
        c.stream.shards = 0;
        c
    });
    let err = App::new(bad.expect("parsed"))
        .map(|_| ())
        .expect_err("0 shards");
    assert_eq!(
        err,
        "stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000"
    );
}

#[test]
fn a_frame_runs_the_ticks_its_wall_time_owes_at_the_speed() {
    let mut app = app();
    assert_eq!(app.advance(16.0, 1e9, || 0.0), 0, "paused: nothing runs");
    app.playing = true;
    // 16 ms at 3,600× is 57.6 simulated seconds: 57 ticks, 0.6 s carried.
    assert_eq!(app.advance(16.0, 1e9, || 0.0), 57);
    assert_eq!(app.sim.now_ms(), 57_000);
    assert_eq!(app.reached, 57.0 * 1_000.0 / 16.0);
    // Another 16 ms owes 57.6 + 0.6 = 58.2 s: 58 ticks.
    assert_eq!(app.advance(16.0, 1e9, || 0.0), 58);
    assert_eq!(app.reached, 0.9 * 3_562.5 + 0.1 * 3_625.0);
    // A long pause counts as 100 ms at most: 360 s.
    assert_eq!(app.advance(5_000.0, 1e9, || 0.0), 360);
    assert_eq!(app.sim.now_ms(), 475_000);
}

#[test]
fn a_frame_over_budget_forgets_the_time_it_owes() {
    let mut app = app();
    app.playing = true;
    app.speed = 86_400;
    // The clock says the budget is spent: the first check (before the first tick) stops.
    assert_eq!(app.advance(16.0, 5.0, || 6.0), 0);
    assert_eq!(app.advance(0.0, 5.0, || 0.0), 0, "nothing owed is left");
    // The clock is read every 16 ticks: a budget spent after the first look runs 16.
    let clock = LookingClock::spent_after(1, 6.0);
    let ran = app.advance(16.0, 5.0, || clock.now());
    assert_eq!(ran, 16);
    // Replays are timed where they begin and end; with no period known yet, none can
    // begin, so the clock is not read again.
    assert_eq!(app.sim.known_period(), None);
    assert_eq!(clock.looks(), 2);
}

#[test]
fn edits_change_the_running_settings_and_bad_ones_change_nothing() {
    let mut app = app();
    for _ in 0..30 {
        app.step();
    }
    app.set("stream.retention_hours", &json!(48))
        .expect("valid");
    assert_eq!(app.sim.config().stream.retention_hours, 48);
    assert_eq!(app.sim.now_ms(), 30_000, "an edit is no reset");
    let err = app.set("stream.shards", &json!(0)).expect_err("0 shards");
    assert_eq!(
        err,
        "stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000"
    );
    assert_eq!(app.sim.config().stream.shards, 2);
    let err = app
        .set("stream.nope", &json!(1))
        .expect_err("no such field");
    assert!(err.starts_with("stream.nope: "), "{err}");
}

#[test]
fn reset_and_restart_keep_speed_window_play_state_and_scenario() {
    let mut app = App::new(presets::find("scenario-1").expect("preset").config).expect("valid");
    app.preset = Some("scenario-1".into());
    app.speed = 600;
    app.window_s = None;
    app.playing = true;
    for _ in 0..10 {
        app.step();
    }
    app.set("stream.shards", &json!(4)).expect("valid");
    app.reset().expect("valid");
    assert_eq!(app.sim.now_ms(), 0);
    assert_eq!(
        app.sim.config().stream.shards,
        4,
        "reset keeps the settings"
    );
    assert_eq!((app.speed, app.window_s, app.playing), (600, None, true));
    assert_eq!(app.preset.as_deref(), Some("scenario-1"));
    let mut bad = Config::default();
    bad.stream.shards = 0;
    assert!(app.restart(bad).is_err());
    assert_eq!(
        app.sim.config().stream.shards,
        4,
        "a bad config changes nothing"
    );
}

#[test]
fn new_consumers_get_fresh_names_and_removing_a_missing_one_is_an_error() {
    let mut app = app();
    app.add_consumer(ConsumerKind::Lambda).expect("valid");
    app.add_consumer(ConsumerKind::Kcl).expect("valid");
    app.add_consumer(ConsumerKind::Kcl).expect("valid");
    assert_eq!(names(&app), ["lambda", "lambda-2", "ecs", "ecs-2"]);
    assert_eq!(app.consumers.len(), 4);
    app.remove_consumer("lambda-2").expect("there is one");
    assert_eq!(names(&app), ["lambda", "ecs", "ecs-2"]);
    assert_eq!(
        app.remove_consumer("ghost"),
        Err("there is no consumer called \"ghost\"".to_string())
    );
    app.add_consumer(ConsumerKind::Lambda).expect("valid");
    assert_eq!(names(&app), ["lambda", "ecs", "ecs-2", "lambda-2"]);
}

#[test]
fn histories_follow_consumers_by_name_and_kind() {
    let mut app = app();
    app.add_consumer(ConsumerKind::Kcl).expect("valid");
    for _ in 0..20 {
        app.step();
    }
    assert_eq!((samples(&app, 0), samples(&app, 1)), (20, 20));
    // Reordered: each keeps its own history.
    let mut next = app.sim.config().clone();
    next.consumers.reverse();
    app.apply(next).expect("valid");
    app.add_consumer(ConsumerKind::Lambda).expect("valid");
    app.step();
    assert_eq!(names(&app), ["ecs", "lambda", "lambda-2"]);
    assert_eq!(
        (samples(&app, 0), samples(&app, 1), samples(&app, 2)),
        (21, 21, 1)
    );
    // `ecs` replaced by a Lambda function of the same name starts empty.
    let mut next = app.sim.config().clone();
    next.consumers[0] = ConsumerKind::Lambda.new_consumer("ecs".into());
    app.apply(next).expect("valid");
    app.step();
    assert_eq!(
        (samples(&app, 0), samples(&app, 1), samples(&app, 2)),
        (1, 22, 2)
    );
}

#[test]
fn a_scripted_change_moves_the_counter_and_the_histories() {
    let config = Config::from_json(
        r#"{"events": [{"at_s": 5, "set": {"stream.shards": 4}},
                       {"at_s": 8, "set": {"consumers": [{"type": "kcl", "name": "lambda"}]}}]}"#,
    )
    .expect("valid");
    let mut app = App::new(config).expect("valid");
    // An event at 5 s applies at the start of the tick from 5 s to 6 s: the sixth.
    for _ in 0..5 {
        app.step();
    }
    assert_eq!(app.scripted_changes, 0);
    app.step();
    assert_eq!(app.scripted_changes, 1);
    assert_eq!(app.sim.config().stream.shards, 4);
    for _ in 0..3 {
        app.step();
    }
    assert_eq!(app.scripted_changes, 2);
    assert_eq!(
        samples(&app, 0),
        1,
        "the new `lambda` is another kind: a fresh history"
    );
}

#[test]
fn actions_step_reset_fix_add_and_remove() {
    let mut app = app();
    app.act(&Action::Step).expect("a tick");
    assert_eq!(app.sim.now_ms(), 1_000);
    app.act(&Action::Play).expect("play");
    assert!(app.playing);
    app.act(&Action::Add(ConsumerKind::Kcl)).expect("added");
    app.act(&Action::Remove("lambda".into())).expect("removed");
    assert_eq!(names(&app), ["ecs"]);
    app.act(&Action::Reset).expect("reset");
    assert_eq!(app.sim.now_ms(), 0);
    assert_eq!(
        app.act(&Action::Fix),
        Err("no scenario with a fix is loaded".to_string())
    );
    for export in [
        Action::CopyLink,
        Action::SeriesCsv,
        Action::ConfigJson,
        Action::Png(ChartId::Age),
    ] {
        let err = app.act(&export).expect_err("an export");
        assert_eq!(err, format!("{export} changes nothing in the run"));
    }
}

#[test]
fn the_fix_applies_the_scenarios_edits_to_the_running_settings() {
    let preset = presets::find("scenario-1").expect("scenario-1");
    let mut app = App::new(preset.config.clone()).expect("valid");
    app.preset = Some("scenario-1".into());
    for _ in 0..10 {
        app.step();
    }
    let want = preset.fixed(app.sim.config()).expect("valid");
    app.act(&Action::Fix).expect("fixed");
    assert_eq!(app.sim.config(), &want);
    assert_ne!(app.sim.config(), &preset.config);
    assert_eq!(app.sim.now_ms(), 10_000, "the fix is an edit, not a reset");
    let healthy = presets::all()
        .into_iter()
        .find(|p| p.fix_label.is_empty())
        .expect("a preset without a fix");
    app.preset = Some(healthy.name.into());
    assert_eq!(
        app.fix(),
        Err("no scenario with a fix is loaded".to_string())
    );
}

#[test]
fn the_link_holds_what_differs_and_the_speed() {
    let mut app = app();
    assert_eq!(app.link_hash(), "speed=3600");
    app.set("stream.shards", &json!(4)).expect("valid");
    app.speed = 600;
    assert_eq!(app.link_hash(), "stream.shards=4&speed=600");
    app.preset = Some("scenario-1".into());
    assert!(app.link_hash().starts_with("preset=scenario-1&"));
}

#[test]
fn the_snapshot_adds_clock_play_state_and_speed() {
    let mut app = app();
    for _ in 0..61 {
        app.step();
    }
    let snap = app.snapshot();
    assert_eq!(snap["clock"], "day 1 · 00:01:01");
    assert_eq!(snap["playing"], false);
    assert_eq!(snap["speed"], 3_600);
    assert_eq!(snap["duration_s"], 61);
    assert_eq!(snap["consumers"][0]["name"], "lambda");
}

#[test]
fn the_series_csv_has_a_row_per_tick_and_columns_per_consumer() {
    let mut app = app();
    app.add_consumer(ConsumerKind::Kcl).expect("valid");
    for _ in 0..90 {
        app.step();
    }
    let csv = app.series_csv();
    let mut lines = csv.lines();
    let header = lines.next().expect("a header");
    assert!(header.starts_with("time_s,sample_s,produced,"), "{header}");
    assert!(header.contains(",lambda.processed"), "{header}");
    assert!(header.contains(",ecs.processed"), "{header}");
    assert_eq!(lines.count(), 90);
}
