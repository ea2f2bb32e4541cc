//! Running a config with the diagnosis fed every tick, and reading what it says.

use kinesis_playground::model::diagnosis::{self, Finding};
use kinesis_playground::model::{Config, Simulation};
use kinesis_playground::teach::{diagnose, presets, Advice, Recent, Rule};

/// 3,000 records/s offered to 2 shards, no consumer.
pub const OVERLOAD: &str = r#"{"stream": {"shards": 2},
    "producers": [{"name": "p", "instances": 3, "records_per_sec": 1000, "distinct_keys": 1000}],
    "consumers": []}"#;

/// `config` run for `seconds`, with the recent past the diagnosis reads.
pub fn run_for(config: Config, seconds: u64) -> (Simulation, Recent) {
    let tick_s = u64::from(config.tick_s);
    let mut sim = Simulation::new(config).expect("valid");
    let mut recent = Recent::default();
    while sim.now_ms() < seconds * 1_000 {
        sim.step();
        recent.add(sim.metrics(), tick_s);
    }
    (sim, recent)
}

/// The diagnosis after `seconds` of the config.
pub fn run(config: Config, seconds: u64) -> Vec<Advice> {
    let (sim, recent) = run_for(config, seconds);
    diagnose(&sim, &recent)
}

/// The typed findings after `seconds` of the config.
pub fn typed(config: Config, seconds: u64) -> Vec<Finding> {
    let (sim, recent) = run_for(config, seconds);
    diagnosis::diagnose(&sim, &recent)
}

/// Runs `config` until `seconds`, diagnosing every `every_s` seconds from `from_s` on;
/// `check` sees the simulation and the diagnosis.
pub fn watch(
    config: Config,
    from_s: u64,
    seconds: u64,
    every_s: u64,
    mut check: impl FnMut(&Simulation, &[Advice]),
) {
    let tick_s = u64::from(config.tick_s);
    let mut sim = Simulation::new(config).expect("valid");
    let mut recent = Recent::default();
    while sim.now_ms() < seconds * 1_000 {
        sim.step();
        recent.add(sim.metrics(), tick_s);
        let t = sim.now_ms() / 1_000;
        if t >= from_s && (t - from_s).is_multiple_of(every_s) {
            check(&sim, &diagnose(&sim, &recent));
        }
    }
}

/// The config `text` describes.
pub fn json(text: &str) -> Config {
    Config::from_json(text).unwrap_or_else(|e| panic!("{e}"))
}

/// The config of preset `name`.
pub fn preset(name: &str) -> Config {
    presets::find(name).expect("preset").config
}

/// The rules that fired, in order.
pub fn rules(found: &[Advice]) -> Vec<Rule> {
    found.iter().map(|f| f.rule).collect()
}

/// The finding of `rule` in `found`, failing with every finding if there is none.
pub fn find(found: &[Advice], rule: Rule) -> Advice {
    found
        .iter()
        .find(|f| f.rule == rule)
        .cloned()
        .unwrap_or_else(|| panic!("{rule:?} did not fire: {found:#?}"))
}

/// The finding of `rule` after `seconds` of `config`.
pub fn fires(rule: Rule, config: Config, seconds: u64) -> Advice {
    find(&run(config, seconds), rule)
}

/// The typed finding of `rule` after `seconds` of `config`.
pub fn fires_typed(rule: Rule, config: Config, seconds: u64) -> Finding {
    let found = typed(config, seconds);
    found
        .iter()
        .find(|f| f.rule == rule)
        .cloned()
        .unwrap_or_else(|| panic!("{rule:?} did not fire: {found:#?}"))
}

/// Asserts that `rule` does not fire after `seconds` of `config`.
pub fn quiet(rule: Rule, config: Config, seconds: u64) {
    let found = run(config, seconds);
    assert!(!rules(&found).contains(&rule), "{rule:?} fired: {found:#?}");
}

/// The finding of `rule` about consumer `name`, failing with every finding if there is none.
pub fn about(found: &[Advice], rule: Rule, name: &str) -> Advice {
    found
        .iter()
        .find(|f| f.rule == rule && f.consumer.as_deref() == Some(name))
        .cloned()
        .unwrap_or_else(|| panic!("no {rule:?} about {name}: {found:#?}"))
}

/// Asserts that `found` does not call the stream healthy.
pub fn not_healthy(found: &[Advice]) {
    assert!(!rules(found).contains(&Rule::Healthy), "{found:#?}");
    assert!(
        found.iter().all(|f| !f.message.starts_with("Healthy")),
        "{found:#?}"
    );
}

/// Asserts that `message` holds every one of `parts`.
pub fn says(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{part:?} not in {message}");
    }
}

/// Whether a sentence of `message` advises more shards (and does not say they won't help).
pub fn advises_more_shards(message: &str) -> bool {
    message.split(['.', ';', ':']).any(|sentence| {
        let s = sentence.to_lowercase();
        let names = [
            "add shards",
            "add a shard",
            "adding shards",
            "more shards",
            "raise the target",
        ]
        .iter()
        .any(|p| s.contains(p));
        names && !s.contains(" not ") && !s.contains("won't")
    })
}

/// Whether `message` says more shards would not help.
pub fn rules_out_shards(message: &str) -> bool {
    let s = message.to_lowercase();
    s.contains("will not cool") || s.contains("does not cool") || s.contains("won't help")
}
