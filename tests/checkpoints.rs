//! Each preset's checkpoints come when its numbers say they should, in order, and each
//! points at a chart and line the page draws at that moment; the page stops at the
//! first one a frame crosses; Fix says what changed and Replay runs the failure again.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::reads::READ_BYTES_PER_S;
use kinesis_playground::model::ConsumerConfig;
use kinesis_playground::playground::charts::{build, Drawing};
use kinesis_playground::playground::lesson::{
    after_fix, checkpoint_announcement, checkpoint_note, offers_pause, Reached,
};
use kinesis_playground::playground::{Action, App, ChartId, Focus};
use kinesis_playground::teach::checkpoints::for_preset;
use kinesis_playground::teach::presets;

const NAMES: [&str; 10] = [
    "healthy",
    "scenario-1",
    "scenario-2",
    "scenario-3",
    "scenario-4",
    "hot-key",
    "hidden-bursts",
    "launch-day",
    "steady-big",
    "small-records",
];

/// Preset `name`, paused at time 0, as the page loads it.
fn load(name: &str) -> App {
    let p = presets::find(name).expect("preset");
    let mut app = App::new(p.config).expect("valid");
    app.preset = Some(name.to_string());
    app
}

/// Whether chart `chart` draws a line labelled `line` in `app` now.
fn draws(app: &App, chart: ChartId, line: Option<&str>) -> bool {
    match (build(app, chart), line) {
        (Drawing::Time(c), Some(line)) => c.lines.iter().any(|l| l.label == line),
        (Drawing::Strip(_), None) => true,
        _ => false,
    }
}

/// Runs preset `name` tick by tick for at most `limit_s`, going on at every checkpoint;
/// returns the times (s) they were reached. Each one's chart and line are drawn then.
fn reached_times(name: &str, limit_s: u64) -> Vec<u64> {
    let mut app = load(name);
    let mut out = Vec::new();
    while app.sim.now_ms() < limit_s * 1_000 {
        app.step();
        let Some(r) = app.guide.take_fresh() else {
            continue;
        };
        assert_eq!(r.index, out.len(), "{name}: checkpoints come in order");
        let chart = r.chart().expect("a chart of the page");
        assert!(
            draws(&app, chart, r.checkpoint.line),
            "{name}: checkpoint {} points at {chart} {:?}, not drawn at {} s",
            r.index + 1,
            r.checkpoint.line,
            r.t_ms / 1_000
        );
        assert_eq!(app.focus, r.focus(), "{name}: the page points at the line");
        out.push(r.t_ms / 1_000);
        if r.index + 1 == r.of {
            break;
        }
    }
    out
}

/// `t` within `tolerance` (a fraction) of `expected`.
fn near(name: &str, t: u64, expected: f64, tolerance: f64) {
    let off = (t as f64 - expected).abs() / expected;
    assert!(
        off <= tolerance,
        "{name}: reached at {t} s, expected about {expected:.0} s"
    );
}

#[test]
fn healthy_checkpoints_a_million_records_then_a_full_retention() {
    let t = reached_times("healthy", 100_000);
    // 2,000 records/s reach each consumer: a million after 500 s.
    assert_eq!(t.len(), 2, "{t:?}");
    near("healthy", t[0], 1_000_000.0 / 2_000.0, 0.01);
    assert_eq!(t[1], 86_400);
}

#[test]
fn scenario_1_checkpoints_follow_an_age_growing_half_a_second_a_second() {
    let t = reached_times("scenario-1", 200_000);
    assert_eq!(t.len(), 4, "{t:?}");
    // 500 records/s arrive per shard, 250 are processed: the age grows 0.5 s per s.
    near("10 min", t[0], 600.0 / 0.5, 0.03);
    near("12 h", t[1], 43_200.0 / 0.5, 0.01);
    near("24 h", t[2], 86_400.0 / 0.5, 0.01);
    // Then about 500 records/s expire unread: a million within 2,000 to 2,800 s.
    assert!((2_000..=2_800).contains(&(t[3] - t[2])), "{t:?}");
}

#[test]
fn scenario_2_checkpoints_the_first_burst_and_its_retries_landing() {
    let t = reached_times("scenario-2", 1_000);
    assert_eq!(t.len(), 2, "{t:?}");
    // The first burst starts at once; it lasts 20 s, and retries wait at most 20 s.
    assert_eq!(t[0], 1);
    assert!((21..=90).contains(&t[1]), "{t:?}");
}

#[test]
fn scenario_3_checkpoints_the_reshard_and_ecs_falling_behind() {
    let t = reached_times("scenario-3", 200_000);
    assert_eq!(t.len(), 3, "{t:?}");
    // The reshard asked at 1 h takes three doubling steps (2 → 4 → 8 → 10).
    assert!((3_700..=4_100).contains(&t[0]), "{t:?}");
    // From 2 h, 5,000 records/s arrive and 2 tasks process 2,000: the ECS age grows
    // by 0.6 s per s.
    near("ecs 1 h", t[1], 7_200.0 + 3_600.0 / 0.6, 0.05);
    near("ecs 24 h", t[2], 7_200.0 + 86_400.0 / 0.6, 0.05);
}

#[test]
fn scenario_4_checkpoints_drops_then_the_ecs_ages_the_read_limit_sets() {
    let t = reached_times("scenario-4", 250_000);
    assert_eq!(t.len(), 3, "{t:?}");
    // Records throttled on all 3 attempts go within seconds.
    assert!(t[0] <= 10, "{t:?}");
    // Each shard writes 1,000 records/s; Lambda reads them all, and the two ECS
    // applications share what is left of the 2 MiB/s read limit.
    let app = load("scenario-4");
    let record = app.sim.producer_record_bytes().next().expect("a producer") as f64;
    let written = 1_000.0 * record;
    let each = (READ_BYTES_PER_S as f64 - written) / 2.0;
    let growth = 1.0 - each / written;
    near("ecs 10 min", t[1], 600.0 / growth, 0.1);
    near("ecs 24 h", t[2], 86_400.0 / growth, 0.1);
}

#[test]
fn hot_key_checkpoints_come_in_the_first_seconds() {
    let t = reached_times("hot-key", 100);
    assert_eq!(t.len(), 2, "{t:?}");
    assert_eq!(t[0], 1);
    assert!(t[1] <= 10, "{t:?}");
}

#[test]
fn hidden_bursts_checkpoints_the_first_flush_its_retries_and_a_whole_minute() {
    let t = reached_times("hidden-bursts", 200);
    assert_eq!(t.len(), 3, "{t:?}");
    // The first flush is the first second; its retries land over the next three.
    assert_eq!(t[..2], [1, 4]);
    // A minute's records, 60 × 1,300, are processed once the twelfth flush after the
    // second checkpoint (at 60 s) has landed, 4 s later.
    assert!((63..=66).contains(&t[2]), "{t:?}");
}

#[test]
fn launch_day_checkpoints_the_launch_its_drops_and_the_12_shards_15_minutes_on() {
    let t = reached_times("launch-day", 7_200);
    assert_eq!(t.len(), 3, "{t:?}");
    // The launch's first second is throttled; three attempts later records drop.
    assert_eq!(t[0], 3_601);
    assert!(t[1] > t[0] && t[1] <= t[0] + 10, "{t:?}");
    // The minute [3,600 s, 3,660 s) asks for 12 shards; they open 15 minutes after its
    // start, and the checkpoint is seen at the end of that tick.
    assert_eq!(t[2], 3_600 + 900 + 1, "{t:?}");
}

#[test]
fn steady_big_checkpoints_a_minute_then_an_hour() {
    let t = reached_times("steady-big", 4_000);
    assert_eq!(t.len(), 2, "{t:?}");
    // 5,000 records/s: 300,000 in a minute, 18 million in an hour (the Lambda function
    // trails the newest record by a batch).
    assert!((60..=62).contains(&t[0]), "{t:?}");
    assert!((3_600..=3_602).contains(&t[1]), "{t:?}");
}

#[test]
fn small_records_checkpoints_the_first_throttle_then_drops_after_three_attempts() {
    let t = reached_times("small-records", 100);
    assert_eq!(t.len(), 2, "{t:?}");
    // 3,000 records/s to two shards that take 2,000: refused from the first second, and
    // given up on after the third attempt, within seconds.
    assert_eq!(t[0], 1);
    assert!(t[1] > t[0] && t[1] <= 10, "{t:?}");
}

#[test]
fn every_preset_has_checkpoints_on_charts_of_the_page() {
    for name in NAMES {
        let list = for_preset(name);
        assert!(list.len() >= 2, "{name}");
        for c in list {
            assert!(c.chart.parse::<ChartId>().is_ok(), "{name}: {}", c.chart);
            assert!(c.notice.len() > 80, "{name}: {}", c.notice);
        }
    }
    assert!(for_preset("nope").is_empty());
}

/// Scenario 2 playing at 86,400×, one 100 ms frame at a time.
fn frame(app: &mut App) -> u32 {
    app.advance(100.0, f64::INFINITY, || 0.0)
}

#[test]
fn a_frame_that_crosses_checkpoints_stops_at_the_first_and_continue_runs_on() {
    let mut app = load("scenario-2");
    app.speed = 86_400;
    app.playing = true;
    // One frame owes 8,640 s; the first checkpoint comes after 1 s.
    assert_eq!(frame(&mut app), 1);
    assert!(!app.playing && app.guide.waiting);
    assert_eq!(
        app.focus,
        Some(Focus {
            chart: ChartId::Throttled,
            line: "WriteProvisionedThroughputExceeded".into()
        })
    );
    let note = checkpoint_note(&app).expect("a note");
    assert_eq!(note.heading, "Checkpoint 1 of 2 · day 1 · 00:00:01");
    assert_eq!(
        note.look_at,
        "Look at: the Throttled and dropped writes chart, line “WriteProvisionedThroughputExceeded”."
    );
    assert_eq!(note.chart, Some(ChartId::Throttled));
    let go_on = note.continue_button.expect("Continue while waiting");
    assert_eq!(
        (go_on.text.as_str(), go_on.action),
        ("Continue", Action::Continue)
    );
    // Paused, frames run nothing.
    assert_eq!(frame(&mut app), 0);
    app.act(&Action::Continue).expect("continue");
    assert!(app.playing && !app.guide.waiting);
    assert_eq!(checkpoint_note(&app).expect("kept").continue_button, None);
    let ran = frame(&mut app);
    assert_eq!(app.guide.reached.map(|r| r.index), Some(1));
    assert_eq!(u64::from(ran) + 1, app.sim.now_ms() / 1_000);
    assert!(!app.playing);
    app.act(&Action::Continue).expect("continue");
    // No checkpoint is left: the whole frame runs.
    assert_eq!(frame(&mut app), 8_640);
}

#[test]
fn with_the_pause_off_checkpoints_are_shown_without_stopping() {
    let mut app = load("scenario-2");
    app.guide.pause = false;
    app.speed = 86_400;
    app.playing = true;
    assert_eq!(frame(&mut app), 8_640);
    assert!(app.playing && !app.guide.waiting);
    let r = app.guide.reached.expect("both reached");
    assert_eq!((r.index, r.of), (1, 2));
    assert_eq!(checkpoint_note(&app).expect("a note").continue_button, None);
    // A page that does not follow lessons (the widget) sees none.
    let mut widget = load("scenario-2");
    widget.guide.enabled = false;
    widget.speed = 86_400;
    widget.playing = true;
    assert_eq!(frame(&mut widget), 8_640);
    assert_eq!(widget.guide.reached, None);
    assert!(!offers_pause(&widget) && offers_pause(&app));
    assert!(!offers_pause(
        &App::new(Default::default()).expect("defaults")
    ));
}

fn ms_per_record(app: &App) -> f64 {
    match &app.sim.config().consumers[0] {
        ConsumerConfig::Lambda(l) => l.ms_per_record,
        ConsumerConfig::Kcl(_) => f64::NAN,
    }
}

#[test]
fn fix_says_what_changed_and_replay_runs_the_failure_again_from_the_start() {
    let p = presets::find("scenario-1").expect("preset");
    let mut app = load("scenario-1");
    app.guide.pause = false;
    app.sim.run_for(0);
    while app.guide.reached.is_none() {
        app.step();
    }
    let first = app.guide.reached.map(|r| r.t_ms);
    app.act(&Action::Fix).expect("fix");
    assert_eq!(ms_per_record(&app), 1.0);
    let fixes: Vec<_> = app.marks.iter().filter(|m| m.label == "Fix").collect();
    assert_eq!(fixes.len(), 1, "{:?}", app.marks);
    assert_eq!(fixes[0].t_ms, app.sim.now_ms());
    assert_eq!((checkpoint_note(&app), app.focus.as_ref()), (None, None));
    let shown = after_fix(&app).expect("after the fix");
    assert_eq!(shown.changed, p.after_fix);
    assert_eq!(shown.watch, format!("Watch now: {}", p.watch_after_fix));
    assert_eq!(shown.replay.text, "Replay the failure");
    assert_eq!(shown.replay.action, Action::Replay);
    // No checkpoint after the fix.
    for _ in 0..3_600 {
        app.step();
    }
    assert_eq!(app.guide.reached.map(|r| r.index), Some(0));
    app.act(&Action::Replay).expect("replay");
    assert_eq!(app.sim.now_ms(), 0);
    assert_eq!(ms_per_record(&app), 3.8);
    assert_eq!(app.preset.as_deref(), Some("scenario-1"));
    assert!(!app.guide.fixed && app.guide.reached.is_none() && !app.guide.pause);
    assert!(after_fix(&app).is_none() && app.marks.is_empty());
    while app.guide.reached.is_none() {
        app.step();
    }
    assert_eq!(app.guide.reached.map(|r| r.t_ms), first);
    assert!(App::new(Default::default())
        .expect("defaults")
        .replay()
        .is_err());
}

#[test]
fn the_live_region_says_which_checkpoint_and_whether_the_run_waits() {
    let mut app = load("hot-key");
    app.step();
    let r: Reached = app.guide.take_fresh().expect("the first second");
    assert_eq!(app.guide.take_fresh(), None, "shown once");
    let said = checkpoint_announcement(&r, true);
    assert!(
        said.starts_with("Checkpoint 1 of 2 at day 1 · 00:00:01: From the first second"),
        "{said}"
    );
    assert!(said.ends_with(" Paused: Continue runs on."), "{said}");
    assert!(!checkpoint_announcement(&r, false).contains("Paused"));
}

/// Preset `name` run for `before` s, then fixed: the largest iterator age at the fix
/// and the seconds after it until every consumer is within a minute again, plus the
/// last second after the fix with a throttled write.
fn after_the_fix(name: &str, before: u64) -> (u64, u64, u64) {
    let mut app = load(name);
    app.guide.enabled = false;
    app.sim.run_for(0);
    for _ in 0..before {
        app.step();
    }
    let age = |app: &App| {
        app.sim
            .metrics()
            .consumers
            .iter()
            .map(|c| c.iterator_age_ms / 1_000)
            .max()
            .unwrap_or(0)
    };
    let at_fix = age(&app);
    app.act(&Action::Fix).expect("fix");
    let (mut caught, mut last_throttle) = (None, 0);
    for s in 1..=20_000 {
        app.step();
        if app.sim.metrics().write_throttled > 0 {
            last_throttle = s;
        }
        if caught.is_none() && age(&app) < 60 {
            caught = Some(s);
        }
    }
    (at_fix, caught.expect("caught up"), last_throttle)
}

#[test]
fn what_to_watch_after_each_fix_is_what_the_run_does() {
    // Scenario 1: the backlog drains in about one and a half times the age reached.
    let (age, caught, _) = after_the_fix("scenario-1", 7_200);
    assert!((3_500..=3_700).contains(&age), "{age}");
    near("scenario-1 drain", caught, 1.5 * age as f64, 0.1);
    // Scenario 2: fixed 20 s before a burst, that burst is still throttled while the
    // 2-minute step runs; none of the 20 after it is (bursts come every 15 min).
    let (_, _, last) = after_the_fix("scenario-2", 880);
    assert!((20..=120).contains(&last), "{last}");
    // Scenario 3: ECS back to seconds in roughly the time the age took to build.
    let (age, caught, _) = after_the_fix("scenario-3", 14_400);
    assert!(age > 3_600, "{age}");
    near("scenario-3 drain", caught, age as f64, 0.3);
    // Scenario 4: writes pass once the reshard is done; the ages drain several times
    // slower than they grew.
    let (age, caught, last) = after_the_fix("scenario-4", 3_600);
    assert!((100..=150).contains(&last), "{last}");
    assert!(caught > 3 * age && caught < 8 * age, "{age} {caught}");
    // Hot key: the throttling stops within seconds.
    let (_, _, last) = after_the_fix("hot-key", 60);
    assert!(last <= 5, "{last}");
    // Launch day, fixed a minute and 40 s into the launch: warm throughput is ready at the
    // first minute boundary 5 minutes on (at 4,020 s), so the last refusal is at most a
    // few seconds after it, 320 s after the fix; fixed before the launch, none.
    let (_, _, last) = after_the_fix("launch-day", 3_700);
    assert!((310..=330).contains(&last), "{last}");
    let (_, _, last) = after_the_fix("launch-day", 60);
    assert_eq!(last, 0);
    // Hidden bursts, fixed just after a flush: only its retries meet refusals, for a few
    // seconds, and nothing is dropped.
    for before in [61, 62, 63] {
        let (_, _, last) = after_the_fix("hidden-bursts", before);
        assert!((1..=8).contains(&last), "{before}: {last}");
    }
    // Small records, aggregated ten minutes in: only the retries already waiting meet a
    // refusal, within seconds.
    let (_, _, last) = after_the_fix("small-records", 600);
    assert!(last <= 5, "{last}");
}
