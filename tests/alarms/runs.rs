//! Alarms on runs, with the moment each transition happens derived in closed form.

use kinesis_playground::model::alarm::AlarmState::{Alarm as A, InsufficientData as I, Ok as O};

use crate::{changes, run};

/// One shard, one producer at 100 records/s, 300 records/s from 15 min to 40 min.
fn stepped(tick_s: u32) -> String {
    format!(
        r#"{{"tick_s": {tick_s}, "stream": {{"shards": 1}},
            "producers": [{{"name": "p", "instances": 1, "records_per_sec": 100}}],
            "consumers": [],
            "events": [{{"at_s": 900, "set": {{"producers.p.records_per_sec": 300}}}},
                       {{"at_s": 2400, "set": {{"producers.p.records_per_sec": 100}}}}]}}"#
    )
}

#[test]
fn two_of_three_five_minute_sums_at_any_tick() {
    // 5-minute Sum: 30,000 at 100 records/s, 90,000 at 300 records/s; threshold 60,000.
    // The periods ending at 20, 25, ... 40 min breach. 2 of 3: OK at 5 min (one
    // datapoint within, the rest of the range missing), ALARM at 25 min (20 and 25
    // breach), still ALARM at 45 min (35 and 40 of 35, 40, 45), OK at 50 min.
    let spec = "IncomingRecords Sum 5m > 60000 2/3 missing";
    let want = vec![(300, I, O), (1_500, O, A), (3_000, A, O)];
    for tick_s in [1, 5] {
        let (_, set) = run(&stepped(tick_s), &[spec], 3_600);
        assert_eq!(changes(&set, 0), want, "tick_s {tick_s}");
    }
    // 3 of 3 needs 20, 25 and 30 min: ALARM at 30 min, OK at 45 min.
    let (_, set) = run(
        &stepped(1),
        &["IncomingRecords Sum 5m > 60000 3/3 missing"],
        3_600,
    );
    assert_eq!(
        changes(&set, 0),
        [(300, I, O), (1_800, O, A), (2_700, A, O)]
    );
}

#[test]
fn a_stream_throttled_from_minute_three_alarms_at_the_end_of_minute_four() {
    // 1,500 records/s into one shard's 1,000 from 180 s: the minute ending at 240 s is
    // the first with throttled records.
    let json = r#"{"stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 500}],
        "consumers": [],
        "events": [{"at_s": 180, "set": {"producers.p.records_per_sec": 1500}}]}"#;
    let spec = "WriteProvisionedThroughputExceeded Sum 1m > 0 1/1 notBreaching";
    let (sim, set) = run(json, &[spec], 600);
    assert_eq!(changes(&set, 0), [(60, I, O), (240, O, A)]);
    assert!(
        sim.totals().throttled >= 420 * 500,
        "{}",
        sim.totals().throttled
    );
}

/// One shard read by one KCL task until a scripted event stops every task at 10 min.
const STOPPED: &str = r#"{"stream": {"shards": 1},
    "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
    "consumers": [{"type": "kcl", "name": "ecs", "tasks": 1, "task_start_s": 0}],
    "events": [{"at_s": 600, "set": {"consumers.ecs.tasks": 0}}]}"#;

#[test]
fn an_unread_shard_is_missing_data_and_follows_the_treatment() {
    let specs = [
        "GetRecords.IteratorAgeMilliseconds Maximum 1m >= 60000 2/3 missing",
        "GetRecords.IteratorAgeMilliseconds Maximum 1m >= 60000 2/3 breaching",
        "GetRecords.IteratorAgeMilliseconds Maximum 1m >= 60000 2/3 notBreaching",
        "GetRecords.IteratorAgeMilliseconds Maximum 1m >= 60000 2/3 ignore",
    ];
    let (_, set) = run(STOPPED, &specs, 1_800);
    // The end of the last minute with a GetRecords datapoint: a 1-of-1 alarm on the
    // datapoints' count goes to INSUFFICIENT_DATA when its whole range of 3 is missing.
    let (_, plain) = run(
        STOPPED,
        &["GetRecords.IteratorAgeMilliseconds SampleCount 1m >= 0 1/1 missing"],
        1_800,
    );
    let last = plain.alarms()[0]
        .transitions()
        .find(|t| t.to == I)
        .map(|t| t.t_ms / 1_000 - 180)
        .unwrap_or_else(|| panic!("the datapoints never stop"));
    assert!(
        (600..=720).contains(&last),
        "last datapoint ends at {last} s"
    );
    // With the range of 5 holding datapoints within the threshold then k missing ones:
    // `missing` is OK while one real datapoint remains and INSUFFICIENT_DATA at k = 5;
    // `breaching` fills N − real with breaching ones: 2 at k = 4, ALARM (M = 2).
    assert_eq!(changes(&set, 0), [(60, I, O), (last + 300, O, I)]);
    // `breaching` also fires when the alarm is new: at 1 min the range is `- - - - 0`,
    // and the two missing datapoints filled in as breaching make 2 of 3 (the second
    // table's row 4); at 2 min `- - - 0 0` leaves one to fill: OK.
    assert_eq!(
        changes(&set, 1),
        [(60, I, A), (120, A, O), (last + 240, O, A)]
    );
    assert_eq!(changes(&set, 2), [(60, I, O)]);
    assert_eq!(changes(&set, 3), [(60, I, O)]);
}

#[test]
fn lambda_errors_alarm_and_a_clean_function_stays_ok() {
    let json = |rate: f64| {
        format!(
            r#"{{"stream": {{"shards": 1}},
                "producers": [{{"name": "p", "instances": 1, "records_per_sec": 200}}],
                "consumers": [{{"type": "lambda", "name": "fn", "error_rate": {rate},
                               "max_retry_attempts": 2}}]}}"#
        )
    };
    let spec = "fn.Errors Sum 1m > 0 1/1 notBreaching";
    // Half the invocations fail: every minute has errors, so ALARM from the first.
    let (_, set) = run(&json(0.5), &[spec], 600);
    assert_eq!(changes(&set, 0), [(60, I, A)]);
    let (_, set) = run(&json(0.0), &[spec], 600);
    assert_eq!(changes(&set, 0), [(60, I, O)]);
}

#[test]
fn hidden_bursts_throttle_while_the_sum_stays_under_the_limit() {
    // 1,300 records/s on average into two shards: 390,000 records in 5 minutes against
    // the 600,000 (1,000 × 2 shards × 300 s) the limit scaled to the period allows, so
    // the Sum alarm never fires; yet each flush second is throttled, so the throttle
    // alarm fires at the end of the first minute and stays.
    let preset = kinesis_playground::teach::presets::find("hidden-bursts")
        .unwrap_or_else(|| panic!("the preset exists"));
    let specs = [
        "IncomingRecords Sum 5m > 600000 1/1 notBreaching",
        "WriteProvisionedThroughputExceeded Sum 1m > 0 1/1 notBreaching",
        "IncomingRecords Maximum 1m > 1000 1/1 notBreaching",
    ];
    let specs = specs
        .iter()
        .map(|s| s.parse().unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let (_, set) = crate::run_specs(preset.config, specs, 3_600);
    assert_eq!(changes(&set, 0), [(300, I, O)]);
    assert_eq!(changes(&set, 1), [(60, I, A)]);
    // Maximum is per PutRecords call (at most 500 records): it cannot show the burst.
    assert_eq!(changes(&set, 2), [(60, I, O)]);
}

#[test]
fn a_success_rate_alarm_reads_one_sample_per_call() {
    // GetRecords.Success Average is the share of calls answered. A healthy application
    // polling every 1.5 s: every call answered, Average 1, OK at the first minute. Three
    // applications polling every 200 ms ask 15 calls/s of a shard that answers 5:
    // Average 1/3, ALARM at the end of the first minute.
    let spec = "GetRecords.Success Average 1m < 0.9 1/1 missing";
    let (_, set) = run(
        r#"{"stream": {"shards": 2},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 200}],
            "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2, "poll_interval_ms": 1500}]}"#,
        &[spec],
        600,
    );
    assert_eq!(changes(&set, 0), [(60, I, O)]);
    let (_, set) = run(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
            "consumers": [
              {"type": "kcl", "name": "a", "tasks": 1, "poll_interval_ms": 200},
              {"type": "kcl", "name": "b", "tasks": 1, "poll_interval_ms": 200},
              {"type": "kcl", "name": "c", "tasks": 1, "poll_interval_ms": 200}]}"#,
        &[spec],
        600,
    );
    assert_eq!(changes(&set, 0), [(60, I, A)]);
}

#[test]
fn a_stream_read_only_by_enhanced_fan_out_has_no_get_records_datapoints() {
    // No consumer calls GetRecords, so the metric has no datapoint: its alarms see
    // missing data every minute, whatever the statistic (a maximum of no samples is
    // not a value below every threshold).
    // At 1 s ticks and at 5 s ticks with batches of 37: the minutes' datapoints are the
    // same either way.
    for (tick_s, batch) in [(1, 100), (5, 37)] {
        let json = format!(
            r#"{{"tick_s": {tick_s}, "stream": {{"shards": 2}},
                "producers": [{{"name": "p", "instances": 1, "records_per_sec": 300}}],
                "consumers": [{{"type": "lambda", "name": "fn", "fan_out": "enhanced",
                               "batch_size": {batch}}}]}}"#
        );
        efo_only_alarms(&json);
    }
}

/// The alarms of [`a_stream_read_only_by_enhanced_fan_out_has_no_get_records_datapoints`]
/// on the run of `json`.
fn efo_only_alarms(json: &str) {
    let specs = [
        "GetRecords.IteratorAgeMilliseconds Maximum 1m >= 0 1/1 missing",
        "GetRecords.IteratorAgeMilliseconds Minimum 1m <= 0 1/1 missing",
        "GetRecords.IteratorAgeMilliseconds Maximum 1m >= 0 1/1 breaching",
        "GetRecords.IteratorAgeMilliseconds Maximum 1m >= 0 1/1 notBreaching",
        "fn.IteratorAge Maximum 1m >= 0 1/1 missing",
    ];
    let (_, set) = run(json, &specs, 600);
    assert_eq!(changes(&set, 0), [], "{json}");
    assert_eq!(changes(&set, 1), []);
    assert_eq!(changes(&set, 2), [(60, I, A)]);
    assert_eq!(changes(&set, 3), [(60, I, O)]);
    // The function's own iterator age has datapoints: 0 ms behind and up is ALARM.
    assert_eq!(changes(&set, 4), [(60, I, A)]);
}
