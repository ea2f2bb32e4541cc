//! The shard strip on a surface that records its fills: cells of one colour filled
//! together, each in its shard's place.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::chart::strip::heat;
use kinesis_playground::chart::{draw_shard_strip, Pen, Rect, Rgb, Surface, TextStyle, Theme};

/// The fills a drawing made, in order, and its texts.
struct Fills(Vec<(Rect, Rgb)>, Vec<String>);

impl Surface for Fills {
    fn size(&self) -> (u32, u32) {
        (800, 400)
    }
    fn fill_rect(&mut self, rect: Rect, color: Rgb, _alpha: f64) {
        self.0.push((rect, color));
    }
    fn stroke(&mut self, _points: &[(f64, f64)], _pen: &Pen) {}
    fn text(&mut self, text: &str, _at: (f64, f64), _style: &TextStyle) {
        self.1.push(text.to_string());
    }
    fn text_width(&mut self, text: &str, px: f64) -> f64 {
        text.len() as f64 * px * 0.6
    }
    fn clip(&mut self, _rect: Option<Rect>) {}
}

#[test]
fn the_shard_strip_fills_cells_of_one_colour_together_each_in_its_place() {
    // 1,000 shards whose utilisation takes ten values in turn: each value's cells are
    // filled one after another (a canvas sets a colour ten times, not a thousand), and
    // every cell still sits in its shard's place, in its shard's colour.
    let utilisation: Vec<f64> = (0..1_000).map(|i| f64::from(i % 10) / 10.0).collect();
    let mut fills = Fills(Vec::new(), Vec::new());
    draw_shard_strip(&mut fills, &utilisation, &Theme::LIGHT);
    // The background first, the 1,000 cells, then the key's 11 swatches.
    assert_eq!(fills.0.len(), 1 + 1_000 + 11);
    let cells = &fills.0[1..1_001];
    let changes = cells.windows(2).filter(|w| w[0].1 != w[1].1).count();
    assert_eq!(changes, 9, "one run of fills per colour");
    let mut by_place = cells.to_vec();
    by_place.sort_by(|a, b| {
        (a.0.y, a.0.x)
            .partial_cmp(&(b.0.y, b.0.x))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let width = by_place[0].0.w;
    for (i, (rect, color)) in by_place.iter().enumerate() {
        assert_eq!(*color, heat(utilisation[i], &Theme::LIGHT), "shard {i}");
        assert_eq!(rect.w, width);
    }
    // Rows fill left to right, top to bottom: the cells' places are all different.
    let places: std::collections::BTreeSet<(u64, u64)> = cells
        .iter()
        .map(|(r, _)| (r.y as u64, r.x as u64))
        .collect();
    assert_eq!(places.len(), 1_000);
    assert!(
        fills
            .1
            .iter()
            .any(|t| t.contains("(1,000 shards, 0 at the limit)")),
        "{:?}",
        fills.1
    );
}
