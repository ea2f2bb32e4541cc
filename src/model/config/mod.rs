//! The one configuration type: JSON in, validated settings out.
//!
//! Every numeric setting's allowed values, unit and default are in one place, the
//! settings table ([`fields::FIELDS`]); the field comments below say what each setting
//! means, not its range.
//!
//! The same type serves the command line, the page, the URL and the presets. Every
//! field has a documented unit and default; omitted fields take their defaults and
//! unknown fields are an error. [`Config::validate`] names the field path and the
//! allowed range of the first value that is out of bounds.

use serde::Serialize;

use super::error::ConfigError;

mod account;
mod consumer;
mod events;
pub mod fields;
mod json;
mod producer;
mod read;
mod stream;
mod validate;

pub use account::AccountConfig;
pub use consumer::{
    AutoscalingConfig, ConsumerConfig, ConsumerKind, FanOut, KclConfig, LambdaConfig, OnFailure,
};
pub use events::{Fault, FaultAction, ScriptedEvent, FAULT_MAX_S, FAULT_MIN_S};
pub use json::syntax as json_value;
use json::{json_kind, syntax};
pub use producer::{longest_key_bytes, ProducerConfig, RetryConfig, Shape};
pub(crate) use read::typed;
pub use stream::{CapacityMode, StreamConfig};

/// Everything the simulation needs: the stream, its producers and consumers, and
/// scripted changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    /// Seed of every random draw (Lambda function errors, poison records, the order
    /// consumers read in each tick). Same seed, same run.
    pub seed: u64,
    /// Simulated seconds per tick: 1, 2, 3, 4, 5, 6 or 10 (a divisor of a minute, so
    /// per-minute metrics and autoscaling line up). Larger ticks run faster and blur
    /// sub-tick detail.
    pub tick_s: u32,
    /// The stream's shards and retention.
    pub stream: StreamConfig,
    /// Limits of the AWS account the consumers run in.
    pub account: AccountConfig,
    /// Applications writing to the stream.
    pub producers: Vec<ProducerConfig>,
    /// Applications reading the stream; each one reads every shard.
    pub consumers: Vec<ConsumerConfig>,
    /// Changes applied at given simulated times.
    pub events: Vec<ScriptedEvent>,
}

read::settings!(Config {
    seed,
    tick_s,
    stream,
    account,
    producers,
    consumers,
    events,
});

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 1,
            tick_s: 1,
            stream: StreamConfig::default(),
            account: AccountConfig::default(),
            producers: vec![ProducerConfig {
                instances: 4,
                records_per_sec: 250.0,
                ..ProducerConfig::default()
            }],
            consumers: vec![ConsumerConfig::Lambda(LambdaConfig::default())],
            events: Vec::new(),
        }
    }
}

/// Concurrent executions every Lambda function must leave unreserved in the account.
pub const UNRESERVED_MIN: u32 = 100;
/// Enhanced fan-out consumers one stream may register.
pub const MAX_EFO_CONSUMERS: usize = 20;
/// Enhanced fan-out consumers one stream may register under On-demand Advantage.
pub const MAX_EFO_CONSUMERS_ADVANTAGE: usize = 50;

impl Config {
    /// Concurrent executions Lambda function `l` may run at all: its reserved
    /// concurrency, else what the reservations of all functions leave of the account.
    pub fn lambda_execution_limit(&self, l: &LambdaConfig) -> u32 {
        l.reserved_concurrency
            .unwrap_or_else(|| self.unreserved_concurrency())
    }

    /// The account's concurrency that no function has reserved (shared by the others).
    pub fn unreserved_concurrency(&self) -> u32 {
        self.account
            .lambda_concurrency
            .saturating_sub(self.reserved_concurrency())
    }

    /// Sum of every Lambda function's reserved concurrency.
    fn reserved_concurrency(&self) -> u32 {
        self.consumers
            .iter()
            .filter_map(|c| match c {
                ConsumerConfig::Lambda(l) => l.reserved_concurrency,
                ConsumerConfig::Kcl(_) => None,
            })
            .fold(0, u32::saturating_add)
    }

    /// Most concurrent executions of function `l` on a stream of `shards` open shards:
    /// shards × parallelization factor, within [`Config::lambda_execution_limit`]
    /// (unreserved functions may also find the shared pool used by others).
    pub fn lambda_concurrency_cap(&self, l: &LambdaConfig, shards: u32) -> u32 {
        (shards * l.parallelization_factor).min(self.lambda_execution_limit(l))
    }

    /// Parses JSON into a validated config. The text is one JSON object (a leading UTF-8
    /// byte-order mark is skipped); every setting that is an object in the config is an
    /// object in the text too.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value = syntax(text)?;
        if !value.is_object() {
            return Err(ConfigError::parse(format!(
                "a config is a JSON object ({{...}}), not {}",
                json_kind(&value)
            )));
        }
        let config: Config = typed(&value)?;
        config.validate()?;
        Ok(config)
    }

    /// The config as pretty-printed JSON. (Through a `Value`, as every other
    /// serialisation of the config goes: the page's module then carries one copy of it.)
    pub fn to_json(&self) -> String {
        serde_json::to_value(self)
            .and_then(|v| serde_json::to_string_pretty(&v))
            .unwrap_or_default()
    }

    /// Checks every field and every scripted event; the error names the first bad one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_fields()?;
        self.validate_events()
    }
}
