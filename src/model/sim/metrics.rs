//! The tick's metrics: totals, each consumer's iterator age and backlog, and the
//! stream's CloudWatch-named counters.

use super::faults::percent;
use super::state::Lag;
use super::writes::Written;
use super::Simulation;
use crate::model::config::FaultAction;
use crate::model::metrics::Totals;
use crate::model::reads::CallStats;
use crate::model::shard_metrics::ShardTick;

impl Simulation {
    /// Takes what the shards' GetRecords calls and enhanced fan-out events came to in the
    /// tick (before retention may drop a finished shard): the stream's `GetRecords.*` and
    /// `SubscribeToShardEvent.*` metrics.
    pub(super) fn note_reads(&mut self) {
        let mut calls = CallStats::default();
        let mut refused = 0u64;
        let (mut pushed_records, mut pushed_bytes) = (0, 0);
        self.shard_ticks.clear();
        for shard in self.topology.shards() {
            let s = &shard.call_stats();
            refused += u64::from(shard.budget.throttled);
            calls.answered += s.answered;
            calls.records += s.records;
            calls.bytes += s.bytes;
            calls.latency_ms += s.latency_ms;
            calls.behind_ms = calls.behind_ms.max(s.behind_ms);
            for reader in shard.readers.iter() {
                pushed_records += reader.pipe.stats.records;
                pushed_bytes += reader.pipe.stats.bytes;
            }
        }
        if self.shard_level {
            self.note_shards();
        }
        let m = &mut self.metrics;
        let all_calls = u64::from(calls.answered) + refused;
        m.read_throttled = refused;
        m.get_records_records = calls.records;
        m.get_records_bytes = calls.bytes;
        m.get_records_calls = u64::from(calls.answered);
        m.get_records_latency_ms = (all_calls > 0).then(|| calls.latency_ms / all_calls);
        m.get_records_iterator_age_ms = calls.behind_ms;
        m.subscribe_records = pushed_records;
        m.subscribe_bytes = pushed_bytes;
    }

    /// Keeps each held shard's enhanced-monitoring numbers for the tick.
    fn note_shards(&mut self) {
        let first_open = self
            .topology
            .shards()
            .len()
            .saturating_sub(self.shard_writes.len());
        for (k, shard) in self.topology.shards().iter().enumerate() {
            let s = &shard.call_stats();
            let written = match k.checked_sub(first_open) {
                Some(i) if shard.is_open() => self.shard_writes.get(i).copied(),
                _ => None,
            }
            .unwrap_or_default();
            let mut tick = ShardTick {
                shard_id: shard.id(),
                open: shard.is_open(),
                incoming_records: written.records,
                incoming_bytes: written.bytes,
                write_throttled: written.throttled,
                put_calls: 0,
                outgoing_records: s.records,
                outgoing_bytes: s.bytes,
                outgoing_calls: u64::from(s.answered),
                read_throttled: u64::from(shard.budget.throttled),
                get_records_calls: u64::from(s.answered) + u64::from(shard.budget.throttled),
                iterator_age_ms: s.behind_ms,
            };
            for reader in shard.readers.iter() {
                let pushed = &reader.pipe.stats;
                tick.outgoing_records += pushed.records;
                tick.outgoing_bytes += pushed.bytes;
                tick.outgoing_calls += u64::from(pushed.answered);
            }
            self.shard_ticks.push(tick);
        }
    }

    /// Records the tick ending at `end`: totals, per-consumer numbers and the stream's
    /// metrics, from what the writes came to and the state the reads left.
    pub(super) fn finish_tick(&mut self, end: u64, written: &Written) {
        self.count_tick(written, self.metrics.read_throttled);
        let live = self.skip.live;
        let (shards, consumers) = self.topology.parts_mut();
        // One pass over the shards: each consumer's age, backlog and unread shards, and
        // the shards nobody reads.
        let lag = &mut self.scratch.lag;
        lag.clear();
        lag.resize(consumers.len(), Lag::default());
        let mut unread_shards = 0;
        for shard in shards.iter() {
            let (mut pending, mut read) = (false, false);
            for (ci, (reader, lag)) in shard.readers.iter().zip(lag.iter_mut()).enumerate() {
                // A consumer the phase leaves out looks up its own age unnoted.
                let back = live.has(ci).then(|| shard.log.looked_back());
                pending |= lag.add(reader, &shard.log, shard.is_open(), end);
                if let Some(back) = back {
                    shard.log.set_looked_back(back);
                }
                read |= reader.reading();
            }
            if (shard.is_open() || pending) && !read {
                unread_shards += 1;
            }
        }
        let mut stream_age = 0;
        for (c, lag) in consumers.iter_mut().zip(lag.iter()) {
            c.take_lag(lag);
            stream_age = stream_age.max(lag.age);
            self.metrics.consumers.push(c.tick);
        }
        let live_shards = shards.len();
        let m = &mut self.metrics;
        m.t_ms = end;
        m.produced = written.produced_records;
        m.incoming_records = written.accepted_records;
        m.incoming_bytes = written.accepted_bytes;
        m.write_throttled = written.throttled_records;
        m.put_calls = written.put_calls;
        m.user_records_put = written.users_put;
        m.kinesis_records_put = written.accepted_records;
        m.dropped_by_producer = written.dropped_records + std::mem::take(&mut self.drops_unticked);
        m.pending_retry = self.producers.iter().map(|p| p.pending).sum();
        m.iterator_age_ms = stream_age;
        m.unread_shards = unread_shards;
        m.open_shards = self.topology.layout().shards();
        m.scaling_to_shards = self
            .capacity
            .pending
            .map_or(self.reshard.target, |(to, _)| to);
        m.capacity_mode = self.config.stream.mode as u8;
        m.live_shards = live_shards as u32;
        m.max_shard_utilisation = self.utilisation.iter().copied().fold(0.0, f64::max);
        let start = end - self.tick_ms;
        let f = &self.faults;
        m.fault_percent = [
            percent(f, FaultAction::ThrottlePut, start, end, None),
            percent(f, FaultAction::ThrottleGet, start, end, None),
            percent(f, FaultAction::LambdaErrors, start, end, None),
        ];
    }

    /// The totals, with the user records produced (counted in fractions) rounded.
    pub(super) fn totals_now(&self) -> Totals {
        Totals {
            user_records_produced: self.produced_users.round() as u64,
            ..self.totals
        }
    }

    /// Adds the tick's writes and refused reads to the totals and the last minute's
    /// window.
    pub(super) fn count_tick(&mut self, written: &Written, read_throttled: u64) {
        self.add_totals(written, read_throttled, 1);
        self.produced_users += written.produced_users;
        self.note_incoming(written.accepted_records);
    }

    /// Adds `times` ticks' writes and refused reads to the whole-number totals.
    pub(super) fn add_totals(&mut self, written: &Written, read_throttled: u64, times: u64) {
        let t = &mut self.totals;
        t.produced += written.produced_records * times;
        t.accepted += written.accepted_records * times;
        t.throttled += written.throttled_records * times;
        t.dropped_by_producer += written.dropped_records * times;
        t.user_records_put += written.users_put * times;
        t.billed_kib += written.billed_bytes / 1_024 * times;
        t.read_throttled += read_throttled * times;
    }

    /// Adds a tick's accepted records to the last minute's window.
    pub(super) fn note_incoming(&mut self, accepted: u64) {
        let window = (60_000 / self.tick_ms).max(1) as usize;
        self.incoming_window.push_back(accepted);
        while self.incoming_window.len() > window {
            self.incoming_window.pop_front();
        }
    }
}
