//! Consumers added to or removed from the base config, written by what differs:
//! `consumers.audit=kcl&consumers.audit.tasks=3` adds a KCL consumer called `audit`
//! with three tasks and every other setting a new consumer has; `consumers.lambda=removed`
//! takes one away. Other list changes (a reordering) are written whole.

use serde_json::Value;

use super::escape;
use crate::model::config::{Config, ConsumerKind};
use crate::model::error::ConfigError;

/// The value that removes a consumer of the base config.
pub const REMOVED: &str = "removed";

/// The names of a list's entries; `None` when one has none.
fn names(list: &[Value]) -> Option<Vec<&str>> {
    list.iter()
        .map(|item| item.get("name").and_then(Value::as_str))
        .collect()
}

/// The parts that turn consumer list `old` into `new` when the consumers kept are in
/// their old order and the new ones come after them: removals, kept consumers' changed
/// settings (through `diff`), then each new consumer's kind and what differs from a new
/// consumer of that kind. `None` for any other change.
pub(super) fn edits(
    old: &[Value],
    new: &[Value],
    diff: impl Fn(&str, &Value, &Value, &mut Vec<String>),
) -> Option<Vec<String>> {
    let (old_names, new_names) = (names(old)?, names(new)?);
    let kept: Vec<&str> = old_names
        .iter()
        .copied()
        .filter(|n| new_names.contains(n))
        .collect();
    if new_names.get(..kept.len())? != kept.as_slice() {
        return None;
    }
    let mut parts = Vec::new();
    for name in old_names.iter().filter(|n| !kept.contains(n)) {
        parts.push(format!("consumers.{}={REMOVED}", escape(name)));
    }
    let mut settings = Vec::new();
    for (name, value) in kept.iter().zip(new) {
        let before = old_names
            .iter()
            .position(|n| n == name)
            .and_then(|i| old.get(i))?;
        diff(&format!("consumers.{name}"), before, value, &mut settings);
    }
    for (name, value) in new_names.iter().zip(new).skip(kept.len()) {
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .and_then(ConsumerKind::parse)?;
        parts.push(format!("consumers.{}={}", escape(name), kind.as_str()));
        let base = serde_json::to_value(kind.new_consumer(name.to_string())).ok()?;
        diff(&format!("consumers.{name}"), &base, value, &mut settings);
    }
    parts.extend(settings);
    Some(parts)
}

/// Whether a part (`key`, its raw value) adds or removes a consumer rather than
/// setting something: the key is `consumers.NAME` and the value a kind or `removed`.
pub(super) fn is_structural(key: &str, raw: &str) -> bool {
    key.strip_prefix("consumers.")
        .is_some_and(|name| !name.contains('.'))
        && (raw == REMOVED || ConsumerKind::parse(raw).is_some())
}

/// Applies a structural part (see [`is_structural`]) to `config`.
pub(super) fn apply(config: &mut Config, key: &str, raw: &str) -> Result<(), ConfigError> {
    let name = key.strip_prefix("consumers.").unwrap_or(key);
    let at = config.consumers.iter().position(|c| c.name() == name);
    match (ConsumerKind::parse(raw), at) {
        (Some(kind), None) => {
            config.consumers.push(kind.new_consumer(name.to_string()));
            Ok(())
        }
        (Some(_), Some(_)) => Err(ConfigError::new(
            key,
            format!("a consumer called {name:?} is already there; a new one needs a new name"),
        )),
        (None, Some(i)) => {
            config.consumers.remove(i);
            Ok(())
        }
        (None, None) => Err(ConfigError::new(
            key,
            format!("nothing is named {key:?} to remove"),
        )),
    }
}
