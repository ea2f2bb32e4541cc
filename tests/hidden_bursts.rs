//! Producers that flush in batches ("Throttled, but the graphs look fine"): the write
//! limit is 1,000 records per shard in each second, CloudWatch's datapoints are a minute
//! long, and IncomingRecords counts only accepted records. So a minute's Sum of
//! IncomingRecords (the per-second series summed over the minute) stays far under
//! 60,000 × shards while WriteProvisionedThroughputExceeded is counted in that same
//! minute, because the seconds of a flush offer more than 1,000 × shards.
//!
//! Closed forms, for a flush of `F` records to `S` shards that each take `C` = 1,000 a
//! second, nothing else written between flushes, and the retry delays of the config
//! (base 1 s: a record refused once is due the next second, refused twice it is spread
//! over the next two). When each shard's share `Fₛ` of a flush is between `2C` and
//! `4C`, a shard takes `C` in the flush second, `C` of the `Fₛ − C` resent the next
//! second, and the last `Fₛ − 2C` over the two seconds after: it refuses
//! `(Fₛ − C) + (Fₛ − 2C)`, so the stream refuses `2F − 3CS` per flush. When `Fₛ` is
//! between `C` and `2C`, the resend of the next second lands whole: `F − CS` refused.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::diagnosis::{self, Cause};
use kinesis_playground::model::{Config, Shape, Simulation};
use kinesis_playground::teach::{presets, Recent};

/// Records one shard accepts in a second.
const C: u64 = 1_000;

/// A batching producer setting: shards, instances × records/s each, seconds between
/// flushes, and the tick.
#[derive(Debug, Clone, Copy)]
struct Setting {
    shards: u32,
    instances: u32,
    rate: f64,
    every_s: u32,
    tick_s: u32,
}

impl Setting {
    /// Records of one flush, all instances together.
    fn flush(self) -> u64 {
        (f64::from(self.instances) * self.rate * f64::from(self.every_s)) as u64
    }

    /// Mean records/s offered.
    fn mean(self) -> u64 {
        (f64::from(self.instances) * self.rate) as u64
    }

    /// Flushes in a minute (every setting here divides a minute).
    fn flushes_per_minute(self) -> u64 {
        60 / u64::from(self.every_s)
    }

    /// Records the stream refuses per flush, from the closed forms above.
    fn refused_per_flush(self) -> u64 {
        let (f, cs) = (self.flush(), C * u64::from(self.shards));
        if f >= 2 * cs {
            2 * f - 3 * cs
        } else {
            f - cs
        }
    }
}

/// The preset: 4 agents × 325 records/s flushing every 5 s into 2 shards.
const PRESET: Setting = Setting {
    shards: 2,
    instances: 4,
    rate: 325.0,
    every_s: 5,
    tick_s: 1,
};

/// Other settings teams run: the preset at a 5 s tick; smaller batches every 3 s (each
/// shard's share under 2,000, so one resend lands it); 3 shards, a flush every 10 s, at
/// a 5 s tick.
const OTHERS: [Setting; 3] = [
    Setting {
        tick_s: 5,
        ..PRESET
    },
    Setting {
        shards: 2,
        instances: 4,
        rate: 250.0,
        every_s: 3,
        tick_s: 1,
    },
    Setting {
        shards: 3,
        instances: 6,
        rate: 160.0,
        every_s: 10,
        tick_s: 5,
    },
];

/// The preset's config with `s`'s numbers.
fn config(s: Setting) -> Config {
    let mut c = presets::find("hidden-bursts").expect("preset").config;
    c.stream.shards = s.shards;
    c.tick_s = s.tick_s;
    let p = &mut c.producers[0];
    p.instances = s.instances;
    p.records_per_sec = s.rate;
    p.shape = Shape::Batches {
        flush_every_s: s.every_s,
    };
    c.validate().expect("valid");
    c
}

/// One minute's Sums: (IncomingRecords, WriteProvisionedThroughputExceeded, dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Minute {
    incoming: u64,
    throttled: u64,
    dropped: u64,
}

/// `config` run for `minutes` whole minutes: each minute's Sums, and the simulation.
fn minutes(config: Config, minutes: u64) -> (Vec<Minute>, Simulation) {
    let per_minute = 60 / u64::from(config.tick_s);
    let mut sim = Simulation::new(config).expect("valid");
    let mut out = Vec::new();
    for _ in 0..minutes {
        let mut m = Minute::default();
        for _ in 0..per_minute {
            sim.step();
            let t = sim.metrics();
            m.incoming += t.incoming_records;
            m.throttled += t.write_throttled;
            m.dropped += t.dropped_by_producer;
        }
        out.push(m);
    }
    (out, sim)
}

/// Asserts `got` is within `tolerance` of `want`.
fn near(what: &str, got: u64, want: u64, tolerance: u64) {
    assert!(
        got.abs_diff(want) <= tolerance,
        "{what}: {got}, want {want}"
    );
}

#[test]
fn each_minute_sums_far_under_the_limit_while_its_seconds_are_throttled() {
    for s in std::iter::once(PRESET).chain(OTHERS) {
        let what = format!("{s:?}");
        let shards = u64::from(s.shards);
        let (mins, _) = minutes(config(s), 10);
        for (i, m) in mins.iter().enumerate() {
            let what = format!("{what}, minute {}", i + 1);
            // Every record offered in the minute lands in it: 60 × the mean rate (the
            // fractional carry of each shard's share moves at most one record a shard).
            near(&what, m.incoming, 60 * s.mean(), shards);
            assert!(m.incoming * 10 < 60_000 * shards * 7, "{what}: {m:?}");
            assert!(m.throttled > 0, "{what}: {m:?}");
            near(
                &what,
                m.throttled,
                s.flushes_per_minute() * s.refused_per_flush(),
                2 * shards,
            );
            assert_eq!(m.dropped, 0, "{what}");
        }
    }
    // The preset's own numbers, as its lesson quotes them.
    let (mins, _) = minutes(config(PRESET), 3);
    near("preset incoming", mins[2].incoming, 78_000, 2);
    near("preset refused", mins[2].throttled, 84_000, 4);
}

#[test]
fn a_flush_second_offers_more_than_the_shards_take_and_they_take_their_limit() {
    for s in [PRESET, OTHERS[1]] {
        let cs = C * u64::from(s.shards);
        assert!(s.flush() > cs, "{s:?}");
        let mut sim = Simulation::new(config(s)).expect("valid");
        for second in 0..120u64 {
            sim.step();
            let t = sim.metrics();
            let offered = t.incoming_records + t.write_throttled;
            if second % u64::from(s.every_s) == 0 {
                // The flush second: every shard at its limit, the rest refused.
                assert_eq!(t.incoming_records, cs, "{s:?} at {second} s");
                near(&format!("{s:?} at {second} s"), offered, s.flush(), 1);
                assert!(t.max_shard_utilisation >= 1.0, "{s:?} at {second} s");
            } else {
                // Between flushes only resent records, never more than a flush.
                assert!(
                    t.produced == 0 && offered < s.flush(),
                    "{s:?} at {second} s"
                );
            }
        }
    }
}

#[test]
fn the_mean_accepted_rate_is_the_mean_offered_and_the_tick_changes_no_minute() {
    for s in std::iter::once(PRESET).chain(OTHERS) {
        let (_, sim) = minutes(config(s), 10);
        let t = sim.totals();
        // Whole minutes end with every flush landed: nothing waits, nothing dropped.
        assert_eq!(sim.pending_retry(), 0, "{s:?}");
        assert_eq!(
            (t.accepted, t.dropped_by_producer),
            (t.produced, 0),
            "{s:?}"
        );
        near(
            &format!("{s:?}"),
            t.accepted,
            600 * s.mean(),
            u64::from(s.shards),
        );
    }
    // The preset at a 5 s tick gives the same minutes, record for record.
    let (fine, _) = minutes(config(PRESET), 10);
    let (coarse, _) = minutes(config(OTHERS[0]), 10);
    assert_eq!(fine, coarse);
}

#[test]
fn sending_continuously_removes_every_refusal_at_the_same_minute_sums() {
    let p = presets::find("hidden-bursts").expect("preset");
    for tick_s in [1, 5] {
        let mut fixed = p.fixed(&p.config).expect("the fix applies");
        fixed.tick_s = tick_s;
        assert_eq!(fixed.producers[0].shape, Shape::Constant);
        let (mins, sim) = minutes(fixed, 10);
        assert_eq!(sim.totals().throttled, 0, "tick {tick_s}");
        for m in &mins[1..] {
            near("fixed minute", m.incoming, 78_000, 2);
        }
    }
    // Fixed in the middle of a run, right after a flush: its resent records meet the
    // steady traffic and are refused for a few seconds, but all of them land.
    let mut sim = Simulation::new(p.config.clone()).expect("valid");
    sim.run_for(61);
    sim.apply(p.fixed(&p.config).expect("fix"))
        .expect("applies");
    let before = sim.totals().throttled;
    sim.run_for(20);
    assert!(sim.totals().throttled > before);
    sim.run_for(600);
    let t = sim.totals();
    assert_eq!(t.dropped_by_producer, 0);
    let last = t.throttled;
    sim.run_for(600);
    assert_eq!(
        sim.totals().throttled,
        last,
        "no refusal once the resends landed"
    );
}

#[test]
fn with_three_attempts_a_flush_every_10_s_drops_records_and_the_minute_looks_lower() {
    // 13,000 records a flush: each shard takes 1,000, then 1,000 of the resend, then
    // 1,000 a second of the last attempts spread over two seconds: 4,000 a shard land and
    // the remaining 5,000 are dropped, while the minute's IncomingRecords, 6 × 8,000,
    // is lower than the steady 78,000.
    let s = Setting {
        every_s: 10,
        ..PRESET
    };
    let mut c = config(s);
    c.producers[0].retry.max_attempts = 3;
    let (mins, _) = minutes(c, 5);
    for m in &mins {
        near("dropped", m.dropped, 6 * (s.flush() - 4 * C * 2), 12);
        near("incoming", m.incoming, 6 * 4 * C * 2, 12);
    }
    assert_eq!(s.flush(), 13_000);
    assert_eq!(mins[1].incoming, 48_000);
}

#[test]
fn the_diagnosis_sees_the_same_mean_and_flush_at_any_tick() {
    for tick_s in [1, 5] {
        let s = Setting { tick_s, ..PRESET };
        let mut sim = Simulation::new(config(s)).expect("valid");
        let mut recent = Recent::default();
        while sim.now_ms() < 300_000 {
            sim.step();
            recent.add(sim.metrics(), u64::from(tick_s));
        }
        let found = diagnosis::diagnose(&sim, &recent);
        let Some(Cause::ThrottledNow(now)) = found.first().map(|f| &f.cause) else {
            panic!("tick {tick_s}: {found:#?}");
        };
        // A mean of 1,300 records/s, 6,500 in a flush second: 7 shards would take it.
        assert_eq!(now.offered.records_per_s, s.mean() as f64, "tick {tick_s}");
        assert_eq!(
            now.offered.peak_records_per_s,
            s.flush() as f64,
            "tick {tick_s}"
        );
        assert_eq!(now.sizing.needed_shards, 7, "tick {tick_s}");
        near("refused in the last minute", now.throttled, 84_000, 4);
    }
}

#[test]
fn only_seven_shards_take_a_flush_second_whole() {
    // 6,500 records in one second need 6.5 shards' worth of limit: 7 shards take every
    // flush at once, 3 (one more than the preset) still refuse most of it.
    let mut seven = config(PRESET);
    seven.stream.shards = 7;
    let (mins, _) = minutes(seven, 5);
    assert!(mins.iter().all(|m| m.throttled == 0), "{mins:?}");
    let three = Setting {
        shards: 3,
        ..PRESET
    };
    let (mins, _) = minutes(config(three), 5);
    for m in &mins {
        near("3 shards", m.throttled, 12 * three.refused_per_flush(), 6);
    }
    assert_eq!(three.refused_per_flush(), 4_000);
}
