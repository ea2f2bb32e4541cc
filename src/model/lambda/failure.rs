//! A failed batch: whether it holds a poison record, and whether it is given up on or
//! retried (whole, or halved with bisect).

use super::{ConsumerTick, LambdaConfig, ShardCtx, Slot};
use crate::model::rng::{hash3, threshold};

/// Whether records `start..start + len` of the shard hold a poison record: each record
/// is poison with probability `poison_rate`, decided by a hash of its shard and sequence
/// number, so a record is poison every time it is in a batch.
pub(super) fn holds_poison(
    config: &LambdaConfig,
    ctx: &ShardCtx<'_>,
    start: u64,
    len: u64,
) -> bool {
    if config.poison_rate <= 0.0 {
        return false;
    }
    let below = threshold(config.poison_rate);
    (start..start + len).any(|seq| hash3(ctx.seed, u64::from(ctx.shard_id), seq) < below)
}

/// A batch failed: gives up on it (skipped or expired), or prepares its retry — whole,
/// or its first half with the second waiting — and returns true.
pub(super) fn fail(
    slot: &mut Slot,
    config: &LambdaConfig,
    ctx: &ShardCtx<'_>,
    out: &mut ConsumerTick,
) -> bool {
    // Records retention removed while the batch kept failing are lost.
    let gone = ctx.log.start_seq().saturating_sub(slot.start).min(slot.len);
    if gone > 0 {
        out.expired += gone;
        slot.start += gone;
        slot.len -= gone;
    }
    // Splitting a failed batch uses no retry attempt; retrying a whole one does.
    let split = config.bisect_on_error && slot.len > 1;
    if !split {
        slot.attempts += 1;
    }
    let too_many =
        config.max_retry_attempts >= 0 && i64::from(slot.attempts) > config.max_retry_attempts;
    let too_old = config.max_record_age_s >= 0
        && ctx.log.arrival_ms(slot.start).is_some_and(|arrived| {
            ctx.end_ms.saturating_sub(arrived) > config.max_record_age_s as u64 * 1_000
        });
    if slot.len == 0 {
        slot.busy = false;
        return false;
    }
    if too_many || too_old {
        out.skipped += slot.len;
        slot.busy = false;
        return false;
    }
    if split {
        let half = slot.len / 2;
        slot.queue
            .push((slot.start + half, slot.len - half, slot.attempts));
        slot.len = half;
    }
    true
}
