//! A run's phase: the part of its state that decides what its next ticks do, with each
//! shard's sequence numbers taken from the shard's end and every time from now.
//!
//! Two ticks with the same phase, under the same settings and inputs, go on the same way:
//! each shard receives the same records, and every consumer reads and processes them
//! the same, only later and at higher sequence numbers. What is left out is either
//! counted rather than acted on (ledgers, totals, the highest ages, the tick's own
//! numbers), only consulted by a reader that looks back past the fresh appends (the
//! older segments), or checked separately tick by tick (the order consumers go in,
//! which matters only when they compete; see `span`).

use std::hash::{Hash, Hasher};

use super::state::{Consumer, Fleet, Reader};
use super::Simulation;
use crate::model::carry::Carry;
use crate::model::kcl::KclFleet;
use crate::model::log::Segment;
use crate::model::producer::RetryQueue;
use crate::model::reads::{Bucket, ReadBudget};
use crate::model::rng::Rng;

/// One shard's phase (see [`super::topology::Shard::phase`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct ShardPhase {
    pub(super) id: u32,
    pub(super) open: bool,
    pub(super) packed: bool,
    /// The fresh appends, relative to the shard's end and now.
    pub(super) fresh: Vec<Segment>,
    pub(super) carry: Vec<Carry>,
    pub(super) retries: Vec<RetryQueue>,
    pub(super) users_carry: Carry,
    /// Each consumer's cursor, relative to the shard's end and now.
    pub(super) readers: Vec<Reader>,
    pub(super) budget: ReadBudget,
    pub(super) write_records: Bucket,
    pub(super) write_bytes: Bucket,
}

/// One consumer's phase: its random stream (a draw changes it for good, so two equal
/// phases had no draw between them) and its fleet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ConsumerPhase {
    rng: Rng,
    started_ms: u64,
    fleet: Option<KclPhase>,
}

/// A KCL application's tasks, times taken from now. Its next shard sync is left out:
/// a span is only looked for while every lease is known, when a sync changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct KclPhase {
    running: u32,
    starting: Vec<u64>,
    desired: u32,
    last_scale_ms: Option<u64>,
    carry: Vec<Carry>,
    dirty: bool,
    low_minutes: u32,
    low_peak_bits: u64,
}

/// The whole run's phase.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Phase {
    shards: Vec<ShardPhase>,
    consumers: Vec<ConsumerPhase>,
    /// Each producer's records waiting to be retried.
    pending: Vec<u64>,
    put_fault_carry: u64,
}

impl Simulation {
    /// A 64-bit summary of the run's phase now, taken without building it: equal phases
    /// have equal summaries (the shards' parts are hashed as [`ShardPhase`] holds them,
    /// the rest as [`Phase`] does).
    pub(super) fn phase_summary(&mut self) -> u64 {
        let mut h = Summary(0);
        let now = self.now_ms;
        let live = self.skip.live;
        let scratch = &mut self.scratch.reader;
        for shard in self.topology.shards() {
            shard.hash_phase(now, &mut h, scratch, live);
        }
        for (_, c) in live.others(self.topology.consumers()) {
            consumer_phase(c, now).hash(&mut h);
        }
        for p in &self.producers {
            p.pending.hash(&mut h);
        }
        self.put_fault_carry.hash(&mut h);
        h.0
    }

    /// The run's phase now (at the end of the last tick).
    pub(super) fn phase(&self) -> Phase {
        let now = self.now_ms;
        let live = self.skip.live;
        Phase {
            shards: self
                .topology
                .shards()
                .iter()
                .map(|s| s.phase(now, live))
                .collect(),
            consumers: live
                .others(self.topology.consumers())
                .map(|(_, c)| consumer_phase(c, now))
                .collect(),
            pending: self.producers.iter().map(|p| p.pending).collect(),
            put_fault_carry: self.put_fault_carry,
        }
    }
}

/// The consumers whose reads a replay works out tick by tick rather than replays (see
/// `span`): KCL applications whose leases fall behind. Their cursors and fleets are left
/// out of the phase, so the rest of the run may repeat while they do not. A mask of the
/// first 64 consumers: one further down the list is never left out (its run is worked
/// out while it falls behind).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(super) struct Live(u64);

impl Live {
    /// Consumer `ci` and those already in.
    pub(super) fn with(self, ci: usize) -> Live {
        Live(self.0 | 1u64.checked_shl(ci as u32).unwrap_or(0))
    }

    /// Whether consumer `ci` is in.
    pub(super) fn has(self, ci: usize) -> bool {
        ci < 64 && self.0 & (1 << ci) != 0
    }

    /// Whether none is.
    pub(super) fn none(self) -> bool {
        self.0 == 0
    }

    /// Whether some consumer is.
    pub(super) fn any(self) -> bool {
        self.0 != 0
    }

    /// The consumers not in, with their indices.
    pub(super) fn others<T>(self, all: &[T]) -> impl Iterator<Item = (usize, &T)> {
        all.iter().enumerate().filter(move |&(ci, _)| !self.has(ci))
    }
}

fn consumer_phase(c: &Consumer, now_ms: u64) -> ConsumerPhase {
    let Consumer {
        config: _,
        rng,
        ledger: _,
        fleet,
        max_iterator_age_ms: _,
        started_ms,
        tick: _,
    } = c;
    let fleet = match fleet {
        Fleet::Lambda { max_concurrency: _ } => None,
        Fleet::Kcl(f) => {
            let KclFleet {
                running,
                starting,
                desired,
                last_scale_ms,
                carry,
                dirty,
                max_running: _,
                next_sync_ms: _,
                low_minutes,
                low_peak,
            } = f;
            Some(KclPhase {
                running: *running,
                starting: starting.iter().map(|t| t.wrapping_sub(now_ms)).collect(),
                desired: *desired,
                last_scale_ms: *last_scale_ms,
                carry: carry.clone(),
                dirty: *dirty,
                low_minutes: *low_minutes,
                low_peak_bits: low_peak.to_bits(),
            })
        }
    };
    ConsumerPhase {
        rng: rng.clone(),
        started_ms: *started_ms,
        fleet,
    }
}

/// A fast multiplicative hash of a phase's words (the same on every target).
pub(super) struct Summary(pub(super) u64);

impl Hasher for Summary {
    fn write(&mut self, bytes: &[u8]) {
        // Slices of integers come as their bytes: eight at a time.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
