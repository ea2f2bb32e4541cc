//! The error every config door reports: which field, and what is allowed.

use std::fmt;

use crate::format::thousands;

/// A rejected config: the dotted path of the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Dotted path of the field, e.g. `stream.shards` or `consumers.ecs.tasks`;
    /// empty when the input could not be parsed at all.
    pub path: String,
    /// What is wrong, e.g. `0 is not accepted: it takes a whole number from 1 to 10,000`.
    pub message: String,
}

impl ConfigError {
    /// An error about the field at `path`.
    pub fn new(path: &str, message: String) -> Self {
        ConfigError {
            path: path.to_string(),
            message,
        }
    }

    /// `path: value is not accepted: it takes a whole number from lo to hi`, the
    /// numbers with thousands separators.
    pub fn range(path: &str, value: u64, lo: u64, hi: u64) -> Self {
        let [value, lo, hi] = [value, lo, hi].map(thousands);
        ConfigError::new(
            path,
            format!("{value} is not accepted: it takes a whole number from {lo} to {hi}"),
        )
    }

    /// Input that is not a well-formed config (bad JSON, unknown or mistyped field).
    pub fn parse(message: String) -> Self {
        ConfigError {
            path: String::new(),
            message,
        }
    }

    /// The same error reported inside `outer` (e.g. an event's `set`).
    pub fn under(self, outer: &str) -> Self {
        let path = if self.path.is_empty() {
            outer.to_string()
        } else {
            format!("{outer}.{}", self.path)
        };
        ConfigError { path, ..self }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}
