//! Browser tests (headless Chromium): the page mounts, every control edits the running
//! simulation, consumers come and go, charts move with time, and the model runs the
//! same numbers as natively. The page's logic itself is tested natively
//! (`tests/playground_*.rs` and the playground's unit tests).
#![cfg(target_arch = "wasm32")]

mod common;
mod web_support;

use kinesis_playground::model::Config;
use kinesis_playground::playground::View;
use kinesis_playground::teach::presets;
use kinesis_playground::web::{mount, mount_with};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::{all, click, container, find, fingerprint, fire, mounted, page_config, readout};
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn mounting_builds_controls_charts_and_a_summary() {
    let page = mounted();
    let root = page.root();
    assert!(all(root, "input[type=range]").len() >= 13);
    assert_eq!(all(root, ".charts canvas").len(), 9);
    for canvas in all(root, ".charts canvas") {
        assert!(canvas.get_attribute("aria-label").is_some());
        // Its text alternative is written when the page is first drawn.
        let text = canvas
            .get_attribute("aria-describedby")
            .and_then(|id| root.query_selector(&format!("#{id}")).ok().flatten())
            .and_then(|t| t.text_content())
            .unwrap_or_default();
        assert!(text.contains(": "), "{text:?}");
    }
    let labels = all(root, "label[for]");
    assert!(labels.len() >= 13);
    for label in labels {
        let id = label.get_attribute("for").unwrap_or_default();
        assert!(
            root.query_selector(&format!("#{id}"))
                .ok()
                .flatten()
                .is_some(),
            "label for {id}"
        );
    }
    let clock = find(root, ".clock");
    assert_eq!(clock.text_content().as_deref(), Some("day 1 · 00:00:00"));
    // The summary is read on demand; a separate live region says what changes.
    let summary = find(root, ".summary");
    assert_eq!(summary.get_attribute("aria-live"), None);
    let live = find(root, ".announce");
    assert_eq!(live.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(live.text_content().as_deref(), Some(""));
    let (drawn, _) = fingerprint(&page, "incoming");
    assert!(drawn > 2_000, "incoming chart has {drawn} drawn pixels");
}

#[wasm_bindgen_test]
fn every_slider_edits_the_running_config() {
    let page = mounted();
    page.step(30).expect("step");
    let sliders = all(page.root(), "input[type=range]");
    assert!(sliders.len() >= 13);
    for input in sliders {
        let input: HtmlInputElement = input.dyn_into().expect("an input");
        if input.id().ends_with("warm_throughput_mibps") {
            // Warm throughput is On-demand Advantage's: the mode menu switches first.
            let mode: web_sys::HtmlSelectElement =
                find(page.root(), "[data-select='stream.mode']").unchecked_into();
            mode.set_selected_index(2);
            fire(&mode, "change");
            assert!(page
                .config_json()
                .contains("\"mode\": \"on_demand_advantage\""));
        }
        let before = page.config_json();
        let max: u32 = input.max().parse().expect("max");
        let current: u32 = input.value().parse().expect("value");
        let next = if current == max { 0 } else { max };
        input.set_value(&next.to_string());
        fire(&input, "input");
        assert_ne!(
            page.config_json(),
            before,
            "{} did not change the config",
            input.id()
        );
        let notice = find(page.root(), ".banner .message").text_content();
        assert!(
            !notice.unwrap_or_default().contains("out of range"),
            "{}",
            input.id()
        );
    }
    // Still the same run: the clock did not go back.
    assert_eq!(page.now_ms(), 30_000);
}

#[wasm_bindgen_test]
fn toggles_and_the_shape_menu_edit_the_config() {
    let page = mounted();
    click(page.root(), "input[data-toggle$='fan_out']");
    assert!(page.config_json().contains("\"fan_out\": \"enhanced\""));
    let shape: web_sys::HtmlSelectElement =
        find(page.root(), "[data-select='producers.0.shape']").unchecked_into();
    shape.set_selected_index(2);
    fire(&shape, "change");
    assert!(page.config_json().contains("\"surge\""));
}

#[wasm_bindgen_test]
fn adding_and_removing_consumers_adds_and_removes_their_series() {
    let page = mounted();
    page.step(60).expect("step");
    let (_, one) = fingerprint(&page, "age");
    click(page.root(), "button[data-action=add-ecs]");
    assert_eq!(all(page.root(), "fieldset.consumer").len(), 2);
    assert!(page.config_json().contains("\"name\": \"ecs\""));
    page.step(60).expect("step");
    let (_, two) = fingerprint(&page, "age");
    assert_ne!(one, two, "the new consumer's series is drawn");
    click(page.root(), "button[data-action='remove:ecs']");
    assert_eq!(all(page.root(), "fieldset.consumer").len(), 1);
    assert!(!page.config_json().contains("\"name\": \"ecs\""));
}

#[wasm_bindgen_test]
fn charts_change_as_the_simulation_advances() {
    let page = mounted();
    let before: Vec<(usize, u64)> = ["incoming", "age", "reads"]
        .iter()
        .map(|id| fingerprint(&page, id))
        .collect();
    page.step(900).expect("step");
    let after: Vec<(usize, u64)> = ["incoming", "age", "reads"]
        .iter()
        .map(|id| fingerprint(&page, id))
        .collect();
    for ((id, b), a) in ["incoming", "age", "reads"].iter().zip(&before).zip(&after) {
        assert_ne!(b.1, a.1, "chart {id} did not change");
    }
    let clock = find(page.root(), ".clock").text_content();
    assert_eq!(clock.as_deref(), Some("day 1 · 00:15:00"));
    // Default stream: 2 shards ($0.030/h), 3.6 M PUT units ($0.050/h) and a Lambda
    // function (about $0.025/h): about $0.106 per hour.
    let cost = find(page.root(), ".cost .total")
        .text_content()
        .unwrap_or_default();
    let per_hour: f64 = cost
        .trim_start_matches('$')
        .split(' ')
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    assert!((0.095..0.12).contains(&per_hour), "{cost}");
    // The panel shows the model's own rate, rounded to the tenth of a cent.
    let snapshot = page.snapshot();
    let model = snapshot["cost_per_hour_usd"].as_f64().unwrap_or(f64::NAN);
    assert!((per_hour - model).abs() <= 0.0005, "{cost} vs {model}");
    assert!(cost.contains("per month"));
}

#[wasm_bindgen_test]
fn playing_runs_ticks_per_frame_at_the_chosen_speed() {
    let page = mounted();
    page.set_frame_budget_ms(1e9);
    let speed = find(page.root(), "[data-ui=speed]");
    speed
        .unchecked_ref::<web_sys::HtmlSelectElement>()
        .set_value("3600");
    fire(&speed, "change");
    let play = find(page.root(), "button[data-action=play]");
    play.unchecked_ref::<HtmlElement>().click();
    page.frame(1_000.0).expect("first frame");
    page.frame(1_016.0).expect("second frame");
    // 16 ms at 3,600× is 57.6 simulated seconds: 57 ticks.
    assert_eq!(page.now_ms(), 57_000);
    assert_eq!(play.text_content().as_deref(), Some("Pause"));
}

#[wasm_bindgen_test]
fn extreme_slider_values_do_not_panic() {
    let page = mounted();
    assert!(all(page.root(), "input[type=range]").len() >= 13);
    for end in ["min", "max"] {
        for input in all(page.root(), "input[type=range]") {
            let input: HtmlInputElement = input.dyn_into().expect("an input");
            let value = if end == "min" {
                input.min()
            } else {
                input.max()
            };
            input.set_value(&value);
            fire(&input, "input");
        }
        page.step(120).expect("step at extremes");
    }
    let summary = find(page.root(), ".summary").text_content();
    assert!(summary.unwrap_or_default().contains("shards"));
    // The top of every slider landed in the settings, and every record is accounted for.
    let config: serde_json::Value = serde_json::from_str(&page.config_json()).unwrap_or_default();
    assert_eq!(config["stream"]["shards"], 1_000);
    assert_eq!(config["stream"]["retention_hours"], 8_760);
    let snapshot = page.snapshot();
    let n = |k: &str| snapshot[k].as_u64().unwrap_or(u64::MAX);
    assert_eq!(
        n("produced"),
        n("accepted") + n("dropped_by_producer") + n("pending_retry"),
        "{snapshot}"
    );
}

#[wasm_bindgen_test]
fn the_browser_runs_the_same_model_bit_for_bit() {
    let got = common::digests(common::golden_config(), common::GOLDEN_SECONDS, |_| {});
    assert_eq!(
        got.metrics,
        common::GOLDEN,
        "wasm digest {:#018x} differs from the native one",
        got.metrics
    );
    assert_eq!(
        got.floats,
        common::GOLDEN_FLOATS,
        "wasm digest of utilisation and cost {:#018x} differs from the native one",
        got.floats
    );
    assert_eq!(
        common::replayed_digest(common::golden_config(), common::GOLDEN_SECONDS).0,
        common::GOLDEN
    );
}

#[wasm_bindgen_test]
fn the_browser_replays_a_steady_run_to_the_numbers_of_stepping() {
    let config = kinesis_playground::model::Config::default();
    let stepped = common::digest(config.clone(), 7_200);
    let (replayed, ticks) = common::replayed_digest(config, 7_200);
    assert_eq!(replayed, stepped);
    assert!(ticks > 7_000, "{ticks} of 7,200 ticks replayed");
}

#[wasm_bindgen_test]
fn every_chart_is_redrawn_after_an_edit_while_paused() {
    let page = mounted();
    page.set_frame_budget_ms(1e9);
    page.step(1_200).expect("20 minutes");
    // Three frames of play draw three charts, so the round-robin sits mid-way.
    click(page.root(), "button[data-action=play]");
    for t in [1_000.0, 1_016.0, 1_032.0] {
        page.frame(t).expect("frame");
    }
    click(page.root(), "button[data-action=play]");
    page.step(0).expect("redraw all");
    let ids = ["incoming", "throttled", "age", "loss", "lambda", "reads"];
    let before: Vec<_> = ids.iter().map(|id| fingerprint(&page, id)).collect();
    // A 15-minute window instead of 6 hours: every time chart must follow, one a frame.
    let window = find(page.root(), "[data-ui=window]");
    window
        .unchecked_ref::<web_sys::HtmlSelectElement>()
        .set_value("900");
    fire(&window, "change");
    for i in 0..7 {
        page.frame(2_000.0 + 16.0 * f64::from(i)).expect("frame");
    }
    for (id, old) in ids.iter().zip(before) {
        assert_ne!(
            fingerprint(&page, id).1,
            old.1,
            "{id} still shows the old window"
        );
    }
}

#[wasm_bindgen_test]
fn a_widget_without_charts_or_controls_still_runs() {
    let root = container();
    let page = mount_with(
        &root,
        Config::default(),
        View::widget(Some(Vec::new()), Some(Vec::new())),
    )
    .expect("mount");
    assert!(all(&root, "canvas, input[type=range]").is_empty());
    page.set_frame_budget_ms(1e9);
    page.set_playing(true).expect("play");
    page.frame(1_000.0).expect("first frame");
    page.frame(1_016.0).expect("second frame");
    assert_eq!(page.now_ms(), 57_000);
}

#[wasm_bindgen_test]
fn a_scripted_reshard_stays_after_an_edit_and_the_controls_follow_it() {
    // scenario-3: at 1 h an event sets 10 shards (2 → 4 → 8 → 10, 120 s a step); at
    // 2 h another raises each producer instance's rate from 250 to 1,250 records/s.
    let page = mounted();
    let root = page.root();
    let menu = find(root, "[data-ui=preset]");
    menu.unchecked_ref::<web_sys::HtmlSelectElement>()
        .set_value("scenario-3");
    fire(&menu, "change");
    // This run goes on through the lesson's checkpoints (the reshard is one).
    let pause: HtmlInputElement = find(root, "[data-ui=pause-checkpoints]").unchecked_into();
    pause.set_checked(false);
    fire(&pause, "change");
    page.set_frame_budget_ms(1e9);
    let speed = find(root, "[data-ui=speed]");
    speed
        .unchecked_ref::<web_sys::HtmlSelectElement>()
        .set_value("86400");
    fire(&speed, "change");
    click(root, "button[data-action=play]");
    // 50 ms at 86,400× is 4,320 simulated seconds: past the event and the three steps
    // (the last 3,960 s in). A part of a repeating period may be left for the next
    // frame, to be replayed whole rather than worked out.
    page.frame(1_000.0).expect("first frame");
    page.frame(1_050.0).expect("second frame");
    let now = page.now_ms();
    assert!((4_000_000..=4_320_000).contains(&now), "{now} ms");
    assert_eq!(page.snapshot()["open_shards"], 10);
    // The controls show what the run uses now, without any edit.
    assert_eq!(readout(root, "stream-shards"), "10");
    let shards: HtmlInputElement = find(root, "input[id$='-stream-shards']").unchecked_into();
    assert_eq!(
        shards.value(),
        "9",
        "the slider sits on 10 (its tenth step)"
    );
    assert_eq!(
        readout(root, "producers-0-records_per_sec"),
        "250 records/s"
    );
    assert_eq!(page_config(&page)["stream"]["shards"], 10);
    let hash = web_sys::window()
        .expect("window")
        .location()
        .hash()
        .expect("hash");
    assert!(hash.contains("stream.shards=10"), "{hash}");

    // Moving a consumer's slider edits the settings the run has now, not the preset's.
    let tasks: HtmlInputElement = find(root, "input[id$='-consumers-ecs-tasks']").unchecked_into();
    tasks.set_value("5");
    fire(&tasks, "input");
    page.frame(1_100.0).expect("third frame");
    let now = page.now_ms();
    assert!((8_320_000..=8_640_000).contains(&now), "{now} ms");
    let snapshot = page.snapshot();
    assert_eq!(snapshot["open_shards"], 10, "resharded back: {snapshot}");
    assert_eq!(readout(root, "stream-shards"), "10");
    let config = page_config(&page);
    assert_eq!(config["stream"]["shards"], 10);
    assert_eq!(config["producers"][0]["records_per_sec"], 1_250.0);
    assert_eq!(
        readout(root, "producers-0-records_per_sec"),
        "1,250 records/s"
    );
    assert_eq!(config["consumers"][1]["tasks"], 5);

    // "Fix it" starts from the same settings.
    click(root, "button[data-action=fix]");
    page.step(600).expect("ten minutes");
    assert_eq!(page.snapshot()["open_shards"], 10);
    assert_eq!(
        page_config(&page)["consumers"][1]["autoscaling"]["enabled"],
        true
    );
}

#[wasm_bindgen_test]
fn consumer_histories_follow_scripted_consumer_changes_by_name() {
    // At 60 s an event keeps `b`, replaces Lambda `a` by an ECS consumer of the same
    // name, removes `d` and adds `c`.
    let config = Config::from_json(
        r#"{"consumers": [{"type": "lambda", "name": "a"}, {"type": "kcl", "name": "b"},
                          {"type": "lambda", "name": "d"}],
            "events": [{"at_s": 60, "set": {"consumers": [
                {"type": "kcl", "name": "a"}, {"type": "kcl", "name": "b"},
                {"type": "lambda", "name": "c"}]}}]}"#,
    )
    .expect("valid");
    let page = mount(&container(), config).expect("mount");
    page.step(120).expect("two minutes");
    let legends: Vec<String> = all(page.root(), "fieldset.consumer legend")
        .iter()
        .filter_map(|l| l.text_content())
        .collect();
    assert_eq!(legends, ["ECS (KCL): a", "ECS (KCL): b", "Lambda: c"]);
    let csv = page.series_csv();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 120);
    assert!(!header.iter().any(|h| h.starts_with("d.")), "{header:?}");
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    // Whether consumer `name` has a sample in the row ending at `t_s`.
    let filled = |name: &str, t_s: usize| !rows[t_s - 1][column(name)].is_empty();
    for t in [1, 60] {
        assert!(filled("b.processed", t), "b kept from the start");
        assert!(
            !filled("a.processed", t),
            "the new `a` has no history before 61 s"
        );
        assert!(!filled("c.processed", t), "c did not exist before 61 s");
    }
    for t in [61, 120] {
        for name in ["a.processed", "b.processed", "c.processed"] {
            assert!(filled(name, t), "{name} at {t} s");
        }
    }
}

#[wasm_bindgen_test]
fn lambda_and_kcl_panels_have_the_new_sliders_with_their_help() {
    let preset = presets::find("scenario-3").expect("scenario-3");
    let page = mount(&container(), preset.config).expect("mount");
    let root = page.root();
    let help = |suffix: &str| {
        find(root, &format!("input[id$='-{suffix}'] + small.help"))
            .text_content()
            .unwrap_or_default()
    };
    assert_eq!(readout(root, "consumers-lambda-timeout_s"), "3 s");
    assert_eq!(readout(root, "consumers-lambda-poison_rate"), "none");
    assert_eq!(readout(root, "consumers-ecs-poll_interval_ms"), "1,500 ms");
    assert_eq!(readout(root, "account-lambda_concurrency"), "1,000");
    assert!(help("consumers-lambda-poison_rate").contains("Errors"));
    assert!(help("consumers-lambda-timeout_s").contains("IteratorAge"));
    let poll = help("consumers-ecs-poll_interval_ms");
    assert!(
        poll.contains("Enhanced fan-out consumers do not poll"),
        "{poll}"
    );
    assert!(
        poll.contains("1,500 ms is the default in KCL 2.x and 3.x"),
        "{poll}"
    );
    // The poison slider's second step is one record in 10,000.
    let poison: HtmlInputElement =
        find(root, "input[id$='-consumers-lambda-poison_rate']").unchecked_into();
    poison.set_value("1");
    fire(&poison, "input");
    assert_eq!(readout(root, "consumers-lambda-poison_rate"), "0.01 %");
    assert_eq!(page_config(&page)["consumers"][0]["poison_rate"], 0.0001);
    click(root, "input[data-toggle$='bisect_on_error']");
    assert_eq!(page_config(&page)["consumers"][0]["bisect_on_error"], true);
    // It runs: a minute of poisoned batches, split and retried.
    page.step(60).expect("a minute");
    assert_eq!(page.now_ms(), 60_000);
}
