//! Scripted changes: settings edited at given simulated times, replayed in order, and
//! faults injected for a while, as AWS Fault Injection Service does.

use serde::{Deserialize, Serialize};

use super::{Config, ConsumerConfig};
use crate::model::error::ConfigError;

/// A change applied at a simulated time, e.g. `{"at_s": 3600, "set": {"stream.shards": 10}}`,
/// or a fault that starts then, e.g.
/// `{"at_s": 600, "fault": {"action": "throttle_put", "percent": 30, "duration_s": 300}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedEvent {
    /// Simulated second at which the change applies.
    pub at_s: u64,
    /// Dotted paths to new values; consumers and producers are named by their `name`.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub set: serde_json::Map<String, serde_json::Value>,
    /// A fault injected from `at_s` for its duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
}

/// What a fault does (the Kinesis and Lambda actions of AWS Fault Injection Service).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    /// `percent` % of PutRecord and PutRecords calls fail with
    /// ProvisionedThroughputExceededException.
    ThrottlePut,
    /// `percent` % of GetRecords calls fail with ProvisionedThroughputExceededException.
    ThrottleGet,
    /// A Lambda function's invocations fail at `percent` % (every Lambda consumer's, or
    /// the one named by `consumer`).
    LambdaErrors,
}

impl FaultAction {
    /// Every action, in the order of the series' fault columns.
    pub const ALL: [FaultAction; 3] = [
        FaultAction::ThrottlePut,
        FaultAction::ThrottleGet,
        FaultAction::LambdaErrors,
    ];

    /// The name the config uses.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultAction::ThrottlePut => "throttle_put",
            FaultAction::ThrottleGet => "throttle_get",
            FaultAction::LambdaErrors => "lambda_errors",
        }
    }
}

/// A fault: an action at an intensity for a duration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// What fails.
    pub action: FaultAction,
    /// Share of the calls (or invocations) that fail, %: 1 to 100.
    pub percent: u32,
    /// How long the fault lasts, s: 60 (1 minute) to 43,200 (12 hours), as FIS allows.
    pub duration_s: u64,
    /// For `lambda_errors`: the Lambda consumer whose invocations fail (every Lambda
    /// consumer when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer: Option<String>,
}

/// The shortest fault AWS Fault Injection Service runs, s.
pub const FAULT_MIN_S: u64 = 60;
/// The longest, s (12 hours).
pub const FAULT_MAX_S: u64 = 43_200;

/// Top-level settings a scripted event may not change: the tick length is fixed when a
/// run starts, and the events are the script itself.
const FIXED_FOR_A_RUN: &[&str] = &["tick_s", "events"];

/// Checks a fault's intensity and duration, and that `lambda_errors` names a Lambda
/// consumer of `state` (the settings when the fault starts) if it names one.
fn check_fault(fault: &Fault, state: &Config, path: &str) -> Result<(), ConfigError> {
    if !(1..=100).contains(&fault.percent) {
        return Err(ConfigError::range(
            &format!("{path}.percent"),
            fault.percent,
            1,
            100,
        ));
    }
    if !(FAULT_MIN_S..=FAULT_MAX_S).contains(&fault.duration_s) {
        let at = format!("{path}.duration_s");
        return Err(ConfigError::range(
            &at,
            fault.duration_s,
            FAULT_MIN_S,
            FAULT_MAX_S,
        ));
    }
    let Some(name) = &fault.consumer else {
        return Ok(());
    };
    let at = format!("{path}.consumer");
    if fault.action != FaultAction::LambdaErrors {
        return Err(ConfigError::new(
            &at,
            "only a lambda_errors fault names a consumer".into(),
        ));
    }
    match state.consumers.iter().find(|c| c.name() == name) {
        Some(ConsumerConfig::Lambda(_)) => Ok(()),
        Some(_) => Err(ConfigError::new(
            &at,
            format!("\"{name}\" is not a Lambda function"),
        )),
        None => Err(ConfigError::new(
            &at,
            format!("no consumer is called \"{name}\" when the fault starts"),
        )),
    }
}

impl Config {
    /// Checks each scripted event's time and paths, then replays them all, checking each
    /// fault against the settings it starts in.
    pub(crate) fn validate_events(&self) -> Result<(), ConfigError> {
        const TEN_YEARS_S: u64 = 10 * 365 * 86_400;
        for (i, e) in self.events.iter().enumerate() {
            if e.set.is_empty() && e.fault.is_none() {
                return Err(ConfigError::new(
                    &format!("events[{i}]"),
                    "an event needs a set, a fault or both".into(),
                ));
            }
            if e.at_s > TEN_YEARS_S {
                let path = format!("events[{i}].at_s");
                return Err(ConfigError::range(&path, e.at_s, 0, TEN_YEARS_S));
            }
            for path in e.set.keys() {
                let field = path.split('.').next().unwrap_or_default();
                if FIXED_FOR_A_RUN.contains(&field) {
                    return Err(ConfigError::new(
                        &format!("events[{i}].set.{path}"),
                        "cannot change during a run".into(),
                    ));
                }
            }
        }
        let mut faulty = Ok(());
        self.replay_events(|event, state| {
            let (Some(fault), Ok(())) = (&event.fault, &faulty) else {
                return;
            };
            let i = self
                .events
                .iter()
                .position(|e| std::ptr::eq(e, event))
                .unwrap_or_default();
            faulty = check_fault(fault, state, &format!("events[{i}].fault"));
        })?;
        faulty
    }

    /// Replays the scripted events in the order a run meets them (by `at_s`, ties in
    /// list order), each on top of the ones before, and calls `visit` with each event and
    /// the settings it leaves (their `events` list is empty). The first event that cannot
    /// apply is the error, under `events[i].set`. Each event costs the same whatever the
    /// number of events: the replayed settings never carry the list.
    pub fn replay_events(
        &self,
        mut visit: impl FnMut(&ScriptedEvent, &Config),
    ) -> Result<(), ConfigError> {
        let mut order: Vec<usize> = (0..self.events.len()).collect();
        crate::model::order::sort_by_key(&mut order, |&i| self.events[i].at_s);
        let mut state = self.clone();
        state.events.clear();
        for i in order {
            let event = &self.events[i];
            let edits = event.set.iter().map(|(p, v)| (p.as_str(), v));
            state = crate::model::path::set_paths(&state, edits)
                .map_err(|err| err.under(&format!("events[{i}].set")))?;
            visit(event, &state);
        }
        Ok(())
    }
}

/// The scripted events and faults, as `docs/config.md` explains them after the table.
pub(super) const EVENTS_DOC: &str = r#"
## Scripted events and faults

`events` lists changes at given simulated seconds. An event may `set` settings (dotted
paths as above, several at once, validated together), start a `fault`, or both:

```json
"events": [
  {"at_s": 3600, "set": {"stream.shards": 10}},
  {"at_s": 600, "fault": {"action": "throttle_put", "percent": 30, "duration_s": 300}},
  {"at_s": 900, "fault": {"action": "lambda_errors", "percent": 100, "duration_s": 300, "consumer": "fn"}}
]
```

A fault works like an AWS Fault Injection Service action for Kinesis or Lambda, from
`at_s` for `duration_s` seconds (60 to 43,200: one minute to twelve hours) at an
intensity of `percent` (1 to 100):

| action | what fails while it lasts |
|---|---|
| `throttle_put` | that share of PutRecords calls: the records are refused with ProvisionedThroughputExceededException before the shard's own limit, and the producer retries them (or drops them) as it does any throttled record |
| `throttle_get` | that share of the GetRecords calls of consumers that poll (Lambda and KCL with shared throughput); a refused call returns nothing and counts in `ReadProvisionedThroughputExceeded`; enhanced fan-out is not affected |
| `lambda_errors` | invocations of the Lambda function named by `consumer` (of every Lambda function when absent) fail at that rate, or at its own `error_rate` if higher; the event source mapping's retry, bisect and on-failure settings apply |

`consumer` names a Lambda consumer that exists when the fault starts, and only
`lambda_errors` takes it. Faults of the same action that overlap do not add up: the
higher intensity holds. The series has a column per action (`fault_throttle_put_pct`,
`fault_throttle_get_pct`, `fault_lambda_errors_pct`) with the intensity in force.
"#;
