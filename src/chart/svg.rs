//! A `Surface` that writes SVG, for native tests and tools (the page never carries it).
//!
//! Each text element puts its text on a line of its own, so a test can find a label
//! by comparing whole lines. Text is measured at half an em per character: SVG has no
//! font to measure with, and layout only needs a width that grows with the text.

use std::fmt::Write;

use super::surface::{Align, Baseline, Pen, Rect, Rgb, Surface, TextStyle};

/// An SVG document being drawn.
#[derive(Debug, Clone)]
pub struct Svg {
    size: (u32, u32),
    body: String,
    clips: usize,
    clipped: bool,
}

impl Svg {
    /// An empty drawing of `width` × `height` pixels.
    pub fn new(width: u32, height: u32) -> Svg {
        Svg {
            size: (width, height),
            body: String::new(),
            clips: 0,
            clipped: false,
        }
    }

    /// The finished document.
    pub fn finish(mut self) -> String {
        self.clip(None);
        let (w, h) = self.size;
        format!(
            "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             xmlns=\"http://www.w3.org/2000/svg\">\n{}</svg>\n",
            self.body
        )
    }
}

/// `#RRGGBB`.
fn hex(c: Rgb) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// ` name="alpha"` when `alpha` is below 1, else nothing.
fn opacity(name: &str, alpha: f64) -> String {
    if alpha < 1.0 {
        format!(" {name}=\"{alpha}\"")
    } else {
        String::new()
    }
}

/// `text` with XML's special characters escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

impl Surface for Svg {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn fill_rect(&mut self, r: Rect, color: Rgb, alpha: f64) {
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}/>",
            r.x,
            r.y,
            r.w,
            r.h,
            hex(color),
            opacity("fill-opacity", alpha)
        );
    }

    fn stroke(&mut self, points: &[(f64, f64)], pen: &Pen) {
        if points.len() < 2 {
            return;
        }
        let dash = pen
            .dash
            .map(|(on, off)| format!(" stroke-dasharray=\"{on} {off}\""))
            .unwrap_or_default();
        let mut line = format!(
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{}{dash} points=\"",
            hex(pen.color),
            pen.width,
            opacity("stroke-opacity", pen.alpha)
        );
        for (i, (x, y)) in points.iter().enumerate() {
            let gap = if i == 0 { "" } else { " " };
            let _ = write!(line, "{gap}{x},{y}");
        }
        self.body.push_str(&line);
        self.body.push_str("\"/>\n");
    }

    fn text(&mut self, text: &str, (x, y): (f64, f64), style: &TextStyle) {
        let anchor = match style.align {
            Align::Left => "start",
            Align::Center => "middle",
            Align::Right => "end",
        };
        let baseline = match style.baseline {
            Baseline::Top => "text-before-edge",
            Baseline::Middle => "middle",
            Baseline::Bottom => "text-after-edge",
        };
        let turn = if style.upward {
            format!(" transform=\"rotate(-90 {x} {y})\"")
        } else {
            String::new()
        };
        let _ = writeln!(
            self.body,
            "<text x=\"{x}\" y=\"{y}\" font-family=\"sans-serif\" font-size=\"{}\" fill=\"{}\" \
             text-anchor=\"{anchor}\" dominant-baseline=\"{baseline}\"{turn}>\n{}\n</text>",
            style.px,
            hex(style.color),
            escape(text)
        );
    }

    fn text_width(&mut self, text: &str, px: f64) -> f64 {
        0.5 * px * text.chars().count() as f64
    }

    fn clip(&mut self, rect: Option<Rect>) {
        if self.clipped {
            self.body.push_str("</g>\n");
            self.clipped = false;
        }
        if let Some(r) = rect {
            self.clips += 1;
            let _ = writeln!(
                self.body,
                "<clipPath id=\"clip{n}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\
                 </clipPath>\n<g clip-path=\"url(#clip{n})\">",
                r.x,
                r.y,
                r.w,
                r.h,
                n = self.clips
            );
            self.clipped = true;
        }
    }
}
