//! What the running configuration costs: prices as data, usage metered per tick, and
//! the same usage priced in each capacity mode.
//!
//! Prices are us-east-1 list prices, each with its source and the date it was read.
//! The simulation meters every tick what actually happened (open shards, PUT payload
//! units and bytes written, bytes read, retained bytes by age, Lambda busy time and
//! requests, running tasks) in a [`Meter`]; [`Meter::price`] turns any stretch of it
//! into dollars by line item in any of the three modes, so the run's own bill and what
//! its traffic would have cost in the other modes come from the same numbers.

use serde::Serialize;

use crate::model::config::CapacityMode;

mod steady;

pub use steady::Steady;
/// One price with where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Price {
    /// US dollars per unit.
    pub usd: f64,
    /// The unit, e.g. "shard-hour".
    pub unit: &'static str,
    /// Where the number was read.
    pub source: &'static str,
    /// When it was read (ISO date).
    pub date: &'static str,
}

/// Every price the cost model uses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prices {
    /// Provisioned shard-hour.
    pub shard_hour: Price,
    /// One million PUT payload units (25 KiB chunks, rounded up per record).
    pub put_million_units: Price,
    /// Extended retention (24 h to 7 days), per shard-hour (provisioned).
    pub extended_retention_shard_hour: Price,
    /// Long-term retention (beyond 7 days), per GB-month.
    pub long_term_gb_month: Price,
    /// Reading records older than 7 days, per GB.
    pub long_term_retrieval_gb: Price,
    /// Enhanced fan-out, per consumer-shard-hour (provisioned).
    pub efo_consumer_shard_hour: Price,
    /// Enhanced fan-out data retrieved, per GB (provisioned).
    pub efo_gb: Price,
    /// On-demand Standard stream-hour.
    pub od_stream_hour: Price,
    /// On-demand Standard data in, per GB (each record rounded up to 1 KB).
    pub od_in_gb: Price,
    /// On-demand Standard data out through GetRecords, per GB.
    pub od_out_gb: Price,
    /// On-demand Standard data out through enhanced fan-out, per GB.
    pub od_efo_gb: Price,
    /// On-demand Standard retention beyond 24 h (to 7 days), per GB-month.
    pub od_extended_gb_month: Price,
    /// On-demand Advantage data in, per GB (each record rounded up to 1 KB).
    pub oda_in_gb: Price,
    /// On-demand Advantage data out, shared or enhanced fan-out, per GB.
    pub oda_out_gb: Price,
    /// On-demand Advantage retention beyond 24 h, per GB-month.
    pub oda_retention_gb_month: Price,
    /// Lambda duration, per GB-second (x86).
    pub lambda_gb_second: Price,
    /// Lambda requests, per million.
    pub lambda_million_requests: Price,
    /// Fargate Linux/x86, per vCPU-hour.
    pub fargate_vcpu_hour: Price,
    /// Fargate Linux/x86, per GB-hour of memory.
    pub fargate_gb_hour: Price,
}

const THIRD_PARTY: &str = "third-party copies of the Kinesis Data Streams pricing page";
const ODA_BLOG: &str = "AWS Big Data blog, On-demand Advantage";
const LAMBDA_WP: &str = "AWS whitepaper 'How AWS Pricing Works', Lambda";
const FARGATE: &str = "third-party Fargate pricing summaries (vantage.sh, wring.co, factualminds)";

/// A price read from `source` on `date`.
const fn price(usd: f64, unit: &'static str, source: &'static str, date: &'static str) -> Price {
    Price {
        usd,
        unit,
        source,
        date,
    }
}

/// The prices in use (us-east-1).
pub const PRICES: Prices = Prices {
    shard_hour: price(0.015, "shard-hour", THIRD_PARTY, "2026-03-10"),
    put_million_units: price(
        0.014,
        "million PUT payload units",
        THIRD_PARTY,
        "2026-03-10",
    ),
    extended_retention_shard_hour: price(
        0.020,
        "shard-hour of extended retention",
        THIRD_PARTY,
        "2026-03-10",
    ),
    long_term_gb_month: price(0.023, "GB-month beyond 7 days", ODA_BLOG, "2026-03-09"),
    long_term_retrieval_gb: price(
        0.021,
        "GB read older than 7 days (unconfirmed)",
        THIRD_PARTY,
        "2026-03-10",
    ),
    efo_consumer_shard_hour: price(0.015, "consumer-shard-hour", THIRD_PARTY, "2026-03-10"),
    efo_gb: price(0.013, "GB retrieved", THIRD_PARTY, "2026-03-10"),
    od_stream_hour: price(0.04, "on-demand stream-hour", ODA_BLOG, "2026-03-09"),
    od_in_gb: price(
        0.08,
        "GB in, on-demand (1 KB per record at least)",
        ODA_BLOG,
        "2026-03-09",
    ),
    od_out_gb: price(0.04, "GB out, on-demand", THIRD_PARTY, "2026-03-10"),
    od_efo_gb: price(
        0.05,
        "GB out by enhanced fan-out, on-demand",
        ODA_BLOG,
        "2026-03-09",
    ),
    od_extended_gb_month: price(
        0.10,
        "GB-month 24 h to 7 days, on-demand",
        ODA_BLOG,
        "2026-03-09",
    ),
    oda_in_gb: price(
        0.032,
        "GB in, Advantage (1 KB per record at least)",
        ODA_BLOG,
        "2026-03-09",
    ),
    oda_out_gb: price(0.016, "GB out, Advantage", ODA_BLOG, "2026-03-09"),
    oda_retention_gb_month: price(
        0.023,
        "GB-month beyond 24 h, Advantage",
        ODA_BLOG,
        "2026-03-09",
    ),
    lambda_gb_second: price(0.000_016_666_7, "GB-second", LAMBDA_WP, "2026-11-01"),
    lambda_million_requests: price(0.20, "million requests", LAMBDA_WP, "2026-11-01"),
    fargate_vcpu_hour: price(0.040_48, "vCPU-hour", FARGATE, "2026-06-01"),
    fargate_gb_hour: price(0.004_445, "GB-hour", FARGATE, "2026-06-01"),
};

/// On-demand Advantage's account commitment, MiB/s of data in and again of data out
/// (AWS Big Data blog, On-demand Advantage, 2026-03-09); a shortfall is billed at the
/// Advantage rates.
pub const ADVANTAGE_COMMITMENT_MIBPS: f64 = 25.0;
/// Bytes in one PUT payload unit.
pub const PUT_UNIT_BYTES: u64 = 25 * 1_024;
/// Bytes on-demand bills a record at least: each record is rounded up to 1 KiB.
pub const OD_UNIT_BYTES: u64 = 1_024;
/// Bytes in a billed GB (AWS bills data in binary gigabytes).
pub const GB: f64 = 1_073_741_824.0;
/// Hours in the month used for GB-month prices and $/month figures.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// PUT payload units one record of `bytes` bytes uses.
pub fn put_units(bytes: u64) -> u64 {
    bytes.div_ceil(PUT_UNIT_BYTES).max(1)
}

/// Bytes on-demand bills for one record of `bytes` bytes (1 KiB at least, in KiB steps).
pub fn od_billed_bytes(bytes: u64) -> u64 {
    bytes.div_ceil(OD_UNIT_BYTES).max(1) * OD_UNIT_BYTES
}

/// Dollars by line item (a running total, or a rate per hour).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spend {
    /// Shard-hours (provisioned) or stream-hours (On-demand Standard).
    pub capacity: f64,
    /// Data in: PUT payload units (provisioned) or GB written (on-demand).
    pub data_in: f64,
    /// Data out through GetRecords (on-demand) and reads of records older than 7 days.
    pub data_out: f64,
    /// Extended and long-term retention.
    pub retention: f64,
    /// Enhanced fan-out consumer-shard-hours and data.
    pub enhanced_fan_out: f64,
    /// On-demand Advantage's commitment not used.
    pub commitment: f64,
    /// Lambda duration and requests.
    pub lambda: f64,
    /// Fargate tasks running KCL.
    pub fargate: f64,
}

impl Spend {
    /// The line items in order: capacity, data in, data out, retention, enhanced
    /// fan-out, commitment shortfall, Lambda, Fargate.
    pub fn items(&self) -> [f64; 8] {
        [
            self.capacity,
            self.data_in,
            self.data_out,
            self.retention,
            self.enhanced_fan_out,
            self.commitment,
            self.lambda,
            self.fargate,
        ]
    }

    /// The stream's own items (everything but the consumers' compute).
    pub fn stream(&self) -> f64 {
        self.items()[..6].iter().sum()
    }

    /// Sum of all line items.
    pub fn total(&self) -> f64 {
        self.items().iter().sum()
    }

    /// `self + other`, item by item.
    pub fn plus(&self, other: &Spend) -> Spend {
        Spend {
            capacity: self.capacity + other.capacity,
            data_in: self.data_in + other.data_in,
            data_out: self.data_out + other.data_out,
            retention: self.retention + other.retention,
            enhanced_fan_out: self.enhanced_fan_out + other.enhanced_fan_out,
            commitment: self.commitment + other.commitment,
            lambda: self.lambda + other.lambda,
            fargate: self.fargate + other.fargate,
        }
    }

    /// `self × factor`, item by item.
    pub fn scaled(&self, factor: f64) -> Spend {
        Spend {
            capacity: self.capacity * factor,
            data_in: self.data_in * factor,
            data_out: self.data_out * factor,
            retention: self.retention * factor,
            enhanced_fan_out: self.enhanced_fan_out * factor,
            commitment: self.commitment * factor,
            lambda: self.lambda * factor,
            fargate: self.fargate * factor,
        }
    }
}

/// What a stretch of a run used, in billable units, whatever the mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Meter {
    /// Hours.
    pub hours: f64,
    /// Open shard-hours.
    pub shard_hours: f64,
    /// PUT payload units written.
    pub put_units: f64,
    /// Bytes written as on-demand bills them (each record rounded up to 1 KiB).
    pub od_in_bytes: f64,
    /// Bytes read through GetRecords.
    pub shared_out_bytes: f64,
    /// Bytes pushed to enhanced fan-out consumers.
    pub efo_bytes: f64,
    /// Enhanced fan-out consumer-shard-hours.
    pub efo_consumer_shard_hours: f64,
    /// Shard-hours with a retention beyond 24 h.
    pub extended_shard_hours: f64,
    /// Byte-hours held between 24 h and 7 days old.
    pub extended_byte_hours: f64,
    /// Byte-hours held beyond 7 days.
    pub long_term_byte_hours: f64,
    /// Bytes read that were older than 7 days.
    pub long_term_read_bytes: f64,
    /// Bytes by which each minute's data in fell short of Advantage's commitment.
    pub commitment_in_short_bytes: f64,
    /// Bytes by which each minute's data out fell short of it.
    pub commitment_out_short_bytes: f64,
    /// Lambda GB-seconds.
    pub lambda_gb_seconds: f64,
    /// Lambda invocations.
    pub lambda_requests: f64,
    /// Fargate vCPU-hours.
    pub vcpu_hours: f64,
    /// Fargate GB-hours of memory.
    pub memory_gb_hours: f64,
}

impl Meter {
    /// Applies `f` to each pair of fields of `self` and `other`.
    fn zip(&self, other: &Meter, f: impl Fn(f64, f64) -> f64) -> Meter {
        Meter {
            hours: f(self.hours, other.hours),
            shard_hours: f(self.shard_hours, other.shard_hours),
            put_units: f(self.put_units, other.put_units),
            od_in_bytes: f(self.od_in_bytes, other.od_in_bytes),
            shared_out_bytes: f(self.shared_out_bytes, other.shared_out_bytes),
            efo_bytes: f(self.efo_bytes, other.efo_bytes),
            efo_consumer_shard_hours: f(
                self.efo_consumer_shard_hours,
                other.efo_consumer_shard_hours,
            ),
            extended_shard_hours: f(self.extended_shard_hours, other.extended_shard_hours),
            extended_byte_hours: f(self.extended_byte_hours, other.extended_byte_hours),
            long_term_byte_hours: f(self.long_term_byte_hours, other.long_term_byte_hours),
            long_term_read_bytes: f(self.long_term_read_bytes, other.long_term_read_bytes),
            commitment_in_short_bytes: f(
                self.commitment_in_short_bytes,
                other.commitment_in_short_bytes,
            ),
            commitment_out_short_bytes: f(
                self.commitment_out_short_bytes,
                other.commitment_out_short_bytes,
            ),
            lambda_gb_seconds: f(self.lambda_gb_seconds, other.lambda_gb_seconds),
            lambda_requests: f(self.lambda_requests, other.lambda_requests),
            vcpu_hours: f(self.vcpu_hours, other.vcpu_hours),
            memory_gb_hours: f(self.memory_gb_hours, other.memory_gb_hours),
        }
    }

    /// The sum of two stretches.
    pub fn plus(&self, other: &Meter) -> Meter {
        self.zip(other, |a, b| a + b)
    }

    /// Adds `other` to `self`, field by field.
    pub fn add(&mut self, other: &Meter) {
        *self = self.plus(other);
    }

    /// What was used after `earlier` up to `self`.
    pub fn since(&self, earlier: &Meter) -> Meter {
        self.zip(earlier, |a, b| a - b)
    }

    /// This usage in dollars by line item, billed in `mode` at `prices`.
    pub fn price(&self, mode: CapacityMode, prices: &Prices) -> Spend {
        let p = prices;
        let gb = |bytes: f64| bytes / GB;
        let gb_months = |byte_hours: f64| byte_hours / GB / HOURS_PER_MONTH;
        let long_term = gb_months(self.long_term_byte_hours) * p.long_term_gb_month.usd;
        let old_reads = gb(self.long_term_read_bytes) * p.long_term_retrieval_gb.usd;
        let mut spend = Spend {
            lambda: self.lambda_gb_seconds * p.lambda_gb_second.usd
                + self.lambda_requests / 1e6 * p.lambda_million_requests.usd,
            fargate: self.vcpu_hours * p.fargate_vcpu_hour.usd
                + self.memory_gb_hours * p.fargate_gb_hour.usd,
            data_out: old_reads,
            ..Spend::default()
        };
        match mode {
            CapacityMode::Provisioned => {
                spend.capacity = self.shard_hours * p.shard_hour.usd;
                spend.data_in = self.put_units / 1e6 * p.put_million_units.usd;
                spend.retention =
                    self.extended_shard_hours * p.extended_retention_shard_hour.usd + long_term;
                spend.enhanced_fan_out = self.efo_consumer_shard_hours
                    * p.efo_consumer_shard_hour.usd
                    + gb(self.efo_bytes) * p.efo_gb.usd;
            }
            CapacityMode::OnDemand => {
                spend.capacity = self.hours * p.od_stream_hour.usd;
                spend.data_in = gb(self.od_in_bytes) * p.od_in_gb.usd;
                spend.data_out += gb(self.shared_out_bytes) * p.od_out_gb.usd;
                spend.retention =
                    gb_months(self.extended_byte_hours) * p.od_extended_gb_month.usd + long_term;
                spend.enhanced_fan_out = gb(self.efo_bytes) * p.od_efo_gb.usd;
            }
            CapacityMode::OnDemandAdvantage => {
                spend.data_in = gb(self.od_in_bytes) * p.oda_in_gb.usd;
                spend.data_out += gb(self.shared_out_bytes) * p.oda_out_gb.usd;
                spend.retention = gb_months(self.extended_byte_hours + self.long_term_byte_hours)
                    * p.oda_retention_gb_month.usd;
                spend.enhanced_fan_out = gb(self.efo_bytes) * p.oda_out_gb.usd;
                spend.commitment = gb(self.commitment_in_short_bytes) * p.oda_in_gb.usd
                    + gb(self.commitment_out_short_bytes) * p.oda_out_gb.usd;
            }
        }
        spend
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_units_round_up_per_25_kib_and_on_demand_per_kib() {
        assert_eq!(put_units(1), 1);
        assert_eq!(put_units(25_600), 1);
        assert_eq!(put_units(25_601), 2);
        assert_eq!(put_units(1_048_576), 41);
        assert_eq!(od_billed_bytes(1), 1_024);
        assert_eq!(od_billed_bytes(1_500), 2_048);
        assert_eq!(od_billed_bytes(51_200), 51_200);
    }

    #[test]
    fn an_hour_of_two_shards_with_a_lambda_and_two_tasks() {
        // Hand-computed: 2 shards × $0.015 = $0.030; 3.6 M records of 1 KiB = 3.6 M units ×
        // $0.014/M = $0.0504; Lambda 36,000 invocations of 120 ms at 256 MB = 1,080 GB-s ×
        // $0.0000166667 = $0.0180000 and $0.0072 of requests; 2 tasks of 0.5 vCPU / 1 GB =
        // 1 × $0.04048 + 2 × $0.004445 = $0.04937.
        let meter = Meter {
            hours: 1.0,
            shard_hours: 2.0,
            put_units: 3_600_000.0,
            lambda_gb_seconds: 36_000.0 * 0.12 * 0.25,
            lambda_requests: 36_000.0,
            vcpu_hours: 1.0,
            memory_gb_hours: 2.0,
            ..Meter::default()
        };
        let spend = meter.price(CapacityMode::Provisioned, &PRICES);
        assert!((spend.capacity - 0.030).abs() < 1e-12);
        assert!((spend.data_in - 0.0504).abs() < 1e-12);
        assert!(
            (spend.lambda - (0.018_000_036 + 0.0072)).abs() < 1e-9,
            "{}",
            spend.lambda
        );
        assert!((spend.fargate - 0.04937).abs() < 1e-12);
        assert_eq!(spend.retention, 0.0);
        assert!(
            (spend.total() - 0.154_970_036).abs() < 1e-9,
            "{}",
            spend.total()
        );
    }

    #[test]
    fn retention_beyond_a_day_and_beyond_a_week_is_charged() {
        // An hour of 4 shards keeping 30 days, 730 GiB held beyond a week, 365 GiB between
        // a day and a week old.
        let meter = Meter {
            hours: 1.0,
            shard_hours: 4.0,
            extended_shard_hours: 4.0,
            extended_byte_hours: 365.0 * GB,
            long_term_byte_hours: 730.0 * GB,
            ..Meter::default()
        };
        let retention = |mode| meter.price(mode, &PRICES).retention;
        // Provisioned: 4 × $0.020 extended + 730 GiB × $0.023 / 730 h.
        assert!((retention(CapacityMode::Provisioned) - (0.08 + 0.023)).abs() < 1e-12);
        // Standard: 365 GiB × $0.10 / 730 h + the same long-term $0.023.
        assert!((retention(CapacityMode::OnDemand) - (0.05 + 0.023)).abs() < 1e-12);
        // Advantage: all 1,095 GiB beyond a day at $0.023 / 730 h.
        let advantage = retention(CapacityMode::OnDemandAdvantage);
        assert!(
            (advantage - 1_095.0 * 0.023 / 730.0).abs() < 1e-12,
            "{advantage}"
        );
    }

    #[test]
    fn one_hour_of_traffic_in_each_mode() {
        // 1,000 records/s of 1,500 B for an hour on 2 shards (3.6 M records, 5.4 GB, each
        // billed as 2 KiB on demand: 7.3728 GB), read once through GetRecords and once by
        // an enhanced fan-out consumer.
        let bytes = 3.6e6 * 1_500.0;
        let meter = Meter {
            hours: 1.0,
            shard_hours: 2.0,
            put_units: 3.6e6,
            od_in_bytes: 3.6e6 * 2_048.0,
            shared_out_bytes: bytes,
            efo_bytes: bytes,
            efo_consumer_shard_hours: 2.0,
            // Each minute of the hour short of 25 MiB/s in and out.
            commitment_in_short_bytes: 25.0 * 1_048_576.0 * 3_600.0 - 3.6e6 * 2_048.0,
            commitment_out_short_bytes: 25.0 * 1_048_576.0 * 3_600.0 - 2.0 * bytes,
            ..Meter::default()
        };
        let [provisioned, standard, advantage] =
            CapacityMode::ALL.map(|mode| meter.price(mode, &PRICES));
        // Provisioned: $0.03 shards + $0.0504 units + $0.03 EFO shard-hours + 5.029 GiB ×
        // $0.013.
        assert!((provisioned.enhanced_fan_out - (0.03 + 0.065_378_845)).abs() < 1e-8);
        assert!(
            (provisioned.total() - 0.175_778_845).abs() < 1e-8,
            "{provisioned:?}"
        );
        // Standard: $0.04 stream-hour + 6.866 GiB × $0.08 + 5.029 GiB × ($0.04 + $0.05).
        assert!((standard.data_in - 0.549_316_406).abs() < 1e-8);
        assert!(
            (standard.total() - 1.041_939_178).abs() < 1e-8,
            "{standard:?}"
        );
        // Advantage: under the commitment, the hour bills 87.89 GiB in at $0.032 and out
        // at $0.016 whatever was used: $4.21875 (about $101 a day).
        assert!((advantage.commitment - (2.592_773_438 + 1.245_317_459)).abs() < 1e-8);
        assert!((advantage.total() - 4.218_75).abs() < 1e-8, "{advantage:?}");
        assert_eq!(advantage.capacity, 0.0, "no stream-hour");
    }
}
