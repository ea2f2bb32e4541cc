//! KPL aggregation against numbers worked out by hand from its documented rules: the
//! 1,000 records/s limit counts Kinesis records, bytes count in full, a Kinesis record
//! holds what fits in `aggregation_max_bytes` (51,200 B: 20 B of magic and MD5, then
//! data, key and 8 B of framing per user record) or what one instance sends the shard in
//! `record_max_buffered_time_ms`, whichever is fewer. Every run is watched: the ledgers
//! (in Kinesis records) and the limits are checked at every tick.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::report;
use common::watch::Watched;
use kinesis_playground::model::routing::{EvenLayout, KeySet};
use kinesis_playground::model::Config;
use kinesis_playground::share::report::summary;

fn sim(json: &str) -> Watched {
    let config = Config::from_json(json).unwrap_or_else(|e| panic!("{e}\n{json}"));
    Watched::new(config)
}

/// Producer "gauge" with `n` records/s of 100 B on ten keys ("gauge-0" … "gauge-9",
/// 7 B each: a user record counts 107 B) from one instance; `kpl` turns aggregation on.
fn gauges(shards: u32, n: u32, kpl: bool, consumers: &str) -> String {
    format!(
        r#"{{"stream": {{"shards": {shards}}},
            "producers": [{{"name": "gauge", "records_per_sec": {n}, "record_bytes": 100,
                            "distinct_keys": 10, "aggregation": {kpl},
                            "retry": {{"max_attempts": 10}}}}],
            "consumers": [{consumers}]}}"#
    )
}

/// A full aggregate of 107-byte user records: (51,200 − 20) / (107 + 8) = 445.04.
const FULL: u64 = 445;
/// Its bytes: 20 + the key "a" + 445 × 115.
const FULL_BYTES: u64 = 21 + FULL * 115;

#[test]
fn five_thousand_small_records_fit_one_shard_aggregated_and_need_five_without() {
    // The ten keys fall two on each of five shards: exactly 1,000 records/s each.
    let split = KeySet::new("gauge", 10, 0.0).shard_weights(&EvenLayout::new(5));
    assert!(split.iter().all(|&w| (w - 0.2).abs() < 1e-12), "{split:?}");

    // Aggregated: 5,000 / 445 = 11.2 Kinesis records/s of 51,196 B = 575 KB/s, well
    // under both limits of one shard.
    let mut packed = sim(&gauges(1, 5_000, true, ""));
    packed.run_for(600);
    let t = packed.totals();
    assert_eq!(t.throttled, 0);
    // Each shard's rate is counted in 600ths of a record a second (to the nearest):
    // within 5 shards × 600 s / 1,200 = 2.5 records of 3,000,000 / 445 in 10 minutes.
    assert!(
        (t.accepted as f64 - 3_000_000.0 / FULL as f64).abs() <= 2.5,
        "{t:?}"
    );
    assert_eq!(t.user_records_put, t.accepted * FULL);
    assert!(t.user_records_put.abs_diff(3_000_000) < 3 * FULL, "{t:?}");
    assert_eq!(t.user_records_produced, t.user_records_put);

    // One record each: one shard takes 1,000 a second and refuses the rest …
    let mut single = sim(&gauges(1, 5_000, false, ""));
    single.run_for(600);
    let t = single.totals();
    assert_eq!(t.accepted, 600_000);
    assert!(t.throttled > 4 * 600_000, "{t:?}");
    assert_eq!(t.user_records_put, t.accepted);
    // … four shards cannot take 5,000 (4 × 1,000) …
    let mut four = sim(&gauges(4, 5_000, false, ""));
    four.run_for(600);
    assert!(four.totals().throttled > 0);
    // … and five take everything.
    let mut five = sim(&gauges(5, 5_000, false, ""));
    five.run_for(600);
    let t = five.totals();
    assert_eq!((t.throttled, t.accepted), (0, 3_000_000));
}

#[test]
fn the_aws_example_a_thousand_512_byte_records_make_ten_of_fifty_kb() {
    // 1,000 records/s of 512 B from one instance: 100 wait in 100 ms, but a Kinesis
    // record holds (51,200 − 20) / (519 + 8) = 97.1 → 97 of them: 10.3 Kinesis records/s
    // of 21 + 97 × 527 = 51,140 B (AWS: "10 Kinesis records of about 50 KB").
    let mut s = sim(r#"{"stream": {"shards": 1},
        "producers": [{"name": "gauge", "records_per_sec": 1000, "record_bytes": 512,
                       "distinct_keys": 10, "aggregation": true}], "consumers": []}"#);
    s.run_for(600);
    let t = s.totals();
    // 1,000 / 97 = 10.309 records/s, counted as 6,186 600ths of a record a second.
    assert_eq!(t.accepted, 6_186);
    let per_s = t.accepted as f64 / 600.0;
    assert!((per_s - 10.3).abs() < 0.05, "{per_s}");
    let per_record = s.metrics().incoming_bytes as f64 / s.metrics().incoming_records as f64;
    assert!((per_record - 51_140.0).abs() < 1.0, "{per_record}");
    let f = s.aggregation()[0];
    assert!(
        (f.user_records_per_kinesis_record - 97.0).abs() < 1e-9,
        "{f:?}"
    );
    // 97 fill in 97 ms: under the 100 ms deadline, so the wait is at most 97 ms.
    assert!(
        (f.extra_delay_ms_max - 97.0).abs() < 1e-9 && (f.extra_delay_ms_mean - 48.5).abs() < 1e-9
    );
}

#[test]
fn put_units_and_ingest_kib_are_per_kinesis_record() {
    // Aggregated: about 6,742 Kinesis records of 51,196 B in 10 minutes, each 2 PUT payload
    // units (25,600 B each) and 50 KiB billed; one record each: 3,000,000 records of
    // 107 B, 1 unit and 1 KiB each.
    let mut packed = sim(&gauges(1, 5_000, true, ""));
    packed.run_for(600);
    let mut single = sim(&gauges(5, 5_000, false, ""));
    single.run_for(600);
    let units = |s: &Watched| s.spend().data_in / 0.014 * 1e6;
    assert_eq!(FULL_BYTES.div_ceil(25_600), 2);
    let kinesis_records = packed.totals().accepted;
    assert!((kinesis_records as f64 - 3_000_000.0 / FULL as f64).abs() <= 2.5);
    assert!(
        (units(&packed) - 2.0 * kinesis_records as f64).abs() < 1e-3,
        "{}",
        units(&packed)
    );
    assert!(
        (units(&single) - 3_000_000.0).abs() < 1e-3,
        "{}",
        units(&single)
    );
    assert_eq!(
        packed.totals().billed_kib,
        kinesis_records * FULL_BYTES.div_ceil(1_024)
    );
    assert_eq!(single.totals().billed_kib, 3_000_000);
}

#[test]
fn a_shorter_buffered_time_packs_fewer_records() {
    // 1,000 records/s from four instances: 250 each. In 100 ms an instance gathers 25
    // (40 Kinesis records/s); in 10 ms 2.5 (400 Kinesis records/s).
    let run = |ms: u32| {
        let mut s = sim(&format!(
            r#"{{"stream": {{"shards": 1}},
                "producers": [{{"name": "gauge", "instances": 4, "records_per_sec": 250,
                    "record_bytes": 100, "distinct_keys": 10, "aggregation": true,
                    "record_max_buffered_time_ms": {ms}}}], "consumers": []}}"#
        ));
        s.run_for(600);
        (s.totals(), s.aggregation()[0])
    };
    let (slow, slow_f) = run(100);
    let (fast, fast_f) = run(10);
    assert_eq!(slow.accepted, 24_000);
    assert_eq!(fast.accepted, 240_000);
    // (25.000… user records per Kinesis record in floating point: one may be short.)
    assert!(600_000 - slow.user_records_put <= 1 && 600_000 - fast.user_records_put <= 1);
    // The deadline is the wait: up to 100 ms (50 on average) against 10 (5).
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(close(slow_f.extra_delay_ms_max, 100.0) && close(slow_f.extra_delay_ms_mean, 50.0));
    assert!(close(fast_f.extra_delay_ms_max, 10.0) && close(fast_f.extra_delay_ms_mean, 5.0));
}

#[test]
fn kcl_works_in_user_records_and_processes_every_one_put() {
    // 5,000 user records/s packed into 11.2 Kinesis records/s. One task processing
    // 2,500 user records/s falls behind by half (in Kinesis records it could take 11).
    let kcl = |per_s: u32| {
        format!(
            r#"{{"type": "kcl", "name": "k", "tasks": 1, "records_per_sec_per_task": {per_s}}}"#
        )
    };
    let mut slow = sim(&gauges(1, 5_000, true, &kcl(2_500)));
    slow.run_for(600);
    let r = report(&slow, "k");
    let users = r.processed_user_records.unwrap_or(0) as f64;
    // 2,500 a second from the first poll on (within the first second's work).
    assert!(
        (users - 2_500.0 * 600.0).abs() < 2_500.0 + FULL as f64,
        "{users}"
    );
    assert!(
        (r.ledger.processed as f64 - users / FULL as f64).abs() <= 1.0,
        "{r:?}"
    );

    // Producers stop at 600 s; by 700 s a task taking 6,000 a second has processed every user record
    // put, and the ledger (in Kinesis records) balances as always.
    let mut json = gauges(1, 5_000, true, &kcl(6_000));
    json.insert_str(
        json.len() - 1,
        r#", "events": [{"at_s": 600, "set": {"producers.gauge.records_per_sec": 0}}]"#,
    );
    let mut s = sim(&json);
    s.run_for(700);
    let r = report(&s, "k");
    let t = s.totals();
    assert_eq!(r.processed_user_records, Some(t.user_records_put));
    assert_eq!(t.user_records_put, t.user_records_produced);
    assert_eq!(r.ledger.processed, t.accepted);
}

#[test]
fn user_records_read_piece_by_piece_add_up_to_those_put() {
    // 3,000 user records/s of 200 B over 5,000 keys on 2 shards: 1,500 a shard a second,
    // 150 in each 100 ms, so aggregates of 75 on average whose counts vary from second
    // to second. A KCL application reading every 1.5 s counts each exactly once.
    let json = r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "records_per_sec": 3000, "record_bytes": 200,
                       "distinct_keys": 5000, "aggregation": true}],
        "consumers": [{"type": "kcl", "name": "k", "tasks": 2,
                       "records_per_sec_per_task": 100000}],
        "events": [{"at_s": 3000, "set": {"producers.p.records_per_sec": 0}}]}"#;
    let mut s = sim(json);
    s.run_for(3_100);
    let t = s.totals();
    assert!((t.user_records_put as f64 - 9e6).abs() <= 2.0, "{t:?}");
    let r = report(&s, "k");
    assert_eq!(r.ledger.processed, t.accepted);
    assert_eq!(r.processed_user_records, Some(t.user_records_put));
}

#[test]
fn lambda_counts_kinesis_records_unless_it_deaggregates() {
    // Batches of 10 Kinesis records; 20 ms an invocation plus 1 ms a record.
    let lambda = |deaggregate: bool| {
        format!(
            r#"{{"type": "lambda", "name": "f", "batch_size": 10, "timeout_s": 900,
                "deaggregate": {deaggregate}}}"#
        )
    };
    // Without de-aggregation a full batch takes 20 + 10 = 30 ms: it keeps up.
    let mut plain = sim(&gauges(1, 5_000, true, &lambda(false)));
    plain.run_for(600);
    let r = report(&plain, "f");
    assert!(plain.totals().accepted - r.ledger.processed <= 12, "{r:?}");
    // De-aggregating, a batch of 10 Kinesis records is 4,450 user records: 4,470 ms.
    // One invocation at a time: 10 Kinesis records per 4.47 s.
    let mut deagg = sim(&gauges(1, 5_000, true, &lambda(true)));
    deagg.run_for(600);
    let r = report(&deagg, "f");
    let expected = 600_000.0 / 4_470.0 * 10.0;
    assert!(
        (r.ledger.processed as f64 - expected).abs() <= 20.0,
        "{r:?} vs {expected}"
    );
    let users = r.processed_user_records.unwrap_or(0) as f64;
    assert!(
        (users - expected * FULL as f64).abs() <= 20.0 * FULL as f64,
        "{users}"
    );
}

#[test]
fn one_and_five_second_ticks_give_the_same_totals() {
    // Under the limit (quiet shards) and over it (50,000 user records/s: 112 Kinesis
    // records/s of 51 KB, 5.8 MB/s into one shard: the bytes limit throttles).
    for n in [5_000, 50_000] {
        let totals = |tick: u32| {
            let mut json = gauges(1, n, true, r#"{"type": "kcl", "name": "k", "tasks": 1}"#);
            json.insert_str(json.len() - 1, &format!(r#", "tick_s": {tick}"#));
            let mut s = sim(&json);
            s.run_for(600);
            (s.totals(), report(&s, "k").processed_user_records)
        };
        let ((one, k1), (five, k5)) = (totals(1), totals(5));
        assert_eq!(one.accepted, five.accepted, "{n}");
        assert_eq!(one.user_records_put, five.user_records_put, "{n}");
        let (a, b) = (k1.unwrap_or(0) as f64, k5.unwrap_or(0) as f64);
        assert!((a - b).abs() <= 5_000.0, "{n}: {a} vs {b}");
        if n == 50_000 {
            assert!(
                one.throttled > 0
                    && (one.throttled as f64 - five.throttled as f64).abs()
                        < 0.01 * one.throttled as f64
            );
        }
    }
}

#[test]
fn the_summary_reports_user_records_only_when_aggregation_is_in_play() {
    let mut s = sim(&gauges(1, 5_000, true, ""));
    s.run_for(60);
    let json = summary(&s);
    let t = s.totals();
    assert_eq!(json["kpl"]["user_records_put"], t.user_records_put);
    assert_eq!(json["kpl"]["kinesis_records_put"], t.accepted);
    // 445 of the 500 an instance sends in 100 ms fill an aggregate: 89 ms.
    let longest = json["kpl"]["producers"][0]["figures"]["extra_delay_ms_max"].as_f64();
    assert!((longest.unwrap_or(0.0) - 89.0).abs() < 1e-9, "{json}");
    let mut plain = sim(&gauges(1, 5_000, false, ""));
    plain.run_for(60);
    assert!(summary(&plain).get("kpl").is_none());
}
