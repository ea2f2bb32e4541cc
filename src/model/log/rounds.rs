//! Many repeats of one period's appends in one step.
//!
//! A replayed stretch appends the same pattern round after round, each round later by
//! the same records and time. Appended one by one, each append that leaves the fresh
//! ones is folded into the older segments: under a steady pattern it extends the newest
//! of them every time. [`ShardLog::append_rounds`] gives the log the state those appends
//! would, with the first round's folds made one by one and the rest summed, when it can
//! show that every one of the rest would extend the newest folded segment:
//!
//! - For the `k`-th repeat of the pattern's `r`-th append, the newest segment's records,
//!   span, bytes and user records are affine in `k`. So is each side of the fold's rate
//!   and size checks (`|X| ≤ Y` with `X` and `Y` affine), and `|X| − Y` is convex in
//!   `k`: holding at the first and the last repeat, it holds at every one between. The
//!   user records' check is an equality of two affine functions: equal at both ends,
//!   equal throughout.
//! - The fold works in `f64`. While every product and sum it forms stays below 2^53 it
//!   is exact integer arithmetic, so the checks here, made in integers, decide as it
//!   would. They grow with `k`, so the last repeat bounds them.

use super::{steady, steady_users, Segment};
use super::{ShardLog, FRESH_APPENDS};
use crate::model::ratio::wide;

#[cfg(test)]
thread_local! {
    /// Calls that summed folds rather than making them one by one (for the tests).
    pub(super) static SUMMED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Largest integer every smaller one of which an `f64` holds exactly.
const EXACT: u128 = 1 << 53;

impl ShardLog {
    /// Appends `rounds` repeats of `pattern` (one period's appends, oldest first, as the
    /// first round brings them; each round `round_ms` later), as appending them one by
    /// one would, when retention's cuts up to `last_cutoff_ms` cannot reach what the
    /// appends change. Returns `None`, changing nothing, when that cannot be shown; then
    /// `Some(true)` when the caller must still make retention's cuts (they reach only
    /// segments the appends leave alone), `Some(false)` when none cuts anything.
    pub fn append_rounds(
        &mut self,
        pattern: &[Segment],
        rounds: u64,
        round_ms: u64,
        last_cutoff_ms: u64,
    ) -> Option<bool> {
        let a = pattern.len() as u64;
        let oldest_t0 = self.segs().next().map(|s| s.t0_ms);
        let cuts = oldest_t0.is_some_and(|t0| t0 < last_cutoff_ms);
        if a == 0 || rounds == 0 {
            return Some(cuts);
        }
        // The cuts must not reach what the appends extend (the newest folded segment).
        let reached = |back: &Segment| cuts && back.t0_ms < last_cutoff_ms;
        if self.held.folded.back().is_some_and(reached) {
            return None;
        }
        let round = Round::of(pattern, round_ms)?;
        let f = self.held.fresh.len() as u64;
        let total = f + rounds * a;
        let folds = total.saturating_sub(FRESH_APPENDS as u64);
        let first = folds.min(f + a);
        if let Some(back) = self.folded_as_rounds(pattern, &round, folds) {
            // The fresh appends are the pattern's last rounds: every fold, from theirs
            // on, is one of a run of rounds, checked at its ends.
            #[cfg(test)]
            SUMMED.with(|n| n.set(n.get() + 1));
            self.move_fresh_on(back, rounds, &round);
            return Some(cuts);
        }
        if cuts {
            // Every fold must extend the newest folded segment, which the cuts must not
            // reach: then they and the appends touch different segments.
            let mut back = *self.held.folded.back()?;
            let mut at = Cursor::at(self.held.fresh.len(), a, 0);
            for _ in 0..first {
                let seg = self.element(pattern, &round, &at);
                at.advance();
                if !extends(&back, &seg) {
                    return None;
                }
                grow(&mut back, &seg);
            }
            if folds > first {
                back = round.summed(&back, pattern, folds - f - a, 0)?;
                #[cfg(test)]
                SUMMED.with(|n| n.set(n.get() + 1));
            }
            self.finish(pattern, &round, rounds, folds, total, Some(back));
            return Some(true);
        }
        // Nothing is cut: the first round's folds are made as appending would make them,
        // on a copy of the newest folded segment while each one extends it.
        let mut at = Cursor::at(self.held.fresh.len(), a, 0);
        let mut done = 0;
        if let Some(mut back) = self.held.folded.back().copied() {
            while done < first {
                let seg = self.element(pattern, &round, &at);
                if !extends(&back, &seg) {
                    break;
                }
                grow(&mut back, &seg);
                at.advance();
                done += 1;
            }
            if let Some(last) = self.held.folded.back_mut() {
                *last = back;
            }
        }
        for _ in done..first {
            let seg = self.element(pattern, &round, &at);
            at.advance();
            self.fold(seg);
        }
        if folds > first {
            let next_t0 = self.element(pattern, &round, &at).t0_ms;
            let summed = self
                .held
                .folded
                .back()
                .filter(|back| back.t1_ms == next_t0)
                .and_then(|back| round.summed(back, pattern, folds - f - a, 0));
            match summed {
                Some(back) => {
                    #[cfg(test)]
                    SUMMED.with(|n| n.set(n.get() + 1));
                    self.finish(pattern, &round, rounds, folds, total, Some(back));
                    return Some(false);
                }
                None => {
                    for _ in first..folds {
                        let seg = self.element(pattern, &round, &at);
                        at.advance();
                        self.fold(seg);
                    }
                }
            }
        }
        self.finish(pattern, &round, rounds, folds, total, None);
        Some(false)
    }

    /// The newest folded segment after the next `folds` folds, when the fresh appends
    /// are the pattern's appends before its first, round after round, the first of them
    /// continues that segment without a gap, and every fold is shown to extend it.
    fn folded_as_rounds(&self, pattern: &[Segment], round: &Round, folds: u64) -> Option<Segment> {
        let (f, a) = (self.held.fresh.len() as u64, pattern.len() as u64);
        // A log keeps as many fresh appends as it can before it folds any: with a folded
        // segment there are all of them (short of a cut into them, which is left to the
        // other ways), and the last appends are then the fresh ones moved on.
        if folds == 0 || f != FRESH_APPENDS as u64 {
            return None;
        }
        let back = self.held.folded.back()?;
        // The fresh appends start `skip` appends into a round: the rounds are taken
        // from that append on (the pattern turned to start with it).
        let skip = (a - f % a) % a;
        let earlier = (f + skip) / a;
        let turned;
        let (pattern, round) = if skip == 0 {
            (pattern, round)
        } else {
            turned = round.turned(pattern, skip as usize)?;
            (&turned.0[..], &turned.1)
        };
        let mut at = Cursor::at(0, a, 0);
        for seg in &self.held.fresh {
            let k = (earlier - at.k).wrapping_neg();
            let expected =
                pattern[at.r].shifted(k.wrapping_mul(round.whole[0]), k.wrapping_mul(round.ms));
            if *seg != expected {
                return None;
            }
            at.advance();
        }
        if self.held.fresh.front()?.t0_ms != back.t1_ms {
            return None;
        }
        // The first round is the one before the fresh appends.
        round.summed(back, pattern, folds, earlier + 1)
    }

    /// The log after `rounds` rounds whose pattern's rounds the fresh appends are (all a
    /// log keeps, see `folded_as_rounds`): `back` as the newest folded segment, and the
    /// fresh appends the same, `rounds` rounds on.
    fn move_fresh_on(&mut self, back: Segment, rounds: u64, round: &Round) {
        let r = &mut *self.held;
        if let Some(last) = r.folded.back_mut() {
            *last = back;
        }
        let (dseq, dt) = (rounds * round.whole[0], rounds * round.ms);
        for seg in r.fresh.iter_mut() {
            *seg = seg.shifted(dseq, dt);
        }
        r.end_seq += dseq;
    }

    /// The element `at` points to, of the fresh appends followed by the rounds' appends.
    fn element(&self, pattern: &[Segment], round: &Round, at: &Cursor) -> Segment {
        if at.x < at.f {
            return self.held.fresh[at.x as usize];
        }
        pattern[at.r].shifted(at.k * round.whole[0], at.k * round.ms)
    }

    /// The log after the appends: `back` (if given) as the newest folded segment, the
    /// last appends as the fresh ones, and the end moved on.
    fn finish(
        &mut self,
        pattern: &[Segment],
        round: &Round,
        rounds: u64,
        folds: u64,
        total: u64,
        back: Option<Segment>,
    ) {
        if let (Some(back), Some(last)) = (back, self.held.folded.back_mut()) {
            *last = back;
        }
        // At most the fresh appends' number (`folds` leaves no more), made on the stack:
        // some may be of the fresh appends now, so they are all made before any moves.
        let mut last = [Segment::default(); FRESH_APPENDS];
        let n = (total - folds) as usize;
        let mut at = Cursor::at(self.held.fresh.len(), pattern.len() as u64, folds);
        for slot in &mut last[..n] {
            *slot = self.element(pattern, round, &at);
            at.advance();
        }
        self.held.fresh.clear();
        self.held.fresh.extend(&last[..n]);
        self.held.end_seq += rounds * round.whole[0];
        self.held.packed |= pattern.iter().any(|s| s.users != s.count);
    }
}

/// Element `x` of the fresh appends (`f` of them) followed by the rounds' appends (`a`
/// a round): the `r`-th append of round `k` past the fresh ones. Walked one by one, so
/// that no element costs a division.
struct Cursor {
    x: u64,
    f: u64,
    a: u64,
    k: u64,
    r: usize,
}

impl Cursor {
    fn at(f: usize, a: u64, x: u64) -> Cursor {
        let f = f as u64;
        let m = x.saturating_sub(f);
        Cursor {
            x,
            f,
            a,
            k: m / a,
            r: (m % a) as usize,
        }
    }

    /// The next element.
    fn advance(&mut self) {
        if self.x >= self.f {
            self.r += 1;
            if self.r as u64 == self.a {
                self.r = 0;
                self.k += 1;
            }
        }
        self.x += 1;
    }
}

/// One round of the pattern: what it adds, and how far it moves on.
struct Round {
    ms: u64,
    /// Records, bytes and user records of the pattern's appends before each one.
    before: Vec<[u64; 3]>,
    /// The same over the whole round.
    whole: [u64; 3],
}

impl Round {
    /// The round of `pattern`, if its appends follow one another without a gap, round
    /// after round.
    fn of(pattern: &[Segment], round_ms: u64) -> Option<Round> {
        let mut sum = [0u64; 3];
        let mut before = Vec::with_capacity(pattern.len());
        for (i, seg) in pattern.iter().enumerate() {
            let next_t0 = match pattern.get(i + 1) {
                Some(next) => next.t0_ms,
                None => pattern[0].t0_ms + round_ms,
            };
            if seg.t1_ms != next_t0 || seg.count == 0 {
                return None;
            }
            before.push(sum);
            sum = [sum[0] + seg.count, sum[1] + seg.bytes, sum[2] + seg.users];
        }
        Some(Round {
            ms: round_ms,
            before,
            whole: sum,
        })
    }

    /// `pattern` turned to start with its `skip`-th append (those before it coming a
    /// round later), and its round.
    fn turned(&self, pattern: &[Segment], skip: usize) -> Option<(Vec<Segment>, Round)> {
        let a = pattern.len();
        let segs: Vec<Segment> = (skip..skip + a)
            .map(|j| match pattern.get(j) {
                Some(seg) => *seg,
                None => pattern[j - a].shifted(self.whole[0], self.ms),
            })
            .collect();
        let round = Round::of(&segs, self.ms)?;
        Some((segs, round))
    }

    /// `back` after folding the next `n` appends of the rounds after the first (the
    /// pattern's from its first on, each round later), when every one of them is shown
    /// to extend it. The first round is the pattern's, or the one `earlier` rounds
    /// before it.
    fn summed(&self, back: &Segment, pattern: &[Segment], n: u64, earlier: u64) -> Option<Segment> {
        let a = pattern.len() as u64;
        // Records and time from the pattern to the `k`-th round after the first.
        let on = |k: u64| {
            let rounds = (k + 1).wrapping_sub(earlier);
            (
                rounds.wrapping_mul(self.whole[0]),
                rounds.wrapping_mul(self.ms),
            )
        };
        // The newest segment before the `r`-th append of the `k`-th round after the
        // first, which ends where that append starts.
        let before = |k: u64, r: usize| {
            let [c, b, u] = self.before[r];
            Segment {
                count: back.count + k * self.whole[0] + c,
                bytes: back.bytes + k * self.whole[1] + b,
                users: back.users + k * self.whole[2] + u,
                t1_ms: pattern[r].t0_ms.wrapping_add(on(k).1),
                ..*back
            }
        };
        for (r, seg) in pattern.iter().enumerate().take(n.min(a) as usize) {
            let last_k = (n - 1 - r as u64) / a;
            for k in [0, last_k] {
                let (dseq, dt) = on(k);
                let at = seg.shifted(dseq, dt);
                if !extends_exactly(&before(k, r), &at) {
                    return None;
                }
            }
        }
        Some(before(n / a, (n % a) as usize))
    }
}

/// Whether folding `seg` extends `back` (see `ShardLog::fold`).
fn extends(back: &Segment, seg: &Segment) -> bool {
    back.t1_ms == seg.t0_ms
        && steady(back, seg.count, seg.bytes, seg.t1_ms - seg.t0_ms)
        && steady_users(back, seg.count, seg.users)
}

/// `back` extended by `seg`.
fn grow(back: &mut Segment, seg: &Segment) {
    back.count += seg.count;
    back.bytes += seg.bytes;
    back.users += seg.users;
    back.t1_ms = seg.t1_ms;
}

/// [`extends`] for a `seg` that starts where `back` ends, decided in integers, when
/// the fold's `f64` arithmetic is exact for these numbers (`false` otherwise).
fn extends_exactly(back: &Segment, seg: &Segment) -> bool {
    let (c, s, b) = (back.count, back.t1_ms - back.t0_ms, back.bytes);
    let (n, span, bytes) = (seg.count, seg.t1_ms - seg.t0_ms, seg.bytes);
    let (ns, cs, s) = (wide(n, s), wide(c, span), u128::from(s));
    let rhs = 32 * s + cs;
    let (bc, bn) = (wide(bytes, c), wide(b, n));
    if ns >= EXACT || rhs >= EXACT || bc >= EXACT || bn >= EXACT {
        return false;
    }
    32 * ns.abs_diff(cs) <= rhs
        && 32 * bc.abs_diff(bn) <= bn
        && steady_users(back, seg.count, seg.users)
}
