//! A time chart's legend: one entry per line along the bottom of the chart, wrapping
//! into rows, with a dashed swatch for a dashed line.

use super::surface::{Align, Baseline, Pen, Surface, TextStyle};
use super::theme::Theme;
use super::timeseries::TimeChart;

/// Swatch length in the legend, CSS px.
const SWATCH: f64 = 18.0;

/// Draws the legend along the bottom of `surface`, wrapping into rows; returns its
/// height in pixels (0 without lines). `k` scales the text (0.8 on a short canvas).
pub fn draw_legend(surface: &mut dyn Surface, chart: &TimeChart, theme: &Theme, k: f64) -> f64 {
    if chart.lines.is_empty() {
        return 0.0;
    }
    let font = TextStyle::new(theme.font(11.0 * k), theme.text).at(Align::Left, Baseline::Middle);
    let (w, h) = surface.size();
    let (w, h) = (w as i32, h as i32);
    let row = theme.px(16.0 * k) as i32;
    let pad = theme.px(8.0) as i32;
    let swatch = theme.px(SWATCH * k) as i32;
    let gap = theme.px(6.0 * k) as i32;
    // Place every entry first, to know how many rows the legend takes.
    let mut placed = Vec::with_capacity(chart.lines.len());
    let (mut x, mut y) = (pad + theme.px(40.0) as i32, 0);
    for line in &chart.lines {
        let text_w = surface.text_width(&line.label, font.px).ceil() as i32;
        let entry = swatch + gap + text_w + 2 * gap;
        if x + entry > w - pad && x > pad {
            x = pad;
            y += row;
        }
        placed.push((x, y, line));
        x += entry;
    }
    let height = y + row + pad / 2;
    let top = h - height;
    let width = f64::from(theme.px(2.0));
    for (x, y, line) in placed {
        let mid = f64::from(top + y + row / 2);
        let pen = Pen::solid(line.color, width);
        if line.dashed {
            // Three short dashes.
            let dash = swatch / 4;
            for i in 0..3 {
                let from = f64::from(x + i * (dash + dash / 2));
                surface.stroke(&[(from, mid), (from + f64::from(dash), mid)], &pen);
            }
        } else {
            let x = f64::from(x);
            surface.stroke(&[(x, mid), (x + f64::from(swatch), mid)], &pen);
        }
        surface.text(&line.label, (f64::from(x + swatch + gap), mid), &font);
    }
    f64::from(height.max(0))
}
