//! Quiet stretches, skipped exactly.
//!
//! Under constant settings a run often settles into a pattern: every shard receives the
//! same records tick after tick (or in a cycle of a few hundred ticks, as its fractions
//! of a record come and go), and every consumer keeps pace. [`Simulation::run_ticks`]
//! steps as [`Simulation::step`] does while it watches for that: at the end of each
//! quiet tick it takes the run's [`Phase`] and looks it up among the phases of the last
//! [`MAX_PERIOD`] ticks. A phase seen `P` ticks ago is checked by stepping `P` more ticks
//! and recording them: when the phase after them is equal (not only its summary), and
//! every one of them was quiet, the next `P` ticks would go exactly as these did, only
//! later and at higher sequence numbers — and so would the `P` after those. It then
//! replays whole periods: each tick's appends go into the shards' logs and retention
//! trims them as stepping would, the recorded metrics, ledger gains and cost come
//! again, and at the end every reader is moved on by what the skipped periods brought.
//!
//! A tick is quiet when nothing outside the phase can make the next period differ:
//! settings fixed for the stretch (no scripted event, fault, reshard step, task start,
//! autoscaling, on-demand scaling, shape that varies with the time of day, poison
//! records), no reader looked back past its shard's fresh appends (so older segments and
//! retention never reached what it reads), and the consumers did not compete (no
//! function was refused an execution and every shard read by two standard consumers had
//! allowance left), so the order they went in, drawn at random each tick, changed
//! nothing.

use super::phase::Phase;
use super::repeat::Finder;
use super::state::Fleet;
use super::writes::Written;
use super::Simulation;
use crate::model::config::Config;
use crate::model::consumer::Ledger;
use crate::model::log::Segment;
use crate::model::metrics::TickMetrics;

/// One tick of a recorded period.
#[derive(Debug, Clone)]
struct Recorded {
    written: Written,
    metrics: TickMetrics,
    /// Each open shard's write utilisation.
    utilisation: Vec<f64>,
    /// Per consumer: what its ledger gained.
    gained: Vec<Ledger>,
    /// Each shard's appends (by shard index), times from the tick's start.
    appends: Vec<(usize, Segment)>,
}

/// Where the search for a repeat stands; kept from one call of `run_ticks` to the next.
#[derive(Debug, Clone, Default)]
pub(super) struct Skip {
    finder: Finder,
    state: State,
    /// Quiet ticks stepped so far (the finder's clock).
    counter: u64,
}

#[derive(Debug, Clone, Default)]
enum State {
    /// Taking phases, looking for one seen before.
    #[default]
    Searching,
    /// Stepping and recording `period` ticks from `phase`, to see it come back.
    Recording {
        period: u64,
        phase: Box<Phase>,
        /// Each shard's end when the recording started.
        ends: Vec<u64>,
        ticks: Vec<Recorded>,
    },
    /// A checked period; the next tick is its `at`-th.
    Known {
        ticks: Vec<Recorded>,
        /// Records each shard receives over a period.
        records: Vec<u64>,
        at: usize,
    },
}

impl Skip {
    /// Forgets any repeat (the settings changed, or a tick was not quiet).
    pub(super) fn clear(&mut self) {
        self.finder.clear();
        self.state = State::Searching;
    }
}

/// Per shard, what a replay still does to its log tick by tick.
struct Logs {
    /// The tick's appends (they were not made at once).
    appends: Vec<bool>,
    /// Retention's cut.
    trims: Vec<bool>,
    any_appends: bool,
    any_trims: bool,
}

impl Logs {
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

/// What a tick started from, for its recording.
struct Before {
    start_ms: u64,
    ends: Vec<u64>,
    ledgers: Vec<Ledger>,
}

impl Simulation {
    /// Runs `ticks` ticks, handing each tick's metrics and the settings it ran under to
    /// `on_tick`: the same numbers, tick by tick, as calling [`Simulation::step`] that
    /// many times, but quiet stretches are replayed rather than worked out again (see the
    /// module's notes). The search for a repeat carries on from one call to the next;
    /// [`Simulation::step`] and [`Simulation::apply`] start it again. The other accessors
    /// are up to date when it returns; during a replayed stretch only the metrics and
    /// the settings are.
    ///
    /// ```
    /// use kinesis_playground::model::{Config, Simulation};
    ///
    /// // A simulated day of the default settings.
    /// let mut sim = Simulation::new(Config::default()).unwrap();
    /// let mut most = 0;
    /// sim.run_ticks(86_400, |m, _| most = most.max(m.incoming_records));
    /// assert_eq!(sim.totals().accepted, 86_400 * 1_000);
    /// assert_eq!(most, 1_000);
    /// assert!(sim.replayed_ticks() > 86_000);
    /// ```
    pub fn run_ticks(&mut self, ticks: u64, mut on_tick: impl FnMut(&TickMetrics, &Config)) {
        let mut left = ticks;
        while left > 0 {
            if let State::Known { ticks: period, .. } = &self.skip.state {
                let p = period.len() as u64;
                let rounds = if left >= p && self.settled() {
                    (left / p).min(self.periods_allowed(p))
                } else {
                    0
                };
                if rounds > 0 {
                    self.replay(rounds, &mut on_tick);
                    left -= rounds * p;
                    continue;
                }
            }
            self.stepped(&mut on_tick);
            left -= 1;
        }
    }

    /// Steps one tick and carries the search on: a quiet tick is looked up, recorded
    /// or counted into the known period; any other tick ends it.
    fn stepped(&mut self, on_tick: &mut impl FnMut(&TickMetrics, &Config)) {
        if matches!(self.skip.state, State::Searching) && self.skip.finder.paused(self.skip.counter)
        {
            // A search that found nothing pauses: the ticks are only counted, quiet or not.
            self.tick();
            on_tick(&self.metrics, &self.config);
            self.skip.counter += 1;
            return;
        }
        let settled = self.settled();
        let before = matches!(self.skip.state, State::Recording { .. }).then(|| Before {
            start_ms: self.now_ms,
            ends: self.shard_ends(),
            ledgers: self.topology.consumers().iter().map(|c| c.ledger).collect(),
        });
        let written = self.tick();
        on_tick(&self.metrics, &self.config);
        if !(settled && self.tick_was_quiet()) {
            self.skip.clear();
            return;
        }
        self.skip.counter += 1;
        let state = std::mem::take(&mut self.skip.state);
        self.skip.state = match (state, before) {
            (State::Searching, _) => self.search(),
            (
                State::Recording {
                    period,
                    phase,
                    ends,
                    mut ticks,
                },
                Some(before),
            ) => match self.recorded(&before, written) {
                None => State::Searching,
                Some(tick) => {
                    ticks.push(tick);
                    if (ticks.len() as u64) < period {
                        State::Recording {
                            period,
                            phase,
                            ends,
                            ticks,
                        }
                    } else if self.phase() == *phase {
                        let records = self
                            .topology
                            .shards()
                            .iter()
                            .zip(ends)
                            .map(|(s, end)| s.log.end_seq() - end)
                            .collect();
                        State::Known {
                            ticks,
                            records,
                            at: 0,
                        }
                    } else {
                        State::Searching
                    }
                }
            },
            (State::Known { ticks, records, at }, _) => State::Known {
                at: (at + 1) % ticks.len(),
                ticks,
                records,
            },
            (State::Recording { .. }, None) => State::Searching,
        };
    }

    /// Looks the phase after a quiet tick up: seen `P` ticks ago, the next `P` ticks are
    /// recorded to check it.
    fn search(&mut self) -> State {
        let t = self.skip.counter;
        if !self.skip.finder.looking(t) {
            return State::Searching;
        }
        let summary = self.phase_summary();
        match self.skip.finder.note(summary, t) {
            Some(period) => {
                self.skip.finder.clear();
                State::Recording {
                    period,
                    phase: Box::new(self.phase()),
                    ends: self.shard_ends(),
                    ticks: Vec::with_capacity(period as usize),
                }
            }
            None => State::Searching,
        }
    }

    /// Each shard's end: the sequence number its next record gets.
    fn shard_ends(&self) -> Vec<u64> {
        self.topology
            .shards()
            .iter()
            .map(|s| s.log.end_seq())
            .collect()
    }

    /// The tick just stepped as a recording, if each shard's appends are all among its
    /// fresh ones.
    fn recorded(&self, before: &Before, written: Written) -> Option<Recorded> {
        let mut appends = Vec::new();
        for (s, shard) in self.topology.shards().iter().enumerate() {
            let mut count = 0;
            for seg in shard.log.fresh().filter(|seg| seg.t0_ms >= before.start_ms) {
                count += seg.count;
                appends.push((s, seg.shifted(0, before.start_ms.wrapping_neg())));
            }
            if Some(&(shard.log.end_seq() - count)) != before.ends.get(s) {
                return None;
            }
        }
        let gained = self
            .topology
            .consumers()
            .iter()
            .zip(&before.ledgers)
            .map(|(c, before)| c.ledger.since(before))
            .collect();
        Some(Recorded {
            written,
            metrics: self.metrics.clone(),
            utilisation: self.utilisation.clone(),
            gained,
            appends,
        })
    }

    /// Replays `rounds` whole periods of the known one from where it stands, then moves
    /// every reader on by what they brought. Each shard's log gets all its appends at
    /// once where that is exact (`ShardLog::append_rounds`), and tick by tick otherwise.
    fn replay(&mut self, rounds: u64, on_tick: &mut impl FnMut(&TickMetrics, &Config)) {
        let State::Known { ticks, records, at } = std::mem::take(&mut self.skip.state) else {
            return;
        };
        let p = ticks.len();
        let logs = self.extend_logs(&ticks, at, rounds);
        for i in 0..rounds as usize * p {
            self.replay_tick(&ticks[(at + i) % p], &logs);
            on_tick(&self.metrics, &self.config);
        }
        let dt = rounds * p as u64 * self.tick_ms;
        for (shard, &records) in self.topology.shards_mut().iter_mut().zip(&records) {
            shard.shift_readers(rounds * records, dt);
        }
        self.skip.state = State::Known { ticks, records, at };
    }

    /// Gives each shard's log the appends of `rounds` periods from the `at`-th tick of
    /// `ticks` at once where it can; says per shard what is left to do tick by tick.
    fn extend_logs(&mut self, ticks: &[Recorded], at: usize, rounds: u64) -> Logs {
        let n = self.topology.shards().len();
        let retention_h = self.config.stream.retention_hours;
        if retention_h > 24 {
            // The bill reads what the logs hold by age each minute.
            return Logs::per_tick(n);
        }
        let start = self.now_ms;
        let round_ms = ticks.len() as u64 * self.tick_ms;
        let retention_ms = u64::from(retention_h) * 3_600_000;
        let last_cutoff = (start + rounds * round_ms).saturating_sub(retention_ms);
        let mut patterns = vec![Vec::new(); n];
        let mut ends = self.shard_ends();
        for i in 0..ticks.len() {
            let tick_start = start + i as u64 * self.tick_ms;
            for &(s, seg) in &ticks[(at + i) % ticks.len()].appends {
                patterns[s].push(Segment {
                    first_seq: ends[s],
                    t0_ms: tick_start + seg.t0_ms,
                    t1_ms: tick_start + seg.t1_ms,
                    ..seg
                });
                ends[s] += seg.count;
            }
        }
        let mut logs = Logs::per_tick(0);
        for (shard, pattern) in self.topology.shards_mut().iter_mut().zip(&patterns) {
            let done = shard
                .log
                .append_rounds(pattern, rounds, round_ms, last_cutoff);
            logs.appends.push(done.is_none());
            logs.trims.push(done != Some(false));
        }
        logs.any_appends = logs.appends.iter().any(|&a| a);
        logs.any_trims = logs.trims.iter().any(|&t| t);
        logs
    }

    /// One tick as recorded, phase by phase as [`Simulation::step`] runs them: the
    /// control plane for real (nothing is due), the recorded appends, the draw of the
    /// consumers' order, retention's trim of each log, the recorded numbers, the totals
    /// and the cost.
    fn replay_tick(&mut self, tick: &Recorded, logs: &Logs) {
        let start = self.now_ms;
        let end = start + self.tick_ms;
        self.control_plane(start);
        let shards = self.topology.shards_mut();
        for &(s, seg) in tick.appends.iter().filter(|_| logs.any_appends) {
            if !logs.appends[s] {
                continue;
            }
            shards[s].log.append_packed(
                seg.count,
                seg.bytes,
                seg.users,
                start + seg.t0_ms,
                start + seg.t1_ms,
            );
        }
        let w = &tick.written;
        self.capacity.note(w.produced_records, w.produced_bytes);
        self.billed_now = (w.put_units, w.billed_bytes);
        self.utilisation.clone_from(&tick.utilisation);
        let n = self.topology.consumers().len();
        if n > 0 {
            self.shuffle_order(n);
        }
        if logs.any_trims {
            let retention_ms = u64::from(self.config.stream.retention_hours) * 3_600_000;
            let cutoff = end.saturating_sub(retention_ms);
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
        self.metrics.clone_from(&tick.metrics);
        self.metrics.t_ms = end;
        for ((c, now), gained) in self
            .topology
            .consumers_mut()
            .iter_mut()
            .zip(&self.metrics.consumers)
            .zip(&tick.gained)
        {
            c.tick = *now;
            c.ledger = c.ledger.plus(gained);
            c.max_iterator_age_ms = c.max_iterator_age_ms.max(now.iterator_age_ms);
            if let Fleet::Lambda { max_concurrency } = &mut c.fleet {
                *max_concurrency = (*max_concurrency).max(now.concurrency);
            }
        }
        self.count_tick(w);
        self.accrue_cost(end);
        self.now_ms = end;
        self.replayed += 1;
    }
}
