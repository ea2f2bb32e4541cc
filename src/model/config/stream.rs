//! The stream's own settings: shards, retention, resharding and the largest record.

use serde::{Deserialize, Serialize};

/// The stream itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StreamConfig {
    /// Open shards. A change goes through UpdateShardCount rules.
    pub shards: u32,
    /// How long records stay readable, in hours.
    pub retention_hours: u32,
    /// Simulated seconds one UpdateShardCount step takes.
    pub reshard_step_s: u32,
    /// UpdateShardCount calls allowed per rolling 24 h.
    pub max_reshards_per_day: u32,
    /// Largest record (data plus partition key) the stream takes, in KiB.
    pub max_record_size_kib: u32,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            shards: 2,
            retention_hours: 24,
            reshard_step_s: 120,
            max_reshards_per_day: 10,
            max_record_size_kib: 1_024,
        }
    }
}
