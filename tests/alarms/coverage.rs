//! The losses no alarm caught, and the sentences that say so.

use kinesis_playground::model::alarm::{recommended, AlarmSpec, LossKind};
use kinesis_playground::model::Config;
use kinesis_playground::teach::alarms;

use crate::run_specs;

const HOUR: u64 = 3_600;

/// One shard, 100 records/s, 24 h retention, ticks of 10 s.
fn config(consumer: &str) -> Config {
    let json = format!(
        r#"{{"tick_s": 10, "stream": {{"shards": 1, "retention_hours": 24}},
            "producers": [{{"name": "p", "instances": 1, "records_per_sec": 100}}],
            "consumers": [{consumer}]}}"#
    );
    Config::from_json(&json).unwrap_or_else(|e| panic!("{e}"))
}

fn parse(specs: &[&str]) -> Vec<AlarmSpec> {
    specs
        .iter()
        .map(|s| s.parse().unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

#[test]
fn records_expiring_on_a_shard_nobody_reads_are_caught_by_no_recommended_alarm() {
    // No task ever reads: every record expires 24 h after it arrived, 100 a second, and
    // GetRecords.IteratorAgeMilliseconds has no datapoint at all.
    let config = config(r#"{"type": "kcl", "name": "ecs", "tasks": 0}"#);
    let specs = recommended(&config);
    let (sim, set) = run_specs(config, specs, 25 * HOUR);
    let expired = sim.ledgers()[0].ledger.expired;
    assert!((359_000..=360_000).contains(&expired), "{expired}");
    let lost = set.uncaught();
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(
        (lost[0].kind, lost[0].records, lost[0].unread),
        (LossKind::Expired, expired, true)
    );
    let stream_age = &set.alarms()[0];
    assert_eq!(
        stream_age.spec().metric,
        "GetRecords.IteratorAgeMilliseconds"
    );
    assert_eq!(
        stream_age.transitions().len(),
        0,
        "INSUFFICIENT_DATA all along"
    );
    let text = alarms::uncaught(&lost, set.alarms());
    assert_eq!(
        text[0],
        format!(
            "{} records expired on shards ecs never read; no alarm fired: \
             GetRecords.IteratorAgeMilliseconds has no datapoint for a shard no GetRecords call \
             reads, and the alarm treats missing data as missing.",
            kinesis_playground::format::thousands(expired)
        )
    );
    // Treating missing data as breaching catches it: ALARM from the first minute.
    let config = self::config(r#"{"type": "kcl", "name": "ecs", "tasks": 0}"#);
    let specs = parse(&["GetRecords.IteratorAgeMilliseconds Maximum 1m >= 21600000 3/3 breaching"]);
    let (_, set) = run_specs(config, specs, 25 * HOUR);
    assert!(set.uncaught().is_empty());
}

/// A Lambda function that gets through about 10 records/s of the 100 arriving: 100
/// records take 20 ms + 100 × 98 ms = 9.82 s. Its backlog grows by about 90 records/s,
/// so its iterator age by about 0.9 s a second: it reaches the 24 h retention after
/// about 26.7 h, and records expire from then on.
const SLOW: &str =
    r#"{"type": "lambda", "name": "fn", "batch_size": 100, "ms_per_record": 98, "timeout_s": 60}"#;

#[test]
fn retention_losses_are_not_in_dropped_event_count_but_the_iterator_age_alarm_sees_them() {
    let only_dropped = parse(&["fn.DroppedEventCount Sum 1m > 0 1/1 notBreaching"]);
    let (sim, set) = run_specs(config(SLOW), only_dropped, 28 * HOUR);
    let expired = sim.ledgers()[0].ledger.expired;
    // From about 26.7 h to 28 h, about 90 % of what arrives: some 400,000 records.
    assert!((250_000..=550_000).contains(&expired), "{expired}");
    let lost = set.uncaught();
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(
        (lost[0].kind, lost[0].unread, lost[0].watchers.clone()),
        (LossKind::Expired, false, vec![0])
    );
    let first_h = lost[0].first_ms as f64 / 3.6e6;
    assert!(
        (26.0..27.5).contains(&first_h),
        "first expiry at {first_h} h"
    );
    let text = alarms::uncaught(&lost, set.alarms());
    let n = kinesis_playground::format::thousands(expired);
    assert_eq!(
        text[0],
        format!(
            "{n} records expired before fn processed them; no alarm watching fn went to ALARM. \
             fn.DroppedEventCount counts none of the {n} records retention deleted before fn read them."
        )
    );
    // The recommended alarms catch it: the stream's iterator age passes 6 h (a quarter
    // of the retention) after about 6.7 h and stays above.
    let config = config(SLOW);
    let specs = recommended(&config);
    let (_, set) = run_specs(config, specs, 28 * HOUR);
    assert!(set.uncaught().is_empty(), "{:?}", set.uncaught());
    let fired = set.alarms()[0]
        .transitions()
        .find(|t| t.to == kinesis_playground::model::alarm::AlarmState::Alarm);
    let at_h = fired.map_or(0.0, |t| t.t_ms as f64 / 3.6e6);
    assert!((6.0..7.5).contains(&at_h), "iterator-age alarm at {at_h} h");
}

#[test]
fn the_recommended_alarms_follow_the_config() {
    let config = Config::from_json(
        r#"{"stream": {"shards": 2, "retention_hours": 48},
            "consumers": [{"type": "lambda", "name": "fn"}, {"type": "kcl", "name": "ecs"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<String> = recommended(&config)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        texts,
        [
            "GetRecords.IteratorAgeMilliseconds Maximum 1m >= 43200000 3/3 missing",
            "WriteProvisionedThroughputExceeded Sum 1m > 0 1/1 notBreaching",
            "fn.IteratorAge Maximum 1m >= 30000 3/3 missing",
            "fn.Errors Sum 1m > 0 1/1 notBreaching",
            "fn.DroppedEventCount Sum 1m > 0 1/1 notBreaching",
            "ecs.MillisBehindLatest Maximum 1m >= 43200000 3/3 missing",
        ]
    );
}

/// An alarm set on the write throttles fed minute `throttled` (1-based) with throttled
/// records, and a producer drop at `dropped_s`; 10 s ticks up to `end_s`.
fn drops_after(
    throttled: u64,
    dropped_s: u64,
    end_s: u64,
) -> Vec<kinesis_playground::model::alarm::UncaughtLoss> {
    use kinesis_playground::model::alarm::AlarmSet;
    use kinesis_playground::model::TickMetrics;
    let specs = parse(&["WriteProvisionedThroughputExceeded Sum 1m > 0 1/1 notBreaching"]);
    let mut set = AlarmSet::new(specs, &[]);
    for t in (10..=end_s).step_by(10) {
        let m = TickMetrics {
            t_ms: t * 1_000,
            put_calls: 1,
            write_throttled: u64::from(t.div_ceil(60) == throttled),
            dropped_by_producer: u64::from(t == dropped_s) * 7,
            ..TickMetrics::default()
        };
        set.add(&m, []);
    }
    set.uncaught()
}

#[test]
fn an_alarm_catches_a_loss_from_an_hour_before_it_began_to_its_end() {
    // The throttle alarm is in ALARM from 120 s (the minute ending then holds the
    // throttled records) to the tick ending at 170 s (the next minute is clean). A drop
    // up to an hour after 170 s is caught; one later is not.
    assert!(drops_after(2, 170 + HOUR, 2 * HOUR).is_empty());
    let late = drops_after(2, 180 + HOUR, 2 * HOUR);
    assert_eq!(late.len(), 1);
    assert_eq!(
        (late[0].kind, late[0].records, late[0].watchers.clone()),
        (LossKind::DroppedByProducer, 7, vec![0])
    );
    // An alarm that fires after the loss ended did not catch it: a drop at 30 s, the
    // alarm at 120 s.
    assert_eq!(drops_after(2, 30, HOUR).len(), 1);
    // Without an alarm watching the writes, the sentence says which one would have.
    let text = alarms::uncaught(&late, &[]);
    assert_eq!(
        text[0],
        "7 records producers dropped after throttling never reached the stream, and no alarm \
         watches the writes: an alarm on WriteProvisionedThroughputExceeded Sum > 0 would have fired."
    );
}

#[test]
fn a_shard_left_unread_beside_a_read_one_hides_in_the_streams_iterator_age() {
    // Two shards, one KCL task holding at most one lease: the other shard is never read
    // and its records, half of the 100 a second, expire after 24 h. The stream's
    // iterator age comes from the read shard, caught up: OK all along.
    let json = r#"{"tick_s": 10, "stream": {"shards": 2, "retention_hours": 24},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 100, "distinct_keys": 1000}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 1, "max_leases_per_worker": 1}]}"#;
    let config = Config::from_json(json).unwrap_or_else(|e| panic!("{e}"));
    let specs = recommended(&config);
    let (sim, set) = run_specs(config, specs, 25 * HOUR);
    let expired = sim.ledgers()[0].ledger.expired;
    // Half of one hour's 360,000, within the key spread over the two shards.
    assert!((160_000..=200_000).contains(&expired), "{expired}");
    let stream_age = &set.alarms()[0];
    assert_eq!(
        stream_age.state(),
        kinesis_playground::model::alarm::AlarmState::Ok
    );
    assert_eq!(
        stream_age.transitions().len(),
        1,
        "INSUFFICIENT_DATA -> OK only"
    );
    let lost = set.uncaught();
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert!(lost[0].unread);
    let text = alarms::uncaught(&lost, set.alarms());
    assert!(
        text[0].ends_with("comes only from the shards GetRecords calls read, and those were caught up: the stream's metric cannot show an unread shard."),
        "{}",
        text[0]
    );
}
