//! Findings about writes: throttling now and in the last hour, producer drops, hot and
//! crowded shards, and a reshard under way.

use kinesis_playground::model::diagnosis::{Cause, MoreShards, Sizing};
use kinesis_playground::model::Simulation;
use kinesis_playground::teach::{diagnose, presets, Recent, Rule, Severity};

use super::support::*;

#[test]
fn a_healthy_stream_gets_one_healthy_finding() {
    for seconds in [600, 3_600] {
        let found = run(preset("healthy"), seconds);
        assert_eq!(rules(&found), vec![Rule::Healthy], "{found:#?}");
        assert_eq!(found[0].severity, Severity::Ok);
        assert_eq!(found[0].consumer, None);
        assert_eq!(
            found[0].message,
            "Healthy: no write, read or Lambda throttling, no loss; every consumer is within 1 s of \
             the newest record."
        );
    }
}

#[test]
fn write_throttling_names_the_share_and_a_shard_count() {
    let f = fires(Rule::WriteThrottling, json(OVERLOAD), 300);
    assert_eq!((f.severity, f.consumer), (Severity::Warning, None));
    let (text, tried) = f
        .message
        .split_once(" gives ")
        .unwrap_or_else(|| panic!("{}", f.message));
    assert_eq!(
        text,
        "69 % of write attempts were throttled in the last minute \
         (WriteProvisionedThroughputExceeded): producers offer 3,000 new records/s (2.9 MiB/s); 2 \
         shards take 2,000 records/s or 2.0 MiB/s. Retries with backoff absorb short bursts; for \
         sustained load, add shards (about 3). In CloudWatch's 1-minute datapoints, \
         IncomingRecords (Sum) ÷ 60 is 2,000 records/s against the 2,000 records/s the shards \
         take; adding WriteProvisionedThroughputExceeded (Sum)"
    );
    // Three attempts a record: a second's attempts `a` are refused at q = 1 − 2,000 / a
    // and each new record is tried 1 + q + q² times, so a = 3,000 (1 + q + q²).
    let mut a: f64 = 3_000.0;
    for _ in 0..100 {
        let q = 1.0 - 2_000.0 / a;
        a = 3_000.0 * (1.0 + q + q * q);
    }
    let shown: f64 = tried
        .split(' ')
        .next()
        .unwrap_or_default()
        .replace(',', "")
        .parse()
        .unwrap_or_default();
    assert!(
        (shown - a).abs() < 0.01 * a,
        "{shown} tried, {a:.0} expected"
    );
    assert!(
        tried.ends_with(" records/s tried, retries included."),
        "{tried}"
    );
    let Cause::ThrottledNow(cause) = fires_typed(Rule::WriteThrottling, json(OVERLOAD), 300).cause
    else {
        panic!("not throttled now")
    };
    assert_eq!(cause.offered.records_per_s, 3_000.0);
    assert_eq!(
        cause.sizing,
        Sizing {
            more: MoreShards::Add,
            open_shards: 2,
            needed_shards: 3,
            aggregate: None
        }
    );
    quiet(Rule::WriteThrottling, preset("healthy"), 600);
}

#[test]
fn producer_drops_are_loss() {
    // 3,000 records/s offered to 2,000 records/s of shards: the 1,000 over the limit are
    // dropped after their last retry, 60,000 a minute.
    let f = fires(Rule::ProducerDrops, json(OVERLOAD), 300);
    assert_eq!((f.severity, f.consumer), (Severity::Loss, None));
    assert_eq!(
        f.message,
        "Producers gave up on 60,000 records in the last minute after their last retry: that data \
         never reached the stream. Add shards, or allow more retry attempts for short bursts."
    );
    quiet(Rule::ProducerDrops, preset("healthy"), 600);
}

#[test]
fn a_hot_key_is_told_apart_from_plain_overload() {
    let found = run(preset("hot-key"), 300);
    assert_eq!(
        rules(&found),
        vec![Rule::ProducerDrops, Rule::HotShard],
        "{found:#?}"
    );
    assert_eq!(
        find(&found, Rule::HotShard).message,
        "One shard is at its write limit while the other 3 average 22 %: a hot partition key (the \
         busiest key, tenants-0, carries about 1,231 records/s, more than one shard takes). Adding \
         shards will not cool one key; spread writes over more distinct keys."
    );
    // The drops' remedy does not advise shards either.
    let drops = find(&found, Rule::ProducerDrops);
    assert!(
        drops.message.ends_with(
            "Spread writes over more distinct keys, or allow more retry attempts for short bursts."
        ),
        "{}",
        drops.message
    );
    quiet(Rule::HotShard, json(OVERLOAD), 300);
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
    let f = fires(Rule::WriteThrottling, large.clone(), 300);
    says(
        &f.message,
        &[
            "producers offer 1,000 new records/s (24.4 MiB/s)",
            "add shards (about 25)",
        ],
    );
    let Cause::ThrottledNow(cause) = fires_typed(Rule::WriteThrottling, large, 300).cause else {
        panic!("not throttled now")
    };
    assert_eq!(cause.sizing.needed_shards, 25);
    // 3,000 small records/s: the record limit decides.
    let f = fires(Rule::WriteThrottling, json(OVERLOAD), 300);
    says(&f.message, &["add shards (about 3)"]);
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
    let crowded = fires_typed(Rule::HotShard, json(&config.replace("SHARDS", "4")), 300);
    let Cause::CrowdedKeys(cause) = crowded.cause else {
        panic!("not crowded keys: {crowded:#?}")
    };
    assert_eq!(cause.crowding.other_shards, 3);
    assert_eq!(cause.sizing.needed_shards, 5);
    // Spread by key the producers' load fits 5 shards, and so it does; 8 do as well.
    for more in ["5", "8"] {
        let found = run(json(&config.replace("SHARDS", more)), 600);
        assert_eq!(rules(&found), vec![Rule::Healthy], "{more}: {found:#?}");
    }
    // One key over a shard's limit is still a hot key that more shards leave alone.
    let f = fires_typed(Rule::HotShard, preset("hot-key"), 300);
    let Cause::HotKey(crowding) = f.cause else {
        panic!("not a hot key: {f:#?}")
    };
    let key = crowding.busiest.expect("the busiest key");
    assert_eq!(key.key, "tenants-0");
    assert!(key.records_per_s > 1_000.0, "{key:?}");
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
    says(
        &find(&before, Rule::WriteThrottling).message,
        &["for sustained load, add shards (about 5)."],
    );
    let mut seen = 0;
    watch(config, 61, 900, 1, |sim, found| {
        let resharding = sim.open_shards() != 10 || sim.reshard_step().is_some();
        if sim.now_ms() == 61_000 {
            let r = find(found, Rule::Resharding);
            assert_eq!((r.severity, r.consumer), (Severity::Ok, None));
            assert_eq!(
                r.message,
                "Resharding 2 → 10 (UpdateShardCount, at most doubling or halving per step): about \
                 6.0 min to go. Writes and reads go on meanwhile."
            );
            says(
                &find(found, Rule::WriteThrottling).message,
                &["The reshard under way takes this load once it completes (resharding 2 → 10: about 6.0 min to go)."],
            );
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
            // 4 → 8 started at 12 h and completes at 12 h 2 min; 8 → 16 waits from then
            // until 24 h and completes 2 min later.
            assert_eq!(
                find(found, Rule::Resharding).message,
                "Resharding 4 → 16 (UpdateShardCount, at most doubling or halving per step): about \
                 12.0 h to go. Writes and reads go on meanwhile. The limit of 2 UpdateShardCount \
                 calls per 24 h is reached, so about 12.0 h of that is waiting for the next call."
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
    assert_eq!(rules(&found), vec![Rule::WriteThrottling], "{found:#?}");
    let f = &found[0];
    assert_eq!((f.severity, &f.consumer), (Severity::Warning, &None));
    assert_eq!(
        f.message,
        "No write throttling in the last minute, but in the last hour: 4 bursts of write throttling \
         (144 s in all), 357,724 of 5,487,325 write attempts (6.5 %) throttled; producers retried \
         them and dropped none. Producers offer up to 2,520 records/s (1.3 MiB/s); 2 shards take \
         2,000 records/s or 2.0 MiB/s. For bursts that keep coming, add shards (about 3)."
    );
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
    let f = find(&found, Rule::WriteThrottling);
    says(
        &f.message,
        &[
            "1 burst of write throttling",
            "producers gave up on 243,537 of them",
            "The stream had at most 4 shards then; the 10 open now take that load.",
        ],
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
    let f = find(&found, Rule::WriteThrottling);
    says(
        &f.message,
        &["Writes are spread more evenly now: at that peak the busiest shard would be at about 52 % of its limit."],
    );
    assert!(!f.message.contains("distinct keys"), "{}", f.message);
    assert!(!advises_more_shards(&f.message), "{}", f.message);
    // scenario-2's bursts still come back: that is not past.
    let f = fires(Rule::WriteThrottling, preset("scenario-2"), 7_500);
    assert!(f.message.contains("add shards (about 3)"), "{}", f.message);
}

#[test]
fn a_put_fault_is_named_instead_of_advice_to_add_shards() {
    // 4 shards at half their limit; from 10 min, 30 % of PutRecords calls refused for
    // 10 minutes. Five minutes in, the fault has 5 minutes left.
    let config = json(
        r#"{"stream": {"shards": 4},
            "producers": [{"name": "p", "instances": 4, "records_per_sec": 500,
                           "record_bytes": 512, "distinct_keys": 5000}],
            "events": [{"at_s": 600, "fault": {"action": "throttle_put", "percent": 30,
                                               "duration_s": 600}}]}"#,
    );
    let found = run(config.clone(), 900);
    let throttling = find(&found, Rule::WriteThrottling);
    assert!(
        throttling.message.contains(
            "A fault injection (as AWS Fault Injection Service runs them) refuses 30 % of \
             PutRecords calls for another 5.0 min: no shard count helps while it lasts"
        ),
        "{}",
        throttling.message
    );
    assert!(
        !throttling.message.contains("add shards"),
        "{}",
        throttling.message
    );
    let drops = find(&found, Rule::ProducerDrops);
    assert!(
        drops
            .message
            .contains("refuses 30 % of PutRecords calls for another 5.0 min"),
        "{}",
        drops.message
    );
    // Once it ends, the stream is healthy again (an hour later, its bursts forgotten).
    let after = run(config, 600 + 600 + 3_700);
    assert_eq!(rules(&after), vec![Rule::Healthy], "{after:#?}");
}
