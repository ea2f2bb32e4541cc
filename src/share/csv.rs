//! A run's metric series as CSV: the one format of the command line's `--format csv`
//! and of the page's download.
//!
//! - The header comes first: `time_s` (when the sample ended, in simulated seconds
//!   since the start), `sample_s` (how long the sample was), then the series' columns
//!   in order: the stream's metrics, then each consumer's as `name.metric`. A series'
//!   own time column (`t_s`, or a consumer's `name.t_s`) is left out: `time_s` says it.
//! - Then one row per sample, oldest first, one line each (`\n`), cells separated by
//!   `,` and never quoted. A number is written in plain decimal notation with the
//!   fewest digits that read back as the same `f64` (`2000`, `0.25`). A cell is empty
//!   where the column has no value ([`NO_VALUE`]): a consumer that did not run in the
//!   sample.
//! - Counts are sums over the sample (divide by `sample_s` for a rate), ages and
//!   concurrency the maximum, levels (pending retries, records behind) the value at the
//!   sample's end; see [`crate::model::series`].

use crate::model::series::NO_VALUE;
use crate::model::store::SeriesStore;

/// When a row's sample ended and how long it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// End of the sample, simulated ms since the start.
    pub end_ms: u64,
    /// Length of the sample, ms.
    pub length_ms: u64,
}

/// The CSV form of a series whose rows hold the values of `columns`, in that order:
/// the header, then each row as it comes (the command line writes each one as soon as
/// its interval ends).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    header: String,
    /// Indexes of the columns written (every one but the time columns).
    kept: Vec<usize>,
}

impl Table {
    /// The table for rows of `columns`.
    pub fn new(columns: &[impl AsRef<str>]) -> Self {
        let mut header = String::from("time_s,sample_s");
        let mut kept = Vec::with_capacity(columns.len());
        for (i, name) in columns.iter().map(AsRef::as_ref).enumerate() {
            if name == "t_s" || name.ends_with(".t_s") {
                continue;
            }
            header.push(',');
            header.push_str(name);
            kept.push(i);
        }
        header.push('\n');
        Table { header, kept }
    }

    /// The header line, `\n` included.
    pub fn header(&self) -> &str {
        &self.header
    }

    /// Appends the line of one sample whose values, in column order, are `values` (a
    /// row shorter than the columns has no value in the ones it lacks).
    pub fn row(&self, out: &mut String, sample: Sample, values: &[f64]) {
        out.push_str(&(sample.end_ms / 1_000).to_string());
        out.push(',');
        out.push_str(&(sample.length_ms / 1_000).to_string());
        for &i in &self.kept {
            out.push(',');
            let value = values.get(i).copied().unwrap_or(NO_VALUE);
            if !value.is_nan() {
                out.push_str(&value.to_string());
            }
        }
        out.push('\n');
    }
}

/// The page's history from `since_ms` on as CSV: the stream's store and each consumer's
/// own store (with its name), at the finest resolution of the stream's store that
/// reaches back that far. A consumer's cells are empty in the samples its store lacks
/// (before it was added); a store fed with [`SeriesStore::add_named`] has empty cells
/// where that consumer did not run.
pub fn series(stream: &SeriesStore, consumers: &[(&str, &SeriesStore)], since_ms: u64) -> String {
    let level = stream.level_for(since_ms);
    let length_ms = stream.levels().get(level).map_or(0, |l| l.step_ms);
    let mut columns = stream.columns.clone();
    for (name, store) in consumers {
        columns.extend(store.columns.iter().map(|c| format!("{name}.{c}")));
    }
    let table = Table::new(&columns);
    let mut out = table.header().to_string();
    // Consumers share the stream's sample times from when they were added; walk each in step.
    let mut walks: Vec<_> = consumers
        .iter()
        .map(|(_, store)| store.samples(level, since_ms).peekable())
        .collect();
    let mut row = Vec::with_capacity(columns.len());
    for (end_ms, values) in stream.samples(level, since_ms) {
        row.clear();
        row.extend(values);
        for ((_, store), walk) in consumers.iter().zip(&mut walks) {
            while walk.next_if(|(t, _)| *t < end_ms).is_some() {}
            match walk.next_if(|(t, _)| *t == end_ms) {
                Some((_, values)) => row.extend(values),
                None => row.extend(std::iter::repeat_n(NO_VALUE, store.columns.len())),
            }
        }
        table.row(&mut out, Sample { end_ms, length_ms }, &row);
    }
    out
}
