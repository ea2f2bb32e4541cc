//! Getting a run in and out: the URL codec and the JSON report.
//!
//! Everything here reads the model; the model never reads this module.

pub mod report;
pub mod url;
