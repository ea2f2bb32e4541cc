//! The page's clock: how many ticks each animation frame runs, and how long a replay
//! may be so that frames stay near their budget.

use super::app::{App, REPLAY_CAP_LEAST, REPLAY_CAP_MOST};

impl App {
    /// After `ran` ticks took `spent_ms` of a `budget_ms`: a replay may span the ticks that
    /// fit in half the budget at that pace, at most twice as many as before (a longer
    /// replay costs less a tick, so the cap grows while a frame's ticks do not fit). A
    /// frame that ran nothing leaves it as it was.
    pub fn fit_replays(&mut self, ran: u64, spent_ms: f64, budget_ms: f64) {
        if ran == 0 {
            return;
        }
        // Nothing spent: as many as any (the cast saturates).
        let fit = (0.5 * budget_ms * ran as f64 / spent_ms) as u64;
        self.replay_cap = fit
            .min(self.replay_cap * 2)
            .clamp(REPLAY_CAP_LEAST, REPLAY_CAP_MOST);
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
        while self.owed_s >= tick_s {
            // A known period is replayed only whole: a part of one is left owed when the
            // next frame brings a whole one more (the clock runs at most a frame late).
            let ahead = (self.owed_s / tick_s) as u64;
            if replays && self.sim.part_period(ahead, (frame_s / tick_s) as u64) {
                break;
            }
            // Reading the clock crosses into JS: look after 16 ticks or more, between
            // replays (only then are readers and logs current; see `fit_replays`).
            if ran >= look_at && !self.sim.replaying() {
                look_at = ran + 16;
                if elapsed_ms() > budget_ms {
                    // The machine cannot keep up: forget the rest, not fall further behind.
                    self.owed_s = 0.0;
                    break;
                }
            }
            self.tick(ahead);
            self.owed_s -= tick_s;
            ran += 1;
            if !self.playing {
                // Paused at a checkpoint: the rest of the frame's time is not owed.
                self.owed_s = 0.0;
                break;
            }
        }
        self.fit_replays(u64::from(ran), elapsed_ms(), budget_ms);
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
    fn a_replay_spans_what_fits_in_half_the_budget_at_the_frame_s_pace() {
        let Ok(mut app) = App::new(Config::default()) else {
            panic!("the default settings are valid");
        };
        // Frames a little over a 7 ms budget, 0.01 ms a tick: the cap grows (at most
        // doubling) to the 350 ticks that fit in 3.5 ms, where halving after every frame
        // over budget would hold it at 16.
        app.replay_cap = REPLAY_CAP_LEAST;
        let mut caps = Vec::new();
        for _ in 0..6 {
            app.fit_replays(750, 7.5, 7.0);
            caps.push(app.replay_cap);
        }
        assert_eq!(caps, [32, 64, 128, 256, 350, 350]);
        // A frame of 40 ms for 100 ticks: 8 ticks fit, so the least cap.
        app.fit_replays(100, 40.0, 7.0);
        assert_eq!(app.replay_cap, REPLAY_CAP_LEAST);
        // A frame that ran nothing says nothing; one that spent nothing doubles it, up to
        // the most.
        app.fit_replays(0, 9.0, 7.0);
        assert_eq!(app.replay_cap, REPLAY_CAP_LEAST);
        for _ in 0..20 {
            app.fit_replays(10, 0.0, 7.0);
        }
        assert_eq!(app.replay_cap, REPLAY_CAP_MOST);
    }
}
