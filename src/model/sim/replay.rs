//! Replaying a known period: each shard's log is given the appends of the whole replay
//! at once where that is exact (or, when every log comes back to the same shape each
//! period, is moved on whole after the last tick), then the ticks come again one by
//! one, and the readers move on after the last.

use super::span::{Recorded, State};
use super::Simulation;
use crate::model::log::{Round, Segment};
use live::LiveReads;

/// A replay under way: the logs hold what it appends (or get it tick by tick, as
/// `logs` says, or are moved on after its last tick); the readers move on after its
/// last tick.
#[derive(Debug, Clone)]
pub(super) struct Session {
    logs: Logs,
    /// Whether the logs are moved on at the end (they are left as they were until then).
    move_logs: bool,
    /// Ticks still to replay.
    left: u64,
    /// Whole periods it replays.
    rounds: u64,
    /// Per tick of the period: how often it was replayed since the counts were last
    /// added up (see `ticks`).
    times: Vec<u64>,
    /// Ticks replayed since then, and the newest of them (its index in the period).
    pending: u64,
    newest: usize,
    /// When some consumers' reads are worked out tick by tick (see `live`).
    live: Option<LiveReads>,
    /// Whether the run looks for a repeat again after it (a replay working reads out
    /// that stopped, or ran as long as one may).
    forget: bool,
}

/// Per shard, what a replay still does to its log tick by tick.
#[derive(Debug, Clone)]
struct Logs {
    /// The tick's appends (they were not made at once).
    appends: Vec<bool>,
    /// Retention's cut.
    trims: Vec<bool>,
    /// Whether any shard's appends, or any cut, are left to the ticks (so that a replay
    /// with none looks at no shard each tick).
    any_appends: bool,
    any_trims: bool,
}

impl Session {
    /// Ticks still to replay.
    pub(super) fn left(&self) -> u64 {
        self.left
    }

    /// Whether it works some consumers' reads out (their ticks differ period by
    /// period).
    pub(super) fn works_out_reads(&self) -> bool {
        self.live.is_some()
    }
}

impl Logs {
    /// Nothing tick by tick.
    fn untouched() -> Logs {
        Logs::per_tick(0)
    }

    /// Everything tick by tick, for `n` shards.
    fn per_tick(n: usize) -> Logs {
        Logs {
            appends: vec![true; n],
            trims: vec![true; n],
            any_appends: n > 0,
            any_trims: n > 0,
        }
    }
}

impl Simulation {
    /// Starts replaying as many whole periods of the known one as fit in `ahead` ticks,
    /// when one is known and the settings hold still. A period known from before
    /// retention's cut reached the segment the appends extend is recorded again once
    /// it does: the logs may then come back to the same shape each period.
    pub(super) fn begin_session(&mut self, ahead: u64) {
        let State::Known {
            ticks, moves, cut, ..
        } = &self.skip.state
        else {
            return;
        };
        let p = ticks.len() as u64;
        if ahead < p || !self.settled() {
            return;
        }
        let fit = (ahead / p).min(self.periods_allowed(p));
        let (moving, cut) = (moves.is_some(), *cut);
        let live = match ticks.first() {
            Some(tick) if self.skip.live.any() => match self.live_reads(tick) {
                Some(reads) => Some(reads),
                None => {
                    self.skip.clear();
                    return;
                }
            },
            _ => None,
        };
        let forget = live.is_some() && fit > live::LIVE_SPAN;
        let rounds = if live.is_some() {
            // The logs as stepping leaves them, tick by tick, for the reads worked out.
            fit.min(live::LIVE_SPAN)
        } else if moving || cut {
            fit
        } else {
            fit.min(self.rounds_before_cut(p))
        };
        if rounds == 0 {
            if fit > 0 {
                // Retention's cut has reached what the appends extend: record again.
                self.skip.clear();
            }
            return;
        }
        let state = std::mem::take(&mut self.skip.state);
        if let State::Known { ticks, at, .. } = &state {
            let n = self.topology.shards().len();
            // The bill reads what the logs hold by age each minute: with a retention
            // over 24 h they must be current tick by tick.
            let move_logs = moving && self.config.stream.retention_hours <= 24 && live.is_none();
            let logs = match (moving, move_logs) {
                _ if live.is_some() => Logs::per_tick(n),
                (true, true) => Logs::untouched(),
                (true, false) => Logs::per_tick(n),
                _ => self.extend_logs(ticks, *at, rounds),
            };
            self.skip.session = Some(Session {
                logs,
                move_logs,
                left: rounds * p,
                rounds,
                times: vec![0; ticks.len()],
                pending: 0,
                newest: 0,
                live,
                forget,
            });
        }
        self.skip.state = state;
    }

    /// Whole periods of `p` ticks before retention's cut reaches, in some shard, the
    /// newest folded segment (which appends extend): the most that appending a whole
    /// replay at once may span.
    pub(super) fn rounds_before_cut(&self, p: u64) -> u64 {
        let period_ms = p * self.tick_ms;
        let retention_ms = self.config.stream.retention_ms();
        self.topology
            .shards()
            .iter()
            .filter_map(|s| s.log.extended_from_ms())
            .map(|t0| (t0 + retention_ms).saturating_sub(self.now_ms) / period_ms)
            .min()
            .unwrap_or(u64::MAX)
    }

    /// Gives each shard's log the appends of `rounds` periods from the `at`-th tick of
    /// `ticks` at once where it can (with retention's cuts, when they reach what the
    /// appends extend); says per shard what is left to do tick by tick.
    fn extend_logs(&mut self, ticks: &[Recorded], at: usize, rounds: u64) -> Logs {
        let n = self.topology.shards().len();
        if self.config.stream.retention_hours > 24 {
            // The bill reads what the logs hold by age each minute.
            return Logs::per_tick(n);
        }
        let start = self.now_ms;
        let retention_ms = self.config.stream.retention_ms();
        let round_ms = ticks.len() as u64 * self.tick_ms;
        let last_cutoff = (start + rounds * round_ms).saturating_sub(retention_ms);
        // Each tick's cut is at its end less the retention (none saturates at 0): the
        // rounds can be made with their cuts.
        let cuts_shift = start + self.tick_ms >= retention_ms;
        // Most shards take an append each tick: room for that, kept from replay to
        // replay.
        let mut patterns = std::mem::take(&mut self.scratch.rounds);
        patterns.resize_with(n, Round::default);
        for round in &mut patterns {
            round.appends.clear();
            round.appends.reserve(ticks.len());
            round.cuts.clear();
            round.cuts.reserve(ticks.len());
            round.ms = round_ms;
        }
        let mut ends = self.shard_ends();
        for i in 0..ticks.len() {
            let tick_start = start + i as u64 * self.tick_ms;
            for &(s, seg) in &ticks[(at + i) % ticks.len()].appends {
                patterns[s].appends.push(Segment {
                    first_seq: ends[s],
                    t0_ms: tick_start + seg.t0_ms,
                    t1_ms: tick_start + seg.t1_ms,
                    ..seg
                });
                ends[s] += seg.count;
            }
            if cuts_shift {
                let cutoff = tick_start + self.tick_ms - retention_ms;
                for round in &mut patterns {
                    round.cuts.push((round.appends.len(), cutoff));
                }
            }
        }
        let mut logs = Logs::per_tick(0);
        for (shard, round) in self.topology.shards_mut().iter_mut().zip(&patterns) {
            let mut done = shard
                .log
                .append_rounds(&round.appends, rounds, round_ms, last_cutoff);
            if done.is_none() && cuts_shift {
                // The cuts reach what the appends extend: both, round by round.
                shard.log.run_rounds(round, rounds, &mut shard.drift);
                done = Some(false);
            }
            logs.appends.push(done.is_none());
            logs.trims.push(done != Some(false));
        }
        logs.any_appends = logs.appends.iter().any(|&a| a);
        logs.any_trims = logs.trims.iter().any(|&t| t);
        self.scratch.rounds = patterns;
        logs
    }
}

mod live;
mod ticks;
