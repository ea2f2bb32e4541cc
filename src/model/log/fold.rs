//! Folding: an append that is no longer among the fresh ones joins the older segments,
//! extending the newest of them at a steady rate or kept as its own, and past a cap the
//! two neighbours oldest for their length are merged.

use super::{Segment, ShardLog, MAX_FOLDED};
use crate::model::ratio::wide;

impl ShardLog {
    /// Folds an append that is no longer among the fresh ones into the older segments:
    /// it extends the newest of them when it continues its rate, record size and user
    /// records per record, and is kept as a segment of its own otherwise. Returns what
    /// it did: 0 extended, 1 kept, `2 + i` kept and merged the pair from the `i`-th.
    pub(super) fn fold(&mut self, seg: Segment) -> u64 {
        if let Some(last) = self.held.folded.back_mut() {
            if last.t1_ms == seg.t0_ms
                && steady(last, seg.count, seg.bytes, seg.span_ms())
                && steady_users(last, seg.count, seg.users)
            {
                last.count += seg.count;
                last.bytes += seg.bytes;
                last.users += seg.users;
                last.t1_ms = seg.t1_ms;
                return 0;
            }
        }
        self.held.folded.push_back(seg);
        if self.held.folded.len() > MAX_FOLDED {
            return 2 + self.merge_one(seg.t1_ms) as u64;
        }
        1
    }

    /// Merges the adjacent pair of older segments (not the newest) whose combined span
    /// is smallest relative to its age; returns the index of the first of them.
    fn merge_one(&mut self, now_ms: u64) -> usize {
        let mut best = 0;
        let mut best_score = f64::INFINITY;
        for i in 0..self.held.folded.len() - 2 {
            let (a, b) = (&self.held.folded[i], &self.held.folded[i + 1]);
            let span = (b.t1_ms - a.t0_ms) as f64;
            let age = (now_ms.saturating_sub(b.t1_ms) + 1) as f64;
            let score = span / age;
            if score < best_score {
                best_score = score;
                best = i;
            }
        }
        if let Some(b) = self.held.folded.remove(best + 1) {
            let a = &mut self.held.folded[best];
            a.count += b.count;
            a.bytes += b.bytes;
            a.users += b.users;
            a.t1_ms = b.t1_ms;
        }
        best
    }
}

/// Whether `n` records and `bytes` over `span_ms` continue `seg`'s rate and record size
/// closely enough (within 1/32, or one record) to extend it instead of starting another.
pub(super) fn steady(seg: &Segment, n: u64, bytes: u64, span_ms: u64) -> bool {
    // |n − c·span/s| ≤ 1 + (c·span/s)/32 and |bytes/n − B/c| ≤ (B/c)/32, multiplied out
    // so that appending (every tick, every shard) needs no division.
    let (c, s, b) = (seg.count as f64, seg.span_ms() as f64, seg.bytes as f64);
    let (n, span, bytes) = (n as f64, span_ms as f64, bytes as f64);
    let rate_ok = 32.0 * (n * s - c * span).abs() <= 32.0 * s + c * span;
    let size_ok = 32.0 * (bytes * c - b * n).abs() <= b * n;
    rate_ok && size_ok
}

/// Whether `n` records holding `users` user records keep `seg`'s user records per
/// record exactly: then the user records before any position already in `seg` stay
/// what they were, so readers that count them piece by piece add up to what was put.
pub(super) fn steady_users(seg: &Segment, n: u64, users: u64) -> bool {
    wide(users, seg.count) == wide(seg.users, n)
}
