//! The pure simulation of a Kinesis data stream.
//!
//! Nothing in this module reads a clock, touches the DOM or draws: it turns
//! settings into numbers, one fixed simulated tick at a time, so the same code
//! runs in native tests, in benchmarks and in the browser.

pub mod aggregation;
pub mod alarm;
pub mod carry;
pub mod cloudwatch;
pub mod config;
pub mod consumer;
pub mod cost;
pub mod diagnosis;
pub mod error;
pub mod kcl;
pub mod lambda;
pub mod log;
pub mod md5;
pub mod metrics;
pub mod order;
pub mod path;
pub mod producer;
pub(crate) mod ratio;
pub mod reads;
pub mod rng;
pub mod routing;
pub mod series;
pub mod shard_history;
pub mod shard_metrics;
pub mod sim;
pub mod store;

pub use config::{
    Config, ConsumerConfig, FanOut, Fault, FaultAction, KclConfig, LambdaConfig, OnFailure,
    ProducerConfig, Shape,
};
pub use error::ConfigError;
pub use metrics::{TickMetrics, Totals};
pub use sim::{ConsumerReport, FaultSpan, Simulation};
