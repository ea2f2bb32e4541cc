//! How long a reshard under way still takes: the steps left, each at most doubling or
//! halving the open shards, and the waits the daily UpdateShardCount limit imposes.

use std::collections::VecDeque;

use crate::model::sim::Simulation;

use super::ReshardProgress;

/// The rolling window of the UpdateShardCount limit, ms.
const DAY_MS: u64 = 86_400_000;

/// The reshard under way, if any, with the time its remaining steps take: each step
/// at most doubles or halves the open shards and takes `reshard_step_s`; a step starts
/// only while fewer than `max_reshards_per_day` started in the last 24 h.
pub(super) fn progress(sim: &Simulation) -> Option<ReshardProgress> {
    let config = sim.config();
    let open = sim.open_shards();
    let target = sim.reshard_target();
    let step = sim.reshard_step();
    if step.is_none() && target == open {
        return None;
    }
    let now = sim.now_ms();
    let tick_ms = u64::from(config.tick_s).max(1) * 1_000;
    let on_tick = |t: u64| t.div_ceil(tick_ms) * tick_ms;
    let step_ms = u64::from(config.stream.reshard_step_s) * 1_000;
    let per_day = config.stream.max_reshards_per_day.max(1) as usize;
    let mut starts: VecDeque<u64> = sim.reshard_starts().collect();
    let (mut shards, mut t) = match step {
        Some((to, done)) => (to, on_tick(done.max(now))),
        None => (open, now),
    };
    let mut waiting_ms = 0;
    // Each step doubles or halves the count, so a few dozen steps reach any target.
    for _ in 0..64 {
        if shards == target {
            break;
        }
        while starts.front().is_some_and(|&s| s + DAY_MS <= t) {
            starts.pop_front();
        }
        if starts.len() >= per_day {
            let free = on_tick(starts[0] + DAY_MS);
            waiting_ms += free - t;
            t = free;
            continue;
        }
        shards = if target > shards {
            target.min(shards * 2)
        } else {
            target.max(shards.div_ceil(2))
        };
        starts.push_back(t);
        t = on_tick(t + step_ms);
    }
    Some(ReshardProgress {
        from_shards: open,
        to_shards: target,
        // What completes at the start of the next tick is still a tick away.
        left_ms: t.saturating_sub(now).max(tick_ms),
        waiting_ms,
    })
}
