//! Each diagnosis rule fires on a config that shows its problem and stays quiet on one
//! that does not; what it says quotes the numbers of the run, and the typed findings
//! carry them.
#![cfg(not(target_arch = "wasm32"))]

mod aggregation;
mod consumers;
mod lambda;
mod support;
mod writes;
