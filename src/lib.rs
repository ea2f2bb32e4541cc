//! Kinesis Playground: a live, quantitative model of an Amazon Kinesis data stream.
//!
//! - [`model`] is the pure simulation: settings in, numbers out, one simulated tick at a time.
//! - [`chart`] draws the model's numbers through any plotters `DrawingBackend`.
//! - [`format`] writes numbers, times and rates for people (labels, summaries, diagnosis).
//! - `web` (wasm32 only) wires both to the page: controls, canvas and animation.

pub mod chart;
pub mod format;
pub mod model;

#[cfg(target_arch = "wasm32")]
pub mod web;
