//! Findings about an ECS (KCL) consumer: idle tasks, shards nobody reads, saturated
//! tasks, and why an application falls behind.

use crate::model::config::{FanOut, KclConfig};
use crate::model::kcl::assign_leases;

use super::consumers::Seen;
use super::{CallLimit, Cause, Leases, ShardsUnread, TasksIdle, TasksSaturated, Why};
use super::{Finding, Rule};

/// Pushes the findings about KCL application `k` onto `out`.
pub(super) fn findings(seen: &Seen, k: &KclConfig, out: &mut Vec<Finding>) {
    let (now, shards) = (seen.now, seen.shards);
    // Tasks beyond the shard count have nothing to lease. (During a reshard every task
    // may be idle for a moment, until shard sync finds the children.)
    let spare = now.concurrency.saturating_sub(shards).min(now.idle_tasks);
    if spare > 0 {
        let cause = TasksIdle {
            idle: spare,
            tasks: now.concurrency,
            more: seen.more,
        };
        out.push(seen.warning(Rule::EcsTasksIdle, Cause::TasksIdle(cause)));
    }
    if now.unread_shards > 0 && spare == 0 {
        if let Some(cause) = shards_unread(k, now.concurrency, shards) {
            out.push(seen.warning(Rule::ShardsUnread, Cause::ShardsUnread(cause)));
        }
    }
    let capacity = f64::from(now.concurrency) * k.records_per_sec_per_task;
    let rate = seen.processed();
    if seen.waiting && capacity > 0.0 && rate >= 0.95 * capacity {
        let cause = TasksSaturated {
            tasks: now.concurrency,
            processed_records_per_s: rate,
            capacity_records_per_s: capacity,
        };
        out.push(seen.warning(Rule::EcsSaturated, Cause::TasksSaturated(cause)));
    }
}

/// KCL shards nobody reads: every task is at its lease cap, or no task runs. Children
/// waiting for their parents during a reshard are not unread: they are next in line.
fn shards_unread(k: &KclConfig, running: u32, shards: u32) -> Option<ShardsUnread> {
    if running == 0 {
        return Some(ShardsUnread::NoTask {
            shards,
            autoscaling: k.autoscaling.enabled,
        });
    }
    let cap = k.max_leases_per_worker?;
    (running.saturating_mul(cap) < shards).then_some(ShardsUnread::LeaseCap {
        shards,
        tasks: running,
        leases_per_task: cap,
    })
}

/// Why KCL application `k` falls behind when no other finding explains it: one call
/// per poll reads too little, a task holding more leases than the others is over its
/// capacity, or it is simply too slow.
pub(super) fn why_behind(seen: &Seen, k: &KclConfig) -> Why {
    let (now, shards, arrivals) = (seen.now, seen.shards, seen.arrivals);
    let capacity = k.records_per_sec_per_task;
    let per_call =
        f64::from(k.max_records_per_call) * 1_000.0 / f64::from(k.poll_interval_ms.max(1));
    let leases = assign_leases(shards as usize, now.concurrency, k.max_leases_per_worker);
    let mut held = vec![0u32; now.concurrency as usize];
    for w in leases.iter().flatten() {
        held[*w as usize] += 1;
    }
    let most = held.iter().copied().max().unwrap_or(0);
    let fewest = held.iter().copied().min().unwrap_or(0);
    let r = arrivals.per_shard_records_per_s;
    if k.fan_out == FanOut::Shared && per_call < r {
        let needed_per_call = (r * f64::from(k.poll_interval_ms) / 1_000.0 * 1.2)
            .ceil()
            .min(10_000.0);
        Why::CallLimit(CallLimit {
            max_records_per_call: k.max_records_per_call,
            poll_interval_ms: k.poll_interval_ms,
            per_shard_records_per_s: per_call,
            needed_per_call,
        })
    } else if most > fewest && f64::from(most) * r > capacity && f64::from(fewest) * r <= capacity {
        let leases_per_task = (capacity / r.max(1e-9)).floor().max(1.0) as u32;
        Why::Leases(Leases {
            tasks: now.concurrency,
            busiest_tasks: held.iter().filter(|&&h| h == most).count() as u64,
            most,
            fewest,
            shards,
            needed_records_per_s: f64::from(most) * r,
            capacity_records_per_s: capacity,
            tasks_needed: shards.div_ceil(leases_per_task),
            leases_per_task,
        })
    } else {
        Why::TooSlow { more: seen.more }
    }
}
