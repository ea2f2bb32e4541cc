//! Read limits of a shard: the GetRecords allowance standard consumers share, and each
//! enhanced fan-out consumer's own pipe.
//!
//! Both are budgets that refill every tick and hold on average, not per second: one
//! GetRecords call may return up to 10 MiB (10,000 records) when the shard's byte
//! allowance is positive, and the calls that follow are refused until the allowance has
//! paid off that debt at 2 MiB/s — AWS's "throttled for the next 5 seconds after a
//! 10 MB read". A consumer that reads well under the limit is never refused.

use super::log::ShardLog;

/// GetRecords calls per second per shard shared by standard consumers.
pub const SHARED_CALLS_PER_S: u64 = 5;
/// Bytes per second per shard shared by standard consumers (and each enhanced consumer's own pipe).
pub const READ_BYTES_PER_S: u64 = 2 * 1_048_576;
/// Records one GetRecords call returns at most.
pub const MAX_RECORDS_PER_CALL: u64 = 10_000;
/// Bytes one GetRecords call returns at most.
pub const MAX_BYTES_PER_CALL: u64 = 10 * 1_048_576;

/// Milliseconds every GetRecords call takes (the model's choice: AWS publishes no figure
/// for `GetRecords.Latency`; calls are answered in tens of milliseconds).
pub const CALL_BASE_MS: u64 = 20;
/// Milliseconds a GetRecords call takes per MiB it returns (a full 10 MiB call: 120 ms).
pub const CALL_MS_PER_MIB: u64 = 10;
/// Milliseconds a refused GetRecords call costs its caller: the base time, then the
/// SDK's wait before retrying a throttling error (full jitter on a 1 s base: 500 ms on
/// average).
pub const REFUSED_CALL_MS: u64 = CALL_BASE_MS + 500;

/// Unused read allowance kept for the next tick: one second's worth, so a tick in which
/// nobody happened to call does not lose the shard's allowance.
const KEEP_MS: u64 = 1_000;

/// A budget refilled at a fixed rate that a single use may overdraw. Unused allowance
/// piles up to at most one tick's refill plus `keep_ms` of the rate, and a debt is paid
/// off before the next use, so over any long span the uses average at most the rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Bucket {
    credit: i64,
}

impl Bucket {
    /// Adds `per_s` × the tick, keeping at most `keep_ms` of unused allowance on top.
    pub fn refill(&mut self, per_s: u64, tick_ms: u64, keep_ms: u64) {
        let add = (per_s * tick_ms / 1_000) as i64;
        let keep = (per_s * keep_ms / 1_000) as i64;
        self.credit = (self.credit + add).min(add + keep);
    }

    /// The budget as the next refill sees it: unused allowance beyond `keep_ms` of the
    /// rate is capped by the refill, so any two budgets holding at least that much
    /// refill to the same.
    fn settled(&self, per_s: u64, keep_ms: u64) -> Bucket {
        Bucket {
            credit: self.credit.min((per_s * keep_ms / 1_000) as i64),
        }
    }

    /// Whether the budget holds at least `keep_ms` of the rate unused, so that the
    /// next refill fills it whole.
    fn full(&self, per_s: u64, keep_ms: u64) -> bool {
        self.credit >= (per_s * keep_ms / 1_000) as i64
    }

    /// Whether a use may start now (the budget is not in debt and not empty).
    pub fn open(&self) -> bool {
        self.credit > 0
    }

    /// Whether a use overdrew the budget and the debt is not paid off yet.
    pub fn in_debt(&self) -> bool {
        self.credit < 0
    }

    /// What is left before the budget goes into debt.
    pub fn left(&self) -> u64 {
        self.credit.max(0) as u64
    }

    /// Takes `n` from the budget (it may go into debt).
    pub fn spend(&mut self, n: u64) {
        self.credit -= n as i64;
    }
}

/// What a read returned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Read {
    /// Records returned.
    pub records: u64,
    /// Bytes returned.
    pub bytes: u64,
    /// Calls throttled (ReadProvisionedThroughputExceeded).
    pub throttled: u32,
    /// `MillisBehindLatest` of the response: now − arrival of the last record returned
    /// (of the next record when none was returned short of the tip; 0 at the tip).
    /// `None` for a refused call, which has no response.
    pub behind_ms: Option<u64>,
    /// Whether a GetRecords response returned everything up to the tip: its
    /// `MillisBehindLatest` is then 0 (caught up), whatever the last record's age.
    pub at_tip: bool,
}

/// What a shard's GetRecords calls (or one consumer's enhanced fan-out events) came to
/// in one tick: the numbers CloudWatch's `GetRecords.*` (`SubscribeToShardEvent.*`)
/// metrics are made of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CallStats {
    /// Calls answered (events pushed).
    pub answered: u32,
    /// Records returned.
    pub records: u64,
    /// Bytes returned.
    pub bytes: u64,
    /// Milliseconds all calls took, refused ones included ([`call_ms`]).
    pub latency_ms: u64,
    /// Largest `MillisBehindLatest` of the answered calls; `None` when none was answered.
    pub behind_ms: Option<u64>,
}

impl CallStats {
    /// Counts one call: what it returned, or the time a refused one cost.
    pub fn note(&mut self, read: &Read) {
        if read.throttled > 0 {
            self.latency_ms += REFUSED_CALL_MS;
        } else {
            self.answer(read);
        }
    }

    /// Adds what `other`'s calls came to.
    pub fn merge(&mut self, other: &CallStats) {
        self.answered += other.answered;
        self.records += other.records;
        self.bytes += other.bytes;
        self.latency_ms += other.latency_ms;
        self.behind_ms = self.behind_ms.max(other.behind_ms);
    }

    fn answer(&mut self, read: &Read) {
        self.answered += 1;
        self.records += read.records;
        self.bytes += read.bytes;
        self.latency_ms += call_ms(read.bytes);
        if let Some(b) = read.behind_ms {
            self.behind_ms = Some(self.behind_ms.map_or(b, |m| m.max(b)));
        }
    }
}

/// Milliseconds a GetRecords call returning `bytes` bytes takes.
pub fn call_ms(bytes: u64) -> u64 {
    CALL_BASE_MS + bytes * CALL_MS_PER_MIB / 1_048_576
}

/// `MillisBehindLatest` at `now_ms` of a response from `pos` that returned `records`.
fn behind_ms(log: &ShardLog, pos: u64, records: u64, now_ms: u64) -> u64 {
    let last = pos + records.saturating_sub(1);
    if last >= log.end_seq() {
        return 0;
    }
    log.arrival_ms(last.max(log.start_seq()))
        .map_or(0, |arrived| now_ms.saturating_sub(arrived))
}

/// One shard's shared read allowance: calls and bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ReadBudget {
    calls: Bucket,
    bytes: Bucket,
    /// Calls throttled this tick.
    pub throttled: u32,
    /// What the calls answered this tick returned.
    pub stats: CallStats,
    /// Share of the calls an injected fault refuses, % (0 without a fault).
    pub fault_percent: u32,
    /// Hundredths of a call the fault has yet to refuse (so the share is exact).
    fault_carry: u32,
}

impl ReadBudget {
    /// Starts a tick of `tick_ms`: refills the allowance and clears the tick's counts.
    pub fn refill(&mut self, tick_ms: u64) {
        self.calls.refill(SHARED_CALLS_PER_S, tick_ms, KEEP_MS);
        self.bytes.refill(READ_BYTES_PER_S, tick_ms, KEEP_MS);
        self.throttled = 0;
        self.stats = CallStats::default();
    }

    /// The allowance as the next tick sees it (see [`Bucket::settled`]): two budgets
    /// equal so go on the same way from the next refill.
    pub fn settled(&self) -> ReadBudget {
        ReadBudget {
            calls: self.calls.settled(SHARED_CALLS_PER_S, KEEP_MS),
            bytes: self.bytes.settled(READ_BYTES_PER_S, KEEP_MS),
            ..*self
        }
    }

    /// Refills the allowance for a tick of `tick_ms`, keeping the last tick's counts
    /// (a replay keeps those of the calls it does not make again).
    pub fn refill_allowance(&mut self, tick_ms: u64) {
        self.calls.refill(SHARED_CALLS_PER_S, tick_ms, KEEP_MS);
        self.bytes.refill(READ_BYTES_PER_S, tick_ms, KEEP_MS);
    }

    /// Takes from the allowance what `stats`' calls took.
    pub fn spend(&mut self, stats: &CallStats) {
        self.calls.spend(u64::from(stats.answered));
        self.bytes.spend(stats.bytes);
    }

    /// Whether calls taking `calls` calls and `bytes` bytes in a tick of `tick_ms`
    /// leave a full allowance (see [`ReadBudget::full`]) whole: then each of them is
    /// answered, in any order, and the next tick's refill fills the allowance again.
    pub fn within_refill(calls: u64, bytes: u64, tick_ms: u64) -> bool {
        calls <= SHARED_CALLS_PER_S * tick_ms / 1_000 && bytes <= READ_BYTES_PER_S * tick_ms / 1_000
    }

    /// Whether both allowances hold a second's worth unused, so that the next refill
    /// fills them whole.
    pub fn full(&self) -> bool {
        self.calls.full(SHARED_CALLS_PER_S, KEEP_MS) && self.bytes.full(READ_BYTES_PER_S, KEEP_MS)
    }

    /// Whether both allowances are still open: then any other order of this tick's calls
    /// would have been answered the same (each saw at least what is left now).
    pub fn has_room(&self) -> bool {
        self.calls.open() && self.bytes.open()
    }

    /// One GetRecords call from `pos` returning at most `max_records` (and at most
    /// 10,000 records and 10 MiB), answered at `now_ms`, counted in the shard's
    /// [`ReadBudget::stats`]. Refused — throttled, nothing returned — when the shard has
    /// no call left this tick or its byte allowance is in debt, or when an injected
    /// fault refuses it first (using none of the allowance).
    pub fn call(&mut self, log: &ShardLog, pos: u64, max_records: u64, now_ms: u64) -> Read {
        let read = self.get(log, pos, max_records, now_ms);
        self.stats.note(&read);
        read
    }

    /// [`ReadBudget::call`], counted by the caller (a refused call still counts in the
    /// shard's `throttled`).
    pub fn get(&mut self, log: &ShardLog, pos: u64, max_records: u64, now_ms: u64) -> Read {
        self.fault_carry += self.fault_percent;
        let faulted = self.fault_carry >= 100;
        if faulted {
            self.fault_carry -= 100;
        }
        if faulted || !self.calls.open() || !self.bytes.open() {
            self.throttled += 1;
            return Read {
                throttled: 1,
                ..Read::default()
            };
        }
        self.calls.spend(1);
        let max_records = max_records.min(MAX_RECORDS_PER_CALL);
        let mut read = read_from(log, pos, max_records, MAX_BYTES_PER_CALL, &mut self.bytes);
        read.behind_ms = Some(behind_ms(log, pos, read.records, now_ms));
        read.at_tip = pos + read.records >= log.end_seq();
        read
    }
}

/// An enhanced fan-out consumer's dedicated 2 MiB/s for one shard: records are pushed
/// as the pipe allows (a record larger than what is left still goes, and the pipe
/// pays it off over the next ticks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Pipe {
    bytes: Bucket,
    /// The events pushed this tick (`SubscribeToShardEvent.*`).
    pub stats: CallStats,
}

impl Pipe {
    /// Starts a tick of `tick_ms`.
    pub fn refill(&mut self, tick_ms: u64) {
        self.bytes.refill(READ_BYTES_PER_S, tick_ms, KEEP_MS);
        self.stats = CallStats::default();
    }

    /// Pushes records from `pos`, at most `max_records`, as one event at `now_ms` (an
    /// event at the tip carries no record and says the consumer is 0 ms behind).
    pub fn push(&mut self, log: &ShardLog, pos: u64, max_records: u64, now_ms: u64) -> Read {
        if !self.bytes.open() || max_records == 0 {
            return Read::default();
        }
        let left = self.bytes.left();
        let mut read = read_from(log, pos, max_records, left, &mut self.bytes);
        read.behind_ms = Some(behind_ms(log, pos, read.records, now_ms));
        self.stats.answer(&read);
        read
    }
}

/// Reads from `pos` at most `max_records` and `max_bytes` — but the next record whole
/// when the byte limit would leave nothing — and spends the bytes from `budget`.
fn read_from(
    log: &ShardLog,
    pos: u64,
    max_records: u64,
    max_bytes: u64,
    budget: &mut Bucket,
) -> Read {
    let (mut records, mut bytes) = log.take(pos, max_records, max_bytes);
    if records == 0 && max_records > 0 {
        (records, bytes) = log.take(pos, 1, u64::MAX);
    }
    budget.spend(bytes);
    Read {
        records,
        bytes,
        ..Read::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(records: u64, bytes_each: u64) -> ShardLog {
        let mut log = ShardLog::default();
        log.append(records, records * bytes_each, 0, 1_000);
        log
    }

    #[test]
    fn a_large_read_refuses_the_calls_of_the_next_seconds() {
        // 20,000 records of 1,000 bytes: one call returns 10,000 records (10 MB); the
        // 2 MiB/s allowance pays that off over the next three ticks, refusing their calls.
        let log = log(20_000, 1_000);
        let mut budget = ReadBudget::default();
        budget.refill(1_000);
        let first = budget.call(&log, 0, u64::MAX, 1_000);
        assert_eq!((first.records, first.throttled), (10_000, 0));
        let mut refused_ticks = 0;
        for _ in 0..10 {
            budget.refill(1_000);
            if budget.call(&log, 10_000, u64::MAX, 1_000).throttled == 1 {
                refused_ticks += 1;
            } else {
                break;
            }
        }
        assert_eq!(refused_ticks, 3);
    }

    #[test]
    fn calls_are_limited_to_five_a_second_and_unused_ones_pile_up_for_one_second() {
        let log = log(10, 10);
        let mut budget = ReadBudget::default();
        for _ in 0..10 {
            budget.refill(1_000);
        }
        let refused: u32 = (0..12)
            .map(|_| budget.call(&log, 10, 1, 1_000).throttled)
            .sum();
        assert_eq!(refused, 2);
    }

    #[test]
    fn a_pipe_averages_two_mib_a_second_even_for_records_larger_than_that() {
        // 5 MiB records: one every 2.5 s on average.
        let mut log = ShardLog::default();
        log.append(100, 100 * 5 * 1_048_576, 0, 1_000);
        let mut pipe = Pipe::default();
        let mut pos = 0;
        for _ in 0..100 {
            pipe.refill(1_000);
            pos += pipe.push(&log, pos, u64::MAX, 1_000).records;
        }
        assert_eq!(pos, 40);
    }
}
