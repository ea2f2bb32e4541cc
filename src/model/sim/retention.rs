//! Retention: records older than the retention period leave each shard's log, unread
//! ones are counted expired for every consumer that had not processed them, and closed
//! shards every consumer has finished are dropped.

use super::Simulation;

impl Simulation {
    /// Retention removes old records; unread ones are expired for each consumer.
    pub(super) fn retain(&mut self, end: u64) {
        let retention_ms = self.config.stream.retention_ms();
        let cutoff = end.saturating_sub(retention_ms);
        let (shards, consumers) = self.topology.parts_mut();
        for shard in shards.iter_mut() {
            let start = shard.log.trim_before(cutoff);
            for (ci, reader) in shard.readers.iter_mut().enumerate() {
                consumers[ci].expire(reader.cursor.trim(start));
            }
        }
        if self.topology.drop_finished() {
            for c in self.topology.consumers_mut() {
                c.leases_changed();
            }
        }
    }
}
