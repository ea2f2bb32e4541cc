//! Enhanced monitoring's history, as the page keeps it: each shard's samples of the
//! shard-level metrics, one entry per shard per minute (CloudWatch's finest period for a
//! stream), from the moment it was turned on. Longer periods merge whole minutes.
//!
//! Memory is bounded: at most a day of minutes, and at most [`MAX_ENTRIES`] shard-minutes
//! (the oldest minutes go first), so a thousand shards keep about an hour.

use std::collections::VecDeque;

use super::cloudwatch::{Samples, Statistic};
use super::shard_metrics::{ShardSampler, ShardTick, SHARD_METRICS};

/// Shard-minutes kept at most.
pub const MAX_ENTRIES: usize = 60_000;

/// Minutes kept at most.
const MAX_MINUTES: usize = 1_440;

/// One closed minute: its end (ms) and each shard's samples, by shard id.
type Minute = (u64, Vec<(u32, [Samples; 7])>);

/// Per-shard samples, minute by minute.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShardHistory {
    open: ShardSampler,
    /// Closed minutes: (end ms, each shard's samples by id).
    minutes: VecDeque<Minute>,
    entries: usize,
}

impl ShardHistory {
    /// Adds the tick of `seconds` seconds ending at `t_ms`, whose shards gave `ticks`.
    pub fn add(&mut self, t_ms: u64, ticks: impl IntoIterator<Item = ShardTick>, seconds: f64) {
        self.open.add(ticks, seconds);
        if !t_ms.is_multiple_of(60_000) {
            return;
        }
        let shards = self.open.take_samples();
        self.entries += shards.len();
        self.minutes.push_back((t_ms, shards));
        while self.minutes.len() > MAX_MINUTES || self.entries > MAX_ENTRIES {
            match self.minutes.pop_front() {
                Some((_, gone)) => self.entries -= gone.len(),
                None => break,
            }
        }
    }

    /// End of the first minute kept, ms (`None` before one closed).
    pub fn first_ms(&self) -> Option<u64> {
        self.minutes.front().map(|m| m.0)
    }

    /// Each shard's datapoints of shard-level metric `metric` with statistic `stat` over
    /// periods of `period_ms` (whole minutes) ending after `since_ms` and by `until_ms`:
    /// `(shard id, [(end of period ms, value)])` by id; a period without a sample of a
    /// shard has no datapoint of it.
    pub fn datapoints(
        &self,
        metric: &str,
        stat: Statistic,
        period_ms: u64,
        since_ms: u64,
        until_ms: u64,
    ) -> Vec<(u32, Vec<(u64, f64)>)> {
        let Some(k) = SHARD_METRICS.iter().position(|m| *m == metric) else {
            return Vec::new();
        };
        let period_ms = period_ms.max(60_000);
        let mut periods: Vec<(u64, Vec<(u32, Samples)>)> = Vec::new();
        for (end, shards) in &self.minutes {
            let at = end.div_ceil(period_ms) * period_ms;
            if at <= since_ms || at > until_ms {
                continue;
            }
            if periods.last().is_none_or(|p| p.0 != at) {
                periods.push((at, Vec::new()));
            }
            let Some((_, merged)) = periods.last_mut() else {
                continue;
            };
            for (id, samples) in shards {
                match merged.binary_search_by_key(id, |m| m.0) {
                    Ok(i) => merged[i].1.merge(&samples[k]),
                    Err(i) => merged.insert(i, (*id, samples[k])),
                }
            }
        }
        let mut out: Vec<(u32, Vec<(u64, f64)>)> = Vec::new();
        for (end, merged) in periods {
            for (id, samples) in merged {
                let value = samples.get(stat);
                if value.is_nan() {
                    continue;
                }
                match out.binary_search_by_key(&id, |o| o.0) {
                    Ok(i) => out[i].1.push((end, value)),
                    Err(i) => out.insert(i, (id, vec![(end, value)])),
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tick(id: u32, bytes: u64, calls: u64) -> ShardTick {
        ShardTick {
            shard_id: id,
            open: true,
            incoming_records: bytes / 100,
            incoming_bytes: bytes,
            put_calls: calls,
            ..ShardTick::default()
        }
    }

    #[test]
    fn minutes_merge_into_periods_shard_by_shard() {
        let mut history = ShardHistory::default();
        // Ten minutes of 5-second ticks: shard 1 takes 4 × shard 0's bytes; shard 2
        // appears in minute 6 (a split child, say).
        for t in (5_000..=600_000).step_by(5_000) {
            let mut ticks = vec![tick(0, 50_000, 5), tick(1, 200_000, 5)];
            if t > 300_000 {
                ticks.push(tick(2, 10_000, 1));
            }
            history.add(t, ticks, 5.0);
        }
        assert_eq!(history.first_ms(), Some(60_000));
        let sums = history.datapoints("IncomingBytes", Statistic::Sum, 300_000, 0, 600_000);
        assert_eq!(sums.len(), 3);
        // 12 ticks a minute, 5 minutes: 60 ticks.
        assert_eq!(sums[0], (0, vec![(300_000, 3e6), (600_000, 3e6)]));
        assert_eq!(sums[1], (1, vec![(300_000, 12e6), (600_000, 12e6)]));
        assert_eq!(sums[2], (2, vec![(600_000, 6e5)]));
        // Per PutRecords call: 200,000 bytes in 5 calls is 40,000 a call.
        let avg = history.datapoints(
            "IncomingBytes",
            Statistic::Average,
            60_000,
            540_000,
            600_000,
        );
        assert_eq!(avg[1], (1, vec![(600_000, 40_000.0)]));
        assert!(history
            .datapoints(
                "IteratorAgeMilliseconds",
                Statistic::Maximum,
                60_000,
                0,
                600_000
            )
            .is_empty());
    }

    #[test]
    fn memory_stays_bounded() {
        let mut history = ShardHistory::default();
        for minute in 1..=200u64 {
            let ticks = (0..1_000).map(|id| tick(id, 1, 1));
            history.add(minute * 60_000, ticks, 60.0);
        }
        // 60,000 shard-minutes: the last 60 minutes of 1,000 shards.
        assert_eq!(history.first_ms(), Some(141 * 60_000));
        assert_eq!(history.entries, MAX_ENTRIES);
    }
}
