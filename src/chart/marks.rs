//! What a time chart points the reader at, drawn over its lines: the focused line
//! thick on a veil that lightens the others, and the run's changes as thin vertical
//! rules with their labels staggered along the top of the plot (a span, such as an
//! injected fault, also shades the plot up to its end).

use super::surface::{Pen, Rect, Surface, TextStyle};
use super::theme::Theme;
use super::timeseries::{crisp, Plot, TimeChart};

/// Rows of mark labels at the top of the plot; a label that fits in none is left out
/// (its line stays).
const MARK_ROWS: usize = 3;

/// Draws the focused line thicker on a veil that lightens the others, then each mark
/// as a thin vertical line with its label at the top of the plot, staggered over a few
/// rows so labels never overlap.
pub fn draw_focus_and_marks(
    surface: &mut dyn Surface,
    chart: &TimeChart,
    plot: &Plot,
    theme: &Theme,
) {
    let focused = chart
        .focus
        .as_deref()
        .and_then(|f| chart.lines.iter().find(|l| l.label == f));
    if let Some(line) = focused {
        surface.fill_rect(plot.rect(), theme.background, 0.6);
        // Drawn solid whatever its style: emphasis, not a second legend entry.
        let mut points = Vec::with_capacity(line.points.len());
        plot.trace(line, &mut points);
        surface.clip(Some(plot.clip(theme)));
        surface.stroke(&points, &Pen::solid(line.color, f64::from(theme.px(4.0))));
        surface.clip(None);
    }
    let (x0, x1) = plot.x;
    let rule = Pen {
        alpha: 0.55,
        ..Pen::solid(theme.text, f64::from(theme.px(1.0)))
    };
    let font = TextStyle::new(theme.font(10.0), theme.text);
    let width = (plot.right - plot.left) as i32;
    let pad = theme.px(2.0) as i32;
    let h = font.px.ceil() as i32;
    // Every rule first, then the labels on their backings, so no rule runs through a
    // label.
    let shown = |x: f64| x >= x0 && x <= x1;
    for mark in chart.marks.iter() {
        if let Some(end) = mark.end.filter(|&end| end > x0 && mark.x < x1) {
            let (a, b) = (plot.px_x(mark.x.max(x0)), plot.px_x(end.min(x1)));
            let shade = Rect {
                x: a,
                y: plot.top,
                w: (b - a).max(1.0),
                h: plot.bottom - plot.top,
            };
            surface.fill_rect(shade, theme.text, 0.08);
        }
        if !shown(mark.x) {
            continue;
        }
        let x = plot.px_x(mark.x);
        let at = if theme.px(1.0) % 2 == 1 {
            crisp(x)
        } else {
            x.round()
        };
        surface.stroke(&[(at, plot.bottom - 1.0), (at, plot.top)], &rule);
    }
    // Right end of the last label in each row, in pixels from the plot's left edge.
    let mut rows = [i32::MIN; MARK_ROWS];
    for mark in chart.marks.iter().filter(|m| shown(m.x)) {
        let x = plot.px_x(mark.x);
        let left = x.round() as i32 - plot.left as i32;
        let w = surface.text_width(&mark.label, font.px).ceil() as i32;
        // Right of the line, or left of it when that would leave the plot; a label
        // wider than either side starts at the plot's left edge.
        let start = if left + pad + w <= width {
            left + pad
        } else {
            (left - pad - w).max(0)
        };
        let Some(row) = rows.iter().position(|&end| end + 2 * pad < start) else {
            continue;
        };
        rows[row] = start + w;
        let x = plot.left + f64::from(start);
        let y = plot.top + f64::from(pad + row as i32 * (h + pad));
        let backing = Rect {
            x: x - 1.0,
            y,
            w: f64::from(w + 2),
            h: f64::from(h),
        };
        surface.fill_rect(backing, theme.background, 0.85);
        surface.text(&mark.label, (x, y), &font);
    }
}
