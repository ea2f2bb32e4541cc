//! What a drift search proved, kept with the log for its next rounds.
//!
//! A jump over a drifting log shows, by making one period one by one, that every period
//! up to it has the first period's outcomes, and so that the log after `m` of them is
//! the first log plus `m` changes. Nothing in that proof depends on how many rounds the
//! caller asked for: a jump also proves as many periods further on as it cheaply can
//! and keeps the proof here. The page replays a few seconds of a stream per frame, each
//! replay a call of [`ShardLog::run_rounds`], with a tick or so worked out between
//! them. When a later call is given the same round, a whole number of repeats later,
//! and the log is exactly the one the proof gives for that repeat (made again from the
//! proof: its whole periods at once, the rounds short of a period one by one), the log
//! it asks for is the proof's too. Only what was proved is used, and only from a log
//! the proof's own, so the log is the one making every round would give.

use std::fmt;

use super::{Round, ShardLog};

/// The fewest rounds a call goes on from a kept proof for: making the log from it and
/// checking the log against it cost about as much as making a few rounds.
const RESUMED_FROM: u64 = 8;

/// A proof of a log's drift: from `start`, at repeat `from` of `round`, each of the
/// next `periods` periods of `q` rounds changed the log as the first changed it into
/// `one`.
#[derive(Clone)]
pub(super) struct Proven {
    pub start: ShardLog,
    pub one: ShardLog,
    pub q: u64,
    pub periods: u64,
    pub round: Round,
    pub from: u64,
    /// The repeat (from `from`) a call using the proof left the log at, and that log
    /// in `left`: a log still that one is not made again to be checked.
    pub left_at: Option<u64>,
    pub left: ShardLog,
    /// Room to make a log from the proof in (its queues are reused call after call).
    pub scratch: ShardLog,
}

/// A kept [`Proven`], if any, held beside the log it was made on and handed to each
/// [`ShardLog::run_rounds`] on that log. A proof is used only for a log found equal to
/// the one it gives, so a copy of a memo (with a copy of its log) is as good as the
/// original, and one handed a log it was not made on is simply not used.
#[derive(Default, Clone)]
pub struct Memo(pub(super) Option<Box<Proven>>);

/// Shown as the period and periods proved, if any.
impl fmt::Debug for Memo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(p) => write!(f, "Memo({} periods of {} rounds)", p.periods, p.q),
            None => f.write_str("Memo(none)"),
        }
    }
}

impl Round {
    /// Which repeat of this round `later` is, if it is one: the same appends and cuts,
    /// a whole number of `ms` later (the sequence numbers the appends are given do not
    /// count: an append takes the log's next ones).
    fn repeat_of(&self, later: &Round) -> Option<u64> {
        let (&(_, then), &(_, now)) = (self.cuts.first()?, later.cuts.first()?);
        let dt = now.checked_sub(then)?;
        if self.ms == 0 || dt % self.ms != 0 {
            return None;
        }
        let shifted = |t: u64, u: u64| t.checked_add(dt) == Some(u);
        let same = self.ms == later.ms
            && self.appends.len() == later.appends.len()
            && self.cuts.len() == later.cuts.len()
            && self.appends.iter().zip(&later.appends).all(|(a, b)| {
                a.count == b.count
                    && a.bytes == b.bytes
                    && a.users == b.users
                    && shifted(a.t0_ms, b.t0_ms)
                    && shifted(a.t1_ms, b.t1_ms)
            })
            && self
                .cuts
                .iter()
                .zip(&later.cuts)
                .all(|(a, b)| a.0 == b.0 && shifted(a.1, b.1));
        same.then_some(dt / self.ms)
    }
}

impl Proven {
    /// Makes in `out` the log after `k` repeats of the round from the proof's start,
    /// when the proof covers them: its whole periods at once, the rest one by one.
    /// Says whether it could (when not, `out` holds no log to use).
    fn log_at(&self, k: u64, out: &mut ShardLog) -> bool {
        let (m, extra) = (k / self.q, k % self.q);
        if m > self.periods
            || !self
                .start
                .drift_into(&self.one, self.q * self.round.ms, m, out)
        {
            return false;
        }
        let reached = self.from + m * self.q;
        for k in reached..reached + extra {
            out.make_round(&self.round, k, None);
        }
        true
    }
}

impl ShardLog {
    /// Makes `rounds` repeats of `round` from the kept proof, when `round` is a later
    /// repeat of the one it was made for and this log the one the proof gives then;
    /// returns how many it made (none without such a proof): all of them, or those up
    /// to the last period the proof covers. Fewer than [`RESUMED_FROM`] rounds are left
    /// to be made one by one (the proof is kept for later calls).
    pub(super) fn resume(&mut self, round: &Round, rounds: u64, memo: &mut Memo) -> u64 {
        if rounds < RESUMED_FROM {
            return 0;
        }
        let Some(mut proof) = memo.0.take() else {
            return 0;
        };
        let Some(here) = proof
            .round
            .repeat_of(round)
            .and_then(|k| k.checked_sub(proof.from))
        else {
            return 0;
        };
        let back = self.back.get();
        let unmoved = proof.left_at.take() == Some(here) && {
            proof.left.back.set(back);
            proof.left == *self
        };
        let mut scratch = std::mem::take(&mut proof.scratch);
        if !unmoved {
            if !proof.log_at(here, &mut scratch) {
                return 0;
            }
            scratch.back.set(back);
            if scratch != *self {
                return 0;
            }
        }
        let Some(target) = here.checked_add(rounds) else {
            return 0;
        };
        // Within the proof, or up to its last period (the caller looks for a period
        // again from there).
        let last = proof.periods.saturating_mul(proof.q);
        let to = target.min(last);
        if to <= here || !proof.log_at(to, &mut scratch) {
            return 0;
        }
        std::mem::swap(self, &mut scratch);
        self.back.set(back);
        #[cfg(test)]
        super::RESUMED.with(|n| n.set(n.get() + 1));
        if to == target {
            proof.left_at = Some(to);
            proof.left.clone_from(self);
            proof.scratch = scratch;
            memo.0 = Some(proof);
        }
        to - here
    }
}
