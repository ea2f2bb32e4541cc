//! Statistics as CloudWatch computes them over a period.
//!
//! A datapoint of a period gathers samples ([`Kind`] says how one is taken):
//! - one per call or invocation carrying a count: for `IncomingRecords`, `IncomingBytes`,
//!   `WriteProvisionedThroughputExceeded` and `PutRecords.*` one PutRecords call, for
//!   `GetRecords.Records` and `GetRecords.Bytes` one answered GetRecords call (the model
//!   spreads a tick's records evenly over that tick's calls);
//! - one per call or invocation carrying 1 or 0 (an outcome): `GetRecords.Success` and
//!   `ReadProvisionedThroughputExceeded` per GetRecords call, Lambda's `Invocations`,
//!   `Errors` per invocation (as it ends) and `Throttles` per invocation request;
//! - one per call or invocation holding a gauge: `GetRecords.Latency` per call,
//!   `GetRecords.IteratorAgeMilliseconds` per answered call, Lambda's `IteratorAge` per
//!   invocation (each holding the tick's largest value);
//! - for the other metrics, one second with a value.
//!
//! `Sum` adds the samples, `SampleCount` counts them, `Average` is their mean
//! (Sum ÷ SampleCount: per call, not per second), `Maximum` and `Minimum` the largest and
//! smallest. A period without a sample has no datapoint.

use std::fmt;
use std::str::FromStr;

/// A CloudWatch statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    /// The samples added up.
    Sum,
    /// Sum ÷ SampleCount.
    Average,
    /// The largest sample.
    Maximum,
    /// The smallest sample.
    Minimum,
    /// How many samples.
    SampleCount,
}

impl Statistic {
    /// Every statistic, in CloudWatch's order.
    pub const ALL: [Statistic; 5] = [
        Statistic::Sum,
        Statistic::Average,
        Statistic::Maximum,
        Statistic::Minimum,
        Statistic::SampleCount,
    ];

    /// CloudWatch's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Statistic::Sum => "Sum",
            Statistic::Average => "Average",
            Statistic::Maximum => "Maximum",
            Statistic::Minimum => "Minimum",
            Statistic::SampleCount => "SampleCount",
        }
    }
}

impl fmt::Display for Statistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Statistic {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Statistic::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| {
                format!(
                    "{text:?} is not a statistic: Sum, Average, Maximum, Minimum or SampleCount"
                )
            })
    }
}

/// Whether `metric` (a stream or consumer metric's name, without the consumer's) is a
/// CloudWatch metric: CloudWatch's names are capitalised, the model's own are not.
pub fn is_cloudwatch(metric: &str) -> bool {
    metric.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The unit CloudWatch gives CloudWatch metric `metric` (a stream, shard or consumer
/// metric's name, without the consumer's): `Bytes` for byte counts, `Milliseconds` for
/// ages and latencies, `Count` for the other CloudWatch metrics (records, calls,
/// errors, executions, tasks), and `None` — CloudWatch's word for no unit — for the
/// model's own columns.
pub fn unit(metric: &str) -> &'static str {
    let ms = ["IteratorAge", "Latency", "MillisBehindLatest"];
    if !is_cloudwatch(metric) {
        "None"
    } else if metric.ends_with("Bytes") {
        "Bytes"
    } else if ms.iter().any(|m| metric.contains(m)) {
        "Milliseconds"
    } else {
        "Count"
    }
}

/// The metrics Lambda publishes for a function and its event source mapping (namespace
/// `AWS/Lambda`, dimension `FunctionName`), as the series name them.
pub const LAMBDA_METRICS: [&str; 10] = [
    "IteratorAge",
    "ConcurrentExecutions",
    "Invocations",
    "Throttles",
    "Errors",
    "PolledEventCount",
    "InvokedEventCount",
    "FailedInvokeEventCount",
    "DroppedEventCount",
    "OnFailureDestinationDeliveredEventCount",
];

/// The metrics only a KCL application has (its own namespace, then ECS's task count),
/// as the series name them.
pub const KCL_METRICS: [&str; 3] = ["MillisBehindLatest", "RecordsProcessed", "RunningTaskCount"];

/// The column counting the samples of metric `name`, when they are not seconds: a
/// stream column, or a column of the same consumer for a consumer's metric.
pub fn samples_column(name: &str) -> Option<&'static str> {
    let writes = [
        "IncomingRecords",
        "IncomingBytes",
        "WriteProvisionedThroughputExceeded",
    ];
    let calls = [
        "GetRecords.Success",
        "ReadProvisionedThroughputExceeded",
        "GetRecords.Latency",
    ];
    if writes.contains(&name) || name.starts_with("PutRecords.") {
        Some("put_calls")
    } else if [
        "GetRecords.Records",
        "GetRecords.Bytes",
        "GetRecords.IteratorAgeMilliseconds",
    ]
    .contains(&name)
    {
        // What each answered GetRecords call returned, and how old its last record was.
        Some("GetRecords.Success")
    } else if calls.contains(&name) {
        // Every GetRecords call, answered or refused.
        Some("get_records_calls")
    } else if ["Invocations", "IteratorAge"].contains(&name) {
        // Lambda publishes a batch's age with each invocation.
        Some("Invocations")
    } else if name == "Errors" {
        // Counted as invocations end.
        Some("invocations_ended")
    } else if name == "Throttles" {
        Some("invoke_requests")
    } else {
        None
    }
}

/// The column counting the samples of column `column`, which holds metric `metric`
/// (a stream column, or a consumer's `"{consumer}.{metric}"`): [`samples_column`] with
/// the same consumer's prefix.
pub fn counted_by(column: &str, metric: &str) -> Option<String> {
    let prefix = column.strip_suffix(metric)?;
    samples_column(metric).map(|s| format!("{prefix}{s}"))
}

/// How one sample of a metric holds its tick's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A count, spread evenly over the tick's samples.
    Count,
    /// A level (an age, a latency, a concurrency), the same in each sample.
    Gauge,
    /// 1 or 0 per call or invocation: the tick's value is how many were 1.
    Outcome,
}

impl Kind {
    /// The kind of metric `metric`, a `gauge` (kept by its maximum) or a count.
    pub fn of(metric: &str, gauge: bool) -> Kind {
        let outcomes = [
            "GetRecords.Success",
            "ReadProvisionedThroughputExceeded",
            "Invocations",
            "Errors",
            "Throttles",
        ];
        if gauge {
            Kind::Gauge
        } else if outcomes.contains(&metric) {
            Kind::Outcome
        } else {
            Kind::Count
        }
    }
}

/// A period's samples of one metric, gathered second by second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Samples {
    sum: f64,
    count: f64,
    max: f64,
    min: f64,
}

impl Default for Samples {
    fn default() -> Self {
        Samples {
            sum: 0.0,
            count: 0.0,
            max: f64::NEG_INFINITY,
            min: f64::INFINITY,
        }
    }
}

impl Samples {
    /// One tick's samples: `value` over a tick of `seconds` seconds, carried by `samples`
    /// samples; `None` means one sample per second. A count is spread evenly over the
    /// samples, a gauge holds its value in each, and an outcome is `value` samples of 1
    /// among `samples` (without a count of samples it is taken as a count). A tick
    /// without a value (NaN) or without samples (none, or a count of them that is not
    /// known: the calls that carry them were not made) has none.
    pub fn tick(value: f64, samples: Option<f64>, seconds: f64, kind: Kind) -> Samples {
        let n = samples.unwrap_or(seconds);
        if value.is_nan() || n.is_nan() || n <= 0.0 {
            return Samples::default();
        }
        let (sum, max, min) = match (kind, samples) {
            (Kind::Gauge, _) => (value * n, value, value),
            (Kind::Outcome, Some(_)) => (
                value,
                if value > 0.0 { 1.0 } else { 0.0 },
                if value < n { 0.0 } else { 1.0 },
            ),
            _ => (value, value / n, value / n),
        };
        Samples {
            sum,
            count: n,
            max,
            min,
        }
    }

    /// Adds `other`'s samples to these.
    pub fn merge(&mut self, other: &Samples) {
        self.sum += other.sum;
        self.count += other.count;
        self.max = self.max.max(other.max);
        self.min = self.min.min(other.min);
    }

    /// Whether the sum and the count are whole numbers (then adding such samples is
    /// exact while the totals stay below 2^53).
    pub fn whole(&self) -> bool {
        [self.sum, self.count]
            .iter()
            .all(|x| *x >= 0.0 && x.fract() == 0.0)
    }

    /// These samples and `times` times `period`'s (all whole, see [`Samples::whole`]),
    /// as merging `period` that often gives: `None` where the sum or the count might
    /// pass 2^53, where `f64` stops counting exactly.
    pub fn repeated(&self, period: &Samples, times: u64) -> Option<Samples> {
        const EXACT: u128 = 1 << 53;
        let grown = |now: f64, each: f64| {
            let total = now as u128 + each as u128 * u128::from(times);
            (total < EXACT).then_some(total as f64)
        };
        if !(self.whole() && period.whole()) {
            return None;
        }
        Some(Samples {
            sum: grown(self.sum, period.sum)?,
            count: grown(self.count, period.count)?,
            max: self.max.max(period.max),
            min: self.min.min(period.min),
        })
    }

    /// The samples as `[sum, count, maximum, minimum]` (NaN for the last three when
    /// there is none), and back: how a history keeps them.
    pub fn parts(&self) -> [f64; 4] {
        if self.count == 0.0 {
            return [f64::NAN; 4];
        }
        [self.sum, self.count, self.max, self.min]
    }

    /// Samples from [`Samples::parts`]; NaN parts hold none.
    pub fn from_parts(parts: &[f64]) -> Samples {
        match parts {
            [sum, count, max, min] if *count > 0.0 => Samples {
                sum: *sum,
                count: *count,
                max: *max,
                min: *min,
            },
            _ => Samples::default(),
        }
    }

    /// The period's datapoint for `stat`; NaN (no datapoint) without samples.
    pub fn get(&self, stat: Statistic) -> f64 {
        if self.count == 0.0 {
            return f64::NAN;
        }
        match stat {
            Statistic::Sum => self.sum,
            Statistic::Average => self.sum / self.count,
            Statistic::Maximum => self.max,
            Statistic::Minimum => self.min,
            Statistic::SampleCount => self.count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_read_back_by_name() {
        assert_eq!("sum".parse(), Ok(Statistic::Sum));
        assert_eq!("SampleCount".parse(), Ok(Statistic::SampleCount));
        assert_eq!(
            "p99".parse::<Statistic>(),
            Err("\"p99\" is not a statistic: Sum, Average, Maximum, Minimum or SampleCount".into())
        );
        assert_eq!(Statistic::Maximum.to_string(), "Maximum");
    }

    #[test]
    fn each_metric_has_cloudwatchs_unit() {
        for (metric, expected) in [
            ("IncomingBytes", "Bytes"),
            ("OutgoingBytes", "Bytes"),
            ("SubscribeToShardEvent.Bytes", "Bytes"),
            ("IncomingRecords", "Count"),
            ("WriteProvisionedThroughputExceeded", "Count"),
            ("GetRecords.Success", "Count"),
            ("ConcurrentExecutions", "Count"),
            ("DroppedEventCount", "Count"),
            ("GetRecords.IteratorAgeMilliseconds", "Milliseconds"),
            ("IteratorAgeMilliseconds", "Milliseconds"),
            ("IteratorAge", "Milliseconds"),
            ("GetRecords.Latency", "Milliseconds"),
            ("MillisBehindLatest", "Milliseconds"),
            ("SubscribeToShardEvent.MillisBehindLatest", "Milliseconds"),
            ("bytes_read", "None"),
        ] {
            assert_eq!(unit(metric), expected, "{metric}");
        }
    }

    #[test]
    fn only_capitalised_names_are_cloudwatch_metrics() {
        assert!(is_cloudwatch("IncomingRecords"));
        assert!(is_cloudwatch("GetRecords.IteratorAgeMilliseconds"));
        assert!(is_cloudwatch("ConcurrentExecutions"));
        assert!(!is_cloudwatch("produced"));
        assert!(!is_cloudwatch("t_s"));
        assert_eq!(samples_column("IncomingBytes"), Some("put_calls"));
        assert_eq!(
            samples_column("GetRecords.Bytes"),
            Some("GetRecords.Success")
        );
        assert_eq!(
            samples_column("GetRecords.Latency"),
            Some("get_records_calls")
        );
        assert_eq!(samples_column("IteratorAge"), Some("Invocations"));
        assert_eq!(samples_column("MillisBehindLatest"), None);
        assert_eq!(
            counted_by("fn.Errors", "Errors").as_deref(),
            Some("fn.invocations_ended")
        );
        assert_eq!(
            counted_by("IncomingRecords", "IncomingRecords").as_deref(),
            Some("put_calls")
        );
        assert_eq!(counted_by("ecs.RunningTaskCount", "RunningTaskCount"), None);
    }

    #[test]
    fn a_burst_hides_in_the_sum_and_the_average_but_not_the_maximum() {
        // A minute: 55 seconds of 900 records in 2 calls each, then 5 seconds of 2,500
        // records in 5 calls each.
        let mut minute = Samples::default();
        for second in 0..60 {
            if second < 55 {
                minute.merge(&Samples::tick(900.0, Some(2.0), 1.0, Kind::Count));
            } else {
                minute.merge(&Samples::tick(2_500.0, Some(5.0), 1.0, Kind::Count));
            }
        }
        assert_eq!(minute.get(Statistic::Sum), 55.0 * 900.0 + 5.0 * 2_500.0);
        assert_eq!(minute.get(Statistic::SampleCount), 55.0 * 2.0 + 5.0 * 5.0);
        // Per call, not per second: 62,000 records over 135 calls.
        assert!((minute.get(Statistic::Average) - 62_000.0 / 135.0).abs() < 1e-9);
        assert_eq!(minute.get(Statistic::Maximum), 500.0);
        assert_eq!(minute.get(Statistic::Minimum), 450.0);
        // Seconds as samples: a gauge, and a second without a datapoint.
        let mut age = Samples::default();
        for v in [10.0, f64::NAN, 30.0] {
            age.merge(&Samples::tick(v, None, 1.0, Kind::Gauge));
        }
        assert_eq!(age.get(Statistic::SampleCount), 2.0);
        assert_eq!(age.get(Statistic::Average), 20.0);
        assert!(
            Samples::default().get(Statistic::Sum).is_nan(),
            "no datapoint"
        );
    }

    #[test]
    fn an_outcome_is_one_sample_of_one_or_zero_per_call() {
        // A minute of GetRecords calls every 1.5 s (40 calls), 4 of them refused.
        let mut minute = Samples::default();
        minute.merge(&Samples::tick(36.0, Some(40.0), 60.0, Kind::Outcome));
        assert_eq!(minute.get(Statistic::Sum), 36.0);
        assert_eq!(minute.get(Statistic::SampleCount), 40.0);
        assert!((minute.get(Statistic::Average) - 0.9).abs() < 1e-12);
        assert_eq!(minute.get(Statistic::Maximum), 1.0);
        assert_eq!(minute.get(Statistic::Minimum), 0.0);
        // All answered: Minimum 1; none: Maximum 0; no call: no datapoint.
        let all = Samples::tick(3.0, Some(3.0), 2.0, Kind::Outcome);
        assert_eq!(all.get(Statistic::Minimum), 1.0);
        assert_eq!(all.get(Statistic::Average), 1.0);
        let none = Samples::tick(0.0, Some(3.0), 2.0, Kind::Outcome);
        assert_eq!(none.get(Statistic::Maximum), 0.0);
        assert!(Samples::tick(0.0, Some(0.0), 2.0, Kind::Outcome)
            .get(Statistic::SampleCount)
            .is_nan());
        // A gauge counted per call holds its value in each call.
        let latency = Samples::tick(25.0, Some(4.0), 1.0, Kind::Gauge);
        assert_eq!(latency.get(Statistic::Sum), 100.0);
        assert_eq!(latency.get(Statistic::Average), 25.0);
        assert_eq!(Kind::of("Errors", false), Kind::Outcome);
        assert_eq!(Kind::of("GetRecords.Latency", true), Kind::Gauge);
        assert_eq!(Kind::of("IncomingRecords", false), Kind::Count);
    }
}
