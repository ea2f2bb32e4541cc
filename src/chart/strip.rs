//! The per-shard strip: one cell per open shard, coloured by its write utilisation.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::theme::{Theme, BLUE, ORANGE, VERMILLION};
use super::ChartResult;

/// Colour of a cell at utilisation `u` (0 = idle, 1 = at the write limit).
pub fn heat(u: f64, theme: &Theme) -> RGBColor {
    let u = if u.is_finite() {
        u.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: RGBColor, b: RGBColor, t: f64| {
        let c = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
        RGBColor(c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
    };
    if u < 0.5 {
        mix(theme.grid, BLUE, u * 2.0)
    } else if u < 0.95 {
        mix(BLUE, ORANGE, (u - 0.5) / 0.45)
    } else {
        VERMILLION
    }
}

/// Draws one cell per shard (wrapping into rows when there are many) with a caption.
pub fn draw_shard_strip<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    utilisation: &[f64],
    theme: &Theme,
) -> ChartResult<DB> {
    root.fill(&theme.background)?;
    let (w, h) = root.dim_in_pixel();
    let pad = theme.px(8.0) as i32;
    let caption = theme.px(20.0) as i32;
    let hot = utilisation.iter().filter(|&&u| u >= 0.95).count();
    let title = format!(
        "Write utilisation per shard ({} shards, {} at the limit)",
        utilisation.len(),
        hot
    );
    root.draw(&Text::new(
        title,
        (pad, pad),
        ("sans-serif", theme.font(13.0))
            .into_font()
            .color(&theme.text),
    ))?;
    let n = utilisation.len().max(1) as i32;
    let area_w = (w as i32 - 2 * pad).max(1);
    let area_h = (h as i32 - caption - 2 * pad).max(1);
    // Square-ish cells: as many columns as fit at the cell size the area allows.
    let cell = ((f64::from(area_w) * f64::from(area_h) / f64::from(n)).sqrt() as i32).clamp(2, 48);
    let cols = (area_w / cell).max(1);
    for (i, &u) in utilisation.iter().enumerate() {
        let (col, row) = (i as i32 % cols, i as i32 / cols);
        let x = pad + col * cell;
        let y = pad + caption + row * cell;
        let gap = if cell > 6 { 1 } else { 0 };
        root.draw(&Rectangle::new(
            [(x, y), (x + cell - gap, y + cell - gap)],
            heat(u, theme).filled(),
        ))?;
    }
    root.present()
}
