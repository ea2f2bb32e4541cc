//! A shard's log as a short queue of arrival segments instead of records.
//!
//! A segment says "`count` records, sequence numbers `first_seq..`, arrived evenly over
//! `[t0_ms, t1_ms)` and hold `bytes` bytes". Each append is kept as its own segment for
//! the [`FRESH_APPENDS`] appends that follow it, so the arrival time of a recent record
//! is interpolated within the append (the tick, or the second) it came in: what a
//! reader near the tip sees depends on the recent appends alone. Older appends are
//! folded into the segments before them: one at a steady rate extends the oldest
//! segment's neighbour, a change of rate starts another, and past a fixed cap the
//! neighbours that are oldest relative to their length are merged. Memory per shard is
//! therefore bounded whatever the retention or run length, and positions stay exact
//! integers: only arrival times inside a folded or merged segment are interpolated.
//!
//! Positions count Kinesis records. With KPL aggregation a Kinesis record holds several
//! user records: a segment also knows its `users`, interpolated like its bytes, and the
//! log counts the user records before any position (`users_at`), so that user records
//! read over many calls add up to the user records written.

use std::cell::Cell;

use crate::model::ratio::{mul_div, mul_div_ceil};
use held::Held;

/// Most segments one shard keeps for its older records.
const MAX_FOLDED: usize = 48;
/// Appends kept as their own segments, newest last.
pub const FRESH_APPENDS: usize = 32;
/// Most segments one shard keeps.
pub const MAX_SEGMENTS: usize = MAX_FOLDED + FRESH_APPENDS;

/// Records that arrived evenly over a time span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Segment {
    /// Sequence number of the first record.
    pub first_seq: u64,
    /// Number of records.
    pub count: u64,
    /// Arrival time of the first record, in simulated ms.
    pub t0_ms: u64,
    /// End of the arrival span, in simulated ms (exclusive).
    pub t1_ms: u64,
    /// Total bytes of the records.
    pub bytes: u64,
    /// User records the records hold (`count` without aggregation).
    pub users: u64,
}

impl Segment {
    /// The same segment `dseq` records and `dt_ms` later (wrapping).
    pub fn shifted(&self, dseq: u64, dt_ms: u64) -> Segment {
        Segment {
            first_seq: self.first_seq.wrapping_add(dseq),
            t0_ms: self.t0_ms.wrapping_add(dt_ms),
            t1_ms: self.t1_ms.wrapping_add(dt_ms),
            ..*self
        }
    }

    fn end_seq(&self) -> u64 {
        self.first_seq + self.count
    }

    fn span_ms(&self) -> u64 {
        self.t1_ms - self.t0_ms
    }

    /// Arrival time of record `seq` inside this segment.
    fn arrival_ms(&self, seq: u64) -> u64 {
        self.t0_ms + mul_div(seq - self.first_seq, self.span_ms(), self.count)
    }

    /// Bytes of `n` records of this segment.
    fn bytes_of(&self, n: u64) -> u64 {
        mul_div(self.bytes, n, self.count)
    }

    /// User records in the first `n` records of this segment.
    fn users_of(&self, n: u64) -> u64 {
        mul_div(self.users, n, self.count)
    }
}

/// The records a shard currently retains. Copies and comparisons go by the records (and
/// `back`), not by the mark, which only says where they came from, nor by the lookup
/// hint, which only says where to look first.
#[derive(Debug, Default, Clone)]
pub struct ShardLog {
    /// The records, and the mark a drift proof left on them (see [`Memo`]).
    held: Held,
    /// Whether a lookup of a record's arrival or size went past the fresh appends since
    /// [`ShardLog::looked_back`] last asked.
    back: Cell<bool>,
    /// Where the last lookup that searched found its record: the index of its segment
    /// among all of them, oldest first. A reader's next lookup is most often in that
    /// segment or the next, so [`ShardLog::find`] tries those two before it searches;
    /// only the segment holding the record passes the check, so a stale hint costs a
    /// comparison and changes no answer.
    hint: Cell<usize>,
}

impl PartialEq for ShardLog {
    fn eq(&self, other: &ShardLog) -> bool {
        self.held == other.held && self.back == other.back
    }
}

impl Eq for ShardLog {}

impl ShardLog {
    /// An empty log with room for the most segments a log holds, and one more of each
    /// kind (an append or a fold adds one before another goes).
    fn with_room() -> ShardLog {
        ShardLog {
            held: Held::with_room(MAX_FOLDED + 1, FRESH_APPENDS + 1),
            back: Cell::default(),
            hint: Cell::default(),
        }
    }

    /// Sequence number of the oldest retained record (equals `end_seq` when empty).
    pub fn start_seq(&self) -> u64 {
        self.held.start_seq
    }

    /// Sequence number the next appended record will get.
    pub fn end_seq(&self) -> u64 {
        self.held.end_seq
    }

    /// Records currently retained.
    pub fn len(&self) -> u64 {
        self.held.end_seq - self.held.start_seq
    }

    /// Whether no record is retained.
    pub fn is_empty(&self) -> bool {
        self.held.start_seq == self.held.end_seq
    }

    /// Number of segments (bounded by [`MAX_SEGMENTS`]).
    pub fn segments(&self) -> usize {
        self.held.folded.len() + self.held.fresh.len()
    }

    /// Whether an arrival time or a read since the last call looked at a record older
    /// than the fresh appends (retention's trim and the billing of held bytes do not
    /// count); asking clears it. A reader near the tip never does.
    pub fn looked_back(&self) -> bool {
        self.back.replace(false)
    }

    /// Appends that may still fold into a segment of their own before two older
    /// segments are merged (a merge changes the bytes a read of them returns).
    pub fn pushes_before_merge(&self) -> usize {
        MAX_FOLDED.saturating_sub(self.held.folded.len())
    }

    /// Sets what [`ShardLog::looked_back`] answers next: a lookup made on another's
    /// behalf (a reader whose reads a replay works out) is taken back so.
    pub fn set_looked_back(&self, back: bool) {
        self.back.set(back);
    }

    /// Whether a record held other than one user record.
    pub fn packed(&self) -> bool {
        self.held.packed
    }

    /// The last appends, oldest first, each as it came.
    pub fn fresh(&self) -> impl DoubleEndedIterator<Item = &Segment> + ExactSizeIterator + '_ {
        self.held.fresh.iter()
    }

    /// Every segment, oldest first.
    fn segs(&self) -> impl DoubleEndedIterator<Item = &Segment> + '_ {
        self.held.folded.iter().chain(self.held.fresh.iter())
    }

    /// Index in `fresh` of the append holding `seq`, when `seq` is in one: the last two
    /// appends, where most lookups land, are tried first.
    #[inline]
    fn fresh_index(&self, seq: u64) -> Option<usize> {
        let n = self.held.fresh.len();
        match self.held.fresh.front() {
            Some(f) if seq >= f.first_seq => {
                for i in (n.saturating_sub(2)..n).rev() {
                    if seq >= self.held.fresh[i].first_seq {
                        return Some(i);
                    }
                }
                Some(self.held.fresh.partition_point(|s| s.end_seq() <= seq))
            }
            _ => None,
        }
    }

    /// The segments from the one holding `seq` (or the first after it) on.
    fn segs_from(&self, seq: u64) -> impl Iterator<Item = &Segment> + '_ {
        let (i, j) = match self.fresh_index(seq) {
            Some(j) => (self.held.folded.len(), j),
            None => {
                self.back.set(true);
                (self.held.folded.partition_point(|s| s.end_seq() <= seq), 0)
            }
        };
        self.held
            .folded
            .range(i..)
            .chain(self.held.fresh.range(j..))
    }

    /// The newest segment.
    fn newest(&self) -> Option<&Segment> {
        self.held.fresh.back().or_else(|| self.held.folded.back())
    }

    /// Appends `n` records of `bytes` bytes in total that arrived evenly over `[t0_ms, t1_ms)`.
    pub fn append(&mut self, n: u64, bytes: u64, t0_ms: u64, t1_ms: u64) {
        self.append_packed(n, bytes, n, t0_ms, t1_ms);
    }

    /// Appends `n` records of `bytes` bytes holding `users` user records in total, that
    /// arrived evenly over `[t0_ms, t1_ms)`.
    pub fn append_packed(&mut self, n: u64, bytes: u64, users: u64, t0_ms: u64, t1_ms: u64) {
        let seg = Segment {
            first_seq: 0,
            count: n,
            t0_ms,
            t1_ms,
            bytes,
            users,
        };
        if let Some(oldest) = self.push_append(seg) {
            self.fold(oldest);
        }
    }

    /// Adds `seg` (at the end, whatever its `first_seq`) to the fresh appends; returns
    /// the oldest of them when it is no longer fresh, to be folded.
    fn push_append(&mut self, seg: Segment) -> Option<Segment> {
        if seg.count == 0 || seg.t1_ms <= seg.t0_ms {
            return None;
        }
        let r = &mut *self.held;
        r.end_seq += seg.count;
        r.packed |= seg.users != seg.count;
        r.fresh.push_back(Segment {
            first_seq: r.end_seq - seg.count,
            ..seg
        });
        if r.fresh.len() > FRESH_APPENDS {
            r.fresh.pop_front()
        } else {
            None
        }
    }

    fn find(&self, seq: u64) -> Option<&Segment> {
        if seq < self.held.start_seq || seq >= self.held.end_seq {
            return None;
        }
        let folded = self.held.folded.len();
        let at = |i: usize| match i.checked_sub(folded) {
            None => self.held.folded.get(i),
            Some(j) => self.held.fresh.get(j),
        };
        let hint = self.hint.get();
        for i in [hint, hint + 1] {
            if let Some(seg) = at(i) {
                if seq >= seg.first_seq && seq < seg.end_seq() {
                    if i < folded {
                        self.back.set(true);
                    }
                    self.hint.set(i);
                    return Some(seg);
                }
            }
        }
        let i = match self.fresh_index(seq) {
            Some(j) => folded + j,
            None => {
                self.back.set(true);
                self.held.folded.partition_point(|s| s.end_seq() <= seq)
            }
        };
        self.hint.set(i);
        at(i)
    }

    /// User records in the records before `seq` since the log began (retained or not).
    #[inline]
    pub fn users_at(&self, seq: u64) -> u64 {
        if !self.held.packed {
            return seq.clamp(self.held.start_seq, self.held.end_seq);
        }
        self.packed_users_at(seq)
    }

    /// [`ShardLog::users_at`] once a record held other than one user record.
    fn packed_users_at(&self, seq: u64) -> u64 {
        let mut users = self.held.start_users;
        for seg in self.segs() {
            if seg.end_seq() <= seq {
                users += seg.users;
            } else {
                if seq > seg.first_seq {
                    users += seg.users_of(seq - seg.first_seq);
                }
                break;
            }
        }
        users
    }

    /// User records held by records `from..from + n`.
    #[inline]
    pub fn users_in(&self, from: u64, n: u64) -> u64 {
        self.users_at(from + n).saturating_sub(self.users_at(from))
    }

    /// Arrival time of record `seq`, or `None` if it is not retained.
    #[inline]
    pub fn arrival_ms(&self, seq: u64) -> Option<u64> {
        // Most lookups are in the newest segment.
        match self.newest() {
            Some(last) if seq >= last.first_seq && seq < self.held.end_seq => {
                Some(last.arrival_ms(seq))
            }
            _ => self.find(seq).map(|s| s.arrival_ms(seq)),
        }
    }

    /// Age at `at_ms` of the last of records `start..start + len` (0 when it is gone).
    pub fn last_age(&self, start: u64, len: u64, at_ms: u64) -> u64 {
        self.arrival_ms(start + len.saturating_sub(1))
            .map_or(0, |arrived| at_ms.saturating_sub(arrived))
    }

    /// Mean delay at `at_ms` since the arrival of records `start..start + len` (the
    /// mean of the first and the last arrival: arrivals are even within a segment).
    pub fn mean_delay(&self, start: u64, len: u64, at_ms: u64) -> u64 {
        let end = start + len.saturating_sub(1);
        // Most batches lie in one segment (the newest, often): one lookup for both ends.
        let seg = match self.newest() {
            Some(last) if start >= last.first_seq && start < self.held.end_seq => Some(last),
            _ => self.find(start),
        };
        if let Some(seg) = seg {
            if end < seg.end_seq() {
                return at_ms.saturating_sub(seg.arrival_ms(start) / 2 + seg.arrival_ms(end) / 2);
            }
        }
        let first = self.arrival_ms(start).unwrap_or(at_ms);
        let last = self
            .arrival_ms(start + len.saturating_sub(1))
            .unwrap_or(first);
        at_ms.saturating_sub(first / 2 + last / 2)
    }

    /// Reads from `from`: at most `max_records` records and at most `max_bytes` bytes.
    /// Returns (records, bytes).
    pub fn take(&self, from: u64, max_records: u64, max_bytes: u64) -> (u64, u64) {
        let from = from.max(self.held.start_seq);
        let mut want = max_records.min(self.held.end_seq.saturating_sub(from));
        if want == 0 || max_bytes == 0 {
            return (0, 0);
        }
        // Common case: reading the newest segment within the byte budget.
        if let Some(last) = self.newest() {
            if from >= last.first_seq {
                let cost = last.bytes_of(want);
                if cost <= max_bytes {
                    return (want, cost);
                }
            }
        }
        // A read inside one segment (a reader far behind, in a folded one).
        if let Some(seg) = self.find(from) {
            if want <= seg.end_seq() - from {
                let cost = seg.bytes_of(want);
                if cost <= max_bytes {
                    return (want, cost);
                }
            }
        }
        let mut seq = from;
        let (mut records, mut bytes) = (0, 0);
        for seg in self.segs_from(seq) {
            // A partial first segment (a read from inside it) counts from `seq`.
            let here = (seg.end_seq() - seq).min(want);
            let cost = seg.bytes_of(here);
            if bytes + cost > max_bytes {
                let room = u128::from(max_bytes - bytes) * u128::from(seg.count);
                let fit = ((room / u128::from(seg.bytes.max(1))) as u64).min(here);
                return (records + fit, bytes + seg.bytes_of(fit));
            }
            records += here;
            bytes += cost;
            want -= here;
            seq += here;
            if want == 0 {
                break;
            }
        }
        (records, bytes)
    }

    /// Bytes of the retained records that arrived before `cutoff_ms`.
    pub fn bytes_before(&self, cutoff_ms: u64) -> u64 {
        let mut bytes = 0;
        for seg in self.segs() {
            if seg.t1_ms <= cutoff_ms {
                bytes += seg.bytes;
            } else {
                if seg.t0_ms < cutoff_ms {
                    bytes += mul_div(seg.bytes, cutoff_ms - seg.t0_ms, seg.span_ms());
                }
                break;
            }
        }
        bytes
    }

    /// Sequence number of the first retained record that arrived at or after
    /// `cutoff_ms` (`end_seq` when none did); the records before it are those
    /// `trim_before(cutoff_ms)` would remove.
    pub fn first_arrived_from(&self, cutoff_ms: u64) -> u64 {
        if self.held.fresh.front().is_none_or(|f| cutoff_ms < f.t0_ms) {
            self.back.set(true);
        }
        match self.segs().find(|s| s.t1_ms > cutoff_ms) {
            None => self.held.end_seq,
            Some(seg) if seg.t0_ms >= cutoff_ms => seg.first_seq,
            Some(seg) => {
                let k = mul_div_ceil(cutoff_ms - seg.t0_ms, seg.count, seg.span_ms());
                seg.first_seq + k.min(seg.count)
            }
        }
    }

    /// Removes every record that arrived before `cutoff_ms`; returns the new `start_seq`.
    pub fn trim_before(&mut self, cutoff_ms: u64) -> u64 {
        let _ = self.cut(cutoff_ms);
        self.held.start_seq
    }
}

mod drift;
mod fold;
mod held;
mod rounds;
mod shift;

pub use drift::{Memo, Round};
use fold::{steady, steady_users};
pub use shift::Moved;

#[cfg(test)]
mod tests;
