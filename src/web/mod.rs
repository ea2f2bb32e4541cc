//! The page: builds the controls and the chart inside a root element and redraws on input.
//!
//! This is the only module that names browser types. It owns the model's numbers for
//! the current settings and hands them to [`crate::chart`] to draw on a canvas.

mod dom;

use std::cell::RefCell;
use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, HtmlCanvasElement, HtmlInputElement};

use crate::chart::format::thousands;
use crate::chart::{draw_write_chart, Theme};
use crate::model::{OneShardWrites, WriteSample};

/// Simulated seconds shown on the chart.
const WINDOW_S: u64 = 600;
/// Producer rate when the page opens, in records/s.
const DEFAULT_RATE: u32 = 800;

thread_local! {
    /// The page mounted by [`start`], kept alive for the lifetime of the document.
    static MOUNTED: RefCell<Option<Page>> = const { RefCell::new(None) };
}

/// Entry point: mounts the playground into `#playground` when the document has one.
///
/// Test documents have no such element, so this does nothing there.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let Some(root) = dom::document()?.get_element_by_id("playground") else {
        return Ok(());
    };
    let page = mount(&root)?;
    MOUNTED.with(|m| *m.borrow_mut() = Some(page));
    Ok(())
}

/// The mounted playground. Dropping it removes its event listeners.
pub struct Page {
    rate: HtmlInputElement,
    canvas: HtmlCanvasElement,
    on_input: Closure<dyn FnMut(Event)>,
    on_resize: Closure<dyn FnMut(Event)>,
}

impl Page {
    /// The producer-rate slider.
    pub fn rate_input(&self) -> &HtmlInputElement {
        &self.rate
    }

    /// The chart canvas.
    pub fn canvas(&self) -> &HtmlCanvasElement {
        &self.canvas
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        let input = self.on_input.as_ref().unchecked_ref();
        let _ = self
            .rate
            .remove_event_listener_with_callback("input", input);
        if let Ok(window) = dom::window() {
            let resize = self.on_resize.as_ref().unchecked_ref();
            let _ = window.remove_event_listener_with_callback("resize", resize);
        }
    }
}

/// What the controls and chart need to redraw.
struct View {
    rate: HtmlInputElement,
    readout: Element,
    canvas: HtmlCanvasElement,
    summary: Element,
}

impl View {
    /// Recomputes the model for the slider's value and redraws everything that shows it.
    fn render(&self) -> Result<(), JsValue> {
        let rate = self.rate.value_as_number();
        let rate = if rate.is_finite() {
            rate.clamp(0.0, 3_000.0)
        } else {
            0.0
        };
        let mut sim = OneShardWrites::new(rate);
        let limit = sim.accepted_limit_per_s();
        let samples = sim.run(WINDOW_S);
        self.readout
            .set_text_content(Some(&format!("{} records/s", thousands(rate as u64))));
        self.summary
            .set_text_content(Some(&summary_text(rate, limit, &samples)));
        self.draw(&samples, limit)
    }

    fn draw(&self, samples: &[WriteSample], limit: u64) -> Result<(), JsValue> {
        let scale = dom::fit_canvas(&self.canvas)?;
        let theme = if dom::prefers_dark()? {
            Theme::DARK
        } else {
            Theme::LIGHT
        }
        .scaled(scale);
        let backend = CanvasBackend::with_canvas_object(self.canvas.clone())
            .ok_or_else(|| JsValue::from_str("the chart canvas has no 2D context"))?;
        let root = backend.into_drawing_area();
        draw_write_chart(&root, samples, limit, &theme)
            .map_err(|e| JsValue::from_str(&format!("drawing the chart failed: {e}")))
    }
}

/// One sentence a screen reader announces after each change.
fn summary_text(rate: f64, limit: u64, samples: &[WriteSample]) -> String {
    let offered: u64 = samples.iter().map(|s| s.offered).sum();
    let accepted: u64 = samples.iter().map(|s| s.accepted).sum();
    let throttled = offered - accepted;
    let share = if offered == 0 {
        0.0
    } else {
        100.0 * throttled as f64 / offered as f64
    };
    format!(
        "Producers offer {} records/s on average. Over {} simulated seconds the shard \
         accepted {} of {} records; {} ({:.1} %) were throttled by its {} records/s limit.",
        thousands(rate.round() as u64),
        WINDOW_S,
        thousands(accepted),
        thousands(offered),
        thousands(throttled),
        share,
        thousands(limit),
    )
}

/// Builds the playground inside `root` and draws it once.
pub fn mount(root: &Element) -> Result<Page, JsValue> {
    let document = dom::document()?;
    root.set_inner_html("");

    let controls = dom::append(&document, root, "div", "controls")?;
    let field = dom::append(&document, &controls, "div", "control")?;
    let label = dom::append(&document, &field, "label", "")?;
    label.set_attribute("for", "kp-rate")?;
    label.set_text_content(Some("Producer rate"));
    let rate: HtmlInputElement = dom::append(&document, &field, "input", "")?.dyn_into()?;
    rate.set_id("kp-rate");
    rate.set_type("range");
    rate.set_min("0");
    rate.set_max("3000");
    rate.set_step("50");
    rate.set_value(&DEFAULT_RATE.to_string());
    let readout = dom::append(&document, &field, "output", "readout")?;
    readout.set_attribute("for", "kp-rate")?;

    let figure = dom::append(&document, root, "figure", "chart")?;
    let canvas: HtmlCanvasElement = dom::append(&document, &figure, "canvas", "")?.dyn_into()?;
    canvas.set_attribute("role", "img")?;
    canvas.set_attribute(
        "aria-label",
        "Records offered and accepted per second by one shard, with its write limit",
    )?;
    let summary = dom::append(&document, root, "p", "summary")?;
    summary.set_attribute("aria-live", "polite")?;

    let view = Rc::new(View {
        rate: rate.clone(),
        readout,
        canvas: canvas.clone(),
        summary,
    });
    view.render()?;

    let on_input = redraw_closure(Rc::clone(&view));
    rate.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref())?;
    let on_resize = redraw_closure(view);
    dom::window()?
        .add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref())?;

    Ok(Page {
        rate,
        canvas,
        on_input,
        on_resize,
    })
}

/// An event handler that re-renders the view and reports failures on the console.
fn redraw_closure(view: Rc<View>) -> Closure<dyn FnMut(Event)> {
    Closure::new(move |_: Event| {
        if let Err(e) = view.render() {
            web_sys::console::error_1(&e);
        }
    })
}
