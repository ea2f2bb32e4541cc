//! Browser test of the page's own start (`#playground`): the first chart is drawn and
//! marked at once, before the controls; the frame loop builds the controls on its second
//! frame and then draws every chart, one a frame.
#![cfg(target_arch = "wasm32")]

mod web_support;

use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_support::{all, find};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// Resolves in the next animation frame.
async fn next_frame() {
    let frame = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .request_animation_frame(&resolve)
            .expect("a frame");
    });
    JsFuture::from(frame).await.expect("the frame came");
}

/// How many of the charts under `root` have been drawn.
fn drawn(root: &Element) -> usize {
    all(root, ".charts canvas")
        .iter()
        .filter(|c| c.has_attribute("data-until"))
        .count()
}

#[wasm_bindgen_test]
async fn start_draws_the_first_chart_first_and_the_rest_on_later_frames() {
    let window = web_sys::window().expect("a window");
    let document = window.document().expect("a document");
    let root = document.create_element("main").expect("a main");
    root.set_id("playground");
    root.set_attribute("style", "width: 1200px").expect("style");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append");

    kinesis_playground::web::start().expect("start");
    assert_eq!(all(&root, ".charts canvas").len(), 9);
    assert_eq!(drawn(&root), 1, "the first chart, and only it");
    assert!(all(&root, ".controls > *").is_empty(), "no controls yet");
    // The findings above the charts are written first, so the first chart stays put.
    assert!(!all(&root, ".diagnosis li").is_empty());
    let marks = window
        .performance()
        .expect("a clock")
        .get_entries_by_name("first-chart");
    assert_eq!(marks.length(), 1, "the mark is set");

    next_frame().await;
    assert!(
        all(&root, ".controls > *").is_empty(),
        "the frame that shows the first chart does nothing else"
    );
    next_frame().await;
    assert_eq!(
        find(&root, ".clock").text_content().as_deref(),
        Some("day 1 · 00:00:00")
    );
    assert!(all(&root, "input[type=range]").len() >= 13);
    let mut frames = 0;
    while drawn(&root) < 9 && frames < 60 {
        next_frame().await;
        frames += 1;
    }
    assert_eq!(drawn(&root), 9, "every chart after {frames} frames");
    assert!(frames > 1, "the charts come one a frame");
    // With the round of every chart come their text alternatives and the cost panel.
    let text = find(&root, "#kp-chart-age-text").text_content();
    assert!(text.unwrap_or_default().contains(": "));
    assert!(!all(&root, ".cost table").is_empty());
}
