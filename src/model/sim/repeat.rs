//! Finding a repeat among the phases of the last ticks, and the ledger sums a replayed
//! tick adds.

use std::collections::{BTreeMap, VecDeque};

use crate::model::consumer::Ledger;

/// Longest repeat looked for, in ticks.
pub const MAX_PERIOD: u64 = 600;

/// Phases of the last ticks, to find one seen before.
#[derive(Debug, Clone, Default)]
pub(super) struct Finder {
    seen: BTreeMap<u64, u64>,
    order: VecDeque<(u64, u64)>,
    /// Quiet ticks looked at in a row without a repeat.
    misses: u64,
    /// No phase is taken before this tick (after a long search found nothing).
    resume_at: u64,
    /// How long the next pause lasts, in ticks.
    pause: u64,
}

impl Finder {
    /// Forgets the phases seen (a tick that was not quiet breaks any repeat).
    pub(super) fn clear(&mut self) {
        self.seen.clear();
        self.order.clear();
        self.misses = 0;
    }

    /// Whether to take the phase at tick `t`. A search that found no repeat in twice the
    /// longest period pauses, for twice as long each time (up to a simulated day at 1 s
    /// ticks), so that a run that never repeats pays for few phases.
    pub(super) fn looking(&mut self, t: u64) -> bool {
        if t < self.resume_at {
            return false;
        }
        if self.misses >= 2 * MAX_PERIOD {
            self.pause = (self.pause * 2).clamp(2 * MAX_PERIOD, 86_400);
            self.resume_at = t + self.pause;
            self.clear();
            return false;
        }
        self.misses += 1;
        true
    }

    /// Notes the phase summary `summary` at tick `t`; returns how many ticks ago the
    /// same summary was seen, within [`MAX_PERIOD`].
    pub(super) fn note(&mut self, summary: u64, t: u64) -> Option<u64> {
        while let Some(&(t0, h0)) = self.order.front() {
            if t - t0 <= MAX_PERIOD {
                break;
            }
            self.order.pop_front();
            if self.seen.get(&h0) == Some(&t0) {
                self.seen.remove(&h0);
            }
        }
        self.order.push_back((t, summary));
        self.seen.insert(summary, t).map(|t0| t - t0)
    }
}

/// What `after` holds beyond `before`.
pub(super) fn gained(after: &Ledger, before: &Ledger) -> Ledger {
    let Ledger {
        accepted,
        processed,
        expired,
        skipped,
        kept_with_data,
        kept_metadata_only,
        processed_users,
    } = *after;
    Ledger {
        accepted: accepted - before.accepted,
        processed: processed - before.processed,
        expired: expired - before.expired,
        skipped: skipped - before.skipped,
        kept_with_data: kept_with_data - before.kept_with_data,
        kept_metadata_only: kept_metadata_only - before.kept_metadata_only,
        processed_users: processed_users - before.processed_users,
    }
}

/// `a` and `b` added.
pub(super) fn add(a: &Ledger, b: &Ledger) -> Ledger {
    Ledger {
        accepted: a.accepted + b.accepted,
        processed: a.processed + b.processed,
        expired: a.expired + b.expired,
        skipped: a.skipped + b.skipped,
        kept_with_data: a.kept_with_data + b.kept_with_data,
        kept_metadata_only: a.kept_metadata_only + b.kept_metadata_only,
        processed_users: a.processed_users + b.processed_users,
    }
}
