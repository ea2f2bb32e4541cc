//! The recent past as the diagnosis reads it: the last minute tick by tick, and the
//! last hour of writes as per-minute sums, in bounded memory.

use std::collections::VecDeque;

use crate::model::metrics::TickMetrics;

/// Seconds of history the "now" rules look at.
pub const WINDOW_S: u64 = 60;
/// Minutes of history the last-hour record keeps.
pub const HOUR_MINUTES: usize = 60;
/// Share of write attempts throttled above which writes count as throttled.
pub(crate) const THROTTLED_SHARE: f64 = 0.01;

/// What the rules need of one tick, kept compact (no allocation per tick once full).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct StreamTick {
    pub(crate) incoming: u64,
    pub(crate) incoming_bytes: u64,
    pub(crate) throttled: u64,
    pub(crate) dropped: u64,
    pub(crate) read_throttled: u64,
}

/// What the rules need of one consumer's tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ConsumerSample {
    pub(crate) processed: u64,
    pub(crate) expired: u64,
    pub(crate) skipped: u64,
    pub(crate) age_ms: u64,
    pub(crate) errors: u32,
    pub(crate) timeouts: u32,
    pub(crate) invocations: u32,
    pub(crate) throttles: u32,
    pub(crate) read_throttled: u32,
    pub(crate) concurrency: u32,
}

/// One minute of writes, summed over its ticks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Minute {
    ticks: u32,
    attempts: u64,
    throttled: u64,
    throttled_ticks: u32,
    dropped: u64,
    /// Most open shards during a throttled tick.
    throttled_shards: u32,
}

impl Minute {
    /// Whether writes in this minute count as throttled.
    fn throttled(&self) -> bool {
        self.attempts > 0 && self.throttled as f64 > THROTTLED_SHARE * self.attempts as f64
    }
}

/// The last hour of writes in a nutshell.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct HourSummary {
    /// Minutes covered (the minute under way counts).
    pub(crate) minutes: usize,
    /// Runs of consecutive throttled minutes.
    pub(crate) bursts: u32,
    /// Ticks with any throttling, in seconds.
    pub(crate) throttled_s: u64,
    /// Write attempts throttled.
    pub(crate) throttled: u64,
    /// Write attempts.
    pub(crate) attempts: u64,
    /// Records producers gave up on.
    pub(crate) dropped: u64,
    /// Most open shards while writes were throttled.
    pub(crate) shards_then: u32,
}

/// The recent past as the rules read it: the last [`WINDOW_S`] seconds tick by tick,
/// and the last [`HOUR_MINUTES`] minutes of writes as per-minute sums. Memory is
/// bounded and, once the rings are full, adding a tick allocates nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recent {
    stream: VecDeque<StreamTick>,
    consumers: Vec<VecDeque<ConsumerSample>>,
    tick_s: u64,
    /// Completed minutes, oldest first.
    minutes: VecDeque<Minute>,
    /// The minute under way.
    minute: Minute,
    /// End of the last tick added, ms.
    last_t_ms: u64,
}

impl Recent {
    /// Adds one tick of `tick_s` seconds; keeps the last [`WINDOW_S`] seconds and the
    /// last [`HOUR_MINUTES`] minutes. A tick earlier than the last one starts afresh
    /// (a new run).
    pub fn add(&mut self, m: &TickMetrics, tick_s: u64) {
        if m.t_ms <= self.last_t_ms {
            *self = Recent::default();
        }
        self.last_t_ms = m.t_ms;
        self.tick_s = tick_s.max(1);
        let keep = (WINDOW_S / self.tick_s).max(1) as usize;
        push(
            &mut self.stream,
            keep,
            StreamTick {
                incoming: m.incoming_records,
                incoming_bytes: m.incoming_bytes,
                throttled: m.write_throttled,
                dropped: m.dropped_by_producer,
                read_throttled: m.read_throttled,
            },
        );
        // A consumer added or removed changes the columns: start its history afresh.
        if self.consumers.len() != m.consumers.len() {
            self.consumers = vec![VecDeque::new(); m.consumers.len()];
        }
        for (history, c) in self.consumers.iter_mut().zip(&m.consumers) {
            push(
                history,
                keep,
                ConsumerSample {
                    processed: c.processed,
                    expired: c.expired,
                    skipped: c.skipped,
                    age_ms: c.iterator_age_ms,
                    errors: c.errors,
                    timeouts: c.timeouts,
                    invocations: c.invocations,
                    throttles: c.throttles,
                    read_throttled: c.read_throttled,
                    concurrency: c.concurrency,
                },
            );
        }
        let minute = &mut self.minute;
        minute.ticks += 1;
        minute.attempts += m.incoming_records + m.write_throttled;
        minute.throttled += m.write_throttled;
        minute.throttled_ticks += u32::from(m.write_throttled > 0);
        minute.dropped += m.dropped_by_producer;
        if m.write_throttled > 0 {
            minute.throttled_shards = minute.throttled_shards.max(m.open_shards);
        }
        // Ticks divide the minute, so a minute ends exactly at a tick's end.
        if m.t_ms.is_multiple_of(60_000) {
            let done = std::mem::take(&mut self.minute);
            push(&mut self.minutes, HOUR_MINUTES, done);
        }
    }

    /// Ticks the window holds.
    pub(crate) fn ticks(&self) -> usize {
        self.stream.len()
    }

    /// Seconds the window covers (at least one).
    pub(crate) fn seconds(&self) -> f64 {
        (self.stream.len() as u64 * self.tick_s).max(1) as f64
    }

    /// Sum of `f` over the window's ticks.
    pub(crate) fn sum(&self, f: impl Fn(&StreamTick) -> u64) -> u64 {
        self.stream.iter().map(f).sum()
    }

    /// Sum of `f` over consumer `i`'s ticks in the window.
    pub(crate) fn consumer_sum(&self, i: usize, f: impl Fn(&ConsumerSample) -> u64) -> u64 {
        self.consumers.get(i).map_or(0, |h| h.iter().map(f).sum())
    }

    /// Largest `f` over consumer `i`'s ticks in the window.
    pub(crate) fn consumer_max(&self, i: usize, f: impl Fn(&ConsumerSample) -> u64) -> u64 {
        self.consumers
            .get(i)
            .and_then(|h| h.iter().map(f).max())
            .unwrap_or(0)
    }

    /// Most concurrent executions (or tasks) of consumer `i` at the end of a tick in the
    /// last few seconds: an invocation ending right at a tick's end is not counted there.
    pub(crate) fn recent_concurrency(&self, i: usize) -> u32 {
        let lookback = (5 / self.tick_s).max(1) as usize;
        self.consumers.get(i).map_or(0, |h| {
            h.iter()
                .rev()
                .take(lookback)
                .map(|t| t.concurrency)
                .max()
                .unwrap_or(0)
        })
    }

    /// Iterator age growth of consumer `i` over the window, in seconds per second.
    pub(crate) fn age_growth(&self, i: usize) -> f64 {
        let Some(h) = self.consumers.get(i) else {
            return 0.0;
        };
        match (h.front(), h.back()) {
            (Some(a), Some(b)) if h.len() > 1 => {
                let span = ((h.len() - 1) as u64 * self.tick_s) as f64;
                (b.age_ms as f64 - a.age_ms as f64) / 1_000.0 / span
            }
            _ => 0.0,
        }
    }

    /// The last hour of writes: the minute under way and the completed minutes before
    /// it, [`HOUR_MINUTES`] in all at most.
    pub(crate) fn hour(&self) -> HourSummary {
        let partial = (self.minute.ticks > 0).then_some(&self.minute);
        let room = HOUR_MINUTES - usize::from(partial.is_some());
        let skip = self.minutes.len().saturating_sub(room);
        let mut out = HourSummary::default();
        let mut in_burst = false;
        for m in self.minutes.iter().skip(skip).chain(partial) {
            out.minutes += 1;
            out.throttled_s += u64::from(m.throttled_ticks) * self.tick_s;
            out.throttled += m.throttled;
            out.attempts += m.attempts;
            out.dropped += m.dropped;
            out.shards_then = out.shards_then.max(m.throttled_shards);
            let throttled = m.throttled();
            if throttled && !in_burst {
                out.bursts += 1;
            }
            in_burst = throttled;
        }
        out
    }
}

fn push<T>(ring: &mut VecDeque<T>, keep: usize, value: T) {
    if ring.len() >= keep {
        ring.pop_front();
    }
    ring.push_back(value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::consumer::ConsumerTick;

    /// One second of 1,000 write attempts, 10 % throttled in minutes 0 and 1 of every 15.
    fn tick(s: u64) -> TickMetrics {
        let minute = (s - 1) / 60;
        let throttled = if minute % 15 < 2 { 100 } else { 0 };
        TickMetrics {
            t_ms: s * 1_000,
            incoming_records: 1_000 - throttled,
            write_throttled: throttled,
            consumers: vec![ConsumerTick::default()],
            ..TickMetrics::default()
        }
    }

    #[test]
    fn recent_keeps_a_minute_of_ticks_and_an_hour_of_minutes_in_bounded_memory() {
        let mut recent = Recent::default();
        let mut capacity = (0, 0, 0);
        for s in 1..=3 * 3_600 {
            recent.add(&tick(s), 1);
            if s == 2 * 3_600 {
                capacity = (
                    recent.stream.capacity(),
                    recent.consumers[0].capacity(),
                    recent.minutes.capacity(),
                );
            }
        }
        assert_eq!(recent.stream.len(), 60);
        assert_eq!(recent.minutes.len(), HOUR_MINUTES);
        // The third hour allocated nothing.
        assert_eq!(
            capacity,
            (
                recent.stream.capacity(),
                recent.consumers[0].capacity(),
                recent.minutes.capacity()
            )
        );
        // Minutes 120, 121, 135, 136, 150, 151, 165 and 166 were throttled: 4 bursts.
        let hour = recent.hour();
        assert_eq!(hour.minutes, 60);
        assert_eq!(hour.bursts, 4);
        assert_eq!(hour.throttled_s, 8 * 60);
        assert_eq!(hour.throttled, 8 * 60 * 100);
        assert_eq!(hour.attempts, 3_600 * 1_000);
        // Half a minute later the hour holds 59 full minutes and the half under way.
        for s in 3 * 3_600 + 1..=3 * 3_600 + 30 {
            recent.add(&tick(s), 1);
        }
        let hour = recent.hour();
        assert_eq!(hour.minutes, 60);
        assert_eq!(hour.attempts, 59 * 60 * 1_000 + 30 * 1_000);
        // A tick from the start again is a new run.
        recent.add(&tick(1), 1);
        assert_eq!(recent.stream.len(), 1);
        assert_eq!(recent.hour().minutes, 1);
    }
}
