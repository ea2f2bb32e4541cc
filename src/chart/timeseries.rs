//! A time-series chart: several lines over simulated time, optional dashed limit lines.
//!
//! Every chart of the playground is one `TimeChart`: the page builds the lines from the
//! model's metric history and `draw_time_chart` draws them on any `Surface`: the title,
//! the plot with round ticks, grid and axis titles, the lines clipped to the plot, the
//! focus and marks (`marks`) and the legend below (`legend`). The layout is in device
//! pixels, as plotters laid these charts out before: the same margins, label areas and
//! tick lengths.

use super::legend::draw_legend;
use super::marks::draw_focus_and_marks;
use super::surface::{Align, Baseline, Pen, Rect, Rgb, Surface, TextStyle};
use super::theme::Theme;
use super::ticks::{axis_top, ticks, Scale};
use crate::format::clock;

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Legend text.
    pub label: String,
    /// Stroke colour.
    pub color: Rgb,
    /// Points: (simulated seconds, value).
    pub points: Vec<(f64, f64)>,
    /// Dashed (limits and thresholds) or solid.
    pub dashed: bool,
}

/// An x axis other than simulated time: its title and how a value reads.
pub type XAxis = (&'static str, fn(&f64) -> String);

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
    /// The x axis when it is not simulated time: its title and how a value reads.
    pub x_axis: Option<XAxis>,
}

/// A change to the run: a thin vertical line with a short label at the top of the plot,
/// or a span (an injected fault) shaded from `x` to its `end`.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Simulated seconds.
    pub x: f64,
    /// A few words ("shards → 4").
    pub label: String,
    /// Where a span ends, simulated seconds (`None`: a moment).
    pub end: Option<f64>,
}

/// The plot's rectangle in device pixels (`right` and `bottom` exclusive) and the
/// values at its edges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plot {
    /// Left edge: where the x range starts.
    pub left: f64,
    /// Top edge: where the y axis ends.
    pub top: f64,
    /// One past the last column.
    pub right: f64,
    /// One past the last row: the x axis.
    pub bottom: f64,
    /// Simulated seconds at the left and right edges.
    pub x: (f64, f64),
    /// The value at the top (the bottom is 0).
    pub y_max: f64,
}

impl Plot {
    /// The column of simulated second `v`.
    pub fn px_x(&self, v: f64) -> f64 {
        self.left + (self.right - 1.0 - self.left) * (v - self.x.0) / (self.x.1 - self.x.0)
    }

    /// The row of value `v`.
    pub fn px_y(&self, v: f64) -> f64 {
        self.bottom - 1.0 - (self.bottom - 1.0 - self.top) * v / self.y_max
    }

    /// The plot's rectangle.
    pub fn rect(&self) -> Rect {
        Rect {
            x: self.left,
            y: self.top,
            w: self.right - self.left,
            h: self.bottom - self.top,
        }
    }

    /// What lines are confined to: the plot, with room above and below for half the
    /// thickest line, so a line at 0 or at the top keeps its full width.
    pub fn clip(&self, theme: &Theme) -> Rect {
        let room = f64::from(theme.px(2.0));
        Rect {
            y: self.top - room,
            h: self.bottom - self.top + 2.0 * room,
            ..self.rect()
        }
    }

    /// `line`'s points with a value, in pixels, into `out` (emptied first).
    pub fn trace(&self, line: &Line, out: &mut Vec<(f64, f64)>) {
        out.clear();
        out.extend(
            line.points
                .iter()
                .filter(|p| p.1.is_finite())
                .map(|&(x, y)| (self.px_x(x), self.px_y(y))),
        );
    }
}

/// Where a one-pixel rule at pixel `p` is drawn so it covers whole pixels (the one
/// before `p`), as the canvas backend of plotters placed grid lines.
pub fn crisp(p: f64) -> f64 {
    p.round() - 0.5
}

/// Draws `chart` filling `surface`: the title, the plot with round ticks and axis
/// titles, and below it the legend, outside the plot so it never covers a line.
pub fn draw_time_chart(surface: &mut dyn Surface, chart: &TimeChart, theme: &Theme) {
    let (w, h) = surface.size();
    let (w, h) = (f64::from(w), f64::from(h));
    let all = Rect {
        x: 0.0,
        y: 0.0,
        w,
        h,
    };
    surface.fill_rect(all, theme.background, 1.0);
    // A short canvas (a phone's chart strip) gets smaller text and fewer ticks, so the
    // plot keeps most of the height.
    let small = h / theme.scale < 220.0;
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
    let px = |css: f64| f64::from(theme.px(css));
    let label = TextStyle::new(theme.font(11.0 * k), theme.text);
    let y_labels: Vec<(f64, String)> = y_ticks.iter().map(|v| (*v, (chart.y_format)(v))).collect();
    // The y label area holds the widest tick label, a gap and the axis title.
    let widest = y_labels
        .iter()
        .map(|(_, t)| surface.text_width(t, label.px).ceil())
        .fold(0.0, f64::max);
    let legend_h = draw_legend(surface, chart, theme, k);
    let area_h = (h - legend_h).max(0.0);
    // The y axis title runs along the plot's height; where the plot is shorter than the
    // title (a phone's strip), it is left out rather than drawn over the chart title.
    let room = area_h - px(70.0 * k);
    let y_desc = surface.text_width(&chart.y_unit, label.px).ceil() <= room;

    let margin = px(8.0 * k);
    let right = w - px(30.0);
    let title = TextStyle::new(
        theme.font(title_size(surface, &chart.title, theme) * k),
        theme.text,
    )
    .at(Align::Center, Baseline::Top);
    let title_h = title.px.ceil();
    let title_pad = (title_h / 2.0).floor().min(5.0);
    let centre = margin + ((right - margin) / 2.0).floor();
    surface.text(&chart.title, (centre, margin + title_pad), &title);
    let plot = Plot {
        left: margin + widest + px(30.0 * k),
        top: margin + 2.0 * title_pad + title_h,
        right,
        bottom: area_h - margin - px(38.0 * k),
        x: (x0, x1),
        y_max,
    };
    if plot.right - plot.left < 2.0 || plot.bottom - plot.top < 2.0 {
        return;
    }
    let x_labels: Vec<(f64, String)> = match chart.x_axis {
        Some((_, format)) => ticks(x0, x1, Scale::Decimal, 5)
            .iter()
            .map(|v| (*v, format(v)))
            .collect(),
        None => ticks(x0 * 1_000.0, x1 * 1_000.0, Scale::Duration, 5)
            .iter()
            .map(|ms| (ms / 1_000.0, clock(ms / 1_000.0, x1 - x0)))
            .collect(),
    };
    draw_grid(surface, &plot, theme, &x_labels, &y_labels);
    draw_axes(surface, &plot, theme, &label, &x_labels, &y_labels);
    let x_title = label.at(Align::Center, Baseline::Bottom);
    let x_mid = plot.left + ((plot.right - plot.left) / 2.0).floor();
    let x_name = chart.x_axis.map_or("simulated time", |(name, _)| name);
    surface.text(x_name, (x_mid, area_h - margin), &x_title);
    if y_desc {
        let y_title = TextStyle {
            upward: true,
            ..label.at(Align::Center, Baseline::Top)
        };
        let y_mid = plot.top + ((plot.bottom - plot.top) / 2.0).floor();
        surface.text(&chart.y_unit, (margin, y_mid), &y_title);
    }
    draw_lines(surface, chart, &plot, theme);
    draw_focus_and_marks(surface, chart, &plot, theme);
}

/// An axis's ticks: each value with its label.
type Labels = [(f64, String)];

/// A grid line at each tick, across the plot.
fn draw_grid(
    surface: &mut dyn Surface,
    plot: &Plot,
    theme: &Theme,
    x_labels: &Labels,
    y_labels: &Labels,
) {
    let pen = Pen::solid(theme.grid, 1.0);
    for (x, _) in x_labels {
        let x = crisp(plot.px_x(*x));
        surface.stroke(&[(x, plot.bottom - 1.0), (x, plot.top)], &pen);
    }
    for (y, _) in y_labels {
        let y = crisp(plot.px_y(*y));
        surface.stroke(&[(plot.left, y), (plot.right - 1.0, y)], &pen);
    }
}

/// The axis lines along the left and bottom of the plot, with a tick and a label at
/// each tick value.
fn draw_axes(
    surface: &mut dyn Surface,
    plot: &Plot,
    theme: &Theme,
    label: &TextStyle,
    x_labels: &Labels,
    y_labels: &Labels,
) {
    // Ticks 5 px long, labels twice that from the axis (plotters' defaults).
    const TICK: f64 = 5.0;
    let pen = Pen::solid(theme.text, 1.0);
    let (axis_x, axis_y) = (plot.left - 0.5, plot.bottom + 0.5);
    surface.stroke(&[(axis_x, plot.top), (axis_x, plot.bottom - 1.0)], &pen);
    surface.stroke(&[(plot.left, axis_y), (plot.right - 1.0, axis_y)], &pen);
    let below = label.at(Align::Center, Baseline::Top);
    for (x, text) in x_labels {
        let p = plot.px_x(*x).round();
        surface.stroke(
            &[(p - 0.5, plot.bottom), (p - 0.5, plot.bottom + TICK)],
            &pen,
        );
        surface.text(text, (p, plot.bottom + 2.0 * TICK), &below);
    }
    let beside = label.at(Align::Right, Baseline::Middle);
    for (y, text) in y_labels {
        let p = plot.px_y(*y).round();
        let end = plot.left - 1.0;
        surface.stroke(&[(end - TICK, p - 0.5), (end, p - 0.5)], &pen);
        surface.text(text, (plot.left - 2.0 * TICK, p), &beside);
    }
}

/// Every line as one path, confined to the plot; a point without a value is skipped.
fn draw_lines(surface: &mut dyn Surface, chart: &TimeChart, plot: &Plot, theme: &Theme) {
    let width = f64::from(theme.px(2.0));
    let dash = (f64::from(theme.px(7.0)), f64::from(theme.px(4.0)));
    let mut points = Vec::new();
    surface.clip(Some(plot.clip(theme)));
    for line in &chart.lines {
        plot.trace(line, &mut points);
        let pen = Pen {
            dash: line.dashed.then_some(dash),
            ..Pen::solid(line.color, width)
        };
        surface.stroke(&points, &pen);
    }
    surface.clip(None);
}

/// The title's font size in CSS px: 14, or smaller (down to 10) so it fits the width.
fn title_size(surface: &mut dyn Surface, title: &str, theme: &Theme) -> f64 {
    let room = f64::from(surface.size().0) - f64::from(theme.px(16.0));
    let wide = surface.text_width(title, theme.font(14.0)).ceil();
    if wide <= room || wide <= 0.0 {
        14.0
    } else {
        (14.0 * room / wide).clamp(10.0, 14.0)
    }
}
