//! Each diagnosis rule fires on a config that shows its problem and stays quiet on one
//! that does not.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::consumer::ConsumerTick;
use kinesis_playground::model::diagnosis::{diagnose, Finding, Recent, Rule, Severity};
use kinesis_playground::model::{presets, Config, Simulation, TickMetrics};

/// The findings after `seconds` of the config.
fn run(config: Config, seconds: u64) -> Vec<Finding> {
    let tick_s = u64::from(config.tick_s);
    let mut sim = Simulation::new(config).expect("valid");
    let mut recent = Recent::default();
    while sim.now_ms() < seconds * 1_000 {
        sim.step();
        recent.add(sim.metrics(), tick_s);
    }
    diagnose(&sim, &recent)
}

/// Runs `config` until `seconds`, diagnosing every `every_s` seconds from `from_s` on;
/// `check` sees the simulation and the findings.
fn watch(
    config: Config,
    from_s: u64,
    seconds: u64,
    every_s: u64,
    mut check: impl FnMut(&Simulation, &[Finding]),
) {
    let tick_s = u64::from(config.tick_s);
    let mut sim = Simulation::new(config).expect("valid");
    let mut recent = Recent::default();
    while sim.now_ms() < seconds * 1_000 {
        sim.step();
        recent.add(sim.metrics(), tick_s);
        let t = sim.now_ms() / 1_000;
        if t >= from_s && (t - from_s).is_multiple_of(every_s) {
            check(&sim, &diagnose(&sim, &recent));
        }
    }
}

fn json(text: &str) -> Config {
    Config::from_json(text).unwrap_or_else(|e| panic!("{e}"))
}

fn preset(name: &str) -> Config {
    presets::find(name).expect("preset").config
}

fn rules(findings: &[Finding]) -> Vec<Rule> {
    findings.iter().map(|f| f.rule).collect()
}

fn fires(rule: Rule, config: Config, seconds: u64) -> Finding {
    let found = run(config, seconds);
    found
        .iter()
        .find(|f| f.rule == rule)
        .cloned()
        .unwrap_or_else(|| panic!("{rule:?} did not fire: {found:#?}"))
}

fn quiet(rule: Rule, config: Config, seconds: u64) {
    let found = run(config, seconds);
    assert!(!rules(&found).contains(&rule), "{rule:?} fired: {found:#?}");
}

const OVERLOAD: &str = r#"{"stream": {"shards": 2},
    "producers": [{"name": "p", "instances": 3, "records_per_sec": 1000, "distinct_keys": 1000}],
    "consumers": []}"#;

#[test]
fn healthy_stream_gets_one_healthy_finding() {
    let found = run(preset("healthy"), 3_600);
    assert_eq!(rules(&found), vec![Rule::Healthy], "{found:#?}");
    assert!(found[0].message.starts_with("Healthy"));
}

#[test]
fn write_throttling_names_the_share_and_a_shard_count() {
    let f = fires(Rule::WriteThrottling, json(OVERLOAD), 300);
    assert!(f.message.contains("2 shards take 2,000"), "{}", f.message);
    assert!(f.message.contains("add shards (about 3)"), "{}", f.message);
    quiet(Rule::WriteThrottling, preset("healthy"), 600);
}

#[test]
fn producer_drops_are_loss() {
    let f = fires(Rule::ProducerDrops, json(OVERLOAD), 300);
    assert_eq!(f.severity, Severity::Loss);
    quiet(Rule::ProducerDrops, preset("healthy"), 600);
}

#[test]
fn a_hot_key_is_told_apart_from_plain_overload() {
    let f = fires(Rule::HotShard, preset("hot-key"), 300);
    assert!(f.message.contains("hot partition key"));
    quiet(Rule::HotShard, json(OVERLOAD), 300);
    quiet(Rule::WriteThrottling, preset("hot-key"), 300);
}

#[test]
fn iterator_age_near_retention_estimates_the_time_left() {
    // scenario-1: age grows 0.5 s/s, so at 26 h it is 13 h of 24 h, 22 h before loss.
    let f = fires(
        Rule::IteratorAgeNearRetention,
        preset("scenario-1"),
        26 * 3_600,
    );
    assert!(
        f.message.contains("13.0 h of 1.0 d retention"),
        "{}",
        f.message
    );
    let hours: f64 = f
        .message
        .split("records will expire in about ")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(|c: char| c != 'h').or(Some(rest)))
        .and_then(|rest| rest.split(" h").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no hours left in {:?}", f.message));
    assert!((hours - 22.0).abs() <= 0.5, "{}", f.message);
    quiet(
        Rule::IteratorAgeNearRetention,
        preset("scenario-1"),
        6 * 3_600,
    );
}

#[test]
fn expired_records_are_loss_for_the_consumer_that_lost_them() {
    let f = fires(Rule::RecordsExpired, preset("scenario-1"), 50 * 3_600);
    assert_eq!(f.consumer.as_deref(), Some("lambda"));
    quiet(Rule::RecordsExpired, preset("scenario-1"), 40 * 3_600);
}

#[test]
fn lambda_at_its_concurrency_cap_while_records_wait() {
    let slow = json(
        r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 800}],
        "consumers": [{"type": "lambda", "name": "f", "ms_per_record": 5}]}"#,
    );
    let f = fires(Rule::LambdaConcurrencyCapped, slow, 600);
    assert!(
        f.message.contains("shards × parallelization factor = 2"),
        "{}",
        f.message
    );
    let reserved = json(
        r#"{"stream": {"shards": 4},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1600}],
        "consumers": [{"type": "lambda", "name": "f", "ms_per_record": 5, "reserved_concurrency": 2}]}"#,
    );
    let f = fires(Rule::LambdaConcurrencyCapped, reserved, 600);
    assert!(
        f.message.contains("reserved concurrency of 2"),
        "{}",
        f.message
    );
    quiet(Rule::LambdaConcurrencyCapped, preset("healthy"), 600);
}

#[test]
fn ecs_tasks_beyond_the_shards_are_idle() {
    let idle = json(
        r#"{"stream": {"shards": 2}, "consumers": [{"type": "kcl", "name": "ecs", "tasks": 5}]}"#,
    );
    let f = fires(Rule::EcsTasksIdle, idle, 120);
    assert!(f.message.contains("3 of 5 tasks"), "{}", f.message);
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
    assert!(
        f.message.contains("2 shards have no reader"),
        "{}",
        f.message
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
    assert!(
        f.message.contains("processing 600 of 600 records/s"),
        "{}",
        f.message
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
    assert!(f.message.contains("3 standard consumers"), "{}", f.message);
    quiet(
        Rule::SharedReadSaturated,
        json(&shared.replace("FANOUT", "enhanced")),
        300,
    );
}

#[test]
fn write_throttling_sizes_shards_by_records_and_by_bytes() {
    // 1,000 records/s of 25 KiB: the record limit needs 1 shard, the 1 MiB/s byte limit
    // 1,000 × (25,600 + key) / 1,048,576 ≈ 24.4, so 25.
    let large = json(
        r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1000, "record_bytes": 25600}],
        "consumers": []}"#,
    );
    let f = fires(Rule::WriteThrottling, large, 300);
    assert!(f.message.contains("add shards (about 25)"), "{}", f.message);
    assert!(f.message.contains("24.4 MiB/s"), "{}", f.message);
    // 3,000 small records/s: the record limit decides.
    let f = fires(Rule::WriteThrottling, json(OVERLOAD), 300);
    assert!(f.message.contains("add shards (about 3)"), "{}", f.message);
}

/// Whether a sentence of `message` advises more shards (and does not say they won't help).
fn advises_more_shards(message: &str) -> bool {
    message.split(['.', ';', ':']).any(|sentence| {
        let s = sentence.to_lowercase();
        let names = [
            "add shards",
            "add a shard",
            "adding shards",
            "more shards",
            "raise the target",
        ]
        .iter()
        .any(|p| s.contains(p));
        names && !s.contains(" not ") && !s.contains("won't")
    })
}

/// Whether `message` says more shards would not help.
fn rules_out_shards(message: &str) -> bool {
    let s = message.to_lowercase();
    s.contains("will not cool") || s.contains("does not cool") || s.contains("won't help")
}

#[test]
fn findings_never_both_rule_out_and_advise_more_shards() {
    let mut hot_seen = 0;
    for p in presets::all() {
        watch(p.config.clone(), 60, 3 * 3_600, 60, |sim, found| {
            let out = found.iter().any(|f| rules_out_shards(&f.message));
            if out {
                hot_seen += 1;
            }
            let advice: Vec<&str> = found
                .iter()
                .map(|f| f.message.as_str())
                .filter(|m| advises_more_shards(m))
                .collect();
            assert!(
                !out || advice.is_empty(),
                "{} at {} s says shards won't help and advises them: {found:#?}",
                p.name,
                sim.now_ms() / 1_000
            );
        });
    }
    // The hot-key preset says so every minute, so the check above had work to do.
    assert!(hot_seen >= 170, "{hot_seen}");
}

#[test]
fn a_reshard_under_way_replaces_advice_to_add_shards() {
    // 5,000 records/s into 2 shards and a slow function; at 60 s the stream is resharded
    // to 10 in steps of 120 s: 2 → 4 → 8 → 10, done at 420 s.
    let config = json(
        r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 5, "records_per_sec": 1000}],
        "consumers": [{"type": "lambda", "name": "f", "ms_per_record": 5}],
        "events": [{"at_s": 60, "set": {"stream.shards": 10}}]}"#,
    );
    let before = run(config.clone(), 59);
    assert!(
        before.iter().any(|f| f.message.contains("add shards")),
        "{before:#?}"
    );
    let mut seen = 0;
    watch(config, 61, 900, 1, |sim, found| {
        let resharding = sim.open_shards() != 10 || sim.reshard_step().is_some();
        if sim.now_ms() == 61_000 {
            let r = found
                .iter()
                .find(|f| f.rule == Rule::Resharding)
                .unwrap_or_else(|| panic!("{found:#?}"));
            assert!(r.message.contains("Resharding 2 → 10"), "{}", r.message);
            assert!(r.message.contains("about 6.0 min to go"), "{}", r.message);
        }
        if resharding {
            seen += 1;
            assert!(
                found.iter().any(|f| f.rule == Rule::Resharding),
                "{found:#?}"
            );
            for f in found {
                assert!(
                    !f.message.to_lowercase().contains("add shards"),
                    "at {} s: {f:#?}",
                    sim.now_ms() / 1_000
                );
            }
        } else {
            assert!(!found.iter().any(|f| f.rule == Rule::Resharding));
        }
    });
    assert_eq!(seen, 420 - 61 + 1);
}

#[test]
fn a_reshard_held_by_the_daily_limit_reports_the_wait() {
    // Two UpdateShardCount calls per 24 h: 2 → 4 at 0 h, 4 → 8 at 12 h, and 8 → 16
    // must wait for the first call to leave the window at 24 h (done at 24 h 2 min).
    let config = json(
        r#"{"stream": {"shards": 2, "max_reshards_per_day": 2},
        "producers": [{"name": "p", "instances": 10, "records_per_sec": 1000}],
        "consumers": [{"type": "lambda", "name": "f"}],
        "events": [{"at_s": 0, "set": {"stream.shards": 4}},
                   {"at_s": 43200, "set": {"stream.shards": 16}}]}"#,
    );
    let mut done_at = None;
    watch(config, 43_260, 87_000, 1, |sim, found| {
        if sim.now_ms() == 43_260_000 {
            let r = found
                .iter()
                .find(|f| f.rule == Rule::Resharding)
                .unwrap_or_else(|| panic!("{found:#?}"));
            assert!(r.message.contains("Resharding 4 → 16"), "{}", r.message);
            assert!(r.message.contains("about 12.0 h to go"), "{}", r.message);
            assert!(
                r.message.contains("2 UpdateShardCount calls per 24 h"),
                "{}",
                r.message
            );
        }
        if sim.open_shards() == 16 {
            done_at.get_or_insert(sim.now_ms() / 1_000);
            return;
        }
        assert!(found.iter().any(|f| f.rule == Rule::Resharding));
        for f in found {
            assert!(!f.message.to_lowercase().contains("add shards"), "{f:#?}");
        }
    });
    // The estimate was right: the last step completes in the tick that starts at 24 h 2 min.
    assert_eq!(done_at, Some(86_521));
}

#[test]
fn bursts_of_the_last_hour_are_reported_between_them() {
    // scenario-2 bursts for 20 s every 15 min. At 2 h 5 min the last minute is quiet, and
    // the last hour held the bursts at 1 h 15, 1 h 30, 1 h 45 and 2 h.
    let found = run(preset("scenario-2"), 7_500);
    assert!(!rules(&found).contains(&Rule::Healthy), "{found:#?}");
    let f = found
        .iter()
        .find(|f| f.rule == Rule::WriteThrottling)
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(
        f.message
            .starts_with("No write throttling in the last minute, but in the last hour: 4 bursts"),
        "{}",
        f.message
    );
    assert!(f.message.contains("dropped none"), "{}", f.message);
    assert!(f.message.contains("up to 2,520 records/s"), "{}", f.message);
    assert!(f.message.contains("add shards (about 3)"), "{}", f.message);
    assert_eq!(f.severity, Severity::Warning);
    // During a burst the last minute speaks for itself.
    let during = fires(Rule::WriteThrottling, preset("scenario-2"), 7_215);
    assert!(
        during.message.contains("throttled in the last minute"),
        "{}",
        during.message
    );
}

#[test]
fn throttling_the_stream_now_takes_is_reported_as_past() {
    // scenario-3: throttled while resharding 2 → 10 at 1 h; at 1 h 10 min the 10 shards
    // take the load. Records were dropped then, so it stays a loss for the hour.
    // Traffic quadruples as two shards are resharded to ten.
    let found = run(
        json(
            r#"{"stream": {"shards": 2},
                "producers": [{"name": "p", "instances": 4, "records_per_sec": 250,
                               "record_bytes": 512, "distinct_keys": 5000}],
                "consumers": [{"type": "lambda", "name": "f"}],
                "events": [{"at_s": 3600, "set": {"stream.shards": 10,
                                                   "producers.p.records_per_sec": 1000}}]}"#,
        ),
        4_200,
    );
    let f = found
        .iter()
        .find(|f| f.rule == Rule::WriteThrottling)
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(
        f.message
            .contains("The stream had at most 4 shards then; the 10 open now take that load."),
        "{}",
        f.message
    );
    assert_eq!(f.severity, Severity::Loss);
    // hot-key with its fix applied at 10 min: 5 min later the keys are spread.
    let hot = presets::find("hot-key").expect("preset");
    let tick_s = u64::from(hot.config.tick_s);
    let mut sim = Simulation::new(hot.config.clone()).expect("valid");
    let mut recent = Recent::default();
    for minute in 1..=15 {
        if minute == 11 {
            let fixed = hot.fixed(sim.config()).expect("fix applies");
            sim.apply(fixed).expect("valid");
        }
        for _ in 0..60 / tick_s {
            sim.step();
            recent.add(sim.metrics(), tick_s);
        }
    }
    let found = diagnose(&sim, &recent);
    let f = found
        .iter()
        .find(|f| f.rule == Rule::WriteThrottling)
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(
        f.message.contains("Writes are spread more evenly now"),
        "{}",
        f.message
    );
    assert!(!f.message.contains("distinct keys"), "{}", f.message);
    assert!(!advises_more_shards(&f.message), "{}", f.message);
    // scenario-2's bursts still come back: that is not past.
    let f = fires(Rule::WriteThrottling, preset("scenario-2"), 7_500);
    assert!(f.message.contains("add shards (about 3)"), "{}", f.message);
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
fn shared_read_remedies_fit_the_cause() {
    // Bytes: three standard consumers each read the ~1 MB/s written to one shard.
    let shared = r#"{"stream": {"shards": 1},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 1000, "record_bytes": 1000}],
        "consumers": [
            {"type": "kcl", "name": "a", "tasks": 1, "records_per_sec_per_task": 100000},
            {"type": "kcl", "name": "b", "tasks": 1, "records_per_sec_per_task": 100000},
            {"type": "kcl", "name": "c", "tasks": 1, "records_per_sec_per_task": 100000}]}"#;
    let f = fires(Rule::SharedReadSaturated, json(shared), 300);
    assert!(f.message.contains("enhanced fan-out"), "{}", f.message);
    assert!(f.message.contains("add shards (about 2)"), "{}", f.message);
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
    assert!(f.message.contains("5 calls/s per shard"), "{}", f.message);
    assert!(
        f.message.contains("fewer standard consumers"),
        "{}",
        f.message
    );
    assert!(!advises_more_shards(&f.message), "{}", f.message);
}

#[test]
fn failing_invocations_point_at_retries_that_hold_the_shard() {
    let failing = r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 200}],
        "consumers": [{"type": "lambda", "name": "f", "error_rate": 0.3 MORE}]}"#;
    let f = fires(Rule::LambdaErrors, json(&failing.replace("MORE", "")), 300);
    assert_eq!(f.consumer.as_deref(), Some("f"));
    assert_eq!(f.severity, Severity::Warning);
    for part in [
        "invocations failed in the last minute",
        "retries until the records expire",
        "max_retry_attempts or max_record_age_s",
        "bisect_on_error",
        "on-failure destination",
    ] {
        assert!(f.message.contains(part), "{part:?} not in {}", f.message);
    }
    let limited = failing.replace(
        "MORE",
        r#", "max_retry_attempts": 0, "bisect_on_error": true"#,
    );
    let f = fires(Rule::LambdaErrors, json(&limited), 300);
    assert!(f.message.contains("after 0 retries"), "{}", f.message);
    assert!(f.message.contains("skipped"), "{}", f.message);
    assert!(!f.message.contains("bisect_on_error"), "{}", f.message);
    assert_eq!(f.severity, Severity::Loss);
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
    let f = found
        .iter()
        .find(|f| f.rule == Rule::LambdaErrors)
        .unwrap_or_else(|| panic!("{found:#?}"));
    for part in [
        "120 invocations timed out in the last minute and 60 more failed",
        "the function's timeout is 3 s",
        "a full batch of 100 records takes about 4 s (20 ms + 100 × 40 ms)",
        "a smaller batch, a faster function or a longer timeout",
    ] {
        assert!(f.message.contains(part), "{part:?} not in {}", f.message);
    }
}

/// The finding of `rule` about consumer `name`, failing with every finding if there is none.
fn about(found: &[Finding], rule: Rule, name: &str) -> Finding {
    found
        .iter()
        .find(|f| f.rule == rule && f.consumer.as_deref() == Some(name))
        .cloned()
        .unwrap_or_else(|| panic!("no {rule:?} about {name}: {found:#?}"))
}

fn not_healthy(found: &[Finding]) {
    assert!(!rules(found).contains(&Rule::Healthy), "{found:#?}");
    assert!(
        found.iter().all(|f| !f.message.starts_with("Healthy")),
        "{found:#?}"
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
    for part in [
        "max_records_per_call",
        "100 records every 1,500 ms",
        "67 records/s per shard",
        "500 records/s arrive per shard",
        "267 of 2,000 records/s",
    ] {
        assert!(f.message.contains(part), "{part:?} not in {}", f.message);
    }
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
    for part in ["holds 2 of the 4 leases", "800 records/s", "600", "4 tasks"] {
        assert!(f.message.contains(part), "{part:?} not in {}", f.message);
    }
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
    let behind: Vec<&str> = ["f", "g"]
        .into_iter()
        .filter(|name| {
            found
                .iter()
                .any(|f| f.rule == Rule::FallingBehind && f.consumer.as_deref() == Some(*name))
        })
        .collect();
    assert!(!behind.is_empty(), "{found:#?}");
    for name in behind {
        let f = about(&found, Rule::FallingBehind, name);
        for part in [
            "throttled",
            "unreserved",
            "without a reservation share",
            "account.lambda_concurrency",
        ] {
            assert!(f.message.contains(part), "{part:?} not in {}", f.message);
        }
        assert!(
            !f.message.contains("shards × parallelization factor ="),
            "{}",
            f.message
        );
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
    let f = about(&found, Rule::FallingBehind, "f");
    assert!(f.message.contains("never runs"), "{}", f.message);
    assert!(
        f.message.contains("reserved concurrency is 0"),
        "{}",
        f.message
    );
}

#[test]
fn healthy_says_no_lambda_throttling_either() {
    let found = run(preset("healthy"), 600);
    assert_eq!(rules(&found), vec![Rule::Healthy], "{found:#?}");
    assert!(
        found[0]
            .message
            .contains("no write, read or Lambda throttling"),
        "{}",
        found[0].message
    );
}

#[test]
fn keys_that_crowd_a_shard_without_a_hot_key_call_for_more_shards() {
    // 2,400 records/s over 1,000 keys with Zipf skew 1.2: the busiest key carries
    // 2,400 / H(1,000; 1.2) ≈ 554 records/s, under a shard's 1,000, yet its shard throttles.
    let config = r#"{"stream": {"shards": SHARDS},
        "producers": [{"name": "p", "instances": 4, "records_per_sec": 600,
                       "distinct_keys": 1000, "key_skew": 1.2}],
        "consumers": []}"#;
    let f = fires(Rule::HotShard, json(&config.replace("SHARDS", "4")), 300);
    assert!(!f.message.contains("hot partition key"), "{}", f.message);
    assert!(!rules_out_shards(&f.message), "{}", f.message);
    assert!(advises_more_shards(&f.message), "{}", f.message);
    assert!(
        f.message.contains("p-0, carries about 554 records/s"),
        "{}",
        f.message
    );
    assert!(f.message.contains("add shards (about 5)"), "{}", f.message);
    // Spread by key the producers' load fits 5 shards, and so it does; 8 do as well.
    for more in ["5", "8"] {
        let found = run(json(&config.replace("SHARDS", more)), 600);
        assert_eq!(rules(&found), vec![Rule::Healthy], "{more}: {found:#?}");
    }
    // One key over a shard's limit is still a hot key that more shards leave alone.
    let f = fires(Rule::HotShard, preset("hot-key"), 300);
    assert!(f.message.contains("hot partition key"), "{}", f.message);
    assert!(f.message.contains("tenants-0"), "{}", f.message);
    assert!(rules_out_shards(&f.message), "{}", f.message);
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
