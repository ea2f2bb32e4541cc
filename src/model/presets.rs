//! Ready-made configs: a healthy baseline and the classic failure scenarios.

use serde_json::json;

use super::config::Config;

/// A named config with a one-line description.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// Short name used on the command line and in URLs.
    pub name: &'static str,
    /// One line saying what the preset shows.
    pub summary: &'static str,
    /// The settings.
    pub config: Config,
}

/// Every preset, in teaching order.
pub fn all() -> Vec<Preset> {
    PRESETS
        .iter()
        .filter_map(|(name, summary, json)| {
            let config = serde_json::from_value(json()).ok()?;
            Some(Preset {
                name,
                summary,
                config,
            })
        })
        .collect()
}

/// The preset called `name`.
pub fn find(name: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.name == name)
}

type PresetData = (&'static str, &'static str, fn() -> serde_json::Value);

const PRESETS: &[PresetData] = &[
    (
        "healthy",
        "A stream sized for its load: no throttling, no loss, consumers caught up.",
        || {
            json!({
                "stream": {"shards": 4, "retention_hours": 24},
                "producers": [{"name": "orders", "instances": 4, "records_per_sec": 500,
                               "record_bytes": 512, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda", "batch_size": 100, "ms_per_record": 1},
                    {"type": "kcl", "name": "ecs", "tasks": 4, "records_per_sec_per_task": 1500}
                ]
            })
        },
    ),
    (
        "scenario-1",
        "A consumer slower than its producers: iterator age climbs to the retention and records expire.",
        || {
            json!({
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "clicks", "instances": 2, "records_per_sec": 500,
                               "record_bytes": 512, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda", "batch_size": 100,
                     "invocation_overhead_ms": 20, "ms_per_record": 3.8}
                ]
            })
        },
    ),
    (
        "scenario-2",
        "Producers burst above two shards' write limit: throttling and retries with backoff.",
        || {
            json!({
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "sensors", "instances": 4, "records_per_sec": 350,
                               "record_bytes": 512, "distinct_keys": 5000,
                               "shape": {"type": "surge", "every_s": 900, "duration_s": 60, "multiplier": 2.5}}],
                "consumers": [{"type": "lambda", "name": "lambda"}]
            })
        },
    ),
    (
        "scenario-3",
        "Lambda and ECS read the same two shards; at 1 h the stream grows to 10 shards.",
        || {
            json!({
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "events", "instances": 4, "records_per_sec": 250,
                               "record_bytes": 512, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda"},
                    {"type": "kcl", "name": "ecs", "tasks": 2, "max_leases_per_worker": 1,
                     "records_per_sec_per_task": 1000}
                ],
                "events": [{"at_s": 3600, "set": {"stream.shards": 10,
                                                   "producers.events.records_per_sec": 1000}}]
            })
        },
    ),
    (
        "scenario-4",
        "Writes at the shard limit and consumers at the read limit: latency and iterator age rise.",
        || {
            json!({
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "logs", "instances": 4, "records_per_sec": 600,
                               "record_bytes": 1000, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda", "batch_size": 1000, "ms_per_record": 0.2},
                    {"type": "kcl", "name": "ecs", "tasks": 2, "records_per_sec_per_task": 5000},
                    {"type": "kcl", "name": "audit", "tasks": 2, "records_per_sec_per_task": 5000}
                ]
            })
        },
    ),
    (
        "hot-key",
        "One partition key carries most records: one shard throttles while the others idle.",
        || {
            json!({
                "stream": {"shards": 4, "retention_hours": 24},
                "producers": [{"name": "tenants", "instances": 4, "records_per_sec": 500,
                               "record_bytes": 512, "distinct_keys": 50, "key_skew": 2.0}],
                "consumers": [{"type": "lambda", "name": "lambda"}]
            })
        },
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_validates() {
        let presets = all();
        assert_eq!(presets.len(), PRESETS.len());
        for p in presets {
            p.config
                .validate()
                .unwrap_or_else(|e| panic!("{}: {e}", p.name));
        }
    }
}
