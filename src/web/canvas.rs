//! The charts' `Surface` on a canvas's 2D context.
//!
//! Each polyline is one path (`beginPath`, `moveTo`, `lineTo`…, `stroke`); colours,
//! widths, dashes, fonts and anchors are set only when they differ from the last ones
//! set, so a chart sets its label font once however many labels it writes. Text is
//! measured with `measureText`, which needs no layout.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::chart::{Align, Baseline, Pen, Rect, Rgb, Surface, TextStyle};

/// What the context was last set to (`None`: not set by this drawing yet).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct State {
    fill: Option<(Rgb, f64)>,
    stroke: Option<(Rgb, f64)>,
    width: Option<f64>,
    dash: Option<Option<(f64, f64)>>,
    font: Option<f64>,
    anchor: Option<(Align, Baseline)>,
}

/// A canvas being drawn on.
pub struct Canvas {
    context: CanvasRenderingContext2d,
    size: (u32, u32),
    state: State,
    /// The state when the clip was set, and so again once it is lifted.
    clipped: Option<State>,
    /// The first error the context reported.
    error: Option<JsValue>,
}

/// A CSS colour.
fn css(color: Rgb, alpha: f64) -> String {
    format!("rgba({},{},{},{alpha})", color.0, color.1, color.2)
}

impl Canvas {
    /// A surface drawing on `canvas`, or `None` without a 2D context.
    pub fn new(canvas: &HtmlCanvasElement) -> Option<Canvas> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Canvas {
            context,
            size: (canvas.width(), canvas.height()),
            state: State::default(),
            clipped: None,
            error: None,
        })
    }

    /// Ends the drawing: the first error the context reported, if any.
    pub fn finish(mut self) -> Result<(), JsValue> {
        self.clip(None);
        self.error.map_or(Ok(()), Err)
    }

    fn note(&mut self, result: Result<(), JsValue>) {
        if let Err(e) = result {
            self.error.get_or_insert(e);
        }
    }

    fn fill_style(&mut self, color: Rgb, alpha: f64) {
        if self.state.fill != Some((color, alpha)) {
            self.context.set_fill_style_str(&css(color, alpha));
            self.state.fill = Some((color, alpha));
        }
    }

    fn pen(&mut self, pen: &Pen) {
        if self.state.stroke != Some((pen.color, pen.alpha)) {
            self.context
                .set_stroke_style_str(&css(pen.color, pen.alpha));
            self.state.stroke = Some((pen.color, pen.alpha));
        }
        if self.state.width != Some(pen.width) {
            self.context.set_line_width(pen.width);
            self.state.width = Some(pen.width);
        }
        if self.state.dash != Some(pen.dash) {
            let segments = match pen.dash {
                Some((on, off)) => js_sys::Array::of2(&on.into(), &off.into()),
                None => js_sys::Array::new(),
            };
            let set = self.context.set_line_dash(&segments);
            self.note(set);
            self.state.dash = Some(pen.dash);
        }
    }

    fn font(&mut self, px: f64) {
        if self.state.font != Some(px) {
            self.context.set_font(&format!("{px}px sans-serif"));
            self.state.font = Some(px);
        }
    }
}

impl Surface for Canvas {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn fill_rect(&mut self, r: Rect, color: Rgb, alpha: f64) {
        self.fill_style(color, alpha);
        self.context.fill_rect(r.x, r.y, r.w, r.h);
    }

    fn stroke(&mut self, points: &[(f64, f64)], pen: &Pen) {
        let [(x, y), rest @ ..] = points else {
            return;
        };
        if rest.is_empty() {
            return;
        }
        self.pen(pen);
        self.context.begin_path();
        self.context.move_to(*x, *y);
        for &(x, y) in rest {
            self.context.line_to(x, y);
        }
        self.context.stroke();
    }

    fn text(&mut self, text: &str, (x, y): (f64, f64), style: &TextStyle) {
        self.font(style.px);
        self.fill_style(style.color, 1.0);
        if self.state.anchor != Some((style.align, style.baseline)) {
            self.context.set_text_align(match style.align {
                Align::Left => "left",
                Align::Center => "center",
                Align::Right => "right",
            });
            self.context.set_text_baseline(match style.baseline {
                Baseline::Top => "top",
                Baseline::Middle => "middle",
                Baseline::Bottom => "bottom",
            });
            self.state.anchor = Some((style.align, style.baseline));
        }
        if style.upward {
            // The styles are set before `save`, so `restore` keeps them.
            self.context.save();
            let turned = self
                .context
                .translate(x, y)
                .and_then(|()| self.context.rotate(-std::f64::consts::FRAC_PI_2))
                .and_then(|()| self.context.fill_text(text, 0.0, 0.0));
            self.context.restore();
            self.note(turned);
        } else {
            let written = self.context.fill_text(text, x, y);
            self.note(written);
        }
    }

    fn text_width(&mut self, text: &str, px: f64) -> f64 {
        self.font(px);
        self.context
            .measure_text(text)
            .map_or(px * 0.6 * text.chars().count() as f64, |m| m.width())
    }

    fn clip(&mut self, rect: Option<Rect>) {
        if let Some(state) = self.clipped.take() {
            self.context.restore();
            self.state = state;
        }
        if let Some(r) = rect {
            self.clipped = Some(self.state);
            self.context.save();
            self.context.begin_path();
            self.context.rect(r.x, r.y, r.w, r.h);
            self.context.clip();
        }
    }
}
