//! When a stretch may be skipped: settings that hold still, and ticks that were quiet
//! (see `span`).

use super::phase::Live;
use super::state::{Cursor, Fleet};
use super::Simulation;
use crate::model::config::{ConsumerConfig, FanOut, Shape};
use crate::model::log::FRESH_APPENDS;

/// How quiet a tick was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quiet {
    /// Something outside the phase may have changed what the next ticks do.
    No,
    /// Every reader stayed among its shard's fresh appends.
    Yes,
    /// A reader looked past the fresh appends: its reads repeat only if the whole log
    /// does, shape and all (see `ShardLog::moved_from`).
    IfLogsRepeat,
}

impl Simulation {
    /// Whether the settings hold still: nothing scheduled or scaling, and nothing whose
    /// effect depends on the time or on a record's sequence number rather than the phase.
    pub(super) fn settled(&self) -> bool {
        let c = &self.config;
        let retention_ms = c.stream.retention_ms();
        let consumers_settled =
            self.topology
                .consumers()
                .iter()
                .all(|c| match (&c.config, &c.fleet) {
                    (ConsumerConfig::Lambda(l), _) => l.poison_rate <= 0.0,
                    (ConsumerConfig::Kcl(k), Fleet::Kcl(f)) => {
                        !k.autoscaling.enabled && f.starting.is_empty()
                    }
                    _ => false,
                });
        let leases_known = self.topology.shards().iter().all(|s| {
            s.readers
                .iter()
                .all(|r| !matches!(&r.cursor, Cursor::Kcl(k) if !k.known))
        });
        let next_tick = self.now_ms + self.tick_ms;
        !c.stream.mode.on_demand()
            && self.reshard.step.is_none()
            && self.reshard.target == self.open_shards()
            && self.topology.shards().iter().all(|s| s.is_open())
            && !self.topology.readers_waiting()
            && !self.shard_level
            && self.drops_unticked == 0
            && retention_ms > (FRESH_APPENDS as u64 + 1) * self.tick_ms
            && self
                .producers
                .iter()
                .all(|p| p.config.shape == Shape::Constant)
            && self
                .faults
                .iter()
                .all(|f| f.end_ms <= self.now_ms || f.start_ms >= next_tick)
            && self
                .events
                .get(self.next_event)
                .is_none_or(|&(at, _)| at > self.now_ms)
            && consumers_settled
            && leases_known
    }

    /// How quiet the tick just run was (see the module's notes), and which KCL
    /// applications have a lease falling behind: one reading past its shard's fresh
    /// appends and not held at the oldest record by retention. A replay works their
    /// reads out (see `span`), so they may be anywhere. Clears each log's note of
    /// lookups.
    pub(super) fn tick_was_quiet(&self) -> (Quiet, Live) {
        let live = self.skip.live;
        let consumers = self.topology.consumers();
        let standard = consumers
            .iter()
            .filter(|c| c.config.fan_out() == FanOut::Shared)
            .count();
        let mut may_fall = Live::default();
        for (ci, c) in consumers.iter().enumerate() {
            if matches!(&c.config, ConsumerConfig::Kcl(k) if k.fan_out == FanOut::Shared) {
                may_fall = may_fall.with(ci);
            }
        }
        let mut falling = Live::default();
        let mut near_tip = true;
        let mut alone = true;
        for shard in self.topology.shards() {
            // Every log is asked, to clear its note.
            near_tip &= !shard.log.looked_back();
            let fresh_start = shard
                .log
                .fresh()
                .next()
                .map_or(shard.log.end_seq(), |s| s.first_seq);
            for (ci, r) in shard.readers.iter().enumerate() {
                let pos = r.cursor.done_pos();
                if pos >= fresh_start {
                    continue;
                }
                if may_fall.has(ci) && pos > shard.log.start_seq() {
                    falling = falling.with(ci);
                }
                near_tip &= live.has(ci);
            }
            alone &= standard < 2 || shard.budget.has_room();
        }
        alone &= consumers
            .iter()
            .all(|c| !matches!(c.fleet, Fleet::Lambda { .. }) || c.tick.throttles == 0);
        let quiet = match (alone, near_tip) {
            (false, _) => Quiet::No,
            (true, true) => Quiet::Yes,
            (true, false) if self.retention_caught_up() => Quiet::IfLogsRepeat,
            (true, false) => Quiet::No,
        };
        (quiet, falling)
    }

    /// Whether retention cuts every shard's log each tick (its oldest record is due to
    /// go by the next): only then can a log come back to the same shape, so only then
    /// is a tick whose reader looked back worth a search.
    fn retention_caught_up(&self) -> bool {
        let Some(horizon) =
            (self.now_ms + self.tick_ms).checked_sub(self.config.stream.retention_ms())
        else {
            return false;
        };
        self.topology
            .shards()
            .iter()
            .all(|s| s.log.oldest_ms().is_none_or(|t0| t0 <= horizon))
    }

    /// How many periods of `period` ticks may be replayed from now before a scripted
    /// event or a fault.
    pub(super) fn periods_allowed(&self, period: u64) -> u64 {
        let span_ms = period * self.tick_ms;
        let mut until = u64::MAX;
        if let Some(&(at, _)) = self.events.get(self.next_event) {
            until = until.min(at);
        }
        for f in &self.faults {
            if f.end_ms > self.now_ms {
                until = until.min(f.start_ms);
            }
        }
        until.saturating_sub(self.now_ms) / span_ms
    }
}
