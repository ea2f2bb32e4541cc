//! The cost panel on the page: the run's bill, the same run in each mode, and the chart
//! of a month's bill by mode against steady throughput.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlCanvasElement};

use super::{canvas, dom};
use crate::chart::{draw_time_chart, Theme};
use crate::playground::cost::{cost_html, mode_chart};
use crate::playground::App;

/// Fills the cost panel `section` for `app` now; the chart is drawn `width` CSS pixels
/// wide (as [`width`] read it; not at all under 1), at `ratio` device pixels per CSS
/// pixel, in dark colours when `dark`.
pub fn show(
    section: &Element,
    app: &App,
    width: f64,
    ratio: f64,
    dark: bool,
) -> Result<(), JsValue> {
    let sim = &app.sim;
    if let Some(bill) = section.query_selector(".cost")? {
        let hours = sim.now_ms() as f64 / 3_600_000.0;
        let html = cost_html(
            &sim.cost_per_hour(),
            sim.capacity_mode(),
            &sim.cost_by_mode(),
            hours,
        );
        bill.set_inner_html(&html);
    }
    let Some(canvas) = chart(section)? else {
        return Ok(());
    };
    if width < 1.0 {
        return Ok(());
    }
    dom::size_canvas(&canvas, (width, 280.0), ratio);
    let theme = Theme::for_display(dark, ratio);
    let mut surface = canvas::Canvas::new(&canvas)
        .ok_or_else(|| JsValue::from_str("the cost chart's canvas has no 2D context"))?;
    let tick_s = f64::from(sim.config().tick_s);
    let now = sim.metrics().incoming_bytes as f64 / tick_s / 1_048_576.0;
    draw_time_chart(&mut surface, &mode_chart(sim, now), &theme);
    surface.finish()
}

/// The cost chart's canvas in `section`, if any.
fn chart(section: &Element) -> Result<Option<HtmlCanvasElement>, JsValue> {
    Ok(section
        .query_selector("canvas")?
        .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()))
}

/// The laid-out CSS width of the cost chart in `section` (a layout read: the page
/// reads it with the charts' sizes, on mount and resize, not while it writes text).
pub fn width(section: &Element) -> Result<f64, JsValue> {
    Ok(chart(section)?.map_or(0.0, |c| f64::from(c.client_width())))
}
