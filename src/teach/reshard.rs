//! UpdateShardCount's progress in words, for the page's status line.

use crate::format::thousands;
use crate::model::sim::ReshardProgress;

/// "resharding 2 → 10": the open shard count and the count asked for.
pub fn status(progress: ReshardProgress) -> String {
    format!(
        "resharding {} → {}",
        thousands(u64::from(progress.open_shards)),
        thousands(u64::from(progress.target_shards))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_their_digits() {
        let progress = ReshardProgress {
            open_shards: 2,
            target_shards: 1_000,
        };
        assert_eq!(status(progress), "resharding 2 → 1,000");
    }
}
