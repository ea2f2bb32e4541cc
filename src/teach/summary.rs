//! The run in one paragraph: the key numbers now, for screen readers.

use crate::format::{day_clock, duration_ms, thousands};
use crate::model::Simulation;

/// The stream's sentence (time, shards, incoming and throttled rates, producer drops)
/// followed by one sentence per consumer that ever ran (iterator age, expired, skipped).
pub fn summary(sim: &Simulation) -> String {
    let m = sim.metrics();
    let t = sim.totals();
    let tick_s = f64::from(sim.config().tick_s);
    let mut parts = vec![format!(
        "At {}, {} shards take {} records/s; {} records/s are throttled; producers dropped {} records so far.",
        day_clock(sim.now_ms() / 1_000),
        sim.open_shards(),
        thousands((m.incoming_records as f64 / tick_s) as u64),
        thousands((m.write_throttled as f64 / tick_s) as u64),
        thousands(t.dropped_by_producer),
    )];
    for r in sim.ledgers() {
        parts.push(format!(
            "{}: iterator age {}, {} records expired, {} skipped.",
            r.name,
            duration_ms(r.final_iterator_age_ms as f64),
            thousands(r.ledger.expired),
            thousands(r.ledger.skipped),
        ));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Config;

    #[test]
    fn a_new_run_says_nothing_happened_yet() {
        let sim = Simulation::new(Config::default()).expect("valid");
        assert_eq!(
            summary(&sim),
            "At day 1 · 00:00:00, 2 shards take 0 records/s; 0 records/s are throttled; \
             producers dropped 0 records so far. \
             lambda: iterator age 0 ms, 0 records expired, 0 skipped."
        );
    }

    #[test]
    fn the_default_run_after_a_minute() {
        let mut sim = Simulation::new(Config::default()).expect("valid");
        sim.run_for(60);
        // Four instances at 250 records/s each: 1,000 records/s on two shards.
        assert_eq!(
            summary(&sim),
            "At day 1 · 00:01:00, 2 shards take 1,000 records/s; 0 records/s are throttled; \
             producers dropped 0 records so far. \
             lambda: iterator age 0 ms, 0 records expired, 0 skipped."
        );
    }
}
