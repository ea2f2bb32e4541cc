//! Sentences about consumers: lag and loss, Lambda, ECS and the shared read limit.

use super::{about, stream, COMING, EVEN};
use crate::model::diagnosis::*;
use crate::teach::diagnosis::render;

#[test]
fn lag_and_loss_name_the_retention_and_the_reshard_under_way() {
    let expired = RecordsExpired {
        expired: 30_000,
        expired_total: 1_234_567,
        retention_ms: 86_400_000,
        more: COMING,
        failing: false,
    };
    let f = about("ecs", Rule::RecordsExpired, Cause::RecordsExpired(expired));
    assert_eq!(
        render(&f),
        "ecs: 30,000 records expired unread in the last minute (1,234,567 in all): its iterator age \
         reached the 1.0 d retention. More retention only delays this; make the consumer faster; the \
         reshard under way spreads the load (resharding 2 → 10: about 6.0 min to go)."
    );
    // A failing batch retried until it expires: speed and shards do not help.
    let blocked = RecordsExpired {
        failing: true,
        ..expired
    };
    let f = about("f", Rule::RecordsExpired, Cause::RecordsExpired(blocked));
    assert_eq!(
        render(&f),
        "f: 30,000 records expired unread in the last minute (1,234,567 in all): its iterator age \
         reached the 1.0 d retention. More retention only delays this; a failing batch holds its \
         shard while Lambda retries it, so neither a faster function nor more shards helps: limit \
         Batch retries or Maximum record age, or split failing batches."
    );
    let near = |growth| AgeNearRetention {
        age_ms: 46_800_000,
        retention_ms: 86_400_000,
        growth,
        more: MoreShards::Add,
    };
    let f = about(
        "lambda",
        Rule::IteratorAgeNearRetention,
        Cause::AgeNearRetention(near(0.5)),
    );
    assert_eq!(
        render(&f),
        "lambda: iterator age is 13.0 h of 1.0 d retention — records will expire in about 22.0 h; make \
         the consumer faster or add shards."
    );
    let f = about(
        "lambda",
        Rule::IteratorAgeNearRetention,
        Cause::AgeNearRetention(near(-0.01)),
    );
    assert_eq!(
        render(&f),
        "lambda: iterator age is 13.0 h of 1.0 d retention — it is not growing right now; make the \
         consumer faster or add shards."
    );
    // Falling by 0.4 s a second, 13 h of backlog last 13 / 0.4 = 32.5 h = 1.4 days.
    let f = about(
        "lambda",
        Rule::IteratorAgeNearRetention,
        Cause::AgeNearRetention(near(-0.4)),
    );
    assert_eq!(
        render(&f),
        "lambda: iterator age is 13.0 h of 1.0 d retention and falling by 0.40 s every second — the \
         backlog drains in about 1.4 d at this pace."
    );
}

#[test]
fn timeouts_name_the_timeout_and_what_a_full_batch_takes() {
    let cause = LambdaErrors {
        errors: 180,
        timeouts: 120,
        invocations: 180,
        skipped: 0,
        timeout_s: 3,
        full_batch: BatchCost {
            records: 100,
            invocation_ms: 4_020,
            overhead_ms: 20,
            ms_per_record: 40.0,
        },
        max_retry_attempts: -1,
        max_record_age_s: -1,
        bisect_on_error: false,
    };
    let f = about("f", Rule::LambdaErrors, Cause::LambdaErrors(cause));
    assert_eq!(
        render(&f),
        "f: 120 invocations timed out in the last minute and 60 more failed: the function's timeout is \
         3 s and a full batch of 100 records takes about 4 s (20 ms + 100 × 40 ms). Use a smaller \
         batch, a faster function or a longer timeout (at most 900 s); a timed-out batch is retried \
         like any failed one."
    );
    let failing = LambdaErrors {
        errors: 12,
        timeouts: 0,
        invocations: 40,
        skipped: 7,
        max_retry_attempts: 1,
        max_record_age_s: 120,
        bisect_on_error: true,
        ..cause
    };
    let f = about("f", Rule::LambdaErrors, Cause::LambdaErrors(failing));
    assert_eq!(
        render(&f),
        "f: 12 of 40 invocations failed in the last minute. Lambda splits a failed batch in halves and \
         retries them, down to the failing records (a split uses no retry attempt), and the shard's \
         later records wait behind it; it gives a batch up after 1 retry or once its records are 2.0 \
         min old. 7 records were given up (skipped) in the last minute. Send what is given up to an \
         on-failure destination (SQS, SNS or S3) to replay it later."
    );
}

#[test]
fn a_capped_function_names_what_sets_its_cap() {
    let batch = BatchCost {
        records: 100,
        invocation_ms: 400,
        overhead_ms: 20,
        ms_per_record: 3.8,
    };
    let by_shards = LambdaCapped {
        concurrency: 2,
        batch,
        payload_bound: false,
        arrivals: EVEN,
        cap: ConcurrencyCap::Shards {
            batches: 2,
            parallelization_factor: 1,
            per_shard_records_per_s: 250.0,
            more: MoreShards::Add,
        },
    };
    let f = about(
        "lambda",
        Rule::LambdaConcurrencyCapped,
        Cause::LambdaCapped(by_shards),
    );
    assert_eq!(
        render(&f),
        "lambda: 2 concurrent executions, the cap set by shards × parallelization factor = 2. A batch \
         of 100 records takes 400 ms (20 ms + 100 × 3.8 ms), so each shard is processed at up to 250 \
         records/s while 500 records/s arrive per shard: use a faster function or a higher \
         parallelization factor (now 1, at most 10), or add shards."
    );
    let by_pool = LambdaCapped {
        payload_bound: true,
        cap: ConcurrencyCap::Limit {
            batches: 100,
            reserved: false,
            most_records_per_s: 250.4,
        },
        ..by_shards
    };
    let f = about(
        "lambda",
        Rule::LambdaConcurrencyCapped,
        Cause::LambdaCapped(by_pool),
    );
    assert_eq!(
        render(&f),
        "lambda: 2 concurrent executions, the cap set by the account's unreserved concurrency (100, what \
         reservations leave of account.lambda_concurrency); ask for a higher account limit or reserve \
         concurrency for it, or use a faster function. A batch of 100 records (as many as fit in the 6 \
         MB payload) takes 400 ms (20 ms + 100 × 3.8 ms), so 100 batches at a time process at most 250 \
         records/s while 1,000 arrive."
    );
}

#[test]
fn ecs_findings_count_tasks_leases_and_shards() {
    let idle = TasksIdle {
        idle: 3,
        tasks: 9,
        more: COMING,
    };
    let f = about("ecs", Rule::EcsTasksIdle, Cause::TasksIdle(idle));
    assert_eq!(
        render(&f),
        "ecs: 3 of 9 tasks hold no lease — KCL runs one processor per shard, so tasks beyond the shard \
         count sit idle. They get leases once the reshard under way completes (resharding 2 → 10: \
         about 6.0 min to go)."
    );
    let unread = ShardsUnread::LeaseCap {
        shards: 10,
        tasks: 2,
        leases_per_task: 1,
    };
    let f = about("ecs", Rule::ShardsUnread, Cause::ShardsUnread(unread));
    assert_eq!(
        render(&f),
        "ecs: 8 shards have no reader: 2 tasks × 1 lease each hold 2 of 10 shards (max leases per \
         worker), and their records wait until they expire. Add tasks, raise the lease cap or enable \
         autoscaling."
    );
    let saturated = TasksSaturated {
        tasks: 2,
        processed_records_per_s: 599.6,
        capacity_records_per_s: 600.0,
    };
    let f = about("ecs", Rule::EcsSaturated, Cause::TasksSaturated(saturated));
    assert_eq!(
        render(&f),
        "ecs: its 2 tasks are saturated, processing 600 of 600 records/s while records wait; add tasks \
         or enable autoscaling."
    );
    let one = TasksSaturated {
        tasks: 1,
        ..saturated
    };
    let f = about("ecs", Rule::EcsSaturated, Cause::TasksSaturated(one));
    assert!(
        render(&f).starts_with("ecs: its only task is saturated, processing 600 of 600"),
        "{}",
        render(&f)
    );
}

#[test]
fn shared_reads_name_the_limit_reached() {
    let calls = SharedReads {
        read_throttled: 1_500,
        standard: 1,
        per_shard_bytes_per_s: 1_024.0,
        demand_bytes_per_s: 1_024.0,
        limit: ReadLimit::Calls,
    };
    let f = stream(
        Rule::SharedReadSaturated,
        Severity::Warning,
        Cause::SharedReads(calls),
    );
    assert_eq!(
        render(&f),
        "GetRecords calls were throttled 1,500 times in the last minute \
         (ReadProvisionedThroughputExceeded): the one standard consumer read 1 KiB/s per shard, \
         within the shared 2 MiB/s, so the limit reached is 5 calls/s per shard (or a large read paid \
         back over the next seconds): give it enhanced fan-out, or let it poll less often."
    );
    let once = SharedReads {
        read_throttled: 1,
        ..calls
    };
    let f = stream(
        Rule::SharedReadSaturated,
        Severity::Warning,
        Cause::SharedReads(once),
    );
    assert!(render(&f).starts_with(
        "One GetRecords call was throttled in the last minute (ReadProvisionedThroughputExceeded): "
    ));
    let bytes = SharedReads {
        standard: 3,
        per_shard_bytes_per_s: 1_048_576.0,
        demand_bytes_per_s: 3_145_728.0,
        limit: ReadLimit::Bytes {
            needed_shards: 2,
            more: COMING,
        },
        ..calls
    };
    let f = stream(
        Rule::SharedReadSaturated,
        Severity::Warning,
        Cause::SharedReads(bytes),
    );
    assert_eq!(
        render(&f),
        "GetRecords calls were throttled 1,500 times in the last minute \
         (ReadProvisionedThroughputExceeded): each standard consumer reads everything written, 1.0 \
         MiB/s per shard, so 3 standard consumers need 3.0 MiB/s per shard, more than the 2 MiB/s they \
         share. Move some consumers to enhanced fan-out (2 MiB/s per shard each); the reshard under \
         way also helps (resharding 2 → 10: about 6.0 min to go)."
    );
}

fn behind(why: Why, behind: bool) -> Finding {
    behind_growing(why, behind, 0.5)
}

fn behind_growing(why: Why, behind: bool, growth: f64) -> Finding {
    let lag = Lag {
        age_ms: 600_000,
        growth,
        processed_records_per_s: 250.0,
        behind,
    };
    let rule = if behind {
        Rule::FallingBehind
    } else {
        Rule::LambdaThrottled
    };
    let cause = Behind {
        lag,
        arrivals: EVEN,
        why,
    };
    about("f", rule, Cause::Behind(cause))
}

#[test]
fn a_consumer_falling_behind_gets_its_likeliest_cause() {
    let head =
        "f is falling behind: its iterator age is 10.0 min and grew 0.50 s every second over \
                the last minute, processing 250 of 1,000 records/s. ";
    let slow = behind(
        Why::TooSlow {
            more: MoreShards::NoHelp,
        },
        true,
    );
    assert_eq!(
        render(&slow),
        format!("{head}500 records/s arrive per shard; make the consumer faster.")
    );
    let calls = CallLimit {
        max_records_per_call: 100,
        poll_interval_ms: 1_500,
        per_shard_records_per_s: 66.7,
        needed_per_call: 900.0,
    };
    assert_eq!(
        render(&behind(Why::CallLimit(calls), true)),
        format!(
            "{head}Each shard's processor makes one GetRecords call per poll, of at most \
             max_records_per_call = 100 records every 1,500 ms (poll_interval_ms): that reads at most \
             67 records/s per shard while 500 records/s arrive per shard. Raise max_records_per_call \
             to at least 900 (at most 10,000), or poll more often (a lower poll_interval_ms, not \
             below 200)."
        )
    );
    let leases = Leases {
        tasks: 3,
        busiest_tasks: 1,
        most: 2,
        fewest: 1,
        shards: 4,
        needed_records_per_s: 800.0,
        capacity_records_per_s: 600.0,
        tasks_needed: 4,
        leases_per_task: 1,
    };
    assert_eq!(
        render(&behind(Why::Leases(leases), true)),
        format!(
            "{head}KCL balances leases by count, so one of its 3 tasks holds 2 of the 4 leases and \
             needs 800 records/s for its capacity of 600 records/s, while others hold 1. Run 4 tasks \
             (at most 1 lease each), or raise records_per_sec_per_task to at least 800."
        )
    );
}

#[test]
fn throttled_functions_name_their_reservation_or_the_pool() {
    let never = behind(
        Why::NeverRuns {
            batches_by_shards: 2,
        },
        true,
    );
    assert_eq!(
        render(&never),
        "f: its reserved concurrency is 0, so the function never runs: nothing is processed and every \
         record waits until the retention removes it (iterator age 10.0 min). Remove the reservation, \
         or reserve at least 2 (shards × parallelization factor)."
    );
    let reserved = behind(
        Why::Reservation {
            throttles: 1,
            reserved: 2,
            batches_by_shards: 4,
        },
        false,
    );
    assert_eq!(
        render(&reserved),
        "f: Lambda throttled 1 invocation in the last minute: its reserved concurrency of 2 is both its \
         share and its cap, below the 4 concurrent batches its shards × parallelization factor would \
         run. Raise the reservation to 4, or use a faster function."
    );
    let pool = Pool {
        throttles: 250,
        account: 100,
        reserved: 0,
        unreserved: 100,
        unreserved_min: 100,
        batches_by_shards: 80,
        sharing: Some(PoolSharing {
            others: vec!["g".into()],
            others_held: 55,
            held: 45,
        }),
    };
    assert_eq!(
        render(&behind(Why::Pool(pool), false)),
        "f: Lambda throttled 250 invocations in the last minute: it has no reservation, so it runs in \
         the account's unreserved concurrency — functions without a reservation share what \
         reservations leave of account.lambda_concurrency (100 − 0 reserved = 100). f shares it with \
         g, which held 55 of the 100 at the last second while f held 45. It would run up to 80 \
         concurrent batches (shards × parallelization factor). Reserve about 80 for it (reservations \
         must leave 100 unreserved, so account.lambda_concurrency of at least 180), or raise \
         account.lambda_concurrency."
    );
}

#[test]
fn a_slow_growth_reads_by_the_minute_and_none_as_steady() {
    let too_slow = || Why::TooSlow {
        more: MoreShards::NoHelp,
    };
    let tail = "over the last minute, processing 250 of 1,000 records/s. 500 records/s arrive \
                per shard; make the consumer faster.";
    // 0.04 s a second is 2.4 s a minute.
    assert_eq!(
        render(&behind_growing(too_slow(), true, 0.04)),
        format!("f is falling behind: its iterator age is 10.0 min and grew 2 s {tail}")
    );
    assert_eq!(
        render(&behind_growing(too_slow(), true, 0.001)),
        format!("f is behind: its iterator age is 10.0 min and held steady {tail}")
    );
}
