//! Metric series: ticks folded into fixed intervals, one column per metric.
//!
//! Columns carry CloudWatch metric names where CloudWatch has one (`IncomingRecords`,
//! `WriteProvisionedThroughputExceeded`, `GetRecords.IteratorAgeMilliseconds`, Lambda's
//! `ConcurrentExecutions`, …) and plain names otherwise (`produced`, `expired`, …).
//! Counts are summed over the interval, gauges (iterator age, concurrency) keep their
//! maximum, levels (pending retries, records behind) keep the last value — the
//! statistics CloudWatch users read these metrics with. For a KCL consumer,
//! `ConcurrentExecutions` holds its running tasks.

use super::consumer::ConsumerTick;
use super::metrics::TickMetrics;

/// How a column folds ticks into one sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// Sum over the interval.
    Sum,
    /// Maximum over the interval.
    Max,
    /// Value at the end of the interval.
    Last,
}

type StreamGet = fn(&TickMetrics) -> f64;
type ConsumerGet = fn(&ConsumerTick) -> f64;

const STREAM: &[(&str, Fold, StreamGet)] = &[
    ("produced", Fold::Sum, |m| m.produced as f64),
    ("IncomingRecords", Fold::Sum, |m| m.incoming_records as f64),
    ("IncomingBytes", Fold::Sum, |m| m.incoming_bytes as f64),
    ("WriteProvisionedThroughputExceeded", Fold::Sum, |m| {
        m.write_throttled as f64
    }),
    ("dropped_by_producer", Fold::Sum, |m| {
        m.dropped_by_producer as f64
    }),
    ("pending_retry", Fold::Last, |m| m.pending_retry as f64),
    ("ReadProvisionedThroughputExceeded", Fold::Sum, |m| {
        m.read_throttled as f64
    }),
    ("GetRecords.Records", Fold::Sum, |m| {
        m.get_records_records as f64
    }),
    ("GetRecords.Bytes", Fold::Sum, |m| {
        m.get_records_bytes as f64
    }),
    ("GetRecords.Latency", Fold::Max, |m| {
        m.get_records_latency_ms as f64
    }),
    ("GetRecords.IteratorAgeMilliseconds", Fold::Max, |m| {
        m.iterator_age_ms as f64
    }),
    ("open_shards", Fold::Last, |m| f64::from(m.open_shards)),
    ("max_shard_utilisation", Fold::Max, |m| {
        m.max_shard_utilisation
    }),
];

const CONSUMER: &[(&str, Fold, ConsumerGet)] = &[
    ("processed", Fold::Sum, |c| c.processed as f64),
    ("bytes_read", Fold::Sum, |c| c.bytes_read as f64),
    ("expired", Fold::Sum, |c| c.expired as f64),
    ("skipped", Fold::Sum, |c| c.skipped as f64),
    ("IteratorAgeMilliseconds", Fold::Max, |c| {
        c.iterator_age_ms as f64
    }),
    ("behind", Fold::Last, |c| c.behind as f64),
    ("ReadProvisionedThroughputExceeded", Fold::Sum, |c| {
        f64::from(c.read_throttled)
    }),
    ("ConcurrentExecutions", Fold::Max, |c| {
        f64::from(c.concurrency)
    }),
    ("Throttles", Fold::Sum, |c| f64::from(c.throttles)),
    ("Errors", Fold::Sum, |c| f64::from(c.errors)),
    ("idle_tasks", Fold::Max, |c| f64::from(c.idle_tasks)),
];

/// Column names for a run with these consumers: `t_s`, the stream metrics, then
/// `"{consumer}.{metric}"` for each consumer.
pub fn columns(consumers: &[String]) -> Vec<String> {
    let mut names = vec!["t_s".to_string()];
    names.extend(STREAM.iter().map(|(n, _, _)| n.to_string()));
    for c in consumers {
        names.extend(CONSUMER.iter().map(|(n, _, _)| format!("{c}.{n}")));
    }
    names
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

/// Writes one tick's metrics as a row in [`columns`] order (`t_s` first).
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

/// Folds `value` into `acc` (the first value of an interval replaces it).
pub fn fold(fold: Fold, acc: &mut f64, value: f64, first: bool) {
    *acc = match fold {
        _ if first => value,
        Fold::Sum => *acc + value,
        Fold::Max => acc.max(value),
        Fold::Last => value,
    };
}

/// Folds ticks into samples of a fixed interval, one row at a time: the caller takes
/// each row as it is finished (the command line writes it out), so memory does not grow
/// with the run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sampler {
    /// Column names (see [`columns`]).
    pub columns: Vec<String>,
    current: Vec<f64>,
    ticks: u32,
    row: Vec<f64>,
    folds: Vec<Fold>,
}

impl Sampler {
    /// A sampler for these consumers.
    pub fn new(consumers: &[String]) -> Self {
        Sampler {
            columns: columns(consumers),
            ..Sampler::default()
        }
    }

    /// Adds one tick.
    pub fn add(&mut self, m: &TickMetrics) {
        let consumers = (self.columns.len() - 1 - STREAM.len()) / CONSUMER.len();
        if self.folds.is_empty() {
            self.folds = folds(consumers);
        }
        row(m, consumers, &mut self.row);
        let first = self.ticks == 0;
        if first {
            self.current.clear();
            self.current.resize(self.columns.len(), 0.0);
        }
        for ((acc, &v), &f) in self.current.iter_mut().zip(&self.row).zip(&self.folds) {
            fold(f, acc, v, first);
        }
        self.ticks += 1;
    }

    /// Closes the current interval and returns its row in column order, or `None` when
    /// it holds no tick.
    pub fn flush(&mut self) -> Option<&[f64]> {
        if self.ticks == 0 {
            return None;
        }
        self.ticks = 0;
        Some(&self.current)
    }
}
