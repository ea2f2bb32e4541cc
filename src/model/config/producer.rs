//! Producer applications: how many, how fast, how big, which keys, the traffic's
//! shape over time and what happens to throttled records.

use serde::Serialize;
use serde_json::Value;

use super::read::{self, settings, FromJson};
use crate::model::error::ConfigError;

/// One producer application: identical instances writing with the same settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProducerConfig {
    /// Unique name; partition keys are `"{name}-{i}"`. Default "producer".
    pub name: String,
    /// Number of instances.
    pub instances: u32,
    /// Records per second offered by each instance at full rate.
    pub records_per_sec: f64,
    /// Bytes per record (data blob; the key's bytes are added); with the longest key at
    /// most the stream's `max_record_size_kib`.
    pub record_bytes: u32,
    /// Distinct partition keys.
    pub distinct_keys: u32,
    /// Zipf exponent of key popularity (0 = uniform).
    pub key_skew: f64,
    /// How the rate varies over time. Default constant.
    pub shape: Shape,
    /// What happens to throttled records.
    pub retry: RetryConfig,
    /// Records each instance can hold waiting for a retry; beyond it throttled records are
    /// dropped.
    pub buffer_records: u64,
    /// KPL aggregation: pack user records bound for one shard into Kinesis records.
    /// Default false (every user record is its own Kinesis record).
    pub aggregation: bool,
    /// Largest Kinesis record aggregation makes, bytes (KPL `AggregationMaxSize`).
    pub aggregation_max_bytes: u32,
    /// Longest a user record waits in an aggregator before it is sent, ms (KPL
    /// `RecordMaxBufferedTime`).
    pub record_max_buffered_time_ms: u32,
}

/// Traffic shape: a multiplier on `records_per_sec` over time. In JSON an object whose
/// `"type"` names the variant, beside the variant's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Shape {
    /// Always the full rate.
    #[default]
    Constant,
    /// A daily cycle: full rate at `peak_hour`, `trough` × the rate twelve hours later.
    Daily {
        /// Hour of day of the peak.
        peak_hour: f64,
        /// Rate at the trough as a fraction of the peak.
        trough: f64,
    },
    /// Bursts: `multiplier` × the rate for `duration_s` at the start of every `every_s`.
    Surge {
        /// Seconds between the starts of two bursts.
        every_s: u32,
        /// Length of a burst in seconds.
        duration_s: u32,
        /// Rate multiplier during a burst.
        multiplier: f64,
    },
    /// Sends in batches: every instance buffers its records and sends them all in the
    /// first second of every `flush_every_s`, all instances in the same second (a
    /// scheduled job). The mean rate is `records_per_sec`; a flush second carries
    /// `flush_every_s` × the rate, the seconds between carry nothing.
    Batches {
        /// Seconds between two flushes.
        flush_every_s: u32,
    },
}

impl FromJson for Shape {
    fn read(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let variants = ["constant", "daily", "surge", "batches"];
        let (variant, rest) = read::tagged(value, path, &variants)?;
        Ok(match variant {
            0 => {
                read::object(&rest, path, &[], &mut |_, _, _| Ok(false))?;
                Shape::Constant
            }
            1 => {
                let Daily { peak_hour, trough } = Daily::read(&rest, path)?;
                Shape::Daily { peak_hour, trough }
            }
            2 => {
                let Surge {
                    every_s,
                    duration_s,
                    multiplier,
                } = Surge::read(&rest, path)?;
                Shape::Surge {
                    every_s,
                    duration_s,
                    multiplier,
                }
            }
            _ => {
                let Batches { flush_every_s } = Batches::read(&rest, path)?;
                Shape::Batches { flush_every_s }
            }
        })
    }
}

/// The fields of [`Shape::Daily`] as JSON gives them.
struct Daily {
    peak_hour: f64,
    trough: f64,
}

/// The fields of [`Shape::Surge`] as JSON gives them.
struct Surge {
    every_s: u32,
    duration_s: u32,
    multiplier: f64,
}

/// The fields of [`Shape::Batches`] as JSON gives them.
struct Batches {
    flush_every_s: u32,
}

impl Default for Daily {
    fn default() -> Self {
        Daily {
            peak_hour: 14.0,
            trough: 0.3,
        }
    }
}

impl Default for Surge {
    fn default() -> Self {
        Surge {
            every_s: 3_600,
            duration_s: 300,
            multiplier: 3.0,
        }
    }
}

impl Default for Batches {
    fn default() -> Self {
        Batches { flush_every_s: 5 }
    }
}

settings!(Daily { peak_hour, trough });
settings!(Surge {
    every_s,
    duration_s,
    multiplier,
});
settings!(Batches { flush_every_s });

/// Producer retry policy for throttled records: exponential backoff with full jitter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetryConfig {
    /// Attempts per record including the first.
    pub max_attempts: u32,
    /// Backoff base in milliseconds: retry k waits uniformly in `0..min(max_delay_ms,
    /// base_delay_ms × 2^(k−1))`.
    pub base_delay_ms: u32,
    /// Backoff cap in milliseconds.
    pub max_delay_ms: u32,
}

settings!(ProducerConfig {
    name,
    instances,
    records_per_sec,
    record_bytes,
    distinct_keys,
    key_skew,
    shape,
    retry,
    buffer_records,
    aggregation,
    aggregation_max_bytes,
    record_max_buffered_time_ms,
});

settings!(RetryConfig {
    max_attempts,
    base_delay_ms,
    max_delay_ms,
});

impl Default for ProducerConfig {
    fn default() -> Self {
        ProducerConfig {
            name: "producer".into(),
            instances: 1,
            records_per_sec: 100.0,
            record_bytes: 1_024,
            distinct_keys: 1_000,
            key_skew: 0.0,
            shape: Shape::Constant,
            retry: RetryConfig::default(),
            buffer_records: 100_000,
            aggregation: false,
            aggregation_max_bytes: 51_200,
            record_max_buffered_time_ms: 100,
        }
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay_ms: 1_000,
            max_delay_ms: 20_000,
        }
    }
}

/// Bytes of producer `p`'s longest partition key, `"{name}-{distinct_keys − 1}"`.
pub fn longest_key_bytes(p: &ProducerConfig) -> u64 {
    crate::model::routing::key_name(&p.name, p.distinct_keys.saturating_sub(1)).len() as u64
}
