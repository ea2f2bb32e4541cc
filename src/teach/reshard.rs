//! UpdateShardCount's progress in words, for the page's status line.

use crate::model::sim::ReshardProgress;

/// "resharding 2 → 10": the open shard count and the count asked for.
pub fn status(progress: ReshardProgress) -> String {
    format!(
        "resharding {} → {}",
        progress.open_shards, progress.target_shards
    )
}
