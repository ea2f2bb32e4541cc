//! A time-series chart: several lines over simulated time, optional dashed limit lines.
//!
//! Every chart of the playground is one `TimeChart`: the page builds the lines from the
//! model's metric history and this function draws them on any backend.

use plotters::coord::types::RangedCoordf64;
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
    /// Changes to the run inside the visible range, drawn as thin vertical lines.
    pub marks: Vec<Marker>,
    /// Label of a line to emphasise (drawn thicker, the others lighter), if any.
    pub focus: Option<String>,
}

/// A change to the run: a thin vertical line with a short label at the top of the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Simulated seconds.
    pub x: f64,
    /// A few words ("shards → 4").
    pub label: String,
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
    draw_focus_and_marks(&mut plot, chart, theme)?;
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

/// Rows of mark labels at the top of the plot; a label that fits in none is left out
/// (its line stays).
const MARK_ROWS: usize = 3;

/// Draws over the lines what the reader is pointed at: the focused line thicker on a
/// veil that lightens the others, then each mark as a thin vertical line with its label
/// at the top of the plot, staggered over a few rows so labels never overlap.
fn draw_focus_and_marks<DB: DrawingBackend>(
    plot: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    chart: &TimeChart,
    theme: &Theme,
) -> ChartResult<DB> {
    let focused = chart
        .focus
        .as_deref()
        .and_then(|f| chart.lines.iter().find(|l| l.label == f));
    if let Some(line) = focused {
        plot.plotting_area().fill(&theme.background.mix(0.6))?;
        // Drawn solid whatever its style: emphasis, not a second legend entry.
        let points: Vec<(f64, f64)> = line
            .points
            .iter()
            .copied()
            .filter(|p| p.1.is_finite())
            .collect();
        plot.plotting_area().draw(&PathElement::new(
            points,
            line.color.stroke_width(theme.px(4.0)),
        ))?;
    }
    let (x0, x1) = (plot.x_range().start, plot.x_range().end);
    let y = plot.y_range();
    let area = plot.plotting_area();
    let rule = theme.text.mix(0.55).stroke_width(theme.px(1.0));
    let font = ("sans-serif", theme.font(10.0))
        .into_font()
        .color(&theme.text);
    let pixels = area.strip_coord_spec();
    let (width, _) = pixels.dim_in_pixel();
    let pad = theme.px(2.0) as i32;
    // Right end of the last label in each row, in pixels.
    let mut rows = [i32::MIN; MARK_ROWS];
    for mark in chart.marks.iter().filter(|m| m.x >= x0 && m.x <= x1) {
        area.draw(&PathElement::new(
            [(mark.x, y.start), (mark.x, y.end)],
            rule,
        ))?;
        let (left, top) = area.map_coordinate(&(mark.x, y.end));
        let (left, top) = (
            left - area.get_base_pixel().0,
            top - area.get_base_pixel().1,
        );
        let (w, h) = pixels
            .estimate_text_size(&mark.label, &font)
            .unwrap_or((0, 0));
        let (w, h) = (w as i32, h as i32);
        // Right of the line, or left of it when that would leave the plot.
        let start = if left + pad + w <= width as i32 {
            left + pad
        } else {
            left - pad - w
        };
        let Some(row) = rows.iter().position(|&end| end + 2 * pad < start) else {
            continue;
        };
        rows[row] = start + w;
        let at = (start, top + pad + row as i32 * (h + pad));
        pixels.draw(&Rectangle::new(
            [(at.0 - 1, at.1), (at.0 + w + 1, at.1 + h)],
            theme.background.mix(0.85).filled(),
        ))?;
        pixels.draw(&Text::new(mark.label.as_str(), at, font.clone()))?;
    }
    Ok(())
}
