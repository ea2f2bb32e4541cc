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
//! records), and the consumers did not compete (no function was refused an execution
//! and every shard read by two standard consumers had allowance left), so the order
//! they went in, drawn at random each tick, changed nothing.
//!
//! What a reader reads depends on its shard's log. While every reader stays among the
//! fresh appends, which the phase holds, the older segments and retention never reach
//! what it reads, and a replay gives the logs its appends (at once where it can, see
//! `ShardLog::append_rounds`). A reader that looks further back (one held at the oldest
//! record by retention, say) reads the same each period only if the whole log comes
//! back to the same shape, only later: once retention cuts what each period appends,
//! the period's recording checks that every log did (`ShardLog::moved_from`), and the
//! replay then leaves the logs alone and moves them on whole at its end. A period known
//! from before retention caught up is recorded again once it has, to see whether the
//! logs now repeat.
//!
//! A KCL application falling behind never repeats, but the rest of the run may: such an
//! application is left out of the phase (`phase::Live`), and a replay of a one-tick
//! period works its reads out tick by tick (`replay::live`).

mod periods;

pub use periods::TickSink;

use super::phase::{Live, Phase};
use super::quiet::Quiet;
use super::repeat::{Finder, LONGEST_PAUSE, LONGEST_PAUSE_LOOKING_BACK};
use super::replay::Session;
use super::writes::Written;
use super::Simulation;
use crate::model::config::Config;
use crate::model::consumer::Ledger;
use crate::model::cost::Meter;
use crate::model::log::{Moved, Segment, ShardLog};
use crate::model::metrics::TickMetrics;

/// One tick of a recorded period.
#[derive(Debug, Clone)]
pub(super) struct Recorded {
    pub(super) written: Written,
    pub(super) metrics: TickMetrics,
    /// Each open shard's write utilisation.
    pub(super) utilisation: Vec<f64>,
    /// Per consumer: what its ledger gained.
    pub(super) gained: Vec<Ledger>,
    /// Each shard's appends (by shard index), times from the tick's start.
    pub(super) appends: Vec<(usize, Segment)>,
    /// Its usage and bytes read, as [`Simulation::tick_meter`] gives them.
    pub(super) meter: Meter,
    pub(super) read: u64,
}

/// Where the search for a repeat stands; kept from one call of `run_ticks` to the next.
#[derive(Debug, Clone, Default)]
pub(super) struct Skip {
    finder: Finder,
    pub(super) state: State,
    /// Quiet ticks stepped so far (the finder's clock).
    counter: u64,
    /// The replay under way, if any (only while `state` is `Known`).
    pub(super) session: Option<Session>,
    /// Every tick is worked out; nothing is looked for or replayed.
    pub(super) off: bool,
    /// The consumers left out of the phase, their reads worked out in a replay.
    pub(super) live: Live,
}

#[derive(Debug, Clone, Default)]
pub(super) enum State {
    /// Taking phases, looking for one seen before.
    #[default]
    Searching,
    /// Stepping and recording `period` ticks from `phase`, to see it come back.
    Recording {
        period: u64,
        phase: Box<Phase>,
        /// Each shard's log when the recording started.
        logs: Vec<ShardLog>,
        /// Whether a reader looked past its shard's fresh appends.
        looked_back: bool,
        ticks: Vec<Recorded>,
    },
    /// A checked period; the next tick is its `at`-th.
    Known {
        ticks: Vec<Recorded>,
        /// Records each shard receives over a period.
        records: Vec<u64>,
        /// How each shard's whole log moves on over a period, when it comes back to the
        /// same shape (then a replay moves the logs on at its end rather than appending
        /// and trimming; a reader may look back past the fresh appends).
        moves: Option<Vec<Moved>>,
        /// Whether retention's cut already reached the segment the appends extend when
        /// it was recorded (else it is recorded again once the cut does).
        cut: bool,
        at: usize,
    },
}

impl Skip {
    /// Forgets any repeat (a tick was not quiet).
    pub(super) fn clear(&mut self) {
        self.finder.clear();
        self.state = State::Searching;
    }

    /// Forgets any repeat and starts the search afresh (the settings changed: which
    /// consumers fall behind is found again, by their new indices).
    pub(super) fn reset(&mut self) {
        self.finder.reset();
        self.state = State::Searching;
        self.live = Live::default();
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
            let replayed = self.replay_many(left, &mut |m, c, _| on_tick(m, c));
            if replayed > 0 {
                left -= replayed;
            } else {
                self.tick_within(left, &mut on_tick);
                left -= 1;
            }
        }
    }

    /// Advances one tick, as [`Simulation::step`] does, but goes on with the search for
    /// a repeat, and may replay the tick as part of one when at least `ahead` ticks (this
    /// one included) are to be run before anything else is asked of the run: a replay
    /// starts only with as many whole periods as fit in `ahead`, and until its last tick
    /// the readers and logs are those of its start and end (the metrics, settings,
    /// totals, ledgers' counts, utilisation and control plane are current tick by tick;
    /// while a KCL application falling behind has its reads worked out, so are the
    /// logs and its leases).
    /// [`Simulation::step`], [`Simulation::apply`] and
    /// [`Simulation::watch_shards`] finish a replay under way first.
    pub fn step_within(&mut self, ahead: u64) {
        self.tick_within(ahead, &mut |_, _| {});
    }

    /// Whether a replay is under way (see [`Simulation::step_within`]).
    pub fn replaying(&self) -> bool {
        self.skip.session.is_some()
    }

    /// The length in ticks of the checked period the run is in, if it is in one and no
    /// replay is under way: [`Simulation::step_within`] given at least that many ticks
    /// replays (while the settings hold still); given fewer, it works the tick out.
    pub fn known_period(&self) -> Option<u64> {
        match &self.skip.state {
            State::Known { ticks, .. } if self.skip.session.is_none() => Some(ticks.len() as u64),
            _ => None,
        }
    }

    /// Whether `ahead` ticks are short of the known period while `coming` ticks more
    /// hold a whole one: a caller that can wait for them replays them all rather than
    /// work these out one by one.
    pub fn part_period(&self, ahead: u64, coming: u64) -> bool {
        self.known_period()
            .is_some_and(|p| ahead < p && coming >= p)
    }

    /// Works out every tick from now on (`true`), as [`Simulation::step`] does, or
    /// looks for repeats again (`false`, the default).
    pub fn work_out_every_tick(&mut self, on: bool) {
        self.restart_search();
        self.skip.off = on;
    }

    pub(super) fn tick_within(
        &mut self,
        ahead: u64,
        on_tick: &mut dyn FnMut(&TickMetrics, &Config),
    ) {
        if self.skip.session.is_none() && !self.skip.off {
            self.begin_session(ahead);
        }
        if self.replay_next() {
            on_tick(&self.metrics, &self.config);
        } else if self.skip.off {
            self.tick();
            on_tick(&self.metrics, &self.config);
        } else {
            self.stepped(on_tick);
        }
    }

    /// Finishes a replay under way and forgets any repeat (the settings are about to
    /// change, or the caller steps on its own).
    pub(super) fn restart_search(&mut self) {
        self.replay_many(u64::MAX, &mut |_, _, _| {});
        self.skip.reset();
    }

    /// Steps one tick and carries the search on: a quiet tick is looked up, recorded
    /// or counted into the known period; any other tick ends it.
    fn stepped(&mut self, on_tick: &mut dyn FnMut(&TickMetrics, &Config)) {
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
        let quiet = if settled {
            let (quiet, falling) = self.tick_was_quiet();
            if falling != self.skip.live {
                // Which consumers the phase leaves out changed: phases taken before
                // cannot be compared with those to come.
                self.skip.live = falling;
                self.skip.clear();
                return;
            }
            quiet
        } else {
            Quiet::No
        };
        let fits = match &self.skip.state {
            State::Known { moves: None, .. } => quiet == Quiet::Yes,
            _ => quiet != Quiet::No,
        };
        if !fits {
            self.skip.clear();
            return;
        }
        self.skip.counter += 1;
        let state = std::mem::take(&mut self.skip.state);
        self.skip.state = match (state, before) {
            (State::Searching, _) => self.search(quiet),
            (
                State::Recording {
                    period,
                    phase,
                    logs,
                    looked_back,
                    mut ticks,
                },
                Some(before),
            ) => match self.recorded(&before, written) {
                None => State::Searching,
                Some(tick) => {
                    ticks.push(tick);
                    let looked_back = looked_back || quiet == Quiet::IfLogsRepeat;
                    if (ticks.len() as u64) < period {
                        State::Recording {
                            period,
                            phase,
                            logs,
                            looked_back,
                            ticks,
                        }
                    } else {
                        self.checked(&phase, &logs, looked_back, ticks)
                    }
                }
            },
            (
                State::Known {
                    ticks,
                    records,
                    moves,
                    cut,
                    at,
                },
                _,
            ) => State::Known {
                at: (at + 1) % ticks.len(),
                ticks,
                records,
                moves,
                cut,
            },
            (State::Recording { .. }, None) => State::Searching,
        };
    }

    /// A recorded period from `phase`, checked: known when the phase came back (and
    /// with it the logs' shape, if a reader looked back past the fresh appends).
    fn checked(
        &mut self,
        phase: &Phase,
        logs: &[ShardLog],
        looked_back: bool,
        ticks: Vec<Recorded>,
    ) -> State {
        if self.phase() != *phase {
            return State::Searching;
        }
        // A replay works out the reads of the consumers left out tick by tick, and may
        // have to stop before any tick (see `replay::live`): only whole periods may be
        // replayed, so a period of one tick, from allowances a tick's calls cannot
        // overdraw.
        if self.skip.live.any()
            && (ticks.len() != 1 || !self.topology.shards().iter().all(|s| s.budget.full()))
        {
            return State::Searching;
        }
        let dt = ticks.len() as u64 * self.tick_ms;
        let moves: Option<Vec<Moved>> = self
            .topology
            .shards()
            .iter()
            .zip(logs)
            .map(|(s, then)| s.log.moved_from(then, dt))
            .collect();
        if moves.is_none() && looked_back {
            return State::Searching;
        }
        let records = self
            .topology
            .shards()
            .iter()
            .zip(logs)
            .map(|(s, then)| s.log.end_seq() - then.end_seq())
            .collect();
        self.skip.finder.found();
        let cut = self.rounds_before_cut(ticks.len() as u64) == 0;
        State::Known {
            ticks,
            records,
            moves,
            cut,
            at: 0,
        }
    }

    /// Looks the phase after a quiet tick up: seen `P` ticks ago, the next `P` ticks are
    /// recorded to check it.
    fn search(&mut self, quiet: Quiet) -> State {
        let t = self.skip.counter;
        let longest = match quiet {
            Quiet::IfLogsRepeat => LONGEST_PAUSE_LOOKING_BACK,
            _ => LONGEST_PAUSE,
        };
        if !self.skip.finder.looking(t, longest) {
            return State::Searching;
        }
        let summary = self.phase_summary();
        match self.skip.finder.note(summary, t) {
            // A replay that works reads out replays periods of one tick only.
            Some(period) if self.skip.live.none() || period == 1 => {
                self.skip.finder.clear();
                State::Recording {
                    period,
                    phase: Box::new(self.phase()),
                    logs: self
                        .topology
                        .shards()
                        .iter()
                        .map(|s| s.log.clone())
                        .collect(),
                    looked_back: false,
                    ticks: Vec::with_capacity(period as usize),
                }
            }
            _ => State::Searching,
        }
    }

    /// Each shard's end: the sequence number its next record gets.
    pub(super) fn shard_ends(&self) -> Vec<u64> {
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
        let (meter, read) = self.tick_meter();
        Some(Recorded {
            written,
            metrics: self.metrics.clone(),
            utilisation: self.utilisation.clone(),
            gained,
            appends,
            meter,
            read,
        })
    }
}
