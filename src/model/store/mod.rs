//! Bounded multi-resolution metric history: fine for the recent past, coarse for days.
//!
//! Three levels: every tick for the last 15 minutes, every minute for the last two
//! days, and every 15 minutes for the whole run — that last level halves its
//! resolution (merging neighbours) whenever it fills, so memory stays bounded for any
//! run length while the whole run can still be drawn.

use std::collections::VecDeque;

// A replay's periods taken whole (see `App::tick`).
mod again;
mod watch;

use watch::Watch;

use super::consumer::ConsumerTick;
use super::metrics::TickMetrics;
use super::series::{
    columns, consumer_columns, consumer_folds, consumer_row, fold, folds, row, ConsumerGroups,
    Fold, NO_VALUE,
};

/// One resolution of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    /// Milliseconds per sample.
    pub step_ms: u64,
    cap: usize,
    grows: bool,
    /// End time of each sample, ms.
    times: VecDeque<u64>,
    /// Samples, `width` values each, oldest first.
    data: VecDeque<f64>,
    acc: Vec<f64>,
    acc_ticks: u32,
}

impl Level {
    fn new(step_ms: u64, cap: usize, grows: bool) -> Self {
        Level {
            step_ms,
            cap,
            grows,
            times: VecDeque::new(),
            data: VecDeque::new(),
            acc: Vec::new(),
            acc_ticks: 0,
        }
    }

    /// Samples held.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether it holds no sample.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// Adds one tick's (or one finer sample's) `values` ending at `t_ms`; returns the
    /// sample it closed, if it closed one.
    fn add<'a>(&'a mut self, t_ms: u64, values: &'a [f64], folds: &[Fold]) -> Option<&'a [f64]> {
        let first = self.acc_ticks == 0;
        let closes = t_ms.is_multiple_of(self.step_ms);
        if first && closes {
            // A sample of one: the values themselves.
            self.push(t_ms, values, folds);
            return Some(values);
        }
        if first {
            self.acc.clear();
            self.acc.resize(values.len(), 0.0);
        }
        for ((acc, &v), &f) in self.acc.iter_mut().zip(values).zip(folds) {
            fold(f, acc, v, first);
        }
        self.acc_ticks += 1;
        if !closes {
            return None;
        }
        self.acc_ticks = 0;
        let acc = std::mem::take(&mut self.acc);
        self.push(t_ms, &acc, folds);
        self.acc = acc;
        Some(&self.acc)
    }

    /// Stores a closed sample, making room as the level does.
    fn push(&mut self, t_ms: u64, sample: &[f64], folds: &[Fold]) {
        self.times.push_back(t_ms);
        self.data.extend(sample.iter().copied());
        if self.times.len() > self.cap {
            if self.grows {
                self.halve(sample.len(), folds);
            } else {
                self.times.pop_front();
                self.data.drain(..sample.len());
            }
        }
    }

    /// Adds one tick to every level: the finest takes the tick, each coarser one the
    /// sample the finer one just closed (folds are associative and each step is a
    /// multiple of the finer one's, so this is the same as folding every tick into
    /// every level, at a fraction of the work).
    fn cascade(levels: &mut [Level], t_ms: u64, values: &[f64], folds: &[Fold]) {
        let mut closed = Some(values);
        for level in levels {
            match closed {
                Some(sample) => closed = level.add(t_ms, sample, folds),
                None => return,
            }
        }
    }

    /// Inserts `extra` columns holding no value at column `at` of every sample (and the
    /// open one).
    fn widen(&mut self, width: usize, extra: usize, at: usize) {
        let old: Vec<f64> = self.data.drain(..).collect();
        for sample in old.chunks(width) {
            let at = at.min(sample.len());
            self.data.extend(sample[..at].iter().copied());
            self.data.extend(std::iter::repeat_n(NO_VALUE, extra));
            self.data.extend(sample[at..].iter().copied());
        }
        if !self.acc.is_empty() {
            let at = at.min(self.acc.len());
            self.acc
                .splice(at..at, std::iter::repeat_n(NO_VALUE, extra));
        }
    }

    /// Merges neighbouring samples pairwise and doubles the step.
    fn halve(&mut self, width: usize, folds: &[Fold]) {
        let times: Vec<u64> = self.times.drain(..).collect();
        let data: Vec<f64> = self.data.drain(..).collect();
        for pair in 0..times.len() / 2 {
            let (a, b) = (2 * pair, 2 * pair + 1);
            self.times.push_back(times[b]);
            for (c, &f) in folds.iter().enumerate().take(width) {
                let mut v = data[a * width + c];
                fold(f, &mut v, data[b * width + c], false);
                self.data.push_back(v);
            }
        }
        if times.len() % 2 == 1 {
            let last = times.len() - 1;
            self.times.push_back(times[last]);
            self.data.extend(data[last * width..].iter().copied());
        }
        self.step_ms *= 2;
    }
}

/// The history of every metric column of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesStore {
    /// Column names (see [`columns`]).
    pub columns: Vec<String>,
    folds: Vec<Fold>,
    consumers: usize,
    groups: ConsumerGroups,
    levels: Vec<Level>,
    row: Vec<f64>,
    /// Columns after the metrics whose value the owner holds (limits that change
    /// rarely, e.g. the retention): their names and current values.
    held: Vec<(String, f64)>,
    /// What CloudWatch's statistics are computed from, when asked for
    /// ([`SeriesStore::watched`]); columns added later are not watched.
    watch: Option<Box<Watch>>,
}

impl SeriesStore {
    /// Per-tick samples for 15 minutes, per-minute for two days, 15-minute (and coarser
    /// as the run grows) for the whole run. `tick_ms` must divide 60,000.
    pub fn new(consumers: &[String], tick_ms: u64) -> Self {
        let groups = ConsumerGroups::new(consumers);
        let names = groups.names();
        let mut store =
            Self::with_columns(columns(names), folds(names.len()), names.len(), tick_ms);
        store.groups = groups;
        store
    }

    /// The history of one consumer's own metrics (see [`consumer_columns`]); fed with
    /// [`SeriesStore::add_consumer`].
    pub fn consumer(tick_ms: u64) -> Self {
        Self::with_columns(consumer_columns(), consumer_folds(), 0, tick_ms)
    }

    fn with_columns(
        columns: Vec<String>,
        folds: Vec<Fold>,
        consumers: usize,
        tick_ms: u64,
    ) -> Self {
        SeriesStore {
            columns,
            folds,
            consumers,
            groups: ConsumerGroups::default(),
            levels: vec![
                Level::new(tick_ms, (900_000 / tick_ms) as usize, false),
                Level::new(60_000, 2 * 1_440, false),
                Level::new(900_000, 2_048, true),
            ],
            row: Vec::new(),
            held: Vec::new(),
            watch: None,
        }
    }

    /// The same store with columns `names` after the metrics, holding no value until
    /// [`SeriesStore::hold`] sets one; each sample keeps the value held at its end (a
    /// limit as it was at that moment). Add them before the first tick.
    pub fn with_held(mut self, names: &[&str]) -> Self {
        for name in names {
            self.columns.push((*name).to_string());
            self.folds.push(Fold::Last);
            self.held.push(((*name).to_string(), NO_VALUE));
        }
        self
    }

    /// Sets held column `name` (see [`SeriesStore::with_held`]) to `value` from the next
    /// tick on; a name the store does not hold changes nothing.
    pub fn hold(&mut self, name: &str, value: f64) {
        if let Some(held) = self.held.iter_mut().find(|(n, _)| n == name) {
            held.1 = value;
        }
    }

    /// Appends the held values to the row just written.
    fn push_held(&mut self) {
        self.row.extend(self.held.iter().map(|(_, v)| *v));
    }

    /// Adds one consumer's tick ending at `t_ms` (for a store made by [`SeriesStore::consumer`]).
    pub fn add_consumer(&mut self, t_ms: u64, tick: &ConsumerTick) {
        consumer_row(t_ms, tick, &mut self.row);
        self.push_held();
        Level::cascade(&mut self.levels, t_ms, &self.row, &self.folds);
        if let Some(watch) = &mut self.watch {
            watch.add(t_ms, &self.row);
        }
    }

    /// How column `name` folds ticks, if the store has it.
    pub fn fold(&self, name: &str) -> Option<Fold> {
        self.column(name).and_then(|c| self.folds.get(c).copied())
    }

    /// Index of the column called `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// Adds one tick, its consumers by position (the tick's first consumer fills the
    /// first consumer's columns): for a run whose consumers never change. Use
    /// [`SeriesStore::add_named`] when they can.
    pub fn add(&mut self, m: &TickMetrics) {
        row(m, self.consumers, &mut self.row);
        self.push_held();
        Level::cascade(&mut self.levels, m.t_ms, &self.row, &self.folds);
        if let Some(watch) = &mut self.watch {
            watch.add(m.t_ms, &self.row);
        }
    }

    /// Adds one tick whose consumers (in `m.consumers` order) are called `names`:
    /// columns follow consumers by name. A removed consumer's columns hold no value
    /// ([`NO_VALUE`]; left out of [`SeriesStore::series`]) from then
    /// on; a new name gets columns at the end, with no value before it ran.
    pub fn add_named<'a>(&mut self, m: &TickMetrics, names: impl IntoIterator<Item = &'a str>) {
        if self.groups.follow(names) > 0 {
            let width = self.columns.len();
            let all = self.groups.names();
            self.columns = columns(all);
            self.folds = folds(all.len());
            self.consumers = all.len();
            // New consumer columns go before the held ones, which stay last.
            for (name, _) in &self.held {
                self.columns.push(name.clone());
                self.folds.push(Fold::Last);
            }
            let at = width - self.held.len();
            for level in &mut self.levels {
                level.widen(width, self.columns.len() - width, at);
            }
        }
        self.groups.row(m, &mut self.row);
        self.push_held();
        Level::cascade(&mut self.levels, m.t_ms, &self.row, &self.folds);
        if let Some(watch) = &mut self.watch {
            watch.add(m.t_ms, &self.row);
        }
    }

    /// The levels, finest first.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// Values held over all levels (a bound on memory use).
    pub fn values_held(&self) -> usize {
        self.levels.iter().map(|l| l.data.len()).sum::<usize>()
            + self.watch.as_ref().map_or(0, |w| w.values_held())
    }

    /// `(end time ms, value)` of column `column` from `since_ms` on, at the finest
    /// resolution that still reaches back that far.
    pub fn series(&self, column: usize, since_ms: u64) -> Vec<(u64, f64)> {
        self.window(column, since_ms).1
    }

    /// Like [`SeriesStore::series`], with the sample step in ms (to turn sums into rates).
    pub fn window(&self, column: usize, since_ms: u64) -> (u64, Vec<(u64, f64)>) {
        let width = self.columns.len();
        let Some(level) = self.levels.get(self.level_for(since_ms)) else {
            return (1_000, Vec::new());
        };
        let points = level
            .times
            .iter()
            .enumerate()
            .filter(|(_, &t)| t > since_ms)
            .map(|(i, &t)| (t, level.data[i * width + column.min(width - 1)]))
            .filter(|(_, v)| !v.is_nan())
            .collect();
        (level.step_ms, points)
    }

    /// The samples of level `level` that end after `since_ms`, oldest first: each one's
    /// end time in ms and its values in column order ([`NO_VALUE`] where a column has
    /// none). None for a level the store does not have.
    pub fn samples(
        &self,
        level: usize,
        since_ms: u64,
    ) -> impl Iterator<Item = (u64, impl Iterator<Item = f64> + '_)> + '_ {
        let width = self.columns.len();
        self.levels.get(level).into_iter().flat_map(move |l| {
            l.times
                .iter()
                .enumerate()
                .filter(move |(_, &t)| t > since_ms)
                .map(move |(i, &t)| (t, l.data.range(i * width..(i + 1) * width).copied()))
        })
    }

    /// Index of the finest level that still reaches back to `since_ms` (the coarsest
    /// when none does).
    pub fn level_for(&self, since_ms: u64) -> usize {
        self.levels
            .iter()
            .position(|l| l.times.front().is_some_and(|&t| t <= since_ms + l.step_ms))
            .unwrap_or(self.levels.len().saturating_sub(1))
    }
}
