//! Replaying a run while some consumers fall behind: the KCL applications the phase
//! leaves out (see `phase::Live`) have their reads worked out tick by tick against the
//! logs as stepping leaves them, while the rest of the run (writes, the other consumers,
//! the stream's numbers) is replayed.
//!
//! What ties a consumer worked out to those replayed is the shard's shared read
//! allowance (the calls and bytes of every standard consumer's GetRecords) and, through
//! it, the order the consumers go in. A replay of this kind starts only from full
//! allowances (a second's worth unused on top of the next refill), with a period of one
//! tick, and before each tick it checks that the replayed consumers' calls of the period
//! and the most the others can take in the tick fit in one tick's refill on every
//! shard: then every call is answered whatever the order, and the next tick starts from
//! full allowances again. A lease's calls in a tick take at most what its buffer has
//! room for at the tick's start and what its polls may return, and the bytes of those
//! records (with the tick's appends, for a lease near the tip) bound them. The check is
//! made before the tick's appends, which may fold the oldest fresh append into the
//! newest older segment when its record size is within 1/32 of it (the bound allows a
//! sixteenth more), or, with no room left for another segment, merge two older ones
//! (then the check fails); each tick also checks the allowances are full. When the
//! check fails the replay stops before the tick, a whole number of periods in, and the
//! tick is worked out.

use super::super::reads::kcl_reads;
use super::super::span::Recorded;
use super::super::state::{Cursor, Fleet, Lag};
use super::super::Simulation;
use crate::model::config::ConsumerConfig;
use crate::model::kcl::{buffer_limit, tick_capacity, KclShard};
use crate::model::reads::{CallStats, ReadBudget, MAX_RECORDS_PER_CALL};

/// Most ticks one replay works consumers' reads out for; then the run looks for a
/// repeat again, so that once every lease is held at the oldest record by retention
/// the whole run may be replayed.
pub(super) const LIVE_SPAN: u64 = 3_600;

/// What a replay that works some consumers' reads out keeps: per shard, and per
/// consumer worked out.
#[derive(Debug, Clone)]
pub(in super::super) struct LiveReads {
    /// What the replayed consumers' calls take from the shard's allowance each tick.
    others: Vec<CallStats>,
    /// Bytes the period appends to the shard, and its appends.
    appended: Vec<u64>,
    appends: Vec<usize>,
    /// Per consumer worked out, per worker: the most records a lease's buffer holds
    /// (while its leases stay where they are).
    limits: Vec<Vec<u64>>,
}

impl Simulation {
    /// What the replayed consumers' calls take from each shard's allowance each tick of
    /// the one-tick period `tick` (their calls of the last tick), when every allowance
    /// is full and no call was refused; `None` otherwise.
    pub(super) fn live_reads(&self, tick: &Recorded) -> Option<LiveReads> {
        let live = self.skip.live;
        let shards = self.topology.shards();
        let mut others = Vec::with_capacity(shards.len());
        for shard in shards {
            if !shard.budget.full() || shard.budget.throttled > 0 {
                return None;
            }
            let mut stats = shard.budget.stats;
            for (ci, r) in shard.readers.iter().enumerate() {
                if let (false, Cursor::Kcl(k)) = (live.has(ci), &r.cursor) {
                    stats.merge(&k.calls);
                }
            }
            others.push(stats);
        }
        let mut appended = vec![0; shards.len()];
        let mut appends = vec![0; shards.len()];
        for (s, seg) in &tick.appends {
            appended[*s] += seg.bytes;
            appends[*s] += 1;
        }
        let mut limits = vec![Vec::new(); self.topology.consumers().len()];
        for (ci, c) in self.topology.consumers().iter().enumerate() {
            if let (true, ConsumerConfig::Kcl(config), Fleet::Kcl(fleet)) =
                (live.has(ci), &c.config, &c.fleet)
            {
                // As a tick's reads share each task's capacity between its leases.
                let mut held = vec![0u64; fleet.running as usize];
                for shard in shards {
                    if let Cursor::Kcl(KclShard {
                        worker: Some(w), ..
                    }) = &shard.readers[ci].cursor
                    {
                        if let Some(h) = held.get_mut(*w as usize) {
                            *h += 1;
                        }
                    }
                }
                let capacity = tick_capacity(config, self.tick_ms);
                limits[ci] = held
                    .iter()
                    .map(|&h| buffer_limit(config, capacity.div_ceil(h.max(1))))
                    .collect();
            }
        }
        Some(LiveReads {
            others,
            appended,
            appends,
            limits,
        })
    }

    /// Whether the next tick's calls, the replayed consumers' and the most the others
    /// can make, fit in one tick's refill of every shard's allowance (see the module's
    /// notes).
    pub(super) fn live_fits(&self, reads: &LiveReads) -> bool {
        let live = self.skip.live;
        let tick_ms = self.tick_ms;
        let consumers = self.topology.consumers();
        if consumers
            .iter()
            .any(|c| matches!(&c.fleet, Fleet::Kcl(f) if f.dirty))
        {
            // Leases about to move.
            return false;
        }
        for (s, shard) in self.topology.shards().iter().enumerate() {
            let log = &shard.log;
            if !shard.budget.full() {
                return false;
            }
            let merges = reads.appends[s] > log.pushes_before_merge();
            let (mut calls, mut bytes) =
                (u64::from(reads.others[s].answered), reads.others[s].bytes);
            for (ci, r) in shard.readers.iter().enumerate() {
                if !live.has(ci) || !r.ready {
                    continue;
                }
                let (Cursor::Kcl(k), ConsumerConfig::Kcl(config)) =
                    (&r.cursor, &consumers[ci].config)
                else {
                    return false;
                };
                // A lease no task holds makes no call.
                let Some(&limit) = k.worker.and_then(|w| reads.limits[ci].get(w as usize)) else {
                    continue;
                };
                let polls = (k.poll_acc_ms + tick_ms) / u64::from(config.poll_interval_ms.max(1));
                if polls == 0 {
                    continue;
                }
                if merges {
                    // What this lease reads may change size more than the bound allows.
                    return false;
                }
                calls += polls;
                let pos = k.pos.max(log.start_seq());
                let from = k.fetched_end.max(pos);
                let per_call = u64::from(config.max_records_per_call).min(MAX_RECORDS_PER_CALL);
                let room = limit.saturating_sub(from - pos).min(polls * per_call);
                let read = log.take(from, room, u64::MAX).1;
                // A fold may move the records' size by up to 1/32 (and each call's by a
                // byte of rounding).
                bytes += read + read / 16 + polls;
                if from + room > log.end_seq() {
                    bytes += reads.appended[s];
                }
            }
            if !ReadBudget::within_refill(calls, bytes, tick_ms) {
                return false;
            }
        }
        true
    }

    /// The worked-out consumers' reads in a replayed tick ending at `end` (after the
    /// tick's appends, before retention's cut): each shard's allowance is refilled and
    /// the replayed consumers' calls taken from it, then each of those consumers reads.
    pub(super) fn live_read(&mut self, reads: &LiveReads, end: u64) {
        let (live, tick_ms) = (self.skip.live, self.tick_ms);
        let (shards, consumers) = self.topology.parts_mut();
        for (shard, others) in shards.iter_mut().zip(&reads.others) {
            shard.budget.refill_allowance(tick_ms);
            shard.budget.spend(others);
        }
        for (ci, c) in consumers.iter_mut().enumerate() {
            if live.has(ci) {
                kcl_reads(ci, c, shards, tick_ms, end, &mut self.scratch.kcl);
            }
        }
    }

    /// Retention's cut of the worked-out consumers' leases (the logs are cut already).
    pub(super) fn live_retain(&mut self) {
        let live = self.skip.live;
        let (shards, consumers) = self.topology.parts_mut();
        for shard in shards.iter_mut() {
            let start = shard.log.start_seq();
            for (ci, r) in shard.readers.iter_mut().enumerate() {
                if live.has(ci) {
                    consumers[ci].expire(r.cursor.trim(start));
                }
            }
        }
    }

    /// The numbers of a replayed tick ending at `end` whose consumers `live` worked
    /// their reads out: `tick`'s, with those consumers' own, the stream's GetRecords
    /// numbers and its highest age made again, then the tick's cost.
    pub(super) fn live_numbers(&mut self, tick: &Recorded, end: u64) {
        let live = self.skip.live;
        self.metrics.copy_from(&tick.metrics);
        self.metrics.t_ms = end;
        // The shards hold the replayed consumers' calls as the period made them, and
        // the worked-out consumers' of this tick.
        self.note_reads();
        let (shards, consumers) = self.topology.parts_mut();
        let lag = &mut self.scratch.lag;
        lag.clear();
        lag.resize(consumers.len(), Lag::default());
        for shard in shards.iter() {
            for (ci, r) in shard.readers.iter().enumerate() {
                if live.has(ci) {
                    lag[ci].add(r, &shard.log, shard.is_open(), end);
                }
            }
        }
        for (ci, (c, recorded)) in consumers
            .iter_mut()
            .zip(&tick.metrics.consumers)
            .enumerate()
        {
            if live.has(ci) {
                c.take_lag(&lag[ci]);
                self.metrics.consumers[ci] = c.tick;
            } else {
                c.tick = *recorded;
            }
        }
        self.metrics.iterator_age_ms = self
            .metrics
            .consumers
            .iter()
            .map(|c| c.iterator_age_ms)
            .max()
            .unwrap_or(0);
        let (meter, read) = self.tick_meter();
        self.add_meter(end, &meter, read, true);
    }
}
