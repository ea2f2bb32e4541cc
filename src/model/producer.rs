//! Producers: traffic shape, routing shares, write admission and the retry policy.

use super::aggregation::{packing, Packing};
use super::config::{ProducerConfig, RetryConfig, Shape};
use super::ratio::{mul_div, saturating_product, wide};
use super::routing::{EvenLayout, KeySet};

/// One simulated day in milliseconds.
const DAY_MS: u64 = 86_400_000;

/// Rate multiplier of `shape` at simulated time `t_ms` (1 = the configured rate): the
/// tests' oracle for [`shape_integral`], which the simulation and the diagnosis use.
#[cfg(test)]
fn shape_factor(shape: &Shape, t_ms: u64) -> f64 {
    match shape {
        Shape::Constant => 1.0,
        Shape::Daily { peak_hour, trough } => {
            let hour = (t_ms % DAY_MS) as f64 / 3_600_000.0;
            let phase = std::f64::consts::TAU * (hour - peak_hour) / 24.0;
            trough + (1.0 - trough) * (1.0 + libm::cos(phase)) / 2.0
        }
        Shape::Surge {
            every_s,
            duration_s,
            multiplier,
        } => {
            let into = (t_ms / 1_000) % u64::from((*every_s).max(1));
            if into < u64::from(*duration_s) {
                *multiplier
            } else {
                1.0
            }
        }
        Shape::Batches { flush_every_s } => {
            let every = (*flush_every_s).max(1);
            if (t_ms / 1_000).is_multiple_of(u64::from(every)) {
                f64::from(every)
            } else {
                0.0
            }
        }
    }
}

/// Integral of `shape`'s multiplier over `[t0_ms, t1_ms)`, in multiplier × milliseconds:
/// the exact amount of traffic a tick carries, so a burst lasts its length at any tick.
pub fn shape_integral(shape: &Shape, t0_ms: u64, t1_ms: u64) -> f64 {
    let span = t1_ms.saturating_sub(t0_ms) as f64;
    match shape {
        Shape::Constant => span,
        Shape::Daily { peak_hour, trough } => {
            let omega = std::f64::consts::TAU / DAY_MS as f64;
            let peak = peak_hour * 3_600_000.0;
            let (a, b) = ((1.0 + trough) / 2.0, (1.0 - trough) / 2.0);
            let sin_at = |t: u64| libm::sin(omega * (t as f64 - peak));
            a * span + b / omega * (sin_at(t1_ms) - sin_at(t0_ms))
        }
        Shape::Surge {
            every_s,
            duration_s,
            multiplier,
        } => {
            let every = u64::from((*every_s).max(1)) * 1_000;
            let burst = u64::from(*duration_s) * 1_000;
            // Milliseconds of burst in [0, t).
            let bursting = |t: u64| (t / every) * burst + (t % every).min(burst);
            span + (multiplier - 1.0) * (bursting(t1_ms) - bursting(t0_ms)) as f64
        }
        Shape::Batches { flush_every_s } => {
            let every_s = (*flush_every_s).max(1);
            let every = u64::from(every_s) * 1_000;
            // Milliseconds of flush seconds in [0, t): the first second of each period.
            let flushing = |t: u64| (t / every) * 1_000 + (t % every).min(1_000);
            f64::from(every_s) * (flushing(t1_ms) - flushing(t0_ms)) as f64
        }
    }
}

/// A producer application as the simulation runs it.
#[derive(Debug, Clone)]
pub struct Producer {
    /// Its settings.
    pub config: ProducerConfig,
    keys: KeySet,
    /// Share of its records each open shard receives, by open-shard index.
    pub weights: Vec<f64>,
    /// Bytes each record counts against the write limit (data plus mean key length).
    pub bytes_per_record: u64,
    /// Throttled records waiting for a retry, over all shards.
    pub pending: u64,
    /// PUT payload units each record uses.
    pub put_units: u64,
}

impl Producer {
    /// The producer for `config`, routing over `layout`.
    pub fn new(config: ProducerConfig, layout: &EvenLayout) -> Self {
        let keys = KeySet::new(&config.name, config.distinct_keys, config.key_skew);
        let bytes_per_record =
            u64::from(config.record_bytes) + keys.mean_key_bytes().round() as u64;
        let weights = keys.shard_weights(layout);
        Producer {
            config,
            keys,
            weights,
            bytes_per_record,
            pending: 0,
            put_units: super::cost::put_units(bytes_per_record),
        }
    }

    /// Takes new settings, recomputing keys only when they changed.
    pub fn reconfigure(&mut self, config: ProducerConfig, layout: &EvenLayout) {
        let same_keys = config.name == self.config.name
            && config.distinct_keys == self.config.distinct_keys
            && config.key_skew == self.config.key_skew;
        if !same_keys {
            self.keys = KeySet::new(&config.name, config.distinct_keys, config.key_skew);
            self.weights = self.keys.shard_weights(layout);
        }
        self.bytes_per_record =
            u64::from(config.record_bytes) + self.keys.mean_key_bytes().round() as u64;
        self.put_units = super::cost::put_units(self.bytes_per_record);
        self.config = config;
    }

    /// Routes over a new shard layout (after a reshard).
    pub fn relayout(&mut self, layout: &EvenLayout) {
        self.weights = self.keys.shard_weights(layout);
    }

    /// Records offered by all instances over `[t0_ms, t1_ms)`.
    pub fn records_between(&self, t0_ms: u64, t1_ms: u64) -> f64 {
        f64::from(self.config.instances)
            * self.config.records_per_sec
            * shape_integral(&self.config.shape, t0_ms, t1_ms)
            / 1_000.0
    }

    /// How its records travel to a shard that receives `per_s` of its user records a
    /// second (see [`crate::model::aggregation`]).
    pub fn packing(&self, per_s: f64) -> Packing {
        if !self.config.aggregation {
            // One user record per Kinesis record: what `packing` gives, already known.
            return Packing {
                users: 1.0,
                bytes: self.bytes_per_record,
                put_units: self.put_units,
            };
        }
        packing(&self.config, self.bytes_per_record, per_s)
    }

    /// Records the retry buffers of all instances can hold.
    pub fn buffer_cap(&self) -> u64 {
        saturating_product(u64::from(self.config.instances), self.config.buffer_records)
    }
}

/// Throttled records of one producer at one shard, waiting for their next attempt.
///
/// Full jitter spreads retry `k` evenly over the next `min(cap, base × 2^(k−1))`
/// milliseconds; the fluid model spreads the count the same way over ticks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RetryQueue {
    /// `slots[(head + d) % len][k]`: records due in `d` ticks for attempt `k + 2`.
    slots: Vec<Vec<u64>>,
    head: usize,
    /// Records waiting in this queue.
    pub waiting: u64,
}

impl RetryQueue {
    /// Hands `due(attempt, records)` every batch of records due now (attempt ≥ 2) and
    /// moves on one tick.
    pub fn drain_due(&mut self, mut due: impl FnMut(u32, u64)) {
        if self.waiting > 0 {
            let slot = &mut self.slots[self.head];
            for (k, n) in slot.iter_mut().enumerate() {
                if *n > 0 {
                    due(k as u32 + 2, *n);
                    self.waiting -= *n;
                    *n = 0;
                }
            }
        }
        self.advance();
    }

    fn advance(&mut self) {
        if !self.slots.is_empty() {
            self.head = (self.head + 1) % self.slots.len();
        }
    }

    /// Schedules `count` records that failed attempt `attempt` (1-based) for attempt
    /// `attempt + 1`, spread over the backoff window of `retry`.
    pub fn schedule(&mut self, retry: &RetryConfig, attempt: u32, count: u64, tick_ms: u64) {
        if count == 0 {
            return;
        }
        let horizon = (u64::from(retry.max_delay_ms).div_ceil(tick_ms) + 2) as usize;
        if self.slots.len() < horizon {
            self.grow(horizon);
        }
        let exp = attempt.saturating_sub(1).min(40);
        let window_ms = saturating_product(u64::from(retry.base_delay_ms), 1u64 << exp)
            .min(u64::from(retry.max_delay_ms));
        // Delays are uniform in [0, window): due over ticks 1..=ceil(window/tick).
        let ticks = window_ms.div_ceil(tick_ms).max(1) as usize;
        let (each, extra) = (count / ticks as u64, count % ticks as u64);
        let k = attempt as usize - 1;
        let len = self.slots.len();
        for d in 0..ticks {
            let n = each + u64::from((d as u64) < extra);
            if n == 0 {
                continue;
            }
            let slot = &mut self.slots[(self.head + d) % len];
            if slot.len() <= k {
                slot.resize(k + 1, 0);
            }
            slot[k] += n;
        }
        self.waiting += count;
    }

    fn grow(&mut self, len: usize) {
        let mut slots = vec![Vec::new(); len];
        let old = self.slots.len();
        for (d, slot) in slots.iter_mut().take(old).enumerate() {
            *slot = std::mem::take(&mut self.slots[(self.head + d) % old]);
        }
        self.slots = slots;
        self.head = 0;
    }

    /// Moves every waiting record of `other` into this queue, keeping due times.
    pub fn absorb(&mut self, mut other: RetryQueue) {
        if other.waiting == 0 {
            return;
        }
        if self.slots.len() < other.slots.len() {
            self.grow(other.slots.len());
        }
        let (len, olen) = (self.slots.len(), other.slots.len());
        for d in 0..olen {
            let from = std::mem::take(&mut other.slots[(other.head + d) % olen]);
            let into = &mut self.slots[(self.head + d) % len];
            if into.len() < from.len() {
                into.resize(from.len(), 0);
            }
            for (a, b) in into.iter_mut().zip(from) {
                *a += b;
            }
        }
        self.waiting += other.waiting;
    }

    /// Empties the queue, returning how many records it held.
    pub fn clear(&mut self) -> u64 {
        let n = self.waiting;
        *self = RetryQueue::default();
        n
    }
}

/// One class of records competing for a shard's write capacity in a tick.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Offer {
    /// Records offered.
    pub records: u64,
    /// Bytes per record.
    pub bytes_per_record: u64,
    /// Index of the producer offering them.
    pub producer: usize,
    /// Attempt number (1 = first try).
    pub attempt: u32,
    /// How each record carries user records (KPL aggregation) and what it is billed.
    pub packing: Packing,
}

impl Default for Packing {
    fn default() -> Self {
        Packing::single(1)
    }
}

/// Splits a shard's write capacity between `offers` in proportion to their size (what
/// rounding leaves goes to the last offers first), so that
/// accepted records ≤ `cap_records` and accepted bytes ≤ `cap_bytes`. Writes the accepted
/// count of each offer into `accepted` (same length) and returns (records, bytes) accepted.
pub fn admit(
    offers: &[Offer],
    cap_records: u64,
    cap_bytes: u64,
    accepted: &mut [u64],
) -> (u64, u64) {
    let records: u64 = offers.iter().map(|o| o.records).sum();
    // Counts and sizes are far below 2^32 each, so their products fit in 64 bits; the
    // proportional split below goes to 128 bits only when one would not.
    let bytes: u64 = offers
        .iter()
        .map(|o| saturating_product(o.records, o.bytes_per_record))
        .fold(0, u64::saturating_add);
    if records <= cap_records && bytes <= cap_bytes {
        for (a, o) in accepted.iter_mut().zip(offers) {
            *a = o.records;
        }
        return (records, bytes);
    }
    // The binding limit gives the accepted fraction num/den.
    let (num, den) = if wide(cap_records, bytes) <= wide(cap_bytes, records) {
        (cap_records, records)
    } else {
        (cap_bytes, bytes)
    };
    let mut total_r = 0u64;
    let mut total_b = 0u64;
    for (a, o) in accepted.iter_mut().zip(offers) {
        *a = mul_div(o.records, num, den);
        total_r += *a;
        total_b += *a * o.bytes_per_record;
    }
    // Hand out what flooring left over, one record at a time, within both limits, from
    // the last offer back: callers list retries after first attempts, so the few
    // records of a late attempt are not starved by rounding every time.
    let mut progress = true;
    while progress && total_r < cap_records {
        progress = false;
        for (a, o) in accepted.iter_mut().zip(offers).rev() {
            if *a < o.records && total_r < cap_records && total_b + o.bytes_per_record <= cap_bytes
            {
                *a += 1;
                total_r += 1;
                total_b += o.bytes_per_record;
                progress = true;
            }
        }
    }
    (total_r, total_b)
}

#[cfg(test)]
mod tests;
