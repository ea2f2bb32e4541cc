//! The page's clock: how many ticks each animation frame runs, and how long a replay
//! may be so that frames stay near their budget.

use super::app::{App, REPLAY_CAP_LEAST, REPLAY_CAP_MOST};

/// Times the replays of one frame (or one JS interface `run` slice) against its budget,
/// to size the next (see [`App::fit_replay`]).
pub struct ReplayClock<F: Fn() -> f64> {
    elapsed_ms: F,
    budget_ms: f64,
    /// When a replay that may be under way began, the replayed ticks then, and the
    /// ticks owed then.
    began: Option<(f64, u64, u64)>,
}

/// What fitting the replay cap to the budget remembers (see [`App::fit_replay`]).
#[derive(Debug, Clone, Default)]
pub struct CapFit {
    /// The replay whose time halved the cap last: its ticks and milliseconds.
    halved_from: Option<(u64, f64)>,
    /// The cap is not halved below this (0: down to the least).
    floor: u64,
    /// The replay before: its ticks and milliseconds.
    last: Option<(u64, f64)>,
}

impl<F: Fn() -> f64> ReplayClock<F> {
    /// A clock reading `elapsed_ms()` (the time spent so far) against `budget_ms`.
    pub fn new(elapsed_ms: F, budget_ms: f64) -> Self {
        ReplayClock {
            elapsed_ms,
            budget_ms,
            began: None,
        }
    }

    /// The time spent so far.
    pub fn elapsed_ms(&self) -> f64 {
        (self.elapsed_ms)()
    }
}

impl App {
    /// Runs one tick of `ahead` (see [`App::tick`]; a replay it begins may run more);
    /// when it replays, times the replay with `clock` and sizes the next by it
    /// ([`App::fit_replay`]). Returns the ticks run.
    pub fn timed_tick<F: Fn() -> f64>(&mut self, ahead: u64, clock: &mut ReplayClock<F>) -> u64 {
        if !self.sim.replaying() && self.sim.known_period().is_some_and(|p| p <= ahead) {
            // This tick may begin a replay: the clock is read only where one can.
            clock.began = Some((clock.elapsed_ms(), self.sim.replayed_ticks(), ahead));
        }
        let ran = self.tick(ahead);
        if self.sim.replaying() {
            return ran;
        }
        if let Some((began_ms, replayed, owed)) = clock.began.take() {
            let n = self.sim.replayed_ticks() - replayed;
            if n > 0 {
                self.fit_replay(n, clock.elapsed_ms() - began_ms, clock.budget_ms, owed);
            }
        }
        ran
    }

    /// After a replay of `n` of the `owed` ticks took `spent_ms` of a `budget_ms`. A
    /// replay starts by working out what each shard appends and ends by moving every
    /// reader on, so its cost is partly fixed and a longer one costs less a tick: the
    /// fewest replays are the cheapest way through a frame's ticks. So when all the
    /// ticks owed, at this replay's cost a tick, fit in the budget, the cap stays, or
    /// doubles if it bounded the replay (`n < owed`): one replay then runs them all,
    /// for no more than the budget (at 1,000 drifting logs, halving such a replay made
    /// each frame dearer and ran the frames up to their budget).
    ///
    /// Otherwise the next may span half as many when it took more than half the budget
    /// (`App::tick` still lets a replay span a whole period, so replays go on), twice
    /// as many when it took less than a quarter and the cap bounded it. A frame looks
    /// at its budget between replays, so it runs over by at most half the budget (but
    /// for a replay trying twice the length, below). Halving must pay: when a replay
    /// after a halving, at least a quarter as long, still took over three quarters of
    /// the time of the one before it, the cost is the replay's rather than its ticks'
    /// (1,000 drifting logs each looked at once a replay), shorter replays would only
    /// run fewer ticks a frame, and the cap goes back to four times the longer one,
    /// never again below it, until a replay takes under a quarter of the budget.
    /// Doubling pays likewise: a capped replay between a quarter and half the budget
    /// that ran at least twice the ticks of the one before it, in less than four thirds
    /// of its time, doubles the cap again (a cap driven down while every replay was
    /// slow, as when retention first cuts 1,000 logs, comes back up). A capped replay
    /// in that band with nothing to compare it with (no halving under way, the replay
    /// before of the same length or none) doubles the cap once to find out: a cap that
    /// started in the band would otherwise stay there however little a longer replay
    /// cost.
    pub fn fit_replay(&mut self, n: u64, spent_ms: f64, budget_ms: f64, owed: u64) {
        let capped = owed > n;
        let fit = &mut self.cap_fit;
        let last = fit.last.replace((n, spent_ms));
        if spent_ms * owed as f64 <= budget_ms * n as f64 {
            fit.halved_from = None;
            if capped {
                self.replay_cap = (self.replay_cap * 2).min(REPLAY_CAP_MOST);
            }
        } else if spent_ms > 0.5 * budget_ms {
            if let Some((longer, took)) = fit.halved_from.take() {
                if n < longer && 4 * n >= longer && spent_ms > 0.75 * took {
                    fit.floor = longer;
                    self.replay_cap = longer.saturating_mul(4).min(REPLAY_CAP_MOST);
                    return;
                }
            }
            let halved = (n / 2).max(REPLAY_CAP_LEAST).max(fit.floor);
            if halved < self.replay_cap {
                fit.halved_from = Some((n, spent_ms));
                self.replay_cap = halved;
            }
        } else if spent_ms < 0.25 * budget_ms {
            fit.floor = 0;
            fit.halved_from = None;
            if capped {
                self.replay_cap = (self.replay_cap * 2).min(REPLAY_CAP_MOST);
            }
        } else if capped
            && (fit.halved_from.is_none() && last.is_none_or(|(before, _)| before == n)
                || last.is_some_and(|(before, took)| 2 * before <= n && 0.75 * spent_ms < took))
        {
            self.replay_cap = (self.replay_cap * 2).min(REPLAY_CAP_MOST);
        }
    }

    /// Advances the clock by `wall_ms` of real time: runs the ticks the speed asks for
    /// while `elapsed_ms()` stays under `budget_ms`. Returns ticks run.
    pub fn advance(&mut self, wall_ms: f64, budget_ms: f64, elapsed_ms: impl Fn() -> f64) -> u32 {
        if !self.playing {
            return 0;
        }
        let wall_ms = wall_ms.clamp(0.0, 100.0);
        let frame_s = f64::from(self.speed) * wall_ms / 1_000.0;
        self.owed_s += frame_s;
        let tick_s = f64::from(self.sim.config().tick_s);
        let replays = !self.guide.may_pause(self.preset.as_deref());
        let (mut ran, mut look_at) = (0, 0);
        let mut clock = ReplayClock::new(elapsed_ms, budget_ms);
        while self.owed_s >= tick_s {
            // A known period is replayed only whole: a part of one is left owed when the
            // next frame brings a whole one more (the clock runs at most a frame late).
            let ahead = (self.owed_s / tick_s) as u64;
            if replays && self.sim.part_period(ahead, (frame_s / tick_s) as u64) {
                break;
            }
            // Reading the clock crosses into JS: look after 16 ticks or more, between
            // replays (only then are readers and logs current; see `fit_replay`).
            if ran >= look_at && !self.sim.replaying() {
                look_at = ran + 16;
                if clock.elapsed_ms() > budget_ms {
                    // The machine cannot keep up: forget the rest, not fall further behind.
                    self.owed_s = 0.0;
                    break;
                }
            }
            let n = self.timed_tick(ahead, &mut clock);
            self.owed_s -= n as f64 * tick_s;
            ran += n as u32;
            if !self.playing {
                // Paused at a checkpoint: the rest of the frame's time is not owed.
                self.owed_s = 0.0;
                break;
            }
        }
        if wall_ms > 0.0 {
            let now = f64::from(ran) * tick_s * 1_000.0 / wall_ms;
            self.reached = if self.reached == 0.0 {
                now
            } else {
                0.9 * self.reached + 0.1 * now
            };
        }
        ran
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Config;

    #[test]
    fn a_replay_doubles_under_a_quarter_of_the_budget_and_halves_over_half() {
        let Ok(mut app) = App::new(Config::default()) else {
            panic!("the default settings are valid");
        };
        // Replays bounded by the cap, each 1 ms of a 7 ms budget: the cap doubles.
        let mut caps = Vec::new();
        for _ in 0..3 {
            let n = app.replay_cap;
            app.fit_replay(n, 1.0, 7.0, 100_000);
            caps.push(app.replay_cap);
        }
        assert_eq!(caps, [512, 1_024, 2_048]);
        // Bounded by the ticks owed, or between a quarter and half the budget: it stays.
        app.fit_replay(600, 1.0, 7.0, 600);
        app.fit_replay(2_048, 3.0, 7.0, 100_000);
        assert_eq!(app.replay_cap, 2_048);
        // Over half the budget: half the replay, down to the least.
        app.fit_replay(1_500, 4.0, 7.0, 100_000);
        assert_eq!(app.replay_cap, 750);
        // Every tick owed fits in the budget at this replay's cost a tick: one replay
        // runs them all (twice the cap here), and one that ran them all stays, however
        // much of the budget it took.
        app.fit_replay(750, 5.0, 7.0, 760);
        assert_eq!(app.replay_cap, 1_500);
        app.fit_replay(760, 6.9, 7.0, 760);
        assert_eq!(app.replay_cap, 1_500);
        app.fit_replay(760, 7.1, 7.0, 760);
        assert_eq!(app.replay_cap, 760 / 2);
        app.fit_replay(20, 9.0, 7.0, 20);
        assert_eq!(app.replay_cap, REPLAY_CAP_LEAST);
        // At most the most.
        for _ in 0..20 {
            let n = app.replay_cap;
            app.fit_replay(n, 0.0, 7.0, 100_000);
        }
        assert_eq!(app.replay_cap, REPLAY_CAP_MOST);
    }

    /// Frames of a run owing `owed` ticks each, whose replays of `n` ticks take
    /// `cost(n)` ms of a 7 ms budget: the caps the replays had.
    fn caps(owed: u64, cost: impl Fn(u64) -> f64) -> Vec<u64> {
        caps_over(40, owed, |n, _| cost(n))
    }

    /// [`caps`] over `frames` frames, the cost also given the frame's number.
    fn caps_over(frames: usize, owed: u64, cost: impl Fn(u64, usize) -> f64) -> Vec<u64> {
        let Ok(mut app) = App::new(Config::default()) else {
            panic!("the default settings are valid");
        };
        (0..frames)
            .map(|f| {
                let n = owed.min(app.replay_cap);
                app.fit_replay(n, cost(n, f), 7.0, owed);
                app.replay_cap
            })
            .collect()
    }

    #[test]
    fn a_replay_whose_cost_is_fixed_grows_to_all_a_frame_owes() {
        // 5 ms however long (plus 1 ms per 10,000 ticks): halving does not pay, and the
        // cap rises until one replay runs the 1,440 ticks a frame owes at 86,400×.
        let fixed = caps(1_440, |n| 5.0 + n as f64 / 10_000.0);
        assert!(fixed[..6].contains(&128), "it tried halving: {fixed:?}");
        assert!(fixed[20..].iter().all(|&c| c >= 1_440), "{fixed:?}");
        // 20 µs a tick: halving pays, and the cap settles where a replay takes between
        // a quarter and half of the budget (88 to 175 ticks).
        let per_tick = caps(1_440, |n| n as f64 * 0.02);
        assert!(
            per_tick[20..].iter().all(|&c| (88..=175).contains(&c)),
            "{per_tick:?}"
        );
        // 1,000 drifting logs in a browser: 1.6 ms a replay and 2 µs a tick, so one
        // replay of all 1,440 ticks takes 4.5 ms, over half the budget but within it.
        // Halving would make the frame dearer: the cap grows to the whole frame and
        // stays there.
        let drifting = caps(1_440, |n| 1.6 + n as f64 * 0.002);
        assert!(drifting[4..].iter().all(|&c| c >= 1_440), "{drifting:?}");
        // The same after cheap replays grew the cap (a stream before its retention).
        let later = caps_over(40, 1_440, |n, f| {
            if f < 8 {
                0.5 + n as f64 * 0.0005
            } else {
                1.6 + n as f64 * 0.002
            }
        });
        assert!(later[4..].iter().all(|&c| c >= 1_440), "{later:?}");
    }

    #[test]
    fn a_cap_driven_down_while_every_replay_was_slow_comes_back_up() {
        // A stream reaching its retention: for a dozen frames every replay takes tens of
        // milliseconds whatever its length, less each frame (so each halving seems to
        // pay), then 5 ms however long. The cap must not stay where the slow frames
        // left it.
        let cost = |n: u64, f: usize| {
            let settled = 5.0 + n as f64 / 10_000.0;
            if f < 12 {
                settled + 60.0 / (1.0 + f as f64)
            } else {
                settled
            }
        };
        let after = caps_over(80, 1_440, cost);
        assert!(after[60..].iter().all(|&c| c >= 1_440), "{after:?}");
        // Left at the least by such frames, where each replay then costs 1.6 ms and
        // 3.4 µs a tick (1,000 drifting logs in a browser), under a quarter of the
        // budget only up to 44 ticks: the cap comes back up to replays of about half the
        // budget (500 ticks or more), not a few dozen.
        let Ok(mut app) = App::new(Config::default()) else {
            panic!("the default settings are valid");
        };
        app.fit_replay(20, 9.0, 7.0, 20);
        assert_eq!(app.replay_cap, REPLAY_CAP_LEAST);
        let after: Vec<u64> = (0..40)
            .map(|_| {
                let n = app.replay_cap.min(1_440);
                app.fit_replay(n, 1.6 + n as f64 * 0.0034, 7.0, 1_440);
                app.replay_cap
            })
            .collect();
        assert!(after[20..].iter().all(|&c| c >= 500), "{after:?}");
    }
}
