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
mod cost;
mod dom;
mod events;
mod export;
mod inner;
mod lesson;
mod mount;
mod page;
mod terms;
mod text;

use std::cell::RefCell;

// The heap: a smaller (and faster) allocator than the standard library's for wasm.
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static HEAP: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use wasm_bindgen::prelude::*;

use crate::model::Config;
use crate::playground::{view, ChartId, View};
use crate::share::url;
pub use api::Playground;
pub use mount::{mount, mount_with};
pub use page::Page;

/// The page [`start`] mounted and its `hashchange` listener (the full page only).
type Started = (Page, Option<Closure<dyn FnMut()>>);

thread_local! {
    /// The page mounted by [`start`], kept alive for the lifetime of the document (or
    /// until the interface mounts another playground in its element), with the
    /// `hashchange` listener of the full page.
    static MOUNTED: RefCell<Option<Started>> =
        const { RefCell::new(None) };
}

/// Destroys the page [`start`] mounted when its element is `root`.
pub(crate) fn release_started(root: &web_sys::Element) {
    let old = MOUNTED.with(|m| {
        let mut m = m.borrow_mut();
        let here = m
            .as_ref()
            .is_some_and(|(page, _)| JsValue::from(page.root()) == JsValue::from(root));
        if here {
            m.take()
        } else {
            None
        }
    });
    if let Some((_, Some(listener))) = &old {
        if let Ok(window) = dom::window() {
            let _ = window.remove_event_listener_with_callback(
                "hashchange",
                listener.as_ref().unchecked_ref(),
            );
        }
    }
}

/// The reader changed the address's hash by hand (the page's own writes replace the
/// history entry and fire no `hashchange`): a link with other settings than the run's
/// loads them as opening it would; one that does not decode is reported on the page.
fn on_hash_change() -> Result<(), JsValue> {
    let hash = dom::window()?.location().hash()?;
    MOUNTED.with(|m| {
        let m = m.borrow();
        let Some((page, _)) = m.as_ref() else {
            return Ok(());
        };
        match url::decode(&hash) {
            Ok(state) if url::encode(&state) == page.link_hash() => Ok(()),
            Ok(state) => page.load(&state),
            Err(e) => page.restore(
                None,
                Some(format!("The link's settings were not used: {e}")),
            ),
        }
    })
}

/// Entry point: mounts the playground into `#playground`, or the compact widget into
/// `#widget`, when the document has one.
///
/// Other documents (tests, pages using [`Playground`]) have neither, so this does nothing.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    // A panic's message goes to the console (wasm's own trap says only "unreachable").
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&info.to_string()));
    }));
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
    let owns_hash = view.owns_hash;
    // The first chart first: the frame loop builds the controls on its second frame,
    // once the browser has shown that chart, and draws the other charts after.
    let mut page = mount::begin(&root, config, view)?;
    page.restore(state.as_ref(), notice)?;
    if autoplay {
        if dom::prefers_reduced_motion()? {
            page.say("Paused because your system asks for reduced motion: press Play to run.")?;
        } else {
            page.set_playing(true)?;
        }
    }
    page.inner.draw_first()?;
    if page.is_compact() {
        page.report_height()?;
    }
    page.animate()?;
    let listener = if owns_hash {
        let listener: Closure<dyn FnMut()> = Closure::new(|| {
            if let Err(e) = on_hash_change() {
                web_sys::console::error_1(&e);
            }
        });
        dom::window()?
            .add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref())?;
        Some(listener)
    } else {
        None
    };
    MOUNTED.with(|m| *m.borrow_mut() = Some((page, listener)));
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

#[cfg(test)]
mod tests {
    use crate::model::ratio::tests;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// The model's exact products, as WebAssembly: there they take a shortcut of their
    /// own past its missing multiply with overflow (`model/ratio.rs`).
    #[wasm_bindgen_test]
    fn products_are_exact_as_webassembly() {
        tests::the_shortcut_takes_only_products_that_fit();
        tests::products_are_exact_either_side_of_64_bits();
    }
}
