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

use super::{Segment, ShardLog};
use crate::model::ratio::{mul_div, mul_div_ceil, wide};
use proven::{Change, Proven, Resumed};

mod proven;
pub use proven::Memo;

#[cfg(test)]
thread_local! {
    /// Calls that jumped over periods rather than making them one by one (for the tests).
    pub(super) static SKIPPED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// Calls that went on from a kept proof (for the tests).
    pub(super) static RESUMED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// Of those, the calls that found the log still marked, so checked nothing.
    pub(super) static UNMOVED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Products below this are exact in `f64`, with room for the fold's sums and factor 32.
const EXACT: u128 = 1 << 47;

/// Most rounds a period of a log's drift is looked for in.
const LONGEST_PERIOD: u64 = 600;

/// Rounds a search looks through before it starts again, at first (it finds periods of
/// up to half as many rounds).
const FIRST_WINDOW: u64 = 16;

/// How many times the periods a call needs a jump also tries to prove, for the calls
/// after it (see [`proven`]), longest first (then as many as it can, short of the
/// last).
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
        // The oldest segment, wherever it is held; looked at before anything is
        // changed, so that a cut that removes nothing keeps the log's mark.
        while let Some(&front) = self.held.folded.front().or_else(|| self.held.fresh.front()) {
            if front.t1_ms <= cutoff_ms {
                let r = &mut *self.held;
                r.start_seq = front.end_seq();
                r.start_users += front.users;
                if r.folded.pop_front().is_none() {
                    r.fresh.pop_front();
                }
                cut.popped += 1;
                continue;
            }
            if front.t0_ms < cutoff_ms {
                let (span, count) = (front.span_ms(), front.count);
                let k = mul_div_ceil(cutoff_ms - front.t0_ms, count, span).min(count);
                if k > 0 {
                    cut.records = k;
                    cut.bytes = front.bytes_of(k);
                    cut.users = front.users_of(k);
                    cut.ms = mul_div(k, span, count);
                    let r = &mut *self.held;
                    let oldest = match r.folded.front_mut() {
                        Some(seg) => Some(seg),
                        None => r.fresh.front_mut(),
                    };
                    if let Some(seg) = oldest {
                        seg.t0_ms += cut.ms;
                        seg.first_seq += k;
                        seg.count -= k;
                        seg.bytes -= cut.bytes;
                        seg.users -= cut.users;
                        r.start_seq = seg.first_seq;
                    }
                    r.start_users += cut.users;
                }
            }
            break;
        }
        if self.segments() == 0 && self.held.start_seq != self.held.end_seq {
            let r = &mut *self.held;
            r.start_seq = r.end_seq;
        }
        cut
    }

    /// What folding `seg` will do, as one number: the result of each of the fold's
    /// checks (see `steady` and `steady_users`) and the sign of the difference each
    /// compares; `None` when a product of its `f64` arithmetic may be inexact.
    fn fold_outcome(&self, seg: &Segment) -> Option<u64> {
        let Some(back) = self.held.folded.back() else {
            return Some(0);
        };
        if back.t1_ms != seg.t0_ms {
            return Some(1);
        }
        let [c, s, b, u] = [back.count, back.span_ms(), back.bytes, back.users];
        let [n, span, bytes, users] = [seg.count, seg.span_ms(), seg.bytes, seg.users];
        let (ns, cs, bc, bn) = (wide(n, s), wide(c, span), wide(bytes, c), wide(b, n));
        let (uc, un, s) = (wide(users, c), wide(u, n), u128::from(s));
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
        self.held.packed == earlier.held.packed
            && self.held.folded.len() == earlier.held.folded.len()
            && self.held.fresh.len() == earlier.held.fresh.len()
            && self
                .held
                .folded
                .iter()
                .zip(&earlier.held.folded)
                .all(|(a, b)| later(a, b))
            && self
                .held
                .fresh
                .iter()
                .zip(&earlier.held.fresh)
                .all(|(a, b)| later(a, b))
    }

    /// Every count a period may change, in order: each segment's position, records,
    /// bytes and user records, then the log's start, end and user records before it.
    fn numbers(&self) -> impl Iterator<Item = u64> + '_ {
        let segs = self
            .segs()
            .flat_map(|s| [s.first_seq, s.count, s.bytes, s.users]);
        segs.chain([
            self.held.start_seq,
            self.held.end_seq,
            self.held.start_users,
        ])
    }

    /// Whether `one` changed from this log as `two` from `one`, count by count (the
    /// three having one shape).
    fn changed_alike(&self, one: &ShardLog, two: &ShardLog) -> bool {
        let mut steps = self.numbers().zip(one.numbers()).zip(two.numbers());
        steps.all(|((a, b), c)| b.wrapping_sub(a) == c.wrapping_sub(b))
    }

    /// Makes `rounds` repeats of `round` (the `k`-th `k × round.ms` later), leaving the
    /// log as appending and cutting tick by tick would. When the log changes alike
    /// period after period (see the module's notes), the periods between its first two
    /// and the last that still goes alike are not made one by one; nor are those a
    /// proof kept in `memo` from the last call on this log covers (see [`proven`]).
    pub fn run_rounds(&mut self, round: &Round, rounds: u64, memo: &mut Memo) {
        let mut done = match self.resume(round, rounds, memo) {
            Resumed::Made(made) => made,
            Resumed::Not => 0,
            Resumed::Kept => {
                // Made one by one, not searched: a search would put a proof of these few
                // rounds in the kept one's place.
                for k in 0..rounds {
                    self.make_round(round, k, None);
                }
                return;
            }
        };
        // A search whose first rounds hold a break in the pattern (a cut that rounds
        // the other way, say) finds no period however long it goes on: it starts again
        // after a few rounds, and looks twice as far each time it found none.
        let mut window = FIRST_WINDOW;
        while done < rounds {
            let (made, jumped) = self.jump_from(round, done, rounds, window, memo);
            done = made;
            window = if jumped {
                FIRST_WINDOW
            } else {
                (2 * window).min(2 * LONGEST_PERIOD)
            };
        }
    }

    /// From round `from` on: makes rounds one by one while looking for a period (of at
    /// most half of `window` rounds), jumps over as many of its repeats as go alike, and
    /// returns the rounds made by then and whether it jumped. Too near the end to look,
    /// it makes the rest.
    fn jump_from(
        &mut self,
        round: &Round,
        from: u64,
        rounds: u64,
        window: u64,
        memo: &mut Memo,
    ) -> (u64, bool) {
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
        while q2 < window && 3 * (q2 + 1) <= 2 * (rounds - from) {
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
                        return (from + made, true);
                    }
                }
            }
        }
        if q2 > 0 {
            // None found: the log may settle into a period later; look again from here.
            return (from + q2, false);
        }
        for k in from..rounds {
            self.make_round(round, k, None);
        }
        (rounds, false)
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
        let most = (rounds - from) / q;
        let mut trial = Trial {
            start,
            change: Change::between(start, one, q * round.ms),
            q,
            first,
            round,
            from,
            last: ShardLog::with_room(),
            outcomes: Vec::with_capacity(first.len()),
        };
        let mut periods = most;
        while periods >= 3 {
            if trial.alike(periods) {
                std::mem::swap(self, &mut trial.last);
                // Each outcome is monotone in the period: past a period that went
                // otherwise none goes alike, so more are tried only when all went alike.
                let proved = if periods == most {
                    trial.most_alike(periods)
                } else {
                    periods
                };
                let Trial { change, last, .. } = trial;
                let proof = Proven::new(change, q, proved, round, from, last);
                #[cfg(test)]
                SKIPPED.with(|n| n.set(n.get() + 1));
                return Some((periods * q, proof));
            }
            periods /= 2;
        }
        None
    }
}

/// A jump's trials of how many periods go alike: from `start` (at round `from` of
/// `round`), each period of `q` rounds changes the log by `change`, and the first had
/// the outcomes `first`.
struct Trial<'a> {
    start: &'a ShardLog,
    change: Change,
    q: u64,
    first: &'a [u64],
    round: &'a Round,
    from: u64,
    /// Room for the log after the periods tried last, and its last period's outcomes.
    last: ShardLog,
    outcomes: Vec<u64>,
}

impl Trial<'_> {
    /// The most periods shown to go alike, from `periods` that do: [`PROVED_AHEAD`]
    /// times as many, longest first, or else as many as a search between them and the
    /// least of those finds, to within a quarter (each outcome is monotone in the
    /// period, so all go alike up to one that does).
    fn most_alike(&mut self, periods: u64) -> u64 {
        let mut failed = u64::MAX;
        for &f in &PROVED_AHEAD {
            let more = f.saturating_mul(periods);
            if self.alike(more) {
                return more;
            }
            failed = more;
        }
        most_holding(periods, failed, |m| self.alike(m))
    }

    /// Makes in `last` the log `periods` periods on, and says whether its last period,
    /// made from the log the changes predict, has the first period's outcomes.
    fn alike(&mut self, periods: u64) -> bool {
        let (q, round) = (self.q, self.round);
        if !self.change.at_into(periods - 1, &mut self.last) {
            return false;
        }
        self.last.back.set(self.start.back.get());
        self.outcomes.clear();
        let at = self.from + (periods - 1) * q;
        let mut exact = true;
        for j in 0..q {
            exact &= self
                .last
                .make_round(round, at + j, Some(&mut self.outcomes));
        }
        if !exact || self.outcomes != self.first {
            return false;
        }
        #[cfg(debug_assertions)]
        assert!(
            self.change
                .at(periods)
                .is_some_and(|expected| self.last.moved_from(&expected, 0).is_some()),
            "a period with the first one's outcomes changes the log alike"
        );
        true
    }
}

/// The most periods in `lo..hi` for which `holds`, to within a quarter (at least
/// one), when it holds for `lo`, not for `hi`, and for all up to any it holds for.
fn most_holding(mut lo: u64, mut hi: u64, mut holds: impl FnMut(u64) -> bool) -> u64 {
    while hi - lo > (lo / 4).max(1) {
        let mid = lo + (hi - lo) / 2;
        if holds(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests;
