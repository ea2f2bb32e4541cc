//! Handing a replay's repeated periods on whole: a caller that folds each tick's metrics
//! into sums, maxima and last values (the command line's samples) can take `k` more
//! periods of ticks it has just seen at once rather than tick by tick.

use super::super::Simulation;
use super::State;
use crate::model::config::Config;
use crate::model::metrics::TickMetrics;

/// Where [`Simulation::run_ticks_into`] hands the ticks it runs.
pub trait TickSink {
    /// One tick's metrics and the settings it ran under, as [`Simulation::run_ticks`]
    /// hands them.
    fn tick(&mut self, metrics: &TickMetrics, config: &Config);

    /// Each open shard's write utilisation in the tick just handed to
    /// [`TickSink::tick`].
    fn utilisation(&mut self, now: &[f64]) {
        let _ = now;
    }

    /// The open shards' write utilisation in the ticks of the period just handed to
    /// [`TickSink::again`], in order, when it took them: they come `times` times more.
    fn utilisation_again(&mut self, period: &mut dyn Iterator<Item = &[f64]>, times: u64) {
        let _ = (period, times);
    }

    /// [`TickSink::tick`], then [`TickSink::utilisation`].
    fn tick_with(&mut self, metrics: &TickMetrics, config: &Config, utilisation: &[f64]) {
        self.tick(metrics, config);
        self.utilisation(utilisation);
    }

    /// The ticks of `period`, in order, the last ones handed to [`TickSink::tick`],
    /// come `times` times more, the same in every number but their end time; the last
    /// of them ends at `end_ms`. Returns whether the sink took them so: `false` (the
    /// default) has them handed to [`TickSink::tick`] one by one.
    fn again(
        &mut self,
        period: &mut dyn Iterator<Item = &TickMetrics>,
        times: u64,
        end_ms: u64,
    ) -> bool {
        let _ = (period, times, end_ms);
        false
    }
}

impl Simulation {
    /// [`Simulation::run_ticks`], handing the ticks to `sink`: of a replay, the first
    /// period's ticks one by one, then the whole periods after it at once when the sink
    /// takes them ([`TickSink::again`]). The same ticks reach the sink either way.
    pub fn run_ticks_into(&mut self, ticks: u64, sink: &mut impl TickSink) {
        let mut left = ticks;
        while left > 0 {
            let replayed = self.replay_periods(left, sink);
            if replayed > 0 {
                left -= replayed;
            } else {
                self.step_into(left, sink);
                left -= 1;
            }
        }
    }

    fn step_into(&mut self, ahead: u64, sink: &mut impl TickSink) {
        self.tick_within(ahead, &mut |m, c| sink.tick(m, c));
        sink.utilisation(self.utilisation_now());
    }

    /// Replays up to `most` ticks of the replay under way: with at least two whole
    /// periods left, one period tick by tick, then as many more whole periods as fit,
    /// offered to `sink` at once. Returns how many ticks it replayed.
    fn replay_periods(&mut self, most: u64, sink: &mut impl TickSink) -> u64 {
        let (p, left) = match (&self.skip.state, &self.skip.session) {
            (State::Known { ticks, .. }, Some(session)) if !session.works_out_reads() => {
                (ticks.len() as u64, session.left())
            }
            _ => return self.replay_many(most, &mut |m, c, u| sink.tick_with(m, c, u)),
        };
        let n = most.min(left);
        if n < 2 * p {
            return self.replay_many(most, &mut |m, c, u| sink.tick_with(m, c, u));
        }
        let first = self.replay_many(p, &mut |m, c, u| sink.tick_with(m, c, u));
        let times = (n - first) / p;
        let end_ms = self.now_ms + times * p * self.tick_ms;
        let taken = match &self.skip.state {
            State::Known { ticks, at, .. } => {
                let at = |j| &ticks[(at + j) % ticks.len()];
                let mut period = (0..ticks.len()).map(|j| &at(j).metrics);
                sink.again(&mut period, times, end_ms) && {
                    let mut shards = (0..ticks.len()).map(|j| &at(j).utilisation[..]);
                    sink.utilisation_again(&mut shards, times);
                    true
                }
            }
            _ => false,
        };
        let rest = if taken {
            self.replay_many(times * p, &mut |_, _, _| {})
        } else {
            self.replay_many(times * p, &mut |m, c, u| sink.tick_with(m, c, u))
        };
        first + rest
    }
}
