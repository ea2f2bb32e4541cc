//! A Lambda function behind an event source mapping, per shard.
//!
//! Per shard, up to `parallelization_factor` invocations run at once, each on a batch of
//! at most `batch_size` records and 6 MiB. The poller fetches with GetRecords (≤ 10,000
//! records a call) and polls about once a second when caught up. A failed batch is
//! retried whole, blocking its slot, until it succeeds, runs out of retries or grows too
//! old; with bisect, a failed batch is split in two first (splitting uses no retry
//! attempt). A batch fails when the function errs by chance (`error_rate`), when it holds
//! a poison record (one the function fails on every time), or when it would run longer
//! than the timeout. Concurrency over all shards is capped by reserved concurrency and
//! the account's pool; starts beyond it are throttled.

use super::config::{FanOut, LambdaConfig};
use super::consumer::ConsumerTick;
use super::log::ShardLog;
use super::reads::{Pipe, ReadBudget, MAX_RECORDS_PER_CALL};
use super::rng::Rng;

mod failure;
mod phase;
mod timing;

use failure::{fail, holds_poison};
pub use timing::{invocation_ms, Timing};

/// Largest synchronous invocation payload, bytes.
pub const PAYLOAD_BYTES: u64 = 6 * 1_048_576;

/// Bytes `data` bytes of record data take in the event: base64, 4 characters for 3 bytes.
fn encoded(data: u64) -> u64 {
    data.div_ceil(3) * 4
}

/// One concurrent batch position of a shard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Slot {
    busy: bool,
    free_at_ms: u64,
    start: u64,
    len: u64,
    attempts: u32,
    /// Halves of bisected batches waiting for this slot: (start, len, attempts).
    queue: Vec<(u64, u64, u32)>,
    counted: bool,
    /// The running invocation will stop at the function timeout.
    timed_out: bool,
    /// The running batch holds a poison record.
    poisoned: bool,
}

impl Slot {
    /// Starts an invocation on the slot's batch at `start_ms`; returns its duration.
    fn arm(&mut self, config: &LambdaConfig, ctx: &ShardCtx<'_>, start_ms: u64) -> u64 {
        // A de-aggregating function works per user record.
        let work = if config.deaggregate {
            ctx.log.users_in(self.start, self.len)
        } else {
            self.len
        };
        let needed = ctx.timing.ms(work);
        let timeout_ms = ctx.timing.timeout_ms;
        self.timed_out = needed > timeout_ms;
        self.poisoned = holds_poison(config, ctx, self.start, self.len);
        let duration = needed.min(timeout_ms);
        self.busy = true;
        self.free_at_ms = start_ms + duration;
        duration
    }
}

impl Slot {
    /// The invocation that ended by the tick's end succeeded or failed; a failed batch is
    /// given up on or retried at once. Returns false when the retry found no execution
    /// free (the batch waits in the slot's queue).
    fn complete(
        &mut self,
        config: &LambdaConfig,
        ctx: &ShardCtx<'_>,
        rng: &mut Rng,
        executions: &mut Executions,
        out: &mut ConsumerTick,
    ) -> bool {
        let erred = config.error_rate > 0.0 && rng.chance(config.error_rate);
        out.ended += 1;
        if !(self.timed_out || self.poisoned || erred) {
            let delay = ctx.log.mean_delay(self.start, self.len, self.free_at_ms);
            out.done(self.len, delay);
            out.processed_users += ctx.log.users_in(self.start, self.len);
            self.busy = false;
            return true;
        }
        out.errors += 1;
        out.failed_invoke += self.len;
        out.timeouts += u32::from(self.timed_out);
        if fail(self, config, ctx, out) {
            // The retry needs an execution like any new invocation.
            if !self.counted {
                if executions.in_use >= executions.cap {
                    out.throttles += 1;
                    self.busy = false;
                    self.queue.push((self.start, self.len, self.attempts));
                    return false;
                }
                self.counted = true;
                executions.in_use += 1;
            }
            out.sent(
                self.len,
                ctx.log.last_age(self.start, self.len, self.free_at_ms),
            );
            let duration = self.arm(config, ctx, self.free_at_ms);
            out.busy_ms += duration;
        }
        true
    }
}

/// The event source mapping's state for one shard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LambdaShard {
    /// Next record not yet given to a batch.
    read_pos: u64,
    /// End of the records fetched with GetRecords.
    fetched_end: u64,
    /// Bytes of the fetched records not yet given to a batch.
    fetched_bytes: u64,
    slots: Vec<Slot>,
}

/// Concurrent executions a function holds against the most it may hold, over all its
/// shards (or, for functions without a reservation, the account's shared pool).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Executions {
    /// Executions held now.
    pub in_use: u32,
    /// The most that may be held: the reserved concurrency, or the unreserved pool.
    pub cap: u32,
}

/// Everything one shard's tick needs from the simulation.
pub struct ShardCtx<'a> {
    /// The shard's log.
    pub log: &'a ShardLog,
    /// The shard's shared read allowance.
    pub budget: &'a mut ReadBudget,
    /// This consumer's enhanced fan-out pipe for the shard.
    pub pipe: &'a mut Pipe,
    /// Tick start, ms.
    pub t_ms: u64,
    /// Tick end (now), ms.
    pub end_ms: u64,
    /// The shard's id (poison records are a property of the shard's records).
    pub shard_id: u32,
    /// The run's seed.
    pub seed: u64,
    /// How long the function's invocations take.
    pub timing: Timing,
}

impl LambdaShard {
    /// Starts reading a shard at sequence number `from`.
    pub fn starting_at(from: u64, config: &LambdaConfig) -> Self {
        let mut s = LambdaShard {
            read_pos: from,
            fetched_end: from,
            ..LambdaShard::default()
        };
        s.resize(config.parallelization_factor);
        s
    }

    /// Changes the number of concurrent batches (running ones finish first).
    pub fn resize(&mut self, pf: u32) {
        let pf = pf.max(1) as usize;
        if self.slots.len() < pf {
            self.slots.resize(pf, Slot::default());
        } else {
            while self.slots.len() > pf
                && self
                    .slots
                    .last()
                    .is_some_and(|s| !s.busy && s.queue.is_empty())
            {
                self.slots.pop();
            }
        }
    }

    /// Oldest record not yet processed.
    pub fn done_pos(&self) -> u64 {
        let mut pos = self.read_pos;
        for slot in &self.slots {
            if slot.busy {
                pos = pos.min(slot.start);
            }
            for &(start, _, _) in &slot.queue {
                pos = pos.min(start);
            }
        }
        pos
    }

    /// Records below `end` not yet processed: unread ones, in-flight batches and
    /// bisected halves waiting.
    pub fn unprocessed(&self, end: u64) -> u64 {
        let mut n = end.saturating_sub(self.read_pos);
        for slot in &self.slots {
            if slot.busy {
                n += slot.len;
            }
            n += slot.queue.iter().map(|&(_, len, _)| len).sum::<u64>();
        }
        n
    }

    /// Whether nothing is in flight or waiting for a retry.
    pub fn idle(&self) -> bool {
        self.slots.iter().all(|s| !s.busy && s.queue.is_empty())
    }

    /// Everything before `start` is gone for this consumer (retention removed it, or
    /// it is older than the maximum record age). Returns how many records it lost.
    pub fn trim(&mut self, start: u64) -> u64 {
        if self.read_pos >= start {
            return 0;
        }
        let lost = start - self.read_pos;
        if self.fetched_end < start {
            self.fetched_bytes = 0;
            self.fetched_end = start;
        } else {
            let fetched = self.fetched_end - self.read_pos;
            self.fetched_bytes -= self.fetched_bytes * lost.min(fetched) / fetched.max(1);
        }
        self.read_pos = start;
        lost
    }

    /// Marks the invocations running at the start of a tick as holding their execution
    /// and returns how many there are. An execution passes from one batch to the next in
    /// the same slot without being given back, so a busy function keeps what it holds
    /// and the pool goes first come, first served. Call for every shard before `tick`.
    pub fn running(&mut self) -> u32 {
        let mut n = 0;
        for slot in &mut self.slots {
            slot.counted = slot.busy;
            n += u32::from(slot.busy);
        }
        n
    }

    /// Runs one tick of this shard: completes and starts batches, fetches records.
    /// `executions` counts concurrent executions over all shards against their cap.
    pub fn tick(
        &mut self,
        config: &LambdaConfig,
        ctx: &mut ShardCtx<'_>,
        rng: &mut Rng,
        executions: &mut Executions,
        out: &mut ConsumerTick,
    ) {
        // The poller asks at least once a second: a refused call is asked again the next
        // second, and a caught-up poller keeps polling.
        let mut poller = Poller {
            calls: 0,
            refusals: 0,
            seconds: ((ctx.end_ms - ctx.t_ms) / 1_000).max(1) as u32,
        };
        let batch = u64::from(config.batch_size);
        for j in 0..self.slots.len() {
            loop {
                let slot = &mut self.slots[j];
                if slot.busy {
                    if slot.free_at_ms > ctx.end_ms {
                        break;
                    }
                    if !slot.complete(config, ctx, rng, executions, out) {
                        break;
                    }
                    continue;
                }
                let mut start_ms = slot.free_at_ms.max(ctx.t_ms);
                if start_ms >= ctx.end_ms {
                    break;
                }
                // A bisected half waiting for this slot goes first.
                let (mut start, len, attempts) = if let Some(half) = slot.queue.pop() {
                    half
                } else {
                    match self.next_batch(config, ctx, &mut poller, start_ms, out) {
                        Some((start, n)) => (start, n, 0),
                        None => break,
                    }
                };
                let slot = &mut self.slots[j];
                if !slot.counted {
                    if executions.in_use >= executions.cap {
                        out.throttles += 1;
                        if attempts > 0 || start < self.read_pos {
                            slot.queue.push((start, len, attempts));
                        }
                        break;
                    }
                    slot.counted = true;
                    executions.in_use += 1;
                }
                let duration = ctx.timing.ms(len);
                if start == self.read_pos
                    && attempts == 0
                    && len == batch
                    && config.error_rate == 0.0
                    && config.poison_rate == 0.0
                    && !config.deaggregate
                    && duration <= ctx.timing.timeout_ms
                {
                    start_ms =
                        self.run_clean_batches(ctx.log, len, duration, start_ms, ctx.end_ms, out);
                    start = self.read_pos;
                }
                if start == self.read_pos && attempts == 0 {
                    let fetched = self.fetched_end - self.read_pos;
                    self.fetched_bytes = if len >= fetched {
                        0
                    } else {
                        self.fetched_bytes - self.fetched_bytes / fetched * len
                    };
                    self.read_pos += len;
                }
                let slot = &mut self.slots[j];
                slot.start = start;
                slot.len = len;
                slot.attempts = attempts;
                slot.counted = true;
                out.sent(len, ctx.log.last_age(start, len, start_ms));
                let duration = slot.arm(config, ctx, start_ms);
                out.busy_ms += duration;
            }
        }
        let caught_up = self.fetched_end >= ctx.log.end_seq();
        if config.fan_out == FanOut::Shared && (caught_up || poller.refusals > 0) {
            // Caught up, the poller still asks once a second; refused, it asks again
            // every second (nothing refills the shard's allowance within the tick).
            for _ in poller.calls..poller.seconds {
                out.fetched(&ctx.budget.call(ctx.log, self.fetched_end, 0, ctx.end_ms));
            }
        }
        if config.fan_out == FanOut::Enhanced && caught_up {
            // Caught up, the subscription's events carry no record: 0 ms behind.
            out.fetched(&ctx.pipe.push(ctx.log, self.fetched_end, 1, ctx.end_ms));
        }
        self.rest_idle_slots(ctx.end_ms);
    }

    /// The next batch from the records fetched, as (first record, records): the poller
    /// fetches first if it holds less than a batch. `None` while there is nothing to
    /// invoke on yet (nothing fetched, or a batch window still open).
    fn next_batch(
        &mut self,
        config: &LambdaConfig,
        ctx: &mut ShardCtx<'_>,
        poller: &mut Poller,
        start_ms: u64,
        out: &mut ConsumerTick,
    ) -> Option<(u64, u64)> {
        let batch = u64::from(config.batch_size);
        // Records older than the maximum record age are discarded unsent.
        if config.max_record_age_s >= 0 {
            let max_age_ms = config.max_record_age_s as u64 * 1_000;
            let young = ctx
                .log
                .first_arrived_from(start_ms.saturating_sub(max_age_ms));
            out.skipped += self.trim(young);
        }
        // The poller fetches when it holds less than a batch (by count or by
        // payload), once a second at most after a refused call.
        let unread = ctx.log.end_seq().saturating_sub(self.fetched_end);
        let short =
            self.fetched_end - self.read_pos < batch && encoded(self.fetched_bytes) < PAYLOAD_BYTES;
        if short && unread > 0 && poller.refusals < poller.seconds {
            let (log, pos) = (ctx.log, self.fetched_end);
            let read = if config.fan_out == FanOut::Enhanced {
                ctx.pipe.push(log, pos, MAX_RECORDS_PER_CALL, ctx.end_ms)
            } else {
                poller.calls += 1;
                ctx.budget.call(log, pos, MAX_RECORDS_PER_CALL, ctx.end_ms)
            };
            poller.refusals += read.throttled;
            out.fetched(&read);
            self.fetched_end += read.records;
            self.fetched_bytes += read.bytes;
        }
        let fetched = self.fetched_end - self.read_pos;
        if fetched == 0 {
            return None;
        }
        let mut n = fetched.min(batch);
        if encoded(self.fetched_bytes) > PAYLOAD_BYTES {
            let per_record = encoded((self.fetched_bytes / fetched).max(1));
            n = n.min((PAYLOAD_BYTES / per_record).max(1));
        }
        // Invoke when the batch is full, the payload is, or the window ends.
        let payload_full = n < fetched.min(batch);
        if config.batch_window_s > 0 && n < batch && !payload_full {
            let oldest = ctx.log.arrival_ms(self.read_pos).unwrap_or(ctx.t_ms);
            if ctx.end_ms.saturating_sub(oldest) < u64::from(config.batch_window_s) * 1_000 {
                return None;
            }
        }
        Some((self.read_pos, n))
    }

    /// Without errors, whole batches that start and finish inside this tick need no
    /// loop: runs all but the last of the `len`-record batches of `duration_ms` each that
    /// fit from `start_ms` to `end_ms` at once. Returns when the last one starts.
    fn run_clean_batches(
        &mut self,
        log: &ShardLog,
        len: u64,
        duration_ms: u64,
        start_ms: u64,
        end_ms: u64,
        out: &mut ConsumerTick,
    ) -> u64 {
        let fetched = self.fetched_end - self.read_pos;
        let starts = (end_ms - start_ms).div_ceil(duration_ms);
        let skip = (fetched / len).min(starts).saturating_sub(1);
        if skip == 0 {
            return start_ms;
        }
        let per_record = self.fetched_bytes / fetched;
        self.fetched_bytes -= per_record * len * skip;
        // Ages and delays of the first and the last of these batches (arrival times
        // are linear within a segment, so between them they lie in that range).
        let (first, last) = (self.read_pos, self.read_pos + len * (skip - 1));
        let last_start = start_ms + duration_ms * (skip - 1);
        out.batch_age(log.last_age(first, len, start_ms));
        out.batch_age(log.last_age(last, len, last_start));
        let delay = (log.mean_delay(first, len, start_ms + duration_ms)
            + log.mean_delay(last, len, last_start + duration_ms))
            / 2;
        out.done(len * skip, delay);
        out.processed_users += log.users_in(self.read_pos, len * skip);
        self.read_pos += len * skip;
        out.invocations += skip as u32;
        out.ended += skip as u32;
        out.invoked += len * skip;
        out.busy_ms += duration_ms * skip;
        start_ms + duration_ms * skip
    }
}

/// The poller's GetRecords calls on one shard during one tick.
#[derive(Debug, Clone, Copy)]
struct Poller {
    /// Calls made against the shared allowance.
    calls: u32,
    /// Calls refused.
    refusals: u32,
    /// Whole seconds in the tick (at least one): the poller asks at least once a second.
    seconds: u32,
}
