//! The words: everything the playground says to a person about a run.
//!
//! The model computes numbers and returns typed findings; this module turns them into
//! English — diagnosis sentences, the presets' lessons, reshard progress and the run's
//! summary. Nothing here changes a number.

pub mod summary;
