//! Read limits of a shard: shared GetRecords budget and enhanced fan-out pipes.

use super::log::ShardLog;

/// GetRecords calls per second per shard shared by standard consumers.
pub const SHARED_CALLS_PER_S: u32 = 5;
/// Bytes per second per shard shared by standard consumers (and each enhanced consumer's own pipe).
pub const READ_BYTES_PER_S: u64 = 2 * 1_048_576;
/// Records one GetRecords call returns at most.
pub const MAX_RECORDS_PER_CALL: u64 = 10_000;

/// What a read returned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Read {
    /// Records returned.
    pub records: u64,
    /// Bytes returned.
    pub bytes: u64,
    /// Calls throttled (ReadProvisionedThroughputExceeded).
    pub throttled: u32,
}

/// One shard's read allowance for the current tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadBudget {
    calls_left: u32,
    bytes_left: u64,
    /// Calls throttled this tick.
    pub throttled: u32,
}

impl ReadBudget {
    /// A fresh allowance for a tick of `tick_s` seconds.
    pub fn new(tick_s: u64) -> Self {
        ReadBudget {
            calls_left: SHARED_CALLS_PER_S * tick_s as u32,
            bytes_left: READ_BYTES_PER_S * tick_s,
            throttled: 0,
        }
    }

    /// A standard consumer makes `calls` GetRecords calls from `pos`, wanting at most
    /// `max_records` records in all (each call returns ≤ 10,000).
    pub fn shared(&mut self, log: &ShardLog, pos: u64, calls: u32, max_records: u64) -> Read {
        let granted = calls.min(self.calls_left);
        let mut read = Read {
            throttled: calls - granted,
            ..Read::default()
        };
        self.calls_left -= granted;
        if granted > 0 && max_records > 0 {
            let cap = max_records.min(u64::from(granted) * MAX_RECORDS_PER_CALL);
            let (records, bytes) = log.take(pos, cap, self.bytes_left);
            self.bytes_left -= bytes;
            let available = log.end_seq().saturating_sub(pos.max(log.start_seq()));
            if records < cap.min(available) {
                // Stopped by the shared 2 MiB/s: the next call is refused.
                read.throttled += 1;
            }
            read.records = records;
            read.bytes = bytes;
        }
        self.throttled += read.throttled;
        read
    }
}

/// An enhanced fan-out consumer's dedicated pipe for one shard and tick.
pub fn enhanced(log: &ShardLog, pos: u64, max_records: u64, bytes_left: &mut u64) -> Read {
    let (records, bytes) = log.take(pos, max_records, *bytes_left);
    *bytes_left -= bytes;
    Read {
        records,
        bytes,
        throttled: 0,
    }
}
