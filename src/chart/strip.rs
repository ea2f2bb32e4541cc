//! The per-shard strip: one cell per open shard, coloured by its write utilisation.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::theme::{Theme, BLUE, ORANGE, VERMILLION};
use super::ChartResult;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// Cells in the colour key, from idle to just under the limit (one more for the limit).
const KEY_STEPS: usize = 10;

/// Draws one cell per open shard — in one row when they fit at a readable width, else in
/// a grid with clear gaps — with a caption and a colour key along the bottom.
pub fn draw_shard_strip<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    utilisation: &[f64],
    theme: &Theme,
) -> ChartResult<DB> {
    root.fill(&theme.background)?;
    let (w, h) = root.dim_in_pixel();
    let pad = theme.px(8.0) as i32;
    let caption = theme.px(20.0) as i32;
    let key_h = theme.px(22.0) as i32;
    let font = |size: f64| {
        (FontFamily::SansSerif, theme.font(size))
            .into_font()
            .color(&theme.text)
    };
    let hot = utilisation.iter().filter(|&&u| u >= 0.95).count();
    let shards = match utilisation.len() {
        1 => "1 shard".to_string(),
        n => format!("{n} shards"),
    };
    root.draw(&Text::new(
        format!("Shards: write utilisation ({shards}, {hot} at the limit)"),
        (pad, pad),
        font(13.0),
    ))?;
    let n = utilisation.len().max(1) as i32;
    let area_w = (w as i32 - 2 * pad).max(1);
    let area_h = (h as i32 - caption - key_h - 2 * pad).max(1);
    let one_row = area_w / n;
    let (cols, cell_w, cell_h) = if one_row >= theme.px(14.0) as i32 {
        (
            n,
            one_row.min(theme.px(64.0) as i32),
            area_h.min(theme.px(44.0) as i32),
        )
    } else {
        // Square-ish cells: as many columns as fit at the cell size the area allows.
        let cell =
            ((f64::from(area_w) * f64::from(area_h) / f64::from(n)).sqrt() as i32).clamp(3, 48);
        let cols = (area_w / cell).max(1);
        (cols, cell, cell)
    };
    let gap = if cell_w > 8 { theme.px(2.0) as i32 } else { 1 };
    let label = font(10.0).pos(Pos::new(HPos::Center, VPos::Center));
    for (i, &u) in utilisation.iter().enumerate() {
        let (col, row) = (i as i32 % cols, i as i32 / cols);
        let x = pad + col * cell_w;
        let y = pad + caption + row * cell_h;
        root.draw(&Rectangle::new(
            [(x, y), (x + cell_w - gap, y + cell_h - gap)],
            heat(u, theme).filled(),
        ))?;
        if cell_w >= theme.px(26.0) as i32 && cell_h >= theme.px(16.0) as i32 {
            let ink = if u >= 0.5 {
                theme.background
            } else {
                theme.text
            };
            root.draw(&Text::new(
                format!("{}%", (u.clamp(0.0, 9.99) * 100.0).round()),
                (x + (cell_w - gap) / 2, y + (cell_h - gap) / 2),
                label.color(&ink),
            ))?;
        }
    }
    draw_key(root, theme, (pad, h as i32 - pad - key_h / 2))?;
    root.present()
}

/// The colour key at `(x, mid)`: "idle", a ramp up to the limit, "at the limit".
fn draw_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x, mid): (i32, i32),
) -> ChartResult<DB> {
    let font = (FontFamily::SansSerif, theme.font(10.0))
        .into_font()
        .color(&theme.text)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let step = theme.px(12.0) as i32;
    let half = theme.px(6.0) as i32;
    root.draw(&Text::new("idle", (x, mid), font.clone()))?;
    let start = x + theme.px(26.0) as i32;
    for i in 0..=KEY_STEPS {
        let u = i as f64 / KEY_STEPS as f64;
        let left = start + i as i32 * step;
        root.draw(&Rectangle::new(
            [(left, mid - half), (left + step, mid + half)],
            heat(u, theme).filled(),
        ))?;
    }
    let end = start + (KEY_STEPS as i32 + 1) * step + theme.px(6.0) as i32;
    root.draw(&Text::new("at the write limit", (end, mid), font))?;
    Ok(())
}
