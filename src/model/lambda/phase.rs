//! What a shard's event source mapping holds, as the skipping engine takes it: moved
//! on by whole periods, and idle slots brought to one form.

use super::{LambdaShard, Slot};

impl LambdaShard {
    /// The same state `dseq` records and `dt_ms` later (wrapping, so that a state can be
    /// taken relative to a position and a time and back): what a shard whose records
    /// keep coming at the same pattern holds that much later.
    pub fn shift(&mut self, dseq: u64, dt_ms: u64) {
        let LambdaShard {
            read_pos,
            fetched_end,
            fetched_bytes: _,
            slots,
        } = self;
        *read_pos = read_pos.wrapping_add(dseq);
        *fetched_end = fetched_end.wrapping_add(dseq);
        for slot in slots {
            let Slot {
                busy: _,
                free_at_ms,
                start,
                len: _,
                attempts: _,
                queue,
                counted: _,
                timed_out: _,
                poisoned: _,
            } = slot;
            *free_at_ms = free_at_ms.wrapping_add(dt_ms);
            *start = start.wrapping_add(dseq);
            for (start, _, _) in queue {
                *start = start.wrapping_add(dseq);
            }
        }
    }

    /// At a tick's end (`end_ms`): an idle slot may start from the next tick's start on,
    /// whenever it last ended, so it holds that time; and it forgets its last batch (read
    /// again only while busy), so that its state does not depend on how long ago that was.
    pub(super) fn rest_idle_slots(&mut self, end_ms: u64) {
        for slot in &mut self.slots {
            if slot.busy {
                continue;
            }
            slot.free_at_ms = slot.free_at_ms.max(end_ms);
            if slot.queue.is_empty() {
                slot.start = self.read_pos;
                slot.len = 0;
                slot.attempts = 0;
                slot.counted = false;
                slot.timed_out = false;
                slot.poisoned = false;
            }
        }
    }
}
