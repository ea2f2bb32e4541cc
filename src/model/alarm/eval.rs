//! How CloudWatch evaluates a metric alarm, period by period.
//!
//! The rules, from the CloudWatch user guide, "Using Amazon CloudWatch alarms"
//! (AlarmThatSendsEmail.html: "Evaluating an alarm", "Configuring how CloudWatch alarms
//! treat missing data", "How alarm state is evaluated when data is missing", "Avoiding
//! premature transitions to alarm state"; the page as of May 2023, and its 2019 table for
//! rows the later one left out):
//!
//! - Each period gives one datapoint, the statistic over the period's samples; a period
//!   without a sample has no datapoint (it is *missing*). A datapoint *breaches* when
//!   the comparison with the threshold holds.
//! - The alarm looks at more datapoints than its N evaluation periods: the *evaluation
//!   range*. AWS gives its length only by example (5 for N = 3); here it is N + 2.
//! - At least N real datapoints in the range: the N most recent real ones are
//!   evaluated, and the treatment of missing data plays no part. M or more breaching
//!   is ALARM, fewer is OK.
//! - Fewer than N: every real datapoint in the range counts, and the N − real missing
//!   ones are filled in by the treatment ("as few times as possible"): `breaching`
//!   counts them as breaching, `notBreaching` as within the threshold; then M or more
//!   breaching is ALARM, fewer OK.
//! - `missing` and `ignore` fill nothing: M or more real breaching datapoints are ALARM;
//!   otherwise a real datapoint within the threshold makes it OK (the tables' `0 - - - -`
//!   and `- - - - 0` rows). With neither, `ignore` keeps the current state; `missing`
//!   goes to INSUFFICIENT_DATA when every datapoint of the range is missing, and to
//!   ALARM when the oldest breaching datapoint is at least M periods old and nothing more
//!   recent is within the threshold (the "premature alarm" rule: `- - X - -` with M = 3
//!   is ALARM, `- - - - X` is not yet); otherwise (breaching datapoints too recent to
//!   decide) INSUFFICIENT_DATA, as the 2019 table's `- - - - X` row.
//! - A new alarm is INSUFFICIENT_DATA; periods before the run count as missing. The
//!   alarm is evaluated once per period, when the period ends (CloudWatch evaluates
//!   every minute, which for a period of several minutes sees the same datapoints).

use std::collections::VecDeque;

use super::{AlarmSpec, AlarmState, MissingData};
use crate::format;
use crate::model::cloudwatch::{Kind, Samples};

/// Most transitions an alarm keeps (the oldest go first, counted).
pub const MAX_TRANSITIONS: usize = 1_000;

/// Why the state is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// `breaching` of the last `of` datapoints breach, `filled` of them missing and
    /// filled in by the treatment.
    Counted {
        /// Breaching datapoints.
        breaching: u32,
        /// Datapoints evaluated.
        of: u32,
        /// Of them, missing ones filled in.
        filled: u32,
    },
    /// Every datapoint of the range is missing.
    AllMissing,
    /// The oldest breaching datapoint is `age` periods old, nothing since within the
    /// threshold.
    Premature {
        /// Periods since the oldest breaching datapoint (1: the latest).
        age: u32,
    },
    /// Only breaching datapoints, too few and too recent to decide.
    TooRecent,
    /// `ignore`: the state is kept.
    Kept,
}

/// The state AWS's rules give for the evaluation range `range` (oldest first; `None` a
/// missing datapoint, `Some(true)` a breaching one), M of N, the treatment and the
/// current state; see the module's documentation.
pub fn evaluate(
    range: &[Option<bool>],
    m: u32,
    n: u32,
    missing: MissingData,
    current: AlarmState,
) -> (AlarmState, Basis) {
    let real: Vec<bool> = range.iter().flatten().copied().collect();
    let count = |points: &[bool]| points.iter().filter(|b| **b).count() as u32;
    let decide = |breaching: u32| {
        if breaching >= m {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        }
    };
    let real_n = real.len() as u32;
    if real_n >= n {
        let recent = &real[real.len() - n as usize..];
        let breaching = count(recent);
        let basis = Basis::Counted {
            breaching,
            of: n,
            filled: 0,
        };
        return (decide(breaching), basis);
    }
    let breaching = count(&real);
    let filled = n - real_n;
    match missing {
        MissingData::Breaching => {
            let b = breaching + filled;
            (
                decide(b),
                Basis::Counted {
                    breaching: b,
                    of: n,
                    filled,
                },
            )
        }
        MissingData::NotBreaching => (
            decide(breaching),
            Basis::Counted {
                breaching,
                of: n,
                filled,
            },
        ),
        MissingData::Missing | MissingData::Ignore => {
            let basis = Basis::Counted {
                breaching,
                of: n,
                filled,
            };
            if breaching >= m {
                return (AlarmState::Alarm, basis);
            }
            if breaching < real_n {
                return (AlarmState::Ok, basis);
            }
            if missing == MissingData::Ignore {
                return (current, Basis::Kept);
            }
            if real.is_empty() {
                return (AlarmState::InsufficientData, Basis::AllMissing);
            }
            // Only breaching datapoints: the oldest one's age, 1 for the latest.
            let age = range
                .iter()
                .position(Option::is_some)
                .map_or(0, |i| range.len() - i) as u32;
            if age >= m {
                (AlarmState::Alarm, Basis::Premature { age })
            } else {
                (AlarmState::InsufficientData, Basis::TooRecent)
            }
        }
    }
}

/// A change of an alarm's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// When, ms since the start (the end of the period evaluated).
    pub t_ms: u64,
    /// The state before.
    pub from: AlarmState,
    /// The state after.
    pub to: AlarmState,
    /// Why, in the manner of CloudWatch's state reason.
    pub reason: String,
}

/// One alarm evaluated as the ticks come.
#[derive(Debug, Clone)]
pub struct Alarm {
    spec: AlarmSpec,
    /// The evaluation range: (start of the period, ms; datapoint, NaN when missing).
    range: VecDeque<(u64, f64)>,
    samples: Samples,
    /// End of the open period, ms.
    period_end_ms: u64,
    state: AlarmState,
    transitions: VecDeque<Transition>,
    forgotten: u64,
    /// Ticks ending by then came before the alarm existed.
    created_ms: u64,
    /// End of the last tick taken: a tick's length is the time since.
    last_ms: u64,
    /// How a sample holds the metric's value: a gauge (an age, a concurrency) is held
    /// in each second of a tick, a count spread over them, an outcome is 1 or 0 per call.
    pub(crate) kind: Kind,
}

impl Alarm {
    /// A new alarm, in INSUFFICIENT_DATA, its first period starting at 0.
    pub fn new(spec: AlarmSpec) -> Self {
        let period_ms = u64::from(spec.period_s) * 1_000;
        Alarm {
            range: VecDeque::new(),
            samples: Samples::default(),
            period_end_ms: period_ms,
            state: AlarmState::InsufficientData,
            transitions: VecDeque::new(),
            forgotten: 0,
            created_ms: 0,
            last_ms: 0,
            kind: Kind::Count,
            spec,
        }
    }

    /// A new alarm created at `t_ms`: as in CloudWatch, it evaluates from then on, its
    /// first period the first whole one after `t_ms`.
    pub fn created_at(spec: AlarmSpec, t_ms: u64) -> Self {
        let mut alarm = Alarm::new(spec);
        let period_ms = alarm.period_end_ms;
        alarm.period_end_ms = (t_ms.div_ceil(period_ms) + 1) * period_ms;
        alarm.created_ms = alarm.period_end_ms - period_ms;
        alarm.last_ms = alarm.created_ms;
        alarm
    }

    /// The spec.
    pub fn spec(&self) -> &AlarmSpec {
        &self.spec
    }

    /// The current state.
    pub fn state(&self) -> AlarmState {
        self.state
    }

    /// The state changes kept, oldest first (at most [`MAX_TRANSITIONS`]).
    pub fn transitions(&self) -> impl ExactSizeIterator<Item = &Transition> {
        self.transitions.iter()
    }

    /// Whether the evaluation range holds a real datapoint now.
    pub fn has_data(&self) -> bool {
        self.range.iter().any(|p| !p.1.is_nan())
    }

    /// State changes no longer kept.
    pub fn forgotten(&self) -> u64 {
        self.forgotten
    }

    /// Evaluation range length: N + 2 (see the module's documentation).
    fn range_len(&self) -> usize {
        self.spec.evaluation_periods as usize + 2
    }

    /// Adds the tick ending at `t_ms` whose row holds `value` for the metric (NaN: no
    /// datapoint) carried by `samples` samples (`None`: one a second, as the series'
    /// `Sampler` counts them: [`Samples::tick`]). A period closes when a tick ends on its end (a config's tick divides a
    /// minute, so it divides every period); should a tick end past it, the period closes
    /// first and the tick counts in the next.
    pub fn push_tick(&mut self, t_ms: u64, value: f64, samples: Option<f64>) {
        if t_ms <= self.created_ms {
            return;
        }
        while t_ms > self.period_end_ms {
            self.close();
        }
        let seconds = t_ms.saturating_sub(self.last_ms) as f64 / 1_000.0;
        self.last_ms = t_ms;
        self.samples
            .merge(&Samples::tick(value, samples, seconds, self.kind));
        if t_ms == self.period_end_ms {
            self.close();
        }
    }

    /// Closes the open period: its datapoint joins the range and the alarm is evaluated.
    fn close(&mut self) {
        let period_ms = u64::from(self.spec.period_s) * 1_000;
        let value = self.samples.get(self.spec.statistic);
        self.samples = Samples::default();
        self.range
            .push_back((self.period_end_ms - period_ms, value));
        while self.range.len() > self.range_len() {
            self.range.pop_front();
        }
        let t_ms = self.period_end_ms;
        self.period_end_ms += period_ms;
        let mut points = vec![None; self.range_len() - self.range.len()];
        let (cmp, threshold) = (self.spec.comparison, self.spec.threshold);
        points.extend(
            self.range
                .iter()
                .map(|&(_, v)| (!v.is_nan()).then(|| cmp.breaches(v, threshold))),
        );
        let spec = &self.spec;
        let (to, basis) = evaluate(
            &points,
            spec.datapoints_to_alarm,
            spec.evaluation_periods,
            spec.missing,
            self.state,
        );
        if to != self.state {
            let reason = self.reason(to, basis);
            if self.transitions.len() == MAX_TRANSITIONS {
                self.transitions.pop_front();
                self.forgotten += 1;
            }
            self.transitions.push_back(Transition {
                t_ms,
                from: self.state,
                to,
                reason,
            });
            self.state = to;
        }
    }

    /// The reason for going to `to`, in the manner of CloudWatch's.
    fn reason(&self, to: AlarmState, basis: Basis) -> String {
        let spec = &self.spec;
        let words = spec.comparison.words();
        let threshold = number(spec.threshold);
        let m = spec.datapoints_to_alarm;
        let real: Vec<&(u64, f64)> = self.range.iter().filter(|p| !p.1.is_nan()).collect();
        let latest = real.last().map_or(String::new(), |&&(t, v)| {
            format!(
                " Latest: {} at {}.",
                number(v),
                format::clock(t as f64 / 1e3, 3_600.0)
            )
        });
        let were = |k: u32| {
            if k == 1 {
                "datapoint was"
            } else {
                "datapoints were"
            }
        };
        let text = match basis {
            Basis::Counted { breaching, of, filled } => {
                let fill = match (filled, spec.missing) {
                    (0, _) => String::new(),
                    (f, MissingData::Breaching) => format!(" ({f} missing, treated as breaching)"),
                    (f, MissingData::NotBreaching) => {
                        format!(" ({f} missing, treated as not breaching)")
                    }
                    (f, _) => format!(" ({f} missing, left out)"),
                };
                let need = if to == AlarmState::Alarm {
                    format!("; {m} needed for ALARM")
                } else {
                    format!(": fewer than the {m} needed for ALARM")
                };
                format!(
                    "Threshold Crossed: {breaching} of the last {of} {} {words} the threshold ({threshold}){fill}{need}.",
                    were(breaching)
                )
            }
            Basis::AllMissing => format!(
                "Insufficient Data: all {} datapoints of the evaluation range were missing.",
                self.range_len()
            ),
            Basis::Premature { age } => format!(
                "Threshold Crossed: the oldest breaching datapoint is {age} periods old, at least the {m} datapoints to alarm, and none since was within the threshold ({threshold})."
            ),
            Basis::TooRecent => format!(
                "Insufficient Data: only {} {} {words} the threshold ({threshold}), too recent to decide; the others were missing.",
                real.len(),
                were(real.len() as u32)
            ),
            Basis::Kept => return String::new(),
        };
        text + &latest
    }
}

/// A datapoint or threshold for people: whole numbers grouped (1,234), others with up
/// to three decimals.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", format::thousands(v.abs() as u64))
    } else {
        let text = format!("{v:.3}");
        text.trim_end_matches('0').to_string()
    }
}
