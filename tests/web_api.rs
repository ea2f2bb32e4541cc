//! Browser tests of the JavaScript interface: `Playground.mount` with settings,
//! presets and options, `set`, `step`, `play`, `pause`, `snapshot`, `config`,
//! `destroy`, and the errors bad arguments throw.
#![cfg(target_arch = "wasm32")]

mod web_support;

use kinesis_playground::web::Playground;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_support::{all, container, find, mounted};

wasm_bindgen_test_configure!(run_in_browser);

/// A JS value from JSON text.
fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("JSON")
}

/// `obj[path]` for a dotted path of keys and indexes.
fn get(obj: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(obj.clone(), |v, key| {
        js_sys::Reflect::get(&v, &JsValue::from_str(key)).expect("readable")
    })
}

/// The message of the JS `Error` an API call threw; the test fails if it was not one.
#[track_caller]
fn thrown<T>(result: Result<T, wasm_bindgen::JsError>) -> String {
    let Err(e) = result else {
        panic!("the call was accepted");
    };
    let value = JsValue::from(e);
    let error: &js_sys::Error = value.dyn_ref().expect("a JS Error");
    String::from(error.message())
}

/// The compact view: the chosen chart and controls, no scenario menu, speed or cost.
fn shows_the_compact_view(root: &web_sys::Element) {
    assert_eq!(all(root, "canvas").len(), 1);
    find(root, "#chart-age canvas");
    assert_eq!(all(root, "input[type=range]").len(), 2);
    find(root, "[id$='-stream-shards']");
    find(root, "[id$='-consumers-lambda-ms_per_record']");
    assert!(all(
        root,
        "[data-ui=preset], [data-ui=speed], .cost, [data-action=add-lambda]"
    )
    .is_empty());
    assert!(root.class_name().contains("compact"));
    assert_eq!(
        find(root, ".lesson .question")
            .text_content()
            .map(|t| t.is_empty()),
        Some(false)
    );
}

#[wasm_bindgen_test]
fn the_js_interface_mounts_runs_sets_snapshots_and_destroys() {
    let root = container();
    let options = js(
        r#"{"compact": true, "charts": ["age"], "controls": ["shards", "ms_per_record"], "speed": 600}"#,
    );
    let mut p = Playground::mount(
        root.clone().into(),
        JsValue::from_str("scenario-1"),
        options,
    )
    .expect("mount");
    shows_the_compact_view(&root);

    p.step(JsValue::from(3_600)).expect("step");
    let snap = p.snapshot().expect("snapshot");
    assert_eq!(get(&snap, "duration_s").as_f64(), Some(3_600.0));
    assert_eq!(
        get(&snap, "clock").as_string().as_deref(),
        Some("day 1 · 01:00:00")
    );
    assert_eq!(get(&snap, "speed").as_f64(), Some(600.0));
    assert_eq!(
        get(&snap, "consumers.0.name").as_string().as_deref(),
        Some("lambda")
    );
    assert!(
        get(&snap, "consumers.0.processed")
            .as_f64()
            .expect("processed")
            > 0.0
    );
    assert!(
        get(&snap, "now.incoming_records_per_s")
            .as_f64()
            .expect("rate")
            > 0.0
    );
    assert!(js_sys::Array::is_array(&get(&snap, "diagnosis")));
    // A plain object, not a Map: JSON.stringify sees every field.
    let text = String::from(js_sys::JSON::stringify(&snap).expect("stringify"));
    assert!(text.contains("\"cost_per_hour_usd\""), "{text}");
    step_ticks(&p, 1);
    assert_eq!(
        get(&p.snapshot().expect("snapshot"), "duration_s").as_f64(),
        Some(3_601.0)
    );

    // `set` edits the running simulation and moves the slider, like the page does.
    p.set(JsValue::from_str("stream.shards"), JsValue::from(4))
        .expect("set");
    assert_eq!(
        get(&p.config().expect("config"), "stream.shards").as_f64(),
        Some(4.0)
    );
    assert_eq!(
        find(&root, "label[for$='-stream-shards'] + output")
            .text_content()
            .as_deref(),
        Some("4")
    );
    assert_eq!(
        get(&p.snapshot().expect("snapshot"), "duration_s").as_f64(),
        Some(3_601.0)
    );
    p.set(
        JsValue::from_str("consumers.lambda.fan_out"),
        JsValue::from_str("enhanced"),
    )
    .expect("set a string");
    assert_eq!(
        get(&p.config().expect("config"), "consumers.0.fan_out")
            .as_string()
            .as_deref(),
        Some("enhanced")
    );

    // play / pause drive the same clock the page's buttons do.
    p.play().expect("play");
    assert_eq!(
        get(&p.snapshot().expect("snapshot"), "playing").as_bool(),
        Some(true)
    );
    p.pause().expect("pause");
    assert_eq!(
        get(&p.snapshot().expect("snapshot"), "playing").as_bool(),
        Some(false)
    );

    p.destroy();
    assert_eq!(root.child_element_count(), 0);
    assert!(thrown(p.snapshot()).contains("Playground.snapshot: this playground was destroyed"));
    assert!(thrown(p.step(JsValue::UNDEFINED)).contains("destroyed"));
    p.destroy();
}

fn step_ticks(p: &Playground, n: u32) {
    p.step(JsValue::from(n)).expect("step");
}

#[wasm_bindgen_test]
fn the_js_interface_takes_settings_objects_with_integers_as_json_would() {
    // Another playground in the same document first.
    let _other = mounted();
    let root = container();
    let config = js(r#"{"stream": {"shards": 3, "retention_hours": 48},
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2}]}"#);
    let p = Playground::mount(root.clone().into(), config, JsValue::UNDEFINED).expect("mount");
    let c = p.config().expect("config");
    assert_eq!(get(&c, "stream.shards").as_f64(), Some(3.0));
    assert_eq!(get(&c, "consumers.0.tasks").as_f64(), Some(2.0));
    // The whole page by default: every chart.
    assert_eq!(all(&root, ".charts canvas").len(), 9);
    // Other playgrounds share this document: every label points into this one.
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let labels = all(&root, "label[for]");
    assert!(labels.len() >= 13);
    for label in labels {
        let id = label.get_attribute("for").unwrap_or_default();
        let target = document.get_element_by_id(&id).expect("labelled element");
        assert!(
            root.contains(Some(&target)),
            "{id} points outside its playground"
        );
    }
    // A page using the interface keeps its own address.
    p.set(JsValue::from_str("stream.shards"), JsValue::from(5))
        .expect("set");
    let hash = web_sys::window()
        .expect("window")
        .location()
        .hash()
        .expect("hash");
    assert!(!hash.contains("shards"), "{hash}");
}

#[wasm_bindgen_test]
fn bad_mount_arguments_throw_errors_that_say_what_was_wrong() {
    let el = || JsValue::from(container());
    let none = JsValue::UNDEFINED;
    let cases: Vec<(String, &str)> = vec![
        (
            thrown(Playground::mount(JsValue::NULL, none.clone(), none.clone())),
            "Playground.mount: the first argument must be a DOM element",
        ),
        (
            thrown(Playground::mount(
                JsValue::from_str("#lab"),
                none.clone(),
                none.clone(),
            )),
            "the first argument must be a DOM element",
        ),
        (
            thrown(Playground::mount(
                el(),
                JsValue::from_str("nope"),
                none.clone(),
            )),
            "Playground.mount: \"nope\" is not a preset; use one of healthy, ",
        ),
        (
            thrown(Playground::mount(
                el(),
                js(r#"{"stream": {"shards": 0}}"#),
                none.clone(),
            )),
            "Playground.mount: config: stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000",
        ),
        (
            thrown(Playground::mount(
                el(),
                js(r#"{"stream": {"shardz": 2}}"#),
                none.clone(),
            )),
            "stream.shardz: there is no setting \"shardz\" here",
        ),
        (
            thrown(Playground::mount(
                el(),
                js(r#"{"stream": {"shards": 1e30}}"#),
                none.clone(),
            )),
            "Playground.mount: config:",
        ),
        (
            thrown(Playground::mount(el(), JsValue::from(7), none.clone())),
            "Playground.mount: config:",
        ),
        (
            thrown(Playground::mount(
                el(),
                none.clone(),
                js(r#"{"charts": ["age", "pie"]}"#),
            )),
            "Playground.mount: options.charts: \"pie\" is not one of incoming, throttled, age",
        ),
        (
            thrown(Playground::mount(
                el(),
                none.clone(),
                js(r#"{"controls": ["colour"]}"#),
            )),
            "options.controls: \"colour\" is not one of instances,",
        ),
        (
            thrown(Playground::mount(
                el(),
                none.clone(),
                js(r#"{"colour": "red"}"#),
            )),
            "Playground.mount: options.colour: there is no such option; the options are compact, \
             charts, controls, speed, window, autoplay",
        ),
        (
            thrown(Playground::mount(el(), none.clone(), js(r#"{"speed": 0}"#))),
            "options.speed: 0 is not one of 1, 60, 600, 3600, 21600, 86400",
        ),
    ];
    for (message, expected) in &cases {
        assert!(
            message.contains(expected),
            "{message:?} should contain {expected:?}"
        );
    }
}

#[wasm_bindgen_test]
fn bad_set_and_step_arguments_throw_and_change_nothing() {
    let none = JsValue::UNDEFINED;
    let p =
        Playground::mount(JsValue::from(container()), none.clone(), none.clone()).expect("mount");
    let set = |path: JsValue, value: JsValue| thrown(p.set(path, value));
    let step = |n: JsValue| thrown(p.step(n));
    let more: Vec<(String, &str)> = vec![
        (
            set(JsValue::from(5), JsValue::from(1)),
            "Playground.set: the path must be a string",
        ),
        (
            set(JsValue::from_str("stream.shards"), none.clone()),
            "Playground.set: stream.shards: a value is needed",
        ),
        (
            set(JsValue::from_str("stream.shards"), JsValue::from(0)),
            "Playground.set: stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000",
        ),
        (
            set(
                JsValue::from_str("stream.shards"),
                JsValue::from_str("many"),
            ),
            "Playground.set: stream.shards: \"many\" is not accepted",
        ),
        (
            set(JsValue::from_str("stream.nope"), JsValue::from(1)),
            "Playground.set: stream.nope: unknown field \"stream.nope\"",
        ),
        (
            set(JsValue::from_str("consumers.ghost.tasks"), JsValue::from(1)),
            "Playground.set: consumers.ghost.tasks: nothing is named \"consumers.ghost\"",
        ),
        (
            set(
                JsValue::from_str("stream.shards"),
                js_sys::Function::new_no_args("return 1").into(),
            ),
            "Playground.set: the value is not plain JSON data",
        ),
        (
            set(
                JsValue::from_str("stream.shards"),
                js_sys::BigInt::from(3_u32).into(),
            ),
            "Playground.set: the value is not plain JSON data (",
        ),
        (
            step(JsValue::from(-1)),
            "Playground.step: n must be a whole number of ticks from 0, not -1",
        ),
        (step(JsValue::from(1.5)), "not 1.5"),
        (
            step(JsValue::from(2e6)),
            "Playground.step: 2,000,000 ticks at once would keep the page from answering",
        ),
        (
            step(JsValue::from_str("10")),
            "Playground.step: n must be a number of ticks",
        ),
        (step(JsValue::from(f64::NAN)), "not NaN"),
    ];
    for (message, expected) in &more {
        assert!(
            message.contains(expected),
            "{message:?} should contain {expected:?}"
        );
    }
    // Nothing was changed by the refused calls.
    let c = p.config().expect("config");
    assert_eq!(get(&c, "stream.shards").as_f64(), Some(2.0));
    assert_eq!(
        get(&p.snapshot().expect("snapshot"), "duration_s").as_f64(),
        Some(0.0)
    );
}
