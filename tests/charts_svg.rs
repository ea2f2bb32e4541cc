//! Charts drawn into SVG: every line, limit and legend entry is there, where it should be.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::chart::svg::Svg;
use kinesis_playground::chart::theme::{BLUE, ORANGE, VERMILLION};
use kinesis_playground::chart::{
    draw_shard_strip, draw_time_chart, Line, Marker, Scale, Surface, Theme, TimeChart,
};
use kinesis_playground::format::axis_count;

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
        x_axis: None,
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

/// What `draw` draws on a `width` × `height` SVG.
fn svg_sized(width: u32, height: u32, draw: impl FnOnce(&mut dyn Surface)) -> String {
    let mut svg = Svg::new(width, height);
    draw(&mut svg);
    svg.finish()
}

fn svg_of(draw: impl FnOnce(&mut dyn Surface)) -> String {
    svg_sized(800, 300, draw)
}

/// The text of every `<tag …>` element (up to its closing `>`), in drawing order.
fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    svg.split(&format!("<{tag} "))
        .skip(1)
        .map(|e| &e[..e.find('>').unwrap_or(e.len())])
        .collect()
}

/// The value of attribute `name` of `element`.
fn attr<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = element
        .match_indices(&key)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || element[..i].ends_with(' '))?
        + key.len();
    Some(&element[start..start + element[start..].find('"')?])
}

/// A numeric attribute of `element`.
fn num(element: &str, name: &str) -> f64 {
    attr(element, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number {name} in {element}"))
}

/// A polyline's points, in pixels.
type Points = Vec<(f64, f64)>;

/// The points of a `<polyline>`.
fn points(element: &str) -> Points {
    attr(element, "points")
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|xy| {
            let (x, y) = xy.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

/// Every `<polyline>` stroked with `colour`, in drawing order: its dash pattern (the
/// `stroke-dasharray` value), if any, and its points.
fn strokes(svg: &str, colour: &str) -> Vec<(Option<String>, Points)> {
    elements(svg, "polyline")
        .into_iter()
        .filter(|p| attr(p, "stroke") == Some(colour))
        .map(|p| (attr(p, "stroke-dasharray").map(String::from), points(p)))
        .collect()
}

/// Where the text element that holds exactly `text` is anchored.
fn text_at(svg: &str, text: &str) -> Option<(f64, f64)> {
    svg.split("<text ")
        .skip(1)
        .find(|t| t.lines().nth(1).map(str::trim) == Some(text))
        .map(|t| (num(t, "x"), num(t, "y")))
}

/// The points of every `<polyline>` stroked with `colour`, in drawing order.
fn polylines(svg: &str, colour: &str) -> Vec<Vec<(f64, f64)>> {
    strokes(svg, colour).into_iter().map(|(_, p)| p).collect()
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
    let svg = svg_of(|root| draw_time_chart(root, &chart(), &Theme::LIGHT));
    let offered = longest_polyline(&svg, "#E69F00");
    let accepted = longest_polyline(&svg, "#0072B2");
    assert_eq!(offered.len(), 600);
    assert_eq!(accepted.len(), 600);
    // SVG y grows downwards: offered (1,500/s) is above accepted (1,000/s) everywhere.
    assert!(offered.iter().zip(&accepted).all(|(o, a)| o.1 < a.1));
    // The dashed limit is one path of 7 px dashes and 4 px gaps at accepted's height,
    // from its first point to 600 s, one sample past accepted's last point. Its legend
    // swatch, below the plot, is three 4 px dashes.
    let (x0, y) = accepted[0];
    let x1 = accepted[accepted.len() - 1].0;
    let (limit, legend): (Vec<_>, Vec<_>) = strokes(&svg, "#D55E00")
        .into_iter()
        .partition(|(_, d)| d.iter().all(|p| p.1 == y));
    assert_eq!(limit.len(), 1, "{limit:?}");
    let (dash, line) = &limit[0];
    assert_eq!(dash.as_deref(), Some("7 4"));
    assert_eq!(line.len(), 2, "{line:?}");
    assert_eq!(line[0].0, x0);
    let step = (x1 - x0) / 599.0;
    assert!(
        (line[1].0 - (x1 + step)).abs() < 0.01,
        "{line:?} ends at 600 s"
    );
    assert_eq!(legend.len(), 3, "{legend:?}");
    let legend: Vec<Vec<(f64, f64)>> = legend
        .into_iter()
        .map(|(dash, points)| {
            assert_eq!(dash, None, "a swatch's dashes are drawn one by one");
            points
        })
        .collect();
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
    // Solid lines are solid, and get a solid 18 px swatch on the legend's row.
    assert!(strokes(&svg, "#0072B2")
        .iter()
        .all(|(dash, _)| dash.is_none()));
    let offered_swatch = polylines(&svg, "#E69F00")
        .into_iter()
        .find(|l| l.len() == 2)
        .expect("a swatch");
    assert_eq!(offered_swatch[1].0 - offered_swatch[0].0, 18.0);
    assert_eq!(offered_swatch[0].1, legend[0][0].1);
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
    let svg = svg_of(|root| draw_time_chart(root, &empty, &Theme::DARK));
    assert!(svg.contains("Incoming"));
    // No series: axes and ticks only, none of the series' colours anywhere.
    for color in [ORANGE, BLUE, VERMILLION] {
        let hex = format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2);
        assert!(!svg.contains(&hex), "{hex} drawn in {svg}");
    }
    let full = svg_of(|root| draw_time_chart(root, &chart(), &Theme::DARK));
    let hex = format!("#{:02X}{:02X}{:02X}", BLUE.0, BLUE.1, BLUE.2);
    assert!(full.contains(&hex), "the same check finds a drawn series");
}

#[test]
fn a_canvas_too_small_for_a_plot_gets_its_title_and_legend_only() {
    // A canvas not laid out yet (0 × 0) or squeezed: no plot fits, nothing panics.
    for (w, h) in [(0, 0), (60, 40), (800, 40)] {
        let svg = svg_sized(w, h, |s| draw_time_chart(s, &chart(), &Theme::LIGHT));
        assert!(svg.lines().any(|l| l.trim() == "Incoming"), "{w} × {h}");
        assert!(!svg.contains("simulated time"), "{w} × {h}: no axes");
        assert!(
            longest_polyline(&svg, "#0072B2").len() <= 2,
            "{w} × {h}: a swatch at most"
        );
    }
    let strip = svg_sized(0, 0, |s| draw_shard_strip(s, &[0.5; 3], &Theme::LIGHT));
    assert!(strip.contains("3 shards"));
}

#[test]
fn the_shard_strip_has_one_cell_per_shard_and_marks_hot_ones() {
    let utilisation = [0.1, 0.2, 1.0, 0.0, 0.5];
    let svg = svg_of(|root| draw_shard_strip(root, &utilisation, &Theme::LIGHT));
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
    let one = svg_of(|root| draw_shard_strip(root, &[0.0], &Theme::LIGHT));
    assert!(one.contains("(1 shard, 0 at the limit)"));
    assert!(svg.contains("#D55E00"), "the hot shard is vermillion");
}

#[test]
fn a_title_wider_than_the_chart_is_set_smaller_to_fit() {
    let mut long = chart();
    long.title = "Incoming: 2,000/s · 1.9 MiB/s (limit 2,000/s · 2.0 MiB/s)".into();
    let narrow = svg_sized(300, 260, |root| draw_time_chart(root, &long, &Theme::LIGHT));
    let wide = svg_of(|root| draw_time_chart(root, &long, &Theme::LIGHT));
    let title = "Incoming: 2,000/s";
    assert!(font_size(&narrow, title) < font_size(&wide, title) * 0.9);
}

#[test]
fn a_short_chart_gets_smaller_text_and_fewer_ticks_so_the_plot_keeps_its_height() {
    let draw = |h: u32| {
        svg_sized(320, h, |root| {
            draw_time_chart(root, &chart(), &Theme::LIGHT)
        })
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
    let draw = |h: u32| svg_sized(320, h, |root| draw_time_chart(root, &long, &Theme::LIGHT));
    assert!(!draw(160).contains("records per second, accepted"));
    assert!(draw(400).contains("records per second, accepted"));
}

/// Where the plot of `chart()` is in `svg`: the x of 0 s, pixels per second, the y of
/// the top (1,500, offered's value) and of 0 (from accepted's 1,000 at ⅔ of the way).
fn plot_of(svg: &str) -> (f64, f64, f64, f64) {
    let accepted = longest_polyline(svg, "#0072B2");
    let offered = longest_polyline(svg, "#E69F00");
    let (left, top) = (accepted[0].0, offered[0].1);
    let second = (accepted[599].0 - left) / 599.0;
    let zero = 3.0 * accepted[0].1 - 2.0 * top;
    (left, second, top, zero)
}

#[test]
fn marks_are_rules_across_the_plot_with_labels_staggered_over_three_rows() {
    let mut marked = chart();
    marked.marks = [
        (100.0, "shards → 4"),
        (105.0, "ALARM IncomingRecords"),
        (110.0, "producers × 2"),
        (115.0, "fits nowhere"),
        (598.0, "near the end"),
        (700.0, "after the window"),
    ]
    .map(|(x, label)| Marker {
        x,
        label: label.into(),
        end: None,
    })
    .to_vec();
    let svg = svg_of(|s| draw_time_chart(s, &marked, &Theme::LIGHT));
    let (left, second, top, zero) = plot_of(&svg);
    let rules: Vec<Vec<(f64, f64)>> = elements(&svg, "polyline")
        .into_iter()
        .filter(|p| attr(p, "stroke-opacity") == Some("0.55"))
        .map(points)
        .collect();
    assert_eq!(rules.len(), 5, "one rule per mark inside the window");
    for (rule, x) in rules.iter().zip([100.0, 105.0, 110.0, 115.0, 598.0]) {
        assert!(
            (rule[0].0 - (left + second * x)).abs() <= 1.0,
            "{x}: {rule:?}"
        );
        assert_eq!(rule[0].0, rule[1].0, "vertical");
        assert!(
            (rule[0].1 - zero).abs() < 1e-6 && rule[1].1 == top,
            "{rule:?}"
        );
    }
    // 10 px labels in rows 12 px apart (2 px between), from 2 px under the top; the
    // fourth of four close marks fits in no row and is left out, its rule kept.
    let rows = ["shards → 4", "ALARM IncomingRecords", "producers × 2"];
    for (row, label) in rows.iter().enumerate() {
        let (x, y) = text_at(&svg, label).expect(label);
        assert_eq!(y, top + 2.0 + 12.0 * row as f64, "{label}");
        assert!(
            x > rules[row][0].0 && x < rules[row][0].0 + 4.0,
            "{label} right of its rule"
        );
    }
    assert_eq!(text_at(&svg, "fits nowhere"), None);
    assert_eq!(text_at(&svg, "after the window"), None);
    // By the right edge a label goes left of its rule (5 px a character here), on the
    // first row, which is free that far right.
    let (x, y) = text_at(&svg, "near the end").expect("the last label");
    assert!(
        x + 60.0 < rules[4][0].0 && x + 60.0 > rules[4][0].0 - 4.0,
        "{x}"
    );
    assert_eq!(y, top + 2.0);
    // Each label on a backing that lightens the lines under it.
    let backings = elements(&svg, "rect")
        .into_iter()
        .filter(|r| attr(r, "fill-opacity") == Some("0.85"))
        .count();
    assert_eq!(backings, 4);
    // Every rule is drawn before every label's backing, so none runs through a label
    // (here the marks are close enough for labels to span the next marks' rules).
    let last_rule = svg.rfind("stroke-opacity=\"0.55\"").expect("a rule");
    let first_backing = svg.find("fill-opacity=\"0.85\"").expect("a backing");
    assert!(last_rule < first_backing, "a rule drawn over a label");
}

#[test]
fn a_focused_line_is_drawn_thick_and_solid_over_a_veil_that_lightens_the_others() {
    let mut focused = chart();
    focused.focus = Some("write limit".into());
    let svg = svg_of(|s| draw_time_chart(s, &focused, &Theme::LIGHT));
    let (left, second, top, zero) = plot_of(&svg);
    let veil = elements(&svg, "rect")
        .into_iter()
        .find(|r| attr(r, "fill-opacity") == Some("0.6"))
        .expect("a veil");
    // The veil covers the plot: 0 s to 600 s, the top to the row of 0.
    assert_eq!((num(veil, "x"), num(veil, "y")), (left, top));
    assert!((num(veil, "width") - (600.0 * second + 1.0)).abs() < 1e-6);
    assert!((num(veil, "height") - (zero + 1.0 - top)).abs() < 1e-6);
    let at = svg.find(veil).expect("the veil");
    let (under, over) = svg.split_at(at);
    assert_eq!(strokes(under, "#E69F00").len(), 2, "offered and its swatch");
    // Over it the limit once more: 4 px wide, solid, through the same points.
    let thick: Vec<&str> = elements(over, "polyline")
        .into_iter()
        .filter(|p| attr(p, "stroke") == Some("#D55E00"))
        .collect();
    assert_eq!(thick.len(), 1);
    assert_eq!(attr(thick[0], "stroke-width"), Some("4"));
    assert_eq!(attr(thick[0], "stroke-dasharray"), None);
    let limit = strokes(under, "#D55E00")
        .into_iter()
        .find(|(dash, _)| dash.is_some())
        .expect("the dashed limit");
    assert_eq!(points(thick[0]), limit.1);
    let plain = svg_of(|s| draw_time_chart(s, &chart(), &Theme::LIGHT));
    assert!(!plain.contains("fill-opacity=\"0.6\""), "no focus, no veil");
}

#[test]
fn points_without_a_value_are_skipped_and_lines_are_clipped_to_the_window() {
    let mut gappy = chart();
    for p in &mut gappy.lines[1].points {
        if (200.0..300.0).contains(&p.0) {
            p.1 = f64::NAN;
        }
    }
    // Offered from 100 s before the window to 100 s after it.
    gappy.lines[0].points = (-100..700).map(|t| (f64::from(t), 1_500.0)).collect();
    let svg = svg_of(|s| draw_time_chart(s, &gappy, &Theme::LIGHT));
    assert!(!svg.contains("NaN"));
    let accepted = longest_polyline(&svg, "#0072B2");
    assert_eq!(accepted.len(), 500, "one path over the gap");
    let offered = longest_polyline(&svg, "#E69F00");
    assert_eq!(offered.len(), 800);
    // Confined to the plot: from 0 s to the last column, 600 s.
    let clip = elements(&svg, "clipPath")
        .first()
        .map(|c| svg[svg.find(c).expect("the clip")..].to_string())
        .expect("a clip");
    let rect = elements(&clip, "rect")[0];
    assert_eq!(num(rect, "x"), offered[100].0);
    assert!((num(rect, "x") + num(rect, "width") - 1.0 - offered[700].0).abs() < 1e-6);
    let group = &clip[..clip.find("</g>").expect("the clipped group")];
    assert_eq!(
        strokes(group, "#E69F00").len(),
        1,
        "the line, not its swatch"
    );
}

#[test]
fn a_high_dpi_canvas_doubles_text_line_widths_and_dashes() {
    let one = svg_of(|s| draw_time_chart(s, &chart(), &Theme::LIGHT));
    let two = svg_sized(1600, 600, |s| {
        draw_time_chart(s, &chart(), &Theme::LIGHT.scaled(2.0));
    });
    for text in ["Incoming", "IncomingRecords", "simulated time", "1,500"] {
        assert_eq!(font_size(&two, text), 2.0 * font_size(&one, text), "{text}");
    }
    let width = |svg: &str| {
        elements(svg, "polyline")
            .into_iter()
            .find(|p| attr(p, "stroke") == Some("#0072B2"))
            .and_then(|p| attr(p, "stroke-width"))
            .map(String::from)
    };
    assert_eq!(
        (width(&one), width(&two)),
        (Some("2".into()), Some("4".into()))
    );
    let dash = |svg: &str| strokes(svg, "#D55E00").into_iter().find_map(|(d, _)| d);
    assert_eq!(dash(&two).as_deref(), Some("14 8"));
    // The plot spans the same share of the width.
    let (a, b) = (
        longest_polyline(&one, "#0072B2"),
        longest_polyline(&two, "#0072B2"),
    );
    for (p, q) in a.iter().zip(&b) {
        assert!((q.0 - 2.0 * p.0).abs() <= 1.0, "{p:?} {q:?}");
    }
}
