//! CloudWatch alarms: AWS's evaluation tables row by row (`aws_table`), alarms on runs
//! with transition times in closed form (`runs`), and the losses no alarm caught
//! (`coverage`).
#![cfg(not(target_arch = "wasm32"))]

mod aws_table;
mod coverage;
mod runs;

use kinesis_playground::model::alarm::{AlarmSet, AlarmSpec, AlarmState};
use kinesis_playground::model::{Config, Simulation};

/// A run of `json` for `seconds` with `specs` evaluated on every tick.
pub fn run(json: &str, specs: &[&str], seconds: u64) -> (Simulation, AlarmSet) {
    let config = Config::from_json(json).unwrap_or_else(|e| panic!("{e}"));
    let specs = specs
        .iter()
        .map(|s| {
            s.parse::<AlarmSpec>()
                .unwrap_or_else(|e| panic!("{s}: {e}"))
        })
        .collect();
    run_specs(config, specs, seconds)
}

/// Like [`run`], with parsed specs and config.
pub fn run_specs(config: Config, specs: Vec<AlarmSpec>, seconds: u64) -> (Simulation, AlarmSet) {
    let names: Vec<String> = config
        .consumers
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let tick_s = u64::from(config.tick_s);
    let mut sim = Simulation::new(config).unwrap_or_else(|e| panic!("{e}"));
    let mut set = AlarmSet::new(specs, &names);
    for _ in 0..seconds / tick_s {
        sim.step();
        let names = sim.config().consumers.iter().map(|c| c.name());
        set.add(sim.metrics(), names);
    }
    (sim, set)
}

/// Alarm `i`'s transitions as (time s, from, to).
pub fn changes(set: &AlarmSet, i: usize) -> Vec<(u64, AlarmState, AlarmState)> {
    set.alarms()[i]
        .transitions()
        .map(|t| (t.t_ms / 1_000, t.from, t.to))
        .collect()
}
