//! Helpers shared by the native model tests and the browser tests. The random config
//! generator, `gen.rs`, lives beside them but is compiled only into the property tests.
#![allow(dead_code)]

pub mod watch;

use kinesis_playground::model::store::SeriesStore;
use kinesis_playground::model::{Config, ConsumerReport, Simulation, TickMetrics};

/// The fixed run whose metrics digest is pinned natively and in the browser.
pub fn golden_config() -> Config {
    let json = r#"{
        "seed": 7,
        "stream": {"shards": 3, "retention_hours": 24},
        "producers": [{"name": "p", "instances": 3, "records_per_sec": 900, "record_bytes": 700,
                       "distinct_keys": 200, "key_skew": 1.1,
                       "shape": {"type": "surge", "every_s": 600, "duration_s": 120, "multiplier": 2}}],
        "consumers": [
            {"type": "lambda", "name": "fn", "error_rate": 0.05, "bisect_on_error": true,
             "max_retry_attempts": 3, "parallelization_factor": 2},
            {"type": "kcl", "name": "ecs", "tasks": 2, "records_per_sec_per_task": 900}
        ],
        "events": [{"at_s": 1800, "set": {"stream.shards": 5}}]
    }"#;
    Config::from_json(json).expect("the golden config is valid")
}

/// FNV-1a, eight bytes at a time.
struct Fnv(u64);

impl Fnv {
    fn eat(&mut self, v: u64) {
        for b in v.to_le_bytes() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Two checksums of a run, one over its counters and one over its fractional series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    /// Every tick's counters, ages and concurrencies ([`digest`]).
    pub metrics: u64,
    /// Every tick's floating-point series, bit for bit: each open shard's write
    /// utilisation, the highest of them, the spend so far and the cost rate, by line item.
    pub floats: u64,
}

/// The digests of `seconds` of `config`; `between` may act on the simulation before each
/// tick (an edit, say).
pub fn digests(config: Config, seconds: u64, mut between: impl FnMut(&mut Simulation)) -> Digests {
    let mut sim = Simulation::new(config).expect("valid config");
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    let mut floats = Fnv(0xcbf2_9ce4_8422_2325);
    while sim.now_ms() < seconds * 1_000 {
        between(&mut sim);
        sim.step();
        let m = sim.metrics();
        eat_metrics(&mut hash, m);
        for u in sim.shard_utilisation() {
            floats.eat(u.to_bits());
        }
        floats.eat(m.max_shard_utilisation.to_bits());
        for s in [sim.spend(), sim.cost_per_hour()] {
            for v in s.items() {
                floats.eat(v.to_bits());
            }
        }
    }
    Digests {
        metrics: hash.0,
        floats: floats.0,
    }
}

/// Adds one tick's counters, ages and concurrencies to `hash`.
fn eat_metrics(hash: &mut Fnv, m: &TickMetrics) {
    for v in [
        m.t_ms,
        m.incoming_records,
        m.incoming_bytes,
        m.write_throttled,
        m.dropped_by_producer,
        m.pending_retry,
        m.read_throttled,
        m.iterator_age_ms,
        u64::from(m.open_shards),
    ] {
        hash.eat(v);
    }
    for c in &m.consumers {
        for v in [
            c.processed,
            c.expired,
            c.skipped,
            c.iterator_age_ms,
            c.behind,
        ] {
            hash.eat(v);
        }
        hash.eat(u64::from(c.concurrency) << 32 | u64::from(c.errors));
    }
}

/// [`digest`] of the same run with [`Simulation::run_ticks`], which replays the quiet
/// stretches it finds instead of stepping through them, and how many ticks it replayed.
pub fn replayed_digest(config: Config, seconds: u64) -> (u64, u64) {
    let mut sim = Simulation::new(config).expect("valid config");
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    let ticks = (seconds * 1_000).div_ceil(u64::from(sim.config().tick_s) * 1_000);
    sim.run_ticks(ticks, |m, _| eat_metrics(&mut hash, m));
    (hash.0, sim.replayed_ticks())
}

/// FNV-1a over every tick's metrics of `seconds` of `config`.
pub fn digest(config: Config, seconds: u64) -> u64 {
    digests(config, seconds, |_| {}).metrics
}

/// Seconds of the golden run.
pub const GOLDEN_SECONDS: u64 = 3_600;

/// Digest of the golden run, the same natively and in the browser.
pub const GOLDEN: u64 = 0x6ea3_7962_3e6d_dd13;

/// Digest of the golden run's floating-point series ([`Digests::floats`]).
pub const GOLDEN_FLOATS: u64 = 0x20be_bd1b_1cb2_12b8;

/// The ledger of the consumer called `name`; the test fails without one.
pub fn report(sim: &Simulation, name: &str) -> ConsumerReport {
    sim.ledgers()
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no consumer {name}"))
}

/// One throttled shard; at 300 s an event replaces Lambda consumer "a" by KCL consumer
/// "b" and removes producer "p" while it holds retries.
pub const REPLACED: &str = r#"{
    "stream": {"shards": 1},
    "producers": [{"name": "p", "records_per_sec": 3000, "retry": {"max_attempts": 10}},
                  {"name": "q", "records_per_sec": 100}],
    "consumers": [{"type": "lambda", "name": "a"}],
    "events": [{"at_s": 300, "set": {
        "consumers": [{"type": "kcl", "name": "b", "tasks": 1}],
        "producers": [{"name": "q", "records_per_sec": 100}]}}]
}"#;

/// Ten minutes of one shard in which an event at 300 s replaces Lambda consumer "a" by
/// "b" while KCL consumer "c" stays (first in the list before, last after), with the
/// history the page keeps of it (`c` and `a` at the start).
pub fn replaced_consumer_run() -> (Simulation, SeriesStore) {
    let config = Config::from_json(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
            "consumers": [{"type": "kcl", "name": "c", "tasks": 1},
                          {"type": "lambda", "name": "a"}],
            "events": [{"at_s": 300, "set": {"consumers": [
                {"type": "lambda", "name": "b"}, {"type": "kcl", "name": "c", "tasks": 1}]}}]}"#,
    )
    .expect("valid");
    let mut sim = Simulation::new(config).expect("valid");
    let mut store = SeriesStore::new(&["c".to_string(), "a".to_string()], 1_000);
    for _ in 0..600 {
        sim.step();
        let names = sim.config().consumers.iter().map(|c| c.name());
        store.add_named(sim.metrics(), names);
    }
    (sim, store)
}

/// A clock for `App::advance`: no time spent for its first `free` looks, `spent_ms`
/// from then on; counts its looks.
pub struct LookingClock {
    looks: std::cell::Cell<u32>,
    free: u32,
    spent_ms: f64,
}

impl LookingClock {
    /// A clock that reads 0 for `free` looks, then `spent_ms`.
    pub fn spent_after(free: u32, spent_ms: f64) -> LookingClock {
        LookingClock {
            looks: std::cell::Cell::new(0),
            free,
            spent_ms,
        }
    }

    /// The time spent, as of this look.
    pub fn now(&self) -> f64 {
        self.looks.set(self.looks.get() + 1);
        if self.looks.get() > self.free {
            self.spent_ms
        } else {
            0.0
        }
    }

    /// Looks so far.
    pub fn looks(&self) -> u32 {
        self.looks.get()
    }
}
