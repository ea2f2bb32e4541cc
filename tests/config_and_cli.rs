//! The config contract (defaults, unknown fields, ranges, dotted paths, scripted events,
//! the tick) and routing; the command line has its own tests (`tests/cli`).
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::path::{get_path, set_path, set_paths};
use kinesis_playground::model::routing::{hash_key, EvenLayout};
use kinesis_playground::model::{Config, ConsumerConfig, Simulation};
use serde_json::json;

#[test]
fn omitted_fields_take_defaults_and_unknown_fields_are_errors() {
    let c = Config::from_json(r#"{"stream": {"shards": 5}}"#).expect("valid");
    assert_eq!(c.stream.shards, 5);
    assert_eq!(c.stream.retention_hours, 24);
    assert_eq!(c.seed, 1);
    let err = Config::from_json(r#"{"stream": {"shardz": 5}}"#).expect_err("unknown field");
    assert_eq!(err.path, "stream.shardz");
    assert!(
        err.message
            .starts_with("there is no setting \"shardz\" here; the settings are shards, "),
        "{err}"
    );
    let err = Config::from_json(r#"{"consumers": [{"type": "lambda", "batchsize": 5}]}"#)
        .expect_err("unknown consumer field");
    assert_eq!(err.path, "consumers.0.batchsize", "{err}");
}

#[test]
fn range_errors_name_the_field_and_the_allowed_range() {
    let err = Config::from_json(r#"{"stream": {"shards": 0}}"#).expect_err("out of range");
    assert_eq!(
        err.to_string(),
        "stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000"
    );
    let err =
        Config::from_json(r#"{"consumers": [{"type": "kcl", "name": "ecs", "tasks": 5000}]}"#)
            .expect_err("too many tasks");
    assert_eq!(
        err.to_string(),
        "consumers.ecs.tasks: 5,000 is not accepted: it takes a whole number from 0 to 1,000"
    );
    let err = Config::from_json(r#"{"stream": {"retention_hours": 9000}}"#).expect_err("retention");
    assert_eq!(
        err.to_string(),
        "stream.retention_hours: 9,000 is not accepted: it takes a whole number from 24 to 8,760"
    );
    let err = Config::from_json(r#"{"tick_s": 7}"#).expect_err("tick");
    assert_eq!(
        err.to_string(),
        "tick_s: 7 does not divide a minute (use 1, 2, 3, 4, 5, 6 or 10)"
    );
    let err = Config::from_json(r#"{"events": [{"at_s": 5, "set": {"stream.shards": 20000}}]}"#)
        .expect_err("bad event");
    assert_eq!(
        err.to_string(),
        "events[0].set.stream.shards: 20,000 is not accepted: it takes a whole number from 1 to 10,000"
    );
}

#[test]
fn dotted_paths_address_consumers_and_producers_by_name() {
    let c = Config::from_json(
        r#"{"consumers": [{"type": "lambda", "name": "fn"}, {"type": "kcl", "name": "ecs"}]}"#,
    )
    .expect("valid");
    let c = set_path(&c, "consumers.ecs.tasks", &json!(4)).expect("set");
    match &c.consumers[1] {
        ConsumerConfig::Kcl(k) => assert_eq!(k.tasks, 4),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        get_path(&c, "consumers.fn.batch_size").expect("get"),
        json!(100)
    );
    assert_eq!(
        get_path(&c, "producers.producer.retry.max_attempts").expect("get"),
        json!(3)
    );
    let err = set_path(&c, "consumers.nope.tasks", &json!(4)).expect_err("no such consumer");
    assert!(
        err.to_string()
            .contains("nothing is named \"consumers.nope\""),
        "{err}"
    );
    let err = set_path(&c, "stream.shards", &json!("ten")).expect_err("wrong type");
    assert!(err.to_string().starts_with("stream.shards:"), "{err}");
}

#[test]
fn edits_that_only_fit_together_are_checked_together() {
    let c = Config::from_json(r#"{"consumers": [{"type": "kcl", "name": "ecs"}]}"#).expect("valid");
    // Raising both bounds above the old maximum (10): the first edit alone is out of range.
    let (min, max) = (json!(20), json!(30));
    assert!(set_path(&c, "consumers.ecs.autoscaling.min_tasks", &min).is_err());
    let both = set_paths(
        &c,
        [
            ("consumers.ecs.autoscaling.min_tasks", &min),
            ("consumers.ecs.autoscaling.max_tasks", &max),
        ],
    )
    .expect("valid together");
    match &both.consumers[0] {
        ConsumerConfig::Kcl(k) => {
            assert_eq!((k.autoscaling.min_tasks, k.autoscaling.max_tasks), (20, 30))
        }
        other => panic!("{other:?}"),
    }
    // A type error still names its own path.
    let ten = json!("ten");
    let err = set_paths(
        &c,
        [("stream.shards", &json!(3)), ("consumers.ecs.tasks", &ten)],
    )
    .expect_err("wrong type");
    assert!(err.to_string().starts_with("consumers.ecs.tasks:"), "{err}");

    // Scripted events are checked in the order they run, each on top of the ones before:
    // one event moving both bounds passes; two that clash (min 5, then max 3) do not.
    let with_events = |events: &str| {
        Config::from_json(&format!(
            r#"{{"consumers": [{{"type": "kcl", "name": "ecs"}}], "events": {events}}}"#
        ))
    };
    with_events(
        r#"[{"at_s": 60, "set": {"consumers.ecs.autoscaling.min_tasks": 20,
                                 "consumers.ecs.autoscaling.max_tasks": 30}}]"#,
    )
    .expect("one event moving both bounds");
    let err = with_events(
        r#"[{"at_s": 120, "set": {"consumers.ecs.autoscaling.max_tasks": 3}},
            {"at_s": 60, "set": {"consumers.ecs.autoscaling.min_tasks": 5}}]"#,
    )
    .expect_err("the later event clashes with the earlier one");
    assert_eq!(
        err.to_string(),
        "events[0].set.consumers.ecs.autoscaling.max_tasks: 3 is not accepted: it takes a whole number from 5 to 1,000"
    );
}

#[test]
fn routing_matches_known_md5_values_and_range_boundaries() {
    assert_eq!(hash_key("a"), 0x0cc1_75b9_c0f1_b6a8_31c3_99e2_6977_2661);
    assert_eq!(hash_key("abc"), 0x9001_5098_3cd2_4fb0_d696_3f7d_28e1_7f72);
    let two = EvenLayout::new(2);
    assert_eq!(two.range(0).end + 1, 1u128 << 127);
    assert_eq!(
        two.range(1).start,
        170_141_183_460_469_231_731_687_303_715_884_105_728
    );
    assert_eq!(two.range(1).end, u128::MAX);
    assert_eq!(two.shard_of(hash_key("a")), 0);
    assert_eq!(two.shard_of(hash_key("abc")), 1);
    let three = EvenLayout::new(3);
    let w = three.range(0).end + 1;
    assert_eq!(w, u128::MAX / 3);
    assert_eq!(three.shard_of(w - 1), 0);
    assert_eq!(three.shard_of(w), 1);
    assert_eq!(three.shard_of(u128::MAX), 2);
    assert_eq!(EvenLayout::new(1).shard_of(u128::MAX), 0);
}

#[test]
fn the_tick_length_is_fixed_for_a_run() {
    // A scripted event may not change it, nor the script itself.
    let err = Config::from_json(r#"{"events": [{"at_s": 60, "set": {"tick_s": 10}}]}"#)
        .expect_err("an event setting the tick");
    assert_eq!(
        err.to_string(),
        "events[0].set.tick_s: cannot change during a run"
    );
    let err = Config::from_json(
        r#"{"events": [{"at_s": 5, "set": {"stream.shards": 3}},
                       {"at_s": 9, "set": {"events": []}}]}"#,
    )
    .expect_err("an event setting the events");
    assert_eq!(
        err.to_string(),
        "events[1].set.events: cannot change during a run"
    );
    // Nor may new settings for a running simulation.
    let mut sim = Simulation::new(Config::default()).expect("valid");
    let faster = Config {
        tick_s: 10,
        ..Config::default()
    };
    let err = sim.apply(faster).expect_err("a new tick");
    assert!(
        err.to_string()
            .starts_with("tick_s: cannot change during a run"),
        "{err}"
    );

    // `run_for` runs the whole ticks that fit, never past the time asked for.
    let config = Config::from_json(r#"{"tick_s": 10}"#).expect("valid");
    let mut sim = Simulation::new(config).expect("valid");
    sim.run_for(25);
    assert_eq!(sim.now_ms(), 20_000);
    sim.run_for(9);
    assert_eq!(sim.now_ms(), 20_000);
    sim.run_for(10);
    assert_eq!(sim.now_ms(), 30_000);
    sim.run_for(0);
    assert_eq!(sim.now_ms(), 30_000);
}

#[test]
fn ten_thousand_scripted_events_validate_each_on_top_of_the_ones_before() {
    // Events every second alternate the producer's rate and the shard count; the list
    // is written in reverse so that replaying it in time order matters.
    let events: Vec<serde_json::Value> = (0..10_000u64)
        .rev()
        .map(|t| {
            json!({"at_s": t, "set": {
                "producers.p.records_per_sec": 100 + t % 2 * 100,
                "stream.shards": 2 + t % 2,
            }})
        })
        .collect();
    let text = json!({
        "producers": [{"name": "p"}],
        "consumers": [{"type": "kcl", "name": "ecs"}],
        "events": events,
    })
    .to_string();
    let config = Config::from_json(&text).expect("10,000 events validate");
    assert_eq!(config.events.len(), 10_000);
    // The replay meets every event once, in time order, each on top of the ones before.
    let mut seen = Vec::new();
    config
        .replay_events(|event, state| {
            let rate = state.producers[0].records_per_sec;
            seen.push((event.at_s, rate as u64, state.stream.shards));
        })
        .expect("replays");
    assert_eq!(seen.len(), 10_000);
    for (t, (at_s, rate, shards)) in seen.iter().enumerate() {
        let t = t as u64;
        assert_eq!(
            (*at_s, *rate, *shards),
            (t, 100 + t % 2 * 100, 2 + t as u32 % 2)
        );
    }
    // The event last in time, first in the list, is checked on top of all the others:
    // raising min_tasks above the max_tasks that the first event in time set fails there.
    let mut events =
        vec![json!({"at_s": 10_000, "set": {"consumers.ecs.autoscaling.min_tasks": 8}})];
    events.push(json!({"at_s": 0, "set": {"consumers.ecs.autoscaling.max_tasks": 5}}));
    events.extend((1..10_000u64).map(|t| json!({"at_s": t, "set": {"stream.shards": 2 + t % 2}})));
    let text = json!({"consumers": [{"type": "kcl", "name": "ecs"}], "events": events}).to_string();
    let err = Config::from_json(&text).expect_err("the last event clashes");
    assert_eq!(
        err.to_string(),
        "events[0].set.consumers.ecs.autoscaling.max_tasks: 5 is not accepted: it takes a whole number from 8 to 1,000"
    );
}

#[test]
fn a_config_is_one_json_object_and_may_start_with_a_byte_order_mark() {
    for text in ["[]", "[5, 10]", "5", "\"config\"", "null", "true"] {
        let err = Config::from_json(text).expect_err(text);
        assert!(
            err.to_string().starts_with("a config is a JSON object"),
            "{text}: {err}"
        );
    }
    assert_eq!(
        Config::from_json("[5, 10]").expect_err("array").to_string(),
        "a config is a JSON object ({...}), not an array"
    );
    // Nor is a list accepted for a setting that is an object, in a file or an event.
    let err = Config::from_json(r#"{"stream": [3, 48]}"#).expect_err("stream as a list");
    assert_eq!(
        err.to_string(),
        "stream: must be a JSON object ({...}), not an array"
    );
    let err = Config::from_json(r#"{"producers": [{"name": "p", "retry": [5]}]}"#)
        .expect_err("retry as a list");
    assert_eq!(
        err.to_string(),
        "producers.p.retry: must be a JSON object ({...}), not an array"
    );
    let err = Config::from_json(r#"{"events": [{"at_s": 5, "set": {"stream": [3]}}]}"#)
        .expect_err("an event setting stream to a list");
    assert_eq!(
        err.to_string(),
        "events[0].set.stream: must be a JSON object ({...}), not an array"
    );
    // Whole lists of members are still fine.
    let c = Config::from_json(
        r#"{"events": [{"at_s": 5, "set": {"consumers": [{"type": "kcl", "name": "b"}]}}]}"#,
    )
    .expect("a new consumer list");
    assert_eq!(c.events.len(), 1);

    let c = Config::from_json("\u{feff}{\"stream\": {\"shards\": 3}}").expect("BOM");
    assert_eq!(c.stream.shards, 3);
}
