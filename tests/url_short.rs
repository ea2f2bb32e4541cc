//! Short links: a consumer added to (or removed from) the base is written by what
//! differs from a new consumer of its kind, the chart window travels in the link, and
//! links written the old way (whole consumer lists) still open.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::{Config, ConsumerConfig, KclConfig, LambdaConfig};
use kinesis_playground::share::url::{decode, encode, UrlState, WINDOWS};
use kinesis_playground::teach::presets;

fn state(preset: Option<&str>, config: Config, window: Option<Option<u64>>) -> UrlState {
    UrlState {
        preset: preset.map(str::to_string),
        config,
        speed: Some(3_600),
        window,
    }
}

/// The default config plus a Lambda consumer called `lambda-2` (batch size 50) and a
/// KCL consumer called `ecs` (4 tasks), each as the page's Add buttons make them with
/// one setting changed.
fn with_added() -> Config {
    let mut c = Config::default();
    c.consumers.push(ConsumerConfig::Lambda(LambdaConfig {
        name: "lambda-2".into(),
        batch_size: 50,
        ..LambdaConfig::default()
    }));
    c.consumers.push(ConsumerConfig::Kcl(KclConfig {
        name: "ecs".into(),
        tasks: 4,
        ..KclConfig::default()
    }));
    c
}

#[test]
fn every_preset_round_trips_with_every_window() {
    for p in presets::all() {
        for (_, seconds) in WINDOWS {
            for config in [p.config.clone(), p.fixed(&p.config).expect("fix")] {
                let s = state(Some(p.name), config, Some(seconds));
                let hash = encode(&s);
                assert!(!hash.contains("consumers=["), "{}: {hash}", p.name);
                assert_eq!(decode(&hash).expect("decodes"), s, "{}: {hash}", p.name);
            }
        }
    }
}

#[test]
fn an_added_lambda_is_its_kind_and_the_one_setting_changed() {
    let mut c = Config::default();
    c.consumers.push(ConsumerConfig::Lambda(LambdaConfig {
        name: "lambda-2".into(),
        batch_size: 50,
        ..LambdaConfig::default()
    }));
    let s = state(None, c, None);
    let hash = encode(&s);
    assert_eq!(
        hash,
        "consumers.lambda-2=lambda&consumers.lambda-2.batch_size=50&speed=3600"
    );
    assert_eq!(decode(&hash).expect("decodes"), s);
}

#[test]
fn an_added_kcl_consumer_is_its_kind_and_the_one_setting_changed() {
    let mut c = Config::default();
    c.consumers.push(ConsumerConfig::Kcl(KclConfig {
        name: "ecs".into(),
        tasks: 4,
        ..KclConfig::default()
    }));
    let s = state(None, c, None);
    let hash = encode(&s);
    assert_eq!(hash, "consumers.ecs=kcl&consumers.ecs.tasks=4&speed=3600");
    assert_eq!(decode(&hash).expect("decodes"), s);
}

#[test]
fn both_added_stay_short_and_are_far_shorter_than_the_whole_list() {
    let s = state(None, with_added(), Some(Some(900)));
    let hash = encode(&s);
    assert_eq!(
        hash,
        "consumers.lambda-2=lambda&consumers.ecs=kcl&consumers.lambda-2.batch_size=50\
         &consumers.ecs.tasks=4&speed=3600&window=15m"
    );
    // Measured: 120 bytes, where the whole list (as links were written before) took
    // 1,082 bytes for the list alone.
    assert!(hash.len() <= 120, "{} bytes: {hash}", hash.len());
    let whole = serde_json::to_string(&serde_json::to_value(&s.config).expect("json")["consumers"])
        .expect("json");
    assert_eq!(whole.len(), 1_082);
    assert_eq!(decode(&hash).expect("decodes"), s);
}

#[test]
fn a_removed_consumer_is_one_part_and_a_changed_kept_one_its_settings() {
    let base = presets::find("scenario-3").expect("preset").config;
    let mut c = base.clone();
    c.consumers.retain(|k| k.name() != "lambda");
    if let Some(ConsumerConfig::Kcl(k)) = c.consumers.iter_mut().find(|k| k.name() == "ecs") {
        k.tasks = 7;
    }
    c.consumers.push(ConsumerConfig::Lambda(LambdaConfig {
        name: "fast".into(),
        ms_per_record: 0.5,
        ..LambdaConfig::default()
    }));
    let s = state(Some("scenario-3"), c, None);
    let hash = encode(&s);
    assert_eq!(
        hash,
        "preset=scenario-3&consumers.lambda=removed&consumers.fast=lambda\
         &consumers.ecs.tasks=7&consumers.fast.ms_per_record=0.5&speed=3600"
    );
    assert_eq!(decode(&hash).expect("decodes"), s);
}

#[test]
fn a_reordered_list_is_still_written_whole_and_round_trips() {
    let mut c = presets::find("scenario-3").expect("preset").config;
    c.consumers.reverse();
    let s = state(Some("scenario-3"), c, None);
    let hash = encode(&s);
    assert!(hash.contains("consumers=[{"), "{hash}");
    assert_eq!(decode(&hash).expect("decodes"), s);
}

#[test]
fn old_links_with_whole_consumer_lists_still_open() {
    let c = with_added();
    let list =
        serde_json::to_string(&serde_json::to_value(&c).expect("json")["consumers"]).expect("json");
    // How links were written before: the whole list as JSON.
    let old = format!("consumers={list}&speed=3600");
    assert_eq!(decode(&old).expect("decodes"), state(None, c, None));
}

#[test]
fn the_window_is_named_and_a_wrong_one_or_a_wrong_consumer_edit_is_refused() {
    for (name, seconds) in WINDOWS {
        let s = decode(&format!("window={name}")).expect(name);
        assert_eq!(s.window, Some(seconds));
        assert_eq!(encode(&s), format!("window={name}"));
    }
    assert_eq!(decode("").expect("empty").window, None);
    let refused = |hash: &str| decode(hash).expect_err(hash).to_string();
    assert_eq!(
        refused("window=1h"),
        "window: \"1h\" is not one of 15m, 6h, 2d, all"
    );
    assert_eq!(
        refused("consumers.lambda=kcl"),
        "consumers.lambda: a consumer called \"lambda\" is already there; a new one needs a new name"
    );
    assert_eq!(
        refused("consumers.ghost=removed"),
        "consumers.ghost: nothing is named \"consumers.ghost\" to remove"
    );
    assert_eq!(
        refused("consumers.lambda=removed&consumers.lambda.batch_size=5"),
        "consumers.lambda.batch_size: nothing is named \"consumers.lambda\""
    );
    // A new consumer is checked like any other: its name, then its settings.
    assert_eq!(
        refused("consumers.a%20b=kcl"),
        "consumers[1].name: \"a b\" may hold only letters, digits, '-' and '_'"
    );
    assert_eq!(
        refused("consumers.ecs=kcl&consumers.ecs.tasks=5000"),
        "consumers.ecs.tasks: 5,000 is not accepted: it takes a whole number from 0 to 1,000"
    );
}
