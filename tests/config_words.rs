//! Messages about a config are written for people: which setting, what was given and
//! what it takes — never the parser's terms ("expected u32", "EOF while parsing",
//! "expected struct StreamConfig"), wherever the config comes from.

use kinesis_playground::model::path::set_path;
use kinesis_playground::model::Config;
use serde_json::json;

/// Config text and the exact message reading it gives.
const CASES: &[(&str, &str)] = &[
    (
        r#"{"stream": {"shards": -1}}"#,
        "stream.shards: -1 is not accepted: it takes a whole number from 1 to 10,000",
    ),
    (
        r#"{"stream": {"shards": "many"}}"#,
        r#"stream.shards: "many" is not accepted: it takes a whole number from 1 to 10,000"#,
    ),
    (
        r#"{"stream": {"shards": 2.5}}"#,
        "stream.shards: 2.5 is not accepted: it takes a whole number from 1 to 10,000",
    ),
    (
        r#"{"tick_s": true}"#,
        "tick_s: true is not accepted: it takes a whole number from 1 to 10",
    ),
    (
        r#"{"producers": [{"name": "web", "records_per_sec": "x"}]}"#,
        r#"producers.web.records_per_sec: "x" is not accepted: it takes a number from 0 to 1,000,000"#,
    ),
    (
        r#"{"consumers": [{"type": "lambda", "name": "fn", "batch_size": -5}]}"#,
        "consumers.fn.batch_size: -5 is not accepted: it takes a whole number from 1 to 10,000",
    ),
    (
        r#"{"consumers": [{"type": "kcl", "name": "ecs", "autoscaling": {"min_tasks": "x"}}]}"#,
        r#"consumers.ecs.autoscaling.min_tasks: "x" is not accepted: it takes a whole number from 0 to 1,000"#,
    ),
    (
        r#"{"consumers": [{"type": "kafka"}]}"#,
        r#"consumers.0.type: "kafka" is not one of lambda or kcl"#,
    ),
    (
        r#"{"consumers": [{"name": "fn"}]}"#,
        r#"consumers.fn: "type" is needed"#,
    ),
    (
        r#"{"consumers": [{"type": 5}]}"#,
        "consumers.0.type: 5 is not accepted: it takes text in double quotes",
    ),
    (
        r#"{"consumers": [3]}"#,
        r#"consumers.0: 3 is not accepted: it takes an object with a "type""#,
    ),
    (
        r#"{"producers": [{"shape": {"type": "constant", "every_s": 60}}]}"#,
        r#"producers.0.shape.every_s: there is no setting "every_s" here"#,
    ),
    (
        r#"{"producers": [{"shape": {"type": "surge", "peak_hour": 9}}]}"#,
        r#"producers.0.shape.peak_hour: there is no setting "peak_hour" here; the settings are every_s, duration_s, multiplier"#,
    ),
    (
        r#"{"producers": [{"shape": "daily"}]}"#,
        r#"producers.0.shape: "daily" is not accepted: it takes an object with a "type""#,
    ),
    (
        r#"{"stream": 5}"#,
        "stream: 5 is not accepted: it takes an object {...} of settings",
    ),
    (
        r#"{"stream": {"shards": 2}"#,
        "not valid JSON at line 1, column 24: the text ends before the JSON is complete \
         (a closing } or ] is missing)",
    ),
    (
        r#"{"stream": {"shards": 2,}}"#,
        "not valid JSON at line 1, column 25: a comma cannot come before } or ]",
    ),
    (
        r#"{stream: 2}"#,
        "not valid JSON at line 1, column 2: names need double quotes",
    ),
];

/// Words of the parser that a person should never see.
const PARSER_TERMS: &[&str] = &[
    "expected u",
    "expected i",
    "expected f",
    "EOF",
    "struct ",
    "`",
    "invalid type",
    "invalid value",
    "enum",
];

#[test]
fn each_bad_config_names_the_setting_what_was_given_and_what_it_takes() {
    for (text, expected) in CASES {
        let err = Config::from_json(text).expect_err(text);
        assert_eq!(err.to_string(), *expected, "{text}");
        for term in PARSER_TERMS {
            assert!(!err.to_string().contains(term), "{text}: {err}");
        }
    }
}

#[test]
fn edits_of_the_running_settings_say_the_same() {
    let config = Config::default();
    let err = set_path(&config, "stream.shards", &json!("many")).expect_err("text");
    assert_eq!(
        err.to_string(),
        r#"stream.shards: "many" is not accepted: it takes a whole number from 1 to 10,000"#
    );
    let err = set_path(&config, "consumers.lambda.batch_size", &json!(-5)).expect_err("negative");
    assert_eq!(
        err.to_string(),
        "consumers.lambda.batch_size: -5 is not accepted: it takes a whole number from 1 to 10,000"
    );
    let err = set_path(&config, "stream", &json!([1, 2])).expect_err("a list");
    assert!(!err.to_string().contains('`'), "{err}");
    assert_eq!(err.path, "stream");
}

#[test]
fn values_out_of_range_say_what_is_allowed_with_grouped_numbers() {
    let config = Config::default();
    let err = |path: &str, value: serde_json::Value| {
        set_path(&config, path, &value).expect_err(path).to_string()
    };
    assert_eq!(
        err("stream.shards", json!(20_000)),
        "stream.shards: 20,000 is not accepted: it takes a whole number from 1 to 10,000"
    );
    assert_eq!(
        err("consumers.lambda.reserved_concurrency", json!(12_000)),
        "consumers.lambda.reserved_concurrency: 12,000 is not accepted: it takes a whole \
         number from 0 to 10,000, or null for none"
    );
    assert_eq!(
        err("consumers.lambda.max_retry_attempts", json!(-2)),
        "consumers.lambda.max_retry_attempts: -2 is not accepted: it takes -1 (never) or a \
         whole number from 0 to 10,000"
    );
    assert_eq!(
        err(
            "producers.producer.shape",
            json!({"type": "daily", "peak_hour": 24})
        ),
        "producers.producer.shape.peak_hour: 24 is not accepted: it takes a number from 0 \
         up to (not including) 24"
    );
    assert_eq!(
        err("stream.retention_hours", json!(9_000)),
        "stream.retention_hours: 9,000 is not accepted: it takes a whole number from 24 to 8,760"
    );
}
