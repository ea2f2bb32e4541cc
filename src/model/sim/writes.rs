//! Writes, second by second whatever the tick: producers offer new records and due
//! retries, each open shard admits up to its write limit, throttled records go back to
//! their producer (or are dropped), and each second's accepted records are appended to
//! the shard's log.

use super::faults::{percent, FaultSpan};
use super::state::{Peak, Scratch};
use super::topology::Shard;
use super::{Simulation, SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};
use crate::model::carry::Carry;
use crate::model::config::FaultAction;
use crate::model::cost::od_billed_bytes;
use crate::model::producer::{admit, Offer, Producer};

/// What a tick's writes came to, over all open shards.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Written {
    /// New records producers made (first attempts, not retries).
    pub(super) produced_records: u64,
    /// Bytes of those new records.
    pub(super) produced_bytes: u64,
    /// Records the shards accepted (first attempts and retries): `IncomingRecords`.
    pub(super) accepted_records: u64,
    /// Bytes of the accepted records (data plus key): `IncomingBytes`.
    pub(super) accepted_bytes: u64,
    /// Records refused by a shard's write limit (retried later or dropped).
    pub(super) throttled_records: u64,
    /// Records producers gave up on (attempts exhausted or retry buffer full).
    pub(super) dropped_records: u64,
    /// PUT payload units of the accepted records.
    pub(super) put_units: u64,
    /// PutRecords calls the producers made (see [`put_calls`]).
    pub(super) put_calls: u64,
    /// Bytes billed for on-demand ingest, each accepted record rounded up to 1 KiB.
    pub(super) billed_bytes: u64,
    /// User records in the new Kinesis records (KPL aggregation packs several into one;
    /// otherwise equal to `produced_records`).
    pub(super) produced_users: f64,
    /// User records in the accepted Kinesis records (the KPL's `UserRecordsPut`).
    pub(super) users_put: u64,
}

/// Records one PutRecords call carries at most.
pub const PUT_RECORDS_PER_CALL: f64 = 500.0;

/// The PutRecords calls of a tick: each instance of each producer sends, every second it
/// has records (new ones and retries), as few calls as hold them, 500 records each at
/// most. (A producer's records are spread evenly over its instances.) Each producer's
/// calls of each second are kept in `scratch.calls`.
fn put_calls(producers: &[Producer], scratch: &mut Scratch, seconds: usize) -> u64 {
    let n = producers.len();
    scratch.calls.clear();
    scratch.calls.resize(seconds * n, 0);
    let mut calls = 0;
    for sec in 0..seconds {
        for (p, producer) in producers.iter().enumerate() {
            let records = scratch.rates[sec * n + p] + scratch.retried[sec * n + p] as f64;
            if records < 0.5 {
                continue;
            }
            let instances = f64::from(producer.config.instances.max(1));
            let per_instance = (records / instances / PUT_RECORDS_PER_CALL).ceil().max(1.0);
            // Fewer records than instances: only that many instances send.
            let these = (per_instance * instances.min(records.round().max(1.0))) as u64;
            scratch.calls[sec * n + p] = these;
            calls += these;
        }
    }
    calls
}

/// PutRecords calls of the last tick that carried records to open shard `i`, which
/// was offered `offered` records (accepted or refused): per producer and second, its
/// calls, or its records on the shard when they are fewer (each rides its own call).
/// A producer's retries are spread over the shards like its new records.
pub(super) fn shard_put_calls(
    producers: &[Producer],
    scratch: &Scratch,
    i: usize,
    offered: u64,
) -> u64 {
    if offered == 0 {
        return 0;
    }
    let n = producers.len().max(1);
    let mut calls = 0;
    for (k, &made) in scratch.calls.iter().enumerate() {
        let weight = producers.get(k % n).and_then(|p| p.weights.get(i));
        let (Some(&weight), true) = (weight, made > 0) else {
            continue;
        };
        let new = scratch.rates.get(k).copied().unwrap_or(0.0);
        let again = scratch.retried.get(k).copied().unwrap_or(0) as f64;
        let records = ((new + again) * weight - 1e-9).ceil().max(0.0) as u64;
        calls += made.min(records);
    }
    calls.clamp(1, offered)
}

/// What one open shard's writes came to in the tick.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ShardWrites {
    /// Records accepted.
    pub(super) records: u64,
    /// Their bytes.
    pub(super) bytes: u64,
    /// Records refused by the shard's write limit.
    pub(super) throttled: u64,
}

impl Simulation {
    /// Producers offer, shards admit and append; returns what the tick's writes came to.
    pub(super) fn write(&mut self, t: u64, end: u64) -> Written {
        // Writes run second by second whatever the tick: the limits, bursts and retry
        // delays are per second, so a coarser tick changes no total.
        let seconds = ((end - t) / 1_000) as usize;
        let (per_record_cap, per_byte_cap) = (
            1.0 / (SHARD_WRITE_RECORDS_PER_S * seconds as u64) as f64,
            1.0 / (SHARD_WRITE_BYTES_PER_S * seconds as u64) as f64,
        );
        offered_rates(&self.producers, &mut self.scratch, t, seconds);
        self.scratch.retried.clear();
        self.scratch
            .retried
            .resize(seconds * self.producers.len(), 0);
        let mut writer = Writer {
            producers: &mut self.producers,
            scratch: &mut self.scratch,
            written: Written::default(),
            t,
            seconds,
            faults: &self.faults,
            fault_carry: &mut self.put_fault_carry,
        };
        self.utilisation.clear();
        self.shard_writes.clear();
        for (i, shard) in self.topology.open_mut().iter_mut().enumerate() {
            let refused_before = writer.written.throttled_records;
            let mut got = if writer.quiet(shard, i, end) {
                writer.whole_tick(shard, i, end)
            } else {
                writer.second_by_second(shard, i)
            };
            got.throttled = writer.written.throttled_records - refused_before;
            if self.shard_level {
                self.shard_writes.push(got);
            }
            writer.written.accepted_records += got.records;
            writer.written.accepted_bytes += got.bytes;
            let util = (got.records as f64 * per_record_cap).max(got.bytes as f64 * per_byte_cap);
            self.utilisation.push(util);
        }
        let mut written = writer.written;
        written.put_calls = put_calls(&self.producers, &mut self.scratch, seconds);
        for c in self.topology.consumers_mut() {
            c.ledger.accepted += written.accepted_records;
        }
        self.billed_now = (written.put_units, written.billed_bytes);
        written
    }
}

/// Each producer's records in each second of the tick from `t`, and per producer its
/// busiest second and its whole tick.
fn offered_rates(producers: &[Producer], scratch: &mut Scratch, t: u64, seconds: usize) {
    scratch.rates.clear();
    for sec in 0..seconds as u64 {
        let s0 = t + sec * 1_000;
        scratch
            .rates
            .extend(producers.iter().map(|p| p.records_between(s0, s0 + 1_000)));
    }
    let n = producers.len();
    scratch.peaks.clear();
    for p in 0..n {
        let mut peak = Peak::default();
        for sec in 0..seconds {
            let records = scratch.rates[sec * n + p];
            peak.busiest_second_records = peak.busiest_second_records.max(records);
            peak.tick_records += records;
        }
        scratch.peaks.push(peak);
    }
}

/// One tick's writes in progress: the producers, the buffers and the running tally.
struct Writer<'a> {
    producers: &'a mut [Producer],
    scratch: &'a mut Scratch,
    written: Written,
    /// Tick start, ms.
    t: u64,
    /// Whole seconds in the tick.
    seconds: usize,
    /// The run's scripted faults.
    faults: &'a [FaultSpan],
    /// Hundredths of a record a put fault has yet to refuse (carried so that the share
    /// refused is exact over time).
    fault_carry: &'a mut u64,
}

impl Writer<'_> {
    /// Whether open shard `i` is quiet: nothing waiting to retry, no debt, no put fault
    /// before `end`, and even its busiest second of new records under both limits.
    fn quiet(&self, shard: &Shard, i: usize, end: u64) -> bool {
        if percent(self.faults, FaultAction::ThrottlePut, self.t, end, None) > 0 {
            return false;
        }
        let (mut peak_records, mut peak_bytes) = (0.0, 0.0);
        for (p, producer) in self.producers.iter().enumerate() {
            let users = self.scratch.peaks[p].busiest_second_records * producer.weights[i];
            let packing = producer.packing(users);
            let most = users / packing.users + 1.0;
            peak_records += most;
            peak_bytes += most * packing.bytes as f64;
        }
        shard.retries.iter().all(|q| q.waiting == 0)
            && !shard.write_bytes.in_debt()
            && peak_records <= SHARD_WRITE_RECORDS_PER_S as f64
            && peak_bytes <= SHARD_WRITE_BYTES_PER_S as f64
    }

    /// A quiet shard accepts everything: the tick's records are counted at once
    /// (carrying the fraction as second-by-second counting would) and appended as one span.
    fn whole_tick(&mut self, shard: &mut Shard, i: usize, end: u64) -> ShardWrites {
        let mut got = ShardWrites::default();
        let mut users = 0.0;
        let n = self.producers.len();
        for (p, producer) in self.producers.iter().enumerate() {
            let weight = producer.weights[i];
            let tick_users = self.scratch.peaks[p].tick_records * weight;
            let packing = producer.packing(tick_users / self.seconds as f64);
            // Each second's records are counted in parts as second-by-second counting
            // counts them, so that the tick's length changes no total.
            let parts: u64 = (0..self.seconds)
                .map(|sec| Carry::parts(self.scratch.rates[sec * n + p] * weight / packing.users))
                .sum();
            let fresh = shard.carry[p].whole_parts(parts);
            got.records += fresh;
            got.bytes += fresh * packing.bytes;
            users += fresh as f64 * packing.users;
            self.written.put_units += fresh * packing.put_units;
            self.written.billed_bytes += fresh * od_billed_bytes(packing.bytes);
        }
        self.written.produced_records += got.records;
        self.written.produced_bytes += got.bytes;
        self.written.produced_users += users;
        let users = self.whole_users(shard, users);
        // The allowance is whole after every second (nothing overdrew it).
        shard
            .write_records
            .refill(SHARD_WRITE_RECORDS_PER_S, 1_000, 0);
        shard.write_bytes.refill(SHARD_WRITE_BYTES_PER_S, 1_000, 0);
        shard
            .log
            .append_packed(got.records, got.bytes, users, self.t, end);
        got
    }

    /// The whole user records of `users` (carrying the fraction on the shard), counted
    /// as put.
    fn whole_users(&mut self, shard: &mut Shard, users: f64) -> u64 {
        let whole = shard.users_carry.whole(users);
        self.written.users_put += whole;
        whole
    }

    /// A busy shard, one second at a time: offers, admission, retries, append.
    fn second_by_second(&mut self, shard: &mut Shard, i: usize) -> ShardWrites {
        let mut got = ShardWrites::default();
        for sec in 0..self.seconds {
            let s0 = self.t + sec as u64 * 1_000;
            self.offer(shard, i, sec);
            let fault = percent(self.faults, FaultAction::ThrottlePut, s0, s0 + 1_000, None);
            self.inject(u64::from(fault));
            let (records, bytes, users) = self.admit(shard);
            let users = self.whole_users(shard, users);
            shard
                .log
                .append_packed(records, bytes, users, s0, s0 + 1_000);
            got.records += records;
            got.bytes += bytes;
        }
        got
    }

    /// Fills the offers of second `sec` to open shard `i`: new records and due retries.
    fn offer(&mut self, shard: &mut Shard, i: usize, sec: usize) {
        let n = self.producers.len();
        let offers = &mut self.scratch.offers;
        offers.clear();
        for (p, producer) in self.producers.iter_mut().enumerate() {
            let users = self.scratch.rates[sec * n + p] * producer.weights[i];
            // Retries go packed as this second's new records are, or at the full rate
            // in a second without new records.
            let full = producer.records_between(0, 1_000) * producer.weights[i];
            let packing = producer.packing(if users > 0.0 { users } else { full });
            let fresh = shard.carry[p].whole(users / packing.users);
            self.written.produced_records += fresh;
            self.written.produced_users += fresh as f64 * packing.users;
            let bytes_per_record = packing.bytes;
            self.written.produced_bytes += fresh * bytes_per_record;
            if fresh > 0 {
                offers.push(Offer {
                    records: fresh,
                    bytes_per_record,
                    producer: p,
                    attempt: 1,
                    packing,
                });
            }
            let retried = &mut self.scratch.retried[sec * n + p];
            shard.retries[p].drain_due(|attempt, records| {
                producer.pending -= records;
                *retried += records;
                offers.push(Offer {
                    records,
                    bytes_per_record,
                    producer: p,
                    attempt,
                    packing,
                });
            });
        }
    }

    /// A put fault of `percent` % refuses that share of each offer before the shard sees
    /// it (kept in `scratch.faulted`; the share is exact over time thanks to the carry).
    fn inject(&mut self, percent: u64) {
        let faulted = &mut self.scratch.faulted;
        faulted.clear();
        faulted.resize(self.scratch.offers.len(), 0);
        if percent == 0 {
            return;
        }
        for (offer, faulted) in self.scratch.offers.iter_mut().zip(faulted.iter_mut()) {
            let exact = offer.records * percent + *self.fault_carry;
            *faulted = exact / 100;
            *self.fault_carry = exact % 100;
            offer.records -= *faulted;
        }
    }

    /// The shard admits this second's offers up to its allowance; rejected records (and
    /// those a fault refused) are rescheduled or dropped. Returns the records, bytes and
    /// user records accepted.
    fn admit(&mut self, shard: &mut Shard) -> (u64, u64, f64) {
        let offers = &self.scratch.offers;
        let accepted = &mut self.scratch.accepted;
        accepted.clear();
        accepted.resize(offers.len(), 0);
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
        let (records, bytes) = admit(offers, cap_records, cap_bytes, accepted);
        shard.write_records.spend(records);
        shard.write_bytes.spend(bytes);
        let faulted = &self.scratch.faulted;
        let mut users = 0.0;
        for (k, (offer, &accepted)) in offers.iter().zip(accepted.iter()).enumerate() {
            self.written.put_units += accepted * offer.packing.put_units;
            self.written.billed_bytes += accepted * od_billed_bytes(offer.packing.bytes);
            users += accepted as f64 * offer.packing.users;
            let rejected = offer.records - accepted + faulted.get(k).copied().unwrap_or(0);
            if rejected == 0 {
                continue;
            }
            self.written.throttled_records += rejected;
            let (p, attempt) = (offer.producer, offer.attempt);
            let producer = &mut self.producers[p];
            if attempt >= producer.config.retry.max_attempts {
                self.written.dropped_records += rejected;
                continue;
            }
            let room = producer.buffer_cap().saturating_sub(producer.pending);
            let kept = rejected.min(room);
            self.written.dropped_records += rejected - kept;
            producer.pending += kept;
            shard.retries[p].schedule(&producer.config.retry, attempt, kept, 1_000);
        }
        (records, bytes, users)
    }
}
