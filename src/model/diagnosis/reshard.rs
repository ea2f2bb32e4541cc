//! How long a reshard under way still takes: the steps left, each at most doubling or
//! halving the open shards, and the waits the daily UpdateShardCount limit imposes.

use std::collections::VecDeque;

use crate::model::sim::{Simulation, SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};

use super::ReshardProgress;

/// The rolling window of the UpdateShardCount limit, ms.
const DAY_MS: u64 = 86_400_000;

/// How a reshard under way goes on from now, step by step: each step at most doubles or
/// halves the open shards, takes `reshard_step_s` and starts on a tick; a step starts
/// only while fewer than `max_reshards_per_day` started in the last 24 h.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReshardPlan {
    /// When the last step completes, ms.
    pub end_ms: u64,
    /// Time spent waiting for the daily limit on the way, ms.
    pub waiting_ms: u64,
    /// The first step that must wait for the limit: open shards while it waits, and
    /// when it starts (ms).
    pub first_wait: Option<(u32, u64)>,
}

/// The plan of the reshard under way; `None` when none is (no step running and the
/// target reached).
pub fn reshard_plan(sim: &Simulation) -> Option<ReshardPlan> {
    let config = sim.config();
    let (open, target, step) = (sim.open_shards(), sim.reshard_target(), sim.reshard_step());
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
    let mut plan = ReshardPlan {
        end_ms: t,
        waiting_ms: 0,
        first_wait: None,
    };
    // Each step doubles or halves the count, so a few dozen steps reach any target.
    for _ in 0..64 {
        if shards == target {
            break;
        }
        while starts.front().is_some_and(|&s| s + DAY_MS <= t) {
            starts.pop_front();
        }
        if starts.len() >= per_day {
            // The oldest start that keeps the window full leaves it first.
            let free = on_tick(starts[starts.len() - per_day] + DAY_MS);
            plan.first_wait = plan.first_wait.or(Some((shards, free)));
            plan.waiting_ms += free - t;
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
    plan.end_ms = t;
    Some(plan)
}

/// The reshard under way, if any, with the time its remaining steps take.
pub(super) fn progress(sim: &Simulation) -> Option<ReshardProgress> {
    let tick_ms = u64::from(sim.config().tick_s).max(1) * 1_000;
    if let Some((to, at)) = sim.on_demand_step() {
        return Some(ReshardProgress {
            from_shards: sim.open_shards(),
            to_shards: to,
            left_ms: at.saturating_sub(sim.now_ms()).max(tick_ms),
            waiting_ms: 0,
            on_demand: true,
        });
    }
    let plan = reshard_plan(sim)?;
    Some(ReshardProgress {
        on_demand: false,
        from_shards: sim.open_shards(),
        to_shards: sim.reshard_target(),
        // What completes at the start of the next tick is still a tick away.
        left_ms: plan.end_ms.saturating_sub(sim.now_ms()).max(tick_ms),
        waiting_ms: plan.waiting_ms,
    })
}

/// What an on-demand stream does about `records_per_s` and `bytes_per_s` of offered
/// traffic when no scaling step is under way yet: the minute that ends next asks for
/// twice the traffic in shards, 15 minutes after its start. `None` when the stream is provisioned, or
/// has the shards already.
pub(super) fn on_demand_forecast(
    sim: &Simulation,
    records_per_s: f64,
    bytes_per_s: f64,
) -> Option<ReshardProgress> {
    use crate::model::sim::{shards_for_peak, step_at};
    if !sim.capacity_mode().on_demand() || sim.on_demand_step().is_some() {
        return None;
    }
    let open = sim.open_shards();
    let worth = (records_per_s / SHARD_WRITE_RECORDS_PER_S as f64)
        .max(bytes_per_s / SHARD_WRITE_BYTES_PER_S as f64);
    let to = shards_for_peak(worth);
    let now = sim.now_ms();
    (to > open).then(|| ReshardProgress {
        from_shards: open,
        to_shards: to,
        left_ms: step_at(now.div_ceil(60_000).max(1) * 60_000) - now,
        waiting_ms: 0,
        on_demand: true,
    })
}
