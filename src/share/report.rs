//! A run's numbers as plain JSON: the command line's summary and series, and the
//! snapshot the page's programming interface returns.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::model::sim::Simulation;
use crate::teach::{diagnose, Recent};

/// Totals since the start, per consumer ledgers, the stream's size and mode now, and
/// what the run cost: in the modes it ran in (`cost_usd`), and billed wholly in each
/// mode (`cost_by_mode`).
pub fn summary(sim: &Simulation) -> Value {
    let totals = sim.totals();
    let [provisioned, on_demand, advantage] = sim.cost_by_mode().map(|s| s.total());
    let mut out = json!({
        "duration_s": sim.now_ms() / 1_000,
        "produced": totals.produced,
        "accepted": totals.accepted,
        "throttled": totals.throttled,
        "dropped_by_producer": totals.dropped_by_producer,
        "pending_retry": sim.pending_retry(),
        "read_throttled": totals.read_throttled,
        "open_shards": sim.open_shards(),
        "capacity_mode": sim.capacity_mode().key(),
        "cost_usd": sim.spend().total(),
        "cost_by_mode": {
            "provisioned": provisioned,
            "on_demand": on_demand,
            "on_demand_advantage": advantage,
        },
        "consumers": sim.ledgers(),
    });
    if let (true, Value::Object(map)) = (sim.aggregates(), &mut out) {
        let producers = sim.config().producers.iter().zip(sim.aggregation());
        map.insert(
            "kpl".into(),
            json!({
                "user_records_produced": totals.user_records_produced,
                "user_records_put": totals.user_records_put,
                "kinesis_records_put": totals.accepted,
                "producers": producers
                    .map(|(p, f)| json!({"name": p.name, "aggregation": p.aggregation, "figures": f}))
                    .collect::<Vec<_>>(),
            }),
        );
    }
    out
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

/// A run's series held column by column until the run ends, then written with the
/// run's summary as one JSON document (the command line's `--format json`):
/// `{"summary": {...}, "series": {"t_s": [...], "produced": [...], ...}}`.
///
/// The summary is indented for people; each series column stays on one line. A value
/// a column does not have (a consumer that did not run) is `null`.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonSeries {
    columns: Vec<String>,
    values: Vec<Vec<f64>>,
}

impl JsonSeries {
    /// An empty series with these columns.
    pub fn new(columns: &[String]) -> Self {
        JsonSeries {
            columns: columns.to_vec(),
            values: vec![Vec::new(); columns.len()],
        }
    }

    /// Adds one row, its values in column order.
    pub fn push(&mut self, row: &[f64]) {
        for (column, &value) in self.values.iter_mut().zip(row) {
            column.push(value);
        }
    }

    /// Writes the document: `summary`, then the series.
    pub fn write(&self, out: &mut impl Write, summary: &Value) -> io::Result<()> {
        out.write_all(b"{\n\"summary\": ")?;
        serde_json::to_writer_pretty(&mut *out, summary)?;
        out.write_all(b",\n\"series\": {")?;
        for (i, (name, values)) in self.columns.iter().zip(&self.values).enumerate() {
            let sep = if i == 0 { "" } else { "," };
            write!(out, "{sep}\n  {}: [", Value::from(name.as_str()))?;
            for (j, &v) in values.iter().enumerate() {
                let sep = if j == 0 { "" } else { "," };
                if v.is_nan() {
                    write!(out, "{sep}null")?;
                } else {
                    write!(out, "{sep}{v}")?;
                }
            }
            out.write_all(b"]")?;
        }
        out.write_all(b"\n}\n}\n")
    }
}
