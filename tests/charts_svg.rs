//! Charts drawn into SVG: every line, limit and legend entry is there, where it should be.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::chart::theme::{BLUE, ORANGE, VERMILLION};
use kinesis_playground::chart::{draw_shard_strip, draw_time_chart, Line, Scale, Theme, TimeChart};
use kinesis_playground::format::axis_count;
use plotters::prelude::{IntoDrawingArea, SVGBackend};

fn chart() -> TimeChart {
    let offered: Vec<(f64, f64)> = (0..600).map(|t| (f64::from(t), 1_500.0)).collect();
    let accepted: Vec<(f64, f64)> = (0..600).map(|t| (f64::from(t), 1_000.0)).collect();
    TimeChart {
        title: "Incoming".into(),
        y_unit: "records/s".into(),
        x_range: (0.0, 600.0),
        lines: vec![
            Line {
                label: "offered".into(),
                color: ORANGE,
                points: offered,
                dashed: false,
            },
            Line {
                label: "IncomingRecords".into(),
                color: BLUE,
                points: accepted,
                dashed: false,
            },
            Line {
                label: "write limit".into(),
                color: VERMILLION,
                points: vec![(0.0, 1_000.0), (600.0, 1_000.0)],
                dashed: true,
            },
        ],
        y_format: axis_count,
        y_floor: 10.0,
        y_scale: Scale::Decimal,
        marks: Vec::new(),
        focus: None,
    }
}

/// The font size of the text element that holds `text`.
fn font_size(svg: &str, text: &str) -> f64 {
    let at = svg.find(text).expect("the text");
    let head = &svg[..at];
    let from = head.rfind("font-size=\"").expect("a size") + 11;
    head[from..]
        .split('"')
        .next()
        .and_then(|v| v.parse().ok())
        .expect("a number")
}

fn svg_of(
    draw: impl FnOnce(&plotters::drawing::DrawingArea<SVGBackend<'_>, plotters::coord::Shift>),
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 300)).into_drawing_area();
        draw(&root);
    }
    svg
}

/// The points of every `<polyline>` stroked with `colour`, in drawing order.
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
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

/// The points of the longest `<polyline>` stroked with `colour`.
fn longest_polyline(svg: &str, colour: &str) -> Vec<(f64, f64)> {
    polylines(svg, colour)
        .into_iter()
        .max_by_key(Vec::len)
        .unwrap_or_default()
}

#[test]
fn a_time_chart_draws_each_series_its_legend_and_the_dashed_limit() {
    let svg = svg_of(|root| draw_time_chart(root, &chart(), &Theme::LIGHT).expect("draws"));
    let offered = longest_polyline(&svg, "#E69F00");
    let accepted = longest_polyline(&svg, "#0072B2");
    assert_eq!(offered.len(), 600);
    assert_eq!(accepted.len(), 600);
    // SVG y grows downwards: offered (1,500/s) is above accepted (1,000/s) everywhere.
    assert!(offered.iter().zip(&accepted).all(|(o, a)| o.1 < a.1));
    // The dashed limit is 7 px dashes every 11 px at accepted's height, from its first
    // point to its last. Its legend swatch, below the plot, is three 4 px dashes.
    let (x0, y) = accepted[0];
    let x1 = accepted[accepted.len() - 1].0;
    let (dashes, legend): (Vec<_>, Vec<_>) = polylines(&svg, "#D55E00")
        .into_iter()
        .partition(|d| d.iter().all(|p| p.1 == y));
    assert_eq!(legend.len(), 3, "{legend:?}");
    let plot_bottom = accepted
        .iter()
        .chain(&offered)
        .map(|p| p.1)
        .fold(0.0, f64::max);
    for swatch in &legend {
        assert_eq!(swatch[1].0 - swatch[0].0, 4.0, "{legend:?}");
        assert!(
            swatch[0].1 > plot_bottom,
            "the legend sits below the plot: {legend:?}"
        );
    }
    // Solid lines get a solid 18 px swatch, on the legend's row.
    let offered_swatch = polylines(&svg, "#E69F00")
        .into_iter()
        .find(|l| l.len() == 2)
        .expect("a swatch");
    assert_eq!(offered_swatch[1].0 - offered_swatch[0].0, 18.0);
    assert_eq!(offered_swatch[0].1, legend[0][0].1);
    // The limit runs to 600 s, one sample past accepted's last point: one dash more at most.
    let expected = (x1 - x0) / 11.0;
    assert!(
        (dashes.len() as f64 - expected).abs() <= 1.0,
        "{} dashes for {expected}",
        dashes.len()
    );
    for (i, d) in dashes.iter().enumerate() {
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            (d[0].0 - (x0 + 11.0 * i as f64)).abs() <= 1.0,
            "dash {i}: {d:?}"
        );
        assert!(
            d[1].0 > d[0].0 && d[1].0 - d[0].0 <= 7.0 && d[1].0 <= x1 + 2.0,
            "{d:?}"
        );
    }
    for text in [
        "Incoming",
        "offered",
        "IncomingRecords",
        "write limit",
        "records/s",
        "simulated time",
        // Round ticks: 0 to 1,500 in steps of 500; 10 min in steps of 2 min.
        "500",
        "1,500",
        "00:02:00",
        "00:10:00",
    ] {
        assert!(svg.lines().any(|l| l.trim() == text), "missing {text:?}");
    }
}

#[test]
fn an_empty_chart_still_draws_axes_without_panicking() {
    let mut empty = chart();
    empty.lines.clear();
    let svg = svg_of(|root| draw_time_chart(root, &empty, &Theme::DARK).expect("draws"));
    assert!(svg.contains("Incoming"));
    // No series: axes and ticks only, none of the series' colours anywhere.
    for color in [ORANGE, BLUE, VERMILLION] {
        let hex = format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2);
        assert!(!svg.contains(&hex), "{hex} drawn in {svg}");
    }
    let full = svg_of(|root| draw_time_chart(root, &chart(), &Theme::DARK).expect("draws"));
    let hex = format!("#{:02X}{:02X}{:02X}", BLUE.0, BLUE.1, BLUE.2);
    assert!(full.contains(&hex), "the same check finds a drawn series");
}

#[test]
fn the_shard_strip_has_one_cell_per_shard_and_marks_hot_ones() {
    let utilisation = [0.1, 0.2, 1.0, 0.0, 0.5];
    let svg = svg_of(|root| draw_shard_strip(root, &utilisation, &Theme::LIGHT).expect("draws"));
    // One rectangle for the background, one per shard and 11 for the colour key.
    assert_eq!(svg.matches("<rect").count(), 1 + utilisation.len() + 11);
    assert!(svg.contains("5 shards, 1 at the limit"));
    // Five shards fit in one row at 800 px: every cell has the same top, with its share.
    let tops: Vec<&str> = svg
        .split("<rect")
        .skip(2)
        .take(utilisation.len())
        .filter_map(|r| r.split("y=\"").nth(1)?.split('"').next())
        .collect();
    assert_eq!(tops.len(), 5);
    assert!(tops.iter().all(|t| *t == tops[0]), "{tops:?}");
    for share in ["10%", "20%", "100%", "0%", "50%"] {
        assert!(svg.lines().any(|l| l.trim() == share), "missing {share}");
    }
    assert!(
        svg.contains("at the write limit") && svg.contains("idle"),
        "the key"
    );
    let one = svg_of(|root| draw_shard_strip(root, &[0.0], &Theme::LIGHT).expect("draws"));
    assert!(one.contains("(1 shard, 0 at the limit)"));
    assert!(svg.contains("#D55E00"), "the hot shard is vermillion");
}

#[test]
fn a_title_wider_than_the_chart_is_set_smaller_to_fit() {
    let mut long = chart();
    long.title = "Incoming: 2,000/s · 1.9 MiB/s (limit 2,000/s · 2.0 MiB/s)".into();
    let mut narrow = String::new();
    {
        let root = SVGBackend::with_string(&mut narrow, (300, 260)).into_drawing_area();
        draw_time_chart(&root, &long, &Theme::LIGHT).expect("draws");
    }
    let wide = svg_of(|root| draw_time_chart(root, &long, &Theme::LIGHT).expect("draws"));
    let title = "Incoming: 2,000/s";
    assert!(font_size(&narrow, title) < font_size(&wide, title) * 0.9);
}

#[test]
fn a_short_chart_gets_smaller_text_and_fewer_ticks_so_the_plot_keeps_its_height() {
    let draw = |h: u32| {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (320, h)).into_drawing_area();
            draw_time_chart(&root, &chart(), &Theme::LIGHT).expect("draws");
        }
        svg
    };
    let (short, tall) = (draw(160), draw(300));
    assert!(font_size(&short, "IncomingRecords") < font_size(&tall, "IncomingRecords") * 0.9);
    // At most 3 intervals on the short chart: 0 to 1,500 in steps of 500.
    let labels = |svg: &str| {
        ["0", "500", "1,000", "1,500", "2,000"]
            .iter()
            .filter(|t| svg.lines().any(|l| l.trim() == **t))
            .count()
    };
    assert_eq!(labels(&short), 4);
    assert!(short.lines().all(|l| l.trim() != "2,000"));
}

#[test]
fn a_y_axis_title_longer_than_a_short_plot_is_left_out_not_drawn_over_the_title() {
    let mut long = chart();
    long.y_unit = "records per second, accepted".into();
    let draw = |h: u32| {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (320, h)).into_drawing_area();
            draw_time_chart(&root, &long, &Theme::LIGHT).expect("draws");
        }
        svg
    };
    assert!(!draw(160).contains("records per second, accepted"));
    assert!(draw(400).contains("records per second, accepted"));
}
