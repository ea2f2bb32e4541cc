//! Kinesis Playground: a live, quantitative model of an Amazon Kinesis data stream.
//!
//! - [`model`] is the pure simulation: settings in, numbers out, one simulated tick at a time.
//! - [`teach`] says what the numbers mean, in English: diagnosis, lessons, summaries.
//! - [`share`] gets runs in and out: URL hash, CSV, JSON report.
//! - [`chart`] draws the model's numbers on any `chart::Surface` (a canvas, or SVG in tests).
//! - [`format`] writes numbers, times and rates for people (labels, summaries, diagnosis).
//! - [`playground`] is the page's logic without the browser: app, charts, controls.
//! - `web` (wasm32 only) binds the playground to the page: DOM, canvas and animation.

pub mod chart;
pub mod format;
pub mod model;
pub mod playground;
pub mod share;
pub mod teach;

#[cfg(target_arch = "wasm32")]
pub mod web;
