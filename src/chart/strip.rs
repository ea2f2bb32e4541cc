//! The per-shard strip: one cell per open shard, coloured by its write utilisation.

use super::surface::{Align, Baseline, Rect, Rgb, Surface, TextStyle};
use super::theme::{Theme, BLUE, ORANGE, VERMILLION};
use crate::format::count;

/// Colour of a cell at utilisation `u` (0 = idle, 1 = at the write limit).
pub fn heat(u: f64, theme: &Theme) -> Rgb {
    let u = if u.is_finite() {
        u.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: Rgb, b: Rgb, t: f64| {
        let c = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
        Rgb(c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
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
pub fn draw_shard_strip(surface: &mut dyn Surface, utilisation: &[f64], theme: &Theme) {
    let (w, h) = surface.size();
    let all = Rect {
        x: 0.0,
        y: 0.0,
        w: f64::from(w),
        h: f64::from(h),
    };
    surface.fill_rect(all, theme.background, 1.0);
    let pad = theme.px(8.0) as i32;
    let caption = theme.px(20.0) as i32;
    let key_h = theme.px(22.0) as i32;
    let hot = utilisation.iter().filter(|&&u| u >= 0.95).count();
    let shards = count(utilisation.len() as u64, "shard", "shards");
    surface.text(
        &format!("Shards: write utilisation ({shards}, {hot} at the limit)"),
        (f64::from(pad), f64::from(pad)),
        &TextStyle::new(theme.font(13.0), theme.text),
    );
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
    let labelled = cell_w >= theme.px(26.0) as i32 && cell_h >= theme.px(16.0) as i32;
    let label = TextStyle::new(theme.font(10.0), theme.text).at(Align::Center, Baseline::Middle);
    // Cells are filled grouped by colour: a canvas parses each new fill colour, which
    // costs more than the fill itself when a thousand shards each differ from the last.
    let keys: Vec<u64> = utilisation
        .iter()
        .enumerate()
        .map(|(i, &u)| {
            let Rgb(r, g, b) = heat(u, theme);
            (u64::from(r) << 56) | (u64::from(g) << 48) | (u64::from(b) << 40) | i as u64
        })
        .collect();
    for key in by_colour(keys) {
        let i = (key & 0xff_ffff_ffff) as usize;
        let (col, row) = (i as i32 % cols, i as i32 / cols);
        let cell = Rect {
            x: f64::from(pad + col * cell_w),
            y: f64::from(pad + caption + row * cell_h),
            w: f64::from(cell_w - gap),
            h: f64::from(cell_h - gap),
        };
        let rgb = Rgb((key >> 56) as u8, (key >> 48) as u8, (key >> 40) as u8);
        surface.fill_rect(cell, rgb, 1.0);
        if labelled {
            let u = utilisation.get(i).copied().unwrap_or(0.0);
            let ink = if u >= 0.5 {
                theme.background
            } else {
                theme.text
            };
            surface.text(
                &format!("{}%", (u.clamp(0.0, 9.99) * 100.0).round()),
                (
                    cell.x + f64::from((cell_w - gap) / 2),
                    cell.y + f64::from((cell_h - gap) / 2),
                ),
                &TextStyle {
                    color: ink,
                    ..label
                },
            );
        }
    }
    draw_key(surface, theme, (pad, h as i32 - pad - key_h / 2));
}

/// `keys` ordered by their top three bytes (a cell's colour), equal ones keeping their
/// order: a radix sort, three passes of a counting sort (a few loops, where a general
/// sort would add kilobytes to the page's module).
fn by_colour(keys: Vec<u64>) -> Vec<u64> {
    let mut from = keys;
    let mut to = vec![0; from.len()];
    for shift in [40, 48, 56] {
        let byte = |k: u64| ((k >> shift) & 0xff) as usize;
        let mut next = [0; 257];
        for &k in &from {
            next[byte(k) + 1] += 1;
        }
        for b in 0..256 {
            next[b + 1] += next[b];
        }
        for &k in &from {
            if let Some(slot) = to.get_mut(next[byte(k)]) {
                *slot = k;
            }
            next[byte(k)] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    from
}

/// The colour key at `(x, mid)`: "idle", a ramp up to the limit, "at the limit".
fn draw_key(surface: &mut dyn Surface, theme: &Theme, (x, mid): (i32, i32)) {
    let font = TextStyle::new(theme.font(10.0), theme.text).at(Align::Left, Baseline::Middle);
    let step = theme.px(12.0) as i32;
    let half = theme.px(6.0) as i32;
    surface.text("idle", (f64::from(x), f64::from(mid)), &font);
    let start = x + theme.px(26.0) as i32;
    for i in 0..=KEY_STEPS {
        let u = i as f64 / KEY_STEPS as f64;
        let cell = Rect {
            x: f64::from(start + i as i32 * step),
            y: f64::from(mid - half),
            w: f64::from(step),
            h: f64::from(2 * half),
        };
        surface.fill_rect(cell, heat(u, theme), 1.0);
    }
    let end = start + (KEY_STEPS as i32 + 1) * step + theme.px(6.0) as i32;
    surface.text(
        "at the write limit",
        (f64::from(end), f64::from(mid)),
        &font,
    );
}
