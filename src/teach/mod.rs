//! The words: everything the playground says to a person about a run.
//!
//! The model computes numbers and returns typed findings; this module turns them into
//! English — diagnosis sentences, the presets' lessons, reshard progress and the run's
//! summary. Nothing here changes a number.

pub mod alarms;
pub mod checkpoints;
pub mod diagnosis;
pub mod glossary;
pub mod presets;
pub mod reshard;
pub mod summary;

pub use crate::model::diagnosis::{Recent, Rule, Severity};
pub use diagnosis::{diagnose, Advice};
