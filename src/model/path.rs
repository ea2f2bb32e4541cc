//! Dotted-path edits of a config: `stream.shards`, `consumers.ecs.tasks`, `producers.web.retry.max_attempts`.
//!
//! Lists of producers and consumers are addressed by `name` (or by index). An edit is
//! applied to the JSON form of the config, parsed back and validated, so a path can
//! only ever produce a config that any other door would also accept.

use serde_json::Value;

use super::config::{typed, Config};
use super::error::ConfigError;

/// The config with the value at `path` replaced by `value`, validated.
pub fn set_path(config: &Config, path: &str, value: &Value) -> Result<Config, ConfigError> {
    set_paths(config, [(path, value)])
}

/// The config with every edit applied, validated once all are in: edits that only make
/// sense together (raising `min_tasks` above the old `max_tasks` along with it) pass.
/// A value of the wrong type is reported under its own path.
///
/// The config is turned into JSON and back once per call (the scripted events only when
/// an edit names them), so the cost does not grow with the number of events.
pub fn set_paths<'a>(
    config: &Config,
    edits: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Result<Config, ConfigError> {
    set_path_list(config, &edits.into_iter().collect::<Vec<_>>())
}

/// [`set_paths`] for a list: one copy of the work whatever the caller's iterator.
fn set_path_list(config: &Config, edits: &[(&str, &Value)]) -> Result<Config, ConfigError> {
    let mut base = config.clone();
    let touches_events = edits
        .iter()
        .any(|(path, _)| path.split('.').next() == Some("events"));
    let events = (!touches_events).then(|| std::mem::take(&mut base.events));
    let to_json =
        |c: &Config| serde_json::to_value(c).map_err(|e| ConfigError::new("", e.to_string()));
    let mut json = to_json(&base)?;
    for &(path, value) in edits {
        *locate(&mut json, path)? = value.clone();
    }
    let mut edited = match typed::<Config>(&json) {
        Ok(edited) => edited,
        Err(e) => {
            let first = first_bad_edit(to_json(&base)?, edits);
            return Err(first.unwrap_or(e));
        }
    };
    edited.validate_fields()?;
    if let Some(events) = events {
        edited.events = events;
    }
    Ok(edited)
}

/// The first of `edits` after which `json` no longer reads as a config, named by its path.
fn first_bad_edit(mut json: Value, edits: &[(&str, &Value)]) -> Option<ConfigError> {
    for &(path, value) in edits {
        *locate(&mut json, path).ok()? = value.clone();
        if let Err(e) = typed::<Config>(&json) {
            // The edit's own path, when the complaint is about a part of its value.
            let inner = e.path.strip_prefix(path).unwrap_or_default();
            return Some(ConfigError::new(&format!("{path}{inner}"), e.message));
        }
    }
    None
}

/// The current value at `path`.
pub fn get_path(config: &Config, path: &str) -> Result<Value, ConfigError> {
    let mut json =
        serde_json::to_value(config).map_err(|e| ConfigError::new(path, e.to_string()))?;
    locate(&mut json, path).map(|v| v.clone())
}

/// The existing slot named by `path` inside `json`; unknown names are errors.
fn locate<'a>(json: &'a mut Value, path: &str) -> Result<&'a mut Value, ConfigError> {
    if path.is_empty() || path.len() > 256 {
        return Err(ConfigError::new(path, "is not a field path".into()));
    }
    let mut node = json;
    let mut walked = String::new();
    for part in path.split('.') {
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(part);
        node = match node {
            Value::Object(map) => map
                .get_mut(part)
                .ok_or_else(|| ConfigError::new(path, format!("unknown field {walked:?}")))?,
            Value::Array(items) => {
                let index = match part.parse::<usize>() {
                    Ok(i) if i < items.len() => Some(i),
                    _ => items
                        .iter()
                        .position(|item| item.get("name").and_then(Value::as_str) == Some(part)),
                };
                let index = index.ok_or_else(|| {
                    ConfigError::new(path, format!("nothing is named {walked:?}"))
                })?;
                &mut items[index]
            }
            _ => return Err(ConfigError::new(path, format!("{walked:?} has no fields"))),
        };
    }
    Ok(node)
}
