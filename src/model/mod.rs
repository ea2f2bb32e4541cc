//! The pure simulation of a Kinesis data stream.
//!
//! Nothing in this module reads a clock, touches the DOM or draws: it turns
//! settings into numbers, one fixed simulated tick at a time, so the same code
//! runs in native tests, in benchmarks and in the browser.

pub mod write;

pub use write::{OneShardWrites, WriteLimit, WriteSample};
