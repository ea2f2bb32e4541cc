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

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Round, Segment, ShardLog};

/// The fewest rounds a call goes on from a kept proof for when its log must be checked
/// against the proof: making that log again and comparing cost about as much as making
/// a few rounds.
const RESUMED_FROM: u64 = 8;

/// A proof of a log's drift: from the log in `change`, at repeat `from` of `round`,
/// each of the next `periods` periods of `q` rounds changes the log as the first did.
#[derive(Clone)]
pub(super) struct Proven {
    change: Change,
    pub q: u64,
    pub periods: u64,
    pub round: Round,
    pub from: u64,
    /// The repeat (from `from`) a call using the proof left the log at, and the mark
    /// it gave the log: a log still holding that mark is still that one (every change
    /// clears it), and is not made again to be checked.
    pub left_at: Option<(u64, u64)>,
    /// That log, to check the mark against in debug builds.
    #[cfg(debug_assertions)]
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

/// The start of a proof and what each of its periods changes, count by count: each
/// segment's position, records, bytes and user records as wrapping differences (its
/// times move on by the period), then the log's start, end and user records before it.
///
/// The log `m` periods on is the start plus `m` changes, summed without checks: the
/// proof holds only periods after which every count is within range, and every
/// segment keeps a record, as at the start; a count affine in `m` and within range at
/// both ends of a range is within it between, so the wrapping sums are the true ones.
#[derive(Clone)]
pub(super) struct Change {
    /// (start, change) of each folded segment, then of each fresh append.
    folded: Vec<(Segment, Segment)>,
    fresh: Vec<(Segment, Segment)>,
    /// (start, change) of the start, the end and the user records before the start.
    ends: [(u64, u64); 3],
    packed: bool,
}

/// `a` after `m` changes of `d`.
fn on((a, d): (u64, u64), m: u64) -> u64 {
    a.wrapping_add(d.wrapping_mul(m))
}

/// `a` after `m` changes of `d` (a wrapping difference, so signed), within range.
fn checked_on((a, d): (u64, u64), m: i64) -> Option<u64> {
    a.checked_add_signed((d as i64).checked_mul(m)?)
}

/// Segment `a` after `m` changes of `d`, when every count stays within range and it
/// keeps a record.
fn segment_at((a, d): &(Segment, Segment), m: i64) -> Option<Segment> {
    let seg = Segment {
        first_seq: checked_on((a.first_seq, d.first_seq), m)?,
        count: checked_on((a.count, d.count), m)?,
        t0_ms: checked_on((a.t0_ms, d.t0_ms), m)?,
        t1_ms: checked_on((a.t1_ms, d.t1_ms), m)?,
        bytes: checked_on((a.bytes, d.bytes), m)?,
        users: checked_on((a.users, d.users), m)?,
    };
    (seg.count > 0).then_some(seg)
}

impl Change {
    /// From `start` to `one` (of one shape), `dt_ms` later.
    pub(super) fn between(start: &ShardLog, one: &ShardLog, dt_ms: u64) -> Change {
        let pair = |a: &Segment, b: &Segment| {
            let change = Segment {
                first_seq: b.first_seq.wrapping_sub(a.first_seq),
                count: b.count.wrapping_sub(a.count),
                t0_ms: dt_ms,
                t1_ms: dt_ms,
                bytes: b.bytes.wrapping_sub(a.bytes),
                users: b.users.wrapping_sub(a.users),
            };
            (*a, change)
        };
        let pairs = |a: &VecDeque<Segment>, b: &VecDeque<Segment>| {
            a.iter().zip(b).map(|(a, b)| pair(a, b)).collect()
        };
        let end = |a: u64, b: u64| (a, b.wrapping_sub(a));
        Change {
            folded: pairs(&start.held.folded, &one.held.folded),
            fresh: pairs(&start.held.fresh, &one.held.fresh),
            ends: [
                end(start.held.start_seq, one.held.start_seq),
                end(start.held.end_seq, one.held.end_seq),
                end(start.held.start_users, one.held.start_users),
            ],
            packed: start.held.packed,
        }
    }

    /// The log `m` periods on, when every count stays within range and every segment
    /// keeps a record (debug builds check a search's logs against it).
    #[cfg(debug_assertions)]
    pub(super) fn at(&self, m: u64) -> Option<ShardLog> {
        let mut out = ShardLog::with_room();
        self.at_into(m, &mut out).then_some(out)
    }

    /// Makes in `out` (whose queues are reused) the log `m` periods on, when every
    /// count stays within range and every segment keeps a record; says whether it did
    /// (when not, `out` holds no log to use).
    pub(super) fn at_into(&self, m: u64, out: &mut ShardLog) -> bool {
        let Ok(m) = i64::try_from(m) else {
            return false;
        };
        let fill = |out: &mut VecDeque<Segment>, pairs: &[(Segment, Segment)]| {
            out.clear();
            for pair in pairs {
                let Some(seg) = segment_at(pair, m) else {
                    return false;
                };
                out.push_back(seg);
            }
            true
        };
        let r = &mut *out.held;
        let [start, end, users] = self.ends.map(|end| checked_on(end, m));
        let (Some(start), Some(end), Some(users)) = (start, end, users) else {
            return false;
        };
        (r.start_seq, r.end_seq, r.start_users, r.packed) = (start, end, users, self.packed);
        out.back.set(false);
        fill(&mut r.folded, &self.folded) && fill(&mut r.fresh, &self.fresh)
    }

    /// Whether [`Change::at`] gives a log `m` periods on (without making it).
    fn holds(&self, m: u64) -> bool {
        let Ok(m) = i64::try_from(m) else {
            return false;
        };
        let segs = self.folded.iter().chain(&self.fresh);
        segs.into_iter().all(|pair| segment_at(pair, m).is_some())
            && self.ends.iter().all(|&end| checked_on(end, m).is_some())
    }

    /// Writes the log `m` periods on into `out` (whose queues are reused), unchecked:
    /// only for the periods a proof holds.
    fn apply(&self, m: u64, out: &mut ShardLog) {
        let write = |out: &mut VecDeque<Segment>, pairs: &[(Segment, Segment)]| {
            out.resize(pairs.len(), Segment::default());
            for (seg, (a, d)) in out.make_contiguous().iter_mut().zip(pairs) {
                *seg = Segment {
                    first_seq: on((a.first_seq, d.first_seq), m),
                    count: on((a.count, d.count), m),
                    t0_ms: on((a.t0_ms, d.t0_ms), m),
                    t1_ms: on((a.t1_ms, d.t1_ms), m),
                    bytes: on((a.bytes, d.bytes), m),
                    users: on((a.users, d.users), m),
                };
            }
        };
        write(&mut out.held.folded, &self.folded);
        write(&mut out.held.fresh, &self.fresh);
        out.held.start_seq = on(self.ends[0], m);
        out.held.end_seq = on(self.ends[1], m);
        out.held.start_users = on(self.ends[2], m);
        out.held.packed = self.packed;
        out.back.set(false);
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
    /// The proof that from the start of `change` (at repeat `from` of `round`) each of
    /// `periods` periods of `q` rounds changes the log by `change`: kept for as many
    /// of them as leave every count in range. `scratch` is room to make its logs in.
    pub fn new(
        change: Change,
        q: u64,
        periods: u64,
        round: &Round,
        from: u64,
        scratch: ShardLog,
    ) -> Box<Proven> {
        // The search made the log before the last period from the changes, so only
        // the last one is left to check.
        let periods = if change.holds(periods) {
            periods
        } else {
            periods - 1
        };
        Box::new(Proven {
            change,
            q,
            periods,
            round: round.clone(),
            from,
            left_at: None,
            #[cfg(debug_assertions)]
            left: ShardLog::default(),
            scratch,
        })
    }

    /// Makes in `out` the log after `k` repeats of the round from the proof's start,
    /// when the proof covers them: its whole periods at once, the rest one by one.
    /// Says whether it could (when not, `out` holds no log to use).
    fn log_at(&self, k: u64, out: &mut ShardLog) -> bool {
        let (m, extra) = (k / self.q, k % self.q);
        if m > self.periods {
            return false;
        }
        self.change.apply(m, out);
        let reached = self.from + m * self.q;
        for k in reached..reached + extra {
            out.make_round(&self.round, k, None);
        }
        true
    }
}

/// A mark no log has had before (never 0).
fn next_mark() -> u64 {
    static MARKS: AtomicU64 = AtomicU64::new(1);
    MARKS.fetch_add(1, Ordering::Relaxed)
}

/// What [`ShardLog::resume`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Resumed {
    /// Nothing: no proof for this round and log (any kept proof is dropped).
    Not,
    /// Nothing: too few rounds to check the log against the kept proof, which is kept
    /// for later calls; the caller makes them one by one.
    Kept,
    /// Made this many rounds (at least one): all of them, or those up to the last
    /// period the proof covers.
    Made(u64),
}

impl ShardLog {
    /// Makes `rounds` repeats of `round` from the kept proof, when `round` is a later
    /// repeat of the one it was made for and this log the one the proof gives then;
    /// says what it did (see [`Resumed`]). Fewer than [`RESUMED_FROM`] rounds are made
    /// only on the log the last call left (known by its mark, so nothing is checked).
    pub(super) fn resume(&mut self, round: &Round, rounds: u64, memo: &mut Memo) -> Resumed {
        let Some(mut proof) = memo.0.take() else {
            return Resumed::Not;
        };
        let Some(here) = proof
            .round
            .repeat_of(round)
            .and_then(|k| k.checked_sub(proof.from))
        else {
            return Resumed::Not;
        };
        let back = self.back.get();
        let mark = self.held.mark();
        let unmoved = proof.left_at.take() == Some((here, mark)) && mark != 0;
        if rounds < RESUMED_FROM && !unmoved {
            // Checking the log costs more than making these rounds: the caller makes
            // them, and the proof is kept for the next call.
            memo.0 = Some(proof);
            return Resumed::Kept;
        }
        #[cfg(debug_assertions)]
        if unmoved {
            proof.left.back.set(back);
            assert!(
                proof.left == *self,
                "a marked log is the one its proof left"
            );
        }
        let mut scratch = std::mem::take(&mut proof.scratch);
        if !unmoved {
            if !proof.log_at(here, &mut scratch) {
                return Resumed::Not;
            }
            scratch.back.set(back);
            if scratch != *self {
                return Resumed::Not;
            }
        }
        let Some(target) = here.checked_add(rounds) else {
            return Resumed::Not;
        };
        // Within the proof, or up to its last period (the caller looks for a period
        // again from there).
        let last = proof.periods.saturating_mul(proof.q);
        let to = target.min(last);
        if to <= here || !proof.log_at(to, &mut scratch) {
            return Resumed::Not;
        }
        std::mem::swap(self, &mut scratch);
        self.back.set(back);
        #[cfg(test)]
        super::RESUMED.with(|n| n.set(n.get() + 1));
        #[cfg(test)]
        super::UNMOVED.with(|n| n.set(n.get() + u64::from(unmoved)));
        if to == target {
            let mark = next_mark();
            self.held.set_mark(mark);
            proof.left_at = Some((to, mark));
            #[cfg(debug_assertions)]
            proof.left.clone_from(self);
            proof.scratch = scratch;
            memo.0 = Some(proof);
        }
        Resumed::Made(to - here)
    }
}
