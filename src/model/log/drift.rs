//! Many rounds of appends and retention's cuts on a log whose folded records drift.
//!
//! Past its retention a log is appended to and cut every tick. Under a repeating pattern
//! of appends it comes back to the same shape after a period of a few rounds, only
//! later, but an uneven pattern's folded segment does not quite keep its records: the
//! cut removes the records that arrived before the cut-off by interpolation, which
//! rounds, and the segment may lose (or gain) a record or so a period against what the
//! period appends. [`ShardLog::run_rounds`] finds such a period among the first rounds,
//! made one by one, and gives the log many periods on at once:
//!
//! - Each step of a round (an append and the fold it causes, a cut) does the same thing
//!   — its *outcome*: whether the fold extends, keeps or merges, and the segments, records,
//!   time, bytes and user records a cut removes — to logs that differ only in their
//!   segments' positions and counts. Under fixed outcomes a period is an affine map of
//!   those counts; two periods in a row that change the log alike show that the map
//!   keeps the change, so `m` periods on the log is the first one plus `m` changes, for
//!   as long as the outcomes stay the same.
//! - Along those logs every count an outcome depends on is affine in `m`, and each
//!   outcome is a monotone function of them: a cut's records are a rounded-up multiple
//!   of the segment's records, its time a rounded-down quotient by them, its bytes and
//!   user records rounded-down ratios of two affine counts. Each of a fold's three
//!   checks compares affine quantities (two through an absolute value): each check's
//!   result and the sign of each difference are part of the outcome (with the sign
//!   fixed, a check is an affine inequality), and only folds whose `f64` products stay
//!   below 2^47 (where that arithmetic is exact, sums and the factor 32 included) are
//!   jumped over; each product has one factor fixed by the round, so it is monotone
//!   too and below the bound at both ends means below it between. An integer monotone
//!   function equal at both ends of a range is constant on it, so making the last
//!   period one by one, from the log the changes predict, with the first period's
//!   outcomes shows that every period between had them too.

use std::collections::VecDeque;

use super::ratio::{mul_div, mul_div_ceil};
use super::{Segment, ShardLog, FRESH_APPENDS, MAX_FOLDED};
use proven::Proven;

mod proven;
pub use proven::Memo;

#[cfg(test)]
thread_local! {
    /// Calls that jumped over periods rather than making them one by one (for the tests).
    pub(super) static SKIPPED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// Calls that went on from a kept proof (for the tests).
    pub(super) static RESUMED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Products below this are exact in `f64`, with room for the fold's sums and factor 32.
const EXACT: u128 = 1 << 47;

/// Most rounds a period of a log's drift is looked for in.
const LONGEST_PERIOD: u64 = 600;

/// How many times the periods a call needs a jump also tries to prove, for the calls
/// after it (see [`proven`]), longest first.
const PROVED_AHEAD: [u64; 3] = [1_024, 64, 8];

/// One round of a shard's appends and retention's cuts, as its first repeat brings
/// them; the `k`-th repeat comes `k × ms` later.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Round {
    /// The appends, oldest first.
    pub appends: Vec<Segment>,
    /// Per tick, in order: how many of `appends` are made by its end, and the cut-off
    /// of retention's cut that ends it.
    pub cuts: Vec<(usize, u64)>,
    /// How far apart the repeats are, in ms.
    pub ms: u64,
}

/// What one cut did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Cut {
    /// Whole segments removed.
    popped: u64,
    /// Records removed from the segment cut into, and what they held.
    records: u64,
    ms: u64,
    bytes: u64,
    users: u64,
}

impl ShardLog {
    /// Removes every record that arrived before `cutoff_ms` (see
    /// [`ShardLog::trim_before`]); says what it removed.
    pub(super) fn cut(&mut self, cutoff_ms: u64) -> Cut {
        let mut cut = Cut::default();
        loop {
            // The oldest segment, wherever it is held.
            let queue = if self.folded.is_empty() {
                &mut self.fresh
            } else {
                &mut self.folded
            };
            let Some(front) = queue.front_mut() else {
                break;
            };
            if front.t1_ms <= cutoff_ms {
                self.mark = 0;
                self.start_seq = front.end_seq();
                self.start_users += front.users;
                queue.pop_front();
                cut.popped += 1;
                continue;
            }
            if front.t0_ms < cutoff_ms {
                let (span, count) = (front.span_ms(), front.count);
                let k = mul_div_ceil(cutoff_ms - front.t0_ms, count, span).min(count);
                if k > 0 {
                    self.mark = 0;
                    cut.records = k;
                    cut.bytes = front.bytes_of(k);
                    cut.users = front.users_of(k);
                    cut.ms = mul_div(k, span, count);
                    front.t0_ms += cut.ms;
                    front.first_seq += k;
                    front.count -= k;
                    front.bytes -= cut.bytes;
                    front.users -= cut.users;
                    self.start_users += cut.users;
                    self.start_seq = front.first_seq;
                }
            }
            break;
        }
        if self.segments() == 0 && self.start_seq != self.end_seq {
            self.mark = 0;
            self.start_seq = self.end_seq;
        }
        cut
    }

    /// What folding `seg` will do, as one number: the result of each of the fold's
    /// checks (see `steady` and `steady_users`) and the sign of the difference each
    /// compares; `None` when a product of its `f64` arithmetic may be inexact.
    fn fold_outcome(&self, seg: &Segment) -> Option<u64> {
        let Some(back) = self.folded.back() else {
            return Some(0);
        };
        if back.t1_ms != seg.t0_ms {
            return Some(1);
        }
        let [c, s, b, u] = [back.count, back.span_ms(), back.bytes, back.users].map(u128::from);
        let [n, span, bytes, users] =
            [seg.count, seg.span_ms(), seg.bytes, seg.users].map(u128::from);
        let (ns, cs, bc, bn, uc, un) = (n * s, c * span, bytes * c, b * n, users * c, u * n);
        if [ns, cs, bc, bn, s].iter().any(|&p| p >= EXACT) {
            return None;
        }
        let checks = u64::from(32 * ns.abs_diff(cs) <= 32 * s + cs)
            | u64::from(32 * bc.abs_diff(bn) <= bn) << 1
            | u64::from(uc == un) << 2;
        let sign = |x: u128, y: u128| (x.cmp(&y) as i8 + 1) as u64;
        Some(2 + checks + 8 * (9 * sign(ns, cs) + 3 * sign(bc, bn) + sign(uc, un)))
    }

    /// Makes the `k`-th repeat of `round` (the first is the 0th): its appends and cuts,
    /// tick by tick; adds each step's outcome to `trace` when given. Returns `false`
    /// when a fold's arithmetic may have been inexact (its outcome is then not traced).
    fn make_round(&mut self, round: &Round, k: u64, mut trace: Option<&mut Vec<u64>>) -> bool {
        self.mark = 0;
        let dt = k * round.ms;
        let mut from = 0;
        let mut exact = true;
        for &(to, cutoff_ms) in &round.cuts {
            for seg in round.appends.get(from..to).unwrap_or_default() {
                let Some(old) = self.push_append(seg.shifted(0, dt)) else {
                    continue;
                };
                match trace.as_deref_mut() {
                    Some(trace) => {
                        let outcome = self.fold_outcome(&old);
                        exact &= outcome.is_some();
                        trace.extend([outcome.unwrap_or_default(), self.fold(old)]);
                    }
                    None => {
                        self.fold(old);
                    }
                }
            }
            from = to;
            let cut = self.cut(cutoff_ms + dt);
            if let Some(trace) = trace.as_deref_mut() {
                trace.extend([cut.popped, cut.records, cut.ms, cut.bytes, cut.users]);
            }
        }
        exact
    }

    /// Whether this log has the shape of `earlier`, every segment `dt_ms` later.
    fn same_shape(&self, earlier: &ShardLog, dt_ms: u64) -> bool {
        let later = |now: &Segment, then: &Segment| {
            now.t0_ms == then.t0_ms.wrapping_add(dt_ms)
                && now.t1_ms == then.t1_ms.wrapping_add(dt_ms)
        };
        self.packed == earlier.packed
            && self.folded.len() == earlier.folded.len()
            && self.fresh.len() == earlier.fresh.len()
            && self
                .folded
                .iter()
                .zip(&earlier.folded)
                .all(|(a, b)| later(a, b))
            && self
                .fresh
                .iter()
                .zip(&earlier.fresh)
                .all(|(a, b)| later(a, b))
    }

    /// Every count a period may change, in order: each segment's position, records,
    /// bytes and user records, then the log's start, end and user records before it.
    fn numbers(&self) -> impl Iterator<Item = u64> + '_ {
        let segs = self
            .segs()
            .flat_map(|s| [s.first_seq, s.count, s.bytes, s.users]);
        segs.chain([self.start_seq, self.end_seq, self.start_users])
    }

    /// Whether `one` changed from this log as `two` from `one`, count by count (the
    /// three having one shape).
    fn changed_alike(&self, one: &ShardLog, two: &ShardLog) -> bool {
        let mut steps = self.numbers().zip(one.numbers()).zip(two.numbers());
        steps.all(|((a, b), c)| b.wrapping_sub(a) == c.wrapping_sub(b))
    }

    /// This log `times` periods of `dt_ms` on, each changing it as it changed into
    /// `one` (of the same shape), when every count stays within range and every
    /// segment keeps a record. Its queues have room for the most segments a log holds,
    /// as the rounds made from it append.
    fn drifted(&self, one: &ShardLog, dt_ms: u64, times: u64) -> Option<ShardLog> {
        let dt = dt_ms.checked_mul(times)?;
        let times = i64::try_from(times).ok()?;
        // `a` moved on by `times` × (`b` − `a`), within range.
        let step =
            |a: u64, b: u64| a.checked_add_signed((b.wrapping_sub(a) as i64).checked_mul(times)?);
        let moved = |a: &Segment, b: &Segment| {
            let seg = Segment {
                first_seq: step(a.first_seq, b.first_seq)?,
                count: step(a.count, b.count)?,
                t0_ms: a.t0_ms.checked_add(dt)?,
                t1_ms: a.t1_ms.checked_add(dt)?,
                bytes: step(a.bytes, b.bytes)?,
                users: step(a.users, b.users)?,
            };
            (seg.count > 0).then_some(seg)
        };
        let fill = |now: &VecDeque<Segment>, then: &VecDeque<Segment>, room: usize| {
            let mut out = VecDeque::with_capacity(room);
            for (a, b) in now.iter().zip(then) {
                out.push_back(moved(a, b)?);
            }
            Some(out)
        };
        Some(ShardLog {
            folded: fill(&self.folded, &one.folded, MAX_FOLDED + 1)?,
            fresh: fill(&self.fresh, &one.fresh, FRESH_APPENDS + 1)?,
            start_seq: step(self.start_seq, one.start_seq)?,
            end_seq: step(self.end_seq, one.end_seq)?,
            start_users: step(self.start_users, one.start_users)?,
            packed: self.packed,
            back: self.back.clone(),
            mark: 0,
        })
    }

    /// Makes `rounds` repeats of `round` (the `k`-th `k × round.ms` later), leaving the
    /// log as appending and cutting tick by tick would. When the log changes alike
    /// period after period (see the module's notes), the periods between its first two
    /// and the last that still goes alike are not made one by one; nor are those a
    /// proof kept in `memo` from the last call on this log covers (see [`proven`]).
    pub fn run_rounds(&mut self, round: &Round, rounds: u64, memo: &mut Memo) {
        let mut done = self.resume(round, rounds, memo);
        if done == 0 && memo.0.is_some() {
            // Too few rounds to check the log against the kept proof: made one by one,
            // not searched (a search would put a proof of these few rounds in its place).
            for k in 0..rounds {
                self.make_round(round, k, None);
            }
            return;
        }
        while done < rounds {
            done = self.jump_from(round, done, rounds, memo);
        }
    }

    /// From round `from` on: makes rounds one by one while looking for a period, jumps
    /// over as many of its repeats as go alike, and returns the rounds made by then.
    /// Too near the end to look, it makes the rest.
    fn jump_from(&mut self, round: &Round, from: u64, rounds: u64, memo: &mut Memo) -> u64 {
        let start = self.clone();
        // Each step's outcome, and where each round's end: room for the few rounds a
        // period of one or two takes to show (each append traces two numbers, each cut five).
        let per_round = 2 * round.appends.len() + 5 * round.cuts.len();
        let mut trace = Vec::with_capacity(6 * per_round);
        let mut ends = Vec::with_capacity(8);
        ends.push(0);
        // Logs after `q` rounds with the shape of `start`: a period of `q`, if the next
        // `q` rounds change the log alike.
        let mut candidates: Vec<(u64, ShardLog)> = Vec::new();
        let mut q2 = 0;
        let mut exact = true;
        while q2 < 2 * LONGEST_PERIOD && 3 * (q2 + 1) <= 2 * (rounds - from) {
            exact &= self.make_round(round, from + q2, Some(&mut trace));
            q2 += 1;
            ends.push(trace.len());
            if self.same_shape(&start, q2 * round.ms) {
                candidates.push((q2, self.clone()));
            }
            if let Some(i) = candidates.iter().position(|(q, _)| 2 * q == q2) {
                let (q, one) = candidates.swap_remove(i);
                let first = &trace[..ends[q as usize]];
                if exact && first == &trace[ends[q as usize]..] {
                    let jumped = self.jump(&start, &one, q, first, round, from, rounds);
                    if let Some((made, proof)) = jumped {
                        memo.0 = Some(proof);
                        return from + made;
                    }
                }
            }
        }
        if q2 > 0 {
            // None found: the log may settle into a period later; look again from here.
            return from + q2;
        }
        for k in from..rounds {
            self.make_round(round, k, None);
        }
        rounds
    }

    /// With this log two periods of `q` rounds after `start` (at round `from`) and
    /// `one` the log after the first, both periods having had the outcomes `first`:
    /// when they changed the log alike, becomes the log after the most whole periods
    /// of the `rounds - from` left that are shown to have those outcomes too (halving
    /// them till they are, down to 3); returns the rounds that makes and the proof to
    /// keep, for as many periods on as it shows.
    #[allow(clippy::too_many_arguments)]
    fn jump(
        &mut self,
        start: &ShardLog,
        one: &ShardLog,
        q: u64,
        first: &[u64],
        round: &Round,
        from: u64,
        rounds: u64,
    ) -> Option<(u64, Box<Proven>)> {
        if !self.same_shape(one, q * round.ms) || !start.changed_alike(one, self) {
            return None;
        }
        let mut periods = (rounds - from) / q;
        while periods >= 3 {
            if let Some(last) = start.alike(one, periods, q, first, round, from) {
                *self = last;
                let ahead = PROVED_AHEAD
                    .iter()
                    .map(|&f| f.saturating_mul(periods))
                    .find(|&more| start.alike(one, more, q, first, round, from).is_some());
                let proof = Proven::new(start, one, q, ahead.unwrap_or(periods), round, from);
                #[cfg(test)]
                SKIPPED.with(|n| n.set(n.get() + 1));
                return Some((periods * q, proof));
            }
            periods /= 2;
        }
        None
    }

    /// This log `periods` periods of `q` rounds on (at round `from`), each changing it
    /// as the first did into `one`, if its last period, made from the log that
    /// predicts, has the outcomes `first`.
    fn alike(
        &self,
        one: &ShardLog,
        periods: u64,
        q: u64,
        first: &[u64],
        round: &Round,
        from: u64,
    ) -> Option<ShardLog> {
        let period_ms = q * round.ms;
        let mut last = self.drifted(one, period_ms, periods - 1)?;
        let mut outcomes = Vec::with_capacity(first.len());
        let mut exact = true;
        for j in 0..q {
            exact &= last.make_round(round, from + (periods - 1) * q + j, Some(&mut outcomes));
        }
        if !exact || outcomes != first {
            return None;
        }
        debug_assert!(
            self.drifted(one, period_ms, periods)
                .is_some_and(|expected| last.moved_from(&expected, 0).is_some()),
            "a period with the first one's outcomes changes the log alike"
        );
        Some(last)
    }
}

#[cfg(test)]
mod tests;
