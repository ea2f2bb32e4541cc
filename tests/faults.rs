//! Scripted faults, as AWS Fault Injection Service injects them: a share of PutRecords
//! or GetRecords calls refused with ProvisionedThroughputExceededException, and a
//! Lambda error burst. Each expectation follows in closed form from the fault's
//! intensity, the producer's retry policy and the event source mapping's rules; every
//! run is watched tick by tick (the ledgers balance throughout).

mod common;

use common::watch::Watched;
use kinesis_playground::model::{Config, FaultAction};

/// `json` with its tick set to `tick_s`.
fn config(json: &str, tick_s: u32) -> Config {
    let mut config = Config::from_json(json).expect("valid config");
    config.tick_s = tick_s;
    config.validate().expect("valid tick");
    config
}

/// What a watched run of `seconds` came to, tick by tick, summed over `[from_s, to_s)`.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Window {
    produced: u64,
    throttled: u64,
    dropped: u64,
    answered: u64,
    refused: u64,
}

/// Runs `config` for `seconds`, summing the stream's counters of the ticks that end in
/// `(from_s, to_s]`; returns the simulation too.
fn run(config: Config, seconds: u64, from_s: u64, to_s: u64) -> (Watched, Window) {
    let mut sim = Watched::new(config);
    let mut w = Window::default();
    while sim.now_ms() < seconds * 1_000 {
        sim.step();
        let m = sim.metrics();
        if m.t_ms > from_s * 1_000 && m.t_ms <= to_s * 1_000 {
            w.produced += m.produced;
            w.throttled += m.write_throttled;
            w.dropped += m.dropped_by_producer;
            w.answered += m.get_records_calls;
            w.refused += m.read_throttled;
        }
    }
    (sim, w)
}

fn near(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs()
}

/// Four shards at 500 records/s each (half their 1,000 records/s): nothing is
/// throttled but the fault's 30 % of PutRecords calls from 300 s to 900 s. Three
/// attempts (the default), backoff windows of 1 s then 2 s.
const PUT: &str = r#"{
    "seed": 11,
    "stream": {"shards": 4},
    "producers": [{"name": "app", "instances": 4, "records_per_sec": 500,
                   "record_bytes": 400, "retry": {"max_attempts": 3}}],
    "consumers": [{"type": "kcl", "name": "ecs", "tasks": 4}],
    "events": [{"at_s": 300, "fault": {"action": "throttle_put", "percent": 30, "duration_s": 600}}]
}"#;

#[test]
fn a_put_fault_throttles_its_share_of_every_attempt_and_drops_the_cube_after_three() {
    // Every attempt in the window is refused at 30 %: of N records produced, 0.3 N fail
    // the first attempt, 0.09 N the second and 0.027 N the third, which the producer
    // then drops (retries of the last seconds land after the window and pass).
    for tick_s in [1, 5] {
        let (sim, w) = run(config(PUT, tick_s), 1_200, 0, 1_200);
        let n = 2_000.0 * 600.0;
        let refused = n * (0.3 + 0.09 + 0.027);
        let dropped = n * 0.027;
        assert!(
            near(w.throttled as f64, refused, 0.01),
            "tick {tick_s}: {w:?}"
        );
        assert!(
            near(w.dropped as f64, dropped, 0.02),
            "tick {tick_s}: {w:?}"
        );
        // The model's totals say the same, and nothing is left to retry.
        let totals = sim.totals();
        assert_eq!(totals.throttled, w.throttled);
        assert_eq!(sim.metrics().pending_retry, 0);
        assert_eq!(
            totals.produced,
            totals.accepted + totals.dropped_by_producer
        );
    }
}

#[test]
fn the_first_second_of_a_put_fault_refuses_exactly_its_share_of_first_attempts() {
    // Before 300 s nothing is refused; the second from 300 s carries only first
    // attempts (no retry is due yet), of which 30 % are refused, to the record.
    let (_, before) = run(config(PUT, 1), 301, 0, 300);
    assert_eq!(before.throttled, 0);
    let (_, first) = run(config(PUT, 1), 301, 300, 301);
    assert_eq!(first.produced, 2_000);
    assert_eq!(first.throttled, 600);
    // And after the window (and the last retries) nothing more is refused.
    let (_, after) = run(config(PUT, 1), 1_000, 905, 1_000);
    assert_eq!((after.throttled, after.dropped), (0, 0));
}

#[test]
fn one_and_five_second_ticks_agree_on_a_put_faults_totals() {
    let (one, _) = run(config(PUT, 1), 1_200, 0, 1_200);
    let (five, _) = run(config(PUT, 5), 1_200, 0, 1_200);
    let (a, b) = (one.totals(), five.totals());
    assert_eq!(a.produced, b.produced);
    assert!(
        near(b.throttled as f64, a.throttled as f64, 0.002),
        "{a:?} {b:?}"
    );
    assert!(near(
        b.dropped_by_producer as f64,
        a.dropped_by_producer as f64,
        0.01
    ));
}

/// One shard at 100 records/s read by one KCL application polling every 1.5 s; half
/// of its GetRecords calls refused from 600 s to 1,200 s.
const GET: &str = r#"{
    "stream": {"shards": 1},
    "producers": [{"name": "p", "records_per_sec": 100}],
    "consumers": [{"type": "kcl", "name": "ecs", "tasks": 1, "poll_interval_ms": 1500}],
    "events": [{"at_s": 600, "fault": {"action": "throttle_get", "percent": 50, "duration_s": 600}}]
}"#;

#[test]
fn a_get_fault_of_half_halves_the_successful_calls_of_a_kcl_application() {
    // 600 s at one call per 1.5 s is 400 calls: 400 answered before the fault; during
    // it 200 answered and 200 refused, so GetRecords.Success averages 0.5.
    for tick_s in [1, 5] {
        let (_, before) = run(config(GET, tick_s), 1_200, 0, 600);
        let (sim, during) = run(config(GET, tick_s), 1_200, 600, 1_200);
        assert!(before.answered.abs_diff(400) <= 1, "{before:?}");
        assert_eq!(before.refused, 0);
        assert!(
            during.answered.abs_diff(200) <= 1,
            "tick {tick_s}: {during:?}"
        );
        assert!(
            during.refused.abs_diff(200) <= 1,
            "tick {tick_s}: {during:?}"
        );
        let success = during.answered as f64 / (during.answered + during.refused) as f64;
        assert!((success - 0.5).abs() < 0.005, "{success}");
        // A refused call returns nothing, but one call in 3 s still drains the shard:
        // everything accepted is processed by the end (up to the last poll).
        let ecs = common::report(&sim, "ecs");
        assert!(ecs.behind <= 300, "{ecs:?}");
        assert_eq!(ecs.ledger.expired + ecs.ledger.skipped, 0);
    }
}

#[test]
fn enhanced_fan_out_does_not_see_a_get_fault() {
    let json = GET.replace(r#""tasks": 1,"#, r#""tasks": 1, "fan_out": "enhanced","#);
    let (sim, during) = run(config(&json, 1), 1_200, 600, 1_200);
    assert_eq!((during.answered, during.refused), (0, 0));
    let ecs = common::report(&sim, "ecs");
    assert!(ecs.behind <= 100, "{ecs:?}");
}

/// One shard at 50 records/s; two Lambda functions, "a" under a 100 % error burst for
/// five minutes from 600 s. `{A}` is replaced by "a"'s batch and retry settings.
const BURST: &str = r#"{
    "stream": {"shards": 1},
    "producers": [{"name": "p", "records_per_sec": 50}],
    "consumers": [{"type": "lambda", "name": "a" {A}},
                  {"type": "lambda", "name": "b", "batch_size": 10}],
    "events": [{"at_s": 600, "fault": {"action": "lambda_errors", "percent": 100,
                                       "duration_s": 300, "consumer": "a"}}]
}"#;

/// The largest oldest-unprocessed age of each of the two functions over the run, ms.
fn burst_run(settings: &str, tick_s: u32) -> (Watched, [u64; 2], [u64; 2]) {
    let json = BURST.replace("{A}", settings);
    let mut sim = Watched::new(config(&json, tick_s));
    let (mut age, mut errors) = ([0u64; 2], [0u64; 2]);
    while sim.now_ms() < 1_500_000 {
        sim.step();
        for (i, c) in sim.metrics().consumers.iter().enumerate() {
            age[i] = age[i].max(c.iterator_age_ms);
            errors[i] += u64::from(c.errors);
        }
    }
    (sim, age, errors)
}

#[test]
fn a_full_error_burst_blocks_the_shard_for_its_duration_with_unlimited_retries() {
    // Retried until it succeeds, the first batch of the burst holds the shard: when the
    // burst ends the oldest record waiting is 300 s old (plus the second it waited for
    // its batch); then the function catches up and loses nothing.
    for tick_s in [1, 5] {
        let (sim, age, errors) = burst_run(r#", "batch_size": 10"#, tick_s);
        assert!(
            (300_000..=302_000 + u64::from(tick_s) * 1_000).contains(&age[0]),
            "tick {tick_s}: {age:?}"
        );
        assert!(age[1] <= 5_000, "{age:?}");
        // Back to back, each failed invocation of a batch of 10 takes 20 ms + 10 × 1 ms:
        // 300 s / 30 ms = 10,000 errors, and none for "b".
        assert!(errors[0].abs_diff(10_000) <= 2, "{errors:?}");
        assert_eq!(errors[1], 0);
        let a = common::report(&sim, "a");
        assert_eq!(a.ledger.skipped + a.ledger.expired, 0);
        assert!(a.behind <= 100, "{a:?}");
    }
}

#[test]
fn with_two_retries_each_batch_of_the_burst_fails_three_times_and_is_skipped() {
    // Without bisect a failed batch is retried whole; after the first attempt and two
    // retries it is given up. 50 records/s in full batches of 10: the burst's 15,000
    // records are skipped in 1,500 batches, at 3 errors each (a batch takes 30 ms, so
    // the function keeps up and the shard is never blocked for long).
    let (sim, age, errors) = burst_run(r#", "batch_size": 10, "max_retry_attempts": 2"#, 1);
    let a = common::report(&sim, "a");
    assert!(a.ledger.skipped.abs_diff(15_000) <= 60, "{a:?}");
    assert!(errors[0].abs_diff(4_500) <= 18, "{errors:?}");
    assert!(age[0] <= 3_000, "{age:?}");
}

#[test]
fn with_bisect_a_batch_of_eight_takes_fifteen_failed_invocations_before_it_is_skipped() {
    // Bisect splits a failed batch of 8 into 4 + 4, 2 + 2 + 2 + 2, then single
    // records, each failing once (splitting uses no retry); with no retry left a single
    // record is skipped. A tree of 15 invocations takes 20 ms each plus 1 ms a record:
    // 28 + 2·24 + 4·22 + 8·21 = 332 ms for 8 records, so in 300 s the function gets
    // through 300 / 0.332 ≈ 904 batches (7,229 records, 13,554 errors) while the rest
    // waits (the burst outruns it: 50 records/s arrive), and the shard falls behind.
    let settings = r#", "batch_size": 8, "bisect_on_error": true, "max_retry_attempts": 0"#;
    let (sim, age, errors) = burst_run(settings, 1);
    let a = common::report(&sim, "a");
    let trees = 300_000.0 / 332.0;
    assert!(near(a.ledger.skipped as f64, trees * 8.0, 0.01), "{a:?}");
    assert!(near(errors[0] as f64, trees * 15.0, 0.01), "{errors:?}");
    assert_eq!(errors[0] * 8 / 15, a.ledger.skipped);
    // The backlog grows at 50 − 8 / 0.332 ≈ 25.9 records/s for 300 s, so the oldest
    // record waiting is 300 s × (1 − 24.1 / 50) ≈ 155 s old when the burst ends.
    let behind_s = 300.0 * (1.0 - 8.0 / 0.332 / 50.0);
    assert!(near(age[0] as f64, behind_s * 1_000.0, 0.02), "{age:?}");
    assert!(a.behind <= 100, "{a:?}");
}

#[test]
fn the_spans_and_the_fault_columns_match_the_config() {
    let json = r#"{
        "consumers": [{"type": "lambda", "name": "fn"}],
        "events": [
            {"at_s": 120, "fault": {"action": "throttle_get", "percent": 40, "duration_s": 60}},
            {"at_s": 60, "set": {"stream.shards": 3},
             "fault": {"action": "throttle_put", "percent": 25, "duration_s": 90}},
            {"at_s": 150, "fault": {"action": "lambda_errors", "percent": 70, "duration_s": 120,
                                    "consumer": "fn"}}
        ]
    }"#;
    let mut sim = Watched::new(config(json, 1));
    let spans: Vec<_> = sim
        .fault_spans()
        .iter()
        .map(|s| {
            (
                s.start_ms,
                s.end_ms,
                s.action,
                s.percent,
                s.consumer.clone(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            (60_000, 150_000, FaultAction::ThrottlePut, 25, None),
            (120_000, 180_000, FaultAction::ThrottleGet, 40, None),
            (
                150_000,
                270_000,
                FaultAction::LambdaErrors,
                70,
                Some("fn".into())
            ),
        ]
    );
    let mut seen = Vec::new();
    while sim.now_ms() < 300_000 {
        sim.step();
        seen.push(sim.metrics().fault_percent);
    }
    // Tick k covers [k, k + 1) s.
    assert_eq!(seen[59], [0, 0, 0]);
    assert_eq!(seen[60], [25, 0, 0]);
    assert_eq!(seen[130], [25, 40, 0]);
    assert_eq!(seen[149], [25, 40, 0]);
    assert_eq!(seen[150], [0, 40, 70]);
    assert_eq!(seen[269], [0, 0, 70]);
    assert_eq!(seen[270], [0, 0, 0]);
    // The scripted edit of the same event still applied.
    assert_eq!(sim.config().stream.shards, 3);
}

#[test]
fn a_fault_is_checked_like_any_setting() {
    let with = |fault: &str| {
        let json = format!(
            r#"{{"consumers": [{{"type": "lambda", "name": "fn"}}, {{"type": "kcl", "name": "ecs"}}],
                "events": [{{"at_s": 10, "set": {{"stream.shards": 2}}}}, {{"at_s": 60, "fault": {fault}}}]}}"#
        );
        Config::from_json(&json)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let ok =
        r#"{"action": "lambda_errors", "percent": 100, "duration_s": 43200, "consumer": "fn"}"#;
    assert_eq!(with(ok), Ok(()));
    for (fault, says) in [
        (
            r#"{"action": "throttle_put", "percent": 0, "duration_s": 60}"#,
            "events[1].fault.percent: 0 is not accepted: it takes a whole number from 1 to 100",
        ),
        (
            r#"{"action": "throttle_get", "percent": 101, "duration_s": 60}"#,
            "events[1].fault.percent: 101",
        ),
        (
            r#"{"action": "throttle_get", "percent": 5, "duration_s": 59}"#,
            "events[1].fault.duration_s: 59 is not accepted: it takes a whole number from 60 to 43,200",
        ),
        (
            r#"{"action": "throttle_get", "percent": 5, "duration_s": 43201}"#,
            "events[1].fault.duration_s: 43,201",
        ),
        (
            r#"{"action": "lambda_errors", "percent": 5, "duration_s": 60, "consumer": "nope"}"#,
            "events[1].fault.consumer: no Lambda consumer is called \"nope\"",
        ),
        (
            r#"{"action": "lambda_errors", "percent": 5, "duration_s": 60, "consumer": "ecs"}"#,
            "events[1].fault.consumer: no Lambda consumer is called \"ecs\"",
        ),
        (
            r#"{"action": "throttle_put", "percent": 5, "duration_s": 60, "consumer": "fn"}"#,
            "events[1].fault.consumer: takes the name of a Lambda consumer, for lambda_errors only",
        ),
    ] {
        let err = with(fault).expect_err(fault);
        assert!(err.starts_with(says), "{err}");
    }
    // Unknown fields and actions are refused, and so is a missing field; an event
    // needs something to do.
    for (bad, says) in [
        (
            r#"{"action": "throttle_put", "percent": 5, "duration_s": 60, "extra": 1}"#,
            "events[1].fault.extra: is not a fault setting",
        ),
        (
            r#"{"action": "unplug", "percent": 5, "duration_s": 60}"#,
            "events[1].fault.action: takes throttle_put, throttle_get or lambda_errors",
        ),
        (
            r#"{"action": "throttle_put", "duration_s": 60}"#,
            "events[1].fault.percent: null is not accepted",
        ),
        (
            r#"{"action": "throttle_put", "percent": 2.5, "duration_s": 60}"#,
            "events[1].fault.percent: 2.5 is not accepted",
        ),
    ] {
        let err = with(bad).expect_err(bad);
        assert!(err.starts_with(says), "{err}");
    }
    let empty = Config::from_json(r#"{"events": [{"at_s": 5}]}"#).expect_err("empty");
    assert_eq!(empty.path, "events[0]");
}

#[test]
fn a_consumer_named_by_a_fault_must_exist_when_the_fault_starts() {
    // "fn" is replaced by "g" at 30 s: a burst on "fn" at 60 s names nobody.
    let json = r#"{
        "consumers": [{"type": "lambda", "name": "fn"}],
        "events": [
            {"at_s": 30, "set": {"consumers": [{"type": "lambda", "name": "g"}]}},
            {"at_s": 60, "fault": {"action": "lambda_errors", "percent": 50, "duration_s": 60, "consumer": "fn"}}
        ]
    }"#;
    let err = Config::from_json(json).expect_err("fn is gone by then");
    assert_eq!(err.path, "events[1].fault.consumer");
    let fine = json.replace(r#""consumer": "fn""#, r#""consumer": "g""#);
    assert!(Config::from_json(&fine).is_ok());
}

#[test]
fn a_config_with_faults_goes_back_and_forth_through_json() {
    let config = config(PUT, 1);
    let again = Config::from_json(&config.to_json()).expect("round trip");
    assert_eq!(again, config);
    // An event without a fault writes none.
    let plain = r#"{"events": [{"at_s": 5, "set": {"stream.shards": 3}}]}"#;
    let plain = Config::from_json(plain).expect("valid");
    assert!(!plain.to_json().contains("fault"));
}
