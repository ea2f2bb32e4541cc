//! Alarms fed from the ticks ([`AlarmSet`]: the series' own columns, by name, through
//! [`ConsumerGroups`]) and the alarms a team should have for a config ([`recommended`]).

use super::coverage::Coverage;
use super::{Alarm, AlarmSpec, Comparison, MissingData, Target, UncaughtLoss};
use crate::model::cloudwatch::{counted_by, Kind, Statistic};
use crate::model::config::{ConsumerKind, FanOut};
use crate::model::series::{columns, folds, ConsumerGroups, Fold};
use crate::model::{Config, TickMetrics};

/// Alarms evaluated together on a run's ticks, with the losses they did or did not catch.
#[derive(Debug, Clone)]
pub struct AlarmSet {
    alarms: Vec<Alarm>,
    groups: ConsumerGroups,
    /// Per alarm: its column and the column counting its samples, in [`columns`] order.
    index: Vec<(Option<usize>, Option<usize>)>,
    coverage: Coverage,
}

impl AlarmSet {
    /// Alarms for a run whose consumers are (at first) `consumers`.
    pub fn new(specs: Vec<AlarmSpec>, consumers: &[String]) -> Self {
        let mut set = AlarmSet {
            alarms: specs.into_iter().map(Alarm::new).collect(),
            groups: ConsumerGroups::new(consumers),
            index: Vec::new(),
            coverage: Coverage::default(),
        };
        set.resolve();
        set
    }

    /// Finds each alarm's columns for the consumers known now.
    fn resolve(&mut self) {
        let names = columns(self.groups.names());
        let column_folds = folds(self.groups.names().len());
        let find = |name: &str| names.iter().position(|c| c == name);
        self.index = self
            .alarms
            .iter()
            .map(|a| {
                let metric = &a.spec().metric;
                let counted = bare(a)
                    .and_then(|m| counted_by(metric, m))
                    .and_then(|c| find(&c));
                (find(metric), counted)
            })
            .collect();
        for (alarm, &(at, _)) in self.alarms.iter_mut().zip(&self.index) {
            let gauge = at.and_then(|i| column_folds.get(i)) != Some(&Fold::Sum);
            alarm.kind = Kind::of(bare(alarm).unwrap_or_default(), gauge);
        }
    }

    /// Adds an alarm created at `t_ms` ([`Alarm::created_at`]).
    pub fn push(&mut self, spec: AlarmSpec, t_ms: u64) {
        self.alarms.push(Alarm::created_at(spec, t_ms));
        self.resolve();
    }

    /// Removes alarm `i` (the losses it caught stay caught).
    pub fn remove(&mut self, i: usize) {
        if i < self.alarms.len() {
            self.alarms.remove(i);
            self.coverage.forget(i);
            self.resolve();
        }
    }

    /// The alarms, in the order given.
    pub fn alarms(&self) -> &[Alarm] {
        &self.alarms
    }

    /// Adds one tick, whose consumers (in `m.consumers` order) are called `names`.
    pub fn add<'a>(&mut self, m: &TickMetrics, names: impl IntoIterator<Item = &'a str>) {
        let names: Vec<&str> = names.into_iter().collect();
        if self.groups.follow(names.iter().copied()) > 0 {
            self.resolve();
        }
        for (alarm, &(at, counted)) in self.alarms.iter_mut().zip(&self.index) {
            let value = at.map_or(f64::NAN, |i| self.groups.cell(m, i));
            let samples = counted.map(|i| self.groups.cell(m, i));
            alarm.push_tick(m.t_ms, value, samples);
        }
        self.coverage.add(m, &names, &self.alarms);
    }

    /// The losses so far that no alarm watching them caught (see [`super::coverage`]).
    pub fn uncaught(&self) -> Vec<UncaughtLoss> {
        self.coverage.uncaught(&self.alarms)
    }
}

/// A quarter of the retention, ms: where an iterator-age alarm belongs.
fn quarter_retention_ms(config: &Config) -> f64 {
    f64::from(config.stream.retention_hours) * 3_600_000.0 / 4.0
}

fn spec(metric: String, statistic: Statistic, cmp: Comparison, threshold: f64) -> AlarmSpec {
    AlarmSpec {
        metric,
        statistic,
        period_s: 60,
        threshold,
        comparison: cmp,
        datapoints_to_alarm: 1,
        evaluation_periods: 1,
        missing: MissingData::NotBreaching,
    }
}

/// The alarms a team should have for `config` (facts file §B and the 2026 additions):
///
/// - `GetRecords.IteratorAgeMilliseconds` Maximum ≥ 25 % of the retention, 3 of 3
///   one-minute periods, missing data `missing` (CloudWatch's default, what most teams
///   leave): the stream's iterator age is read by its Maximum, and the alarm belongs
///   "well before 50 % of retention", while there is time to act. Only when some
///   consumer reads with GetRecords (enhanced fan-out has no such datapoint). It sees no
///   shard nobody reads: that is the lesson the loss coverage tells.
/// - `WriteProvisionedThroughputExceeded` Sum > 0, 1 of 1, `notBreaching`: any
///   throttled write is worth knowing, and no write means no throttle, so a missing
///   datapoint is good news.
/// - Per Lambda function: `IteratorAge` Maximum ≥ 30,000 ms, 3 of 3, `missing` (Lambda's
///   best-practice threshold; no datapoint while no batch is sent); `Errors` Sum > 0 and
///   `DroppedEventCount` Sum > 0, 1 of 1, `notBreaching` (both count only when something
///   went wrong).
/// - Per KCL application: `MillisBehindLatest` Maximum ≥ 25 % of the retention, 3 of 3,
///   `missing`, as for the stream's iterator age.
pub fn recommended(config: &Config) -> Vec<AlarmSpec> {
    use Comparison::{GreaterThanOrEqualToThreshold as AtLeast, GreaterThanThreshold as Above};
    let quarter = quarter_retention_ms(config);
    let three = |mut s: AlarmSpec| {
        s.datapoints_to_alarm = 3;
        s.evaluation_periods = 3;
        s.missing = MissingData::Missing;
        s
    };
    let mut specs = Vec::new();
    if config
        .consumers
        .iter()
        .any(|c| c.fan_out() == FanOut::Shared)
    {
        let age = "GetRecords.IteratorAgeMilliseconds".to_string();
        specs.push(three(spec(age, Statistic::Maximum, AtLeast, quarter)));
    }
    let throttled = "WriteProvisionedThroughputExceeded".to_string();
    specs.push(spec(throttled, Statistic::Sum, Above, 0.0));
    for c in &config.consumers {
        let name = c.name();
        match c.consumer_kind() {
            ConsumerKind::Lambda => {
                let age = format!("{name}.IteratorAge");
                specs.push(three(spec(age, Statistic::Maximum, AtLeast, 30_000.0)));
                for metric in ["Errors", "DroppedEventCount"] {
                    specs.push(spec(format!("{name}.{metric}"), Statistic::Sum, Above, 0.0));
                }
            }
            ConsumerKind::Kcl => {
                let behind = format!("{name}.MillisBehindLatest");
                specs.push(three(spec(behind, Statistic::Maximum, AtLeast, quarter)));
            }
        }
    }
    specs
}

/// The metric alarm `alarm` watches, without its consumer's name.
fn bare(alarm: &Alarm) -> Option<&str> {
    alarm.spec().target().ok().map(|t| match t {
        Target::Stream(m) | Target::Consumer(_, m) => m,
    })
}
