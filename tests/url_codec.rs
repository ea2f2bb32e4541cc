//! The URL hash codec: readable round trips and hostile input that never panics.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::path::set_path;
use kinesis_playground::model::{presets, Config, ConsumerConfig, KclConfig};
use kinesis_playground::share::url::{decode, decode_widget, encode, UrlState, WidgetOptions};
use serde_json::json;

fn state(preset: Option<&str>, config: Config) -> UrlState {
    UrlState {
        preset: preset.map(str::to_string),
        config,
        speed: Some(3_600),
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
            speed: None
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
fn added_consumers_and_new_shapes_are_written_whole_and_round_trip() {
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
    assert!(hash.contains("consumers=[{"), "{hash}");
    assert!(hash.contains("producers.producer.shape={"), "{hash}");
    assert_eq!(decode(&hash).expect("decodes"), s);
}

#[test]
fn hostile_hashes_give_errors_naming_the_part() {
    let cases: &[(&str, &str)] = &[
        (
            "stream.shards=0",
            "stream.shards: 0 is out of range 1..=10000",
        ),
        ("stream.shards=1e30", "stream.shards:"),
        ("stream.shards=99999999999999999999999999", "stream.shards:"),
        ("stream.shardz=3", "unknown field \"stream.shardz\""),
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
        ("stream.shards=%ZZ", "not valid percent-encoding"),
        (
            "consumers.ghost.tasks=2",
            "nothing is named \"consumers.ghost\"",
        ),
        ("seed=-1", "seed:"),
        ("%F0%28%8C%28=1", "not valid percent-encoding"),
    ];
    for (hash, message) in cases {
        let err = decode(hash).expect_err(hash);
        assert!(err.to_string().contains(message), "{hash}: {err}");
    }
}

#[test]
fn garbage_deep_nesting_and_huge_hashes_are_refused_without_panicking() {
    for junk in [
        "&&&",
        "=",
        "====",
        "#",
        "a=b=c",
        "producers=[",
        "consumers={\"type\":1}",
        "stream=7",
    ] {
        let _ = decode(junk);
    }
    let deep = format!("consumers={}{}", "[".repeat(5_000), "]".repeat(5_000));
    assert!(decode(&deep).is_err());
    let long = format!("stream.shards={}", "9".repeat(20_000));
    let err = decode(&long).expect_err("too long");
    assert!(err.to_string().contains("at most 16384"), "{err}");
    let many = vec!["seed=1"; 300].join("&");
    assert!(decode(&many)
        .expect_err("too many")
        .to_string()
        .contains("at most 256"));
}

const CHARTS: [&str; 3] = ["incoming", "age", "loss"];
const CONTROLS: [&str; 3] = ["shards", "retention_hours", "tasks"];

#[test]
fn widget_options_sit_beside_the_settings() {
    let (state, options) = decode_widget(
        "#preset=scenario-1&charts=age,incoming,age&controls=shards&stream.shards=3&speed=86400&autoplay=1",
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
    let (_, options) = decode_widget("autoplay=0", &CHARTS, &CONTROLS).expect("valid");
    assert!(!options.autoplay);
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
    assert_eq!(
        err("charts=%zz"),
        "charts: has a value that is not valid percent-encoding"
    );
    // The settings part is still checked as a link's is.
    assert_eq!(
        err("charts=age&stream.shards=0"),
        "stream.shards: 0 is out of range 1..=10000"
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
