//! [`AlarmSpec`]: what an alarm watches and when it fires, and its one-line text form,
//! e.g. `WriteProvisionedThroughputExceeded Sum 1m > 0 1/1 notBreaching`.

use std::fmt;
use std::str::FromStr;

use super::{Comparison, MissingData};
use crate::model::cloudwatch::{is_cloudwatch, Statistic, KCL_METRICS, LAMBDA_METRICS};
use crate::model::config::ConsumerKind;
use crate::model::series::{columns, consumer_columns};
use crate::model::Config;

/// Longest evaluation interval CloudWatch allows: evaluation periods × period ≤ one day.
pub const MAX_INTERVAL_S: u64 = 86_400;

/// A CloudWatch metric alarm on one series column.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmSpec {
    /// The column watched, as the series name it: a stream metric (`IncomingRecords`,
    /// `GetRecords.IteratorAgeMilliseconds`, ...) or `CONSUMER.metric`
    /// (`lambda.IteratorAge`, `ecs.MillisBehindLatest`, ...). Only CloudWatch metrics.
    pub metric: String,
    /// The statistic of each period's datapoint.
    pub statistic: Statistic,
    /// The period, s: 60 × n (the metrics come once a minute).
    pub period_s: u32,
    /// The threshold.
    pub threshold: f64,
    /// How a datapoint is compared with the threshold.
    pub comparison: Comparison,
    /// M: breaching datapoints out of the last N that put the alarm in ALARM.
    pub datapoints_to_alarm: u32,
    /// N: the datapoints evaluated.
    pub evaluation_periods: u32,
    /// How a period without a datapoint counts.
    pub missing: MissingData,
}

/// Where an alarm's metric lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    /// A stream metric.
    Stream(&'a str),
    /// A consumer's metric: consumer name, metric.
    Consumer(&'a str, &'a str),
}

impl AlarmSpec {
    /// Where the metric lives, or why it cannot be alarmed on.
    pub fn target(&self) -> Result<Target<'_>, String> {
        target(&self.metric)
    }

    /// The spec checked against `config`'s consumers: a consumer's metric must be one
    /// its kind publishes, or the alarm would never get a datapoint. A consumer the
    /// config does not have yet is left to the caller.
    pub fn fits(&self, config: &Config) -> Result<(), String> {
        let Target::Consumer(name, metric) = self.target()? else {
            return Ok(());
        };
        let Some(consumer) = config.consumers.iter().find(|c| c.name() == name) else {
            return Ok(());
        };
        let (kind, other, theirs) = match consumer.consumer_kind() {
            ConsumerKind::Lambda => ("a Lambda function", &KCL_METRICS[..], "KCL application"),
            ConsumerKind::Kcl => ("a KCL application", &LAMBDA_METRICS[..], "Lambda function"),
        };
        if other.contains(&metric) {
            return Err(format!(
                "{name} is {kind}, and {metric} is a {theirs}'s metric: the alarm would never \
                 get a datapoint"
            ));
        }
        Ok(())
    }

    /// The spec's settings checked together (the metric, the period, M and N).
    pub fn check(&self) -> Result<(), String> {
        self.target()?;
        if self.period_s < 60 || !self.period_s.is_multiple_of(60) {
            return Err(format!(
                "a period of {} s does not fit: Kinesis and Lambda send their metrics once a \
                 minute, so an alarm's period is 1m or a whole number of minutes",
                self.period_s
            ));
        }
        let (m, n) = (self.datapoints_to_alarm, self.evaluation_periods);
        if n == 0 || m == 0 || m > n {
            return Err(format!(
                "{m}/{n} does not fit: datapoints to alarm (M) must be from 1 to the number of \
                 evaluation periods (N), as in 2/3"
            ));
        }
        if u64::from(n) * u64::from(self.period_s) > MAX_INTERVAL_S {
            return Err(format!(
                "{n} periods of {} min are more than a day, the longest CloudWatch evaluates",
                self.period_s / 60
            ));
        }
        if !self.threshold.is_finite() {
            return Err("the threshold must be a number".into());
        }
        Ok(())
    }
}

/// Where `metric` lives, or why it cannot be alarmed on.
fn target(metric: &str) -> Result<Target<'_>, String> {
    let stream = columns(&[]);
    let consumer = consumer_columns();
    let own = |name: &str| {
        Err(format!(
            "{name} is the playground's own measure: no CloudWatch metric shows it, so no \
             alarm can watch it"
        ))
    };
    if stream[1..].iter().any(|c| c == metric) {
        return if is_cloudwatch(metric) {
            Ok(Target::Stream(metric))
        } else {
            own(metric)
        };
    }
    for (i, _) in metric.match_indices('.') {
        let (name, rest) = (&metric[..i], &metric[i + 1..]);
        if !name.is_empty() && consumer[1..].iter().any(|c| c == rest) {
            return if is_cloudwatch(rest) {
                Ok(Target::Consumer(name, rest))
            } else {
                own(metric)
            };
        }
    }
    Err(format!(
        "{metric:?} is not a metric of the series: a stream metric such as IncomingRecords or \
         GetRecords.IteratorAgeMilliseconds, or CONSUMER.metric such as lambda.IteratorAge"
    ))
}

/// `1m`, `5m`, `60s`, `300`, `1h` → seconds.
fn parse_period(text: &str) -> Result<u32, String> {
    let (digits, scale) = match text.find(|c: char| !c.is_ascii_digit()) {
        None => (text, 1),
        Some(i) => match &text[i..] {
            "s" => (&text[..i], 1),
            "m" | "min" => (&text[..i], 60),
            "h" => (&text[..i], 3_600),
            _ => ("", 0),
        },
    };
    digits
        .parse::<u32>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("{text:?} is not a period like 1m, 5m or 300s"))
}

/// `3/5` → (3, 5).
fn parse_m_of_n(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{text:?} is not datapoints to alarm out of evaluation periods, like 3/5");
    let (m, n) = text.split_once('/').ok_or_else(bad)?;
    Ok((
        m.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    ))
}

impl FromStr for AlarmSpec {
    type Err = String;

    /// `METRIC STATISTIC PERIOD COMPARISON THRESHOLD M/N [TREATMENT]`; the treatment of
    /// missing data is `missing` when left out, as in CloudWatch.
    fn from_str(text: &str) -> Result<Self, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        if !(6..=7).contains(&words.len()) {
            return Err(format!(
                "an alarm is METRIC STATISTIC PERIOD COMPARISON THRESHOLD M/N [MISSING], such as \
                 \"IncomingRecords Sum 1m > 60000 2/3 notBreaching\"; {:?} has {} words",
                text.trim(),
                words.len()
            ));
        }
        let threshold = words[4].replace([',', '_'], "");
        // Read as a JSON number: the page already carries that parser.
        let threshold: f64 = serde_json::from_str(&threshold)
            .ok()
            .filter(|t: &f64| t.is_finite())
            .ok_or_else(|| {
                format!(
                    "{:?} is not a threshold: a number such as 0 or 30000",
                    words[4]
                )
            })?;
        let (m, n) = parse_m_of_n(words[5])?;
        let spec = AlarmSpec {
            metric: words[0].to_string(),
            statistic: words[1].parse()?,
            period_s: parse_period(words[2])?,
            comparison: words[3].parse()?,
            threshold,
            datapoints_to_alarm: m,
            evaluation_periods: n,
            missing: words
                .get(6)
                .map_or(Ok(MissingData::Missing), |w| w.parse())?,
        };
        spec.check()?;
        Ok(spec)
    }
}

impl fmt::Display for AlarmSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}m {} {} {}/{} {}",
            self.metric,
            self.statistic,
            self.period_s / 60,
            self.comparison.symbol(),
            self.threshold,
            self.datapoints_to_alarm,
            self.evaluation_periods,
            self.missing
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_form_reads_back() {
        for text in [
            "WriteProvisionedThroughputExceeded Sum 1m > 0 1/1 notBreaching",
            "lambda.IteratorAge Maximum 5m >= 30000 3/5 missing",
            "GetRecords.IteratorAgeMilliseconds Maximum 1m >= 21600000 3/3 breaching",
            "ecs.MillisBehindLatest Average 15m < 0.5 2/4 ignore",
            "IncomingRecords SampleCount 60m <= 1000 24/24 missing",
        ] {
            let spec: AlarmSpec = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(spec.to_string(), text);
        }
        let spec: AlarmSpec = "lambda.Errors sum 300s GreaterThanThreshold 0 1/1"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec.to_string(), "lambda.Errors Sum 5m > 0 1/1 missing");
        assert_eq!(spec.target(), Ok(Target::Consumer("lambda", "Errors")));
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let err = |text: &str| text.parse::<AlarmSpec>().err().unwrap_or_default();
        assert!(err("IncomingRecords Sum 30s > 0 1/1").contains("once a minute"));
        assert!(err("produced Sum 1m > 0 1/1").contains("no CloudWatch metric shows it"));
        assert!(err("ecs.expired Sum 1m > 0 1/1").contains("no CloudWatch metric shows it"));
        assert!(err("Incoming Sum 1m > 0 1/1").contains("not a metric of the series"));
        assert!(err("IncomingRecords Sum 1m > 0 4/3").contains("from 1 to the number"));
        assert!(err("IncomingRecords Sum 60m > 0 25/25").contains("more than a day"));
        assert!(err("IncomingRecords p99 1m > 0 1/1").contains("not a statistic"));
        assert!(err("IncomingRecords Sum 1m => 0 1/1").contains("not a comparison"));
        assert!(err("IncomingRecords Sum 1m > lots 1/1").contains("not a threshold"));
        assert!(err("IncomingRecords Sum 1m > 0 1/1 sometimes").contains("missing, ignore"));
        assert!(err("IncomingRecords Sum 1m").contains("has 3 words"));
    }
}
