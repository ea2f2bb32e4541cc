//! The records a log holds, behind the mark a drift proof leaves on them.
//!
//! A proof that leaves a log marks it, and its next call goes on from there without
//! checking the log when the mark is still there (see `drift::proven`). The mark must
//! therefore go with any change to the records: here it can only be read and set, and
//! the records can only be reached mutably through [`DerefMut`], which clears it.

use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};

use super::Segment;

/// What a log holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Records {
    /// Segments of the older records, oldest first.
    pub(super) folded: VecDeque<Segment>,
    /// The last appends, one segment each, oldest first (after `folded`).
    pub(super) fresh: VecDeque<Segment>,
    pub(super) start_seq: u64,
    pub(super) end_seq: u64,
    /// User records before `start_seq` (removed by retention).
    pub(super) start_users: u64,
    /// Whether any record appended held other than one user record: until then the
    /// user records before a retained position are the position itself, found without
    /// a walk through the segments.
    pub(super) packed: bool,
}

/// [`Records`] and their mark (0: none).
#[derive(Debug, Default)]
pub(super) struct Held {
    records: Records,
    mark: u64,
}

impl Held {
    /// No records, with room for `folded` and `fresh` segments.
    pub(super) fn with_room(folded: usize, fresh: usize) -> Held {
        Held::from(Records {
            folded: VecDeque::with_capacity(folded),
            fresh: VecDeque::with_capacity(fresh),
            ..Records::default()
        })
    }

    /// The mark the records carry (0 when they changed since it was set).
    pub(super) fn mark(&self) -> u64 {
        self.mark
    }

    /// Marks the records as they are now.
    pub(super) fn set_mark(&mut self, mark: u64) {
        self.mark = mark;
    }
}

/// Records no proof has marked.
impl From<Records> for Held {
    fn from(records: Records) -> Held {
        Held { records, mark: 0 }
    }
}

impl Deref for Held {
    type Target = Records;

    fn deref(&self) -> &Records {
        &self.records
    }
}

impl DerefMut for Held {
    /// The records, to change: the mark is cleared.
    fn deref_mut(&mut self) -> &mut Records {
        self.mark = 0;
        &mut self.records
    }
}

/// Records compared, not marks: the mark only says where they came from.
impl PartialEq for Held {
    fn eq(&self, other: &Self) -> bool {
        self.records == other.records
    }
}

impl Eq for Held {}

/// A copy carries the mark (it holds the same records).
impl Clone for Held {
    fn clone(&self) -> Self {
        Held {
            records: self.records.clone(),
            mark: self.mark,
        }
    }

    fn clone_from(&mut self, source: &Self) {
        self.records.clone_from(&source.records);
        self.mark = source.mark;
    }
}

/// `clone_from` reuses the copy's queues.
impl Clone for Records {
    fn clone(&self) -> Self {
        let mut copy = Records::default();
        copy.clone_from(self);
        copy
    }

    fn clone_from(&mut self, source: &Self) {
        // Every field named, so that one added is copied here too.
        let Records {
            folded,
            fresh,
            start_seq,
            end_seq,
            start_users,
            packed,
        } = source;
        self.folded.clone_from(folded);
        self.fresh.clone_from(fresh);
        (self.start_seq, self.end_seq) = (*start_seq, *end_seq);
        (self.start_users, self.packed) = (*start_users, *packed);
    }
}
