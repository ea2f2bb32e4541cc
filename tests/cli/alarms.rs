//! `alarms`: the recommended and given alarms on a run, their state changes and the
//! losses none caught; a bad alarm is exit status 2 with one line saying why.

use super::{cli, json, temp_config};

/// One shard at 500 records/s, 1,500 from 180 s: throttled from the fourth minute.
const THROTTLED: &str = r#"{"stream": {"shards": 1},
    "producers": [{"name": "p", "instances": 1, "records_per_sec": 500}],
    "consumers": [],
    "events": [{"at_s": 180, "set": {"producers.p.records_per_sec": 1500}}]}"#;

#[test]
fn a_given_alarm_fires_at_the_end_of_the_first_throttled_minute() {
    let path = temp_config("alarms-throttled", THROTTLED.as_bytes());
    let (code, out, err) = cli(&[
        "alarms",
        "--config",
        &path,
        "--duration",
        "10m",
        "--no-recommended",
        "--alarm",
        "WriteProvisionedThroughputExceeded Sum 1m > 0 1/1 notBreaching",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let all = json(&out);
    let alarm = &all["alarms"][0];
    assert_eq!(
        alarm["alarm"],
        "WriteProvisionedThroughputExceeded Sum 1m > 0 1/1 notBreaching"
    );
    assert_eq!(alarm["recommended"], false);
    let changes: Vec<(u64, String)> = alarm["transitions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    (
                        t["t_s"].as_u64().unwrap_or(0),
                        t["to"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        changes,
        [(60, "OK".to_string()), (240, "ALARM".to_string())]
    );
    // Records the producer dropped after its retries, if any, were watched by this
    // alarm, which fired: none went uncaught.
    assert_eq!(all["uncaught"].as_array().map(Vec::len), Some(0), "{out}");
}

#[test]
fn text_lists_the_recommended_alarms_and_the_uncaught_losses() {
    // Nobody reads the only shard: its records expire after the 24 h retention and no
    // recommended alarm sees it (the iterator age has no datapoint).
    let config = r#"{"tick_s": 10, "stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 10}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 0}]}"#;
    let path = temp_config("alarms-unread", config.as_bytes());
    let (code, out, err) = cli(&["alarms", "--config", &path, "--duration", "25h"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(
        "GetRecords.IteratorAgeMilliseconds Maximum 1m >= 21600000 3/3 missing (recommended)\n  INSUFFICIENT_DATA all along\n"
    ), "{out}");
    assert!(out.contains("ecs.MillisBehindLatest Maximum 1m >= 21600000 3/3 missing (recommended)"));
    assert!(out.contains("\nLosses no alarm caught:\n  36,000 records expired on shards ecs never read; no alarm fired: GetRecords.IteratorAgeMilliseconds has no datapoint"), "{out}");
}

#[test]
fn a_bad_alarm_is_refused_with_the_reason() {
    let cases = [
        ("IncomingRecords Sum 30s > 0 1/1", "once a minute"),
        (
            "oldest_unprocessed_age_ms Maximum 1m > 0 1/1",
            "no CloudWatch metric shows it",
        ),
        (
            "IncomingRecords Sum 1m > 0 3/2",
            "datapoints to alarm (M) must be from 1",
        ),
        (
            "nobody.Errors Sum 1m > 0 1/1",
            "this run has no consumer \"nobody\" (its consumers: lambda)",
        ),
    ];
    for (spec, says) in cases {
        let (code, out, err) = cli(&[
            "alarms",
            "--preset",
            "scenario-2",
            "--duration",
            "1m",
            "--alarm",
            spec,
        ]);
        assert_eq!(code, 2, "{spec}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(says), "{spec}: {err}");
    }
    let (code, _, err) = cli(&["alarms", "--preset", "healthy", "--no-recommended"]);
    assert_eq!(code, 2);
    assert!(err.contains("no alarm to evaluate"), "{err}");
}
