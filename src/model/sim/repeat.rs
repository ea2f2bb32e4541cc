//! Finding a repeat among the phases of the last ticks.

use std::collections::VecDeque;

/// Longest repeat looked for, in ticks.
pub const MAX_PERIOD: u64 = 600;

/// Longest pause of a search, in ticks (a simulated day at 1 s ticks).
pub(super) const LONGEST_PAUSE: u64 = 86_400;

/// Longest pause of a search over ticks whose readers look back into logs retention
/// has caught up with: such a reader may still be falling behind, or held at the oldest
/// record already, and the search must not sleep through the change.
pub(super) const LONGEST_PAUSE_LOOKING_BACK: u64 = 8 * MAX_PERIOD;

/// Phases of the last ticks, to find one seen before.
#[derive(Debug, Clone, Default)]
pub(super) struct Finder {
    /// (tick, summary) of the phases taken within the last [`MAX_PERIOD`] ticks, oldest
    /// first (a few hundred at most: a scan from the newest finds the last match).
    order: VecDeque<(u64, u64)>,
    /// Quiet ticks looked at in a row without a repeat.
    misses: u64,
    /// No phase is taken before this tick (after a long search found nothing).
    resume_at: u64,
    /// How long the next pause lasts, in ticks.
    pause: u64,
}

impl Finder {
    /// Forgets the phases seen (a tick that was not quiet breaks any repeat). The ticks
    /// looked at without a repeat still count toward the next pause: a run whose
    /// candidates keep failing pays for few phases too.
    pub(super) fn clear(&mut self) {
        self.order.clear();
    }

    /// A repeat was found and checked: the next search starts with a whole allowance.
    pub(super) fn found(&mut self) {
        self.misses = 0;
    }

    /// Starts again from nothing (the settings changed): no pause, no misses.
    pub(super) fn reset(&mut self) {
        *self = Finder::default();
    }

    /// Whether the search pauses at tick `t` (see [`Finder::looking`]).
    pub(super) fn paused(&self, t: u64) -> bool {
        t < self.resume_at
    }

    /// Whether to take the phase at tick `t`. A search that found no repeat in twice the
    /// longest period pauses, for twice as long each time up to `longest` ticks, so that
    /// a run that never repeats pays for few phases.
    pub(super) fn looking(&mut self, t: u64, longest: u64) -> bool {
        if t < self.resume_at {
            return false;
        }
        if self.misses >= 2 * MAX_PERIOD {
            self.pause = (self.pause * 2).clamp(2 * MAX_PERIOD, longest.max(2 * MAX_PERIOD));
            self.resume_at = t + self.pause;
            self.clear();
            self.misses = 0;
            return false;
        }
        self.misses += 1;
        true
    }

    /// Notes the phase summary `summary` at tick `t`; returns how many ticks ago the
    /// same summary was seen, within [`MAX_PERIOD`].
    pub(super) fn note(&mut self, summary: u64, t: u64) -> Option<u64> {
        while self
            .order
            .front()
            .is_some_and(|&(t0, _)| t - t0 > MAX_PERIOD)
        {
            self.order.pop_front();
        }
        let seen = self.order.iter().rev().find(|&&(_, h)| h == summary);
        let ago = seen.map(|&(t0, _)| t - t0);
        self.order.push_back((t, summary));
        ago
    }
}
