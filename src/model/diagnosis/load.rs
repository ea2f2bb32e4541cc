//! The load producers offer, from their settings: records and bytes per second over a
//! span, the shards that take it, and the traffic of their most popular keys.

use crate::model::aggregation;
use crate::model::config::{ProducerConfig, Shape};
use crate::model::producer::shape_integral;
use crate::model::routing::{hash_key, key_name, EvenLayout};
use crate::model::sim::{Simulation, SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};

use super::{BusiestKey, Offered};

/// The rate multiplier of `shape` over the second from `t_ms`: what the shape carries
/// in that second, so a batch sent in one second of a longer tick is seen in that second
/// and not at every tick's start.
fn second_factor(shape: &Shape, t_ms: u64) -> f64 {
    shape_integral(shape, t_ms, t_ms + 1_000) / 1_000.0
}

/// New records producers offer over `from_ms..to_ms`: each producer's rate × traffic
/// shape in every second, in records and bytes as the shards count them (a producer that
/// aggregates packs each shard's share with the model's own rule,
/// [`aggregation::on_the_wire`]); with `pack_all`, as if every producer aggregated.
pub(super) fn offered(sim: &Simulation, from_ms: u64, to_ms: u64, pack_all: bool) -> Offered {
    let packs: Vec<Option<ProducerConfig>> = sim
        .producers()
        .iter()
        .map(|p| {
            let mut c = p.config.clone();
            c.aggregation |= pack_all;
            c.aggregation.then_some(c)
        })
        .collect();
    let mut out = Offered::default();
    let mut seconds = 0u64;
    let mut t = from_ms;
    while t < to_ms {
        let (mut users, mut records, mut bytes) = (0.0, 0.0, 0.0);
        for (p, pack) in sim.producers().iter().zip(&packs) {
            let c = &p.config;
            let r = f64::from(c.instances) * c.records_per_sec * second_factor(&c.shape, t);
            users += r;
            let (k, b) = match pack {
                Some(pack) => aggregation::on_the_wire(pack, p, r),
                None => (r, r * p.bytes_per_record as f64),
            };
            records += k;
            bytes += b;
        }
        out.user_records_per_s += users;
        out.records_per_s += records;
        out.bytes_per_s += bytes;
        out.peak_records_per_s = out.peak_records_per_s.max(records);
        out.peak_bytes_per_s = out.peak_bytes_per_s.max(bytes);
        seconds += 1;
        t += 1_000;
    }
    if seconds > 0 {
        out.user_records_per_s /= seconds as f64;
        out.records_per_s /= seconds as f64;
        out.bytes_per_s /= seconds as f64;
    }
    out
}

/// Shards that take `records_per_s` and `bytes_per_s` of writes: the larger of what the
/// records and the bytes need, at least one.
pub(super) fn shards_for(records_per_s: f64, bytes_per_s: f64) -> u32 {
    let by_records = (records_per_s / SHARD_WRITE_RECORDS_PER_S as f64).ceil();
    let by_bytes = (bytes_per_s / SHARD_WRITE_BYTES_PER_S as f64).ceil();
    by_records.max(by_bytes).clamp(1.0, f64::from(u32::MAX)) as u32
}

/// Most popular keys of a producer placed one by one when sizing shards by key; the
/// rest of its traffic is spread evenly over the hash ranges.
const TOP_KEYS: u32 = 2_048;
/// Ranks whose Zipf terms are summed one by one; beyond, the sum is approximated by an
/// integral.
const EXACT_RANKS: u32 = 100_000;

/// Sum of `rank^-skew` over ranks 1..=n: the Zipf normaliser of [`key_popularity`]
/// (exact up to [`EXACT_RANKS`], then the midpoint integral, accurate to a few parts
/// in a million there).
fn zipf_total(n: u32, skew: f64) -> f64 {
    if skew == 0.0 {
        return f64::from(n.max(1));
    }
    let exact = n.clamp(1, EXACT_RANKS);
    let mut total: f64 = (1..=exact).map(|k| libm::pow(f64::from(k), -skew)).sum();
    if n > exact {
        let (a, b) = (f64::from(exact) + 0.5, f64::from(n) + 0.5);
        total += if (skew - 1.0).abs() < 1e-12 {
            libm::log(b / a)
        } else {
            (libm::pow(b, 1.0 - skew) - libm::pow(a, 1.0 - skew)) / (1.0 - skew)
        };
    }
    total
}

/// One producer's traffic as sizing by key sees it: its peak records/s over a span,
/// bytes per record, and its most popular keys' hashes and shares.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeyedTraffic {
    producer: String,
    records: f64,
    record_bytes: f64,
    hashes: Vec<u128>,
    shares: Vec<f64>,
    /// The producer's settings when it aggregates.
    pack: Option<ProducerConfig>,
}

impl KeyedTraffic {
    /// Records/s of the most popular key.
    fn top_records(&self) -> f64 {
        self.records * self.shares.first().copied().unwrap_or(0.0)
    }

    /// Kinesis records and bytes a second that `users` user records a second to one
    /// shard come to.
    fn wire(&self, users: f64) -> (f64, f64) {
        match &self.pack {
            Some(c) => aggregation::packing(c, self.record_bytes.round() as u64, users).wire(users),
            None => (users, users * self.record_bytes),
        }
    }

    /// Whether the most popular key alone is more than one shard takes.
    fn top_over_one_shard(&self) -> bool {
        let (records, bytes) = self.wire(self.top_records());
        over_one_shard(records, bytes)
    }
}

/// Each producer's keyed traffic at its busiest second of `from_ms..to_ms`.
pub(super) fn keyed_traffic(sim: &Simulation, from_ms: u64, to_ms: u64) -> Vec<KeyedTraffic> {
    let config = sim.config();
    config
        .producers
        .iter()
        .zip(sim.producer_record_bytes())
        .map(|(p, bytes)| {
            let mut peak: f64 = 0.0;
            let mut t = from_ms;
            while t < to_ms {
                peak = peak.max(second_factor(&p.shape, t));
                t += 1_000;
            }
            let total = zipf_total(p.distinct_keys, p.key_skew);
            let top = p.distinct_keys.clamp(1, TOP_KEYS);
            KeyedTraffic {
                producer: p.name.clone(),
                records: f64::from(p.instances) * p.records_per_sec * peak,
                record_bytes: bytes as f64,
                hashes: (0..top).map(|i| hash_key(&key_name(&p.name, i))).collect(),
                shares: (1..=top)
                    .map(|rank| {
                        if p.key_skew == 0.0 {
                            1.0 / total
                        } else {
                            libm::pow(f64::from(rank), -p.key_skew) / total
                        }
                    })
                    .collect(),
                pack: p.aggregation.then(|| p.clone()),
            }
        })
        .collect()
}

/// The busiest partition key of all producers.
pub(super) fn busiest_key(traffic: &[KeyedTraffic]) -> Option<BusiestKey> {
    traffic
        .iter()
        .map(|t| {
            let r = t.top_records();
            BusiestKey {
                key: key_name(&t.producer, 0),
                records_per_s: r,
                bytes_per_s: r * t.record_bytes,
            }
        })
        .max_by(|a, b| a.records_per_s.total_cmp(&b.records_per_s))
}

/// Whether one producer's most popular key alone is more than one shard takes, in
/// records as the shard counts them.
pub(super) fn hot_key(traffic: &[KeyedTraffic]) -> bool {
    traffic.iter().any(KeyedTraffic::top_over_one_shard)
}

/// Whether a key's `records`/s and `bytes`/s are more than one shard takes.
pub(super) fn over_one_shard(records: f64, bytes: f64) -> bool {
    records > SHARD_WRITE_RECORDS_PER_S as f64 || bytes > SHARD_WRITE_BYTES_PER_S as f64
}

/// The fewest shards, from `from` up, whose even layout takes every shard's share of
/// the keyed traffic within its write limits; `None` when one key alone is over a
/// shard's limit or no count up to 8 × `from` does.
pub(super) fn shards_for_keys(traffic: &[KeyedTraffic], from: u32) -> Option<u32> {
    if hot_key(traffic) {
        return None;
    }
    let from = from.max(1);
    let last = from.saturating_mul(8).min(10_000);
    let mut records = Vec::new();
    let mut bytes = Vec::new();
    let mut users = Vec::new();
    (from..=last).find(|&n| {
        let layout = EvenLayout::new(n);
        records.clear();
        records.resize(n as usize, 0.0);
        bytes.clear();
        bytes.resize(n as usize, 0.0);
        for t in traffic {
            // Each shard's user records of this producer, then what they come to.
            let rest = (1.0 - t.shares.iter().sum::<f64>()).max(0.0) / f64::from(n);
            users.clear();
            users.resize(n as usize, t.records * rest);
            for (hash, share) in t.hashes.iter().zip(&t.shares) {
                users[layout.shard_of(*hash) as usize] += t.records * share;
            }
            for ((r, b), &u) in records.iter_mut().zip(bytes.iter_mut()).zip(&users) {
                let (k, kb) = t.wire(u);
                *r += k;
                *b += kb;
            }
        }
        records
            .iter()
            .zip(&bytes)
            .all(|(&r, &b)| !over_one_shard(r, b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zipf_total_matches_key_popularity_and_its_tail_estimate_holds() {
        // key_popularity normalises by the same total: its top share is 1 / total.
        for (n, skew) in [
            (1_000, 1.2),
            (50, 2.0),
            (7, 0.0),
            (200_000, 1.0),
            (300_000, 0.8),
        ] {
            let top = crate::model::routing::key_popularity(n, skew)[0];
            let total = zipf_total(n, skew);
            assert!(
                (top * total - 1.0).abs() < 1e-6,
                "{n} {skew}: {}",
                top * total
            );
        }
        assert!((2_400.0 / zipf_total(1_000, 1.2) - 554.0).abs() < 1.0);
    }

    #[test]
    fn shards_are_sized_by_records_and_by_bytes() {
        assert_eq!(shards_for(1_000.0, 1_000.0 * 25.0 * 1_024.0), 25);
        assert_eq!(shards_for(3_000.0, 3_000.0 * 100.0), 3);
        assert_eq!(shards_for(2_000.0, 2.0 * 1_048_576.0), 2);
        assert_eq!(shards_for(0.0, 0.0), 1);
    }
}
