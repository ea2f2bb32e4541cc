//! Reading a config: every object takes exactly the settings its JSON form writes,
//! left-out settings keep their defaults (each shape its own), and a value of the wrong
//! kind anywhere is refused under its own path, in the order the text gives them.

use kinesis_playground::model::config::Shape;
use kinesis_playground::model::Config;
use serde_json::{json, Value};

/// A config with one of every object: each shape, both consumer kinds, an event.
fn everything() -> Value {
    json!({
        "stream": {},
        "account": {},
        "producers": [
            {"name": "flat", "retry": {}, "shape": {"type": "constant"}},
            {"name": "daily", "shape": {"type": "daily"}},
            {"name": "surge", "shape": {"type": "surge"}},
            {"name": "batches", "shape": {"type": "batches"}}
        ],
        "consumers": [
            {"type": "lambda", "name": "fn", "reserved_concurrency": 10},
            {"type": "kcl", "name": "ecs", "max_leases_per_worker": 4, "autoscaling": {}}
        ],
        "events": [{"at_s": 60, "set": {"stream.shards": 3}}]
    })
}

/// The message of reading `value` as a config.
fn refusal(value: &Value) -> String {
    Config::from_json(&value.to_string())
        .expect_err("refused")
        .to_string()
}

/// Each object of the config, as a JSON pointer into its written form, with the path
/// messages give it.
const OBJECTS: &[(&str, &str)] = &[
    ("", ""),
    ("/stream", "stream."),
    ("/account", "account."),
    ("/producers/0", "producers.flat."),
    ("/producers/0/retry", "producers.flat.retry."),
    ("/producers/0/shape", "producers.flat.shape."),
    ("/producers/1/shape", "producers.daily.shape."),
    ("/producers/2/shape", "producers.surge.shape."),
    ("/producers/3/shape", "producers.batches.shape."),
    ("/consumers/0", "consumers.fn."),
    ("/consumers/1", "consumers.ecs."),
    ("/consumers/1/autoscaling", "consumers.ecs.autoscaling."),
    ("/events/0", "events.0."),
];

#[test]
fn an_unknown_setting_is_refused_naming_every_setting_the_config_writes_there() {
    let config = Config::from_json(&everything().to_string()).expect("a config");
    let written: Value = serde_json::from_str(&config.to_json()).expect("JSON");
    for (pointer, path) in OBJECTS {
        let keys: Vec<&str> = written
            .pointer(pointer)
            .and_then(Value::as_object)
            .expect(pointer)
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "type")
            // An event writes its fault only when it has one.
            .chain(pointer.starts_with("/events").then_some("fault"))
            .collect();
        let mut bad = everything();
        let object = bad.pointer_mut(pointer).and_then(Value::as_object_mut);
        object.expect(pointer).insert("zz".into(), json!(1));
        let settings = match keys.as_slice() {
            [] => String::new(),
            [a, b] => format!("; the settings are {a} or {b}"),
            all => format!("; the settings are {}", all.join(", ")),
        };
        assert_eq!(
            refusal(&bad),
            format!("{path}zz: there is no setting \"zz\" here{settings}"),
            "{pointer}"
        );
    }
}

#[test]
fn left_out_settings_keep_their_defaults_and_each_shape_its_own() {
    assert_eq!(Config::from_json("{}"), Ok(Config::default()));
    let config = Config::from_json(&everything().to_string()).expect("a config");
    let shapes: Vec<&Shape> = config.producers.iter().map(|p| &p.shape).collect();
    assert_eq!(
        shapes,
        [
            &Shape::Constant,
            &Shape::Daily {
                peak_hour: 14.0,
                trough: 0.3
            },
            &Shape::Surge {
                every_s: 3_600,
                duration_s: 300,
                multiplier: 3.0
            },
            &Shape::Batches { flush_every_s: 5 },
        ]
    );
    // A shape given in part takes the rest from its own defaults.
    let text = r#"{"producers": [{"shape": {"type": "surge", "multiplier": 1.5}}]}"#;
    let config = Config::from_json(text).expect("a surge");
    assert_eq!(
        config.producers[0].shape,
        Shape::Surge {
            every_s: 3_600,
            duration_s: 300,
            multiplier: 1.5
        }
    );
    // Nulls are read where a setting takes them, and written back as they came.
    let text = r#"{"consumers": [{"type": "kcl", "max_leases_per_worker": null}]}"#;
    let config = Config::from_json(text).expect("no lease cap");
    let again = Config::from_json(&config.to_json()).expect("read back");
    assert_eq!(again, config);
}

#[test]
fn a_value_of_the_wrong_kind_is_refused_under_its_path() {
    let cases = [
        (
            json!({"consumers": [{"type": "lambda", "name": "f", "fan_out": 5}]}),
            "consumers.f.fan_out: 5 is not one of shared or enhanced",
        ),
        (
            json!({"consumers": [{"type": "lambda", "on_failure": "dlq"}]}),
            "consumers.0.on_failure: \"dlq\" is not one of none, sqs, sns, s3",
        ),
        (
            json!({"stream": {"mode": "serverless"}}),
            "stream.mode: \"serverless\" is not one of provisioned, on_demand, \
             on_demand_advantage",
        ),
        (
            json!({"consumers": [{"type": "kcl", "name": "k", "tasks": null}]}),
            "consumers.k.tasks: null is not accepted: it takes a whole number from 0 to 1,000",
        ),
        (
            json!({"consumers": [{"type": "lambda", "name": "f", "reserved_concurrency": "x"}]}),
            "consumers.f.reserved_concurrency: \"x\" is not accepted: it takes a whole \
             number from 0 to 10,000, or null for none",
        ),
        (
            json!({"stream": {"shards": 5_000_000_000u64}}),
            "stream.shards: 5,000,000,000 is not accepted: it takes a whole number from 1 \
             to 10,000",
        ),
        (
            json!({"stream": {"shards": 2.0}}),
            "stream.shards: 2.0 is not accepted: it takes a whole number from 1 to 10,000",
        ),
        (
            json!({"consumers": [{"type": "lambda", "name": "f", "max_retry_attempts": 3.0}]}),
            "consumers.f.max_retry_attempts: 3.0 is not accepted: it takes -1 (never) or a \
             whole number from 0 to 10,000",
        ),
        (
            json!({"producers": [{"name": "p", "aggregation": "yes"}]}),
            "producers.p.aggregation: \"yes\" is not accepted: it takes true or false",
        ),
        (
            json!({"producers": [{"name": 7}]}),
            "producers.0.name: 7 is not accepted: it takes text in double quotes",
        ),
        (
            json!({"producers": [{"name": "p", "shape": {"type": "daily", "trough": [1]}}]}),
            "producers.p.shape.trough: a list is not accepted: it takes a number from 0 to 1",
        ),
        (
            json!({"events": [{"set": {"stream.shards": 3}}]}),
            "events.0: \"at_s\" is needed",
        ),
        (
            json!({"events": [{"at_s": 5, "set": [1]}]}),
            "events.0.set: must be a JSON object ({...}), not an array",
        ),
        (
            json!({"events": [{"at_s": 5, "fault": "throttle_put"}]}),
            "events.0.fault: \"throttle_put\" is not accepted: it takes an object {...} of \
             settings",
        ),
        (
            json!({"consumers": {"type": "kcl"}}),
            "consumers: an object is not accepted: it takes a list [...]",
        ),
        (
            json!({"account": {"lambda_concurrency": -3}}),
            "account.lambda_concurrency: -3 is not accepted: it takes a whole number from \
             100 to 100,000",
        ),
    ];
    for (value, expected) in cases {
        assert_eq!(refusal(&value), expected, "{value}");
    }
}

#[test]
fn the_first_bad_key_in_the_text_is_the_one_reported() {
    let unknown_first = r#"{"stream": {"shardz": 1, "shards": "x"}}"#;
    let err = Config::from_json(unknown_first).expect_err("refused");
    assert_eq!(err.path, "stream.shardz");
    let value_first = r#"{"stream": {"shards": "x", "shardz": 1}}"#;
    let err = Config::from_json(value_first).expect_err("refused");
    assert_eq!(err.path, "stream.shards");
    let later_entry = r#"{"producers": [{"name": "a"}, {"name": "b", "instances": -1}]}"#;
    let err = Config::from_json(later_entry).expect_err("refused");
    assert_eq!(err.path, "producers.b.instances");
}
