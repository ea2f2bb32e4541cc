//! The page in the browser: mounting, delegated events, the frame loop, canvases and
//! downloads, around the browser-free [`crate::playground`].
//!
//! This is the only module that names browser types. Events are delegated: one `input`,
//! one `change` and one `click` listener on the root find the control by its data
//! attributes, edit the running config through a dotted path, and mark charts owed.
//! Each animation frame runs as many model ticks as the speed asks (within a time
//! budget) and redraws one chart, round-robin, so no frame blocks the page.

mod api;
mod canvas;
mod dom;
mod events;
mod export;
mod inner;
mod lesson;
mod mount;
mod page;
mod terms;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::model::Config;
use crate::playground::{view, ChartId, View};
use crate::share::url;
pub use api::Playground;
pub use mount::{mount, mount_with};
pub use page::Page;

thread_local! {
    /// The page mounted by [`start`], kept alive for the lifetime of the document.
    static MOUNTED: RefCell<Option<Page>> = const { RefCell::new(None) };
}

/// Entry point: mounts the playground into `#playground`, or the compact widget into
/// `#widget`, when the document has one.
///
/// Other documents (tests, pages using [`Playground`]) have neither, so this does nothing.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let document = dom::document()?;
    let hash = dom::window()?.location().hash().unwrap_or_default();
    let hash = if hash.len() > 1 { hash } else { String::new() };
    let (root, view, decoded, autoplay) =
        if let Some(root) = document.get_element_by_id("playground") {
            let decoded = (!hash.is_empty()).then(|| url::decode(&hash).map_err(|e| e.to_string()));
            (root, View::full(), decoded, false)
        } else if let Some(root) = document.get_element_by_id("widget") {
            let widget = url::decode_widget(&hash, &ChartId::names(), &view::control_keys())
                .map_err(|e| e.to_string())
                .and_then(|(state, options)| {
                    let charts = options.charts.as_deref().map(ChartId::parse_list);
                    Ok((state, charts.transpose()?, options))
                });
            match widget {
                Ok((state, charts, options)) => (
                    root,
                    View::widget(charts, options.controls),
                    Some(Ok(state)),
                    options.autoplay,
                ),
                Err(e) => (root, View::widget(None, None), Some(Err(e)), false),
            }
        } else {
            return Ok(());
        };
    // Settings come from the link's hash when it has any; a bad one is reported, not fatal.
    let (state, notice) = match decoded {
        Some(Ok(state)) => (Some(state), None),
        Some(Err(e)) => (
            None,
            Some(format!("The link's settings were not used: {e}")),
        ),
        None => (None, None),
    };
    let config = state
        .as_ref()
        .map_or_else(Config::default, |s| s.config.clone());
    let mut page = mount_with(&root, config, view)?;
    page.restore(state.as_ref(), notice)?;
    if autoplay {
        if dom::prefers_reduced_motion()? {
            page.say("Paused because your system asks for reduced motion: press Play to run.")?;
        } else {
            page.set_playing(true)?;
        }
    }
    if page.is_compact() {
        page.report_height()?;
    }
    page.animate()?;
    MOUNTED.with(|m| *m.borrow_mut() = Some(page));
    Ok(())
}

/// The text of a JS error value (an `Error`'s message, a string, or its JSON form).
pub(crate) fn message(err: &JsValue) -> String {
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    err.as_string()
        .or_else(|| js_sys::JSON::stringify(err).ok().map(String::from))
        .unwrap_or_else(|| "unknown error".into())
}
