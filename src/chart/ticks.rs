//! Axis ticks on round values: times at 0, 6 h, 12 h…; bytes at 1 MiB/s, 2 MiB/s…;
//! counts at 1, 2, 5 × 10ⁿ.

/// How the values of an axis step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Counts and shares: steps of 1, 2 and 5 × 10ⁿ.
    #[default]
    Decimal,
    /// Bytes: steps of 1, 2 and 5 × 10ⁿ B, KiB or MiB.
    Binary,
    /// Durations in ms: 1, 2, 5… ms, s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12 h; days.
    Duration,
}

const SECOND: f64 = 1_000.0;
const MINUTE: f64 = 60.0 * SECOND;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;

/// Round steps of a duration in ms, smallest first (days continue as 1, 2, 5 × 10ⁿ).
const DURATION_STEPS: [f64; 22] = [
    1.0,
    2.0,
    5.0,
    10.0,
    20.0,
    50.0,
    100.0,
    200.0,
    500.0,
    SECOND,
    2.0 * SECOND,
    5.0 * SECOND,
    10.0 * SECOND,
    15.0 * SECOND,
    30.0 * SECOND,
    MINUTE,
    2.0 * MINUTE,
    5.0 * MINUTE,
    10.0 * MINUTE,
    15.0 * MINUTE,
    30.0 * MINUTE,
    HOUR,
];

/// Steps beyond the last of `DURATION_STEPS`: hours, then days.
const LONG_STEPS: [f64; 5] = [2.0 * HOUR, 3.0 * HOUR, 6.0 * HOUR, 12.0 * HOUR, DAY];

/// The smallest round 1, 2, 5 × 10ⁿ step (times `unit`) at least `raw`.
fn decimal_step(raw: f64, unit: f64) -> f64 {
    let raw = raw / unit;
    let power = libm::pow(10.0, libm::floor(libm::log10(raw)));
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * power);
    step * unit
}

/// The smallest round step of `scale` that is at least `raw`.
pub fn step(raw: f64, scale: Scale) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    match scale {
        Scale::Decimal => decimal_step(raw, 1.0),
        Scale::Binary => {
            // Past half a unit, the step is a whole unit or more.
            let unit = [1_048_576.0, 1_024.0]
                .into_iter()
                .find(|&u| raw > u / 2.0)
                .unwrap_or(1.0);
            decimal_step(raw, unit)
        }
        Scale::Duration => DURATION_STEPS
            .into_iter()
            .chain(LONG_STEPS)
            .find(|&s| s >= raw)
            .unwrap_or_else(|| decimal_step(raw, DAY)),
    }
}

/// Ticks from `from` to `to` (both included when round) at the round step of `scale`
/// that gives at most `most` intervals over the span.
pub fn ticks(from: f64, to: f64, scale: Scale, most: u32) -> Vec<f64> {
    let span = to - from;
    if !(span.is_finite() && span > 0.0) {
        return vec![from];
    }
    let step = step(span / f64::from(most.max(1)), scale);
    let first = (from / step - 1e-9).ceil();
    let last = (to / step + 1e-9).floor();
    let count = (last - first).max(-1.0) as i64 + 1;
    (0..count).map(|i| (first + i as f64) * step).collect()
}

/// The top of a y axis starting at 0 that holds `peak`: the round tick at or above it
/// with at most `most` intervals, and those ticks.
pub fn axis_top(peak: f64, scale: Scale, most: u32) -> (f64, Vec<f64>) {
    let peak = if peak.is_finite() && peak > 0.0 {
        peak
    } else {
        1.0
    };
    let step = step(peak / f64::from(most.max(1)), scale);
    let top = (peak / step - 1e-9).ceil().max(1.0) * step;
    (top, ticks(0.0, top, scale, most))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ticks_fall_on_round_clock_values() {
        // A 6 h window at most 6 intervals: every hour; a day: every 6 h (4 intervals).
        assert_eq!(ticks(0.0, 6.0 * HOUR, Scale::Duration, 6).len(), 7);
        assert_eq!(
            ticks(0.0, DAY, Scale::Duration, 6),
            vec![0.0, 6.0 * HOUR, 12.0 * HOUR, 18.0 * HOUR, DAY]
        );
        // A window that starts off-round starts at the next round value.
        assert_eq!(
            ticks(65.0 * SECOND, 125.0 * SECOND, Scale::Duration, 6),
            [70, 80, 90, 100, 110, 120].map(|s| f64::from(s) * SECOND)
        );
        // 3 days at most 6 intervals: every 12 h.
        assert_eq!(step(3.0 * DAY / 6.0, Scale::Duration), 12.0 * HOUR);
        // 30 days: every 5 days.
        assert_eq!(step(30.0 * DAY / 6.0, Scale::Duration), 5.0 * DAY);
    }

    #[test]
    fn byte_axes_step_in_whole_mebibytes_and_kibibytes() {
        let mib = 1_048_576.0;
        // A peak of 4.3 MiB/s with 5 intervals tops out at 5 MiB/s in 1 MiB/s steps.
        let (top, ticks) = axis_top(4.3 * mib, Scale::Binary, 5);
        assert_eq!(top, 5.0 * mib);
        assert_eq!(
            ticks,
            (0..=5).map(|i| f64::from(i) * mib).collect::<Vec<_>>()
        );
        // 700 KiB/s: steps of 200 KiB/s up to 800 KiB/s.
        let (top, ticks) = axis_top(700.0 * 1_024.0, Scale::Binary, 5);
        assert_eq!(top, 800.0 * 1_024.0);
        assert_eq!(ticks.len(), 5);
        assert_eq!(ticks[1], 200.0 * 1_024.0);
    }

    #[test]
    fn counts_step_in_one_two_five() {
        // 1,150 in at most 5 intervals: steps of 500 (200 would need 6).
        assert_eq!(axis_top(1_150.0, Scale::Decimal, 5).0, 1_500.0);
        assert_eq!(
            axis_top(120.0, Scale::Decimal, 5).1,
            vec![0.0, 50.0, 100.0, 150.0]
        );
        assert_eq!(axis_top(10.0, Scale::Decimal, 5).0, 10.0);
        assert_eq!(axis_top(0.0, Scale::Decimal, 5).0, 1.0);
        // Iterator age of 26 h: 5 intervals of 6 h up to 30 h.
        assert_eq!(axis_top(26.0 * HOUR, Scale::Duration, 5).0, 30.0 * HOUR);
    }
}
