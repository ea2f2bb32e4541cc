//! KPL aggregation: how many user records a producer packs into one Kinesis record.
//!
//! Each instance keeps one aggregator per predicted shard. An aggregator sends its
//! Kinesis record when the next user record would not fit in `aggregation_max_bytes`, or
//! when its oldest user record has waited `record_max_buffered_time_ms`. In the fluid
//! model a Kinesis record therefore holds on average `k = clamp(u, 1, k_max)` user
//! records, where `u` is the user records one instance sends that shard in one buffered
//! time and `k_max` is how many fit (see ARCHITECTURE.md, "Modelling decisions").

use super::config::ProducerConfig;
use serde::Serialize;

use super::cost::put_units;
use super::producer::Producer;

/// Fixed bytes of an aggregated record: the 4-byte magic number and the 16-byte MD5.
pub const OVERHEAD_BYTES: u64 = 20;
/// Protobuf framing per user record: the record's tag and length, its key-table index,
/// its data's tag and length, and its key's entry in the key table.
pub const FRAMING_BYTES: u64 = 8;
/// Bytes of an aggregated record's partition key, "a".
pub const PACKED_KEY_BYTES: u64 = 1;

/// What one Kinesis record of a producer on one shard carries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Packing {
    /// User records per Kinesis record (1 without aggregation).
    pub users: f64,
    /// Bytes each Kinesis record counts against the write limit (data plus key).
    pub bytes: u64,
    /// PUT payload units each Kinesis record uses.
    pub put_units: u64,
}

impl Packing {
    /// One user record per Kinesis record, of `bytes` bytes.
    pub fn single(bytes: u64) -> Self {
        Packing {
            users: 1.0,
            bytes,
            put_units: put_units(bytes),
        }
    }

    /// Kinesis records and their bytes a second that `users_per_s` user records a second
    /// come to, packed this way.
    pub fn wire(&self, users_per_s: f64) -> (f64, f64) {
        let records = users_per_s / self.users;
        (records, records * self.bytes as f64)
    }
}

/// The most user records of `user_bytes` bytes (data plus key) one aggregated record
/// of at most `max_bytes` holds (at least 1).
pub fn max_per_record(user_bytes: u64, max_bytes: u32) -> f64 {
    let room = u64::from(max_bytes).saturating_sub(OVERHEAD_BYTES);
    (room / (user_bytes + FRAMING_BYTES)).max(1) as f64
}

/// User records one instance of `config` sends to one shard in one buffered time, when
/// all its instances send `per_s` user records a second to that shard.
pub fn per_window(config: &ProducerConfig, per_s: f64) -> f64 {
    per_s / f64::from(config.instances.max(1)) * f64::from(config.record_max_buffered_time_ms)
        / 1_000.0
}

/// How `config`'s user records of `user_bytes` bytes travel to a shard that receives
/// `per_s` of them a second from all instances.
pub fn packing(config: &ProducerConfig, user_bytes: u64, per_s: f64) -> Packing {
    if !config.aggregation {
        return Packing::single(user_bytes);
    }
    let k = per_window(config, per_s).clamp(
        1.0,
        max_per_record(user_bytes, config.aggregation_max_bytes),
    );
    if k <= 1.0 {
        return Packing::single(user_bytes);
    }
    let bytes = OVERHEAD_BYTES
        + PACKED_KEY_BYTES
        + (k * (user_bytes + FRAMING_BYTES) as f64).round() as u64;
    Packing {
        users: k,
        bytes,
        put_units: put_units(bytes),
    }
}

/// The extra delay aggregation adds to a user record sent at `per_s` a second (all
/// instances) to one shard, ms: (mean, longest). An aggregator fills for
/// `min(buffered time, k_max / instance rate)`; records arrive evenly while it fills, so
/// the mean wait is half of that. `(0, 0)` without aggregation.
pub fn delay_ms(config: &ProducerConfig, user_bytes: u64, per_s: f64) -> (f64, f64) {
    if !config.aggregation || per_s <= 0.0 {
        return (0.0, 0.0);
    }
    let buffered = f64::from(config.record_max_buffered_time_ms);
    let instance_per_ms = per_s / f64::from(config.instances.max(1)) / 1_000.0;
    let fill = max_per_record(user_bytes, config.aggregation_max_bytes) / instance_per_ms;
    let longest = buffered.min(fill);
    (longest / 2.0, longest)
}

/// Kinesis records and their bytes a second that `producer`'s open shards receive when
/// all its instances send `per_s` user records a second, each shard's share packed as
/// `config` packs it (the producer's own settings, or others to ask what they would do).
pub fn on_the_wire(config: &ProducerConfig, producer: &Producer, per_s: f64) -> (f64, f64) {
    let (mut records, mut bytes) = (0.0, 0.0);
    for &w in &producer.weights {
        let (r, b) = packing(config, producer.bytes_per_record, per_s * w).wire(per_s * w);
        records += r;
        bytes += b;
    }
    (records, bytes)
}

/// What aggregation does to one producer's records at its full rate, over the open
/// shards in proportion to their share of its keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Figures {
    /// User records per Kinesis record.
    pub user_records_per_kinesis_record: f64,
    /// Mean extra delay of a user record in the aggregator, ms.
    pub extra_delay_ms_mean: f64,
    /// Longest extra delay, ms (at most `record_max_buffered_time_ms`).
    pub extra_delay_ms_max: f64,
}

/// [`Figures`] for `producer` at its full rate.
pub fn figures(producer: &Producer) -> Figures {
    let config = &producer.config;
    let full = f64::from(config.instances) * config.records_per_sec;
    let (mut kinesis, mut users, mut out) = (0.0, 0.0, Figures::default());
    for &w in &producer.weights {
        let packing = producer.packing(full * w);
        let (mean, longest) = delay_ms(config, producer.bytes_per_record, full * w);
        users += w;
        kinesis += w / packing.users;
        out.extra_delay_ms_mean += w * mean;
        out.extra_delay_ms_max = out.extra_delay_ms_max.max(longest);
    }
    out.user_records_per_kinesis_record = if kinesis > 0.0 { users / kinesis } else { 1.0 };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpl(instances: u32) -> ProducerConfig {
        ProducerConfig {
            instances,
            aggregation: true,
            ..ProducerConfig::default()
        }
    }

    #[test]
    fn full_aggregators_hold_what_fits() {
        // (51,200 − 20) / (512 + 8) = 98.4 → 98 records of 512 B.
        assert_eq!(max_per_record(512, 51_200), 98.0);
        let p = packing(&kpl(1), 512, 1_000.0);
        assert_eq!(p.users, 98.0);
        assert_eq!(p.bytes, 20 + 1 + 98 * 520);
        assert_eq!(p.put_units, 2);
    }

    #[test]
    fn slow_traffic_is_sent_when_the_buffered_time_runs_out() {
        // 200 a second over 4 instances: 5 per instance in 100 ms.
        let p = packing(&kpl(4), 100, 200.0);
        assert_eq!(p.users, 5.0);
        // Under one record per buffered time each record goes alone, with its own key.
        assert_eq!(packing(&kpl(4), 100, 20.0), Packing::single(100));
        let (mean, longest) = delay_ms(&kpl(4), 100, 200.0);
        assert_eq!((mean, longest), (50.0, 100.0));
    }

    #[test]
    fn fast_traffic_fills_aggregators_before_the_deadline() {
        // 10,000 a second of 512 B from one instance: 98 fill in 9.8 ms.
        let (mean, longest) = delay_ms(&kpl(1), 512, 10_000.0);
        assert!((longest - 9.8).abs() < 1e-9 && (mean - 4.9).abs() < 1e-9);
    }
}
