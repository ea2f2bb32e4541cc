//! Findings about consumers: lag and loss against the retention, ECS tasks and leases,
//! and the shared read limit.

use kinesis_playground::model::diagnosis::{AgeNearRetention, Cause, MoreShards};
use kinesis_playground::teach::{Rule, Severity};

use super::support::*;

#[test]
fn iterator_age_near_retention_estimates_the_time_left() {
    // scenario-1: age grows 0.5 s/s, so at 26 h it is 13 h of 24 h, 22 h before loss.
    let f = fires(
        Rule::IteratorAgeNearRetention,
        preset("scenario-1"),
        26 * 3_600,
    );
    assert_eq!(
        (f.severity, f.consumer.as_deref()),
        (Severity::Warning, Some("lambda"))
    );
    assert_eq!(
        f.message,
        "lambda: iterator age is 13.0 h of 1.0 d retention — records will expire in about 21.9 h; \
         make the consumer faster or add shards."
    );
    let f = fires_typed(
        Rule::IteratorAgeNearRetention,
        preset("scenario-1"),
        26 * 3_600,
    );
    let Cause::AgeNearRetention(AgeNearRetention {
        age_ms,
        retention_ms,
        growth,
        more,
    }) = f.cause
    else {
        panic!("{f:#?}")
    };
    assert_eq!((retention_ms, more), (86_400_000, MoreShards::Add));
    assert!((growth - 0.5).abs() < 0.01, "{growth}");
    // Half of 26 h, give or take the first batches' minutes.
    assert!(age_ms.abs_diff(13 * 3_600_000) <= 300_000, "{age_ms}");
    let left_h = (retention_ms - age_ms) as f64 / growth / 3_600_000.0;
    assert!((left_h - 22.0).abs() <= 0.5, "{left_h}");
    quiet(
        Rule::IteratorAgeNearRetention,
        preset("scenario-1"),
        6 * 3_600,
    );
}

#[test]
fn expired_records_are_loss_for_the_consumer_that_lost_them() {
    let f = fires(Rule::RecordsExpired, preset("scenario-1"), 50 * 3_600);
    assert_eq!(
        (f.severity, f.consumer.as_deref()),
        (Severity::Loss, Some("lambda"))
    );
    // 500 records/s per shard arrive and 250 are processed: 2 × 250 a second expire.
    assert_eq!(
        f.message,
        "lambda: 30,012 records expired unread in the last minute (3,635,993 in all): its iterator \
         age reached the 1.0 d retention. More retention only delays this; make the consumer faster \
         or add shards."
    );
    quiet(Rule::RecordsExpired, preset("scenario-1"), 40 * 3_600);
}

#[test]
fn ecs_tasks_beyond_the_shards_are_idle() {
    let idle = json(
        r#"{"stream": {"shards": 2}, "consumers": [{"type": "kcl", "name": "ecs", "tasks": 5}]}"#,
    );
    let f = fires(Rule::EcsTasksIdle, idle, 120);
    assert_eq!(f.consumer.as_deref(), Some("ecs"));
    assert_eq!(
        f.message,
        "ecs: 3 of 5 tasks hold no lease — KCL runs one processor per shard, so tasks beyond the \
         shard count sit idle. Remove tasks or add shards."
    );
    let fitted = json(
        r#"{"stream": {"shards": 2}, "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2}]}"#,
    );
    quiet(Rule::EcsTasksIdle, fitted, 120);
}

#[test]
fn a_lease_cap_leaves_shards_without_a_reader() {
    let capped = json(
        r#"{"stream": {"shards": 4},
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2, "max_leases_per_worker": 1}]}"#,
    );
    let f = fires(Rule::ShardsUnread, capped, 120);
    assert_eq!(f.consumer.as_deref(), Some("ecs"));
    assert_eq!(
        f.message,
        "ecs: 2 shards have no reader: 2 tasks × 1 lease each hold 2 of 4 shards (max leases per \
         worker), and their records wait until they expire. Add tasks, raise the lease cap or \
         enable autoscaling."
    );
    let open = json(
        r#"{"stream": {"shards": 4}, "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2}]}"#,
    );
    quiet(Rule::ShardsUnread, open, 120);
}

#[test]
fn saturated_ecs_tasks_while_records_wait() {
    let slow = json(
        r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1000}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2, "records_per_sec_per_task": 300}]}"#,
    );
    let f = fires(Rule::EcsSaturated, slow, 600);
    assert_eq!(f.consumer.as_deref(), Some("ecs"));
    assert_eq!(
        f.message,
        "ecs: its 2 tasks are saturated, processing 600 of 600 records/s while records wait; add \
         tasks or enable autoscaling."
    );
    quiet(Rule::EcsSaturated, preset("healthy"), 600);
}

#[test]
fn shared_read_limit_saturated_and_enhanced_fan_out_avoids_it() {
    let shared = r#"{"stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1000, "record_bytes": 1000}],
        "consumers": [
            {"type": "kcl", "name": "a", "tasks": 1, "records_per_sec_per_task": 100000, "fan_out": "FANOUT"},
            {"type": "kcl", "name": "b", "tasks": 1, "records_per_sec_per_task": 100000, "fan_out": "FANOUT"},
            {"type": "kcl", "name": "c", "tasks": 1, "records_per_sec_per_task": 100000, "fan_out": "FANOUT"}]}"#;
    let f = fires(
        Rule::SharedReadSaturated,
        json(&shared.replace("FANOUT", "shared")),
        300,
    );
    assert_eq!((f.severity, f.consumer), (Severity::Warning, None));
    assert_eq!(
        f.message,
        "GetRecords calls were throttled 108 times in the last minute \
         (ReadProvisionedThroughputExceeded): each standard consumer reads everything written, 981 \
         KiB/s per shard, so 3 standard consumers need 2.9 MiB/s per shard, more than the 2 MiB/s \
         they share. Move some consumers to enhanced fan-out (2 MiB/s per shard each), or add \
         shards (about 2)."
    );
    quiet(
        Rule::SharedReadSaturated,
        json(&shared.replace("FANOUT", "enhanced")),
        300,
    );
}

#[test]
fn shared_read_remedies_fit_the_cause() {
    // Bytes: three standard consumers each read the ~1 MB/s written to one shard.
    let shared = r#"{"stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1000, "record_bytes": 1000}],
        "consumers": [
            {"type": "kcl", "name": "a", "tasks": 1, "records_per_sec_per_task": 100000},
            {"type": "kcl", "name": "b", "tasks": 1, "records_per_sec_per_task": 100000},
            {"type": "kcl", "name": "c", "tasks": 1, "records_per_sec_per_task": 100000}]}"#;
    let f = fires(Rule::SharedReadSaturated, json(shared), 300);
    says(&f.message, &["enhanced fan-out", "add shards (about 2)"]);
    // Calls: six consumers polling every 200 ms want 30 calls/s of a shard's 5, for a
    // trickle of bytes: more shards would not help.
    let poller = r#"{"type": "kcl", "name": "NAME", "tasks": 1, "poll_interval_ms": 200}"#;
    let pollers: Vec<String> = (0..6)
        .map(|i| poller.replace("NAME", &format!("c{i}")))
        .collect();
    let calls = json(&format!(
        r#"{{"stream": {{"shards": 1}},
        "producers": [{{"name": "p", "instances": 1, "records_per_sec": 10, "record_bytes": 100}}],
        "consumers": [{}]}}"#,
        pollers.join(",")
    ));
    let f = fires(Rule::SharedReadSaturated, calls, 300);
    says(
        &f.message,
        &[
            "6 standard consumers read",
            "5 calls/s per shard",
            "use fewer standard consumers, or move some to enhanced fan-out.",
        ],
    );
    assert!(!advises_more_shards(&f.message), "{}", f.message);
}

#[test]
fn children_waiting_for_their_parents_are_not_unread() {
    // A KCL application keeping up while the stream grows from 2 to 4 shards. Resharded
    // at 10 min, the children appear at 12 min, when shard sync runs, but wait a tick
    // for the parents the processors (polling every 5 s) are still finishing; resharded
    // at 10 min 30 s, the children appear between two shard syncs and wait 30 s for one.
    let config = r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 500}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2, "poll_interval_ms": 5000 LEASES}],
        "events": [{"at_s": AT, "set": {"stream.shards": 4}}]}"#;
    for at in ["600", "630"] {
        let config = json(&config.replace("AT", at).replace("LEASES", ""));
        watch(config.clone(), 1, 1_800, 1, |sim, found| {
            for rule in [Rule::ShardsUnread, Rule::EcsTasksIdle] {
                assert!(
                    !rules(found).contains(&rule),
                    "resharded at {at} s, at {} s: {found:#?}",
                    sim.now_ms() / 1_000
                );
            }
        });
        let after = run(config, 1_800);
        assert_eq!(rules(&after), vec![Rule::Healthy], "{after:#?}");
    }
    // A real lease cap still leaves shards unread once there are 4.
    let capped = json(
        &config
            .replace("AT", "600")
            .replace("LEASES", r#", "max_leases_per_worker": 1"#),
    );
    let f = fires(Rule::ShardsUnread, capped, 1_800);
    assert!(
        f.message.contains("2 shards have no reader"),
        "{}",
        f.message
    );
    // Two tasks with a lease cap of one, the stream resharded from 2 to 10.
    let capped = json(
        r#"{"stream": {"shards": 2},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 500}],
            "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2, "max_leases_per_worker": 1}],
            "events": [{"at_s": 3600, "set": {"stream.shards": 10}}]}"#,
    );
    let f = fires(Rule::ShardsUnread, capped, 2 * 3_600);
    assert!(
        f.message.contains("8 shards have no reader"),
        "{}",
        f.message
    );
}

#[test]
fn a_kcl_app_held_back_by_one_call_per_poll_is_falling_behind() {
    // 2,000 records/s of 1,000 B into 4 shards; one call of at most 100 records every
    // 1,500 ms reads 66.7 records/s per shard, 266.7/s in all.
    let config = json(
        r#"{"stream": {"shards": 4},
        "producers": [{"name": "p", "instances": 4, "records_per_sec": 500, "record_bytes": 1000}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 4, "max_records_per_call": 100}]}"#,
    );
    let found = run(config, 600);
    not_healthy(&found);
    let f = about(&found, Rule::FallingBehind, "ecs");
    says(
        &f.message,
        &[
            "max_records_per_call = 100 records every 1,500 ms",
            "67 records/s per shard",
            "500 records/s arrive per shard",
            "267 of 2,000 records/s",
            // 500 records/s × 1.5 s with a fifth to spare.
            "Raise max_records_per_call to at least 900",
        ],
    );
}

#[test]
fn a_task_holding_more_leases_than_the_others_falls_behind() {
    // 3 tasks for 4 shards: one holds 2 leases and needs 800 records/s of its 600, while
    // the fleet as a whole has 1,800 for 1,600.
    let config = json(
        r#"{"stream": {"shards": 4},
        "producers": [{"name": "p", "instances": 4, "records_per_sec": 400}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 3, "records_per_sec_per_task": 600}]}"#,
    );
    let found = run(config, 600);
    not_healthy(&found);
    let f = about(&found, Rule::FallingBehind, "ecs");
    says(
        &f.message,
        &[
            "so one of its 3 tasks holds 2 of the 4 leases and needs 800 records/s for its capacity of 600 records/s, while others hold 1",
            "Run 4 tasks (at most 1 lease each), or raise records_per_sec_per_task to at least 800.",
        ],
    );
}

#[test]
fn idle_tasks_come_after_the_read_limit_that_holds_the_apps_back() {
    // One shard, 10 records/s of 100 KiB (1,000 KiB/s) read by three KCL apps: they need
    // 2.9 MiB/s of the 2 MiB/s they share. Each app's second task holds no lease.
    let kcl = |name: &str| format!(r#"{{"type": "kcl", "name": "{name}", "tasks": 2}}"#);
    let config = format!(
        r#"{{"stream": {{"shards": 1}},
            "producers": [{{"name": "p", "instances": 1, "records_per_sec": 10,
                            "record_bytes": 102400}}],
            "consumers": [{}, {}, {}]}}"#,
        kcl("a"),
        kcl("b"),
        kcl("c")
    );
    let found = run(json(&config), 600);
    let order = rules(&found);
    let reads = order.iter().position(|r| *r == Rule::SharedReadSaturated);
    let idle = order.iter().position(|r| *r == Rule::EcsTasksIdle);
    assert!(
        matches!((reads, idle), (Some(r), Some(i)) if r < i),
        "{found:#?}"
    );
}

#[test]
fn healthy_names_how_far_behind_a_slow_poller_gets_between_polls() {
    // Polling every 5 s, an app that keeps up is 4 to 5 s behind at the end of the
    // second before a poll (records arrive through each second).
    let config = r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2, "poll_interval_ms": 5000}]}"#;
    let found = run(json(config), 600);
    let healthy = find(&found, Rule::Healthy);
    assert!(
        ["4 s", "5 s"]
            .iter()
            .any(|age| healthy.message.ends_with(&format!(
                "every consumer is within {age} of the newest record."
            ))),
        "{}",
        healthy.message
    );
}
