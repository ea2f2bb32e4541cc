//! Dotted-path edits of a config: `stream.shards`, `consumers.ecs.tasks`, `producers.web.retry.max_attempts`.
//!
//! Lists of producers and consumers are addressed by `name` (or by index). An edit is
//! applied to the JSON form of the config, parsed back and validated, so a path can
//! only ever produce a config that any other door would also accept.

use serde_json::Value;

use super::config::Config;
use super::error::ConfigError;

/// The config with the value at `path` replaced by `value`, validated.
pub fn set_path(config: &Config, path: &str, value: &Value) -> Result<Config, ConfigError> {
    let mut json =
        serde_json::to_value(config).map_err(|e| ConfigError::new(path, e.to_string()))?;
    let slot = locate(&mut json, path)?;
    *slot = value.clone();
    let edited: Config = serde_json::from_value(json)
        .map_err(|e| ConfigError::new(path, format!("{value} is not accepted: {e}")))?;
    edited.validate_fields()?;
    Ok(edited)
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
