//! The URL hash codec: readable round trips, and the error (or the documented outcome)
//! for every kind of hostile or junk input.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::path::set_path;
use kinesis_playground::model::{Config, ConsumerConfig, KclConfig};
use kinesis_playground::share::url::{decode, decode_widget, encode, UrlState, WidgetOptions};
use kinesis_playground::teach::presets;
use serde_json::json;

fn state(preset: Option<&str>, config: Config) -> UrlState {
    UrlState {
        preset: preset.map(str::to_string),
        config,
        speed: Some(3_600),
        window: None,
    }
}

#[test]
fn a_preset_with_changes_is_short_readable_and_round_trips() {
    let base = presets::find("scenario-3").expect("preset").config;
    let c = set_path(&base, "stream.shards", &json!(4)).expect("set");
    let c = set_path(&c, "consumers.ecs.tasks", &json!(6)).expect("set");
    let s = state(Some("scenario-3"), c);
    let hash = encode(&s);
    assert_eq!(
        hash,
        "preset=scenario-3&stream.shards=4&consumers.ecs.tasks=6&speed=3600"
    );
    assert_eq!(decode(&format!("#{hash}")).expect("decodes"), s);
}

#[test]
fn every_preset_and_the_default_round_trip() {
    assert_eq!(
        encode(&UrlState {
            preset: None,
            config: Config::default(),
            speed: None,
            window: None,
        }),
        ""
    );
    for p in presets::all() {
        let s = state(Some(p.name), p.config.clone());
        assert_eq!(decode(&encode(&s)).expect("decodes"), s, "{}", p.name);
        let fixed = p.fixed(&p.config).expect("fix");
        let s = state(Some(p.name), fixed);
        assert_eq!(decode(&encode(&s)).expect("decodes"), s, "{} fixed", p.name);
    }
}

#[test]
fn added_consumers_by_their_changes_and_new_shapes_whole_round_trip() {
    let mut c = Config::default();
    c.consumers.push(ConsumerConfig::Kcl(KclConfig {
        name: "audit".into(),
        tasks: 3,
        ..KclConfig::default()
    }));
    let c = set_path(
        &c,
        "producers.producer.shape",
        &json!({"type": "daily", "peak_hour": 9, "trough": 0.2}),
    )
    .expect("set");
    let s = state(None, c);
    let hash = encode(&s);
    assert!(
        hash.contains("consumers.audit=kcl&consumers.audit.tasks=3"),
        "{hash}"
    );
    assert!(hash.contains("producers.producer.shape={"), "{hash}");
    assert_eq!(decode(&hash).expect("decodes"), s);
}

/// Checks that each hash is refused with exactly its message.
fn refused(cases: &[(&str, &str)]) {
    for (hash, message) in cases {
        let err = decode(hash).expect_err(hash).to_string();
        assert_eq!(err, *message, "{hash}");
    }
}

#[test]
fn hostile_hashes_give_errors_naming_the_part() {
    refused(&[
        (
            "stream.shards=0",
            "stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000",
        ),
        (
            "stream.shards=1e30",
            "stream.shards: 1e+30 is not accepted: it takes a whole number from 1 to 10,000",
        ),
        (
            "stream.shards=99999999999999999999999999",
            "stream.shards: 1e+26 is not accepted: it takes a whole number from 1 to 10,000",
        ),
        (
            "stream.shardz=3",
            "stream.shardz: unknown field \"stream.shardz\"",
        ),
        ("preset=nope", "preset: \"nope\" is not a preset"),
        (
            "speed=0",
            "speed: 0 is not one of 1, 60, 600, 3600, 21600, 86400",
        ),
        (
            "speed=500",
            "speed: 500 is not one of 1, 60, 600, 3600, 21600, 86400",
        ),
        ("speed=fast", "speed: \"fast\" is not a whole number"),
        (
            "consumers.ghost.tasks=2",
            "consumers.ghost.tasks: nothing is named \"consumers.ghost\"",
        ),
        (
            "seed=-1",
            "seed: -1 is not accepted: it takes a whole number from 0 to 18,446,744,073,709,551,615",
        ),
    ]);
}

#[test]
fn junk_is_refused_with_an_error_naming_the_part() {
    let bad_escape = "has a value that is not valid percent-encoding";
    refused(&[
        // A part with no name, or no value.
        ("=", "#: the part \"=\" has no name before its ="),
        ("====", "#: the part \"====\" has no name before its ="),
        ("=5&stream.shards=3", "#: the part \"=5\" has no name before its ="),
        ("stream.shards", "stream.shards: has no value; write stream.shards=VALUE"),
        ("preset", "preset: has no value; write preset=VALUE"),
        // A key given twice, however it is escaped.
        ("speed=60&speed=600", "speed: is given twice"),
        ("stream.shards=3&stream.shards=4", "stream.shards: is given twice"),
        ("preset=healthy&preset=scenario-1", "preset: is given twice"),
        ("seed=1&se%65d=2", "seed: is given twice"),
        // Speeds are digits only.
        ("speed=%2B60", "speed: \"+60\" is not a whole number"),
        ("speed=", "speed: \"\" is not a whole number"),
        // Broken percent-encoding, in a key or a value.
        ("%zz=1", "%zz: is not valid percent-encoding"),
        ("%F0%28%8C%28=1", "%F0%28%8C%28: is not valid percent-encoding"),
        (
            "stream.shards=%ZZ",
            &format!("stream.shards: {bad_escape}"),
        ),
        ("stream.shards=%+f", &format!("stream.shards: {bad_escape}")),
        ("stream.shards=%4", &format!("stream.shards: {bad_escape}")),
        // A value after the first `=` is the key's, `=` and all.
        ("a=b=c", "a: unknown field \"a\""),
        // What starts like JSON must be JSON.
        (
            "producers=[",
            "producers: has a value that is not valid JSON at line 1, column 1: the text ends before the JSON is complete (a closing } or ] is missing)",
        ),
        (
            "consumers.ecs.name=%22ecs",
            "consumers.ecs.name: has a value that is not valid JSON at line 1, column 4: the text ends before the JSON is complete (a closing } or ] is missing)",
        ),
        // JSON of the wrong shape.
        (
            "consumers={\"type\":1}",
            "consumers: an object is not accepted: it takes a list [...]",
        ),
        (
            "stream=7",
            "stream: 7 is not accepted: it takes an object {...} of settings",
        ),
        (
            "stream.shards=",
            "stream.shards: \"\" is not accepted: it takes a whole number from 1 to 10,000",
        ),
    ]);
}

#[test]
fn empty_parts_are_skipped_and_values_that_are_not_json_are_strings() {
    let default = UrlState {
        preset: None,
        config: Config::default(),
        speed: None,
        window: None,
    };
    for empty in ["", "#", "&&&", "#&"] {
        assert_eq!(decode(empty).expect(empty), default, "{empty:?}");
    }
    let spaced = decode("&stream.shards=3&&speed=60&").expect("valid");
    assert_eq!(spaced, decode("stream.shards=3&speed=60").expect("valid"));
    assert_eq!(spaced.config.stream.shards, 3);
    // A name needs no quotes; quoted, it is the same string.
    let plain = decode("preset=scenario-3&consumers.ecs.name=audit_log").expect("plain");
    let quoted = decode("preset=scenario-3&consumers.ecs.name=%22audit_log%22").expect("quoted");
    assert_eq!(plain, quoted);
    assert_eq!(plain.config.consumers[1].name(), "audit_log");
    // A number that is not JSON is a string, which a number setting refuses.
    assert_eq!(
        decode("stream.shards=three")
            .expect_err("a word")
            .to_string(),
        "stream.shards: \"three\" is not accepted: it takes a whole number from 1 to 10,000"
    );
}

#[test]
fn an_unknown_preset_is_written_as_given_and_refused_when_read() {
    let mut config = Config::default();
    config.stream.shards = 3;
    let hash = encode(&UrlState {
        preset: Some("nope".into()),
        config,
        speed: None,
        window: None,
    });
    assert_eq!(hash, "preset=nope&stream.shards=3");
    assert_eq!(
        decode(&hash).expect_err("no such preset").to_string(),
        "preset: \"nope\" is not a preset"
    );
}

#[test]
fn deep_nesting_and_huge_hashes_are_refused() {
    let deep = format!("consumers={}{}", "[".repeat(5_000), "]".repeat(5_000));
    assert_eq!(
        decode(&deep).expect_err("too deep").to_string(),
        "consumers: has a value that is not valid JSON at line 1, column 128: recursion limit exceeded"
    );
    let long = format!("stream.shards={}", "9".repeat(20_000));
    assert_eq!(
        decode(&long).expect_err("too long").to_string(),
        "#: is 20014 bytes long; at most 16384 are read"
    );
    let many = vec!["seed=1"; 300].join("&");
    assert_eq!(
        decode(&many).expect_err("too many").to_string(),
        "#: has 300 parts; at most 256 are read"
    );
    // Just inside both limits: read, and refused for what it says.
    let most: Vec<String> = (0..256).map(|i| format!("k{i}=1")).collect();
    assert_eq!(
        decode(&most.join("&"))
            .expect_err("unknown fields")
            .to_string(),
        "k0: unknown field \"k0\""
    );
}

const CHARTS: [&str; 3] = ["incoming", "age", "loss"];
const CONTROLS: [&str; 3] = ["shards", "retention_hours", "tasks"];

#[test]
fn widget_options_sit_beside_the_settings() {
    let (state, options) = decode_widget(
        "#preset=scenario-1&charts=age,+incoming+,&controls=shards&stream.shards=3&speed=86400&autoplay=1",
        &CHARTS,
        &CONTROLS,
    )
    .expect("valid");
    assert_eq!(state.preset.as_deref(), Some("scenario-1"));
    assert_eq!(state.config.stream.shards, 3);
    assert_eq!(state.speed, Some(86_400));
    assert_eq!(
        options,
        WidgetOptions {
            charts: Some(vec!["age".into(), "incoming".into()]),
            controls: Some(vec!["shards".into()]),
            autoplay: true,
        }
    );
    // Absent options are left to the widget; an empty list means none.
    let (_, options) = decode_widget("controls=", &CHARTS, &CONTROLS).expect("valid");
    assert_eq!(options.controls, Some(Vec::new()));
    assert_eq!(options.charts, None);
    assert!(!options.autoplay);
    for (hash, on) in [
        ("autoplay", true),
        ("autoplay=on", true),
        ("autoplay=0", false),
        ("autoplay=off", false),
    ] {
        let (_, options) = decode_widget(hash, &CHARTS, &CONTROLS).expect(hash);
        assert_eq!(options.autoplay, on, "{hash}");
    }
    // Empty names are skipped: a list of none.
    let (_, options) = decode_widget("charts=,,", &CHARTS, &CONTROLS).expect("valid");
    assert_eq!(options.charts, Some(Vec::new()));
}

#[test]
fn bad_widget_options_name_the_option_and_the_choices() {
    let err = |hash: &str| {
        decode_widget(hash, &CHARTS, &CONTROLS)
            .expect_err(hash)
            .to_string()
    };
    assert_eq!(
        err("charts=age,pie"),
        "charts: \"pie\" is not a chart; use incoming, age, loss"
    );
    assert_eq!(
        err("controls=shards,colour"),
        "controls: \"colour\" is not a control; use shards, retention_hours, tasks"
    );
    assert_eq!(err("autoplay=maybe"), "autoplay: \"maybe\" is not 1 or 0");
    assert_eq!(err("autoplay="), "autoplay: \"\" is not 1 or 0");
    assert_eq!(
        err("charts=age,loss,age"),
        "charts: \"age\" is listed twice"
    );
    assert_eq!(err("charts"), "charts: has no value; write charts=VALUE");
    assert_eq!(
        err("controls=tasks&controls=shards"),
        "controls: is given twice"
    );
    assert_eq!(
        err("charts=%zz"),
        "charts: has a value that is not valid percent-encoding"
    );
    // The settings part is still checked as a link's is.
    assert_eq!(
        err("charts=age&stream.shards=0"),
        "stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000"
    );
    assert!(err(&format!("charts={}", "age,".repeat(5_000))).contains("at most 16384"));
}

#[test]
fn a_link_whose_changes_only_fit_together_round_trips() {
    // Both autoscaling bounds above the default maximum: each edit alone is out of range.
    let base = presets::find("scenario-3").expect("preset").config;
    let c = set_path(&base, "consumers.ecs.autoscaling.max_tasks", &json!(30)).expect("set");
    let c = set_path(&c, "consumers.ecs.autoscaling.min_tasks", &json!(20)).expect("set");
    let s = state(Some("scenario-3"), c);
    let hash = encode(&s);
    assert!(hash.contains("min_tasks=20"), "{hash}");
    assert_eq!(decode(&hash).expect("decodes"), s);
}
