//! The control plane, first in every tick: scripted events due now, UpdateShardCount
//! steps that complete or start, and each KCL application's tasks (start-up,
//! autoscaling on minute boundaries, shard sync).

use super::state::{Cursor, Fleet};
use super::Simulation;
use crate::model::config::ConsumerConfig;
use crate::model::path::set_paths;
use crate::model::routing::EvenLayout;

/// Rolling window of the UpdateShardCount call limit, ms.
const DAY_MS: u64 = 86_400_000;

/// Where UpdateShardCount stands while it changes the shard count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReshardProgress {
    /// Shards open now.
    pub open_shards: u32,
    /// The shard count asked for.
    pub target_shards: u32,
}

impl Simulation {
    /// The control plane at the start of the tick from `t`, in order: scripted events,
    /// UpdateShardCount and on-demand scaling steps, KCL task fleets.
    pub(super) fn control_plane(&mut self, t: u64) {
        self.apply_due_events(t);
        self.complete_reshard_step(t);
        self.scale_on_demand(t);
        self.start_reshard_step(t);
        self.run_task_fleets(t);
    }

    /// Applies the scripted events due by `t` (dotted-path edits of the settings, applied
    /// with `apply`, never a reset).
    pub(super) fn apply_due_events(&mut self, t: u64) {
        while let Some(&(at, i)) = self.events.get(self.next_event) {
            if at > t {
                break;
            }
            self.next_event += 1;
            // The event list stays out of the copy an edit makes (a script may be long).
            let events = std::mem::take(&mut self.config.events);
            let edits = events[i].set.iter().map(|(p, v)| (p.as_str(), v));
            let next = set_paths(&self.config, edits);
            self.config.events = events;
            // `validate` replayed the events in this order and `apply` refuses an edit
            // that would break one still to come, so every event applies.
            match next {
                Ok(next) => self.apply_unchecked(next),
                Err(err) => {
                    debug_assert!(false, "a scripted event no longer applies: {err}");
                    self.refused_events.push((i, err));
                }
            }
        }
    }

    /// An UpdateShardCount step due by `t` completes: the open shards close and the new
    /// even layout opens.
    pub(super) fn complete_reshard_step(&mut self, t: u64) {
        if let Some((to, at)) = self.reshard.step {
            if at <= t {
                self.reshard.step = None;
                self.create_shards(EvenLayout::new(to));
            }
        }
    }

    /// The next UpdateShardCount step starts if the target differs from the open count:
    /// at most ×2 or ÷2 a step, `max_reshards_per_day` steps in any 24 h.
    pub(super) fn start_reshard_step(&mut self, t: u64) {
        if self.config.stream.mode.on_demand() {
            self.sync_shards();
            return;
        }
        let open = self.open_shards();
        if self.reshard.step.is_some() || self.reshard.target == open {
            return;
        }
        while self
            .reshard
            .history
            .front()
            .is_some_and(|&s| s + DAY_MS <= t)
        {
            self.reshard.history.pop_front();
        }
        if self.reshard.history.len() < self.config.stream.max_reshards_per_day as usize {
            let target = self.reshard.target;
            let next = if target > open {
                target.min(open * 2)
            } else {
                target.max(open.div_ceil(2))
            };
            let done = t + u64::from(self.config.stream.reshard_step_s) * 1_000;
            self.reshard.step = Some((next, done));
            self.reshard.history.push_back(t);
        }
    }

    /// Each KCL application at `t`: tasks that finished starting join, autoscaling
    /// evaluates on minute boundaries, and shard sync marks new shards known when due.
    pub(super) fn run_task_fleets(&mut self, t: u64) {
        // Autoscaling looks at the last minute's incoming rate, on minute boundaries only.
        let incoming_per_s = if t.is_multiple_of(60_000) && !self.incoming_window.is_empty() {
            self.incoming_window.iter().sum::<u64>() as f64
                / (self.incoming_window.len() as u64 * self.tick_ms) as f64
                * 1_000.0
        } else {
            0.0
        };
        let (shards, consumers) = self.topology.parts_mut();
        for (ci, c) in consumers.iter_mut().enumerate() {
            let (Fleet::Kcl(fleet), ConsumerConfig::Kcl(k)) = (&mut c.fleet, &c.config) else {
                continue;
            };
            fleet.start_ready(t);
            if t.is_multiple_of(60_000) && t > c.started_ms {
                fleet.autoscale(k, incoming_per_s, t);
                fleet.start_ready(t);
            }
            // Shard sync runs every `shard_sync_s` from the consumer's start, at the first
            // tick on or after each due time whatever the tick length.
            if t >= fleet.next_sync_ms {
                let every = u64::from(k.shard_sync_s) * 1_000;
                fleet.next_sync_ms = t - (t - c.started_ms) % every + every;
                for shard in shards.iter_mut() {
                    if let Cursor::Kcl(ks) = &mut shard.readers[ci].cursor {
                        if !ks.known {
                            ks.known = true;
                            fleet.dirty = true;
                        }
                    }
                }
            }
        }
    }
}
