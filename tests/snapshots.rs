//! Each preset's run summary after two simulated days, as readable snapshots in
//! `tests/snapshots/`: a change in the model shows as a diff of the numbers it moved.
//!
//! A mismatch fails (`make test` sets `INSTA_UPDATE=no`, so nothing is written); after a
//! change that is meant, `make snapshots` rewrites them for review in the diff.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::Simulation;
use kinesis_playground::share::report::summary;
use kinesis_playground::teach::presets;

/// Simulated time before each summary: two days, past scenario-1's first expiry.
const SECONDS: u64 = 2 * 86_400;

#[test]
fn each_preset_summary_after_two_days() {
    for p in presets::all() {
        let mut sim = Simulation::new(p.config.clone()).expect("a preset is valid");
        sim.run_for(SECONDS);
        let text = serde_json::to_string_pretty(&summary(&sim)).expect("JSON");
        insta::assert_snapshot!(p.name, text);
    }
}
