//! The run in one paragraph: the key numbers now, for screen readers.

use crate::format::{count, day_clock, duration_ms, thousands};
use crate::model::Simulation;

/// The stream's sentence (time, shards, incoming and throttled rates, producer drops)
/// followed by one sentence per consumer that ever ran (iterator age, expired, skipped).
pub fn summary(sim: &Simulation) -> String {
    let m = sim.metrics();
    let t = sim.totals();
    let tick_s = f64::from(sim.config().tick_s);
    let shards = u64::from(sim.open_shards());
    let per_s = |n: u64| (n as f64 / tick_s) as u64;
    let mut parts = vec![format!(
        "At {}, {} {} {} records/s and {} {}; producers dropped {} so far.",
        day_clock(sim.now_ms() / 1_000),
        count(shards, "shard", "shards"),
        if shards == 1 { "takes" } else { "take" },
        thousands(per_s(m.incoming_records)),
        if shards == 1 { "throttles" } else { "throttle" },
        count(per_s(m.write_throttled), "record/s", "records/s"),
        count(t.dropped_by_producer, "record", "records"),
    )];
    for r in sim.ledgers() {
        parts.push(format!(
            "{}: iterator age {}, {} expired, {} skipped.",
            r.name,
            duration_ms(r.final_iterator_age_ms as f64),
            count(r.ledger.expired, "record", "records"),
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
            "At day 1 · 00:00:00, 2 shards take 0 records/s and throttle 0 records/s; \
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
            "At day 1 · 00:01:00, 2 shards take 1,000 records/s and throttle 0 records/s; \
             producers dropped 0 records so far. \
             lambda: iterator age 0 ms, 0 records expired, 0 skipped."
        );
    }

    #[test]
    fn one_shard_and_one_record_are_singular() {
        let mut config = Config::default();
        config.stream.shards = 1;
        let sim = Simulation::new(config).expect("valid");
        let text = summary(&sim);
        assert!(text.contains(", 1 shard takes 0 records/s and"), "{text}");
        assert!(!text.contains("1 shards"), "{text}");
    }

    #[test]
    fn one_throttled_record_a_second_is_singular() {
        // 1,001 records/s offered to one shard that takes 1,000: one is throttled each
        // second and, with no room to hold it for a retry, dropped.
        let config = Config::from_json(
            r#"{"stream": {"shards": 1},
                "producers": [{"name": "p", "instances": 1, "records_per_sec": 1001,
                               "buffer_records": 0}],
                "consumers": []}"#,
        )
        .expect("valid");
        let mut sim = Simulation::new(config).expect("valid");
        sim.run_for(10);
        assert_eq!(
            summary(&sim),
            "At day 1 · 00:00:10, 1 shard takes 1,000 records/s and throttles 1 record/s; \
             producers dropped 10 records so far."
        );
    }
}
