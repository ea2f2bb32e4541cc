//! Metric series: ticks folded into fixed intervals, one column per metric.
//!
//! A column carries a CloudWatch metric's name only when it means what that metric
//! means (`IncomingRecords` counts accepted records only, `GetRecords.Records` what
//! GetRecords calls returned — never enhanced fan-out, which is
//! `SubscribeToShardEvent.Records` —, Lambda's `IteratorAge` the age of a batch when it
//! was sent, KCL's `RunningTaskCount` its tasks); the model's own measures have plain
//! names (`produced`, `expired`, `oldest_unprocessed_age_ms`, `delivery_delay_ms`, …).
//! A tick in which CloudWatch would get no datapoint (no GetRecords call answered, no
//! batch sent, a metric of the other kind of consumer) holds [`NO_VALUE`].
//! Counts are summed over the interval, gauges (ages, concurrency) keep their maximum,
//! levels (pending retries, records behind) keep the last value — the statistics
//! CloudWatch users read these metrics with. A consumer's columns carry its name and
//! follow it by name when scripted events or edits replace the consumer list.

mod again;
mod table;

pub use again::Again;

use super::cloudwatch::{counted_by, is_cloudwatch, Kind, Samples, Statistic};
use super::consumer::ConsumerTick;
use super::metrics::TickMetrics;
use table::{CONSUMER, STREAM};

/// How a column folds ticks into one sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// Sum over the interval.
    Sum,
    /// Maximum over the interval.
    Max,
    /// Value at the end of the interval.
    Last,
    /// Minimum over the interval.
    Min,
}

/// Column names for a run with these consumers: `t_s`, the stream metrics, then
/// `"{consumer}.{metric}"` for each consumer.
pub fn columns(consumers: &[String]) -> Vec<String> {
    let mut names = vec!["t_s".to_string()];
    names.extend(STREAM.iter().map(|(n, _, _)| n.to_string()));
    for c in consumers {
        names.extend(consumer_group(c));
    }
    names
}

/// The columns of consumer `name`: `"{name}.{metric}"` for each consumer metric.
fn consumer_group(name: &str) -> impl Iterator<Item = String> + '_ {
    CONSUMER.iter().map(move |(n, _, _)| format!("{name}.{n}"))
}

/// The metric each column of [`columns`] holds (a consumer's without its name), in the
/// same order.
pub fn metrics(consumers: usize) -> Vec<&'static str> {
    let mut m = vec!["t_s"];
    m.extend(STREAM.iter().map(|(n, _, _)| *n));
    for _ in 0..consumers {
        m.extend(CONSUMER.iter().map(|(n, _, _)| *n));
    }
    m
}

/// How each column of [`columns`] folds, in the same order.
pub fn folds(consumers: usize) -> Vec<Fold> {
    let mut f = vec![Fold::Last];
    f.extend(STREAM.iter().map(|(_, fold, _)| *fold));
    for _ in 0..consumers {
        f.extend(CONSUMER.iter().map(|(_, fold, _)| *fold));
    }
    f
}

/// Writes one tick's metrics as a row in [`columns`] order (`t_s` first), consumers by
/// position: the tick's first consumer fills the first consumer's columns, and so on.
pub fn row(m: &TickMetrics, consumers: usize, out: &mut Vec<f64>) {
    out.clear();
    out.push(m.t_ms as f64 / 1_000.0);
    out.extend(STREAM.iter().map(|(_, _, get)| get(m)));
    for i in 0..consumers {
        match m.consumers.get(i) {
            Some(c) => out.extend(CONSUMER.iter().map(|(_, _, get)| get(c))),
            None => out.extend(CONSUMER.iter().map(|_| 0.0)),
        }
    }
}

/// Consumer column groups that follow consumers by name for a whole run: a consumer
/// keeps its columns while it runs, a removed one's columns get no more values, and a
/// name never seen before gets new columns at the end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConsumerGroups {
    /// Every name that has columns, in column order.
    names: Vec<String>,
    /// The consumers of the last tick, in the tick's order.
    current: Vec<String>,
    /// Their groups (indexes into `names`).
    group: Vec<usize>,
}

impl ConsumerGroups {
    /// Groups for these names, in this order.
    pub fn new(names: &[String]) -> Self {
        let mut groups = ConsumerGroups::default();
        for name in names {
            if !groups.names.contains(name) {
                groups.names.push(name.clone());
            }
        }
        groups
    }

    /// Every name that has columns, in column order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// How many consumers the last tick had.
    pub fn following(&self) -> usize {
        self.current.len()
    }

    /// Takes the names of a tick's consumers, in its order, and returns how many of them
    /// are new (their groups are added at the end).
    pub fn follow<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> usize {
        let before = self.names.len();
        let mut k = 0;
        let mut same = true;
        for name in names {
            if same && self.current.get(k).is_some_and(|c| c == name) {
                k += 1;
                continue;
            }
            if same {
                same = false;
                self.current.truncate(k);
                self.group.truncate(k);
            }
            let g = match self.names.iter().position(|n| n == name) {
                Some(g) => g,
                None => {
                    self.names.push(name.to_string());
                    self.names.len() - 1
                }
            };
            self.current.push(name.to_string());
            self.group.push(g);
            k += 1;
        }
        self.current.truncate(k);
        self.group.truncate(k);
        self.names.len() - before
    }

    /// Writes one tick's metrics as a row in [`columns`] order for [`Self::names`]:
    /// the consumers of the tick (as last given to [`Self::follow`]) fill their own
    /// columns; the columns of consumers not running are [`NO_VALUE`].
    pub fn row(&self, m: &TickMetrics, out: &mut Vec<f64>) {
        out.clear();
        out.push(m.t_ms as f64 / 1_000.0);
        out.extend(STREAM.iter().map(|(_, _, get)| get(m)));
        let first = out.len();
        out.resize(first + self.names.len() * CONSUMER.len(), NO_VALUE);
        for (c, &g) in m.consumers.iter().zip(&self.group) {
            let at = first + g * CONSUMER.len();
            for (cell, (_, _, get)) in out[at..].iter_mut().zip(CONSUMER) {
                *cell = get(c);
            }
        }
    }

    /// Column `i` of the row [`Self::row`] writes, alone (what reads a few columns
    /// of every tick need not make the others).
    pub fn cell(&self, m: &TickMetrics, i: usize) -> f64 {
        let Some(i) = i.checked_sub(1) else {
            return m.t_ms as f64 / 1_000.0;
        };
        if let Some((_, _, get)) = STREAM.get(i) {
            return get(m);
        }
        let i = i - STREAM.len();
        let (g, column) = (i / CONSUMER.len(), i % CONSUMER.len());
        // The last consumer of the group, as the row is written.
        let consumer = self.group.iter().rposition(|&h| h == g);
        match (
            consumer.and_then(|c| m.consumers.get(c)),
            CONSUMER.get(column),
        ) {
            (Some(c), Some((_, _, get))) if g < self.names.len() => get(c),
            _ => NO_VALUE,
        }
    }
}

/// The value of a consumer's column while that consumer does not run (before it was
/// added or after it was removed): written as an empty CSV cell or a JSON `null`.
pub const NO_VALUE: f64 = f64::NAN;

/// Column names of one consumer's own history: `t_s`, then its metrics.
pub fn consumer_columns() -> Vec<String> {
    let mut names = vec!["t_s".to_string()];
    names.extend(CONSUMER.iter().map(|(n, _, _)| n.to_string()));
    names
}

/// How each column of [`consumer_columns`] folds.
pub fn consumer_folds() -> Vec<Fold> {
    let mut f = vec![Fold::Last];
    f.extend(CONSUMER.iter().map(|(_, fold, _)| *fold));
    f
}

/// Writes one consumer's tick as a row in [`consumer_columns`] order.
pub fn consumer_row(t_ms: u64, c: &ConsumerTick, out: &mut Vec<f64>) {
    out.clear();
    out.push(t_ms as f64 / 1_000.0);
    out.extend(CONSUMER.iter().map(|(_, _, get)| get(c)));
}

/// Folds `value` into `acc` (the first value of an interval replaces it). [`NO_VALUE`]
/// is no value: it changes nothing, and a value replaces it.
pub fn fold(fold: Fold, acc: &mut f64, value: f64, first: bool) {
    if value.is_nan() {
        if first {
            *acc = value;
        }
        return;
    }
    *acc = match fold {
        _ if first || acc.is_nan() => value,
        Fold::Sum => *acc + value,
        Fold::Max => acc.max(value),
        Fold::Min => acc.min(value),
        Fold::Last => value,
    };
}

/// Folds ticks into samples of a fixed interval, one row at a time: the caller takes
/// each row as it is finished (the command line writes it out), so memory does not grow
/// with the run. Consumer columns follow consumers by name ([`ConsumerGroups`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sampler {
    /// Column names (see [`columns`]); a consumer first seen during the run adds its
    /// columns at the end.
    pub columns: Vec<String>,
    groups: ConsumerGroups,
    current: Vec<f64>,
    ticks: u32,
    row: Vec<f64>,
    folds: Vec<Fold>,
    /// The CloudWatch statistic CloudWatch metrics are given by, if any.
    statistic: Option<Statistic>,
    /// Per column: for a CloudWatch metric, its samples in the current interval, the
    /// column counting them (when they are not seconds) and how a sample holds it.
    samples: Vec<Option<(Samples, Option<usize>, Kind)>>,
    /// End of the last tick added, ms: a tick's length is the time since.
    last_ms: u64,
}

impl Sampler {
    /// A sampler with columns for these consumers (every consumer the run will meet,
    /// when the columns must be known before the first row).
    pub fn new(consumers: &[String]) -> Self {
        let groups = ConsumerGroups::new(consumers);
        Sampler {
            columns: columns(groups.names()),
            folds: folds(groups.names().len()),
            groups,
            ..Sampler::default()
        }
    }

    /// Like [`Sampler::new`], giving each CloudWatch metric (a capitalised name) by
    /// `statistic` over each interval, as CloudWatch would with that period; the model's
    /// own columns fold as usual.
    pub fn with_statistic(consumers: &[String], statistic: Statistic) -> Self {
        let mut sampler = Sampler::new(consumers);
        sampler.statistic = Some(statistic);
        sampler.watch();
        sampler
    }

    /// Which columns take the statistic, and the column counting each one's samples.
    fn watch(&mut self) {
        if self.statistic.is_none() {
            return;
        }
        let all = metrics(self.groups.names().len());
        let index = |name: &str| self.columns.iter().position(|c| c == name);
        let folds = folds(self.groups.names().len());
        self.samples = all
            .iter()
            .zip(&self.columns)
            .zip(&folds)
            .map(|((m, column), fold)| {
                is_cloudwatch(m).then(|| {
                    let counted = counted_by(column, m).and_then(|c| index(&c));
                    (Samples::default(), counted, Kind::of(m, *fold != Fold::Sum))
                })
            })
            .collect();
    }

    /// Adds one tick, whose consumers (in `m.consumers` order) are called `names`.
    pub fn add<'a>(&mut self, m: &TickMetrics, names: impl IntoIterator<Item = &'a str>) {
        let added = self.groups.follow(names);
        if added > 0 {
            let names = self.groups.names();
            for name in &names[names.len() - added..] {
                self.columns.extend(consumer_group(name));
            }
            self.folds = folds(names.len());
            let open: Vec<Samples> = self.samples.iter().flatten().map(|s| s.0).collect();
            self.watch();
            // Samples gathered so far in this interval stay with their columns.
            for (slot, kept) in self.samples.iter_mut().flatten().zip(open) {
                slot.0 = kept;
            }
        }
        self.groups.row(m, &mut self.row);
        let first = self.ticks == 0;
        if first {
            self.current.clear();
        }
        self.current.resize(self.columns.len(), NO_VALUE);
        for ((acc, &v), &f) in self.current.iter_mut().zip(&self.row).zip(&self.folds) {
            fold(f, acc, v, first);
        }
        let seconds = m.t_ms.saturating_sub(self.last_ms) as f64 / 1_000.0;
        self.last_ms = m.t_ms;
        for (c, slot) in self.samples.iter_mut().enumerate() {
            if let Some((samples, counted, kind)) = slot {
                if let Some(tick) = tick_samples(&self.row, c, *counted, *kind, seconds) {
                    samples.merge(&tick);
                }
            }
        }
        self.ticks += 1;
    }

    /// Closes the current interval and returns its row in column order ([`NO_VALUE`]
    /// for consumers that did not run in it), or `None` when it holds no tick.
    pub fn flush(&mut self) -> Option<&[f64]> {
        if self.ticks == 0 {
            return None;
        }
        self.ticks = 0;
        if let Some(stat) = self.statistic {
            for (value, slot) in self.current.iter_mut().zip(&mut self.samples) {
                if let Some((samples, _, _)) = slot {
                    *value = samples.get(stat);
                    *samples = Samples::default();
                }
            }
        }
        Some(&self.current)
    }
}

/// The samples one tick's `row` gives watched column `c` (its count of samples in
/// column `counted`, if any), over `seconds`; `None` where the row has no such column.
fn tick_samples(
    row: &[f64],
    c: usize,
    counted: Option<usize>,
    kind: Kind,
    seconds: f64,
) -> Option<Samples> {
    let v = *row.get(c)?;
    let n = counted.and_then(|k| row.get(k).copied());
    Some(Samples::tick(v, n, seconds, kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::{Config, ConsumerConfig, KclConfig};
    use crate::model::Simulation;

    /// A column read alone is the row's, whether its consumer runs, runs under a
    /// name given twice, or is gone.
    #[test]
    fn a_cell_is_the_rows_column() {
        let mut config = Config::default();
        config
            .consumers
            .push(ConsumerConfig::Kcl(KclConfig::default()));
        let Ok(mut sim) = Simulation::new(config) else {
            panic!("the settings are valid");
        };
        let names = ["gone", "lambda", "lambda", "ecs", "later"].map(String::from);
        let mut groups = ConsumerGroups::new(&names);
        groups.follow(["lambda", "ecs"]);
        let mut row = Vec::new();
        for _ in 0..5 {
            sim.step();
            groups.row(sim.metrics(), &mut row);
            assert_eq!(row.len(), columns(groups.names()).len());
            for (i, &v) in row.iter().enumerate() {
                let cell = groups.cell(sim.metrics(), i);
                assert!(cell.to_bits() == v.to_bits(), "column {i}: {cell} vs {v}");
            }
        }
        // Both consumers' columns hold numbers; the "gone" and "later" ones do not.
        let blocks: Vec<usize> = row[1 + STREAM.len()..]
            .chunks(CONSUMER.len())
            .map(|b| b.iter().filter(|v| !v.is_nan()).count())
            .collect();
        assert!(blocks[0] == 0 && blocks[1] > 0 && blocks[2] > 0 && blocks[3] == 0);
        assert!(groups.cell(sim.metrics(), row.len()).is_nan());
    }
}
