//! Getting a run in and out: the URL codec, the series as CSV (one writer for the
//! command line and the page), the metrics as CloudWatch would show them (long CSV,
//! one row per datapoint) and the JSON report.
//!
//! Everything here reads the model; the model never reads this module.

pub mod cloudwatch;
pub mod csv;
pub mod report;
pub mod url;
