//! Properties of every run, checked at every tick on random valid configs with edits
//! along the way (see `common/watch.rs` for the laws and `common/gen.rs` for the configs).
//!
//! `PROPTEST_CASES=N` sets the number of short runs (the long ones get a sixteenth of it),
//! `PROPTEST_RNG_SEED=S` draws other configs than the fixed default seed; `make soak`
//! runs many more. A failure prints the smallest config and edits that still fail.
#![cfg(not(target_arch = "wasm32"))]

mod common;
#[path = "common/edit.rs"]
mod edit;
#[path = "common/gen.rs"]
mod gen;

use common::watch::Watch;
use gen::{Case, TICKS};
use kinesis_playground::model::Simulation;
use proptest::prelude::*;

/// Short runs checked by default (`make test`).
const SHORT_CASES: u32 = 256;
/// The default seed, so that `make test` checks the same configs every time.
const SEED: u64 = 0x6b69_6e65_7369_7321;

/// The runner's settings (see [`gen::runner`]).
fn runner(share: u32) -> proptest::test_runner::Config {
    gen::runner(SHORT_CASES, share, SEED)
}

/// Runs `case`, applying its edits between ticks and checking every tick.
fn holds(case: &Case) -> Result<(), TestCaseError> {
    prop_assert!(
        case.config.validate().is_ok(),
        "drawn config invalid: {:?}",
        case.config.validate()
    );
    let mut sim = Simulation::new(case.config.clone())
        .map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
    let mut watch = Watch::new(&sim);
    let mut edits = case.edits.iter().peekable();
    let mut fresh = 0;
    for tick in 0..case.ticks {
        while let Some((_, edit)) = edits.next_if(|(at, _)| *at <= tick) {
            let next = edit.applied_to(sim.config(), &mut fresh);
            sim.apply(next)
                .map_err(|e| TestCaseError::fail(format!("{edit:?} refused: {e}")))?;
            watch.applied(&sim).map_err(TestCaseError::fail)?;
        }
        sim.step();
        watch.stepped(&sim).map_err(TestCaseError::fail)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(runner(1))]

    /// Up to two simulated hours at any tick, with scripted events and edits.
    #[test]
    fn ledgers_sums_ages_and_limits_hold_every_tick(
        case in gen::case(gen::config(&TICKS, 24..=72, 7_200), 60..=7_200, 24..=72)
    ) {
        holds(&case)?;
    }
}

proptest! {
    #![proptest_config(runner(16))]

    /// A day and more at long ticks, with a consumer that falls behind for good:
    /// retention removes records, unread ones expire, and edits come at any time.
    #[test]
    fn the_laws_hold_past_the_retention(
        case in gen::case(
            gen::with_laggard(gen::config(&[5, 6, 10], 24..=26, 28 * 3_600)),
            26 * 3_600..=28 * 3_600,
            24..=26,
        )
    ) {
        holds(&case)?;
    }
}
