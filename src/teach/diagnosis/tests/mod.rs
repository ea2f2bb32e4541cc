//! Typed findings with known numbers render to known sentences.

mod consumers;
mod stream;

use crate::model::diagnosis::*;

/// A finding about the stream as a whole.
pub(super) fn stream(rule: Rule, severity: Severity, cause: Cause) -> Finding {
    Finding {
        rule,
        severity,
        consumer: None,
        cause,
    }
}

/// A warning about consumer `name`.
pub(super) fn about(name: &str, rule: Rule, cause: Cause) -> Finding {
    Finding {
        rule,
        severity: Severity::Warning,
        consumer: Some(name.to_string()),
        cause,
    }
}

/// 2 → 10 shards, 6 minutes to go.
pub(super) const COMING: MoreShards = MoreShards::Coming(ReshardProgress {
    from_shards: 2,
    to_shards: 10,
    left_ms: 360_000,
    waiting_ms: 0,
    on_demand: false,
});

/// 1,000 records/s over two shards.
pub(super) const EVEN: Arrivals = Arrivals {
    records_per_s: 1_000.0,
    per_shard_records_per_s: 500.0,
    hot: false,
    record_bytes: 512.0,
};
