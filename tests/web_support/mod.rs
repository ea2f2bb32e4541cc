//! Helpers shared by the browser tests: a container to mount into, element queries,
//! events, and what the page shows (chart pixels, slider read-outs, settings).
#![cfg(target_arch = "wasm32")]
#![allow(dead_code)]

use kinesis_playground::model::Config;
use kinesis_playground::web::{mount, Page};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlElement};

/// A fresh, visible container in the test document.
pub fn container() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let div = document.create_element("div").expect("a div");
    div.set_attribute("style", "width: 1200px").expect("style");
    document
        .body()
        .expect("a body")
        .append_child(&div)
        .expect("append");
    div
}

pub fn mounted() -> Page {
    mount(&container(), Config::default()).expect("mount")
}

/// The first element under `root` matching `selector`; the test fails without one.
pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

/// Clicks the first element matching `selector`.
pub fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_ref::<HtmlElement>().click();
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("query");
    (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .collect()
}

/// (drawn pixels, hash) of the canvas of chart `id`.
pub fn fingerprint(page: &Page, id: &str) -> (usize, u64) {
    let canvas: HtmlCanvasElement = page
        .root()
        .query_selector(&format!("#chart-{id} canvas"))
        .expect("query")
        .expect("a canvas")
        .dyn_into()
        .expect("a canvas element");
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("context call")
        .expect("a 2d context")
        .dyn_into()
        .expect("a 2d context");
    let data = ctx
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .expect("image data")
        .data()
        .0;
    let bg = [data[0], data[1], data[2]];
    let mut drawn = 0;
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for p in data.chunks_exact(4) {
        if p[..3] != bg {
            drawn += 1;
        }
        for &b in &p[..3] {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    (drawn, hash)
}

pub fn fire(element: &Element, kind: &str) {
    let event = web_sys::Event::new_with_event_init_dict(kind, &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .expect("an event");
    element.dispatch_event(&event).expect("dispatch");
}

/// The read-out beside the slider whose id ends in `suffix`.
pub fn readout(root: &Element, suffix: &str) -> String {
    find(root, &format!("label[for$='-{suffix}'] + output"))
        .text_content()
        .unwrap_or_default()
}

/// The config the page would download, as JSON.
pub fn page_config(page: &Page) -> serde_json::Value {
    serde_json::from_str(&page.config_json()).expect("the page writes JSON")
}
