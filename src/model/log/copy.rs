//! Copies and comparisons of logs.

use super::ShardLog;

/// Logs holding the same records, looked up alike: the mark, which only says where a
/// log came from, is not compared.
impl PartialEq for ShardLog {
    fn eq(&self, other: &Self) -> bool {
        // Every field named, so that one added is compared (or left out) here too.
        let ShardLog {
            folded,
            fresh,
            start_seq,
            end_seq,
            start_users,
            packed,
            back,
            mark: _,
        } = other;
        self.folded == *folded
            && self.fresh == *fresh
            && (self.start_seq, self.end_seq) == (*start_seq, *end_seq)
            && (self.start_users, self.packed) == (*start_users, *packed)
            && self.back == *back
    }
}

impl Eq for ShardLog {}

/// A copy; `clone_from` reuses the copy's queues.
impl Clone for ShardLog {
    fn clone(&self) -> Self {
        ShardLog {
            folded: self.folded.clone(),
            fresh: self.fresh.clone(),
            start_seq: self.start_seq,
            end_seq: self.end_seq,
            start_users: self.start_users,
            packed: self.packed,
            back: self.back.clone(),
            mark: self.mark,
        }
    }

    fn clone_from(&mut self, source: &Self) {
        // Every field named, so that one added is copied here too.
        let ShardLog {
            folded,
            fresh,
            start_seq,
            end_seq,
            start_users,
            packed,
            back,
            mark,
        } = source;
        self.folded.clone_from(folded);
        self.fresh.clone_from(fresh);
        (self.start_seq, self.end_seq) = (*start_seq, *end_seq);
        (self.start_users, self.packed) = (*start_users, *packed);
        self.back.set(back.get());
        self.mark = *mark;
    }
}
