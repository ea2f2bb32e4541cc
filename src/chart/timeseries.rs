//! A time-series chart: several lines over simulated time, optional dashed limit lines.
//!
//! Every chart of the playground is one `TimeChart`: the page builds the lines from the
//! model's metric history and this function draws them on any backend.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::theme::Theme;
use super::ticks::{axis_top, ticks, RoundAxis, Scale};
use super::ChartResult;
use crate::format::clock;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
    /// How the y axis's ticks step (round counts, bytes or durations).
    pub y_scale: Scale,
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

/// Draws `chart` filling `root`: the title, the plot with round ticks and axis titles,
/// and below it the legend, outside the plot so it never covers a line.
pub fn draw_time_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &TimeChart,
    theme: &Theme,
) -> ChartResult<DB> {
    root.fill(&theme.background)?;
    // A short canvas (a phone's chart strip) gets smaller text and fewer ticks, so the
    // plot keeps most of the height.
    let small = f64::from(root.dim_in_pixel().1) / theme.scale < 220.0;
    let k = if small { 0.8 } else { 1.0 };
    let peak = chart
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let (y_max, y_ticks) = axis_top(
        peak.max(chart.y_floor),
        chart.y_scale,
        if small { 3 } else { 5 },
    );
    let (x0, x1) = chart.x_range;
    let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
    let x_ticks: Vec<f64> = ticks(x0 * 1_000.0, x1 * 1_000.0, Scale::Duration, 5)
        .into_iter()
        .map(|ms| ms / 1_000.0)
        .collect();
    let text = |size: f64| {
        (FontFamily::SansSerif, theme.font(size * k))
            .into_font()
            .color(&theme.text)
    };
    let span = x1 - x0;
    let x_format = move |x: &f64| clock(*x, span);
    // The y label area holds the widest tick label, a gap and the axis title.
    let widest = y_ticks
        .iter()
        .map(|v| {
            root.estimate_text_size(&(chart.y_format)(v), &text(11.0))
                .map_or(0, |(w, _)| w)
        })
        .max()
        .unwrap_or(0);
    let legend_h = draw_legend(root, chart, theme, k)?;
    let h = root.dim_in_pixel().1;
    let (plot_area, _) = root.split_vertically(h.saturating_sub(legend_h));

    // The y axis title runs along the plot's height; where the plot is shorter than the
    // title (a phone's strip), it is left out rather than drawn over the chart title.
    let plot_h = f64::from(h.saturating_sub(legend_h)) - f64::from(theme.px(70.0 * k));
    let desc_w = root
        .estimate_text_size(&chart.y_unit, &text(11.0))
        .map_or(0.0, |(w, _)| f64::from(w));
    let y_desc = if desc_w <= plot_h {
        chart.y_unit.as_str()
    } else {
        ""
    };
    let mut plot = ChartBuilder::on(&plot_area)
        .caption(&chart.title, text(title_size(root, &chart.title, theme)))
        .margin(theme.px(8.0 * k))
        .margin_right(theme.px(30.0))
        .x_label_area_size(theme.px(38.0 * k))
        .y_label_area_size(widest + theme.px(30.0 * k))
        .build_cartesian_2d(
            RoundAxis::new(x0, x1, x_ticks),
            RoundAxis::new(0.0, y_max, y_ticks),
        )?;
    plot.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(theme.grid)
        .axis_style(theme.text)
        .label_style(text(11.0))
        .x_label_formatter(&x_format)
        .y_label_formatter(&chart.y_format)
        .x_desc("simulated time")
        .y_desc(y_desc)
        .axis_desc_style(text(11.0))
        .draw()?;

    let width = theme.px(2.0);
    for line in &chart.lines {
        let style = line.color.stroke_width(width);
        let points = line.points.iter().copied().filter(|p| p.1.is_finite());
        if line.dashed {
            plot.draw_series(DashedLineSeries::new(
                points,
                theme.px(7.0),
                theme.px(4.0),
                style,
            ))?;
        } else {
            plot.draw_series(LineSeries::new(points, style))?;
        }
    }
    draw_focus_and_marks(&mut plot, chart, theme)?;
    root.present()
}

/// The title's font size in CSS px: 14, or smaller (down to 10) so it fits the width.
fn title_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    theme: &Theme,
) -> f64 {
    let room = f64::from(root.dim_in_pixel().0) - f64::from(theme.px(16.0));
    let font = (FontFamily::SansSerif, theme.font(14.0)).into_text_style(root);
    let wide = root
        .estimate_text_size(title, &font)
        .map_or(0.0, |(w, _)| f64::from(w));
    if wide <= room || wide <= 0.0 {
        14.0
    } else {
        (14.0 * room / wide).clamp(10.0, 14.0)
    }
}

/// Swatch length in the legend, CSS px.
const SWATCH: f64 = 18.0;

/// Draws the legend along the bottom of `root`, wrapping into rows; returns its height
/// in pixels (0 without lines). Dashed lines get a dashed swatch.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &TimeChart,
    theme: &Theme,
    k: f64,
) -> Result<u32, plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>> {
    if chart.lines.is_empty() {
        return Ok(0);
    }
    let font = (FontFamily::SansSerif, theme.font(11.0 * k))
        .into_font()
        .color(&theme.text);
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let row = theme.px(16.0 * k) as i32;
    let pad = theme.px(8.0) as i32;
    let swatch = theme.px(SWATCH * k) as i32;
    let gap = theme.px(6.0 * k) as i32;
    // Place every entry first, to know how many rows the legend takes.
    let mut placed = Vec::with_capacity(chart.lines.len());
    let (mut x, mut y) = (pad + theme.px(40.0) as i32, 0);
    for line in &chart.lines {
        let text_w = root
            .estimate_text_size(&line.label, &font)
            .map_or(0, |(tw, _)| tw as i32);
        let entry = swatch + gap + text_w + 2 * gap;
        if x + entry > w - pad && x > pad {
            x = pad;
            y += row;
        }
        placed.push((x, y, line));
        x += entry;
    }
    let height = y + row + pad / 2;
    let top = h - height;
    for (x, y, line) in placed {
        let mid = top + y + row / 2;
        let style = line.color.stroke_width(theme.px(2.0));
        if line.dashed {
            // Three dashes with the plot's own rhythm.
            let dash = swatch / 4;
            for i in 0..3 {
                let from = x + i * (dash + dash / 2);
                root.draw(&PathElement::new([(from, mid), (from + dash, mid)], style))?;
            }
        } else {
            root.draw(&PathElement::new([(x, mid), (x + swatch, mid)], style))?;
        }
        root.draw(&Text::new(
            line.label.as_str(),
            (x + swatch + gap, mid),
            font.pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(height.max(0) as u32)
}

/// Rows of mark labels at the top of the plot; a label that fits in none is left out
/// (its line stays).
const MARK_ROWS: usize = 3;

/// Draws over the lines what the reader is pointed at: the focused line thicker on a
/// veil that lightens the others, then each mark as a thin vertical line with its label
/// at the top of the plot, staggered over a few rows so labels never overlap.
fn draw_focus_and_marks<DB: DrawingBackend>(
    plot: &mut ChartContext<'_, DB, Cartesian2d<RoundAxis, RoundAxis>>,
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
    let font = (FontFamily::SansSerif, theme.font(10.0))
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
