//! CloudWatch alarms on the series: what an alarm is ([`AlarmSpec`], with a one-line
//! text form that parses and prints back), how CloudWatch evaluates it period by period
//! ([`eval`]: M out of N datapoints, the four treatments of missing data, as the
//! CloudWatch user guide's "Using Amazon CloudWatch alarms" page states them), alarms fed
//! from the ticks ([`set`]: [`AlarmSet`], and [`recommended`], the alarms a team should
//! have for a config) and which losses no alarm caught ([`coverage`]).

pub mod coverage;
pub mod eval;
pub mod set;
mod spec;

pub use coverage::{LossKind, UncaughtLoss};
pub use eval::{evaluate, Alarm, Transition};
pub use set::{recommended, AlarmSet};
pub use spec::{AlarmSpec, Target};

use std::fmt;
use std::str::FromStr;

/// How a datapoint is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `>`
    GreaterThanThreshold,
    /// `>=`
    GreaterThanOrEqualToThreshold,
    /// `<`
    LessThanThreshold,
    /// `<=`
    LessThanOrEqualToThreshold,
}

impl Comparison {
    /// Every comparison, with its short form.
    pub const ALL: [(Comparison, &'static str); 4] = [
        (Comparison::GreaterThanThreshold, ">"),
        (Comparison::GreaterThanOrEqualToThreshold, ">="),
        (Comparison::LessThanThreshold, "<"),
        (Comparison::LessThanOrEqualToThreshold, "<="),
    ];

    /// CloudWatch's name for it (`ComparisonOperator`).
    pub fn name(self) -> &'static str {
        match self {
            Comparison::GreaterThanThreshold => "GreaterThanThreshold",
            Comparison::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            Comparison::LessThanThreshold => "LessThanThreshold",
            Comparison::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
        }
    }

    /// The short form: `>`, `>=`, `<` or `<=`.
    pub fn symbol(self) -> &'static str {
        Comparison::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or(">", |(_, s)| s)
    }

    /// Words for a reason: "greater than", "less than or equal to", ...
    pub fn words(self) -> &'static str {
        match self {
            Comparison::GreaterThanThreshold => "greater than",
            Comparison::GreaterThanOrEqualToThreshold => "greater than or equal to",
            Comparison::LessThanThreshold => "less than",
            Comparison::LessThanOrEqualToThreshold => "less than or equal to",
        }
    }

    /// Whether `value` breaches `threshold`.
    pub fn breaches(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::GreaterThanThreshold => value > threshold,
            Comparison::GreaterThanOrEqualToThreshold => value >= threshold,
            Comparison::LessThanThreshold => value < threshold,
            Comparison::LessThanOrEqualToThreshold => value <= threshold,
        }
    }
}

impl FromStr for Comparison {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Comparison::ALL
            .iter()
            .find(|(c, s)| *s == text || c.name().eq_ignore_ascii_case(text))
            .map(|(c, _)| *c)
            .ok_or_else(|| {
                format!("{text:?} is not a comparison: >, >=, < or <= (or CloudWatch's names, such as GreaterThanThreshold)")
            })
    }
}

/// How the alarm treats a period without a datapoint (`TreatMissingData`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingData {
    /// Missing stays missing (CloudWatch's default): all missing is INSUFFICIENT_DATA.
    #[default]
    Missing,
    /// The alarm keeps its state.
    Ignore,
    /// Missing counts as breaching.
    Breaching,
    /// Missing counts as within the threshold.
    NotBreaching,
}

impl MissingData {
    /// Every treatment, in CloudWatch's spelling.
    pub const ALL: [MissingData; 4] = [
        MissingData::Missing,
        MissingData::Ignore,
        MissingData::Breaching,
        MissingData::NotBreaching,
    ];

    /// CloudWatch's spelling: `missing`, `ignore`, `breaching`, `notBreaching`.
    pub fn name(self) -> &'static str {
        match self {
            MissingData::Missing => "missing",
            MissingData::Ignore => "ignore",
            MissingData::Breaching => "breaching",
            MissingData::NotBreaching => "notBreaching",
        }
    }
}

impl fmt::Display for MissingData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for MissingData {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        MissingData::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| {
                format!("{text:?} is not a treatment of missing data: missing, ignore, breaching or notBreaching")
            })
    }
}

/// An alarm's state. An alarm starts in `InsufficientData`, as in CloudWatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlarmState {
    /// Within the threshold.
    Ok,
    /// Outside the threshold.
    Alarm,
    /// Not enough data to decide (also the state of a new alarm).
    #[default]
    InsufficientData,
}

impl AlarmState {
    /// CloudWatch's name: `OK`, `ALARM`, `INSUFFICIENT_DATA`.
    pub fn name(self) -> &'static str {
        match self {
            AlarmState::Ok => "OK",
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
}

impl fmt::Display for AlarmState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
