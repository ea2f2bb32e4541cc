//! Helpers of the page's charts: limits drawn as they were at each moment, colours no
//! two lines of a chart share, the marks and focus a chart is given, and each chart's
//! text alternative.

use crate::chart::theme::{BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION};
use crate::chart::{Line, Marker, Rgb, TimeChart};
use crate::model::FaultAction;

use super::app::App;
use super::charts::ChartId;

/// A limit as it was at each moment: a step line through samples `(seconds, value)`
/// that hold the limit at their end, from the left edge `x.0` (at the first value) to
/// the last sample. A change shows at the end of the sample before the one that first
/// holds it. With no sample yet, `now` across the whole range `x`.
pub fn steps(samples: &[(f64, f64)], x: (f64, f64), now: f64) -> Vec<(f64, f64)> {
    let mut held = samples.iter().copied().filter(|p| p.1.is_finite());
    let Some(first) = held.next() else {
        return vec![(x.0, now), (x.1, now)];
    };
    let mut out = vec![(x.0.min(first.0), first.1)];
    let mut last = first;
    for (t, v) in held {
        if v != last.1 {
            out.push((last.0, last.1));
            out.push((last.0, v));
        }
        last = (t, v);
    }
    out.push(last);
    out
}

/// The largest value at each sample time over several series (a limit shared by
/// several consumers: the highest of their caps). Each series is in time order.
pub fn highest(series: &[Vec<(f64, f64)>]) -> Vec<(f64, f64)> {
    series.iter().fold(Vec::new(), |acc, next| {
        let next: Vec<(f64, f64)> = next.iter().copied().filter(|p| p.1.is_finite()).collect();
        let (mut a, mut b) = (acc.into_iter().peekable(), next.into_iter().peekable());
        let mut out = Vec::new();
        loop {
            let p = match (a.peek().copied(), b.peek().copied()) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    a.next();
                    b.next();
                    (x.0, x.1.max(y.1))
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    a.next();
                    x
                }
                (_, Some(y)) => {
                    b.next();
                    y
                }
                (Some(x), None) => {
                    a.next();
                    x
                }
                (None, None) => break,
            };
            out.push(p);
        }
        out
    })
}

/// Colours given to a chart's lines once the ones they came with are taken.
const SPARE: [Rgb; 10] = [
    BLUE,
    ORANGE,
    GREEN,
    PURPLE,
    SKY,
    VERMILLION,
    Rgb(140, 140, 140),
    Rgb(160, 110, 60),
    Rgb(110, 100, 220),
    Rgb(180, 160, 20),
];

/// Gives every line of `lines` a colour no earlier line has: a line keeps its own
/// unless taken, then gets the first spare one free, then a hue of its own.
pub fn distinct_colours(lines: &mut [Line]) {
    let mut used: Vec<Rgb> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter_mut().enumerate() {
        if used.contains(&line.color) {
            line.color = SPARE
                .into_iter()
                .find(|c| !used.contains(c))
                .unwrap_or_else(|| hue(i, &used));
        }
        used.push(line.color);
    }
}

/// A colour for the `i`th line that no colour in `used` equals: channels stepped by
/// different primes through a middle range that reads on light and dark backgrounds.
fn hue(i: usize, used: &[Rgb]) -> Rgb {
    (i..)
        .map(|k| {
            let channel = |step: usize| (40 + (k * step) % 160) as u8;
            Rgb(channel(67), channel(101), channel(149))
        })
        .find(|c| !used.contains(c))
        .unwrap_or(BLUE)
}

/// Gives `chart` (the page's chart `id`) the app's marks inside its visible range, and
/// the line a lesson points at when the lesson names this chart.
pub fn point_at(app: &App, id: ChartId, chart: &mut TimeChart) {
    chart.marks = marks_within(app, chart.x_range);
    chart.focus = app
        .focus
        .as_ref()
        .filter(|f| f.chart == id)
        .map(|f| f.line.clone());
}

/// The app's marks from `x0` to `x1` (simulated seconds), then the scripted faults
/// begun by now as spans up to their end (or now, while they last).
pub(super) fn marks_within(app: &App, (x0, x1): (f64, f64)) -> Vec<Marker> {
    let mut marks: Vec<Marker> = app
        .marks
        .iter()
        .map(|m| Marker {
            x: m.t_ms as f64 / 1_000.0,
            label: m.label.clone(),
            end: None,
        })
        .filter(|m| m.x >= x0 && m.x <= x1)
        .collect();
    let now = app.sim.now_ms();
    for s in app.sim.fault_spans() {
        let (x, end) = (
            s.start_ms as f64 / 1_000.0,
            s.end_ms.min(now) as f64 / 1_000.0,
        );
        if s.start_ms < now && end >= x0 && x <= x1 {
            marks.push(Marker {
                x,
                label: format!("{} {} %", fault_name(s.action), s.percent),
                end: Some(end),
            });
        }
    }
    marks
}

/// A fault's name on a chart.
fn fault_name(action: FaultAction) -> &'static str {
    match action {
        FaultAction::ThrottlePut => "put fault",
        FaultAction::ThrottleGet => "get fault",
        FaultAction::LambdaErrors => "Lambda errors",
    }
}

/// A chart's text alternative: its title, then each line's value in the axis's format:
/// a limit's last value, a measured line's average over its last minute (or its last
/// sample, when samples are longer), so a bursty line does not read as its last tick,
/// with whether it is rising or falling against the same average a tenth of the range
/// earlier ("Iterator age per consumer, average of the last minute: lambda 3.2 h,
/// rising; retention (records expire) 24 h"), and the latest three changes marked on it.
/// A chart of running totals (`totals`) gives each line's last value.
pub fn describe(chart: &TimeChart, totals: bool) -> String {
    let (x0, x1) = chart.x_range;
    let earlier = (x1 - x0) / 10.0;
    // The lines of a chart share their samples; samples longer than a minute are
    // averaged over their own length.
    let window = chart
        .lines
        .iter()
        .find(|l| !l.dashed)
        .map_or(60.0, |l| f64::max(60.0, step(&l.points)));
    let parts: Vec<String> = chart
        .lines
        .iter()
        .filter_map(|line| {
            let finite: Vec<(f64, f64)> = line
                .points
                .iter()
                .copied()
                .filter(|p| p.1.is_finite())
                .collect();
            let &(last_x, last_y) = finite.last()?;
            let shown = |v: f64| small(v).unwrap_or_else(|| (chart.y_format)(&v));
            if line.dashed && !totals {
                // A per-second truth beside CloudWatch's datapoints: its peak.
                if line.label.ends_with(" second") {
                    let peak = finite
                        .iter()
                        .filter(|p| p.0 > last_x - window)
                        .fold(0.0, |m: f64, p| m.max(p.1));
                    return Some(format!("{} up to {}", line.label, shown(peak)));
                }
                return Some(format!("{} {}", line.label, (chart.y_format)(&last_y)));
            }
            let (now, before) = if totals {
                let before = finite.iter().rev().find(|p| p.0 <= last_x - earlier);
                (last_y, before.map_or(last_y, |p| p.1))
            } else {
                let now = mean_before(&finite, last_x, window).unwrap_or(last_y);
                let before = mean_before(&finite, last_x - earlier, window).unwrap_or(now);
                (now, before)
            };
            let trend = if now > before * 1.05 + 1e-9 {
                ", rising"
            } else if now < before * 0.95 - 1e-9 {
                ", falling"
            } else {
                ""
            };
            let value = if totals {
                // Totals in full, as the summary gives them.
                crate::format::thousands(now.round() as u64)
            } else {
                shown(now)
            };
            Some(format!("{} {value}{trend}", line.label))
        })
        .collect();
    let mut text = if parts.is_empty() {
        format!("{}: nothing to show yet.", chart.title)
    } else if totals {
        format!("{}, so far: {}.", chart.title, parts.join("; "))
    } else {
        let over = if window <= 60.0 {
            "minute".to_string()
        } else {
            crate::format::axis_duration(&(window * 1_000.0))
        };
        format!(
            "{}, average of the last {over}: {}.",
            chart.title,
            parts.join("; ")
        )
    };
    // The latest changes marked on it, newest last.
    let marks = &chart.marks[chart.marks.len().saturating_sub(3)..];
    if !marks.is_empty() {
        let labels: Vec<&str> = marks.iter().map(|m| m.label.as_str()).collect();
        text.push_str(&format!(" Latest changes: {}.", labels.join(", ")));
    }
    text
}

/// A value under 1 with two significant digits ("0.3", "0.017"), so a small rate does
/// not read as none; `None` for others (the axis's format says those).
fn small(value: f64) -> Option<String> {
    if value <= 0.0 || value >= 1.0 {
        return None;
    }
    let places = (-libm::floor(libm::log10(value))) as usize + 1;
    let text = format!("{value:.places$}");
    Some(text.trim_end_matches('0').trim_end_matches('.').to_string())
}

/// The spacing of the last two points, seconds (0 with fewer).
fn step(points: &[(f64, f64)]) -> f64 {
    match points {
        [.., a, b] => b.0 - a.0,
        _ => 0.0,
    }
}

/// The average over the last minute of `points` (or the last point, when samples are
/// longer than a minute); 0 without points.
pub(super) fn last_minute(points: &[(f64, f64)]) -> f64 {
    let Some(&(last_x, last_y)) = points.last() else {
        return 0.0;
    };
    mean_before(points, last_x, f64::max(60.0, step(points))).unwrap_or(last_y)
}

/// The mean of the points within `window` seconds up to `until` (inclusive).
fn mean_before(points: &[(f64, f64)], until: f64, window: f64) -> Option<f64> {
    let (sum, n) = points
        .iter()
        .filter(|p| p.0 <= until + 1e-9 && p.0 > until - window + 1e-9)
        .fold((0.0, 0u32), |(s, n), p| (s + p.1, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// The shard strip's text alternative: open shards, how many are at the write limit
/// and the busiest one's utilisation.
pub fn describe_strip(utilisation: &[f64]) -> String {
    let hot = utilisation.iter().filter(|&&u| u >= 0.95).count();
    let busiest = utilisation.iter().copied().fold(0.0, f64::max);
    format!(
        "Write utilisation per shard: {} open, {hot} at the write limit, the busiest at {:.0} %.",
        utilisation.len(),
        busiest * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::axis_count;

    fn chart(step: f64, values: impl Fn(f64) -> f64) -> TimeChart {
        let points = (1..=(3_600.0 / step) as u32)
            .map(|i| f64::from(i) * step)
            .map(|x| (x, values(x)))
            .collect();
        TimeChart {
            title: "Records processed".into(),
            y_unit: "records/s".into(),
            x_range: (0.0, 3_600.0),
            lines: vec![
                Line {
                    label: "ecs".into(),
                    color: BLUE,
                    points,
                    dashed: false,
                },
                Line {
                    label: "limit".into(),
                    color: ORANGE,
                    points: vec![(0.0, 1_500.0), (3_600.0, 1_500.0)],
                    dashed: true,
                },
            ],
            y_format: axis_count,
            y_floor: 1.0,
            y_scale: Default::default(),
            marks: Vec::new(),
            focus: None,
            x_axis: None,
        }
    }

    #[test]
    fn a_bursty_line_reads_as_its_last_minute_not_its_last_tick() {
        // A consumer polling every 3 s processes 3,000 records on every third second:
        // its last tick may be 0, its last minute averages 1,000 records/s.
        let bursty = chart(1.0, |x| {
            if (x as u32).is_multiple_of(3) {
                3_000.0
            } else {
                0.0
            }
        });
        assert_eq!(
            describe(&bursty, false),
            "Records processed, average of the last minute: ecs 1,000; limit 1,500."
        );
        // Rising: 1,000 records/s more each hour; the last minute averages 3,570.5 and
        // six minutes earlier 3,210.5 (over 5 % less).
        let rising = chart(1.0, |x| x);
        assert_eq!(
            describe(&rising, false),
            "Records processed, average of the last minute: ecs 3,571, rising; limit 1,500."
        );
        // A rate under 1 keeps two significant digits: 18 errors a minute is 0.3/s.
        let rare = chart(1.0, |x| {
            if (x as u32).is_multiple_of(10) {
                3.0
            } else {
                0.0
            }
        });
        assert_eq!(
            describe(&rare, false),
            "Records processed, average of the last minute: ecs 0.3; limit 1,500."
        );
        let rarer = chart(1.0, |x| {
            if (x as u32).is_multiple_of(60) {
                1.0
            } else {
                0.0
            }
        });
        assert!(describe(&rarer, false).contains(": ecs 0.017;"));
        // Running totals give their last value in full.
        let mut total = chart(1.0, |x| 1_000.0 * x);
        total.title = "Records lost (cumulative)".into();
        assert_eq!(
            describe(&total, true),
            "Records lost (cumulative), so far: ecs 3,600,000, rising; limit 1,500."
        );
        // Samples of 15 minutes are each already an average over their length.
        let coarse = chart(900.0, |x| 4_000.0 - x);
        assert_eq!(
            describe(&coarse, false),
            "Records processed, average of the last 15 min: ecs 400, falling; limit 1,500."
        );
    }

    #[test]
    fn a_limit_steps_where_it_changed() {
        let samples = [(1.0, 4.0), (2.0, 4.0), (3.0, 12.0), (4.0, 12.0)];
        assert_eq!(
            steps(&samples, (0.0, 60.0), 12.0),
            [(0.0, 4.0), (2.0, 4.0), (2.0, 12.0), (4.0, 12.0)]
        );
        assert_eq!(
            steps(&[], (0.0, 60.0), 7.0),
            [(0.0, 7.0), (60.0, 7.0)],
            "at time 0 the limit of now"
        );
        assert_eq!(
            highest(&[
                vec![(1.0, 2.0), (2.0, 6.0)],
                vec![(2.0, 8.0), (3.0, f64::NAN)]
            ]),
            [(1.0, 2.0), (2.0, 8.0)]
        );
    }

    #[test]
    fn no_two_lines_share_a_colour_however_many() {
        let mut lines: Vec<Line> = (0..40)
            .map(|i| Line {
                label: format!("l{i}"),
                color: if i % 2 == 0 { BLUE } else { VERMILLION },
                points: Vec::new(),
                dashed: false,
            })
            .collect();
        distinct_colours(&mut lines);
        assert_eq!(lines[0].color, BLUE);
        assert_eq!(lines[1].color, VERMILLION);
        assert_eq!(lines[2].color, ORANGE, "the first spare colour free");
        for (i, a) in lines.iter().enumerate() {
            assert!(
                lines[i + 1..].iter().all(|b| b.color != a.color),
                "{} shares {:?}",
                a.label,
                a.color
            );
        }
    }
}
