//! Capacity modes: the shards AWS opens for an on-demand stream as its traffic grows,
//! Advantage's warm throughput, and the switches between provisioned and on-demand.
//!
//! The model keeps on-demand's shards even, as UpdateShardCount does: a scaling step
//! replaces the open shards by an even layout of the count the rules ask for. The count
//! is the larger of 4 (a new on-demand stream's 4 MiB/s), twice the peak minute of
//! first-attempt traffic in shards' worth (the larger of bytes ÷ 1 MiB/s and
//! records ÷ 1,000/s) over the last 30 days (Standard) or the last hour (Advantage), and
//! Advantage's warm throughput once it is ready, at most the model's 10,000 shards; a
//! step takes effect 15 minutes after the start of the minute that asked for it, a
//! warm-throughput request 5 minutes after it was set.

use std::collections::VecDeque;

use super::{Simulation, SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};
use crate::model::config::{CapacityMode, Config};
use crate::model::error::ConfigError;
use crate::model::routing::EvenLayout;

/// Shards of a new on-demand stream: 4 MiB/s write, 8 MiB/s read.
pub const NEW_STREAM_SHARDS: u32 = 4;
/// Simulated seconds from the start of the minute that asks for more (or fewer) shards
/// to the step: traffic that less than doubles every 15 minutes is never throttled.
pub const SCALE_DELAY_S: u64 = 900;
/// Simulated seconds warm throughput takes to be ready once set.
pub const WARM_DELAY_S: u64 = 300;
/// Most shards the model opens (the shard setting's maximum).
const MAX_SHARDS: u32 = 10_000;
/// Standard follows the peak of the last 30 days; Advantage scales down to the last hour's.
const MONTH_MS: u64 = 30 * 86_400_000;
const HOUR_MS: u64 = 3_600_000;

/// What the capacity rules carry from minute to minute.
#[derive(Debug, Clone, Default)]
pub(super) struct Capacity {
    /// First-attempt records and bytes of the minute under way.
    minute: (u64, u64),
    /// Rolling maxima of each minute's demand in shards' worth, as (minute end ms,
    /// demand), decreasing from the front: over 30 days and over the last hour.
    month: VecDeque<(u64, f64)>,
    hour: VecDeque<(u64, f64)>,
    /// The on-demand scaling step under way: (shard count, when it takes effect, ms).
    pub(super) pending: Option<(u32, u64)>,
    /// Warm throughput asked for: (shards' worth, when it is ready, ms).
    warm: Option<(u32, u64)>,
    /// Times (ms) of the switches between provisioned and on-demand in the last 24 h.
    pub(super) switches: VecDeque<u64>,
}

/// The shards an on-demand stream opens for a peak of `demand` shards' worth: twice it,
/// within 4 and the model's largest shard count.
pub fn shards_for_peak(demand: f64) -> u32 {
    ((2.0 * demand - 1e-9).ceil().max(0.0) as u32).clamp(NEW_STREAM_SHARDS, MAX_SHARDS)
}

/// When a step asked for by the minute ending at `minute_end` ms takes effect: 15
/// minutes after that minute's start.
pub fn step_at(minute_end: u64) -> u64 {
    minute_end + SCALE_DELAY_S * 1_000 - 60_000
}

/// Keeps `q` the decreasing list of maxima over the last `window` ms after adding `d`.
fn push_max(q: &mut VecDeque<(u64, f64)>, t: u64, d: f64, window: u64) {
    while q.back().is_some_and(|&(_, v)| v <= d) {
        q.pop_back();
    }
    q.push_back((t, d));
    while q.front().is_some_and(|&(s, _)| s + window <= t) {
        q.pop_front();
    }
}

impl Capacity {
    /// Counts a tick's first attempts toward the minute's demand.
    pub(super) fn note(&mut self, records: u64, bytes: u64) {
        self.minute.0 += records;
        self.minute.1 += bytes;
    }

    /// Closes the minute ending at `t`: its demand joins the rolling peaks.
    fn close_minute(&mut self, t: u64) {
        let (records, bytes) = std::mem::take(&mut self.minute);
        let demand = (bytes as f64 / (60.0 * SHARD_WRITE_BYTES_PER_S as f64))
            .max(records as f64 / (60.0 * SHARD_WRITE_RECORDS_PER_S as f64));
        push_max(&mut self.month, t, demand, MONTH_MS);
        push_max(&mut self.hour, t, demand, HOUR_MS);
    }

    /// The peak minute's demand in shards' worth that `mode` follows.
    pub(super) fn peak(&self, mode: CapacityMode) -> f64 {
        let q = if mode == CapacityMode::OnDemandAdvantage {
            &self.hour
        } else {
            &self.month
        };
        q.front().map_or(0.0, |&(_, d)| d)
    }

    /// The shard count the on-demand rules ask for at `t` in `mode`.
    pub(super) fn wanted(&self, mode: CapacityMode, t: u64) -> u32 {
        let warm = match self.warm {
            Some((shards, ready)) if ready <= t => shards,
            _ => 0,
        };
        shards_for_peak(self.peak(mode)).max(warm).min(MAX_SHARDS)
    }

    /// Asks for `mibps` of warm throughput at `t` (0 removes it).
    pub(super) fn set_warm(&mut self, mibps: u32, t: u64) {
        let shards = mibps.div_ceil((SHARD_WRITE_BYTES_PER_S / 1_048_576) as u32);
        self.warm = (shards > 0).then_some((shards, t + WARM_DELAY_S * 1_000));
    }
}

impl Simulation {
    /// On-demand scaling at the start of the tick at `t`: a due step completes; on a
    /// minute boundary the minute just ended closes and the rules may ask for a new step
    /// (a ready warm throughput at once, anything else 15 minutes on).
    pub(super) fn scale_on_demand(&mut self, t: u64) {
        let mode = self.config.stream.mode;
        if mode.on_demand() {
            self.complete_due_step(t);
        }
        if !(t.is_multiple_of(60_000) && t > 0) {
            return;
        }
        self.capacity.close_minute(t);
        if !mode.on_demand() || self.reshard.step.is_some() {
            self.sync_shards();
            return;
        }
        let open = self.open_shards();
        let wanted = self.capacity.wanted(mode, t);
        let warm_now = self
            .capacity
            .warm
            .is_some_and(|(shards, ready)| ready <= t && shards > open);
        self.capacity.pending = if wanted == open {
            None
        } else if warm_now {
            Some((wanted, t))
        } else {
            let at = self.capacity.pending.map_or(step_at(t), |(_, at)| at);
            Some((wanted, at))
        };
        if warm_now {
            self.complete_due_step(t);
        }
        self.sync_shards();
    }

    /// Completes the on-demand step due by `t`, if any.
    fn complete_due_step(&mut self, t: u64) {
        if let Some((to, at)) = self.capacity.pending {
            if at <= t {
                self.capacity.pending = None;
                if to != self.open_shards() {
                    self.create_shards(EvenLayout::new(to));
                }
                self.sync_shards();
            }
        }
    }

    /// An on-demand stream's settings show the shards it has: `stream.shards` follows the
    /// open count, so a switch back to provisioned keeps it.
    pub(super) fn sync_shards(&mut self) {
        if self.config.stream.mode.on_demand() && self.reshard.step.is_none() {
            let open = self.open_shards();
            self.config.stream.shards = open;
            self.reshard.target = open;
        }
    }

    /// Refuses `next` if the stream may not change to its capacity settings now (see
    /// [`crate::model::config::StreamConfig::refuse_change`]).
    pub(super) fn check_mode_change(&self, next: &Config) -> Result<(), ConfigError> {
        match self.config.stream.refuse_change(
            &next.stream,
            &mut self.capacity.switches.iter().copied(),
            self.now_ms,
        ) {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// The capacity side of new settings: a switch is counted, leaving on-demand drops a
    /// pending step and keeps the shards, and a warm-throughput change starts its wait.
    pub(super) fn apply_mode(&mut self, next: &Config) {
        let (from, to) = (self.config.stream.mode, next.stream.mode);
        let t = self.now_ms;
        if from.on_demand() != to.on_demand() {
            while self
                .capacity
                .switches
                .front()
                .is_some_and(|&s| s + 86_400_000 <= t)
            {
                self.capacity.switches.pop_front();
            }
            self.capacity.switches.push_back(t);
        }
        if from.on_demand() && !to.on_demand() {
            self.capacity.pending = None;
        }
        if next.stream.warm_throughput_mibps != self.config.stream.warm_throughput_mibps {
            self.capacity.set_warm(next.stream.warm_throughput_mibps, t);
        }
    }

    /// The capacity mode in use.
    pub fn capacity_mode(&self) -> CapacityMode {
        self.config.stream.mode
    }

    /// The on-demand scaling step under way: the shard count it leads to and when it
    /// takes effect, ms (`None` when none is, and always in provisioned mode).
    pub fn on_demand_step(&self) -> Option<(u32, u64)> {
        self.capacity.pending
    }

    /// Switches between provisioned and on-demand in the last 24 h, by start time (ms).
    pub fn mode_switches(&self) -> impl Iterator<Item = u64> + '_ {
        self.capacity.switches.iter().copied()
    }

    /// The peak minute of first-attempt traffic the mode in use follows, in shards' worth
    /// (the larger of MiB/s and thousands of records/s).
    pub fn peak_demand(&self) -> f64 {
        self.capacity.peak(self.config.stream.mode)
    }
}
