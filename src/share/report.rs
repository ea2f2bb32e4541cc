//! A run's numbers as plain JSON: the command line's summary, and the snapshot the
//! page's programming interface returns.

use serde_json::{json, Value};

use crate::model::diagnosis::{diagnose, Recent};
use crate::model::sim::Simulation;

/// Totals since the start, per consumer ledgers, and the stream's size now.
pub fn summary(sim: &Simulation) -> Value {
    let totals = sim.totals();
    json!({
        "duration_s": sim.now_ms() / 1_000,
        "produced": totals.produced,
        "accepted": totals.accepted,
        "throttled": totals.throttled,
        "dropped_by_producer": totals.dropped_by_producer,
        "pending_retry": sim.pending_retry(),
        "read_throttled": totals.read_throttled,
        "open_shards": sim.open_shards(),
        "consumers": sim.ledgers(),
    })
}

/// The summary plus the last tick as per-second rates, the diagnosis of the recent
/// past (`recent`) and the current spend rate.
pub fn snapshot(sim: &Simulation, recent: &Recent) -> Value {
    let mut out = summary(sim);
    let m = sim.metrics();
    let tick_s = f64::from(sim.config().tick_s);
    let rate = |n: u64| n as f64 / tick_s;
    let now = json!({
        "incoming_records_per_s": rate(m.incoming_records),
        "incoming_bytes_per_s": rate(m.incoming_bytes),
        "write_throttled_per_s": rate(m.write_throttled),
        "dropped_per_s": rate(m.dropped_by_producer),
        "read_throttled_per_s": rate(m.read_throttled),
        "iterator_age_ms": m.iterator_age_ms,
        "consumers": sim.config().consumers.iter().zip(&m.consumers).map(|(c, t)| json!({
            "name": c.name(),
            "iterator_age_ms": t.iterator_age_ms,
            "processed_per_s": rate(t.processed),
            "behind": t.behind,
            "concurrency": t.concurrency,
        })).collect::<Vec<_>>(),
    });
    let findings = json!(diagnose(sim, recent));
    let spend = sim.cost_per_hour();
    if let Value::Object(map) = &mut out {
        map.insert("now".into(), now);
        map.insert("diagnosis".into(), findings);
        map.insert("cost_per_hour_usd".into(), json!(spend.total()));
    }
    out
}
