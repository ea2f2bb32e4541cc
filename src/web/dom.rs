//! Small helpers over `web_sys` for building and sizing page elements.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlCanvasElement, Window};

/// The global window, or an error outside a browser.
pub fn window() -> Result<Window, JsValue> {
    web_sys::window().ok_or_else(|| JsValue::from_str("no global window"))
}

/// The current document, or an error outside a browser.
pub fn document() -> Result<Document, JsValue> {
    window()?
        .document()
        .ok_or_else(|| JsValue::from_str("the window has no document"))
}

/// Creates a `tag` element with class `class` (none when empty) as the last child of `parent`.
pub fn append(
    document: &Document,
    parent: &Element,
    tag: &str,
    class: &str,
) -> Result<Element, JsValue> {
    let element = document.create_element(tag)?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    parent.append_child(&element)?;
    Ok(element)
}

/// Gives the canvas one backing pixel per device pixel of its laid-out size and
/// returns the device pixel ratio used.
pub fn fit_canvas(canvas: &HtmlCanvasElement) -> Result<f64, JsValue> {
    let ratio = window()?.device_pixel_ratio();
    let ratio = if ratio.is_finite() && ratio > 0.0 {
        ratio
    } else {
        1.0
    };
    let rect = canvas.get_bounding_client_rect();
    let css_width = if rect.width() >= 1.0 {
        rect.width()
    } else {
        640.0
    };
    let css_height = if rect.height() >= 1.0 {
        rect.height()
    } else {
        320.0
    };
    let width = (css_width * ratio).round() as u32;
    let height = (css_height * ratio).round() as u32;
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    Ok(ratio)
}

/// Whether the reader's system asks for a dark colour scheme.
pub fn prefers_dark() -> Result<bool, JsValue> {
    Ok(window()?
        .match_media("(prefers-color-scheme: dark)")?
        .is_some_and(|query| query.matches()))
}
