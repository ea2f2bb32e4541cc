//! Browser tests (headless Chromium): the page mounts, draws, and reacts to its slider.
#![cfg(target_arch = "wasm32")]

mod common;

use kinesis_playground::web::{mount, Page};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, Element, Event};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh, visible container in the test document.
fn container() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let div = document.create_element("div").expect("a div");
    div.set_attribute("style", "width: 800px").expect("style");
    document
        .body()
        .expect("a body")
        .append_child(&div)
        .expect("append");
    div
}

/// RGBA bytes of the whole canvas.
fn pixels(page: &Page) -> Vec<u8> {
    let canvas = page.canvas();
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("context call")
        .expect("a 2d context")
        .dyn_into()
        .expect("a CanvasRenderingContext2d");
    ctx.get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .expect("image data")
        .data()
        .0
}

/// Pixels that differ from the top-left (background) pixel.
fn drawn_pixels(rgba: &[u8]) -> usize {
    let bg = &rgba[..4];
    rgba.chunks_exact(4).filter(|p| *p != bg).count()
}

#[wasm_bindgen_test]
fn mounting_creates_the_slider_and_the_canvas() {
    let root = container();
    let page = mount(&root).expect("mount");
    assert_eq!(
        root.query_selector_all("input[type=range]")
            .expect("query")
            .length(),
        1
    );
    assert_eq!(
        root.query_selector_all("canvas").expect("query").length(),
        1
    );
    assert_eq!(page.rate_input().min(), "0");
    assert_eq!(page.rate_input().max(), "3000");
    assert!(page.canvas().width() > 0 && page.canvas().height() > 0);
    let summary = root
        .query_selector(".summary")
        .expect("query")
        .expect("a summary");
    assert!(summary
        .text_content()
        .unwrap_or_default()
        .contains("800 records/s"));
}

#[wasm_bindgen_test]
fn the_chart_is_drawn() {
    let root = container();
    let page = mount(&root).expect("mount");
    let rgba = pixels(&page);
    let drawn = drawn_pixels(&rgba);
    // Axes, labels and three lines cover well over 1 % of an 800 px wide chart.
    assert!(drawn * 100 > rgba.len() / 4, "only {drawn} drawn pixels");
}

#[wasm_bindgen_test]
fn moving_the_slider_redraws_the_chart() {
    let root = container();
    let page = mount(&root).expect("mount");
    let before = pixels(&page);
    page.rate_input().set_value("2500");
    let event = Event::new("input").expect("an input event");
    page.rate_input().dispatch_event(&event).expect("dispatch");
    let after = pixels(&page);
    assert_eq!(before.len(), after.len());
    let changed = before
        .chunks_exact(4)
        .zip(after.chunks_exact(4))
        .filter(|(a, b)| a != b)
        .count();
    assert!(changed > 1_000, "only {changed} pixels changed");
    let readout = root
        .query_selector("output")
        .expect("query")
        .expect("a readout");
    assert_eq!(readout.text_content().as_deref(), Some("2,500 records/s"));
    let summary = root
        .query_selector(".summary")
        .expect("query")
        .expect("a summary");
    assert!(summary
        .text_content()
        .unwrap_or_default()
        .contains("throttled"));
}

#[wasm_bindgen_test]
fn the_browser_runs_the_same_model_bit_for_bit() {
    let got = common::digest(common::golden_config(), common::GOLDEN_SECONDS);
    assert_eq!(
        got,
        common::GOLDEN,
        "wasm digest {got:#018x} differs from the native one"
    );
}
