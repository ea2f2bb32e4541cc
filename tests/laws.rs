//! Laws: a config, the closed-form number it must produce, and how close the model must
//! come. Each file in `tests/laws/` holds a list of laws; every law runs at each tick
//! length it names (by default 1 s and 10 s).
//!
//! A law measures one number over a window after a warm-up:
//! - `rate:/pointer` — growth per second of a run-summary number over the window;
//! - `value:/pointer` — a run-summary number at the end;
//! - `tick_rate:/pointer`, `tick_mean:/pointer`, `tick_min:/pointer`, `tick_max:/pointer`
//!   — a per-tick metric summed per second, averaged, or its extremes over the window.
//!
//! Pointers are JSON pointers into the run summary (`report::summary`) or into one
//! tick's metrics, with consumers addressed by name (`/consumers/ecs/processed`).
//! A law with `refuse` instead states that validation rejects the config with a
//! message containing that text.

use kinesis_playground::model::{Config, Simulation};
use kinesis_playground::share::report::summary;
use serde::Deserialize;
use serde_json::Value;

/// One law as written in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Law {
    name: String,
    /// How the expected number follows from the documented limits.
    why: String,
    config: Value,
    #[serde(default)]
    refuse: Option<String>,
    #[serde(default = "default_ticks")]
    ticks: Vec<u32>,
    #[serde(default)]
    warm_s: u64,
    #[serde(default)]
    window_s: u64,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    expect: f64,
    /// Allowed relative error (0.01 = 1 %).
    #[serde(default)]
    tol: f64,
    /// Allowed absolute error (added to the relative one).
    #[serde(default)]
    abs: f64,
}

fn default_ticks() -> Vec<u32> {
    vec![1, 10]
}

/// The consumers array of a summary or tick, keyed by consumer name instead of index.
fn by_name(mut v: Value, names: &[String]) -> Value {
    if let Some(list) = v.get_mut("consumers").and_then(Value::as_array_mut) {
        let mut map = serde_json::Map::new();
        for (i, item) in list.drain(..).enumerate() {
            let name = item
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| names.get(i).cloned())
                .unwrap_or_else(|| i.to_string());
            map.insert(name, item);
        }
        v["consumers"] = Value::Object(map);
    }
    v
}

fn number(v: &Value, pointer: &str, law: &str) -> f64 {
    match v.pointer(pointer) {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::Null) | None => panic!("{law}: nothing at {pointer} in {v}"),
        Some(other) => panic!("{law}: {pointer} is {other}, not a number"),
    }
}

fn names(sim: &Simulation) -> Vec<String> {
    sim.config()
        .consumers
        .iter()
        .map(|c| c.name().to_string())
        .collect()
}

/// Runs `law` at tick `tick_s` and returns the measured number.
fn measure(law: &Law, tick_s: u32) -> f64 {
    let mut config = law.config.clone();
    config["tick_s"] = tick_s.into();
    let config = Config::from_json(&config.to_string())
        .unwrap_or_else(|e| panic!("{}: config refused: {e}", law.name));
    let mut sim = Simulation::new(config).unwrap_or_else(|e| panic!("{}: {e}", law.name));
    sim.run_for(law.warm_s);
    let (kind, pointer) = law
        .measure
        .split_once(':')
        .unwrap_or_else(|| panic!("{}: measure is kind:/pointer", law.name));
    let before = by_name(summary(&sim), &names(&sim));
    let (mut sum, mut min, mut max, mut n) = (0.0, f64::INFINITY, f64::NEG_INFINITY, 0.0);
    let end = sim.now_ms() + law.window_s * 1_000;
    while sim.now_ms() < end {
        sim.step();
        if kind.starts_with("tick_") {
            let tick = serde_json::to_value(sim.metrics()).unwrap_or_default();
            let x = number(&by_name(tick, &names(&sim)), pointer, &law.name);
            sum += x;
            min = f64::min(min, x);
            max = f64::max(max, x);
            n += 1.0;
        }
    }
    let after = by_name(summary(&sim), &names(&sim));
    let window = law.window_s.max(1) as f64;
    match kind {
        "rate" => {
            (number(&after, pointer, &law.name) - number(&before, pointer, &law.name)) / window
        }
        "value" => number(&after, pointer, &law.name),
        "tick_rate" => sum / window,
        "tick_mean" => sum / f64::max(n, 1.0),
        "tick_min" => min,
        "tick_max" => max,
        other => panic!("{}: unknown measure kind {other}", law.name),
    }
}

fn laws() -> Vec<(String, Law)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/laws");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/laws exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable law file");
        let list: Vec<Law> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.extend(list.into_iter().map(|l| (stem.clone(), l)));
    }
    out
}

#[test]
fn every_law_holds_at_every_tick_it_names() {
    let all = laws();
    assert!(all.len() >= 10, "only {} laws", all.len());
    let mut failures = Vec::new();
    for (file, law) in &all {
        assert!(!law.why.is_empty(), "{}: say why", law.name);
        if let Some(text) = &law.refuse {
            match Config::from_json(&law.config.to_string()) {
                Ok(_) => failures.push(format!("{file}/{}: accepted", law.name)),
                Err(e) if !e.to_string().contains(text.as_str()) => {
                    failures.push(format!("{file}/{}: refused with {e}", law.name))
                }
                Err(_) => {}
            }
            continue;
        }
        assert!(law.tol > 0.0 || law.abs > 0.0, "{}: no tolerance", law.name);
        assert!(
            law.tol <= 0.05,
            "{}: a tolerance over 5 % proves little",
            law.name
        );
        for &tick in &law.ticks {
            let got = measure(law, tick);
            let allowed = law.tol * law.expect.abs() + law.abs;
            let ok = (got - law.expect).abs() <= allowed;
            let line = format!(
                "{file}/{} at tick {tick} s: {got:.4} (expected {} ± {allowed:.4})",
                law.name, law.expect
            );
            println!("{} {line}", if ok { "ok  " } else { "FAIL" });
            if !ok {
                failures.push(line);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
