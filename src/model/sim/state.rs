//! What the simulation carries from tick to tick besides the shard list: each
//! consumer's cursor on a shard, the consumer applications, resharding progress — and,
//! kept apart, the per-tick working buffers that carry nothing.

use std::collections::VecDeque;

use crate::model::config::ConsumerConfig;
use crate::model::consumer::{ConsumerTick, Ledger};
use crate::model::kcl::{KclFleet, KclScratch, KclShard};
use crate::model::lambda::LambdaShard;
use crate::model::log::{Round, ShardLog};
use crate::model::producer::Offer;
use crate::model::reads::Pipe;
use crate::model::rng::Rng;

/// Sub-stream kind for consumers' random draws.
const RNG_CONSUMER: u64 = 2;

/// A consumer's state for one shard.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Cursor {
    Lambda(LambdaShard),
    Kcl(KclShard),
}

impl Cursor {
    /// Oldest record of the shard this consumer has not processed yet.
    pub(super) fn done_pos(&self) -> u64 {
        match self {
            Cursor::Lambda(l) => l.done_pos(),
            Cursor::Kcl(k) => k.pos,
        }
    }

    /// Whether nothing is in flight or waiting for a retry.
    pub(super) fn idle(&self) -> bool {
        match self {
            Cursor::Lambda(l) => l.idle(),
            Cursor::Kcl(_) => true,
        }
    }

    /// Records below `end` not yet processed (with PF > 1, batches finish out of order).
    pub(super) fn unprocessed(&self, end: u64) -> u64 {
        match self {
            Cursor::Lambda(l) => l.unprocessed(end),
            Cursor::Kcl(k) => end.saturating_sub(k.pos),
        }
    }

    /// Everything before `start` is gone (retention removed it): returns the records
    /// this consumer had not processed.
    pub(super) fn trim(&mut self, start: u64) -> u64 {
        match self {
            Cursor::Lambda(l) => l.trim(start),
            Cursor::Kcl(k) => {
                let lost = start.saturating_sub(k.pos);
                k.pos = k.pos.max(start);
                k.fetched_end = k.fetched_end.max(start);
                lost
            }
        }
    }

    /// The same cursor `dseq` records and `dt_ms` later (wrapping).
    pub(super) fn shift(&mut self, dseq: u64, dt_ms: u64) {
        match self {
            Cursor::Lambda(l) => l.shift(dseq, dt_ms),
            Cursor::Kcl(k) => k.shift(dseq),
        }
    }

    /// Whether this cursor is of the kind `config` reads with.
    pub(super) fn fits(&self, config: &ConsumerConfig) -> bool {
        matches!(
            (self, config),
            (Cursor::Lambda(_), ConsumerConfig::Lambda(_))
                | (Cursor::Kcl(_), ConsumerConfig::Kcl(_))
        )
    }
}

/// A consumer's cursor on a shard and whether it may read it yet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Reader {
    pub(super) ready: bool,
    pub(super) cursor: Cursor,
    /// The consumer's enhanced fan-out pipe (unused by standard consumers).
    pub(super) pipe: Pipe,
}

impl Reader {
    /// Whether the consumer reads this shard now: its parents are finished and, for a
    /// KCL application, a worker holds its lease.
    pub(super) fn reading(&self) -> bool {
        self.ready
            && match &self.cursor {
                Cursor::Kcl(k) => k.worker.is_some(),
                Cursor::Lambda(_) => true,
            }
    }

    /// A reader for a consumer configured as `config`, starting at sequence number
    /// `from`; `known` says whether a KCL application already holds the shard's lease.
    pub(super) fn new(config: &ConsumerConfig, from: u64, known: bool) -> Reader {
        let cursor = match config {
            ConsumerConfig::Lambda(l) => Cursor::Lambda(LambdaShard::starting_at(from, l)),
            ConsumerConfig::Kcl(_) => Cursor::Kcl(KclShard::starting_at(from, known)),
        };
        Reader {
            ready: false,
            cursor,
            pipe: Pipe::default(),
        }
    }
}

/// What a consumer application is, beyond its per-shard cursors.
#[derive(Debug, Clone)]
pub(super) enum Fleet {
    Lambda { max_concurrency: u32 },
    Kcl(KclFleet),
}

/// A consumer application as the simulation runs it.
#[derive(Debug, Clone)]
pub(super) struct Consumer {
    pub(super) config: ConsumerConfig,
    pub(super) rng: Rng,
    pub(super) ledger: Ledger,
    pub(super) fleet: Fleet,
    pub(super) max_iterator_age_ms: u64,
    pub(super) started_ms: u64,
    pub(super) tick: ConsumerTick,
}

impl Consumer {
    /// The consumer `config` as the `index`-th consumer of the run (its random draws
    /// come from that sub-stream of `seed`), starting at `now_ms`.
    pub(super) fn new(config: &ConsumerConfig, seed: u64, index: usize, now_ms: u64) -> Self {
        let fleet = match config {
            ConsumerConfig::Lambda(_) => Fleet::Lambda { max_concurrency: 0 },
            ConsumerConfig::Kcl(k) => Fleet::Kcl(KclFleet::new(k)),
        };
        Consumer {
            config: config.clone(),
            rng: Rng::substream(seed, RNG_CONSUMER, index as u64),
            ledger: Ledger::default(),
            fleet,
            max_iterator_age_ms: 0,
            started_ms: now_ms,
            tick: ConsumerTick::default(),
        }
    }

    /// Counts `lost` records retention removed before this consumer processed them.
    pub(super) fn expire(&mut self, lost: u64) {
        if lost > 0 {
            self.ledger.expired += lost;
            self.tick.expired += lost;
        }
    }

    /// Takes its numbers for the tick from how far it lags (`lag`), and keeps its
    /// highest age.
    pub(super) fn take_lag(&mut self, lag: &Lag) {
        self.tick.iterator_age_ms = lag.age;
        self.tick.behind = lag.behind;
        self.tick.unread_shards = lag.unread;
        if let Fleet::Kcl(f) = &self.fleet {
            self.tick.concurrency = f.running;
        }
        self.max_iterator_age_ms = self.max_iterator_age_ms.max(lag.age);
    }

    /// The shards changed: a KCL application reassigns its leases before it next reads.
    pub(super) fn leases_changed(&mut self) {
        if let Fleet::Kcl(f) = &mut self.fleet {
            f.dirty = true;
        }
    }
}

/// UpdateShardCount progress.
#[derive(Debug, Clone, Default)]
pub(super) struct Reshard {
    /// Shard count asked for.
    pub(super) target: u32,
    /// The step under way: (shard count it leads to, completion time ms).
    pub(super) step: Option<(u32, u64)>,
    /// Start times of steps in the last 24 h.
    pub(super) history: VecDeque<u64>,
}

/// One producer's offered records in one tick.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Peak {
    /// Records it offers in the busiest second of the tick.
    pub(super) busiest_second_records: f64,
    /// Records it offers over the whole tick.
    pub(super) tick_records: f64,
}

/// Per-tick working buffers. Each is filled and used within one tick and carries nothing
/// to the next; they are kept only so a tick does not allocate.
#[derive(Debug, Clone, Default)]
pub(super) struct Scratch {
    /// Records each producer offers in each second of the tick, second-major.
    pub(super) rates: Vec<f64>,
    /// Records each producer sends again (retries) in each second of the tick, second-major.
    pub(super) retried: Vec<u64>,
    /// PutRecords calls each producer makes in each second of the tick, second-major
    /// (read again by `Simulation::shard_metrics` after the tick).
    pub(super) calls: Vec<u64>,
    /// Per producer, this tick.
    pub(super) peaks: Vec<Peak>,
    /// The order consumers go in this tick.
    pub(super) order: Vec<usize>,
    /// A shard's offers in one second.
    pub(super) offers: Vec<Offer>,
    /// Records accepted of each offer.
    pub(super) accepted: Vec<u64>,
    /// Records of each offer an injected fault refused.
    pub(super) faulted: Vec<u64>,
    /// A KCL application's leases and grants, worker by worker.
    pub(super) kcl: KclScratch,
    /// Per consumer: how far behind it is at the end of the tick.
    pub(super) lag: Vec<Lag>,
    /// A reader being hashed for a run's phase summary.
    pub(super) reader: Option<Reader>,
    /// Each shard's note of lookups past its fresh appends, kept aside while a
    /// consumer the phase leaves out reads (see `phase::Live`).
    pub(super) looked_back: Vec<bool>,
    /// Each shard's round of appends and cuts while a replay makes them (kept for
    /// their room).
    pub(super) rounds: Vec<Round>,
}

/// How far one consumer is behind at the end of a tick, over all shards.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Lag {
    /// Age of its oldest record not processed, ms.
    pub(super) age: u64,
    /// Records not processed.
    pub(super) behind: u64,
    /// Shards it does not read.
    pub(super) unread: u32,
}

impl Lag {
    /// Adds what `reader` lags by at `end_ms` on a shard holding `log` (`open`: the
    /// shard takes writes); returns whether it has records left to process.
    pub(super) fn add(&mut self, reader: &Reader, log: &ShardLog, open: bool, end_ms: u64) -> bool {
        let pos = reader.cursor.done_pos();
        let pending = pos < log.end_seq();
        if pending {
            self.behind += reader.cursor.unprocessed(log.end_seq());
            if let Some(arrived) = log.arrival_ms(pos.max(log.start_seq())) {
                self.age = self.age.max(end_ms.saturating_sub(arrived));
            }
        }
        if !reader.reading() && (open || pending) {
            self.unread += 1;
        }
        pending
    }
}
