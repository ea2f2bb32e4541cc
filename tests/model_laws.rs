//! The model against laws that can be worked out by hand. Every run here is watched:
//! both ledgers, the per-tick sums, ages and limits are checked at every tick
//! (`common/watch.rs`), so each test states only what its own law adds.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::report;
use common::watch::Watched;
use kinesis_playground::model::routing::{EvenLayout, KeySet};
use kinesis_playground::model::Config;

fn sim(json: &str) -> Watched {
    let config = Config::from_json(json).unwrap_or_else(|e| panic!("{e}\n{json}"));
    Watched::new(config)
}

/// The share of producer `name`'s records (`keys` evenly used keys) each of `shards` takes.
fn shares(name: &str, keys: u32, shards: u32) -> Vec<f64> {
    KeySet::new(name, keys, 0.0).shard_weights(&EvenLayout::new(shards))
}

#[test]
fn iterator_age_grows_at_one_minus_f_then_records_expire_at_the_rate_difference() {
    // 1,000 records/s in; a KCL consumer processing 600/s: f = 0.6.
    let mut s = sim(r#"{
        "stream": {"shards": 2, "retention_hours": 24},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1000, "distinct_keys": 1000}],
        "consumers": [{"type": "kcl", "name": "slow", "tasks": 2, "records_per_sec_per_task": 300}]
    }"#);
    // The keys split 50.1 % / 49.9 %: the busier shard takes 501 records/s, of which its
    // task processes 300, so its age grows at 1 − 300/501 s a second.
    let split = shares("p", 1_000, 2);
    let busier = 1_000.0 * split[0].max(split[1]);
    assert_eq!(busier.round(), 501.0);
    s.run_for(36_000);
    let age = report(&s, "slow").final_iterator_age_ms as f64;
    let expected = 36_000_000.0 * (1.0 - 300.0 / busier);
    // Within one poll interval (1.5 s) of the closed form.
    assert!((age - expected).abs() <= 1_500.0, "age {age} vs {expected}");

    // Past retention each shard loses what its task cannot take: the busier one from
    // 24 h / (1 − 300/501) ≈ 59.8 h, the other from 24 h / (1 − 300/499) ≈ 60.2 h, so
    // from 61 h to 62 h (501 − 300) + (499 − 300) = 400 records expire each second.
    s.run_for(61 * 3_600 - 36_000);
    let before = report(&s, "slow").ledger.expired;
    s.run_for(3_600);
    let r = report(&s, "slow");
    assert_eq!(r.ledger.expired - before, 400 * 3_600);
    assert_eq!(r.max_iterator_age_ms, 86_400_000);
}

#[test]
fn a_shard_never_accepts_more_than_its_limit() {
    let mut s = sim(r#"{
        "stream": {"shards": 3},
        "producers": [{"name": "p", "instances": 10, "records_per_sec": 900, "distinct_keys": 3000}],
        "consumers": []
    }"#);
    for t in 1..=600 {
        s.step();
        let m = s.metrics();
        assert!(m.incoming_records <= 3_000);
        assert!(s.shard_utilisation().iter().all(|&u| u <= 1.0));
        // Saturated: every shard at its limit every second once retries pile up.
        if t >= 60 {
            assert_eq!(m.incoming_records, 3_000, "at {t} s");
        }
    }
    assert!(s.totals().throttled > 0);
    assert!(
        s.totals().dropped_by_producer > 0,
        "sustained overload must drop"
    );
}

#[test]
fn byte_limit_binds_for_large_records() {
    let mut s = sim(r#"{
        "stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 900, "record_bytes": 4096}],
        "consumers": []
    }"#);
    // 1 MiB / (4,096 + a 10-byte mean key) = 255.4 records per second on average; one
    // second takes 255 or 256, and never more than one record beyond the limit.
    let mut bytes = 0;
    for _ in 0..600 {
        s.step();
        let m = s.metrics();
        assert!(
            m.incoming_bytes <= 1_048_576 + 4_106,
            "{}",
            m.incoming_bytes
        );
        assert!(
            (255..=256).contains(&m.incoming_records),
            "{}",
            m.incoming_records
        );
        bytes += m.incoming_bytes;
    }
    assert!(bytes.abs_diff(600 * 1_048_576) <= 4_106, "{bytes}");
}

#[test]
fn a_single_hot_key_is_capped_at_one_shard_whatever_the_shard_count() {
    for shards in [1, 4, 16] {
        let mut s = sim(&format!(
            r#"{{
            "stream": {{"shards": {shards}}},
            "producers": [{{"name": "p", "instances": 1, "records_per_sec": 5000, "distinct_keys": 1}}],
            "consumers": []
        }}"#
        ));
        s.run_for(120);
        assert_eq!(s.metrics().incoming_records, 1_000, "{shards} shards");
        let busy = s.shard_utilisation().iter().filter(|&&u| u > 0.0).count();
        assert_eq!(busy, 1);
    }
}

#[test]
fn standard_consumers_share_two_mib_per_shard_and_enhanced_ones_do_not() {
    // One shard written at 1 MiB/s: three standard KCL apps want 3 MiB/s of it.
    let mut s = sim(r#"{
        "stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1000, "record_bytes": 1000}],
        "consumers": [
            {"type": "kcl", "name": "a", "tasks": 1, "records_per_sec_per_task": 100000},
            {"type": "kcl", "name": "b", "tasks": 1, "records_per_sec_per_task": 100000},
            {"type": "kcl", "name": "c", "tasks": 1, "records_per_sec_per_task": 100000},
            {"type": "kcl", "name": "efo", "fan_out": "enhanced", "tasks": 1,
             "records_per_sec_per_task": 100000}
        ]
    }"#);
    let mut shared_bytes = 0;
    let mut efo_bytes = 0;
    let mut written = 0;
    for _ in 0..600 {
        s.step();
        let m = s.metrics();
        shared_bytes += m.consumers[..3].iter().map(|c| c.bytes_read).sum::<u64>();
        efo_bytes += m.consumers[3].bytes_read;
        written += m.incoming_bytes;
    }
    // The three want 3 MiB/s and share 2 MiB/s on average: every second's allowance is
    // used, and one 10 MiB call of overdraft at most is read ahead of it.
    let allowance: u64 = 600 * 2 * 1_048_576;
    assert!(
        shared_bytes.abs_diff(allowance) <= 10 * 1_048_576,
        "{shared_bytes} vs {allowance}"
    );
    assert!(s.totals().read_throttled > 0);
    assert_eq!(
        report(&s, "efo").behind,
        0,
        "enhanced fan-out keeps up on its own pipe"
    );
    assert_eq!(efo_bytes, written, "it read every byte written");
    let behind: u64 = ["a", "b", "c"].iter().map(|n| report(&s, n).behind).sum();
    assert!(behind > 100_000, "{behind}");
}

#[test]
fn lambda_concurrency_is_shards_times_pf_capped_by_reserved_concurrency() {
    let load = r#""producers": [{"name": "p", "instances": 10, "records_per_sec": 900, "distinct_keys": 10000}]"#;
    let slow = r#""batch_size": 10, "ms_per_record": 50"#;
    let mut free = sim(&format!(
        r#"{{"stream": {{"shards": 10}}, {load},
        "consumers": [{{"type": "lambda", "name": "f", "parallelization_factor": 3, {slow}}}]}}"#
    ));
    free.run_for(120);
    assert_eq!(report(&free, "f").max_concurrency, Some(30));
    assert_eq!(free.metrics().consumers[0].throttles, 0);

    let mut capped = sim(&format!(
        r#"{{"stream": {{"shards": 10}}, {load},
        "consumers": [{{"type": "lambda", "name": "f", "parallelization_factor": 3,
                        "reserved_concurrency": 12, {slow}}}]}}"#
    ));
    capped.run_for(120);
    assert_eq!(report(&capped, "f").max_concurrency, Some(12));
    assert!(capped.metrics().consumers[0].throttles > 0);
}

#[test]
fn a_lease_cap_leaves_shards_unread() {
    let mut s = sim(r#"{
        "stream": {"shards": 4},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 400, "distinct_keys": 4000}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2, "max_leases_per_worker": 1,
                       "records_per_sec_per_task": 5000}]
    }"#);
    s.run_for(600);
    let m = s.metrics();
    assert_eq!(m.consumers[0].unread_shards, 2);
    assert_eq!(m.consumers[0].idle_tasks, 0);
    let r = report(&s, "ecs");
    // Leases go round-robin in shard order: shards 0 and 1 are read, and what they took
    // is processed but for at most one poll interval (1.5 s × 400/s) of it.
    let split = shares("p", 4_000, 4);
    let read = (r.ledger.accepted as f64 * (split[0] + split[1])).round() as u64;
    assert!(
        r.ledger.processed <= read + 2 && r.ledger.processed + 600 >= read,
        "{r:?}: the read shards took {read}"
    );
    // The unread shards still hold the first second's records.
    assert_eq!(r.final_iterator_age_ms, 600_000);
}

#[test]
fn tasks_beyond_the_shard_count_sit_idle() {
    let mut s = sim(r#"{
        "stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 400}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 5}]
    }"#);
    s.run_for(60);
    assert_eq!(s.metrics().consumers[0].idle_tasks, 3);
}

#[test]
fn occasional_bursts_are_retried_into_the_stream_without_loss() {
    // 1,200/s for 20 s every 10 minutes on one shard: retries land in the quiet time.
    let mut s = sim(r#"{
        "stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 500,
                       "retry": {"max_attempts": 10},
                       "shape": {"type": "surge", "every_s": 600, "duration_s": 20, "multiplier": 2.4}}],
        "consumers": [{"type": "lambda", "name": "f"}]
    }"#);
    s.run_for(3_600);
    let t = s.totals();
    assert!(t.throttled > 0);
    assert_eq!(t.dropped_by_producer, 0);
    assert_eq!(s.pending_retry(), 0);
    assert_eq!(t.accepted, t.produced);
}

#[test]
fn resharding_steps_by_at_most_double_and_lambda_follows() {
    let mut s = sim(r#"{
        "stream": {"shards": 2, "reshard_step_s": 120},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1000, "distinct_keys": 10000}],
        "consumers": [{"type": "lambda", "name": "f"}],
        "events": [{"at_s": 600, "set": {"stream.shards": 10}}]
    }"#);
    s.run_for(600);
    assert_eq!(report(&s, "f").max_concurrency, Some(2));
    let mut seen = vec![s.open_shards()];
    for _ in 0..600 {
        s.step();
        if seen.last() != Some(&s.open_shards()) {
            seen.push(s.open_shards());
        }
        if s.now_ms() == 650_000 {
            assert_eq!(
                s.reshard_progress()
                    .map(kinesis_playground::teach::reshard::status)
                    .as_deref(),
                Some("resharding 2 → 10")
            );
        }
    }
    assert_eq!(seen, vec![2, 4, 8, 10]);
    assert_eq!(s.reshard_progress(), None);
    assert_eq!(report(&s, "f").max_concurrency, Some(10));
    assert_eq!(s.metrics().consumers[0].concurrency, 10);
    assert_eq!(report(&s, "f").behind, 0);
}

#[test]
fn at_most_the_allowed_reshards_per_day() {
    let mut s = sim(r#"{
        "stream": {"shards": 1, "reshard_step_s": 60, "max_reshards_per_day": 2},
        "producers": [], "consumers": [],
        "events": [{"at_s": 0, "set": {"stream.shards": 16}}]
    }"#);
    s.run_for(3_600);
    assert_eq!(s.open_shards(), 4, "two doublings, then the daily limit");
    s.run_for(86_400);
    assert_eq!(s.open_shards(), 16);
}

#[test]
fn lambda_errors_retry_forever_by_default_and_skip_when_limited() {
    let base = r#""stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}]"#;
    let mut blocked = sim(&format!(
        r#"{{{base}, "consumers": [{{"type": "lambda", "name": "f", "error_rate": 1.0}}]}}"#
    ));
    blocked.run_for(600);
    let r = report(&blocked, "f");
    assert_eq!(r.ledger.processed, 0);
    assert_eq!(r.ledger.skipped, 0);
    assert_eq!(r.behind, r.ledger.accepted);
    assert_eq!(r.final_iterator_age_ms, 600_000, "the shard is blocked");

    let mut limited = sim(&format!(
        r#"{{{base}, "consumers": [{{"type": "lambda", "name": "f", "error_rate": 1.0,
                                      "max_retry_attempts": 2}}]}}"#
    ));
    limited.run_for(600);
    let r = report(&limited, "f");
    // Every batch fails three times and is skipped: nothing is processed and at most
    // the batch under way (100 records, 1 s old) waits.
    assert_eq!(r.ledger.processed, 0);
    assert_eq!(r.ledger.skipped + r.behind, r.ledger.accepted);
    assert!(r.behind <= 100, "{r:?}");
    assert!(r.final_iterator_age_ms <= 1_000, "{r:?}");
}

#[test]
fn a_long_run_through_expiry_and_reshards_keeps_its_log_bounded() {
    // Watched every tick (ledgers, sums, ages) for 60 h: two reshards, a daily cycle and
    // a KCL application that falls behind until its records expire.
    let mut s = sim(r#"{
        "stream": {"shards": 2, "reshard_step_s": 300},
        "producers": [{"name": "p", "instances": 2, "records_per_sec": 450,
                       "shape": {"type": "daily", "peak_hour": 12, "trough": 0.2}}],
        "consumers": [
            {"type": "lambda", "name": "f", "ms_per_record": 4, "error_rate": 0.02, "max_retry_attempts": 2},
            {"type": "kcl", "name": "ecs", "tasks": 1, "records_per_sec_per_task": 300}
        ],
        "events": [{"at_s": 40000, "set": {"stream.shards": 5}},
                   {"at_s": 80000, "set": {"stream.shards": 3}}]
    }"#);
    for _ in 0..60 * 3_600 {
        s.step();
        let (segments, shards) = (s.segments(), s.live_shards());
        assert!(
            segments <= kinesis_playground::model::log::MAX_SEGMENTS * shards,
            "{segments} segments in {shards} shards"
        );
    }
    assert!(report(&s, "ecs").ledger.expired > 0);
}

#[test]
fn live_cost_matches_a_hand_computed_hour() {
    // 1,000 records/s of 1 KiB on 1 shard; a Lambda (100-record batches of 20 + 50 ms at
    // 256 MB) and 2 Fargate tasks of 0.5 vCPU and 1 GB. Per hour: shard $0.015, PUT
    // units 3.6 M × $0.014/M = $0.0504, Lambda 36,000 × 0.07 s × 0.25 GB = 630 GB-s =
    // $0.0105 plus 36,000 requests = $0.0072, Fargate $0.04048 + 2 × $0.004445 = $0.04937.
    let mut s = sim(r#"{
        "stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1000, "record_bytes": 1000}],
        "consumers": [{"type": "lambda", "name": "f", "ms_per_record": 0.5},
                      {"type": "kcl", "name": "ecs", "tasks": 2}]
    }"#);
    s.run_for(600);
    assert_eq!(s.totals().throttled, 0);
    let rate = s.cost_per_hour();
    // To 1e-5: the Lambda figure alone differs (by about 1e-6), the minute's busy time
    // not being an exact multiple of a batch's.
    let near = |got: f64, want: f64| (got - want).abs() <= want * 1e-5;
    assert!(near(rate.capacity, 0.015), "{rate:?}");
    assert!(near(rate.data_in, 0.0504), "{rate:?}");
    assert!(near(rate.lambda, 0.0105 + 0.0072), "{rate:?}");
    assert!(near(rate.fargate, 0.04937), "{rate:?}");
    assert_eq!(rate.retention, 0.0);
    assert_eq!(rate.enhanced_fan_out, 0.0);
    assert!(near(rate.total(), 0.13247), "{}", rate.total());
    // Ten minutes accrue a sixth of that.
    assert!(
        near(s.spend().total(), 0.13247 / 6.0),
        "{}",
        s.spend().total()
    );
}

#[test]
fn kcl_autoscaling_tracks_records_per_task_with_cooldown() {
    let mut s = sim(r#"{
        "stream": {"shards": 8},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 4000, "distinct_keys": 8000}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 1, "records_per_sec_per_task": 1500,
                       "task_start_s": 60,
                       "autoscaling": {"enabled": true, "min_tasks": 1, "max_tasks": 10,
                                       "target_records_per_task": 800, "cooldown_s": 300}}],
        "events": [{"at_s": 1800, "set": {"producers.p.records_per_sec": 1000}}]
    }"#);
    s.run_for(60);
    assert_eq!(s.metrics().consumers[0].concurrency, 1);
    s.run_for(61);
    // Evaluated at 60 s: 4,000/s ÷ 800 = 5 tasks, running a minute later.
    assert_eq!(s.metrics().consumers[0].concurrency, 5);
    s.run_for(1_600);
    assert!(report(&s, "ecs").final_iterator_age_ms < 5_000, "caught up");
    // Load drops to 1,000/s at 30 min. Scale-in waits for 15 minutes in a row below 90 %
    // of the target (minutes ending at 31, 32, … 45 min), then goes to 1,000 ÷ 800 → 2.
    s.run_for(2_690 - 1_721);
    assert_eq!(s.metrics().consumers[0].concurrency, 5);
    s.run_for(20);
    assert_eq!(s.metrics().consumers[0].concurrency, 2);
    assert_eq!(report(&s, "ecs").max_tasks, Some(5));
}
