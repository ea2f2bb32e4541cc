//! The page's alarms panel: the recommended alarms of a run, one added while it runs
//! (evaluated from the next whole period, as CloudWatch does), the mark when it fires,
//! and the sentence for a loss no alarm caught.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::alarm::AlarmState;
use kinesis_playground::model::Config;
use kinesis_playground::playground::alarms::alarms_html;
use kinesis_playground::playground::{Action, App};

/// One shard, 100 records/s, 24 h retention, 10-second ticks, and a KCL application
/// with no task: nothing reads the stream.
fn unread() -> App {
    let config = Config::from_json(
        r#"{"tick_s": 10, "stream": {"shards": 1, "retention_hours": 24},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
            "consumers": [{"type": "kcl", "name": "ecs", "tasks": 0}]}"#,
    )
    .expect("valid");
    App::new(config).expect("valid")
}

#[test]
fn an_unread_stream_loses_records_that_no_recommended_alarm_sees() {
    let mut app = unread();
    // Added at 95 s: its first period is the minute from 120 s; with missing data
    // breaching, the first datapoint-less minute already counts against it (3/3 with
    // every point filled as breaching), so it fires at 180 s.
    for _ in 0..9 {
        app.step();
    }
    assert_eq!(app.sim.now_ms(), 90_000);
    assert_eq!(
        app.add_alarm("GetRecords.IteratorAgeMilliseconds Maximum 1m >= 21600000 3/3 breaching"),
        Ok(())
    );
    assert!(app
        .add_alarm("GetRecords.IteratorAgeMilliseconds Maximum 1m >= 6h 3/3")
        .is_err_and(|e| e.contains("is not a threshold")));
    // A Lambda metric of a KCL application would never get a datapoint.
    assert_eq!(
        app.add_alarm("ecs.IteratorAge Maximum 1m >= 30000 3/3"),
        Err(
            "ecs is a KCL application, and IteratorAge is a Lambda function's metric: the \
             alarm would never get a datapoint"
                .into()
        )
    );
    assert_eq!(
        app.add_alarm("ecs.MillisBehindLatest Maximum 1m >= 30000 3/3"),
        Ok(())
    );
    while app.sim.now_ms() < 25 * 3_600_000 {
        app.step();
    }
    let alarms = app.alarms.alarms();
    let added = &alarms[alarms.len() - 2];
    let first = added.transitions().next().expect("fired");
    assert_eq!((first.t_ms, first.to), (180_000, AlarmState::Alarm));
    assert!(app
        .marks
        .iter()
        .any(|m| m.t_ms == 180_000 && m.label == "ALARM GetRecords.IteratorAgeMilliseconds"));
    // The recommended stream alarm treats missing data as missing: it never had a
    // datapoint, and the panel says what it let through.
    assert_eq!(alarms[0].state(), AlarmState::InsufficientData);
    let html = alarms_html(&app);
    assert!(html.contains(
        "<li class=\"insufficient\"><b>INSUFFICIENT_DATA</b> <code>GetRecords.IteratorAgeMilliseconds Maximum 1m &gt;= 21600000 3/3 missing</code> <button"
    ), "{html}");
    assert!(html.contains("<li class=\"alarm\"><b>ALARM</b>"), "{html}");
    // The added alarm watches the same loss and was in ALARM: the loss is caught (and
    // stays caught if the alarm is removed later), so no sentence.
    assert!(!html.contains("class=\"uncaught\""), "{html}");
    let breaching = app.alarms.alarms().len() - 2;
    app.act(&Action::RemoveAlarm(breaching)).expect("removed");
    assert_eq!(app.alarms.alarms().len(), 4);
    assert!(!alarms_html(&app).contains("class=\"uncaught\""));
    // Without it, the panel says what the recommended alarms let through.
    let mut app = unread();
    while app.sim.now_ms() < 25 * 3_600_000 {
        app.step();
    }
    let html = alarms_html(&app);
    let expired = app.sim.ledgers()[0].ledger.expired;
    assert!((359_000..=360_000).contains(&expired), "{expired}");
    assert!(html.contains(&format!(
        "<p class=\"uncaught\">{} records expired on shards ecs never read; no alarm fired: GetRecords.IteratorAgeMilliseconds has no datapoint for a shard no GetRecords call reads, and the alarm treats missing data as missing.</p>",
        kinesis_playground::format::thousands(expired)
    )), "{html}");
}

#[test]
fn new_settings_bring_their_own_recommended_alarms_and_keep_the_learners() {
    let mut app = unread();
    assert_eq!(
        app.add_alarm("IncomingRecords Sum 1m > 1000 1/1 notBreaching"),
        Ok(())
    );
    let config = Config::from_json(
        r#"{"stream": {"shards": 2},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
            "consumers": [{"type": "lambda", "name": "fn"},
                          {"type": "kcl", "name": "k1", "tasks": 1}]}"#,
    )
    .expect("valid");
    app.restart(config).expect("restarted");
    let specs: Vec<String> = app
        .alarms
        .alarms()
        .iter()
        .map(|a| a.spec().metric.clone())
        .collect();
    assert_eq!(
        specs,
        [
            "GetRecords.IteratorAgeMilliseconds",
            "WriteProvisionedThroughputExceeded",
            "fn.IteratorAge",
            "fn.Errors",
            "fn.DroppedEventCount",
            "k1.MillisBehindLatest",
            "IncomingRecords",
        ]
    );
}
