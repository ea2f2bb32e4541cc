//! A replay's repeated periods taken into the history whole, to the same bits as
//! adding their ticks one by one, at a fraction of the work.
//!
//! The finest level keeps every tick as it is, so of a long repeat it needs only the
//! last ticks it has room for. A coarser level folds its inputs into samples; from the
//! start of a sample on, it folds the same inputs from the same empty sample every
//! `lcm(period, step)` of time, so the samples of one such cycle, moved on in time, are
//! those of every later one. The levels above take those samples one by one
//! (they come a few a minute at most).

use std::collections::VecDeque;

use super::{Level, SeriesStore};
use crate::model::consumer::ConsumerTick;
use crate::model::metrics::TickMetrics;
use crate::model::series::{consumer_row, row, Fold};

/// Inputs that came last to a level and come `times` times more: `rows` (`width`
/// values each, the last ending at `t_ms`), one every `dt_ms`, the same each time but
/// for their time, which column `clock` holds in seconds when there is one.
pub(super) struct Repeat<'a> {
    pub(super) rows: &'a [f64],
    pub(super) width: usize,
    pub(super) times: u64,
    pub(super) t_ms: u64,
    pub(super) dt_ms: u64,
    pub(super) clock: Option<usize>,
}

impl Repeat<'_> {
    /// Inputs per period.
    fn period(&self) -> u64 {
        (self.rows.len() / self.width.max(1)) as u64
    }

    /// Inputs in all.
    fn total(&self) -> u64 {
        self.times * self.period()
    }

    /// Writes input `k` (counted from the first repeated one) into `out`; returns its
    /// end time.
    fn input(&self, k: u64, out: &mut Vec<f64>) -> u64 {
        let j = (k % self.period()) as usize * self.width;
        out.clear();
        out.extend_from_slice(&self.rows[j..j + self.width]);
        let t = self.t_ms + (k + 1) * self.dt_ms;
        stamp(out, self.clock, t);
        t
    }

    /// [`Repeat::input`] added to the end of a level's samples.
    fn push_input(&self, k: u64, data: &mut VecDeque<f64>) -> u64 {
        let j = (k % self.period()) as usize * self.width;
        let at = data.len();
        data.extend(&self.rows[j..j + self.width]);
        let t = self.t_ms + (k + 1) * self.dt_ms;
        if let Some(cell) = self.clock.and_then(|c| data.get_mut(at + c)) {
            *cell = t as f64 / 1_000.0;
        }
        t
    }
}

/// Writes time `t_ms` into `row`'s clock column, in seconds, as a tick's row has it.
fn stamp(row: &mut [f64], clock: Option<usize>, t_ms: u64) {
    if let Some(cell) = clock.and_then(|c| row.get_mut(c)) {
        *cell = t_ms as f64 / 1_000.0;
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

impl Level {
    /// Adds the inputs of `repeat` to every level, as [`Level::cascade`] input by input
    /// would (see the module's notes). Returns how many it folded one by one.
    pub(super) fn cascade_again(levels: &mut [Level], repeat: &Repeat, folds: &[Fold]) -> u64 {
        let mut row = Vec::with_capacity(repeat.width);
        let total = repeat.total();
        let jumps = levels.len() >= 2
            && levels[0].step_ms == repeat.dt_ms
            && levels[0].acc_ticks == 0
            && !levels[0].grows
            && !levels[1].grows;
        if !jumps {
            for k in 0..total {
                let t = repeat.input(k, &mut row);
                Level::cascade(levels, t, &row, folds);
            }
            return total;
        }
        let [first, second, coarser @ ..] = levels else {
            return 0;
        };
        // The finest level takes each input as its own sample and keeps the last `cap`:
        // those it held before go first, then the oldest inputs of the repeat.
        let kept = total.min(first.cap as u64);
        let gone = (first.times.len() + kept as usize).saturating_sub(first.cap);
        first.times.drain(..gone);
        first.data.drain(..gone * repeat.width);
        for k in total - kept..total {
            first.times.push_back(repeat.push_input(k, &mut first.data));
        }
        second.add_repeat(repeat, folds, coarser)
    }

    /// Folds the inputs of `repeat` into this level, handing each sample it closes on to
    /// `coarser`; one cycle of a period starting with a sample is folded, the cycles
    /// after it are its samples moved on. Returns how many inputs it folded.
    fn add_repeat(&mut self, repeat: &Repeat, folds: &[Fold], coarser: &mut [Level]) -> u64 {
        let total = repeat.total();
        let q = repeat.period();
        let period_ms = q * repeat.dt_ms;
        let cycle_ms = period_ms / gcd(period_ms, self.step_ms) * self.step_ms;
        let cycle = cycle_ms / repeat.dt_ms;
        let mut row = Vec::with_capacity(repeat.width);
        let mut k = 0;
        // A sample starts at input `k`: the inputs from there repeat every `cycle`.
        let aligned = |k: u64, level: &Level| {
            level.acc_ticks == 0 && (repeat.t_ms + k * repeat.dt_ms).is_multiple_of(level.step_ms)
        };
        while k < total && !aligned(k, self) {
            self.add_input(repeat, k, &mut row, folds, coarser);
            k += 1;
        }
        let cycles = (total - k) / cycle.max(1);
        let mut moved = 0;
        if cycles >= 2 {
            // One cycle folded, its samples kept.
            let (mut times, mut samples) = (Vec::new(), Vec::new());
            for _ in 0..cycle {
                let t = repeat.input(k, &mut row);
                if let Some(sample) = self.add(t, &row, folds) {
                    times.push(t);
                    samples.extend_from_slice(sample);
                    Level::cascade(coarser, t, sample, folds);
                }
                k += 1;
            }
            let width = repeat.width;
            for c in 1..cycles {
                for (i, &t) in times.iter().enumerate() {
                    let t = t + c * cycle_ms;
                    row.clear();
                    row.extend_from_slice(&samples[i * width..(i + 1) * width]);
                    stamp(&mut row, repeat.clock, t);
                    self.push(t, &row, folds);
                    Level::cascade(coarser, t, &row, folds);
                }
            }
            moved = (cycles - 1) * cycle;
            k += moved;
            if repeat.dt_ms < self.step_ms {
                // The open sample's buffer holds the last one closed, as input by input.
                let last = times.last().map_or(0, |t| t + (cycles - 1) * cycle_ms);
                stamp(&mut self.acc, repeat.clock, last);
            }
        }
        while k < total {
            self.add_input(repeat, k, &mut row, folds, coarser);
            k += 1;
        }
        total - moved
    }

    /// Folds input `k` of `repeat` into this level, handing a sample it closes on.
    fn add_input(
        &mut self,
        repeat: &Repeat,
        k: u64,
        row: &mut Vec<f64>,
        folds: &[Fold],
        coarser: &mut [Level],
    ) {
        let t = repeat.input(k, row);
        if let Some(sample) = self.add(t, row, folds) {
            Level::cascade(coarser, t, sample, folds);
        }
    }
}

impl SeriesStore {
    /// Adds the ticks of `period` (in order, the last ones given to [`SeriesStore::add`])
    /// `times` times more, the same but for their end times, one tick apart: what adding
    /// them one by one would hold, to the bit.
    pub fn add_again<'a>(&mut self, period: impl IntoIterator<Item = &'a TickMetrics>, times: u64) {
        let mut rows = Vec::new();
        for m in period {
            row(m, self.consumers, &mut self.row);
            self.push_held();
            rows.extend_from_slice(&self.row);
        }
        self.rows_again(&rows, times);
    }

    /// [`SeriesStore::add_again`] for one consumer's ticks (see
    /// [`SeriesStore::add_consumer`]).
    pub fn add_consumer_again<'a>(
        &mut self,
        period: impl IntoIterator<Item = &'a ConsumerTick>,
        times: u64,
    ) {
        let mut rows = Vec::new();
        for tick in period {
            consumer_row(0, tick, &mut self.row);
            self.push_held();
            rows.extend_from_slice(&self.row);
        }
        self.rows_again(&rows, times);
    }

    /// Adds `rows` (whole rows of this store) `times` times more after the last tick.
    fn rows_again(&mut self, rows: &[f64], times: u64) {
        let width = self.columns.len();
        let Some(&t_ms) = self.levels.first().and_then(|l| l.times.back()) else {
            return;
        };
        if rows.is_empty() || !rows.len().is_multiple_of(width) || times == 0 {
            return;
        }
        let dt_ms = self.levels[0].step_ms;
        let clock = self.columns.iter().position(|c| c == "t_s");
        let repeat = Repeat {
            rows,
            width,
            times,
            t_ms,
            dt_ms,
            clock,
        };
        Level::cascade_again(&mut self.levels, &repeat, &self.folds);
        if let Some(watch) = &mut self.watch {
            watch.rows_again(rows, width, &repeat);
        }
        // The row buffer holds the last tick's, as input by input.
        repeat.input(repeat.total() - 1, &mut self.row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long repeat folds at most a sample's inputs before a sample starts, one cycle,
    /// and less than a cycle after the last whole one.
    #[test]
    fn a_long_repeat_folds_little_more_than_a_cycle() {
        let folds = [Fold::Last, Fold::Sum, Fold::Max];
        for (q, warm, cycle) in [(10, 12_345, 60), (7, 1, 420), (1, 59, 60), (45, 30, 180)] {
            let mut levels = [
                Level::new(1_000, 900, false),
                Level::new(60_000, 2_880, false),
                Level::new(900_000, 2_048, true),
            ];
            let mut t_ms = 0;
            let mut rows = Vec::new();
            for j in 0..warm + q {
                t_ms += 1_000;
                let row = [t_ms as f64 / 1_000.0, (j % q) as f64, (j * j % q) as f64];
                Level::cascade(&mut levels, t_ms, &row, &folds);
                if j >= warm {
                    rows.extend_from_slice(&row);
                }
            }
            let repeat = Repeat {
                rows: &rows,
                width: 3,
                times: 10_000,
                t_ms,
                dt_ms: 1_000,
                clock: Some(0),
            };
            let folded = Level::cascade_again(&mut levels, &repeat, &folds);
            assert!(
                folded < 60 + 2 * cycle,
                "period {q}, {warm} ticks before: {folded} folded one by one"
            );
            let end_ms = t_ms + repeat.total() * 1_000;
            assert_eq!(levels[1].times.back(), Some(&(end_ms / 60_000 * 60_000)));
        }
    }
}
