//! The write chart drawn into SVG: the series, the limit line and the legend are there.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::chart::{draw_write_chart, Theme};
use kinesis_playground::model::OneShardWrites;
use plotters::prelude::{IntoDrawingArea, SVGBackend};

fn render(rate: f64) -> String {
    let mut sim = OneShardWrites::new(rate);
    let limit = sim.accepted_limit_per_s();
    let samples = sim.run(600);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        draw_write_chart(&root, &samples, limit, &Theme::LIGHT).expect("drawing into a string");
    }
    svg
}

/// The points of every `<polyline>` whose stroke is `colour`.
fn polylines(svg: &str, colour: &str) -> Vec<Vec<(f64, f64)>> {
    svg.split("<polyline")
        .skip(1)
        .filter(|p| p.contains(&format!("stroke=\"{colour}\"")))
        .filter_map(|p| {
            let start = p.find("points=\"")? + 8;
            let end = start + p[start..].find('"')?;
            Some(
                p[start..end]
                    .split_whitespace()
                    .filter_map(|xy| {
                        let (x, y) = xy.split_once(',')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn svg_has_both_series_the_limit_and_the_legend() {
    let svg = render(1_500.0);
    let offered = polylines(&svg, "#E69F00");
    let accepted = polylines(&svg, "#0072B2");
    // One polyline per series, one point per second (legend swatches are short 2-point lines).
    assert_eq!(offered.iter().map(Vec::len).max(), Some(600));
    assert_eq!(accepted.iter().map(Vec::len).max(), Some(600));
    assert!(svg.contains("offered"));
    assert!(svg.contains("accepted"));
    assert!(svg.contains("shard write limit (1,000/s)"));
    assert!(svg.contains("simulated time (s)"));
    assert!(svg.contains("#D55E00"), "limit line colour");
}

#[test]
fn above_the_limit_the_accepted_line_is_flat_and_below_the_offered_line() {
    let svg = render(1_500.0);
    let accepted = polylines(&svg, "#0072B2")
        .into_iter()
        .max_by_key(Vec::len)
        .unwrap_or_default();
    let offered = polylines(&svg, "#E69F00")
        .into_iter()
        .max_by_key(Vec::len)
        .unwrap_or_default();
    let ys: Vec<f64> = accepted.iter().map(|p| p.1).collect();
    let flat = ys.iter().all(|y| (y - ys[0]).abs() < 0.5);
    assert!(flat, "accepted is pinned at the limit");
    // SVG y grows downwards: offered is drawn above accepted at every second.
    assert!(offered.iter().zip(&accepted).all(|(o, a)| o.1 < a.1));
}

#[test]
fn below_the_limit_the_lines_coincide() {
    let svg = render(400.0);
    let accepted = polylines(&svg, "#0072B2")
        .into_iter()
        .max_by_key(Vec::len)
        .unwrap_or_default();
    let offered = polylines(&svg, "#E69F00")
        .into_iter()
        .max_by_key(Vec::len)
        .unwrap_or_default();
    assert_eq!(accepted, offered);
}
