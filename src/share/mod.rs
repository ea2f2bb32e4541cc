//! Getting a run in and out: the URL codec, the series as CSV (one writer for the
//! command line and the page) and the JSON report.
//!
//! Everything here reads the model; the model never reads this module.

pub mod csv;
pub mod report;
pub mod url;
