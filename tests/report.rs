//! The plain-JSON summary and snapshot agree with the simulation they describe, and
//! the command line's JSON document has its exact form.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use kinesis_playground::model::diagnosis::Recent;
use kinesis_playground::model::series::NO_VALUE;
use kinesis_playground::model::{Config, Simulation};
use kinesis_playground::share::report::{snapshot, summary, JsonSeries};
use kinesis_playground::teach::presets;
use serde_json::{json, Value};

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
    assert_eq!(snap["produced"], totals.produced);
    assert_eq!(snap["accepted"], totals.accepted);
    assert_eq!(snap["throttled"], totals.throttled);
    assert_eq!(snap["dropped_by_producer"], totals.dropped_by_producer);
    assert_eq!(snap["read_throttled"], totals.read_throttled);
    assert_eq!(snap["pending_retry"], sim.pending_retry());
    assert_eq!(snap["open_shards"], sim.open_shards());
    // The summary is the snapshot without the live parts.
    let base = summary(&sim);
    let live = ["now", "diagnosis", "cost_per_hour_usd"];
    let keys =
        |v: &Value| -> Vec<String> { v.as_object().expect("object").keys().cloned().collect() };
    let mut expected = keys(&base);
    expected.extend(live.iter().map(|k| k.to_string()));
    assert_eq!(keys(&snap), expected);
    for (key, value) in base.as_object().expect("object") {
        assert_eq!(&snap[key], value, "{key}");
    }
    // The last tick as per-second rates.
    let m = sim.metrics();
    let rate = |n: u64| json!(n as f64 / tick_s as f64);
    let now = &snap["now"];
    assert_eq!(now["incoming_records_per_s"], rate(m.incoming_records));
    assert_eq!(now["incoming_bytes_per_s"], rate(m.incoming_bytes));
    assert_eq!(now["write_throttled_per_s"], rate(m.write_throttled));
    assert_eq!(now["dropped_per_s"], rate(m.dropped_by_producer));
    assert_eq!(now["read_throttled_per_s"], rate(m.read_throttled));
    assert_eq!(now["iterator_age_ms"], m.iterator_age_ms);
    let ticks = now["consumers"].as_array().expect("consumers");
    assert_eq!(ticks.len(), sim.config().consumers.len());
    for ((c, t), tick) in sim.config().consumers.iter().zip(&m.consumers).zip(ticks) {
        assert_eq!(tick["name"], c.name());
        assert_eq!(tick["iterator_age_ms"], t.iterator_age_ms);
        assert_eq!(tick["processed_per_s"], rate(t.processed));
        assert_eq!(tick["behind"], t.behind);
        assert_eq!(tick["concurrency"], t.concurrency);
    }
    let consumer = &snap["consumers"][0];
    assert!(consumer["expired"].as_u64().expect("expired") > 0);
    // The first finding of an expiring consumer is a loss.
    assert_eq!(snap["diagnosis"][0]["severity"], "loss");
    assert!(snap["diagnosis"][0]["message"].as_str().is_some());
    assert_eq!(
        snap["cost_per_hour_usd"],
        json!(sim.cost_per_hour().total())
    );
}

#[test]
fn a_json_series_is_written_after_the_summary_one_line_per_column() {
    let columns = [
        "t_s".to_string(),
        "a.processed".to_string(),
        "q\"uote".to_string(),
    ];
    let mut series = JsonSeries::new(&columns);
    series.push(&[60.0, 12.0, 0.5]);
    series.push(&[120.0, NO_VALUE, 1e-7]);
    let mut out = Vec::new();
    series
        .write(&mut out, &json!({"duration_s": 120, "consumers": []}))
        .expect("written");
    let text = String::from_utf8(out).expect("UTF-8");
    assert_eq!(
        text,
        "{\n\"summary\": {\n  \"duration_s\": 120,\n  \"consumers\": []\n},\n\"series\": {\n  \
         \"t_s\": [60,120],\n  \"a.processed\": [12,null],\n  \"q\\\"uote\": [0.5,0.0000001]\n}\n}\n"
    );
    let v: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v["series"]["a.processed"], json!([12, null]));
    // No rows: empty columns.
    let mut out = Vec::new();
    JsonSeries::new(&columns[..1])
        .write(&mut out, &json!({}))
        .expect("written");
    assert_eq!(
        String::from_utf8(out).expect("UTF-8"),
        "{\n\"summary\": {},\n\"series\": {\n  \"t_s\": []\n}\n}\n"
    );
}

#[test]
fn the_summary_keeps_replaced_consumers_and_counts_lost_retries_in_a_tick() {
    let config = Config::from_json(common::REPLACED).expect("valid");
    let mut sim = Simulation::new(config).expect("valid");
    let mut dropped_in_ticks = 0;
    let mut dropped_at_removal = 0;
    let mut pending_before = 0;
    for _ in 0..600 {
        if sim.now_ms() == 300_000 {
            pending_before = sim.pending_retry();
        }
        sim.step();
        let m = sim.metrics();
        dropped_in_ticks += m.dropped_by_producer;
        if m.t_ms == 301_000 {
            dropped_at_removal = m.dropped_by_producer;
        }
    }
    // Producer p was throttled and held a full buffer of retries (100,000) when it went;
    // they are dropped in the tick of the event (q alone stays under the limit), and
    // the ticks add up to the total.
    assert!(pending_before > 100_000, "pending {pending_before}");
    assert_eq!(dropped_at_removal, 100_000);
    let totals = sim.totals();
    assert_eq!(dropped_in_ticks, totals.dropped_by_producer);
    assert_eq!(
        totals.produced,
        totals.accepted + totals.dropped_by_producer + sim.pending_retry()
    );
    let s = summary(&sim);
    assert_eq!(s["dropped_by_producer"], dropped_in_ticks);

    // Both consumers are in the summary: b running, a as it was when removed.
    let consumers = s["consumers"].as_array().expect("consumers");
    let names: Vec<&str> = consumers
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["b", "a"]);
    assert!(consumers[0].get("removed_at_s").is_none());
    assert_eq!(consumers[1]["removed_at_s"], 300);
    assert_eq!(consumers[1]["type"], "lambda");
    assert!(consumers[1]["max_concurrency"]
        .as_u64()
        .is_some_and(|c| c >= 1));
    assert_eq!(consumers[0]["max_tasks"], 1);
    for c in consumers {
        let n = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("{k} in {c}"));
        assert_eq!(
            n("accepted"),
            n("processed") + n("expired") + n("skipped") + n("behind"),
            "{c}"
        );
        assert!(n("processed") > 0, "{c}");
    }
    // Each saw what the stream accepted while it ran.
    let ledgers = sim.ledgers();
    assert_eq!(
        ledgers[0].ledger.accepted + ledgers[1].ledger.accepted,
        totals.accepted
    );
}
