//! Spans on a time chart (the run's injected faults): the plot shaded from each span's
//! start to its end, clipped to the window, and labelled at its start like a mark.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::chart::svg::Svg;
use kinesis_playground::chart::theme::BLUE;
use kinesis_playground::chart::{draw_time_chart, Line, Marker, Scale, Theme, TimeChart};
use kinesis_playground::format::axis_count;

/// The text of every `<tag …>` element (up to its closing `>`), in drawing order.
fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    svg.split(&format!("<{tag} "))
        .skip(1)
        .map(|e| &e[..e.find('>').unwrap_or(e.len())])
        .collect()
}

/// Numeric attribute `name` of `element`.
fn num(element: &str, name: &str) -> f64 {
    let (element, key) = (format!(" {element}"), format!(" {name}=\""));
    let start = element.find(&key).map(|i| i + key.len());
    start
        .and_then(|i| element[i..].split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number {name} in {element}"))
}

/// Whether some text element holds exactly `text`.
fn has_text(svg: &str, text: &str) -> bool {
    svg.split("<text ")
        .skip(1)
        .any(|t| t.lines().nth(1).map(str::trim) == Some(text))
}

#[test]
fn a_span_shades_the_plot_from_its_start_to_its_end_clipped_to_the_window() {
    // A fault from 200 s to 300 s, one begun before the window and still on at its
    // end, and one after the window (nothing drawn).
    let chart = TimeChart {
        title: "Incoming".into(),
        y_unit: "records/s".into(),
        x_range: (100.0, 600.0),
        lines: vec![Line {
            label: "IncomingRecords".into(),
            color: BLUE,
            points: (100..600).map(|t| (f64::from(t), 500.0)).collect(),
            dashed: false,
        }],
        y_format: axis_count,
        y_floor: 10.0,
        y_scale: Scale::Decimal,
        marks: [
            (200.0, 300.0, "put fault 30 %"),
            (50.0, 700.0, "get fault 50 %"),
            (650.0, 700.0, "later"),
        ]
        .map(|(x, end, label)| Marker {
            x,
            label: label.into(),
            end: Some(end),
        })
        .to_vec(),
        focus: None,
        x_axis: None,
    };
    let mut svg = Svg::new(800, 300);
    draw_time_chart(&mut svg, &chart, &Theme::LIGHT);
    let svg = svg.finish();
    let shades: Vec<(f64, f64, f64, f64)> = elements(&svg, "rect")
        .into_iter()
        .filter(|r| r.contains("fill-opacity=\"0.08\""))
        .map(|r| (num(r, "x"), num(r, "width"), num(r, "y"), num(r, "height")))
        .collect();
    assert_eq!(shades.len(), 2, "{shades:?}");
    let (a, whole) = (shades[0], shades[1]);
    // The window is 500 s wide; the first span a fifth of it, starting a fifth in.
    assert!((a.1 / whole.1 - 0.2).abs() < 0.01, "{shades:?}");
    assert!(((a.0 - whole.0) / whole.1 - 0.2).abs() < 0.01, "{shades:?}");
    // Both over the plot's whole height, which the line lies within.
    assert!(
        a.3 > 100.0 && (a.2, a.3) == (whole.2, whole.3),
        "{shades:?}"
    );
    // A label at the start of the span inside the window only, with its rule.
    assert!(has_text(&svg, "put fault 30 %"));
    assert!(!has_text(&svg, "get fault 50 %") && !has_text(&svg, "later"));
    let rules = elements(&svg, "polyline")
        .into_iter()
        .filter(|p| p.contains("stroke-opacity=\"0.55\""))
        .count();
    assert_eq!(rules, 1);
}
