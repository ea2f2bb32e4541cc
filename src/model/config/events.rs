//! Scripted changes: settings edited at given simulated times, replayed in order, and
//! faults injected for a while, as AWS Fault Injection Service does.

use serde::Serialize;
use serde_json::{Map, Value};

use super::fields::{Field, Kind, Section, Steps, Unit};
use super::read::{self, FromJson};
use super::{Config, ConsumerConfig};
use crate::model::error::ConfigError;

/// A change applied at a simulated time, e.g. `{"at_s": 3600, "set": {"stream.shards": 10}}`,
/// or a fault that starts then, e.g.
/// `{"at_s": 600, "fault": {"action": "throttle_put", "percent": 30, "duration_s": 300}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScriptedEvent {
    /// Simulated second at which the change applies.
    pub at_s: u64,
    /// Dotted paths to new values; consumers and producers are named by their `name`.
    pub set: Map<String, Value>,
    /// A fault injected from `at_s` for its duration, as [`Fault::read`] reads it (empty:
    /// none). Kept as JSON, read and checked by hand: a typed field would carry its own
    /// copy of the JSON reading code into the page.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub fault: Map<String, Value>,
}

impl FromJson for ScriptedEvent {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let (mut at_s, mut set, mut fault) = (None, Map::new(), Map::new());
        read::object(value, path, &["at_s", "set", "fault"], &mut |key, v, at| {
            match key {
                "at_s" => at_s = Some(u64::read(v, at)?),
                "set" => set = Map::read(v, at)?,
                "fault" => fault = Map::read(v, at)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let at_s = at_s.ok_or_else(|| ConfigError::new(path, "\"at_s\" is needed".into()))?;
        Ok(ScriptedEvent { at_s, set, fault })
    }
}

impl ScriptedEvent {
    /// The event's fault, if it has a valid one.
    pub fn fault(&self) -> Option<Fault> {
        Fault::read(&self.fault).ok().flatten()
    }
}

/// What a fault does (the Kinesis and Lambda actions of AWS Fault Injection Service).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAction {
    /// `throttle_put`: PutRecord and PutRecords calls fail with
    /// ProvisionedThroughputExceededException.
    ThrottlePut,
    /// `throttle_get`: GetRecords calls fail with ProvisionedThroughputExceededException.
    ThrottleGet,
    /// `lambda_errors`: a Lambda function's invocations fail (every Lambda consumer's,
    /// or the one named by `consumer`).
    LambdaErrors,
}

impl FaultAction {
    /// Every action, in the order of the series' fault columns.
    pub const ALL: [FaultAction; 3] = [
        FaultAction::ThrottlePut,
        FaultAction::ThrottleGet,
        FaultAction::LambdaErrors,
    ];
    /// The names the config uses, in the same order.
    pub const NAMES: [&str; 3] = ["throttle_put", "throttle_get", "lambda_errors"];
}

/// A fault: an action at an intensity for a duration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// What fails.
    pub action: FaultAction,
    /// Share of the calls (or invocations) that fail, %: 1 to 100.
    pub percent: u32,
    /// How long the fault lasts, s: 60 (1 minute) to 43,200 (12 hours), as FIS allows.
    pub duration_s: u64,
    /// For `lambda_errors`: the Lambda consumer whose invocations fail (every Lambda
    /// consumer when absent).
    pub consumer: Option<String>,
}

/// The shortest fault AWS Fault Injection Service runs, s.
pub const FAULT_MIN_S: u64 = 60;
/// The longest, s (12 hours).
pub const FAULT_MAX_S: u64 = 43_200;

/// A fault's `percent`, checked like a setting of the table (but no slider's).
const PERCENT: Field = fault_field("percent", 100.0, Unit::Count);
/// A fault's `duration_s`.
const DURATION: Field = fault_field("duration_s", FAULT_MAX_S as f64, Unit::Seconds);

/// A whole-number field of a fault, from 1 (60 for a duration) to `max`.
const fn fault_field(name: &'static str, max: f64, unit: Unit) -> Field {
    let min = if max == 100.0 {
        1.0
    } else {
        FAULT_MIN_S as f64
    };
    Field {
        name,
        section: Section::Run,
        kind: Kind::Int,
        min,
        max,
        default: None,
        unit,
        #[cfg(not(target_arch = "wasm32"))]
        about: "",
        steps: Steps::None,
    }
}

impl Fault {
    /// Reads an event's `fault` object (`None` when empty); the error is about the first
    /// field that is missing, unknown or out of range (its path is the field's name).
    pub fn read(map: &Map<String, Value>) -> Result<Option<Fault>, ConfigError> {
        const KEYS: [&str; 4] = ["action", "percent", "duration_s", "consumer"];
        if map.is_empty() {
            return Ok(None);
        }
        for key in map.keys() {
            if !KEYS.contains(&key.as_str()) {
                let message = "is not a fault setting: action, percent, duration_s, consumer";
                return Err(ConfigError::new(key, message.into()));
            }
        }
        let action = map.get("action").and_then(Value::as_str);
        let Some(k) = FaultAction::NAMES.iter().position(|&n| Some(n) == action) else {
            let message = "takes throttle_put, throttle_get or lambda_errors";
            return Err(ConfigError::new("action", message.into()));
        };
        let mut whole = [0; 2];
        for (n, field) in [&PERCENT, &DURATION].into_iter().enumerate() {
            let v = map.get(field.name).unwrap_or(&Value::Null);
            super::validate::check(field, v, field.name)?;
            whole[n] = v.as_u64().unwrap_or_default();
        }
        let consumer = match map.get("consumer") {
            None => None,
            Some(Value::String(name)) if k == 2 => Some(name.clone()),
            Some(_) => {
                let message = "takes the name of a Lambda consumer, for lambda_errors only";
                return Err(ConfigError::new("consumer", message.into()));
            }
        };
        Ok(Some(Fault {
            action: FaultAction::ALL[k],
            percent: whole[0] as u32,
            duration_s: whole[1],
            consumer,
        }))
    }

    /// The fault as an event's `fault` object.
    pub fn to_map(&self) -> Map<String, Value> {
        let k = FaultAction::ALL.iter().position(|&a| a == self.action);
        let mut map = Map::new();
        map.insert("action".into(), FaultAction::NAMES[k.unwrap_or(0)].into());
        map.insert("percent".into(), self.percent.into());
        map.insert("duration_s".into(), self.duration_s.into());
        if let Some(name) = &self.consumer {
            map.insert("consumer".into(), name.as_str().into());
        }
        map
    }
}

/// Top-level settings a scripted event may not change: the tick length is fixed when a
/// run starts, and the events are the script itself.
const FIXED_FOR_A_RUN: &[&str] = &["tick_s", "events"];

/// Checks that the consumer a fault names is a Lambda consumer of `state` (the settings
/// when the fault starts).
fn check_consumer(fault: &Fault, state: &Config) -> Result<(), ConfigError> {
    let Some(name) = &fault.consumer else {
        return Ok(());
    };
    match state.consumers.iter().find(|c| c.name() == name) {
        Some(ConsumerConfig::Lambda(_)) => Ok(()),
        _ => Err(ConfigError::new(
            "consumer",
            format!("no Lambda consumer is called \"{name}\" when the fault starts"),
        )),
    }
}

impl Config {
    /// Checks each scripted event's time, paths and fault, then replays them all.
    pub(crate) fn validate_events(&self) -> Result<(), ConfigError> {
        const TEN_YEARS_S: u64 = 10 * 365 * 86_400;
        for (i, e) in self.events.iter().enumerate() {
            let fault =
                Fault::read(&e.fault).map_err(|err| err.under(&format!("events[{i}].fault")))?;
            if fault.is_none() && e.set.is_empty() {
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
        let mut prev = self.stream.clone();
        let mut switches = Vec::new();
        let mut refused = None;
        self.replay_events(|event, state| {
            let at_ms = event.at_s * 1_000;
            if refused.is_none() {
                let i = self.events.iter().position(|e| std::ptr::eq(e, event));
                refused = prev
                    .refuse_change(&state.stream, &mut switches.iter().copied(), at_ms)
                    .map(|err| err.under(&format!("events[{}].set", i.unwrap_or_default())));
            }
            if prev.mode.on_demand() != state.stream.mode.on_demand() {
                switches.push(at_ms);
            }
            prev = state.stream.clone();
        })?;
        match refused {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// Replays the scripted events in the order a run meets them (by `at_s`, ties in
    /// list order), each on top of the ones before, and calls `visit` with each event and
    /// the settings it leaves (their `events` list is empty). The first event that cannot
    /// apply is the error, under `events[i].set` (or `events[i].fault` for a fault naming
    /// a consumer that is not a Lambda function then). Each event costs the same whatever the
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
            if let Some(fault) = event.fault() {
                check_consumer(&fault, &state)
                    .map_err(|err| err.under(&format!("events[{i}].fault")))?;
            }
            visit(event, &state);
        }
        Ok(())
    }
}

/// The scripted events and faults, as `docs/config.md` explains them after the table.
#[cfg(not(target_arch = "wasm32"))]
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
