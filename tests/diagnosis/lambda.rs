//! Findings about Lambda functions: the concurrency cap, failing and timed-out
//! invocations, reservations and the account's unreserved pool.

use kinesis_playground::model::consumer::ConsumerTick;
use kinesis_playground::model::diagnosis::{Cause, ConcurrencyCap, MoreShards, Why};
use kinesis_playground::model::{Simulation, TickMetrics};
use kinesis_playground::teach::{diagnose, Recent, Rule, Severity};

use super::support::*;

#[test]
fn lambda_at_its_concurrency_cap_while_records_wait() {
    let slow = json(
        r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 800}],
        "consumers": [{"type": "lambda", "name": "f", "ms_per_record": 5}]}"#,
    );
    let f = fires(Rule::LambdaConcurrencyCapped, slow.clone(), 600);
    assert_eq!(
        (f.severity, f.consumer.as_deref()),
        (Severity::Warning, Some("f"))
    );
    assert_eq!(
        f.message,
        "f: 2 concurrent executions, the cap set by shards × parallelization factor = 2. A batch of \
         100 records takes 520 ms (20 ms + 100 × 5 ms), so each shard is processed at up to 192 \
         records/s while 400 records/s arrive per shard: use a faster function or a higher \
         parallelization factor (now 1, at most 10), or add shards."
    );
    let f = fires_typed(Rule::LambdaConcurrencyCapped, slow, 600);
    let Cause::LambdaCapped(capped) = f.cause else {
        panic!("{f:#?}")
    };
    assert_eq!((capped.concurrency, capped.batch.records), (2, 100));
    assert_eq!(capped.batch.invocation_ms, 520);
    assert!(matches!(
        capped.cap,
        ConcurrencyCap::Shards {
            batches: 2,
            parallelization_factor: 1,
            more: MoreShards::Add,
            ..
        }
    ));
    let reserved = json(
        r#"{"stream": {"shards": 4},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1600}],
        "consumers": [{"type": "lambda", "name": "f", "ms_per_record": 5, "reserved_concurrency": 2}]}"#,
    );
    let f = fires(Rule::LambdaConcurrencyCapped, reserved, 600);
    assert_eq!(
        f.message,
        "f: 2 concurrent executions, the cap set by its reserved concurrency of 2; raise it, or use a \
         faster function. A batch of 100 records takes 520 ms (20 ms + 100 × 5 ms), so 2 batches at \
         a time process at most 385 records/s while 1,600 arrive."
    );
    quiet(Rule::LambdaConcurrencyCapped, preset("healthy"), 600);
}

#[test]
fn a_slow_function_is_blamed_not_the_read_limits() {
    // scenario-1: 500 records/s per shard; a 100-record batch takes 20 + 100 × 3.8 = 400 ms,
    // so one batch at a time per shard processes 250 records/s.
    watch(preset("scenario-1"), 600, 6 * 3_600, 600, |sim, found| {
        let t = sim.now_ms() / 1_000;
        for f in found {
            let m = f.message.to_lowercase();
            assert!(f.rule != Rule::SharedReadSaturated, "at {t} s: {f:#?}");
            assert!(!m.contains("fan-out"), "at {t} s: {f:#?}");
            assert!(!m.contains("getrecords"), "at {t} s: {f:#?}");
        }
        let f = found
            .iter()
            .find(|f| f.rule == Rule::LambdaConcurrencyCapped)
            .unwrap_or_else(|| panic!("at {t} s: {found:#?}"));
        for part in [
            "A batch of 100 records takes 400 ms (20 ms + 100 × 3.8 ms)",
            "up to 250 records/s while 500 records/s arrive per shard",
            "a faster function or a higher parallelization factor",
        ] {
            assert!(f.message.contains(part), "{part:?} not in {}", f.message);
        }
    });
}

#[test]
fn failing_invocations_point_at_retries_that_hold_the_shard() {
    let failing = r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 200}],
        "consumers": [{"type": "lambda", "name": "f", "error_rate": 0.3 MORE}]}"#;
    let f = fires(Rule::LambdaErrors, json(&failing.replace("MORE", "")), 300);
    assert_eq!(f.consumer.as_deref(), Some("f"));
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "f: 69 of 201 invocations failed in the last minute. Lambda retries a failed batch whole, and \
         the shard's later records wait behind it; with the default settings it retries until the \
         records expire. Set Batch retries (MaximumRetryAttempts) or Maximum record age \
         (MaximumRecordAgeInSeconds) so a failing batch cannot hold the shard, tick \"Split a \
         failing batch in two\" (BisectBatchOnFunctionError) to isolate bad records, and send what is given up to an on-failure destination (SQS, SNS or S3) to replay it later."
    );
    let limited = failing.replace(
        "MORE",
        r#", "max_retry_attempts": 0, "bisect_on_error": true"#,
    );
    let f = fires(Rule::LambdaErrors, json(&limited), 300);
    assert_eq!(f.severity, Severity::Loss);
    assert_eq!(
        f.message,
        "f: 92 of 308 invocations failed in the last minute. Lambda splits a failed batch in halves \
         and retries them, down to the failing records (a split uses no retry attempt), and the \
         shard's later records wait behind it; it gives a batch up after 0 retries. 4 records were \
         given up (skipped) in the last minute. Send what is given up to an on-failure destination \
         (SQS, SNS or S3) to replay it later."
    );
    quiet(Rule::LambdaErrors, preset("healthy"), 600);
}

#[test]
fn timeouts_name_the_timeout_and_what_a_batch_takes() {
    // A function whose 100-record batch takes 20 + 100 × 40 ms = 4 s against a 3 s
    // timeout: the counters of a minute in which 2 invocations a second timed out.
    let config = json(
        r#"{"stream": {"shards": 2},
        "consumers": [{"type": "lambda", "name": "f", "ms_per_record": 40, "timeout_s": 3}]}"#,
    );
    let mut sim = Simulation::new(config).expect("valid");
    sim.step();
    let mut recent = Recent::default();
    for s in 1..=60 {
        let tick = ConsumerTick {
            errors: 3,
            timeouts: 2,
            invocations: 3,
            ..ConsumerTick::default()
        };
        let m = TickMetrics {
            t_ms: s * 1_000,
            consumers: vec![tick],
            ..TickMetrics::default()
        };
        recent.add(&m, 1);
    }
    let found = diagnose(&sim, &recent);
    let f = about(&found, Rule::LambdaErrors, "f");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "f: 120 invocations timed out in the last minute and 60 more failed: the function's timeout \
         is 3 s and a full batch of 100 records takes about 4 s (20 ms + 100 × 40 ms). Use a smaller \
         batch, a faster function or a longer timeout (at most 900 s); a timed-out batch is retried \
         like any failed one."
    );
}

/// Two unreserved functions, each wanting 8 shards × PF 10 = 80 executions, sharing the
/// 100 the account leaves unreserved. A batch of 100 takes 2,020 ms, so 80 executions
/// process 3,960 records/s and either function alone keeps up with 3,000; sharing, they
/// get about 50 each, 2,475 records/s, and fall behind.
const SHARED_POOL: &str = r#"{"stream": {"shards": 8},
    "account": {"lambda_concurrency": 100},
    "producers": [{"name": "p", "instances": 6, "records_per_sec": 500}],
    "consumers": [
        {"type": "lambda", "name": "f", "parallelization_factor": 10, "ms_per_record": 20,
         "fan_out": "enhanced"},
        {"type": "lambda", "name": "g", "parallelization_factor": 10, "ms_per_record": 20,
         "fan_out": "enhanced"}]}"#;

#[test]
fn lambda_functions_sharing_a_small_unreserved_pool_are_throttled() {
    // The pool goes first come, first served and an execution passes from batch to
    // batch, so one function keeps what it took and the other falls behind.
    let found = run(json(SHARED_POOL), 900);
    not_healthy(&found);
    let who: Vec<(Rule, Option<&str>)> = found
        .iter()
        .map(|f| (f.rule, f.consumer.as_deref()))
        .collect();
    assert_eq!(
        who,
        vec![
            (Rule::FallingBehind, Some("f")),
            (Rule::LambdaThrottled, Some("g"))
        ],
        "{found:#?}"
    );
    for f in &found {
        says(
            &f.message,
            &[
                "invocations in the last minute: it has no reservation",
                "functions without a reservation share what reservations leave of \
                 account.lambda_concurrency (100 − 0 reserved = 100).",
                "It would run up to 80 concurrent batches",
                "account.lambda_concurrency of at least 180",
            ],
        );
        assert!(
            !f.message.contains("shards × parallelization factor ="),
            "{}",
            f.message
        );
    }
    // Between them the two hold the whole pool.
    for f in typed(json(SHARED_POOL), 900) {
        let Cause::Behind(behind) = &f.cause else {
            panic!("{f:#?}")
        };
        let Why::Pool(pool) = &behind.why else {
            panic!("{f:#?}")
        };
        assert_eq!(
            (pool.account, pool.reserved, pool.unreserved),
            (100, 0, 100)
        );
        assert_eq!(pool.batches_by_shards, 80);
        let sharing = pool.sharing.as_ref().expect("shared with the other");
        assert_eq!(sharing.others_held + sharing.held, 100, "{pool:?}");
        let other = if f.consumer.as_deref() == Some("f") {
            "g"
        } else {
            "f"
        };
        assert_eq!(sharing.others, vec![other.to_string()]);
    }
}

#[test]
fn a_function_reserved_at_zero_never_runs() {
    let config = json(
        r#"{"stream": {"shards": 2},
        "consumers": [{"type": "lambda", "name": "f", "reserved_concurrency": 0}]}"#,
    );
    let found = run(config, 300);
    not_healthy(&found);
    assert_eq!(rules(&found), vec![Rule::FallingBehind], "{found:#?}");
    let f = about(&found, Rule::FallingBehind, "f");
    assert_eq!(
        f.message,
        "f: its reserved concurrency is 0, so the function never runs: nothing is processed and every \
         record waits until the retention removes it (iterator age 5.0 min). Remove the reservation, \
         or reserve at least 2 (shards × parallelization factor)."
    );
}

#[test]
fn failing_functions_are_blamed_before_their_concurrency() {
    // Every batch times out (100 × 40 ms against 3 s), or holds a poison record: nothing
    // is processed, so no throughput may be claimed for the function.
    for (what, settings) in [
        ("timeouts", r#""ms_per_record": 40"#),
        ("poison", r#""ms_per_record": 5, "poison_rate": 0.05"#),
    ] {
        let config = json(&format!(
            r#"{{"stream": {{"shards": 2}},
            "producers": [{{"name": "p", "instances": 1, "records_per_sec": 1000}}],
            "consumers": [{{"type": "lambda", "name": "f", {settings}}}]}}"#
        ));
        let found = run(config, 600);
        assert_eq!(found[0].rule, Rule::LambdaErrors, "{what}: {found:#?}");
        for f in &found {
            assert!(f.rule != Rule::LambdaConcurrencyCapped, "{what}: {f:#?}");
            assert!(!f.message.contains("processed at up to"), "{what}: {f:#?}");
            assert!(
                !f.message.contains("parallelization factor"),
                "{what}: {f:#?}"
            );
        }
    }
}

#[test]
fn a_function_capped_by_a_shared_pool_is_told_so() {
    // g reserves 100 of an account of 200; f, without a reservation, could run 16 shards
    // × PF 10 = 160 batches but only 100 are left unreserved: the pool holds it back.
    let config = json(
        r#"{"stream": {"shards": 16},
            "account": {"lambda_concurrency": 200},
            "producers": [{"name": "p", "instances": 6, "records_per_sec": 500}],
            "consumers": [
                {"type": "lambda", "name": "f", "parallelization_factor": 10,
                 "ms_per_record": 40, "timeout_s": 10},
                {"type": "lambda", "name": "g", "reserved_concurrency": 100}]}"#,
    );
    let mut pool_named = 0;
    watch(config, 300, 1_500, 5, |sim, found| {
        let t = sim.now_ms() / 1_000;
        for f in found.iter().filter(|f| f.consumer.as_deref() == Some("f")) {
            assert!(
                !f.message.contains("shards × parallelization factor ="),
                "at {t} s: {f:#?}"
            );
            if f.message.contains("unreserved") {
                pool_named += 1;
            }
        }
    });
    assert!(pool_named > 200, "{pool_named}");
}

#[test]
fn fractional_rates_keep_their_decimal() {
    // One record per invocation, 2 s each: each shard is processed at 0.5 records/s
    // while 5 arrive.
    let config = json(
        r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 10}],
        "consumers": [{"type": "lambda", "name": "f", "batch_size": 1, "invocation_overhead_ms": 0,
                       "ms_per_record": 2000, "timeout_s": 10}]}"#,
    );
    let found = run(config, 600);
    let f = about(&found, Rule::LambdaConcurrencyCapped, "f");
    assert!(
        f.message
            .contains("up to 0.5 records/s while 5 records/s arrive per shard"),
        "{}",
        f.message
    );
    for f in &found {
        assert!(!f.message.contains("up to 0 records/s"), "{f:#?}");
    }
}

#[test]
fn with_bisect_a_failed_batch_is_split_not_retried_whole() {
    let failing = r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 200}],
        "consumers": [{"type": "lambda", "name": "f", "poison_rate": 0.01, "max_retry_attempts": 2
                       BISECT}]}"#;
    let f = fires(
        Rule::LambdaErrors,
        json(&failing.replace("BISECT", r#", "bisect_on_error": true"#)),
        300,
    );
    assert!(!f.message.contains("whole"), "{}", f.message);
    assert!(f.message.contains("in halves"), "{}", f.message);
    assert!(
        f.message.contains("down to the failing records"),
        "{}",
        f.message
    );
    let f = fires(
        Rule::LambdaErrors,
        json(&failing.replace("BISECT", "")),
        300,
    );
    assert!(
        f.message.contains("retries a failed batch whole"),
        "{}",
        f.message
    );
}

#[test]
fn one_execution_at_its_cap_reads_in_the_singular() {
    // 2,000 records/s offered to 1 shard: 1,000 are written, and a batch of 100 at
    // 20 ms + 100 × 1 ms processes 833 records/s.
    let config = r#"{"stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 2000}],
        "consumers": [{"type": "lambda", "name": "f", "ms_per_record": 1}]}"#;
    let f = fires(Rule::LambdaConcurrencyCapped, json(config), 900);
    assert!(
        f.message.starts_with(
            "f: 1 concurrent execution, the cap set by shards × parallelization factor = 1. A \
             batch of 100 records takes 120 ms (20 ms + 100 × 1 ms), so each shard is processed \
             at up to 833 records/s while 1,000 records/s arrive per shard"
        ),
        "{}",
        f.message
    );
}

#[test]
fn records_expiring_behind_a_poison_record_point_at_the_retries() {
    // One record in a thousand always fails; Lambda retries its batch until the records
    // expire (24 h), so the shard's later records expire too.
    let config = r#"{"stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
        "consumers": [{"type": "lambda", "name": "f", "poison_rate": 0.001}]}"#;
    let f = fires(Rule::RecordsExpired, json(config), 25 * 3_600);
    assert!(
        f.message.contains(
            "a failing batch holds its shard while Lambda retries it, so neither a faster \
             function nor more shards helps"
        ),
        "{}",
        f.message
    );
}
