//! The shards and the consumers, and the three rules that tie them together.
//!
//! 1. The open shards are the tail of the shard list, in layout order: shard `i` of the
//!    layout is `shards[first_open + i]`, and every shard before them is closed.
//! 2. The shard list is sorted by id (children are always newer than their parents).
//! 3. Every shard has one reader per consumer: `readers[i]` belongs to `consumers[i]`.
//!
//! [`Topology`] is the only way to open, close or drop a shard and to add or remove a
//! consumer, and checks the rules after each change in debug builds. Everything else
//! changes shards and consumers in place.

use std::hash::{Hash, Hasher};
use std::ops::{Index, IndexMut};

use super::phase::{Live, ShardPhase};
use super::state::{Consumer, Cursor, Reader};
use crate::model::carry::Carry;
use crate::model::log::{Memo, ShardLog};
use crate::model::producer::RetryQueue;
use crate::model::reads::{Bucket, CallStats, ReadBudget};
use crate::model::routing::{EvenLayout, HashRange};

/// A shard's readers, one per consumer in consumer order. Each may be changed in place;
/// only [`Topology`] adds or removes them.
#[derive(Debug, Clone, Default)]
pub(super) struct Readers(Vec<Reader>);

impl Readers {
    /// The readers in consumer order.
    pub(super) fn iter(&self) -> std::slice::Iter<'_, Reader> {
        self.0.iter()
    }

    /// The readers in consumer order, to change in place.
    pub(super) fn iter_mut(&mut self) -> std::slice::IterMut<'_, Reader> {
        self.0.iter_mut()
    }

    /// How many there are (the number of consumers).
    fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (no consumers).
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Index<usize> for Readers {
    type Output = Reader;

    fn index(&self, consumer: usize) -> &Reader {
        &self.0[consumer]
    }
}

impl IndexMut<usize> for Readers {
    fn index_mut(&mut self, consumer: usize) -> &mut Reader {
        &mut self.0[consumer]
    }
}

/// One shard: open for writes, or a closed parent still holding records. Its id, hash
/// range, parents and whether it is open belong to the topology; the rest changes as
/// records come and go.
#[derive(Debug, Clone)]
pub(super) struct Shard {
    id: u32,
    range: HashRange,
    open: bool,
    parents: Vec<u32>,
    pub(super) log: ShardLog,
    /// What the last replay proved of how `log` drifts past retention, for the next.
    pub(super) drift: Memo,
    /// Per producer: the fraction of a record carried to the next tick.
    pub(super) carry: Vec<Carry>,
    /// Per producer: throttled records waiting for a retry.
    pub(super) retries: Vec<RetryQueue>,
    /// The fraction of a user record carried to the next append (KPL aggregation).
    pub(super) users_carry: Carry,
    /// Per consumer.
    pub(super) readers: Readers,
    pub(super) budget: ReadBudget,
    /// Write allowance: 1,000 records/s and 1 MiB/s, held on average across ticks.
    pub(super) write_records: Bucket,
    pub(super) write_bytes: Bucket,
}

impl Shard {
    /// The shard's id (ShardId's number): later shards have higher ids.
    pub(super) fn id(&self) -> u32 {
        self.id
    }

    /// What the standard consumers' GetRecords calls on the shard came to in the last
    /// tick: those counted by the shard's allowance and each KCL lease's own.
    pub(super) fn call_stats(&self) -> CallStats {
        let mut stats = self.budget.stats;
        for r in self.readers.iter() {
            if let Cursor::Kcl(k) = &r.cursor {
                stats.merge(&k.calls);
            }
        }
        stats
    }

    /// Whether the shard takes writes (closed parents only hold records).
    pub(super) fn is_open(&self) -> bool {
        self.open
    }

    /// Ids of the shards it was split or merged from.
    pub(super) fn parents(&self) -> &[u32] {
        &self.parents
    }

    /// What decides this shard's next ticks, with sequence numbers taken from its end
    /// and times from `now_ms` (see `phase`). Every field is named, so that a field
    /// added to a shard is either part of its phase or left out on purpose.
    pub(super) fn phase(&self, now_ms: u64, live: Live) -> ShardPhase {
        let Shard {
            id,
            range: _,
            open,
            parents: _,
            log,
            drift: _,
            carry,
            retries,
            users_carry,
            readers,
            budget,
            write_records,
            write_bytes,
        } = self;
        // What a replay proved of the log's drift only saves work: it is used only for
        // the log it gives. The older segments, the start of the log and the user
        // records before it only matter to a reader that looks back past the fresh
        // appends, and a tick in which one does is never part of a skipped stretch.
        let (dseq, dt) = (log.end_seq().wrapping_neg(), now_ms.wrapping_neg());
        ShardPhase {
            id: *id,
            open: *open,
            packed: log.packed(),
            fresh: log.fresh().map(|s| s.shifted(dseq, dt)).collect(),
            carry: carry.clone(),
            retries: retries.clone(),
            users_carry: *users_carry,
            readers: readers
                .iter()
                .enumerate()
                .filter(|&(ci, _)| !live.has(ci))
                .map(|(_, r)| {
                    let mut r = r.clone();
                    r.cursor.shift(dseq, dt);
                    r
                })
                .collect(),
            budget: budget.settled(),
            write_records: *write_records,
            write_bytes: *write_bytes,
        }
    }

    /// Hashes most of what [`Shard::phase`] would hold, without building it (`scratch` holds
    /// each reader while it is shifted). Building the phase for the hash would clone the
    /// retry queues and every reader each quiet tick of a search, doubling the cost of a
    /// run that never repeats; a field this leaves out would only let two different
    /// phases share a summary, which the full comparison after the recording rejects.
    pub(super) fn hash_phase(
        &self,
        now_ms: u64,
        h: &mut impl Hasher,
        scratch: &mut Option<Reader>,
        live: Live,
    ) {
        let (dseq, dt) = (self.log.end_seq().wrapping_neg(), now_ms.wrapping_neg());
        self.id.hash(h);
        self.open.hash(h);
        self.log.packed().hash(h);
        // Of the fresh appends only the newest and their number: the others came in the
        // ticks before, and a summary that leaves them out only lets a candidate through
        // that the full comparison rejects.
        let mut fresh = self.log.fresh();
        fresh.len().hash(h);
        if let Some(newest) = fresh.next_back() {
            newest.shifted(dseq, dt).hash(h);
        }
        self.carry.hash(h);
        self.retries.hash(h);
        self.users_carry.hash(h);
        for (_, r) in self
            .readers
            .iter()
            .enumerate()
            .filter(|&(ci, _)| !live.has(ci))
        {
            let mut shifted = match scratch.take() {
                Some(mut s) => {
                    s.clone_from(r);
                    s
                }
                None => r.clone(),
            };
            shifted.cursor.shift(dseq, dt);
            shifted.hash(h);
            *scratch = Some(shifted);
        }
        self.budget.settled().hash(h);
        self.write_records.hash(h);
        self.write_bytes.hash(h);
    }

    /// Moves every reader `dseq` records and `dt_ms` on, but those of the consumers
    /// `live` (a replay worked their reads out).
    pub(super) fn shift_readers(&mut self, dseq: u64, dt_ms: u64, live: Live) {
        for (ci, r) in self.readers.iter_mut().enumerate() {
            if !live.has(ci) {
                r.cursor.shift(dseq, dt_ms);
            }
        }
    }

    /// Whether every consumer has processed every record of the shard.
    pub(super) fn finished(&self) -> bool {
        self.readers
            .iter()
            .all(|r| r.cursor.done_pos() >= self.log.end_seq() && r.cursor.idle())
    }
}

/// The shards (open ones and closed parents still holding records), the consumers
/// reading them and the layout of the open ones. See the module's rules.
///
/// The slices it lends may be changed element by element but never reordered.
#[derive(Debug, Clone)]
pub(super) struct Topology {
    shards: Vec<Shard>,
    consumers: Vec<Consumer>,
    layout: EvenLayout,
    next_id: u32,
    /// Whether a reader may still be waiting to start (a shard or a consumer was added
    /// since every reader was last seen ready).
    waiting: bool,
}

impl Topology {
    /// A stream created with `layout`'s shards and no consumers yet, for `producers`
    /// producers.
    pub(super) fn new(layout: EvenLayout, producers: usize) -> Self {
        let mut topology = Topology {
            shards: Vec::new(),
            consumers: Vec::new(),
            layout,
            next_id: 0,
            waiting: true,
        };
        topology.open_layout(&[], producers);
        topology.check();
        topology
    }

    /// The layout of the open shards.
    pub(super) fn layout(&self) -> EvenLayout {
        self.layout
    }

    /// Every shard, sorted by id, the open ones last in layout order.
    pub(super) fn shards(&self) -> &[Shard] {
        &self.shards
    }

    /// Every shard, to change in place.
    pub(super) fn shards_mut(&mut self) -> &mut [Shard] {
        &mut self.shards
    }

    /// Index of the first open shard in [`Topology::shards`].
    pub(super) fn first_open(&self) -> usize {
        self.shards.len() - self.layout.shards() as usize
    }

    /// The open shards in layout order, to change in place.
    pub(super) fn open_mut(&mut self) -> &mut [Shard] {
        let first = self.first_open();
        &mut self.shards[first..]
    }

    /// The consumers, in config order.
    pub(super) fn consumers(&self) -> &[Consumer] {
        &self.consumers
    }

    /// The consumers, to change in place.
    pub(super) fn consumers_mut(&mut self) -> &mut [Consumer] {
        &mut self.consumers
    }

    /// Shards and consumers at once, to change in place.
    pub(super) fn parts_mut(&mut self) -> (&mut [Shard], &mut [Consumer]) {
        (&mut self.shards, &mut self.consumers)
    }

    /// Closes the open shards and opens `layout`'s shards after them (an UpdateShardCount
    /// step completing), for `producers` producers.
    pub(super) fn reshard(&mut self, layout: EvenLayout, producers: usize) {
        let parents: Vec<(u32, HashRange)> = self
            .shards
            .iter()
            .filter(|s| s.open)
            .map(|s| (s.id, s.range))
            .collect();
        self.layout = layout;
        self.open_layout(&parents, producers);
        self.check();
    }

    /// Opens `layout.shards()` new shards, each child of the `parents` its range overlaps,
    /// and closes the shards open until now.
    fn open_layout(&mut self, parents: &[(u32, HashRange)], producers: usize) {
        self.waiting = true;
        let first_new = self.shards.len();
        for i in 0..self.layout.shards() {
            let range = self.layout.range(i);
            let parent_ids = parents
                .iter()
                .filter(|(_, r)| r.overlaps(&range))
                .map(|(id, _)| *id)
                .collect();
            // A child's lease exists once shard sync finds it; the first shards' from the start.
            let readers = self
                .consumers
                .iter()
                .map(|c| Reader::new(&c.config, 0, parents.is_empty()))
                .collect();
            self.shards.push(Shard {
                id: self.next_id,
                range,
                open: true,
                parents: parent_ids,
                log: ShardLog::default(),
                drift: Memo::default(),
                carry: vec![Carry::default(); producers],
                users_carry: Carry::default(),
                retries: vec![RetryQueue::default(); producers],
                readers: Readers(readers),
                budget: ReadBudget::default(),
                write_records: Bucket::default(),
                write_bytes: Bucket::default(),
            });
            self.next_id += 1;
        }
        // Throttled records waiting at a closed parent retry at the child now owning
        // the middle of the parent's range.
        for s in 0..first_new {
            if !self.shards[s].open {
                continue;
            }
            self.shards[s].open = false;
            let mid = self.shards[s].range.start / 2 + self.shards[s].range.end / 2;
            let child = first_new + self.layout.shard_of(mid) as usize;
            for p in 0..producers {
                let queue = std::mem::take(&mut self.shards[s].retries[p]);
                self.shards[child].retries[p].absorb(queue);
            }
        }
    }

    /// Whether a reader may still be waiting to start.
    pub(super) fn readers_waiting(&self) -> bool {
        self.waiting
    }

    /// Every reader has started (until a shard or a consumer is added).
    pub(super) fn readers_started(&mut self) {
        debug_assert!(self
            .shards
            .iter()
            .all(|s| s.readers.iter().all(|r| r.ready)));
        self.waiting = false;
    }

    /// Drops the closed shards every consumer has finished; a closed shard nobody reads
    /// stays while it holds records. Returns whether any went.
    pub(super) fn drop_finished(&mut self) -> bool {
        let before = self.shards.len();
        self.shards
            .retain(|s| s.open || !s.finished() || (s.readers.is_empty() && !s.log.is_empty()));
        self.check();
        self.shards.len() != before
    }

    /// Adds `consumer` after the others, with `readers[s]` its reader on shard `s`.
    pub(super) fn push_consumer(&mut self, consumer: Consumer, readers: Vec<Reader>) {
        debug_assert_eq!(readers.len(), self.shards.len(), "one reader per shard");
        for (shard, reader) in self.shards.iter_mut().zip(readers) {
            self.waiting |= !reader.ready;
            shard.readers.0.push(reader);
        }
        self.consumers.push(consumer);
        self.check();
    }

    /// Removes every consumer; returns them in order with, per shard, their readers in
    /// the same order (to put back the ones that stay with [`Topology::push_consumer`]).
    pub(super) fn take_consumers(&mut self) -> (Vec<Consumer>, Vec<Vec<Reader>>) {
        let readers = self
            .shards
            .iter_mut()
            .map(|s| std::mem::take(&mut s.readers.0))
            .collect();
        let consumers = std::mem::take(&mut self.consumers);
        self.check();
        (consumers, readers)
    }

    /// Checks the three rules (debug builds only).
    pub(super) fn check(&self) {
        debug_assert!(
            self.open_tail_in_layout_order(),
            "the open shards are the tail of the shard list, in layout order"
        );
        debug_assert!(
            self.sorted_by_id(),
            "the shard list is sorted by id, below the next id"
        );
        debug_assert!(
            self.one_reader_per_consumer(),
            "every shard has one reader per consumer, of the consumer's kind, in consumer order"
        );
    }

    fn open_tail_in_layout_order(&self) -> bool {
        let Some(first) = self.shards.len().checked_sub(self.layout.shards() as usize) else {
            return false;
        };
        self.shards[..first].iter().all(|s| !s.open)
            && (0..)
                .zip(&self.shards[first..])
                .all(|(i, s)| s.open && s.range == self.layout.range(i))
    }

    fn sorted_by_id(&self) -> bool {
        self.shards.windows(2).all(|w| w[0].id < w[1].id)
            && self.shards.last().is_none_or(|s| s.id < self.next_id)
    }

    fn one_reader_per_consumer(&self) -> bool {
        self.shards.iter().all(|s| {
            s.readers.len() == self.consumers.len()
                && s.readers
                    .iter()
                    .zip(&self.consumers)
                    .all(|(r, c)| r.cursor.fits(&c.config))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reshard_closes_the_open_shards_and_links_the_children() {
        let mut t = Topology::new(EvenLayout::new(2), 1);
        t.reshard(EvenLayout::new(4), 1);
        assert_eq!(t.first_open(), 2);
        let ids: Vec<u32> = t.shards().iter().map(Shard::id).collect();
        assert_eq!(ids, vec![0, 1, 2, 3, 4, 5]);
        assert!(t.shards()[..2].iter().all(|s| !s.is_open()));
        let parents: Vec<&[u32]> = t.shards()[2..].iter().map(Shard::parents).collect();
        assert_eq!(parents, vec![&[0][..], &[0], &[1], &[1]]);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "layout order")]
    fn open_shards_out_of_layout_order_are_caught() {
        let mut t = Topology::new(EvenLayout::new(2), 0);
        t.shards_mut().swap(0, 1);
        t.check();
    }
}
