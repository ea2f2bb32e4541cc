//! The simulation: one fixed tick at a time, in the order the design lays down.
//!
//! Each `step()`: (1) scripted events and control-plane changes that complete now,
//! (2) producers offer new records and due retries, (3) each open shard admits up to its
//! write limit and throttled records go back to their producer, (4) accepted records are
//! appended, (5) every consumer reads every shard it may read, (6) retention removes old
//! records and counts what consumers lost, (7) metrics for the tick are recorded.

use std::collections::VecDeque;

use super::config::{Config, ConsumerConfig, FanOut, KclConfig};
use super::consumer::{ConsumerTick, Ledger};
use super::cost::{Spend, Usage, PRICES};
use super::error::ConfigError;
use super::kcl::PREFETCH_CALLS;
use super::kcl::{assign_leases, water_fill, KclFleet, KclShard};
use super::lambda::{LambdaShard, ShardCtx};
use super::log::ShardLog;
use super::metrics::{TickMetrics, Totals};
use super::producer::{admit, Offer, Producer, RetryQueue};
use super::reads::{Bucket, Pipe, ReadBudget};
use super::rng::Rng;
use super::routing::{EvenLayout, HashRange};

/// Records per second one shard accepts.
pub const SHARD_WRITE_RECORDS_PER_S: u64 = 1_000;
/// Bytes per second one shard accepts.
pub const SHARD_WRITE_BYTES_PER_S: u64 = 1_048_576;
/// Rolling window of the UpdateShardCount call limit, ms.
const DAY_MS: u64 = 86_400_000;
/// Sub-stream kind for consumers' random draws.
const RNG_CONSUMER: u64 = 2;
/// Sub-stream kind for the order in which consumers go each tick.
const RNG_ORDER: u64 = 3;

/// A consumer's state for one shard.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cursor {
    Lambda(LambdaShard),
    Kcl(KclShard),
}

impl Cursor {
    fn done_pos(&self) -> u64 {
        match self {
            Cursor::Lambda(l) => l.done_pos(),
            Cursor::Kcl(k) => k.pos,
        }
    }

    fn idle(&self) -> bool {
        match self {
            Cursor::Lambda(l) => l.idle(),
            Cursor::Kcl(_) => true,
        }
    }

    /// Records below `end` not yet processed (with PF > 1, batches finish out of order).
    fn unprocessed(&self, end: u64) -> u64 {
        match self {
            Cursor::Lambda(l) => l.unprocessed(end),
            Cursor::Kcl(k) => end.saturating_sub(k.pos),
        }
    }
}

/// A consumer's cursor on a shard and whether it may read it yet.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reader {
    ready: bool,
    cursor: Cursor,
    /// The consumer's enhanced fan-out pipe (unused by standard consumers).
    pipe: Pipe,
}

/// One shard: open for writes, or a closed parent still holding records.
#[derive(Debug, Clone)]
struct Shard {
    id: u32,
    range: HashRange,
    open: bool,
    parents: Vec<u32>,
    log: ShardLog,
    /// Per producer: fractional records carried to the next tick.
    carry: Vec<f64>,
    /// Per producer: throttled records waiting for a retry.
    retries: Vec<RetryQueue>,
    /// Per consumer.
    readers: Vec<Reader>,
    budget: ReadBudget,
    /// Write allowance: 1,000 records/s and 1 MiB/s, held on average across ticks.
    write_records: Bucket,
    write_bytes: Bucket,
    accepted_now: u64,
}

/// What a consumer application is, beyond its per-shard cursors.
#[derive(Debug, Clone)]
enum Fleet {
    Lambda { max_concurrency: u32 },
    Kcl(KclFleet),
}

/// A consumer application as the simulation runs it.
#[derive(Debug, Clone)]
struct Consumer {
    config: ConsumerConfig,
    rng: Rng,
    ledger: Ledger,
    fleet: Fleet,
    max_iterator_age_ms: u64,
    started_ms: u64,
    tick: ConsumerTick,
}

/// UpdateShardCount progress.
#[derive(Debug, Clone, Default)]
struct Reshard {
    /// Shard count asked for.
    target: u32,
    /// The step under way: (shard count it leads to, completion time ms).
    step: Option<(u32, u64)>,
    /// Start times of steps in the last 24 h.
    history: VecDeque<u64>,
}

/// The whole simulated system. Same config and seed ⇒ the same numbers.
#[derive(Debug, Clone)]
pub struct Simulation {
    config: Config,
    tick_ms: u64,
    now_ms: u64,
    shards: Vec<Shard>,
    layout: EvenLayout,
    next_id: u32,
    producers: Vec<Producer>,
    consumers: Vec<Consumer>,
    reshard: Reshard,
    events: Vec<(u64, usize)>,
    next_event: usize,
    totals: Totals,
    metrics: TickMetrics,
    utilisation: Vec<f64>,
    incoming_window: VecDeque<u64>,
    spend: Spend,
    spend_window: VecDeque<(u64, Spend)>,
    long_term_bytes: u64,
    put_units_now: u64,
    rates: Vec<f64>,
    /// Per producer, this tick: (busiest second's records, all the tick's records).
    peaks: Vec<(f64, f64)>,
    /// The order consumers go in this tick, and where it comes from.
    order: Vec<usize>,
    order_rng: Rng,
    offers: Vec<Offer>,
    accepted: Vec<u64>,
    grants: Vec<u64>,
    /// Consumers removed by `apply`, with their ledgers as they were then.
    removed: Vec<ConsumerReport>,
    /// Retries lost with producers `apply` removed, not yet in a tick's metrics.
    drops_unticked: u64,
}

impl Simulation {
    /// A simulation of `config` at time 0, after validating it.
    pub fn new(config: Config) -> Result<Simulation, ConfigError> {
        config.validate()?;
        let layout = EvenLayout::new(config.stream.shards);
        let producers = config
            .producers
            .iter()
            .map(|p| Producer::new(p.clone(), &layout))
            .collect();
        let mut events: Vec<(u64, usize)> = config
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.at_s * 1_000, i))
            .collect();
        events.sort();
        let mut sim = Simulation {
            tick_ms: u64::from(config.tick_s) * 1_000,
            now_ms: 0,
            shards: Vec::new(),
            layout,
            next_id: 0,
            producers,
            consumers: Vec::new(),
            reshard: Reshard {
                target: config.stream.shards,
                ..Reshard::default()
            },
            events,
            next_event: 0,
            totals: Totals::default(),
            metrics: TickMetrics::default(),
            utilisation: Vec::new(),
            incoming_window: VecDeque::new(),
            spend: Spend::default(),
            spend_window: VecDeque::new(),
            long_term_bytes: 0,
            put_units_now: 0,
            rates: Vec::new(),
            peaks: Vec::new(),
            order: Vec::new(),
            order_rng: Rng::substream(config.seed, RNG_ORDER, 0),
            offers: Vec::new(),
            accepted: Vec::new(),
            grants: Vec::new(),
            removed: Vec::new(),
            drops_unticked: 0,
            config,
        };
        sim.create_shards(&[]);
        for c in sim.config.consumers.clone() {
            sim.add_consumer(c, false);
        }
        Ok(sim)
    }

    /// The current settings (scripted events and `apply` change them).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Simulated time, ms since the start.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// The last tick's metrics.
    pub fn metrics(&self) -> &TickMetrics {
        &self.metrics
    }

    /// Totals since the start.
    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// Records waiting in producers' retry buffers.
    pub fn pending_retry(&self) -> u64 {
        self.producers.iter().map(|p| p.pending).sum()
    }

    /// Write utilisation of each open shard in the last tick, 0..=1 (and above when
    /// offered load exceeds the limit it is still capped at 1).
    pub fn shard_utilisation(&self) -> &[f64] {
        &self.utilisation
    }

    /// Number of open shards.
    pub fn open_shards(&self) -> u32 {
        self.layout.shards()
    }

    /// Shards held in memory (open plus closed parents still holding records).
    pub fn live_shards(&self) -> usize {
        self.shards.len()
    }

    /// Segments held over all shards (bounded per shard).
    pub fn segments(&self) -> usize {
        self.shards.iter().map(|s| s.log.segments()).sum()
    }

    /// Scripted events applied so far (they change `config()`).
    pub fn events_applied(&self) -> usize {
        self.next_event
    }

    /// "resharding 2 → 10" while UpdateShardCount steps are under way.
    pub fn reshard_status(&self) -> Option<String> {
        (self.reshard.target != self.layout.shards() || self.reshard.step.is_some()).then(|| {
            format!(
                "resharding {} → {}",
                self.layout.shards(),
                self.reshard.target
            )
        })
    }

    /// The shard count UpdateShardCount is working toward (the open count when idle).
    pub fn reshard_target(&self) -> u32 {
        self.reshard.target
    }

    /// The UpdateShardCount step under way: the shard count it leads to and the
    /// simulated time it completes, ms.
    pub fn reshard_step(&self) -> Option<(u32, u64)> {
        self.reshard.step
    }

    /// Start times (ms) of recent UpdateShardCount steps, oldest first; those older than
    /// 24 h no longer count against the daily limit.
    pub fn reshard_starts(&self) -> impl Iterator<Item = u64> + '_ {
        self.reshard.history.iter().copied()
    }

    /// Bytes one record of each producer counts against the write limit (data plus
    /// mean key length), in config order.
    pub fn producer_record_bytes(&self) -> impl Iterator<Item = u64> + '_ {
        self.producers.iter().map(|p| p.bytes_per_record)
    }

    /// Per consumer that ever ran: name, kind and ledger. The running consumers come
    /// first, in config order, then those `apply` removed, in the order they went, each
    /// as it was when removed (with `removed_at_s`).
    pub fn ledgers(&self) -> Vec<ConsumerReport> {
        self.consumers
            .iter()
            .enumerate()
            .map(|(ci, c)| ConsumerReport {
                name: c.config.name().to_string(),
                kind: c.config.kind(),
                ledger: c.ledger,
                behind: self.behind(ci),
                max_iterator_age_ms: c.max_iterator_age_ms,
                final_iterator_age_ms: c.tick.iterator_age_ms,
                max_concurrency: match &c.fleet {
                    Fleet::Lambda { max_concurrency } => Some(*max_concurrency),
                    Fleet::Kcl(_) => None,
                },
                max_tasks: match &c.fleet {
                    Fleet::Lambda { .. } => None,
                    Fleet::Kcl(f) => Some(f.max_running),
                },
                removed_at_s: None,
            })
            .chain(self.removed.iter().cloned())
            .collect()
    }

    /// Records in the stream consumer `ci` has not processed yet.
    fn behind(&self, ci: usize) -> u64 {
        self.shards
            .iter()
            .map(|s| s.readers[ci].cursor.unprocessed(s.log.end_seq()))
            .sum()
    }

    /// Replaces the settings of the running simulation (no reset): shard count changes go
    /// through UpdateShardCount steps, consumers and producers are matched by name.
    /// The tick length cannot change during a run.
    pub fn apply(&mut self, config: Config) -> Result<(), ConfigError> {
        config.validate_fields()?;
        if config.tick_s != self.config.tick_s {
            return Err(ConfigError::new(
                "tick_s",
                format!(
                    "cannot change during a run (it is {} s; start a new run)",
                    self.config.tick_s
                ),
            ));
        }
        self.reshard.target = config.stream.shards;
        self.apply_producers(&config);
        self.apply_consumers(&config);
        let events = std::mem::take(&mut self.config.events);
        self.config = Config { events, ..config };
        Ok(())
    }

    fn apply_producers(&mut self, config: &Config) {
        let mut old: Vec<Option<Producer>> = std::mem::take(&mut self.producers)
            .into_iter()
            .map(Some)
            .collect();
        let mut mapping = Vec::new();
        for p in &config.producers {
            let found = old
                .iter()
                .position(|o| o.as_ref().is_some_and(|o| o.config.name == p.name));
            match found.and_then(|i| old[i].take().map(|o| (i, o))) {
                Some((i, mut producer)) => {
                    producer.reconfigure(p.clone(), &self.layout);
                    self.producers.push(producer);
                    mapping.push(Some(i));
                }
                None => {
                    self.producers.push(Producer::new(p.clone(), &self.layout));
                    mapping.push(None);
                }
            }
        }
        for shard in &mut self.shards {
            let mut carry = Vec::with_capacity(mapping.len());
            let mut retries = Vec::with_capacity(mapping.len());
            for m in &mapping {
                match m {
                    Some(i) => {
                        carry.push(shard.carry[*i]);
                        retries.push(std::mem::take(&mut shard.retries[*i]));
                    }
                    None => {
                        carry.push(0.0);
                        retries.push(RetryQueue::default());
                    }
                }
            }
            // Retries of removed producers are lost with them: dropped now, and in the
            // metrics of the tick under way (or the next one).
            let lost: u64 = shard.retries.iter_mut().map(RetryQueue::clear).sum();
            self.totals.dropped_by_producer += lost;
            self.drops_unticked += lost;
            shard.carry = carry;
            shard.retries = retries;
        }
    }

    fn apply_consumers(&mut self, config: &Config) {
        // Each consumer's line as it is now, kept for those that go.
        let mut before: Vec<Option<ConsumerReport>> =
            self.ledgers().into_iter().map(Some).collect();
        let mut old: Vec<Option<Consumer>> = std::mem::take(&mut self.consumers)
            .into_iter()
            .map(Some)
            .collect();
        let mut readers: Vec<Vec<Option<Reader>>> = self
            .shards
            .iter_mut()
            .map(|s| {
                std::mem::take(&mut s.readers)
                    .into_iter()
                    .map(Some)
                    .collect()
            })
            .collect();
        for c in &config.consumers {
            let found = old.iter().position(|o| {
                o.as_ref()
                    .is_some_and(|o| o.config.name() == c.name() && o.config.kind() == c.kind())
            });
            match found.and_then(|i| old[i].take().map(|o| (i, o))) {
                Some((i, mut consumer)) => {
                    match (&mut consumer.fleet, c) {
                        (Fleet::Kcl(fleet), ConsumerConfig::Kcl(k)) => {
                            if k.tasks != fleet.desired && !k.autoscaling.enabled {
                                fleet.set_desired(k.tasks, self.now_ms, k);
                            }
                            fleet.dirty = true;
                        }
                        (Fleet::Lambda { .. }, ConsumerConfig::Lambda(l)) => {
                            for shard in &mut readers {
                                if let Some(Some(Reader {
                                    cursor: Cursor::Lambda(ls),
                                    ..
                                })) = shard.get_mut(i)
                                {
                                    ls.resize(l.parallelization_factor);
                                }
                            }
                        }
                        _ => {}
                    }
                    consumer.config = c.clone();
                    for (shard, rs) in self.shards.iter_mut().zip(&mut readers) {
                        if let Some(r) = rs.get_mut(i).and_then(Option::take) {
                            shard.readers.push(r);
                        }
                    }
                    self.consumers.push(consumer);
                }
                // A consumer added to a running stream starts at LATEST.
                None => self.add_consumer(c.clone(), true),
            }
        }
        let now_s = self.now_ms / 1_000;
        for (i, gone) in old.iter().enumerate() {
            if let (Some(_), Some(mut report)) = (gone, before[i].take()) {
                report.removed_at_s = Some(now_s);
                self.removed.push(report);
            }
        }
    }

    /// Adds consumer `c` reading every shard from its newest record (`latest`) or its
    /// oldest (TRIM_HORIZON).
    fn add_consumer(&mut self, c: ConsumerConfig, latest: bool) {
        let index = self.consumers.len();
        for shard in &mut self.shards {
            let from = if latest {
                shard.log.end_seq()
            } else {
                shard.log.start_seq()
            };
            shard.readers.push(new_reader(&c, from, true));
        }
        self.consumers
            .push(new_consumer(&c, self.config.seed, index, self.now_ms));
    }

    /// Closes the current open shards (ids in `parents`) and opens `layout.shards()` new ones.
    fn create_shards(&mut self, parents: &[(u32, HashRange)]) {
        let n = self.layout.shards();
        let producers = self.producers.len();
        let first_new = self.shards.len();
        for i in 0..n {
            let range = self.layout.range(i);
            let parent_ids = parents
                .iter()
                .filter(|(_, r)| r.overlaps(&range))
                .map(|(id, _)| *id)
                .collect();
            let readers = self
                .consumers
                .iter()
                .map(|c| new_reader(&c.config, 0, parents.is_empty()))
                .collect();
            self.shards.push(Shard {
                id: self.next_id,
                range,
                open: true,
                parents: parent_ids,
                log: ShardLog::default(),
                carry: vec![0.0; producers],
                retries: vec![RetryQueue::default(); producers],
                readers,
                budget: ReadBudget::default(),
                write_records: Bucket::default(),
                write_bytes: Bucket::default(),
                accepted_now: 0,
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
        for p in &mut self.producers {
            p.relayout(&self.layout);
        }
        for c in &mut self.consumers {
            if let Fleet::Kcl(f) = &mut c.fleet {
                f.dirty = true;
            }
        }
    }

    /// Runs the whole ticks that fit in `seconds` of simulated time: never past it, so
    /// with 10 s ticks `run_for(25)` runs two ticks.
    pub fn run_for(&mut self, seconds: u64) {
        let end = self.now_ms.saturating_add(seconds.saturating_mul(1_000));
        while end - self.now_ms >= self.tick_ms {
            self.step();
        }
    }

    /// Advances one tick.
    pub fn step(&mut self) {
        let t = self.now_ms;
        let end = t + self.tick_ms;
        self.control_plane(t);
        self.metrics.consumers.clear();
        for c in &mut self.consumers {
            c.tick = ConsumerTick::default();
        }
        let (incoming, bytes, throttled, produced, dropped) = self.write(t, end);
        self.read(t, end);
        self.retain(end);
        self.finish_tick(end, incoming, bytes, throttled, produced, dropped);
        self.now_ms = end;
    }

    fn control_plane(&mut self, t: u64) {
        while let Some(&(at, i)) = self.events.get(self.next_event) {
            if at > t {
                break;
            }
            self.next_event += 1;
            // The event list stays out of the copy an edit makes (a script may be long).
            let events = std::mem::take(&mut self.config.events);
            let edits = events[i].set.iter().map(|(p, v)| (p.as_str(), v));
            let next = super::path::set_paths(&self.config, edits);
            self.config.events = events;
            // `validate` replayed the events in this order, so they apply; should a later
            // edit of the running settings make one impossible, the settings stay as they were.
            if let Ok(next) = next {
                let _ = self.apply(next);
            }
        }
        if let Some((to, at)) = self.reshard.step {
            if at <= t {
                self.reshard.step = None;
                let parents: Vec<(u32, HashRange)> = self
                    .shards
                    .iter()
                    .filter(|s| s.open)
                    .map(|s| (s.id, s.range))
                    .collect();
                self.layout = EvenLayout::new(to);
                self.create_shards(&parents);
            }
        }
        let open = self.layout.shards();
        if self.reshard.step.is_none() && self.reshard.target != open {
            while self
                .reshard
                .history
                .front()
                .is_some_and(|&s| s + DAY_MS <= t)
            {
                self.reshard.history.pop_front();
            }
            if self.reshard.history.len() < self.config.stream.max_reshards_per_day as usize {
                let target = self.reshard.target;
                let next = if target > open {
                    target.min(open * 2)
                } else {
                    target.max(open.div_ceil(2))
                };
                let done = t + u64::from(self.config.stream.reshard_step_s) * 1_000;
                self.reshard.step = Some((next, done));
                self.reshard.history.push_back(t);
            }
        }
        // Autoscaling looks at the last minute's incoming rate, on minute boundaries only.
        let incoming_per_s = if t.is_multiple_of(60_000) && !self.incoming_window.is_empty() {
            self.incoming_window.iter().sum::<u64>() as f64
                / (self.incoming_window.len() as u64 * self.tick_ms) as f64
                * 1_000.0
        } else {
            0.0
        };
        for (ci, c) in self.consumers.iter_mut().enumerate() {
            let (Fleet::Kcl(fleet), ConsumerConfig::Kcl(k)) = (&mut c.fleet, &c.config) else {
                continue;
            };
            fleet.start_ready(t);
            if t.is_multiple_of(60_000) && t > c.started_ms {
                fleet.autoscale(k, incoming_per_s, t);
                fleet.start_ready(t);
            }
            // Shard sync runs every `shard_sync_s` from the consumer's start, at the first
            // tick on or after each due time whatever the tick length.
            if t >= fleet.next_sync_ms {
                let every = u64::from(k.shard_sync_s) * 1_000;
                fleet.next_sync_ms = t - (t - c.started_ms) % every + every;
                for shard in &mut self.shards {
                    if let Cursor::Kcl(ks) = &mut shard.readers[ci].cursor {
                        if !ks.known {
                            ks.known = true;
                            fleet.dirty = true;
                        }
                    }
                }
            }
        }
    }

    /// Producers offer, shards admit and append. Returns
    /// (incoming records, incoming bytes, throttled, produced, dropped).
    fn write(&mut self, t: u64, end: u64) -> (u64, u64, u64, u64, u64) {
        // Writes run second by second whatever the tick: the limits, bursts and retry
        // delays are per second, so a coarser tick changes no total.
        let seconds = ((end - t) / 1_000) as usize;
        let (per_record_cap, per_byte_cap) = (
            1.0 / (SHARD_WRITE_RECORDS_PER_S * seconds as u64) as f64,
            1.0 / (SHARD_WRITE_BYTES_PER_S * seconds as u64) as f64,
        );
        let producers = self.producers.len();
        self.rates.clear();
        for sec in 0..seconds as u64 {
            let s0 = t + sec * 1_000;
            self.rates.extend(
                self.producers
                    .iter()
                    .map(|p| p.records_between(s0, s0 + 1_000)),
            );
        }
        // Each producer's busiest second of the tick, and its whole tick.
        self.peaks.clear();
        for p in 0..producers {
            let (mut peak, mut total) = (0.0f64, 0.0);
            for sec in 0..seconds {
                peak = peak.max(self.rates[sec * producers + p]);
                total += self.rates[sec * producers + p];
            }
            self.peaks.push((peak, total));
        }
        let (mut incoming, mut bytes, mut throttled, mut produced, mut dropped) = (0, 0, 0, 0, 0);
        let first_open = self.shards.len() - self.layout.shards() as usize;
        self.utilisation.clear();
        self.put_units_now = 0;
        for (i, shard) in self.shards[first_open..].iter_mut().enumerate() {
            let (mut shard_records, mut shard_bytes) = (0, 0);
            // A quiet shard — nothing waiting to retry, no debt, and even its busiest
            // second of new records under both limits — accepts everything: the tick's
            // records are counted at once (carrying the fraction as second-by-second
            // counting would) and appended as one span.
            let (mut peak_records, mut peak_bytes) = (0.0, 0.0);
            for (p, producer) in self.producers.iter().enumerate() {
                let most = self.peaks[p].0 * producer.weights[i] + 1.0;
                peak_records += most;
                peak_bytes += most * producer.bytes_per_record as f64;
            }
            let quiet = shard.retries.iter().all(|q| q.waiting == 0)
                && !shard.write_bytes.in_debt()
                && peak_records <= SHARD_WRITE_RECORDS_PER_S as f64
                && peak_bytes <= SHARD_WRITE_BYTES_PER_S as f64;
            if quiet {
                for (p, producer) in self.producers.iter().enumerate() {
                    let exact = self.peaks[p].1 * producer.weights[i] + shard.carry[p];
                    let fresh = exact.floor();
                    shard.carry[p] = exact - fresh;
                    let fresh = fresh as u64;
                    shard_records += fresh;
                    shard_bytes += fresh * producer.bytes_per_record;
                    self.put_units_now += fresh * producer.put_units;
                }
                produced += shard_records;
                // The allowance is whole after every second (nothing overdrew it).
                shard
                    .write_records
                    .refill(SHARD_WRITE_RECORDS_PER_S, 1_000, 0);
                shard.write_bytes.refill(SHARD_WRITE_BYTES_PER_S, 1_000, 0);
                shard.log.append(shard_records, shard_bytes, t, end);
            }
            for sec in (0..seconds).filter(|_| !quiet) {
                let s0 = t + sec as u64 * 1_000;
                let offers = &mut self.offers;
                offers.clear();
                for (p, producer) in self.producers.iter_mut().enumerate() {
                    let exact =
                        self.rates[sec * producers + p] * producer.weights[i] + shard.carry[p];
                    let fresh = exact.floor();
                    shard.carry[p] = exact - fresh;
                    let fresh = fresh as u64;
                    produced += fresh;
                    let bytes_per_record = producer.bytes_per_record;
                    if fresh > 0 {
                        offers.push(Offer {
                            records: fresh,
                            bytes_per_record,
                            producer: p,
                            attempt: 1,
                        });
                    }
                    shard.retries[p].drain_due(|attempt, records| {
                        producer.pending -= records;
                        offers.push(Offer {
                            records,
                            bytes_per_record,
                            producer: p,
                            attempt,
                        });
                    });
                }
                self.accepted.clear();
                self.accepted.resize(offers.len(), 0);
                // The limits hold on average: a record may start while the byte allowance
                // is positive and overdraw it; the debt is paid off before the next one.
                shard
                    .write_records
                    .refill(SHARD_WRITE_RECORDS_PER_S, 1_000, 0);
                shard.write_bytes.refill(SHARD_WRITE_BYTES_PER_S, 1_000, 0);
                let cap_records = shard.write_records.left();
                let cap_bytes = match shard.write_bytes.left() {
                    0 => 0,
                    left => left + offers.iter().map(|o| o.bytes_per_record).max().unwrap_or(1) - 1,
                };
                let (acc, acc_bytes) = admit(offers, cap_records, cap_bytes, &mut self.accepted);
                shard.write_records.spend(acc);
                shard.write_bytes.spend(acc_bytes);
                for (offer, &accepted) in offers.iter().zip(&self.accepted) {
                    self.put_units_now += accepted * self.producers[offer.producer].put_units;
                    let rejected = offer.records - accepted;
                    if rejected == 0 {
                        continue;
                    }
                    throttled += rejected;
                    let (p, attempt) = (offer.producer, offer.attempt);
                    let producer = &mut self.producers[p];
                    if attempt >= producer.config.retry.max_attempts {
                        dropped += rejected;
                        continue;
                    }
                    let room = producer.buffer_cap().saturating_sub(producer.pending);
                    let kept = rejected.min(room);
                    dropped += rejected - kept;
                    producer.pending += kept;
                    shard.retries[p].schedule(&producer.config.retry, attempt, kept, 1_000);
                }
                shard.log.append(acc, acc_bytes, s0, s0 + 1_000);
                shard_records += acc;
                shard_bytes += acc_bytes;
            }
            shard.accepted_now = shard_records;
            incoming += shard_records;
            bytes += shard_bytes;
            let util =
                (shard_records as f64 * per_record_cap).max(shard_bytes as f64 * per_byte_cap);
            self.utilisation.push(util);
        }
        for shard in &mut self.shards[..first_open] {
            shard.accepted_now = 0;
        }
        for c in &mut self.consumers {
            c.ledger.accepted += incoming;
        }
        (incoming, bytes, throttled, produced, dropped)
    }

    /// Every consumer reads every shard it may read.
    fn read(&mut self, t: u64, end: u64) {
        for shard in &mut self.shards {
            shard.budget.refill(self.tick_ms);
            for reader in &mut shard.readers {
                reader.pipe.refill(self.tick_ms);
            }
        }
        self.update_readiness();
        let n = self.consumers.len();
        if n == 0 {
            return;
        }
        // Invocations already running count first, for each function and for the
        // account's unreserved pool that functions without a reservation share.
        let mut pool_in_use = 0;
        for (ci, consumer) in self.consumers.iter_mut().enumerate() {
            let mut running = 0;
            for shard in &mut self.shards {
                if let Cursor::Lambda(ls) = &mut shard.readers[ci].cursor {
                    running += ls.running();
                }
            }
            consumer.tick.concurrency = running;
            if let ConsumerConfig::Lambda(l) = &consumer.config {
                if l.reserved_concurrency.is_none() {
                    pool_in_use += running;
                }
            }
        }
        let pool = self.config.unreserved_concurrency();
        // Consumers go in a fresh random order each tick (the run's seed decides it), so
        // that none is systematically first to the shared read budget or the pool.
        self.order.clear();
        self.order.extend(0..n);
        for k in (1..n).rev() {
            let j = (self.order_rng.next_u64() % (k as u64 + 1)) as usize;
            self.order.swap(k, j);
        }
        for k in 0..n {
            let ci = self.order[k];
            let consumer = &mut self.consumers[ci];
            match (&consumer.config, &mut consumer.fleet) {
                (ConsumerConfig::Lambda(l), Fleet::Lambda { max_concurrency }) => {
                    // New invocations fit under the reservation, or under what the
                    // shared pool has left.
                    let own_before = consumer.tick.concurrency;
                    let (mut in_use, cap) = match l.reserved_concurrency {
                        Some(r) => (own_before, r),
                        None => (pool_in_use, pool),
                    };
                    let before = in_use;
                    let shards = self.shards.len();
                    let offset = ((t / self.tick_ms) % shards.max(1) as u64) as usize;
                    for j in 0..shards {
                        let shard = &mut self.shards[(offset + j) % shards];
                        let reader = &mut shard.readers[ci];
                        let Cursor::Lambda(ls) = &mut reader.cursor else {
                            continue;
                        };
                        if !reader.ready {
                            continue;
                        }
                        let mut ctx = ShardCtx {
                            log: &shard.log,
                            budget: &mut shard.budget,
                            pipe: &mut reader.pipe,
                            t_ms: t,
                            end_ms: end,
                            shard_id: shard.id,
                            seed: self.config.seed,
                        };
                        ls.tick(
                            l,
                            &mut ctx,
                            &mut consumer.rng,
                            &mut in_use,
                            cap,
                            &mut consumer.tick,
                        );
                    }
                    if l.reserved_concurrency.is_none() {
                        pool_in_use = in_use;
                        self.metrics.unreserved_concurrency = in_use;
                    }
                    let own = own_before + (in_use - before);
                    consumer.tick.concurrency = own;
                    *max_concurrency = (*max_concurrency).max(own);
                }
                (ConsumerConfig::Kcl(k), Fleet::Kcl(fleet)) => {
                    kcl_tick(
                        k,
                        fleet,
                        &mut self.shards,
                        ci,
                        self.tick_ms,
                        &mut consumer.tick,
                        &mut self.grants,
                    );
                }
                _ => {}
            }
            let tick = &mut consumer.tick;
            consumer.ledger.processed += tick.processed;
            consumer.ledger.skipped += tick.skipped;
            consumer.ledger.expired += tick.expired;
        }
    }

    /// A reader may start on a shard once every parent is finished (or gone) for it.
    fn update_readiness(&mut self) {
        for s in 0..self.shards.len() {
            for ci in 0..self.consumers.len() {
                if self.shards[s].readers[ci].ready {
                    continue;
                }
                let parents_done = self.shards[s].parents.iter().all(|&pid| {
                    match self.shards.binary_search_by_key(&pid, |x| x.id) {
                        Ok(p) => {
                            let parent = &self.shards[p];
                            let r = &parent.readers[ci];
                            !parent.open
                                && r.cursor.done_pos() >= parent.log.end_seq()
                                && r.cursor.idle()
                        }
                        Err(_) => true,
                    }
                });
                let known = match &self.shards[s].readers[ci].cursor {
                    Cursor::Kcl(k) => k.known,
                    Cursor::Lambda(_) => true,
                };
                if parents_done && known {
                    self.shards[s].readers[ci].ready = true;
                    if let Fleet::Kcl(f) = &mut self.consumers[ci].fleet {
                        f.dirty = true;
                    }
                }
            }
        }
    }

    /// Retention removes old records; unread ones are expired for each consumer.
    fn retain(&mut self, end: u64) {
        let retention_ms = u64::from(self.config.stream.retention_hours) * 3_600_000;
        let cutoff = end.saturating_sub(retention_ms);
        for shard in &mut self.shards {
            let start = shard.log.trim_before(cutoff);
            for (ci, reader) in shard.readers.iter_mut().enumerate() {
                let lost = match &mut reader.cursor {
                    Cursor::Lambda(l) => l.trim(start),
                    Cursor::Kcl(k) => {
                        let lost = start.saturating_sub(k.pos);
                        k.pos = k.pos.max(start);
                        k.fetched_end = k.fetched_end.max(start);
                        lost
                    }
                };
                if lost > 0 {
                    let c = &mut self.consumers[ci];
                    c.ledger.expired += lost;
                    c.tick.expired += lost;
                }
            }
        }
        // Closed shards every consumer has finished are dropped.
        let before = self.shards.len();
        self.shards.retain(|s| {
            s.open
                || !s
                    .readers
                    .iter()
                    .all(|r| r.cursor.done_pos() >= s.log.end_seq() && r.cursor.idle())
                || (s.readers.is_empty() && !s.log.is_empty())
        });
        if self.shards.len() != before {
            for c in &mut self.consumers {
                if let Fleet::Kcl(f) = &mut c.fleet {
                    f.dirty = true;
                }
            }
        }
    }

    fn finish_tick(
        &mut self,
        end: u64,
        incoming: u64,
        bytes: u64,
        throttled: u64,
        produced: u64,
        dropped: u64,
    ) {
        self.totals.produced += produced;
        self.totals.accepted += incoming;
        self.totals.throttled += throttled;
        self.totals.dropped_by_producer += dropped;
        let window = (60_000 / self.tick_ms).max(1) as usize;
        self.incoming_window.push_back(incoming);
        while self.incoming_window.len() > window {
            self.incoming_window.pop_front();
        }
        let mut read_throttled = 0u64;
        let mut latency_sum = 0u64;
        let shared = self
            .consumers
            .iter()
            .filter(|c| c.config.fan_out() == FanOut::Shared)
            .count() as u64;
        for shard in &self.shards {
            read_throttled += u64::from(shard.budget.throttled);
            // About 200 ms per standard consumer polling the shard (none: no calls, no
            // latency); a throttled call waits a further second before its retry.
            latency_sum += 200 * shared + if shard.budget.throttled > 0 { 1_000 } else { 0 };
        }
        self.totals.read_throttled += read_throttled;
        let mut stream_age = 0;
        let mut records_out = 0;
        let mut bytes_out = 0;
        for ci in 0..self.consumers.len() {
            let mut age = 0;
            let mut behind = 0;
            let mut unread = 0;
            for shard in &self.shards {
                let reader = &shard.readers[ci];
                let pos = reader.cursor.done_pos();
                let end_seq = shard.log.end_seq();
                if pos < end_seq {
                    behind += reader.cursor.unprocessed(end_seq);
                    if let Some(arrived) = shard.log.arrival_ms(pos.max(shard.log.start_seq())) {
                        age = age.max(end.saturating_sub(arrived));
                    }
                }
                let reading = reader.ready
                    && match &reader.cursor {
                        Cursor::Kcl(k) => k.worker.is_some(),
                        Cursor::Lambda(_) => true,
                    };
                if !reading && (shard.open || pos < end_seq) {
                    unread += 1;
                }
            }
            let c = &mut self.consumers[ci];
            c.tick.iterator_age_ms = age;
            c.tick.behind = behind;
            c.tick.unread_shards = unread;
            if let Fleet::Kcl(f) = &c.fleet {
                c.tick.concurrency = f.running;
            }
            c.max_iterator_age_ms = c.max_iterator_age_ms.max(age);
            stream_age = stream_age.max(age);
            records_out += c.tick.processed;
            bytes_out += c.tick.bytes_read;
            self.metrics.consumers.push(c.tick);
        }
        let m = &mut self.metrics;
        m.t_ms = end;
        m.produced = produced;
        m.incoming_records = incoming;
        m.incoming_bytes = bytes;
        m.write_throttled = throttled;
        m.dropped_by_producer = dropped + std::mem::take(&mut self.drops_unticked);
        m.pending_retry = self.producers.iter().map(|p| p.pending).sum();
        m.read_throttled = read_throttled;
        m.get_records_records = records_out;
        m.get_records_bytes = bytes_out;
        m.get_records_latency_ms = latency_sum / self.shards.len().max(1) as u64;
        m.iterator_age_ms = stream_age;
        m.open_shards = self.layout.shards();
        m.live_shards = self.shards.len() as u32;
        m.max_shard_utilisation = self.utilisation.iter().copied().fold(0.0, f64::max);
        self.accrue_cost(end);
    }

    /// Adds this tick's spend and keeps a minute of history for the hourly rate.
    fn accrue_cost(&mut self, end: u64) {
        let retention_h = self.config.stream.retention_hours;
        if retention_h > 168 && end.is_multiple_of(60_000) {
            let cutoff = end.saturating_sub(168 * 3_600_000);
            self.long_term_bytes = self.shards.iter().map(|s| s.log.bytes_before(cutoff)).sum();
        }
        let mut usage = Usage {
            hours: self.tick_ms as f64 / 3_600_000.0,
            shards: self.layout.shards(),
            put_units: self.put_units_now,
            retention_hours: retention_h,
            long_term_bytes: if retention_h > 168 {
                self.long_term_bytes
            } else {
                0
            },
            ..Usage::default()
        };
        for c in &self.consumers {
            if c.config.fan_out() == FanOut::Enhanced {
                usage.efo_consumers += 1;
                usage.efo_bytes += c.tick.bytes_read;
            }
            match (&c.config, &c.fleet) {
                (ConsumerConfig::Lambda(l), _) => {
                    usage.lambda_gb_seconds +=
                        c.tick.busy_ms as f64 / 1_000.0 * f64::from(l.memory_mb) / 1_024.0;
                    usage.lambda_requests += u64::from(c.tick.invocations);
                }
                (ConsumerConfig::Kcl(k), Fleet::Kcl(f)) => {
                    usage.vcpus += f64::from(f.running) * k.vcpu;
                    usage.memory_gb += f64::from(f.running) * k.memory_gb;
                }
                _ => {}
            }
        }
        self.spend.accrue(&usage, &PRICES);
        self.spend_window.push_back((end, self.spend));
        while self
            .spend_window
            .front()
            .is_some_and(|&(t, _)| t + 60_000 < end)
        {
            self.spend_window.pop_front();
        }
    }

    /// Dollars spent since the start, by line item.
    pub fn spend(&self) -> Spend {
        self.spend
    }

    /// Current cost rate in dollars per hour, by line item (over the last minute).
    pub fn cost_per_hour(&self) -> Spend {
        match (self.spend_window.front(), self.spend_window.back()) {
            (Some(&(t0, first)), Some(&(t1, last))) if t1 > t0 => {
                last.rate_since(&first, 3_600_000.0 / (t1 - t0) as f64)
            }
            // Too early for a window: the first tick's spend scaled to an hour.
            (_, Some(&(t1, last))) if t1 > 0 => {
                last.rate_since(&Spend::default(), 3_600_000.0 / t1 as f64)
            }
            _ => Spend::default(),
        }
    }
}

/// One consumer's line in a run's summary.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConsumerReport {
    /// Consumer name.
    pub name: String,
    /// `"lambda"` or `"kcl"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its totals.
    #[serde(flatten)]
    pub ledger: Ledger,
    /// Records in the stream it has not processed yet.
    pub behind: u64,
    /// Highest iterator age seen, ms.
    pub max_iterator_age_ms: u64,
    /// Iterator age at the end, ms.
    pub final_iterator_age_ms: u64,
    /// Lambda: most concurrent executions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<u32>,
    /// KCL: most tasks running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tasks: Option<u32>,
    /// Simulated second at which a scripted event or `apply` removed it (absent while
    /// it runs); its numbers are those of that moment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_at_s: Option<u64>,
}

fn new_reader(config: &ConsumerConfig, from: u64, known: bool) -> Reader {
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

fn new_consumer(config: &ConsumerConfig, seed: u64, index: usize, now_ms: u64) -> Consumer {
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

/// One tick of a KCL application over all shards.
fn kcl_tick(
    config: &KclConfig,
    fleet: &mut KclFleet,
    shards: &mut [Shard],
    ci: usize,
    tick_ms: u64,
    out: &mut ConsumerTick,
    grants: &mut Vec<u64>,
) {
    if fleet.dirty {
        let leases: Vec<usize> = (0..shards.len())
            .filter(|&s| match &shards[s].readers[ci].cursor {
                Cursor::Kcl(k) => k.known && (shards[s].open || k.pos < shards[s].log.end_seq()),
                Cursor::Lambda(_) => false,
            })
            .collect();
        let owners = assign_leases(leases.len(), fleet.running, config.max_leases_per_worker);
        for shard in shards.iter_mut() {
            if let Cursor::Kcl(k) = &mut shard.readers[ci].cursor {
                k.worker = None;
            }
        }
        for (&s, owner) in leases.iter().zip(owners) {
            if let Cursor::Kcl(k) = &mut shards[s].readers[ci].cursor {
                k.worker = owner;
            }
        }
        fleet.dirty = false;
    }
    let workers = fleet.running as usize;
    fleet.carry.resize(workers, 0.0);
    let scratch = &mut fleet.scratch;
    scratch.held.clear();
    scratch.held.resize(workers, 0);
    scratch.work.iter_mut().for_each(Vec::clear);
    scratch.work.resize(workers, Vec::new());
    for shard in shards.iter() {
        if let Cursor::Kcl(KclShard {
            worker: Some(w), ..
        }) = shard.readers[ci].cursor
        {
            if let Some(held) = scratch.held.get_mut(w as usize) {
                *held += 1;
            }
        }
    }
    let tick_capacity = (config.records_per_sec_per_task * tick_ms as f64 / 1_000.0).ceil() as u64;
    for (s, shard) in shards.iter_mut().enumerate() {
        let reader = &mut shard.readers[ci];
        let Cursor::Kcl(k) = &mut reader.cursor else {
            continue;
        };
        let Some(w) = k.worker else { continue };
        let w = w as usize;
        if w >= workers || !reader.ready {
            continue;
        }
        // The processor's calls fill its buffer; enhanced fan-out pushes instead.
        let start = shard.log.start_seq();
        k.pos = k.pos.max(start);
        k.fetched_end = k.fetched_end.max(k.pos);
        // The buffer holds a few calls' worth beyond what the processor can take off it
        // during this tick (its share of the worker's capacity).
        let per_call = u64::from(config.max_records_per_call);
        let share = tick_capacity.div_ceil(u64::from(scratch.held[w].max(1)));
        let limit = PREFETCH_CALLS * per_call + share;
        let room = |k: &KclShard| limit.saturating_sub(k.fetched_end - k.pos);
        let read = if config.fan_out == FanOut::Enhanced {
            reader.pipe.push(&shard.log, k.fetched_end, room(k))
        } else {
            let mut read = super::reads::Read::default();
            for _ in 0..k.polls(tick_ms, config.poll_interval_ms) {
                if room(k) == 0 {
                    break;
                }
                let got = shard
                    .budget
                    .call(&shard.log, k.fetched_end, per_call.min(room(k)));
                k.fetched_end += got.records;
                read.records += got.records;
                read.bytes += got.bytes;
                read.throttled += got.throttled;
            }
            read
        };
        if config.fan_out == FanOut::Enhanced {
            k.fetched_end += read.records;
        }
        out.bytes_read += read.bytes;
        out.read_throttled += read.throttled;
        scratch.work[w].push((s, k.fetched_end - k.pos));
    }
    let tick_s = tick_ms as f64 / 1_000.0;
    for (w, leases) in scratch.work.iter().enumerate() {
        let exact = config.records_per_sec_per_task * tick_s + fleet.carry[w];
        let capacity = exact.floor();
        fleet.carry[w] = exact - capacity;
        scratch.demands.clear();
        scratch.demands.extend(leases.iter().map(|&(_, d)| d));
        water_fill(&scratch.demands, capacity as u64, grants);
        for (&(s, _), &grant) in leases.iter().zip(grants.iter()) {
            if let Cursor::Kcl(k) = &mut shards[s].readers[ci].cursor {
                k.pos += grant;
                out.processed += grant;
            }
        }
    }
    out.idle_tasks = scratch.held.iter().filter(|&&h| h == 0).count() as u32;
}
