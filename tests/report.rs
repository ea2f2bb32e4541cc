//! The plain-JSON summary and snapshot agree with the simulation they describe.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::diagnosis::Recent;
use kinesis_playground::model::report::{snapshot, summary};
use kinesis_playground::model::{presets, Simulation};

#[test]
fn a_snapshot_reports_totals_rates_diagnosis_and_cost_of_the_run() {
    let config = presets::find("scenario-1").expect("preset").config;
    let tick_s = u64::from(config.tick_s);
    let mut sim = Simulation::new(config).expect("valid");
    let mut recent = Recent::default();
    for _ in 0..(2 * 86_400 / tick_s) {
        sim.step();
        recent.add(sim.metrics(), tick_s);
    }
    let snap = snapshot(&sim, &recent);
    let totals = sim.totals();
    assert_eq!(snap["duration_s"], 2 * 86_400);
    assert_eq!(snap["accepted"], totals.accepted);
    assert_eq!(snap["throttled"], totals.throttled);
    assert_eq!(snap["open_shards"], sim.open_shards());
    // The summary is the snapshot without the live parts.
    let base = summary(&sim);
    for (key, value) in base.as_object().expect("object") {
        assert_eq!(&snap[key], value, "{key}");
    }
    let m = sim.metrics();
    let rate = snap["now"]["incoming_records_per_s"]
        .as_f64()
        .expect("number");
    assert_eq!(rate, m.incoming_records as f64 / tick_s as f64);
    assert_eq!(snap["now"]["iterator_age_ms"], m.iterator_age_ms);
    let consumer = &snap["consumers"][0];
    assert!(consumer["expired"].as_u64().expect("expired") > 0);
    assert_eq!(snap["now"]["consumers"][0]["name"], consumer["name"]);
    // The first finding of an expiring consumer is a loss.
    assert_eq!(snap["diagnosis"][0]["severity"], "loss");
    assert!(snap["diagnosis"][0]["message"].as_str().is_some());
    let cost = snap["cost_per_hour_usd"].as_f64().expect("cost");
    assert!((cost - sim.cost_per_hour().total()).abs() < 1e-12);
}
