//! Scripted changes: settings edited at given simulated times, replayed in order.

use serde::{Deserialize, Serialize};

use super::Config;
use crate::model::error::ConfigError;

/// A change applied at a simulated time, e.g. `{"at_s": 3600, "set": {"stream.shards": 10}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedEvent {
    /// Simulated second at which the change applies.
    pub at_s: u64,
    /// Dotted paths to new values; consumers and producers are named by their `name`.
    pub set: serde_json::Map<String, serde_json::Value>,
}

/// Top-level settings a scripted event may not change: the tick length is fixed when a
/// run starts, and the events are the script itself.
const FIXED_FOR_A_RUN: &[&str] = &["tick_s", "events"];

impl Config {
    /// Checks each scripted event's time and paths, then replays them all.
    pub(crate) fn validate_events(&self) -> Result<(), ConfigError> {
        const TEN_YEARS_S: u64 = 10 * 365 * 86_400;
        for (i, e) in self.events.iter().enumerate() {
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
                    .refuse_change(&state.stream, switches.iter().copied(), at_ms)
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
