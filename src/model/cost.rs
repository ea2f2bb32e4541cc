//! What the running configuration costs: prices as data, spend accrued per tick.
//!
//! Prices are us-east-1 list prices for provisioned mode, each with its source and the
//! date it was read. The simulation accrues spend every tick from what actually
//! happened (open shards, PUT payload units written, Lambda busy time and requests,
//! running tasks), and reports the rate over the last minute as $/hour.

use serde::Serialize;

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
    /// Extended retention (24 h to 7 days), per shard-hour.
    pub extended_retention_shard_hour: Price,
    /// Long-term retention (beyond 7 days), per GB-month.
    pub long_term_gb_month: Price,
    /// Enhanced fan-out, per consumer-shard-hour.
    pub efo_consumer_shard_hour: Price,
    /// Enhanced fan-out data retrieved, per GB.
    pub efo_gb: Price,
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
const LAMBDA_WP: &str = "AWS whitepaper 'How AWS Pricing Works', Lambda";
const FARGATE: &str = "third-party Fargate pricing summaries (vantage.sh, wring.co, factualminds)";

/// The prices in use (us-east-1, provisioned mode).
pub const PRICES: Prices = Prices {
    shard_hour: Price {
        usd: 0.015,
        unit: "shard-hour",
        source: THIRD_PARTY,
        date: "2026-03-10",
    },
    put_million_units: Price {
        usd: 0.014,
        unit: "million PUT payload units",
        source: THIRD_PARTY,
        date: "2026-03-10",
    },
    extended_retention_shard_hour: Price {
        usd: 0.020,
        unit: "shard-hour of extended retention",
        source: THIRD_PARTY,
        date: "2026-03-10",
    },
    long_term_gb_month: Price {
        usd: 0.023,
        unit: "GB-month beyond 7 days",
        source: "AWS Big Data blog, On-demand Advantage",
        date: "2026-03-09",
    },
    efo_consumer_shard_hour: Price {
        usd: 0.015,
        unit: "consumer-shard-hour",
        source: THIRD_PARTY,
        date: "2026-03-10",
    },
    efo_gb: Price {
        usd: 0.013,
        unit: "GB retrieved",
        source: THIRD_PARTY,
        date: "2026-03-10",
    },
    lambda_gb_second: Price {
        usd: 0.000_016_666_7,
        unit: "GB-second",
        source: LAMBDA_WP,
        date: "2026-11-01",
    },
    lambda_million_requests: Price {
        usd: 0.20,
        unit: "million requests",
        source: LAMBDA_WP,
        date: "2026-11-01",
    },
    fargate_vcpu_hour: Price {
        usd: 0.040_48,
        unit: "vCPU-hour",
        source: FARGATE,
        date: "2026-06-01",
    },
    fargate_gb_hour: Price {
        usd: 0.004_445,
        unit: "GB-hour",
        source: FARGATE,
        date: "2026-06-01",
    },
};

/// Bytes in one PUT payload unit.
pub const PUT_UNIT_BYTES: u64 = 25 * 1_024;
/// Hours in the month used for GB-month prices and $/month figures.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// PUT payload units one record of `bytes` bytes uses.
pub fn put_units(bytes: u64) -> u64 {
    bytes.div_ceil(PUT_UNIT_BYTES).max(1)
}

/// Dollars by line item (a running total, or a rate per hour).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spend {
    /// Shard-hours.
    pub shards: f64,
    /// PUT payload units.
    pub put_units: f64,
    /// Extended and long-term retention.
    pub retention: f64,
    /// Enhanced fan-out consumer-shard-hours and data.
    pub enhanced_fan_out: f64,
    /// Lambda duration and requests.
    pub lambda: f64,
    /// Fargate tasks running KCL.
    pub fargate: f64,
}

impl Spend {
    /// The line items in order: shards, PUT units, retention, enhanced fan-out, Lambda,
    /// Fargate.
    pub fn items(&self) -> [f64; 6] {
        [
            self.shards,
            self.put_units,
            self.retention,
            self.enhanced_fan_out,
            self.lambda,
            self.fargate,
        ]
    }

    /// Sum of all line items.
    pub fn total(&self) -> f64 {
        self.items().iter().sum()
    }

    /// `self − earlier`, item by item, scaled by `factor`.
    pub fn rate_since(&self, earlier: &Spend, factor: f64) -> Spend {
        Spend {
            shards: (self.shards - earlier.shards) * factor,
            put_units: (self.put_units - earlier.put_units) * factor,
            retention: (self.retention - earlier.retention) * factor,
            enhanced_fan_out: (self.enhanced_fan_out - earlier.enhanced_fan_out) * factor,
            lambda: (self.lambda - earlier.lambda) * factor,
            fargate: (self.fargate - earlier.fargate) * factor,
        }
    }
}

/// What one tick used, in billable units.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    /// Tick length in hours.
    pub hours: f64,
    /// Open shards.
    pub shards: u32,
    /// PUT payload units written.
    pub put_units: u64,
    /// Retention in hours.
    pub retention_hours: u32,
    /// Bytes retained beyond 7 days (over all shards).
    pub long_term_bytes: u64,
    /// Enhanced fan-out consumers.
    pub efo_consumers: u32,
    /// Bytes those consumers received.
    pub efo_bytes: u64,
    /// Lambda GB-seconds.
    pub lambda_gb_seconds: f64,
    /// Lambda invocations.
    pub lambda_requests: u64,
    /// Fargate vCPUs running.
    pub vcpus: f64,
    /// Fargate memory running, GB.
    pub memory_gb: f64,
}

impl Spend {
    /// Adds the cost of one tick's `usage` at `prices`.
    pub fn accrue(&mut self, usage: &Usage, prices: &Prices) {
        let h = usage.hours;
        let shards = f64::from(usage.shards);
        self.shards += shards * h * prices.shard_hour.usd;
        self.put_units += usage.put_units as f64 / 1e6 * prices.put_million_units.usd;
        if usage.retention_hours > 24 {
            self.retention += shards * h * prices.extended_retention_shard_hour.usd;
        }
        self.retention += usage.long_term_bytes as f64 / 1e9 * h / HOURS_PER_MONTH
            * prices.long_term_gb_month.usd;
        self.enhanced_fan_out +=
            f64::from(usage.efo_consumers) * shards * h * prices.efo_consumer_shard_hour.usd
                + usage.efo_bytes as f64 / 1e9 * prices.efo_gb.usd;
        self.lambda += usage.lambda_gb_seconds * prices.lambda_gb_second.usd
            + usage.lambda_requests as f64 / 1e6 * prices.lambda_million_requests.usd;
        self.fargate += h
            * (usage.vcpus * prices.fargate_vcpu_hour.usd
                + usage.memory_gb * prices.fargate_gb_hour.usd);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_units_round_up_per_25_kib() {
        assert_eq!(put_units(1), 1);
        assert_eq!(put_units(25_600), 1);
        assert_eq!(put_units(25_601), 2);
        assert_eq!(put_units(1_048_576), 41);
    }

    #[test]
    fn an_hour_of_two_shards_with_a_lambda_and_two_tasks() {
        // Hand-computed: 2 shards × $0.015 = $0.030; 3.6 M records of 1 KiB = 3.6 M units ×
        // $0.014/M = $0.0504; Lambda 36,000 invocations of 120 ms at 256 MB = 1,080 GB-s ×
        // $0.0000166667 = $0.0180000 and $0.0072 of requests; 2 tasks of 0.5 vCPU / 1 GB =
        // 1 × $0.04048 + 2 × $0.004445 = $0.04937.
        let usage = Usage {
            hours: 1.0,
            shards: 2,
            put_units: 3_600_000,
            retention_hours: 24,
            lambda_gb_seconds: 36_000.0 * 0.12 * 0.25,
            lambda_requests: 36_000,
            vcpus: 1.0,
            memory_gb: 2.0,
            ..Usage::default()
        };
        let mut spend = Spend::default();
        spend.accrue(&usage, &PRICES);
        assert!((spend.shards - 0.030).abs() < 1e-12);
        assert!((spend.put_units - 0.0504).abs() < 1e-12);
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
        let mut spend = Spend::default();
        let usage = Usage {
            hours: 1.0,
            shards: 4,
            retention_hours: 720,
            long_term_bytes: 730_000_000_000,
            ..Usage::default()
        };
        spend.accrue(&usage, &PRICES);
        // 4 × $0.020 extended + 730 GB × $0.023 / 730 h.
        assert!(
            (spend.retention - (0.08 + 0.023)).abs() < 1e-12,
            "{}",
            spend.retention
        );
    }
}
