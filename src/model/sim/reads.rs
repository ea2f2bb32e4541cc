//! Reads: every consumer reads every shard it may read. Allowances refill, readers whose
//! parents are finished become ready, and the consumers go in a fresh random order:
//! Lambda functions run their event source mappings under their concurrency, KCL
//! applications fetch into their leases' buffers and process what their workers can.

use super::faults::{percent, FaultSpan};
use super::state::{Consumer, Cursor, Fleet};
use super::topology::Shard;
use super::Simulation;
use crate::model::carry::Carry;
use crate::model::config::{
    ConsumerConfig, FanOut, FaultAction, KclConfig, LambdaConfig, OnFailure,
};
use crate::model::consumer::ConsumerTick;
use crate::model::kcl::{
    assign_leases, buffer_limit, tick_capacity, water_fill, KclFleet, KclScratch, KclShard,
};
use crate::model::lambda::{Executions, ShardCtx, Timing};
use crate::model::log::ShardLog;
use crate::model::ratio::mul_div;
use crate::model::reads::CallStats;
use crate::model::rng::Rng;

/// The tick a read pass runs in.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// Tick start, ms.
    start_ms: u64,
    /// Tick end, ms.
    end_ms: u64,
    /// The run's seed.
    seed: u64,
}

impl Window {
    fn tick_ms(&self) -> u64 {
        self.end_ms - self.start_ms
    }
}

/// The Kinesis records of `buffered` at a lease's checkpoint that `grant` more user
/// records of work complete, and their user records; what is left of the grant stays
/// with the next Kinesis record (`part`).
fn whole_records(log: &ShardLog, k: &mut KclShard, buffered: u64, grant: u64) -> (u64, u64) {
    let users = log.users_in(k.pos, buffered);
    let done = k.part + grant;
    if users == buffered {
        // One user record per Kinesis record (every record holds at least one, so each
        // part of the range holds as many as its length).
        k.part = 0;
        let records = done.min(buffered);
        return (records, records);
    }
    if done >= users {
        k.part = 0;
        return (buffered, users);
    }
    let mut records = mul_div(done, buffered, users);
    let mut whole = log.users_in(k.pos, records);
    while records > 0 && whole > done {
        records -= 1;
        whole = log.users_in(k.pos, records);
    }
    k.part = done - whole;
    (records, whole)
}

impl Simulation {
    /// Every consumer reads every shard it may read, in a random order.
    pub(super) fn read(&mut self, t: u64, end: u64) {
        let get_fault = percent(&self.faults, FaultAction::ThrottleGet, t, t + 1, None);
        for shard in self.topology.shards_mut() {
            shard.budget.refill(self.tick_ms);
            shard.budget.fault_percent = get_fault;
            for reader in shard.readers.iter_mut() {
                reader.pipe.refill(self.tick_ms);
            }
        }
        self.update_readiness();
        let n = self.topology.consumers().len();
        if n == 0 {
            return;
        }
        let mut pool = Executions {
            in_use: self.running_invocations(),
            cap: self.config.unreserved_concurrency(),
        };
        self.shuffle_order(n);
        let window = Window {
            start_ms: t,
            end_ms: end,
            seed: self.config.seed,
        };
        for k in 0..n {
            let ci = self.scratch.order[k];
            let (shards, consumers) = self.topology.parts_mut();
            let Consumer {
                config,
                fleet,
                rng,
                ledger,
                tick,
                ..
            } = &mut consumers[ci];
            match (config, fleet) {
                (ConsumerConfig::Lambda(l), Fleet::Lambda { max_concurrency }) => {
                    // A Lambda error burst raises the function's error rate for the tick.
                    let own_rate = l.error_rate;
                    l.error_rate = own_rate.max(burst_rate(&self.faults, &l.name, t));
                    // New invocations fit under the reservation, or under what the
                    // shared pool has left.
                    let own_before = tick.concurrency;
                    let mut executions = match l.reserved_concurrency {
                        Some(cap) => Executions {
                            in_use: own_before,
                            cap,
                        },
                        None => pool,
                    };
                    let before = executions.in_use;
                    LambdaPass {
                        config: l,
                        consumer: ci,
                        rng,
                        executions: &mut executions,
                        out: tick,
                    }
                    .run(shards, window);
                    l.error_rate = own_rate;
                    if l.reserved_concurrency.is_none() {
                        pool.in_use = executions.in_use;
                        self.metrics.unreserved_concurrency = executions.in_use;
                    }
                    let own = own_before + (executions.in_use - before);
                    tick.concurrency = own;
                    *max_concurrency = (*max_concurrency).max(own);
                    // What was given up goes to the on-failure destination, if any.
                    if l.on_failure == OnFailure::None {
                        tick.dropped = tick.skipped;
                    } else {
                        tick.to_destination = tick.skipped;
                        if l.on_failure.keeps_data() {
                            ledger.kept_with_data += tick.skipped;
                        } else {
                            ledger.kept_metadata_only += tick.skipped;
                        }
                    }
                }
                (ConsumerConfig::Kcl(k), Fleet::Kcl(fleet)) => {
                    let pass = KclPass {
                        config: k,
                        fleet,
                        consumer: ci,
                        tick_ms: self.tick_ms,
                        end_ms: end,
                        out: tick,
                    };
                    if self.skip.live.has(ci) {
                        // Its lookups are its own: the rest of the run may repeat without them.
                        let backs = &mut self.scratch.looked_back;
                        backs.clear();
                        backs.extend(shards.iter().map(|s| s.log.looked_back()));
                        pass.run(shards, &mut self.scratch.kcl);
                        for (s, &back) in shards.iter().zip(backs.iter()) {
                            s.log.set_looked_back(back);
                        }
                    } else {
                        pass.run(shards, &mut self.scratch.kcl);
                    }
                }
                _ => {}
            }
            ledger.count(tick);
        }
    }

    /// Invocations already running count first, for each function and for the account's
    /// unreserved pool that functions without a reservation share; returns the pool's.
    fn running_invocations(&mut self) -> u32 {
        let mut pool_in_use = 0;
        let (shards, consumers) = self.topology.parts_mut();
        for (ci, consumer) in consumers.iter_mut().enumerate() {
            let mut running = 0;
            for shard in shards.iter_mut() {
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
        pool_in_use
    }

    /// Consumers go in a fresh random order each tick (the run's seed decides it), so
    /// that none is systematically first to the shared read budget or the pool.
    fn shuffle_order(&mut self, n: usize) {
        let order = &mut self.scratch.order;
        order.clear();
        order.extend(0..n);
        for k in (1..n).rev() {
            let j = (self.order_rng.next_u64() % (k as u64 + 1)) as usize;
            order.swap(k, j);
        }
    }

    /// Moves the order's random stream on as [`Simulation::shuffle_order`] would for
    /// `n` consumers (one draw for each but the first), without the order: a replayed
    /// tick's order was decided when it was recorded, and each tick draws its own.
    pub(super) fn skip_order(&mut self, n: usize) {
        self.order_rng.skip(n.saturating_sub(1) as u64);
    }

    /// A reader may start on a shard once every parent is finished (or gone) for it.
    fn update_readiness(&mut self) {
        if !self.topology.readers_waiting() {
            return;
        }
        let mut waiting = false;
        let (shards, consumers) = self.topology.parts_mut();
        for s in 0..shards.len() {
            for (ci, consumer) in consumers.iter_mut().enumerate() {
                if shards[s].readers[ci].ready {
                    continue;
                }
                let parents_done = shards[s].parents().iter().all(|&pid| {
                    match shards.binary_search_by_key(&pid, Shard::id) {
                        Ok(p) => {
                            let parent = &shards[p];
                            let r = &parent.readers[ci];
                            !parent.is_open()
                                && r.cursor.done_pos() >= parent.log.end_seq()
                                && r.cursor.idle()
                        }
                        Err(_) => true,
                    }
                });
                let known = match &shards[s].readers[ci].cursor {
                    Cursor::Kcl(k) => k.known,
                    Cursor::Lambda(_) => true,
                };
                if parents_done && known {
                    shards[s].readers[ci].ready = true;
                    consumer.leases_changed();
                } else {
                    waiting = true;
                }
            }
        }
        if !waiting {
            self.topology.readers_started();
        }
    }
}

/// KCL application `ci`'s reads in a tick of `tick_ms` ending at `end_ms`, counted in
/// its ledger, on its own: a replay works them out while it replays the other
/// consumers' (see `replay::live`). Its tick's numbers start afresh.
pub(super) fn kcl_reads(
    ci: usize,
    c: &mut Consumer,
    shards: &mut [Shard],
    tick_ms: u64,
    end_ms: u64,
    scratch: &mut KclScratch,
) {
    let Consumer {
        config,
        fleet,
        ledger,
        tick,
        ..
    } = c;
    if let (ConsumerConfig::Kcl(k), Fleet::Kcl(fleet)) = (config, fleet) {
        *tick = ConsumerTick {
            kcl: true,
            enhanced: k.fan_out == FanOut::Enhanced,
            ..ConsumerTick::default()
        };
        KclPass {
            config: k,
            fleet,
            consumer: ci,
            tick_ms,
            end_ms,
            out: tick,
        }
        .run(shards, scratch);
        ledger.count(tick);
    }
}

/// The error rate a Lambda error burst in force at `t` gives function `name` (0 without).
fn burst_rate(faults: &[FaultSpan], name: &str, t: u64) -> f64 {
    f64::from(percent(
        faults,
        FaultAction::LambdaErrors,
        t,
        t + 1,
        Some(name),
    )) / 100.0
}

/// One Lambda function's event source mapping over all shards in a tick.
struct LambdaPass<'a> {
    config: &'a LambdaConfig,
    /// The function's index: its reader on every shard.
    consumer: usize,
    rng: &'a mut Rng,
    executions: &'a mut Executions,
    out: &'a mut ConsumerTick,
}

impl LambdaPass<'_> {
    /// Runs every shard the function may read, starting at a shard that rotates from
    /// tick to tick.
    fn run(self, shards: &mut [Shard], window: Window) {
        let n = shards.len();
        let offset = ((window.start_ms / window.tick_ms()) % n.max(1) as u64) as usize;
        let timing = Timing::of(self.config);
        for j in 0..n {
            let shard = &mut shards[(offset + j) % n];
            let shard_id = shard.id();
            let reader = &mut shard.readers[self.consumer];
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
                t_ms: window.start_ms,
                end_ms: window.end_ms,
                shard_id,
                seed: window.seed,
                timing,
            };
            ls.tick(self.config, &mut ctx, self.rng, self.executions, self.out);
        }
    }
}

/// One KCL application's tick over all shards.
struct KclPass<'a> {
    config: &'a KclConfig,
    fleet: &'a mut KclFleet,
    /// The application's index: its reader on every shard.
    consumer: usize,
    tick_ms: u64,
    /// Tick end (now), ms.
    end_ms: u64,
    out: &'a mut ConsumerTick,
}

impl KclPass<'_> {
    /// Reassigns leases if needed, fills each lease's buffer, then shares each worker's
    /// capacity between its leases' buffered records.
    fn run(mut self, shards: &mut [Shard], scratch: &mut KclScratch) {
        if self.fleet.dirty {
            self.assign(shards);
        }
        self.fill_buffers(shards, scratch);
        self.process(shards, scratch);
    }

    /// Spreads the leases of the shards the application knows over its workers.
    fn assign(&mut self, shards: &mut [Shard]) {
        let ci = self.consumer;
        let leases: Vec<usize> = (0..shards.len())
            .filter(|&s| match &shards[s].readers[ci].cursor {
                Cursor::Kcl(k) => {
                    k.known && (shards[s].is_open() || k.pos < shards[s].log.end_seq())
                }
                Cursor::Lambda(_) => false,
            })
            .collect();
        let owners = assign_leases(
            leases.len(),
            self.fleet.running,
            self.config.max_leases_per_worker,
        );
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
        self.fleet.dirty = false;
    }

    /// Each ready lease's processor fetches into its buffer (or enhanced fan-out pushes);
    /// notes per worker what each lease holds.
    fn fill_buffers(&mut self, shards: &mut [Shard], scratch: &mut KclScratch) {
        let (ci, config, tick_ms, now) = (self.consumer, self.config, self.tick_ms, self.end_ms);
        let workers = self.fleet.running as usize;
        self.fleet.carry.resize(workers, Carry::default());
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
        let tick_capacity = tick_capacity(config, tick_ms);
        for (s, shard) in shards.iter_mut().enumerate() {
            let reader = &mut shard.readers[ci];
            let Cursor::Kcl(k) = &mut reader.cursor else {
                continue;
            };
            k.calls = CallStats::default();
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
            let limit = buffer_limit(config, share);
            let room = |k: &KclShard| limit.saturating_sub(k.fetched_end - k.pos);
            if config.fan_out == FanOut::Enhanced {
                let read = reader.pipe.push(&shard.log, k.fetched_end, room(k), now);
                k.fetched_end += read.records;
                self.out.fetched(&read);
            } else {
                for _ in 0..k.polls(tick_ms, config.poll_interval_ms) {
                    if room(k) == 0 {
                        break;
                    }
                    let max = per_call.min(room(k));
                    let read = shard.budget.get(&shard.log, k.fetched_end, max, now);
                    k.calls.note(&read);
                    k.fetched_end += read.records;
                    self.out.fetched(&read);
                }
            }
            scratch.work[w].push((s, k.fetched_end - k.pos));
        }
    }

    /// Each worker's capacity for the tick, shared max-min fairly between its leases'
    /// buffered records, moves their checkpoints.
    fn process(self, shards: &mut [Shard], scratch: &mut KclScratch) {
        let (ci, config) = (self.consumer, self.config);
        let tick_s = self.tick_ms as f64 / 1_000.0;
        let fleet = self.fleet;
        for (w, leases) in scratch.work.iter().enumerate() {
            let capacity = fleet.carry[w].whole(config.records_per_sec_per_task * tick_s);
            // The KCL de-aggregates: its work is user records, its checkpoint moves
            // by whole Kinesis records.
            scratch.demands.clear();
            scratch.demands.extend(leases.iter().map(
                |&(s, d)| match &shards[s].readers[ci].cursor {
                    Cursor::Kcl(k) => shards[s].log.users_in(k.pos, d).saturating_sub(k.part),
                    _ => 0,
                },
            ));
            water_fill(&scratch.demands, capacity, &mut scratch.grants);
            for (&(s, buffered), &grant) in leases.iter().zip(scratch.grants.iter()) {
                let shard = &mut shards[s];
                if let Cursor::Kcl(k) = &mut shard.readers[ci].cursor {
                    let (records, users) = whole_records(&shard.log, k, buffered, grant);
                    if records > 0 {
                        let delay = shard.log.mean_delay(k.pos, records, self.end_ms);
                        self.out.done(records, delay);
                        self.out.processed_users += users;
                    }
                    k.pos += records;
                }
            }
        }
        self.out.idle_tasks = scratch.held.iter().filter(|&&h| h == 0).count() as u32;
    }
}
