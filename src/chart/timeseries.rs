//! A time-series chart: several lines over simulated time, optional dashed limit lines.
//!
//! Every chart of the playground is one `TimeChart`: the page builds the lines from the
//! model's metric history and this function draws them on any backend.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::theme::Theme;
use super::ChartResult;
use crate::format::clock;

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Legend text.
    pub label: String,
    /// Stroke colour.
    pub color: RGBColor,
    /// Points: (simulated seconds, value).
    pub points: Vec<(f64, f64)>,
    /// Dashed (limits and thresholds) or solid.
    pub dashed: bool,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct TimeChart {
    /// Title above the plot.
    pub title: String,
    /// Unit of the y axis, e.g. "records/s".
    pub y_unit: String,
    /// Visible time range in simulated seconds.
    pub x_range: (f64, f64),
    /// Lines, drawn in order (later on top).
    pub lines: Vec<Line>,
    /// Formats a y value for the axis.
    pub y_format: fn(&f64) -> String,
    /// The y axis reaches at least this high, so a flat zero line still has a scale.
    pub y_floor: f64,
}

/// Draws `chart` filling `root`.
pub fn draw_time_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &TimeChart,
    theme: &Theme,
) -> ChartResult<DB> {
    root.fill(&theme.background)?;
    let peak = chart
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let y_max = (peak * 1.15).max(chart.y_floor).max(1e-9);
    let (x0, x1) = chart.x_range;
    let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
    let text = |size: f64| {
        ("sans-serif", theme.font(size))
            .into_font()
            .color(&theme.text)
    };
    let span = x1 - x0;
    let x_format = move |x: &f64| clock(*x, span);

    let mut plot = ChartBuilder::on(root)
        .caption(&chart.title, text(14.0))
        .margin(theme.px(8.0))
        .margin_right(theme.px(22.0))
        .x_label_area_size(theme.px(24.0))
        .y_label_area_size(theme.px(66.0))
        .build_cartesian_2d(x0..x1, 0f64..y_max)?;
    plot.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(theme.grid)
        .axis_style(theme.text)
        .label_style(text(11.0))
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&x_format)
        .y_label_formatter(&chart.y_format)
        .y_desc(chart.y_unit.as_str())
        .axis_desc_style(text(11.0))
        .draw()?;

    let width = theme.px(2.0);
    for line in &chart.lines {
        let style = line.color.stroke_width(width);
        let points = line.points.iter().copied().filter(|p| p.1.is_finite());
        let drawn = if line.dashed {
            plot.draw_series(DashedLineSeries::new(
                points,
                theme.px(7.0),
                theme.px(4.0),
                style,
            ))?
        } else {
            plot.draw_series(LineSeries::new(points, style))?
        };
        drawn
            .label(line.label.as_str())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], style));
    }
    if !chart.lines.is_empty() {
        plot.configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(theme.background.mix(0.85))
            .border_style(theme.grid)
            .label_font(text(11.0))
            .draw()?;
    }
    root.present()
}
