//! Drawing rounds: the page redraws one chart a frame, and every chart of a round ends
//! at the simulated moment the round started, which the summary and diagnosis describe
//! too, so text and pictures never disagree at high speed.

/// Wall milliseconds between two updates of the charts' text alternatives.
pub const DESCRIBE_EVERY_MS: f64 = 2_000.0;

/// Where the page is in its round of charts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Round {
    /// The simulated moment the charts of the current round end at, ms.
    moment_ms: u64,
    /// The chart the next frame draws.
    next: usize,
    /// Whether the charts of this round rewrite their text alternatives.
    describing: bool,
    /// Wall time the text alternatives were last rewritten, ms.
    described_at: Option<f64>,
    /// The simulated moment they were last rewritten for, ms.
    described_moment: Option<u64>,
}

/// The chart a frame draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    /// Its index in page order.
    pub index: usize,
    /// Whether it starts a round (the text is refreshed for the round's moment).
    pub starts: bool,
    /// Whether it rewrites its text alternative.
    pub describe: bool,
}

impl Round {
    /// The simulated moment every chart of the current round ends at, ms.
    pub fn moment_ms(&self) -> u64 {
        self.moment_ms
    }

    /// Whether a round of `count` charts is under way (some of them are still to draw).
    pub fn in_progress(&self, count: usize) -> bool {
        count > 0 && !self.next.is_multiple_of(count)
    }

    /// Whether a frame at simulated time `now_ms` has a chart to draw: a round is under
    /// way, time moved since the last one started, or the text alternatives describe an
    /// earlier moment than the charts (one more round when time stops).
    pub fn due(&self, count: usize, now_ms: u64) -> bool {
        count > 0
            && (self.in_progress(count)
                || now_ms != self.moment_ms
                || self.described_moment.is_some_and(|m| m != self.moment_ms))
    }

    /// Starts over: the next chart drawn starts a round.
    pub fn restart(&mut self) {
        self.next = 0;
    }

    /// The chart to draw next of `count` (none when there are none). A round starts at
    /// the first chart: its moment becomes `now_ms`, and its charts rewrite their text
    /// alternatives when [`DESCRIBE_EVERY_MS`] passed since they last did (`wall_ms`),
    /// or when time stopped at a moment they do not describe yet.
    pub fn turn(&mut self, count: usize, now_ms: u64, wall_ms: f64) -> Option<Turn> {
        if count == 0 {
            return None;
        }
        let index = self.next % count;
        let starts = index == 0;
        if starts {
            let stopped = now_ms == self.moment_ms && self.described_moment != Some(now_ms);
            self.moment_ms = now_ms;
            self.describing = stopped
                || self
                    .described_at
                    .is_none_or(|at| wall_ms - at >= DESCRIBE_EVERY_MS || wall_ms < at);
            if self.describing {
                self.described_at = Some(wall_ms);
                self.described_moment = Some(now_ms);
            }
        }
        self.next = index + 1;
        Some(Turn {
            index,
            starts,
            describe: self.describing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_of_a_round_ends_at_the_moment_it_started() {
        let mut round = Round::default();
        assert!(!round.due(3, 0), "nothing moved");
        let mut seen = Vec::new();
        // Time runs on while the round is drawn, one chart a frame.
        for (frame, now_ms) in [1_000, 5_000, 9_000, 13_000, 17_000]
            .into_iter()
            .enumerate()
        {
            assert!(round.due(3, now_ms));
            let turn = round
                .turn(3, now_ms, frame as f64 * 16.0)
                .expect("three charts");
            seen.push((turn.index, turn.starts, round.moment_ms()));
        }
        assert_eq!(
            seen,
            [
                (0, true, 1_000),
                (1, false, 1_000),
                (2, false, 1_000),
                (0, true, 13_000),
                (1, false, 13_000)
            ]
        );
        assert!(round.in_progress(3));
        round.restart();
        assert!(!round.in_progress(3));
        assert_eq!(round.turn(0, 1, 0.0), None);
    }

    #[test]
    fn text_alternatives_are_rewritten_at_most_every_two_seconds() {
        let mut round = Round::default();
        let describes = |round: &mut Round, wall_ms| {
            (0..2)
                .map(|_| round.turn(2, 0, wall_ms).map(|t| t.describe))
                .collect::<Vec<_>>()
        };
        assert_eq!(describes(&mut round, 0.0), [Some(true), Some(true)]);
        assert_eq!(describes(&mut round, 1_000.0), [Some(false), Some(false)]);
        assert_eq!(describes(&mut round, 2_000.0), [Some(true), Some(true)]);
    }

    #[test]
    fn when_time_stops_the_text_catches_up_with_the_charts_once() {
        let mut round = Round::default();
        let draw = |round: &mut Round, now_ms, wall_ms| {
            (0..2)
                .map(|_| round.turn(2, now_ms, wall_ms).map(|t| t.describe))
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(&mut round, 1_000, 0.0), [Some(true), Some(true)]);
        // Half a second later the run is paused at 5 s: the round draws without text...
        assert_eq!(draw(&mut round, 5_000, 500.0), [Some(false), Some(false)]);
        // ...so one more round is due at the same moment, and it rewrites the text.
        assert!(round.due(2, 5_000));
        assert_eq!(draw(&mut round, 5_000, 600.0), [Some(true), Some(true)]);
        assert!(!round.due(2, 5_000), "nothing left to do");
    }
}
