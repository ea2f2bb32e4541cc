//! The engine's benchmark cases: configs that stand for real use, each in
//! `benches/configs/`, with the simulated time run once before measuring and the span
//! measured. Shared by the native benchmarks and the wasm speed report.
// Each benchmark and report that includes this file uses part of it.
#![allow(dead_code)]

use kinesis_playground::model::{Config, Simulation};

/// One benchmark case.
pub struct Case {
    /// Its name (and its config's file name without `.json`).
    pub name: &'static str,
    /// The config, as JSON.
    pub json: &'static str,
    /// Simulated seconds run once before measuring, so the span measured is the part
    /// the case is about (retries piled up, a backlog reaching its retention).
    pub warm_s: u64,
    /// Simulated seconds measured.
    pub span_s: u64,
}

/// The cases, in the order they are reported.
pub const CASES: [Case; 6] = [
    Case {
        name: "steady",
        json: include_str!("../configs/steady.json"),
        warm_s: 0,
        span_s: 3_600,
    },
    Case {
        name: "overload",
        json: include_str!("../configs/overload.json"),
        warm_s: 600,
        span_s: 1_800,
    },
    Case {
        name: "lagging",
        json: include_str!("../configs/lagging.json"),
        // The KCL application reads a tenth of what is written: its oldest record turns
        // 24 h old, the retention, about 26.1 simulated hours in, during the span.
        warm_s: 93_600,
        span_s: 1_800,
    },
    Case {
        name: "reshard",
        json: include_str!("../configs/reshard.json"),
        warm_s: 0,
        span_s: 3_600,
    },
    Case {
        name: "efo",
        json: include_str!("../configs/efo.json"),
        warm_s: 0,
        span_s: 600,
    },
    Case {
        name: "shards-1000",
        json: include_str!("../configs/shards-1000.json"),
        warm_s: 0,
        span_s: 360,
    },
];

impl Case {
    /// The case's config.
    pub fn config(&self) -> Config {
        match Config::from_json(self.json) {
            Ok(config) => config,
            Err(e) => panic!("benches/configs/{}.json: {e}", self.name),
        }
    }

    /// The simulation at the start of the measured span.
    pub fn warm(&self) -> Simulation {
        let mut sim = match Simulation::new(self.config()) {
            Ok(sim) => sim,
            Err(e) => panic!("benches/configs/{}.json: {e}", self.name),
        };
        steps(&mut sim, self.warm_s);
        sim
    }

    /// Open shard-seconds in the measured span (the shard count changes in `reshard`).
    pub fn shard_seconds(&self, warm: &Simulation) -> u64 {
        let mut sim = warm.clone();
        let tick_s = u64::from(sim.config().tick_s);
        let mut total = 0;
        for _ in 0..self.span_s / tick_s {
            sim.step();
            total += u64::from(sim.open_shards()) * tick_s;
        }
        total
    }
}

/// A simulated day, s.
pub const DAY_S: u64 = 86_400;
/// A simulated year, s.
pub const YEAR_S: u64 = 365 * DAY_S;

/// Open shard-seconds in `seconds` from `start` (the open shard count changes only
/// with a reshard, all of which the cases make in their first hour).
pub fn replayed_shard_seconds(start: &Simulation, seconds: u64) -> u64 {
    let mut sim = start.clone();
    let first_hour = seconds.min(3_600);
    let mut total = 0;
    let tick_s = u64::from(sim.config().tick_s);
    for _ in 0..first_hour / tick_s {
        sim.step();
        total += u64::from(sim.open_shards()) * tick_s;
    }
    total + u64::from(sim.open_shards()) * (seconds - first_hour)
}

/// Runs `seconds` of simulated time one fixed step at a time.
pub fn steps(sim: &mut Simulation, seconds: u64) {
    let tick_s = u64::from(sim.config().tick_s);
    for _ in 0..seconds / tick_s {
        sim.step();
    }
}
