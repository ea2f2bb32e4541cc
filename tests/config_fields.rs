//! The settings table: it names every numeric setting of the config, its defaults are
//! the config's defaults, its ranges are the ones validation enforces, every slider
//! position validates on every preset, and docs/config.md is written from it.

use kinesis_playground::model::config::fields::{self, Field, Kind, Section, FIELDS};
use kinesis_playground::model::path::{get_path, set_path};
use kinesis_playground::model::Config;
use serde_json::{json, Value};

/// A config holding one of everything: a producer of each shape, a Lambda function with
/// a reservation and a KCL fleet with a lease cap, so every field has a place.
fn everything() -> Config {
    let text = json!({
        "producers": [
            {"name": "flat"},
            {"name": "daily", "shape": {"type": "daily"}},
            {"name": "surge", "shape": {"type": "surge"}},
            {"name": "batches", "shape": {"type": "batches"}}
        ],
        "consumers": [
            {"type": "lambda", "name": "fn", "reserved_concurrency": 10},
            {"type": "kcl", "name": "ecs", "max_leases_per_worker": 4}
        ]
    });
    Config::from_json(&text.to_string()).expect("a config of every part")
}

/// The concrete path of `field` in [`everything`], for the entry that has it.
fn path_in_everything(field: &Field) -> String {
    let entry = match field.section {
        Section::Producer if field.name.starts_with("shape.") => {
            if ["shape.peak_hour", "shape.trough"].contains(&field.name) {
                "producers.daily."
            } else if field.name == "shape.flush_every_s" {
                "producers.batches."
            } else {
                "producers.surge."
            }
        }
        Section::Producer => "producers.flat.",
        Section::Lambda => "consumers.fn.",
        Section::Kcl => "consumers.ecs.",
        Section::Run | Section::Stream | Section::Account => field.section.prefix(),
    };
    format!("{entry}{}", field.name)
}

#[test]
fn every_numeric_setting_has_exactly_one_row() {
    let mut patterns: Vec<String> = FIELDS.iter().map(Field::pattern).collect();
    patterns.sort();
    patterns.dedup();
    assert_eq!(patterns.len(), FIELDS.len(), "a setting is listed twice");

    // Every number (or null) in the config's JSON, by path.
    fn leaves(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    let at = if at.is_empty() {
                        key.clone()
                    } else {
                        format!("{at}.{key}")
                    };
                    leaves(v, at, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    leaves(item, format!("{at}.*"), out);
                }
            }
            Value::Number(_) | Value::Null => out.push(at),
            Value::String(_) | Value::Bool(_) => {}
        }
    }
    let mut found = Vec::new();
    leaves(
        &serde_json::to_value(everything()).expect("json"),
        String::new(),
        &mut found,
    );
    found.sort();
    found.dedup();
    assert_eq!(found, patterns, "the table and the config's numbers differ");
}

#[test]
fn the_table_defaults_are_the_config_defaults() {
    // The fixture sets these two; everything else is left to its default.
    let set_by_fixture = [
        "consumers.fn.reserved_concurrency",
        "consumers.ecs.max_leases_per_worker",
    ];
    let config = everything();
    for field in FIELDS {
        let path = path_in_everything(field);
        let actual = if set_by_fixture.contains(&path.as_str()) {
            // Both are null unless set: read them from a fresh entry of their kind.
            let fresh = Config::from_json(
                r#"{"consumers": [{"type": "lambda", "name": "fn"}, {"type": "kcl", "name": "ecs"}]}"#,
            )
            .expect("defaults");
            get_path(&fresh, &path).expect("the path exists")
        } else {
            get_path(&config, &path).expect("the path exists")
        };
        match field.default {
            None => assert_eq!(actual, Value::Null, "{path}"),
            Some(d) => assert_eq!(actual.as_f64(), Some(d), "{path}"),
        }
    }
}

#[test]
fn validation_refuses_just_outside_each_range_and_takes_both_ends() {
    let base = everything();
    for field in FIELDS {
        let path = path_in_everything(field);
        if field.name == "seed" {
            continue; // every u64 is a seed
        }
        let step = if matches!(field.kind, Kind::Real | Kind::RealBelow) {
            field.max.abs().max(1.0) * 1e-9
        } else {
            1.0
        };
        // Cross-field rules would refuse some ends for other reasons; these are the
        // settings whose ends depend on another one.
        let tied = [
            "record_bytes",
            "warm_throughput_mibps",
            "reserved_concurrency",
            "shape.duration_s",
            "shape.every_s",
            "lambda_concurrency",
            "autoscaling.min_tasks",
            "autoscaling.max_tasks",
        ];
        let low = field.min;
        let high = if field.kind == Kind::RealBelow {
            field.max - step
        } else {
            field.max
        };
        if !tied.contains(&field.name) {
            for end in [low, high] {
                let edited = set_path(&base, &path, &field.json(end));
                assert!(edited.is_ok(), "{path} = {end}: {edited:?}");
            }
        }
        let above = if field.kind == Kind::RealBelow {
            field.max
        } else {
            field.max + step
        };
        let err = set_path(&base, &path, &field.json(above)).expect_err("above the range");
        assert_eq!(err.path, path, "{err}");
        if field.min > 0.0 && field.kind != Kind::IntOrNever && field.kind != Kind::IntOrNull {
            let err =
                set_path(&base, &path, &field.json(field.min - step)).expect_err("below the range");
            assert_eq!(err.path, path, "{err}");
        }
    }
}

#[test]
fn slider_steps_rise_and_stay_in_range() {
    let sliders: Vec<&Field> = FIELDS
        .iter()
        .filter(|f| f.steps.values().len() > 1)
        .collect();
    assert_eq!(sliders.len(), 25, "the page's sliders");
    for field in sliders {
        let values = field.steps.values();
        assert!(
            values.windows(2).all(|w| w[0] < w[1]),
            "{}",
            field.pattern()
        );
        let nullable = field.kind == Kind::IntOrNull;
        let never = field.kind == Kind::IntOrNever;
        for v in values {
            let inside = (field.min..=field.max).contains(&v);
            assert!(
                inside || (nullable && v == 0.0) || (never && v == -1.0),
                "{} = {v} is outside {}",
                field.pattern(),
                field.range_text()
            );
        }
    }
}

#[test]
fn concrete_paths_find_their_row() {
    let row = |p: &str| fields::for_path(p).map(Field::pattern);
    assert_eq!(row("stream.shards").as_deref(), Some("stream.shards"));
    assert_eq!(
        row("producers.web.retry.max_attempts").as_deref(),
        Some("producers.*.retry.max_attempts")
    );
    assert_eq!(
        row("consumers.ecs.poll_interval_ms").as_deref(),
        Some("consumers.*.poll_interval_ms")
    );
    assert_eq!(
        row("consumers.0.batch_size").as_deref(),
        Some("consumers.*.batch_size")
    );
    assert_eq!(row("tick_s").as_deref(), Some("tick_s"));
    assert_eq!(row("stream.nothing"), None);
    assert_eq!(row("consumers.ecs"), None);
}

#[test]
fn sliders_write_whole_numbers_nulls_and_never_as_the_config_reads_them() {
    let field = |s, n| fields::field(s, n).expect("row");
    assert_eq!(field(Section::Stream, "shards").json(12.0), json!(12));
    assert_eq!(field(Section::Producer, "key_skew").json(0.3), json!(0.3));
    assert_eq!(
        field(Section::Lambda, "reserved_concurrency").json(0.0),
        Value::Null
    );
    assert_eq!(
        field(Section::Lambda, "reserved_concurrency").json(50.0),
        json!(50)
    );
    assert_eq!(
        field(Section::Lambda, "max_retry_attempts").json(-1.0),
        json!(-1)
    );
    assert_eq!(
        field(Section::Kcl, "max_leases_per_worker").json(0.0),
        Value::Null
    );
    assert_eq!(
        field(Section::Lambda, "error_rate").steps.values()[3],
        0.15,
        "grid steps are exact tenths and twentieths"
    );
}

#[test]
#[cfg(not(target_arch = "wasm32"))]
fn docs_config_md_is_the_table() {
    let table = fields::markdown();
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/config.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(file, &table).expect("docs/config.md written");
    }
    let written = std::fs::read_to_string(file).unwrap_or_default();
    if written != table {
        panic!("docs/config.md is out of date (`make docs` rewrites it):\n{table}");
    }
    assert!(
        table.contains("| `stream.shards` | 1..=10,000 |  | 2 |"),
        "{table}"
    );
    assert!(table.contains("| `consumers.*.max_retry_attempts` | -1 or 0..=10,000 |  | -1 |"));
}
