//! Marks: every change that happened to a run is recorded with its moment and a short
//! label, and every time chart gets those inside its visible range.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::Config;
use kinesis_playground::playground::charts::{build, description};
use kinesis_playground::playground::{App, ChartId, ConsumerKind, Drawing, Focus};
use kinesis_playground::teach::presets;

fn labels(app: &App) -> Vec<(u64, &str)> {
    app.marks
        .iter()
        .map(|m| (m.t_ms / 1_000, m.label.as_str()))
        .collect()
}

fn run(app: &mut App, seconds: u32) {
    for _ in 0..seconds {
        app.step();
    }
}

#[test]
fn edits_fix_and_consumers_are_marked_and_a_drag_leaves_one_mark() {
    let preset = presets::find("scenario-1").expect("scenario-1");
    let mut app = App::new(preset.config).expect("valid");
    app.preset = Some("scenario-1".into());
    run(&mut app, 30);
    // A slider dragged over three values at one moment: one mark, the last value.
    for ms in [5, 2, 1] {
        app.set("consumers.lambda.ms_per_record", &ms.into())
            .expect("valid");
    }
    run(&mut app, 10);
    app.fix().expect("scenario-1 has a fix");
    run(&mut app, 5);
    app.add_consumer(ConsumerKind::Kcl).expect("valid");
    run(&mut app, 5);
    app.remove_consumer("ecs").expect("valid");
    app.set("consumers.lambda.fan_out", &"enhanced".into())
        .expect("valid");
    assert_eq!(
        labels(&app),
        [
            (30, "time/record → 1 ms"),
            (40, "Fix"),
            (45, "ecs added"),
            (50, "ecs removed"),
            (50, "fan-out → enhanced")
        ]
    );
    // A refused edit is not a change.
    assert!(app.set("stream.shards", &0.into()).is_err());
    assert_eq!(app.marks.len(), 5);
    // Every time chart carries them, in seconds.
    for id in ChartId::ALL {
        if let Drawing::Time(chart) = build(&app, id) {
            let xs: Vec<f64> = chart.marks.iter().map(|m| m.x).collect();
            assert_eq!(xs, [30.0, 40.0, 45.0, 50.0, 50.0], "{id}");
        }
    }
    // A restart starts with no marks.
    app.reset().expect("valid");
    assert!(app.marks.is_empty());
}

#[test]
fn scripted_events_and_each_reshard_step_are_marked() {
    let preset = presets::find("scenario-3").expect("scenario-3");
    let mut app = App::new(preset.config).expect("valid");
    run(&mut app, 2 * 3_600 + 60);
    let marks = labels(&app);
    assert_eq!(marks[0], (3_600, "shards → 10"), "{marks:?}");
    assert_eq!(marks[1], (3_600, "resharding → 4 shards"), "{marks:?}");
    let opened: Vec<&str> = marks
        .iter()
        .filter(|m| m.1.ends_with(" open"))
        .map(|m| m.1)
        .collect();
    assert_eq!(
        opened,
        ["4 shards open", "8 shards open", "10 shards open"],
        "{marks:?}"
    );
    let steps = marks
        .iter()
        .filter(|m| m.1.starts_with("resharding"))
        .count();
    assert_eq!(steps, 3, "2 → 4 → 8 → 10: {marks:?}");
    // Done in about six minutes.
    let done = marks.iter().find(|m| m.1 == "10 shards open").map(|m| m.0);
    assert!(
        done.is_some_and(|t| t > 3_600 && t < 3_600 + 600),
        "{done:?}"
    );
    assert_eq!(marks.last(), Some(&(7_200, "rate → 1,250 records/s")));
}

#[test]
fn autoscaling_moves_are_marked_with_the_task_count() {
    let preset = presets::find("scenario-3").expect("scenario-3");
    let mut app = App::new(preset.config).expect("valid");
    app.preset = Some("scenario-3".into());
    app.fix().expect("scenario-3 has a fix");
    run(&mut app, 3 * 3_600);
    let tasks: Vec<&str> = app
        .marks
        .iter()
        .filter(|m| m.label.starts_with("ecs: "))
        .map(|m| m.label.as_str())
        .collect();
    assert!(!tasks.is_empty(), "{:?}", labels(&app));
    assert!(
        tasks
            .iter()
            .all(|l| l.ends_with(" tasks") || l.ends_with(" task")),
        "{tasks:?}"
    );
    // Traffic grows fivefold at 2 h: at 500 records/s a task, the fleet reaches 10.
    assert_eq!(tasks.last(), Some(&"ecs: 10 tasks"), "{tasks:?}");
}

#[test]
fn a_lesson_focus_reaches_only_the_chart_it_names() {
    let mut app = App::new(Config::default()).expect("valid");
    run(&mut app, 60);
    app.focus = Some(Focus {
        chart: ChartId::Age,
        line: "lambda".into(),
    });
    for id in ChartId::ALL {
        if let Drawing::Time(chart) = build(&app, id) {
            let want = (id == ChartId::Age).then(|| "lambda".to_string());
            assert_eq!(chart.focus, want, "{id}");
        }
    }
}

#[test]
fn marks_outside_the_window_are_left_out() {
    let mut app = App::new(Config::default()).expect("valid");
    app.set("stream.shards", &3.into()).expect("valid");
    run(&mut app, 1_200);
    app.window_s = Some(900);
    let Drawing::Time(chart) = build(&app, ChartId::Incoming) else {
        panic!("a time chart");
    };
    assert!(
        chart.marks.iter().all(|m| m.x >= 300.0),
        "{:?}",
        chart.marks
    );
    app.window_s = None;
    let Drawing::Time(chart) = build(&app, ChartId::Incoming) else {
        panic!("a time chart");
    };
    assert_eq!(chart.marks[0].label, "shards → 3");
    assert_eq!(chart.marks[0].x, 0.0);
}

#[test]
fn a_chart_text_names_its_latest_changes() {
    let mut app = App::new(Config::default()).expect("valid");
    run(&mut app, 10);
    app.set("stream.shards", &3.into()).expect("valid");
    app.set("consumers.lambda.parallelization_factor", &2.into())
        .expect("valid");
    run(&mut app, 10);
    let text = description(&app, ChartId::Lambda, app.sim.now_ms());
    assert!(
        text.ends_with(" Latest changes: shards → 3, PF → 2, resharding → 3 shards."),
        "{text}"
    );
    // Twenty minutes on, the values are read from the last minute but the changes are
    // those the chart's 6 h window shows.
    run(&mut app, 1_200);
    app.window_s = Some(21_600);
    let text = description(&app, ChartId::Lambda, app.sim.now_ms());
    assert!(text.contains(" Latest changes: "), "{text}");
    assert!(text.contains("PF → 2"), "{text}");
}

#[test]
fn every_time_chart_shades_the_faults_begun_so_far_up_to_now_while_they_last() {
    let config = Config::from_json(
        r#"{"events": [
            {"at_s": 60, "fault": {"action": "throttle_put", "percent": 30, "duration_s": 120}},
            {"at_s": 400, "fault": {"action": "throttle_get", "percent": 50, "duration_s": 60}}
        ]}"#,
    )
    .expect("valid");
    let mut app = App::new(config).expect("valid");
    let spans = |app: &App| -> Vec<Vec<(f64, Option<f64>, String)>> {
        ChartId::ALL
            .into_iter()
            .filter_map(|id| match build(app, id) {
                Drawing::Time(chart) => Some(
                    chart
                        .marks
                        .into_iter()
                        .filter(|m| m.end.is_some())
                        .map(|m| (m.x, m.end, m.label))
                        .collect(),
                ),
                Drawing::Strip(_) => None,
            })
            .collect()
    };
    run(&mut app, 59);
    assert!(spans(&app).iter().all(Vec::is_empty));
    run(&mut app, 61);
    let now = spans(&app);
    assert!(now.len() > 5);
    for chart in &now {
        assert_eq!(chart, &[(60.0, Some(120.0), "put fault 30 %".to_string())]);
    }
    // The event itself leaves no second mark; the fault does set off the recommended
    // alarm on WriteProvisionedThroughputExceeded, as an injected throttle would.
    let labels: Vec<_> = app
        .marks
        .iter()
        .map(|m| (m.t_ms, m.label.as_str()))
        .collect();
    assert_eq!(
        labels,
        [(120_000, "ALARM WriteProvisionedThroughputExceeded")]
    );
    run(&mut app, 300);
    for chart in spans(&app) {
        assert_eq!(
            chart,
            [
                (60.0, Some(180.0), "put fault 30 %".to_string()),
                (400.0, Some(420.0), "get fault 50 %".to_string())
            ]
        );
    }
}
