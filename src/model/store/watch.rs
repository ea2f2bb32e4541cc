//! CloudWatch's view of a store's history: for each CloudWatch metric, the samples
//! (sum, count, maximum, minimum) each stored sample holds, so a datapoint of any
//! statistic over a period of whole samples is exact at every level; and for every
//! count and gauge its busiest second, so a coarse sample still shows its peak.

use super::again::Repeat;
use super::{Level, SeriesStore};
use crate::model::cloudwatch::{is_cloudwatch, samples_column, Kind, Samples, Statistic};
use crate::model::series::Fold;

/// The samples kept beside a store's columns.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Watch {
    /// Per watched column: its index, the index of the column counting its samples
    /// (when they are not seconds), how a sample holds it and whether it is a
    /// CloudWatch metric.
    columns: Vec<(usize, Option<usize>, Kind, bool)>,
    /// Seconds per tick.
    tick_s: f64,
    /// Five values per watched column: [`Samples::parts`] and the busiest second.
    levels: Vec<Level>,
    folds: Vec<Fold>,
    row: Vec<f64>,
}

impl Watch {
    /// Watches every CloudWatch metric of `store` (capitalised names) and the model's
    /// own counts and gauges named in `also` (for their busiest second); never the
    /// levels it keeps the last value of, nor the held ones.
    pub(super) fn new(store: &SeriesStore, also: &[&str]) -> Watch {
        let index = |name: &str| store.columns.iter().position(|c| c == name);
        let columns: Vec<(usize, Option<usize>, Kind, bool)> = store
            .columns
            .iter()
            .enumerate()
            .filter(|(c, name)| {
                store.folds[*c] != Fold::Last
                    && !store.is_held(name)
                    && (is_cloudwatch(name) || also.contains(&name.as_str()))
            })
            .map(|(c, name)| {
                let counted = samples_column(name).and_then(index);
                let kind = Kind::of(name, store.folds[c] != Fold::Sum);
                (c, counted, kind, is_cloudwatch(name))
            })
            .collect();
        let folds = columns
            .iter()
            .flat_map(|_| [Fold::Sum, Fold::Sum, Fold::Max, Fold::Min, Fold::Max])
            .collect();
        let levels = store
            .levels
            .iter()
            .map(|l| Level::new(l.step_ms, l.cap, l.grows))
            .collect();
        Watch {
            columns,
            tick_s: store.levels.first().map_or(1.0, |l| l.step_ms as f64) / 1_000.0,
            levels,
            folds,
            row: Vec::new(),
        }
    }

    /// Adds the samples of the tick ending at `t_ms` whose values are `row`.
    pub(super) fn add(&mut self, t_ms: u64, row: &[f64]) {
        self.row.clear();
        self.push_row(row);
        Level::cascade(&mut self.levels, t_ms, &self.row, &self.folds);
    }

    /// Adds the samples of the store's `rows` (`width` values each) as `repeat` of the
    /// store's rows brings them.
    pub(super) fn rows_again(&mut self, rows: &[f64], width: usize, repeat: &Repeat) {
        self.row.clear();
        for row in rows.chunks(width) {
            self.push_row(row);
        }
        let rows = std::mem::take(&mut self.row);
        let mine = Repeat {
            rows: &rows,
            width: self.folds.len(),
            clock: None,
            ..*repeat
        };
        Level::cascade_again(&mut self.levels, &mine, &self.folds);
        self.row = rows;
        // The row buffer holds the last tick's, as input by input.
        let last = self.row.len().saturating_sub(self.folds.len());
        self.row.drain(..last);
    }

    /// Appends the samples of the tick whose values are `row` to the row under way.
    fn push_row(&mut self, row: &[f64]) {
        for &(c, counted, kind, _) in &self.columns {
            let value = row.get(c).copied().unwrap_or(f64::NAN);
            let n = counted.and_then(|k| row.get(k).copied());
            let samples = Samples::tick(value, n, self.tick_s, kind);
            self.row.extend(samples.parts());
            self.row.push(if kind == Kind::Gauge {
                value
            } else {
                value / self.tick_s
            });
        }
    }

    /// Values held over all levels.
    pub(super) fn values_held(&self) -> usize {
        self.levels.iter().map(|l| l.data.len()).sum()
    }

    /// Position of column `column` among the watched ones.
    fn slot(&self, column: usize) -> Option<usize> {
        self.columns.iter().position(|w| w.0 == column)
    }

    /// The level reaching back to `since_ms` and the slot of `column` in it.
    fn find<'a>(
        &'a self,
        store: &SeriesStore,
        column: &str,
        since_ms: u64,
    ) -> Option<(&'a Level, usize)> {
        let slot = self.slot(store.column(column)?)?;
        Some((self.levels.get(store.level_for(since_ms))?, slot))
    }
}

impl SeriesStore {
    /// The same store keeping, for each CloudWatch metric, what CloudWatch computes its
    /// statistics from ([`SeriesStore::datapoints`]) and its busiest second
    /// ([`SeriesStore::peaks`]); for the model's own columns named in `also`, their
    /// busiest second. Call it last, before the first tick.
    pub fn watched(mut self, also: &[&str]) -> Self {
        self.watch = Some(Box::new(Watch::new(&self, also)));
        self
    }

    /// Whether `name` is a column whose value the owner holds.
    fn is_held(&self, name: &str) -> bool {
        self.held.iter().any(|(n, _)| n == name)
    }

    /// CloudWatch's datapoints of column `column` with statistic `stat` over periods of
    /// `period_ms` from `since_ms` (rounded down to a period's start) to `until_ms`:
    /// `(end of period ms, value)`, only for periods that have ended and hold a sample,
    /// as CloudWatch gives no datapoint otherwise. Periods are whole samples of the
    /// finest level reaching back that far: older history, kept coarser, gives longer
    /// periods. Empty for a column that is not a watched CloudWatch metric.
    pub fn datapoints(
        &self,
        column: &str,
        stat: Statistic,
        period_ms: u64,
        since_ms: u64,
        until_ms: u64,
    ) -> Vec<(u64, f64)> {
        let since_ms = since_ms - since_ms % period_ms.max(1);
        let Some(watch) = self.watch.as_deref() else {
            return Vec::new();
        };
        let Some((level, slot)) = watch.find(self, column, since_ms) else {
            return Vec::new();
        };
        if !watch.columns[slot].3 {
            return Vec::new();
        }
        let period = period_ms.max(level.step_ms);
        let mut out = Vec::new();
        let mut open: Option<(u64, Samples)> = None;
        for (i, &t) in level.times.iter().enumerate() {
            if t <= since_ms || t > until_ms {
                continue;
            }
            let end = t.div_ceil(period) * period;
            let at = (i * watch.folds.len() + 5 * slot)..(i * watch.folds.len() + 5 * slot + 4);
            let parts: Vec<f64> = level.data.range(at).copied().collect();
            let samples = Samples::from_parts(&parts);
            match &mut open {
                Some((e, acc)) if *e == end => acc.merge(&samples),
                _ => {
                    close(open.take(), stat, until_ms, &mut out);
                    open = Some((end, samples));
                }
            }
        }
        close(open, stat, until_ms, &mut out);
        out
    }
}

impl SeriesStore {
    /// The busiest second of count or gauge `column` in each sample from `since_ms`
    /// to `until_ms`, at the finest level reaching back that far: `(step ms, (end of
    /// sample ms, per-second value))` (a count per second, a gauge's largest value).
    /// Empty without [`SeriesStore::watched`].
    pub fn peaks(&self, column: &str, since_ms: u64, until_ms: u64) -> (u64, Vec<(u64, f64)>) {
        let Some(watch) = self.watch.as_deref() else {
            return (0, Vec::new());
        };
        let Some((level, slot)) = watch.find(self, column, since_ms) else {
            return (0, Vec::new());
        };
        let width = watch.folds.len();
        let points = level
            .times
            .iter()
            .enumerate()
            .filter(|(_, &t)| t > since_ms && t <= until_ms)
            .map(|(i, &t)| (t, level.data[i * width + 5 * slot + 4]))
            .filter(|p| !p.1.is_nan())
            .collect();
        (level.step_ms, points)
    }
}

/// Ends period `open` into `out` when it has ended by `until_ms` and holds a sample.
fn close(open: Option<(u64, Samples)>, stat: Statistic, until_ms: u64, out: &mut Vec<(u64, f64)>) {
    if let Some((end, samples)) = open {
        let v = samples.get(stat);
        if end <= until_ms && !v.is_nan() {
            out.push((end, v));
        }
    }
}
