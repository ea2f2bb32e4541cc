//! A log that came back to the same shape, only later: every segment, the oldest
//! retained record and the tip moved on by the same records and time.
//!
//! Under a steady pattern that retention has caught up with, each period appends what
//! it trims: the log's segments relative to its tip are the same after every period.
//! Everything the log does (folds, merges, cuts, lookups) depends only on differences
//! of positions and times, so from two such states it goes on the same way, and many
//! periods later it is the same log moved on by as many times the period's records.

use super::ShardLog;

/// How far a log moved on over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    /// Records appended (and trimmed).
    pub records: u64,
    /// User records appended (and trimmed).
    pub users: u64,
}

impl ShardLog {
    /// How far this log moved on from `earlier`, taken `dt_ms` before, when it is
    /// `earlier` with every segment and its oldest record moved on by the same records
    /// and `dt_ms`; `None` when its shape differs.
    pub fn moved_from(&self, earlier: &ShardLog, dt_ms: u64) -> Option<Moved> {
        let records = self.held.end_seq.checked_sub(earlier.held.end_seq)?;
        let users = self
            .held
            .start_users
            .checked_sub(earlier.held.start_users)?;
        let same = self.held.start_seq == earlier.held.start_seq + records
            && self.held.packed == earlier.held.packed
            && self.held.folded.len() == earlier.held.folded.len()
            && self.held.fresh.len() == earlier.held.fresh.len()
            && self
                .segs()
                .zip(earlier.segs())
                .all(|(now, then)| *now == then.shifted(records, dt_ms));
        same.then_some(Moved { records, users })
    }

    /// Moves the whole log on by `times` × `moved` and `times` × `dt_ms`: the log a
    /// period that [`ShardLog::moved_from`] found leaves, `times` periods on.
    pub fn move_on(&mut self, moved: Moved, dt_ms: u64, times: u64) {
        let (dseq, dt) = (moved.records * times, dt_ms * times);
        let r = &mut *self.held;
        for seg in r.folded.iter_mut().chain(r.fresh.iter_mut()) {
            *seg = seg.shifted(dseq, dt);
        }
        r.start_seq += dseq;
        r.end_seq += dseq;
        r.start_users += moved.users * times;
    }
}

impl ShardLog {
    /// Arrival of the first record of the newest folded segment (of the oldest append
    /// while none is folded): appends made at once extend it, so retention's cut must
    /// not reach it (see [`ShardLog::append_rounds`]). `None` when the log is empty.
    pub fn extended_from_ms(&self) -> Option<u64> {
        self.held
            .folded
            .back()
            .or(self.held.fresh.front())
            .map(|s| s.t0_ms)
    }

    /// Arrival of the oldest retained record; `None` when the log is empty.
    pub fn oldest_ms(&self) -> Option<u64> {
        self.segs().next().map(|s| s.t0_ms)
    }
}
