//! The ticks of a replay, one after another, doing as little per tick as stays exact.
//!
//! Each tick still adds its cost (in floating point, where the order of additions
//! counts), its user records produced (counted in fractions), each minute's
//! commitment, and runs the control plane when it has anything to do. What only counts
//! whole numbers (the totals, each consumer's ledger, the minute's demand) is added up
//! per tick of the period and multiplied out before the control plane runs and at the
//! end; the consumers' order draws are skipped rather than made; and the last tick's
//! numbers, the utilisation and the rolling windows are made current at the end. A
//! replay that works some consumers' reads out (`live`) makes its logs, those
//! consumers and the run's numbers current every tick, since it may stop before any.

use super::super::span::{Recorded, State};
use super::super::state::Fleet;
use super::super::Simulation;
use super::{Logs, Session};
use crate::model::config::Config;
use crate::model::metrics::TickMetrics;

impl Simulation {
    /// Replays the next tick of the replay under way; `false` when there is none. After
    /// its last tick every reader is moved on by what the replayed periods brought.
    pub(in super::super) fn replay_next(&mut self) -> bool {
        self.replay_many(1, &mut |_, _, _| {}) > 0
    }

    /// Replays up to `most` ticks of the replay under way in one go, handing each
    /// tick's metrics, settings and open shards' write utilisation to `on_tick`;
    /// returns how many. The run's numbers are current when it returns (see the
    /// module's notes).
    pub(in super::super) fn replay_many(
        &mut self,
        most: u64,
        on_tick: &mut dyn FnMut(&TickMetrics, &Config, &[f64]),
    ) -> u64 {
        if !matches!(self.skip.state, State::Known { .. }) {
            return 0;
        }
        let Some(mut session) = self.skip.session.take() else {
            return 0;
        };
        let mut state = std::mem::take(&mut self.skip.state);
        let n = most.min(session.left);
        let mut done = 0;
        if let State::Known { ticks, at, .. } = &mut state {
            // Ticks that end within a minute of the last one stay in the rolling windows.
            let window = 60_000 / self.tick_ms + 1;
            for i in 0..n {
                if let Some(reads) = &session.live {
                    if !self.live_fits(reads) {
                        // The replay stops here, after whole periods of one tick.
                        session.rounds -= session.left - done;
                        session.left = done;
                        session.forget = true;
                        break;
                    }
                }
                // A replay that works reads out may stop before any tick: each one
                // leaves the run's numbers current.
                let last = i + 1 == n || session.live.is_some();
                let near_end = n - i <= window || session.live.is_some();
                self.replay_tick(ticks, *at, &mut session, last, near_end);
                let tick = &mut ticks[*at];
                if session.live.is_some() {
                    on_tick(&self.metrics, &self.config, &tick.utilisation);
                } else {
                    tick.metrics.t_ms = self.now_ms;
                    on_tick(&tick.metrics, &self.config, &tick.utilisation);
                }
                done += 1;
                *at += 1;
                if *at == ticks.len() {
                    *at = 0;
                }
            }
        }
        session.left -= done;
        let (live, forget) = (session.live.is_some(), session.forget);
        let ended = self.end_session(session, &state);
        self.skip.state = state;
        if ended && live {
            // The reads worked out looked back on their own behalf.
            for shard in self.topology.shards() {
                shard.log.set_looked_back(false);
            }
            if forget {
                // Look again: which consumers fall behind may have changed.
                self.skip.clear();
            }
        }
        done
    }

    /// Ticks left of the replay under way (none when there is none).
    pub fn replay_left(&self) -> u64 {
        self.skip.session.as_ref().map_or(0, Session::left)
    }

    /// Each open shard's write utilisation in the last tick. While a replay is under
    /// way, the tick it replayed last holds it: it is copied over only at the replay's
    /// end, since a thousand shards' worth each tick would cost more than the tick.
    pub(in super::super) fn utilisation_now(&self) -> &[f64] {
        match (&self.skip.session, &self.skip.state) {
            (Some(_), State::Known { ticks, at, .. }) => {
                last_replayed(ticks, *at).map_or(&self.utilisation, |tick| &tick.utilisation)
            }
            _ => &self.utilisation,
        }
    }

    /// Puts `session` back when ticks are left to replay; after its last, makes the
    /// utilisation current and moves every reader (and, if the replay left them, the
    /// logs) on by what its periods brought, but those whose reads it worked out.
    /// Returns whether the replay ended.
    fn end_session(&mut self, session: Session, state: &State) -> bool {
        let State::Known {
            ticks,
            records,
            moves,
            at,
            ..
        } = state
        else {
            return true;
        };
        if session.left > 0 {
            self.skip.session = Some(session);
            return false;
        }
        if let Some(last) = last_replayed(ticks, *at) {
            self.utilisation.clone_from(&last.utilisation);
        }
        let period_ms = ticks.len() as u64 * self.tick_ms;
        let dt = session.rounds * period_ms;
        let live = self.skip.live;
        for (s, shard) in self.topology.shards_mut().iter_mut().enumerate() {
            shard.shift_readers(session.rounds * records[s], dt, live);
            let moved = moves.as_ref().and_then(|m| m.get(s));
            if let (true, Some(moved)) = (session.move_logs, moved) {
                shard.log.move_on(*moved, period_ms, session.rounds);
            }
        }
        true
    }

    /// Whether the control plane has anything to do at `t` during a replay. The
    /// settings hold still (no scripted event, reshard, on-demand scaling, task start or
    /// autoscaling is due), so all that can fall due is each minute's bookkeeping and a
    /// KCL application's shard sync.
    fn control_due(&self, t: u64) -> bool {
        t.is_multiple_of(60_000)
            || self
                .topology
                .consumers()
                .iter()
                .any(|c| matches!(&c.fleet, Fleet::Kcl(f) if t >= f.next_sync_ms))
    }

    /// Tick `i` of the period `ticks` as recorded, phase by phase as
    /// [`Simulation::step`] runs them: the control plane for real when it has anything
    /// to do, the recorded appends, the draw of the consumers' order, retention's trim
    /// of each log, the recorded numbers, the totals and the cost. The `last` tick
    /// makes the run's numbers current; a tick `near_end` joins the rolling windows.
    fn replay_tick(
        &mut self,
        ticks: &[Recorded],
        i: usize,
        session: &mut Session,
        last: bool,
        near_end: bool,
    ) {
        let tick = &ticks[i];
        let start = self.now_ms;
        let end = start + self.tick_ms;
        if self.control_due(start) {
            self.add_up(ticks, session);
            self.control_plane(start);
        }
        self.replay_appends(tick, &session.logs, start);
        if let Some(reads) = &session.live {
            self.live_read(reads, end);
        }
        self.replay_trims(&session.logs, end);
        if session.live.is_some() {
            self.live_retain();
        }
        let w = &tick.written;
        self.billed_now = (w.put_units, w.billed_bytes);
        session.times[i] += 1;
        session.pending += 1;
        session.newest = i;
        self.skip_order(self.topology.consumers().len());
        self.produced_users += w.produced_users;
        if near_end {
            self.note_incoming(w.accepted_records);
        }
        if session.live.is_some() {
            self.live_numbers(tick, end);
        } else {
            self.add_meter(end, &tick.meter, tick.read, near_end);
        }
        self.now_ms = end;
        self.replayed += 1;
        if last {
            self.add_up(ticks, session);
            if session.live.is_none() {
                self.metrics.copy_from(&tick.metrics);
                self.metrics.t_ms = end;
                for (c, now) in self
                    .topology
                    .consumers_mut()
                    .iter_mut()
                    .zip(&tick.metrics.consumers)
                {
                    c.tick = *now;
                }
            }
        }
    }

    /// The tick's appends, where the replay left them to the ticks.
    fn replay_appends(&mut self, tick: &Recorded, logs: &Logs, start: u64) {
        if logs.any_appends {
            let shards = self.topology.shards_mut();
            for &(s, seg) in tick.appends.iter().filter(|(s, _)| logs.appends[*s]) {
                shards[s].log.append_packed(
                    seg.count,
                    seg.bytes,
                    seg.users,
                    start + seg.t0_ms,
                    start + seg.t1_ms,
                );
            }
        }
    }

    /// Retention's cut of the tick ending at `end`, where the replay left it to the
    /// ticks.
    fn replay_trims(&mut self, logs: &Logs, end: u64) {
        if logs.any_trims {
            let cutoff = end.saturating_sub(self.config.stream.retention_ms());
            for (shard, _) in self
                .topology
                .shards_mut()
                .iter_mut()
                .zip(&logs.trims)
                .filter(|(_, &trim)| trim)
            {
                shard.log.trim_before(cutoff);
            }
        }
    }

    /// Adds what the ticks replayed since the last call (`times[i]` of tick `i`) count
    /// in whole numbers: the minute's demand, the totals, and each consumer's ledger,
    /// highest age and concurrency.
    fn add_up(&mut self, ticks: &[Recorded], session: &mut Session) {
        if std::mem::take(&mut session.pending) == 1 {
            // One tick since the last call (a caller taking the ticks one at a time):
            // no need to look at the others.
            let i = session.newest;
            session.times[i] = 0;
            self.add_tick(&ticks[i], 1);
            return;
        }
        for (tick, k) in ticks.iter().zip(session.times.iter_mut()) {
            let k = std::mem::take(k);
            if k > 0 {
                self.add_tick(tick, k);
            }
        }
    }

    /// Adds `k` times what `tick` counts in whole numbers (see `add_up`).
    fn add_tick(&mut self, tick: &Recorded, k: u64) {
        let w = &tick.written;
        self.capacity
            .note(w.produced_records * k, w.produced_bytes * k);
        self.add_totals(w, tick.metrics.read_throttled, k);
        let live = self.skip.live;
        for (ci, ((c, now), gained)) in self
            .topology
            .consumers_mut()
            .iter_mut()
            .zip(&tick.metrics.consumers)
            .zip(&tick.gained)
            .enumerate()
        {
            if live.has(ci) {
                // Its reads were worked out and counted; what was written is replayed.
                c.ledger.accepted += gained.accepted * k;
                continue;
            }
            c.ledger = c.ledger.plus(&gained.times(k));
            c.max_iterator_age_ms = c.max_iterator_age_ms.max(now.iterator_age_ms);
            if let Fleet::Lambda { max_concurrency } = &mut c.fleet {
                *max_concurrency = (*max_concurrency).max(now.concurrency);
            }
        }
    }
}

/// The tick of period `ticks` replayed last, when the next is its `at`-th.
fn last_replayed(ticks: &[Recorded], at: usize) -> Option<&Recorded> {
    ticks.get(at.checked_sub(1).unwrap_or(ticks.len().saturating_sub(1)))
}
