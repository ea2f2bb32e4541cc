//! The tick's metrics: totals, each consumer's iterator age and backlog, and the
//! stream's CloudWatch-named counters.

use super::state::{Cursor, Fleet};
use super::writes::Written;
use super::Simulation;
use crate::model::config::FanOut;

impl Simulation {
    /// Records the tick ending at `end`: totals, per-consumer numbers and the stream's
    /// metrics, from what the writes came to and the state the reads left.
    pub(super) fn finish_tick(&mut self, end: u64, written: &Written) {
        self.totals.produced += written.produced_records;
        self.totals.accepted += written.accepted_records;
        self.totals.throttled += written.throttled_records;
        self.totals.dropped_by_producer += written.dropped_records;
        let window = (60_000 / self.tick_ms).max(1) as usize;
        self.incoming_window.push_back(written.accepted_records);
        while self.incoming_window.len() > window {
            self.incoming_window.pop_front();
        }
        let mut read_throttled = 0u64;
        let mut latency_sum = 0u64;
        let (shards, consumers) = self.topology.parts_mut();
        let shared = consumers
            .iter()
            .filter(|c| c.config.fan_out() == FanOut::Shared)
            .count() as u64;
        for shard in shards.iter() {
            read_throttled += u64::from(shard.budget.throttled);
            // About 200 ms per standard consumer polling the shard (none: no calls, no
            // latency); a throttled call waits a further second before its retry.
            latency_sum += 200 * shared + if shard.budget.throttled > 0 { 1_000 } else { 0 };
        }
        self.totals.read_throttled += read_throttled;
        let mut stream_age = 0;
        let mut records_out = 0;
        let mut bytes_out = 0;
        for (ci, c) in consumers.iter_mut().enumerate() {
            let mut age = 0;
            let mut behind = 0;
            let mut unread = 0;
            for shard in shards.iter() {
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
                if !reading && (shard.is_open() || pos < end_seq) {
                    unread += 1;
                }
            }
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
        let live_shards = shards.len();
        let m = &mut self.metrics;
        m.t_ms = end;
        m.produced = written.produced_records;
        m.incoming_records = written.accepted_records;
        m.incoming_bytes = written.accepted_bytes;
        m.write_throttled = written.throttled_records;
        m.put_calls = written.put_calls;
        m.dropped_by_producer = written.dropped_records + std::mem::take(&mut self.drops_unticked);
        m.pending_retry = self.producers.iter().map(|p| p.pending).sum();
        m.read_throttled = read_throttled;
        m.get_records_records = records_out;
        m.get_records_bytes = bytes_out;
        m.get_records_latency_ms = latency_sum / live_shards.max(1) as u64;
        m.iterator_age_ms = stream_age;
        m.open_shards = self.topology.layout().shards();
        m.live_shards = live_shards as u32;
        m.max_shard_utilisation = self.utilisation.iter().copied().fold(0.0, f64::max);
    }
}
