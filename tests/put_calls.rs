//! PutRecords calls, the samples CloudWatch's IncomingRecords and IncomingBytes are
//! averaged over: each instance sends, every second it has records, as few calls of at
//! most 500 records as hold them.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::{Config, Simulation};

/// Calls made over the first `seconds` of `config`, and the records written.
fn calls(config: &str, seconds: u64) -> (u64, u64) {
    let mut sim = Simulation::new(Config::from_json(config).expect("valid")).expect("valid");
    let (mut calls, mut written) = (0, 0);
    while sim.now_ms() < seconds * 1_000 {
        sim.step();
        calls += sim.metrics().put_calls;
        written += sim.metrics().incoming_records;
    }
    (calls, written)
}

#[test]
fn each_instance_sends_its_second_in_calls_of_500_records_at_most() {
    // Four instances at 250 records/s: one call each a second, 4 a second in all, so an
    // IncomingRecords Average (per call) of 250.
    let config = r#"{"producers": [{"name": "p", "instances": 4, "records_per_sec": 250}]}"#;
    let (n, written) = calls(config, 60);
    assert_eq!(n, 240);
    assert_eq!(written, 60_000);
    // One instance at 1,800 records/s (under 2 shards' 2,000): ceil(1,800 / 500) = 4.
    let one = r#"{"producers": [{"name": "p", "instances": 1, "records_per_sec": 1800}]}"#;
    assert_eq!(calls(one, 60).0, 240);
    // The same with 5-second ticks: the calls are per second whatever the tick.
    let coarse = r#"{"tick_s": 5,
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1800}]}"#;
    assert_eq!(calls(coarse, 60).0, 240);
}

#[test]
fn retries_are_sent_in_calls_too() {
    // 3,000 new records/s offered to 2 shards that take 2,000, 3 attempts a record. In
    // the steady state a second's attempts `a` carry a fraction q = 1 − 2,000 / a of
    // refusals, and each new record is tried 1 + q + q² times: a = 3,000 (1 + q + q²),
    // about 6,510 attempts a second, so ceil(a / 500) = 14 calls a second.
    let mut a: f64 = 3_000.0;
    for _ in 0..100 {
        let q = 1.0 - 2_000.0 / a;
        a = 3_000.0 * (1.0 + q + q * q);
    }
    let per_second = (a / 500.0).ceil() as u64;
    assert_eq!(per_second, 14, "{a}");
    let config = r#"{"producers": [{"name": "p", "instances": 1, "records_per_sec": 3000}]}"#;
    let (first, _) = calls(config, 60);
    let (all, _) = calls(config, 120);
    // The second minute is steady: 14 calls a second, give or take one now and then.
    let steady = all - first;
    assert!(
        (60 * (per_second - 1)..=60 * per_second).contains(&steady),
        "{steady}"
    );
}
