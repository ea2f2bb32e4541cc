//! Every series under a CloudWatch name means what that metric means: a law per metric,
//! at settings off the defaults, its number worked out from the documented limits and
//! the model's stated choices. Every run is watched (`common/watch.rs`), so processed +
//! behind + expired + skipped = accepted at every tick.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../common/mod.rs"]
mod common;
mod run;
mod samples;

use common::report;
use kinesis_playground::model::reads::{CALL_BASE_MS, REFUSED_CALL_MS};
use kinesis_playground::model::Config;
use run::{near, Run};

/// Four shards, 2,000 records/s of 500 bytes; a KCL application with enhanced fan-out
/// and a Lambda function reading with `lambda_fan_out`.
/// One shard of 100 records/s read by three KCL applications polling every 200 ms:
/// they ask 15 GetRecords calls a second of a shard that answers 5.
pub const THREE_FAST_POLLERS: &str = r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100, "record_bytes": 100}],
            "consumers": [
              {"type": "kcl", "name": "a", "tasks": 1, "poll_interval_ms": 200},
              {"type": "kcl", "name": "b", "tasks": 1, "poll_interval_ms": 200},
              {"type": "kcl", "name": "c", "tasks": 1, "poll_interval_ms": 200}]}"#;

fn fan_out_run(lambda_fan_out: &str) -> Run {
    let mut run = Run::new(&format!(
        r#"{{"stream": {{"shards": 4}},
            "producers": [{{"name": "p", "instances": 1, "records_per_sec": 2000,
                           "record_bytes": 500, "distinct_keys": 4000}}],
            "consumers": [
              {{"type": "kcl", "name": "efo", "fan_out": "enhanced", "tasks": 4,
                "records_per_sec_per_task": 5000}},
              {{"type": "lambda", "name": "fn", "fan_out": "{lambda_fan_out}", "batch_size": 500}}]}}"#
    ));
    run.run_for(600);
    run
}

#[test]
fn enhanced_fan_out_traffic_is_in_subscribe_to_shard_event_and_never_in_get_records() {
    // Both consumers by enhanced fan-out: each gets every accepted record once, pushed;
    // no GetRecords call is made, so GetRecords.* stay at zero with no age or latency.
    let run = fan_out_run("enhanced");
    let incoming = run.sum("IncomingRecords", 60);
    let incoming_bytes = run.sum("IncomingBytes", 60);
    assert!(near(incoming, 2_000.0 * 540.0, 0.001), "{incoming}");
    assert_eq!(run.sum("GetRecords.Records", 0), 0.0);
    assert_eq!(run.sum("GetRecords.Bytes", 0), 0.0);
    assert_eq!(run.sum("GetRecords.Success", 0), 0.0);
    assert_eq!(run.datapoints("GetRecords.IteratorAgeMilliseconds", 0), 0);
    assert_eq!(run.datapoints("GetRecords.Latency", 0), 0);
    let pushed = run.sum("subscribe_records", 60);
    // CloudWatch's are per consumer: each got every record.
    for name in ["efo", "fn"] {
        let each = run.sum(&format!("{name}.SubscribeToShardEvent.Records"), 60);
        assert!(near(each, incoming, 0.01), "{name}: {each}");
    }
    assert!(
        near(pushed, 2.0 * incoming, 0.01),
        "{pushed} vs 2 × {incoming}"
    );
    let pushed_bytes = run.sum("subscribe_bytes", 60);
    assert!(near(pushed_bytes, 2.0 * incoming_bytes, 0.01));
    // Each enhanced consumer's MillisBehindLatest comes from its events: every tick,
    // within a tick of the tip; it has no GetRecords iterator age of its own.
    for name in ["efo", "fn"] {
        let behind = format!("{name}.SubscribeToShardEvent.MillisBehindLatest");
        assert_eq!(run.datapoints(&behind, 0), 600, "{name}");
        assert!(run.max(&behind, 60) <= 1_000.0, "{name}");
        let age = format!("{name}.GetRecords.IteratorAgeMilliseconds");
        assert_eq!(run.datapoints(&age, 0), 0, "{name}");
    }
    assert_eq!(
        run.col("efo.MillisBehindLatest", 0),
        run.col("efo.SubscribeToShardEvent.MillisBehindLatest", 0)
    );

    // The Lambda function polling instead: GetRecords.* hold exactly its reads (each
    // record returned once), and enhanced fan-out only the KCL application's.
    let run = fan_out_run("shared");
    let incoming = run.sum("IncomingRecords", 60);
    let returned = run.sum("GetRecords.Records", 60);
    assert!(near(returned, incoming, 0.01), "{returned} vs {incoming}");
    assert!(near(
        run.sum("GetRecords.Bytes", 60),
        run.sum("IncomingBytes", 60),
        0.01
    ));
    assert_eq!(run.datapoints("fn.SubscribeToShardEvent.Records", 0), 0);
    assert!(near(
        run.sum("efo.SubscribeToShardEvent.Records", 60),
        incoming,
        0.01
    ));
    assert_eq!(
        run.sum("fn.PolledEventCount", 0),
        run.sum("GetRecords.Records", 0)
    );
    assert_eq!(
        run.datapoints("fn.SubscribeToShardEvent.MillisBehindLatest", 0),
        0
    );
    assert_eq!(run.datapoints("GetRecords.IteratorAgeMilliseconds", 0), 600);
}

#[test]
fn get_records_counts_what_calls_returned_not_what_was_processed() {
    // A function that always fails, retried forever: the first call returns the 100
    // records of the first second, the batch of 100 is retried without end and the
    // poller, holding a batch, makes no other call. GetRecords returned 100 records;
    // none was processed.
    let mut run = Run::new(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
            "consumers": [{"type": "lambda", "name": "fn", "error_rate": 1.0}]}"#,
    );
    run.run_for(600);
    assert_eq!(run.sum("GetRecords.Records", 0), 100.0);
    assert_eq!(run.sum("fn.PolledEventCount", 0), 100.0);
    assert_eq!(run.sum("fn.processed", 0), 0.0);
    // With no call after the first second, the stream's iterator age has one datapoint.
    assert_eq!(run.datapoints("GetRecords.IteratorAgeMilliseconds", 0), 1);
    // Lambda's IteratorAge goes with each retry: the last record of the batch arrived
    // at 990 ms (100 records evenly over the first second), so a retry sent during the
    // last second (599–600 s) is 598,010–599,010 ms after it.
    let last = run.max("fn.IteratorAge", 599);
    assert!((598_010.0..=599_010.0).contains(&last), "{last}");
    // Each invocation of 20 ms + 100 × 1 ms: 1,000 / 120 ≈ 8.3 a second, all failed.
    let failed = run.sum("fn.FailedInvokeEventCount", 0);
    let invoked = run.sum("fn.InvokedEventCount", 0);
    assert!(near(invoked, 100.0 * 600_000.0 / 120.0, 0.01), "{invoked}");
    assert!(
        invoked - failed <= 100.0,
        "{invoked} invoked, {failed} failed"
    );
    assert_eq!(run.sum("fn.DroppedEventCount", 0), 0.0);
}

#[test]
fn a_shard_no_call_reads_gives_no_iterator_age_datapoint() {
    // A KCL application polling every 5 s at 1 s ticks: a call in one tick of five, so
    // 120 datapoints in 600 s; each returns what arrived since, under 1 s old at most
    // when the processor keeps up... and always within the 5 s the records waited.
    let mut run = Run::new(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
            "consumers": [{"type": "kcl", "name": "ecs", "tasks": 1, "poll_interval_ms": 5000}]}"#,
    );
    run.run_for(600);
    assert_eq!(run.datapoints("GetRecords.IteratorAgeMilliseconds", 0), 120);
    assert_eq!(run.datapoints("ecs.MillisBehindLatest", 0), 120);
    assert_eq!(run.datapoints("GetRecords.Latency", 0), 120);
    assert!(run.max("GetRecords.IteratorAgeMilliseconds", 0) <= 1_000.0);
    assert_eq!(
        run.datapoints("ecs.oldest_unprocessed_age_ms", 0),
        600,
        "every tick"
    );

    // One task holding at most one lease of four shards: three shards are never read.
    // The stream's GetRecords iterator age sees only the leased shard (within a poll
    // interval and a tick: 2.5 s), while the oldest unread record is 1,200 s old.
    let mut run = Run::new(
        r#"{"stream": {"shards": 4},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 400,
                           "distinct_keys": 4000}],
            "consumers": [{"type": "kcl", "name": "ecs", "tasks": 1,
                           "max_leases_per_worker": 1}]}"#,
    );
    run.run_for(1_200);
    let m = run.sim.metrics();
    assert_eq!((m.unread_shards, m.consumers[0].unread_shards), (3, 3));
    let aged = run
        .sim
        .shard_get_records()
        .filter(|(_, s)| s.behind_ms.is_some());
    assert!(aged.count() <= 1);
    assert_eq!(run.max("unread_shards", 0), 3.0);
    assert!(run.max("GetRecords.IteratorAgeMilliseconds", 0) <= 2_500.0);
    let truth = run.max("oldest_unprocessed_age_ms", 1_199);
    assert!((1_198_000.0..=1_200_000.0).contains(&truth), "{truth}");
    assert_eq!(m.iterator_age_ms as f64, truth);
}

#[test]
fn lambda_iterator_age_has_a_datapoint_only_when_a_batch_is_sent() {
    // 20 records/s, a 5 s batching window and room for 1,000 records: a batch goes when
    // the window since its oldest record ends, every 5 s.
    let mut run = Run::new(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 20}],
            "consumers": [{"type": "lambda", "name": "fn", "batch_size": 1000,
                           "batch_window_s": 5}],
            "events": [{"at_s": 600, "set": {"producers": []}}]}"#,
    );
    run.run_for(600);
    let batches = run.datapoints("fn.IteratorAge", 0);
    assert!(
        (100..=120).contains(&batches),
        "{batches} ticks with a batch"
    );
    // The ESM polls every second all the same: the stream's metric has every tick.
    assert_eq!(run.datapoints("GetRecords.IteratorAgeMilliseconds", 0), 600);
    // Sent as the window closes, the last record of a batch arrived in that tick.
    assert!(run.max("fn.IteratorAge", 0) <= 1_000.0);
    // A batch holds the 100 records that arrived evenly over its 5 s (mean arrival
    // 2,475 ms after the window opened); the model starts it at the start of the tick in
    // which the window closes (4,000 ms) and it runs 20 ms + 100 × 1 ms: done 1,645 ms
    // after its records arrived on average.
    let delays = run.col("fn.delivery_delay_ms", 0);
    let delays: Vec<f64> = delays.into_iter().filter(|v| !v.is_nan()).collect();
    assert_eq!(delays.len(), batches);
    assert!(
        delays.iter().all(|&d| (1_640.0..=1_650.0).contains(&d)),
        "{delays:?}"
    );
    // Idle after the producers go: no batch, no IteratorAge; the poller's empty calls
    // still report 0 ms behind.
    run.run_for(120);
    let from = 605;
    assert_eq!(run.datapoints("fn.IteratorAge", from), 0);
    assert_eq!(run.datapoints("fn.delivery_delay_ms", from), 0);
    assert_eq!(run.max("GetRecords.IteratorAgeMilliseconds", from), 0.0);
    assert_eq!(
        run.datapoints("GetRecords.IteratorAgeMilliseconds", from),
        115
    );
}

/// One shard of 100 records/s and a function that always fails, given up after 2
/// retries (3 attempts), with `on_failure` as the destination.
fn given_up(on_failure: &str) -> Run {
    let mut run = Run::new(&format!(
        r#"{{"stream": {{"shards": 1}},
            "producers": [{{"name": "p", "instances": 1, "records_per_sec": 100}}],
            "consumers": [{{"type": "lambda", "name": "fn", "error_rate": 1.0,
                           "max_retry_attempts": 2, "on_failure": "{on_failure}"}}]}}"#
    ));
    run.run_for(600);
    run
}

#[test]
fn dropped_event_count_is_what_retries_gave_up_unless_a_destination_took_it() {
    let run = given_up("none");
    let r = report(&run.sim, "fn");
    // A batch takes 3 × 120 ms to give up: 100 records per 360 ms keeps up with 100/s,
    // so all but the last second's records are given up; none processed.
    assert_eq!(r.ledger.processed, 0);
    assert!(r.ledger.skipped + 200 >= r.ledger.accepted, "{r:?}");
    assert_eq!(run.sum("fn.DroppedEventCount", 0), r.ledger.skipped as f64);
    assert_eq!(
        run.sum("fn.OnFailureDestinationDeliveredEventCount", 0),
        0.0
    );
    // Every given-up record was in three failed invocations.
    let failed = run.sum("fn.FailedInvokeEventCount", 0);
    let skipped = r.ledger.skipped as f64;
    assert!(
        failed >= 3.0 * skipped && failed <= 3.0 * skipped + 300.0,
        "{failed}"
    );
    assert_eq!(
        (r.ledger.kept_with_data, r.ledger.kept_metadata_only),
        (0, 0)
    );

    // S3 keeps the batches themselves; SQS and SNS only where they were.
    for (destination, with_data) in [("s3", true), ("sqs", false), ("sns", false)] {
        let run = given_up(destination);
        let r = report(&run.sim, "fn");
        assert!(r.ledger.skipped > 50_000, "{destination}: {r:?}");
        assert_eq!(run.sum("fn.DroppedEventCount", 0), 0.0);
        let delivered = run.sum("fn.OnFailureDestinationDeliveredEventCount", 0);
        assert_eq!(delivered, r.ledger.skipped as f64, "{destination}");
        let kept = if with_data {
            (r.ledger.skipped, 0)
        } else {
            (0, r.ledger.skipped)
        };
        assert_eq!(
            (r.ledger.kept_with_data, r.ledger.kept_metadata_only),
            kept,
            "{destination}"
        );
    }
}

#[test]
fn dropped_event_count_counts_records_too_old_but_never_those_retention_removed() {
    // Retried forever but given up at a maximum record age of 60 s: dropped.
    let mut run = Run::new(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
            "consumers": [{"type": "lambda", "name": "fn", "error_rate": 1.0,
                           "max_record_age_s": 60}]}"#,
    );
    run.run_for(600);
    let r = report(&run.sim, "fn");
    assert!(r.ledger.skipped > 50_000, "{r:?}");
    assert_eq!(run.sum("fn.DroppedEventCount", 0), r.ledger.skipped as f64);

    // Retried forever with no maximum age: the shard is blocked and retention removes
    // what arrived more than 24 h ago — 10 records/s for the first hour by 25 h, less the
    // batch of 100 held by the failing invocation until retention takes it too. None of
    // it is in DroppedEventCount.
    let mut run = Run::new(
        r#"{"tick_s": 10, "stream": {"shards": 1, "retention_hours": 24},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 10}],
            "consumers": [{"type": "lambda", "name": "fn", "error_rate": 1.0}]}"#,
    );
    run.run_for(25 * 3_600);
    let r = report(&run.sim, "fn");
    assert!(
        (35_800..=36_000).contains(&r.ledger.expired),
        "{} expired",
        r.ledger.expired
    );
    assert_eq!(r.ledger.skipped, 0);
    assert_eq!(run.sum("fn.DroppedEventCount", 0), 0.0);
    assert_eq!(run.sum("fn.expired", 0), r.ledger.expired as f64);
}

#[test]
fn get_records_latency_is_tens_of_ms_and_grows_with_refused_calls() {
    // Two shards of 500 records/s of 1,000 bytes polled by one function each second:
    // each call returns about 0.5 MB, 20 ms + 10 ms per MiB.
    let mut run = Run::new(
        r#"{"stream": {"shards": 2},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 1000,
                           "record_bytes": 1000, "distinct_keys": 2000}],
            "consumers": [{"type": "lambda", "name": "fn", "batch_size": 1000}]}"#,
    );
    run.run_for(600);
    assert_eq!(run.datapoints("GetRecords.Latency", 0), 600);
    let slowest = run.max("GetRecords.Latency", 0);
    assert!(
        slowest >= CALL_BASE_MS as f64 && slowest < 40.0,
        "{slowest}"
    );

    // Three KCL applications polling every 200 ms ask for 15 calls/s from a shard
    // that answers 5: ten refused calls at 520 ms and five answered at 20 ms average
    // (5 × 20 + 10 × 520) / 15 ≈ 353 ms.
    let mut run = Run::new(THREE_FAST_POLLERS);
    run.run_for(600);
    let latency = run.col("GetRecords.Latency", 60);
    let mean = latency.iter().sum::<f64>() / latency.len() as f64;
    let want = (5 * CALL_BASE_MS + 10 * REFUSED_CALL_MS) as f64 / 15.0;
    assert!(near(mean, want, 0.02), "{mean} vs {want}");
    assert!(near(run.sum("GetRecords.Success", 60), 5.0 * 540.0, 0.001));
}

#[test]
fn put_records_and_incoming_records_count_accepted_records_only() {
    // 2,500 records/s offered to one shard that accepts 1,000: IncomingRecords and
    // PutRecords.SuccessfulRecords are the 1,000, throttled ones are the rest's attempts.
    let mut run = Run::new(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 2500,
                           "retry": {"max_attempts": 1}}],
            "consumers": []}"#,
    );
    run.run_for(300);
    assert_eq!(run.sum("IncomingRecords", 0), 300_000.0);
    assert_eq!(
        run.col("PutRecords.SuccessfulRecords", 0),
        run.col("IncomingRecords", 0)
    );
    assert_eq!(run.sum("PutRecords.ThrottledRecords", 0), 450_000.0);
    assert_eq!(
        run.col("PutRecords.ThrottledRecords", 0),
        run.col("WriteProvisionedThroughputExceeded", 0)
    );
    assert_eq!(run.sim.totals().accepted, 300_000);
    // With no consumer every shard is unread, and no GetRecords datapoint exists.
    assert_eq!(run.max("unread_shards", 0), 1.0);
    assert_eq!(run.datapoints("GetRecords.IteratorAgeMilliseconds", 0), 0);
}

#[test]
fn each_kind_of_consumer_has_its_own_metrics_and_not_the_others() {
    let mut run = Run::new(
        r#"{"stream": {"shards": 3},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 600,
                           "distinct_keys": 3000}],
            "consumers": [{"type": "kcl", "name": "ecs", "tasks": 3},
                          {"type": "lambda", "name": "fn", "parallelization_factor": 2}]}"#,
    );
    run.run_for(300);
    assert_eq!(run.max("ecs.RunningTaskCount", 0), 3.0);
    assert_eq!(
        run.sum("ecs.RecordsProcessed", 0),
        run.sum("ecs.processed", 0)
    );
    assert!(run.datapoints("ecs.MillisBehindLatest", 0) > 0);
    for lambda_only in kinesis_playground::model::cloudwatch::LAMBDA_METRICS {
        assert_eq!(run.datapoints(&format!("ecs.{lambda_only}"), 0), 0);
        assert!(run.datapoints(&format!("fn.{lambda_only}"), 0) > 0);
    }
    for kcl_only in [
        "MillisBehindLatest",
        "RecordsProcessed",
        "RunningTaskCount",
        "idle_tasks",
    ] {
        assert_eq!(run.datapoints(&format!("fn.{kcl_only}"), 0), 0);
    }
    // A keeping-up function invokes every record once, with no failure.
    let invoked = run.sum("fn.InvokedEventCount", 0);
    let processed = run.sum("fn.processed", 0);
    let behind = run.sim.metrics().consumers[1].behind as f64;
    assert!(
        processed <= invoked && invoked <= processed + behind,
        "{invoked}"
    );
    assert_eq!(run.sum("fn.FailedInvokeEventCount", 0), 0.0);
    assert!(run.max("fn.ConcurrentExecutions", 0) <= 6.0);
}

#[test]
fn an_on_failure_destination_is_one_of_four() {
    let json = r#"{"consumers": [{"type": "lambda", "name": "fn", "on_failure": "kafka"}]}"#;
    let err = Config::from_json(json).expect_err("refused").to_string();
    assert!(
        err.contains("consumers.fn.on_failure") && err.contains("none, sqs, sns, s3"),
        "{err}"
    );
    let config = Config::from_json(r#"{"consumers": [{"type": "lambda"}]}"#).expect("valid");
    let text = serde_json::to_string(&config).expect("json");
    assert!(text.contains(r#""on_failure":"none""#), "{text}");
}
