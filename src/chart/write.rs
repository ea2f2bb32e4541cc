//! Chart: records offered to one shard against records it accepted, with the write limit.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::format::{axis_count, thousands};
use super::theme::{Theme, BLUE, ORANGE, VERMILLION};
use super::ChartResult;
use crate::model::WriteSample;

/// Draws offered and accepted records per second over simulated time, and the shard's
/// write limit as a dashed line, filling `root`.
pub fn draw_write_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    samples: &[WriteSample],
    limit_per_s: u64,
    theme: &Theme,
) -> ChartResult<DB> {
    root.fill(&theme.background)?;
    let peak = samples.iter().map(|s| s.offered).max().unwrap_or(0);
    let y_max = (peak.max(limit_per_s) as f64 * 1.15).max(10.0);
    let x_max = samples.last().map_or(1, |s| s.t_s + 1).max(1);
    let text = |size: f64| {
        ("sans-serif", theme.font(size))
            .into_font()
            .color(&theme.text)
    };

    let mut chart = ChartBuilder::on(root)
        .margin(theme.px(10.0))
        .x_label_area_size(theme.px(36.0))
        .y_label_area_size(theme.px(56.0))
        .build_cartesian_2d(0u64..x_max, 0f64..y_max)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(theme.grid)
        .axis_style(theme.text)
        .label_style(text(12.0))
        .axis_desc_style(text(13.0))
        .x_desc("simulated time (s)")
        .y_desc("records/s")
        .x_labels(7)
        .y_labels(6)
        .y_label_formatter(&axis_count)
        .draw()?;

    // Offered is drawn wider underneath, so it stays visible where the lines coincide.
    let wide = theme.px(4.0);
    let width = theme.px(2.0);
    chart
        .draw_series(LineSeries::new(
            samples.iter().map(|s| (s.t_s, s.offered as f64)),
            ORANGE.stroke_width(wide),
        ))?
        .label("offered")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], ORANGE.stroke_width(wide)));
    chart
        .draw_series(LineSeries::new(
            samples.iter().map(|s| (s.t_s, s.accepted as f64)),
            BLUE.stroke_width(width),
        ))?
        .label("accepted")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE.stroke_width(width)));
    chart
        .draw_series(DashedLineSeries::new(
            [(0, limit_per_s as f64), (x_max, limit_per_s as f64)],
            theme.px(8.0),
            theme.px(5.0),
            VERMILLION.stroke_width(width),
        ))?
        .label(format!("shard write limit ({}/s)", thousands(limit_per_s)))
        .legend(move |(x, y)| {
            PathElement::new([(x, y), (x + 20, y)], VERMILLION.stroke_width(width))
        });

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(theme.background.mix(0.85))
        .border_style(theme.grid)
        .label_font(text(12.0))
        .draw()?;
    root.present()
}
