//! What steady traffic costs for a month in each capacity mode, and the throughputs where
//! the cheapest mode changes: the same [`Meter`] and prices as a run's bill.

use super::{
    od_billed_bytes, put_units, Meter, ADVANTAGE_COMMITMENT_MIBPS, HOURS_PER_MONTH, PRICES,
};
use crate::model::config::CapacityMode;

/// Steady traffic for a month: the model behind the cost-against-throughput chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Steady {
    /// MiB/s written.
    pub mib_per_s: f64,
    /// Bytes of each record (data and key).
    pub record_bytes: u64,
    /// Consumers reading through GetRecords.
    pub shared: u32,
    /// Consumers reading through enhanced fan-out.
    pub efo: u32,
    /// Retention, hours.
    pub retention_hours: u32,
}

impl Steady {
    /// Bytes written per second.
    fn bytes_per_s(&self) -> f64 {
        self.mib_per_s * 1_048_576.0
    }

    /// Records written per second.
    fn records_per_s(&self) -> f64 {
        self.bytes_per_s() / self.record_bytes.max(1) as f64
    }

    /// The provisioned shards that carry it exactly: enough for its bytes and its
    /// records, 1 at least.
    pub fn shards(&self) -> f64 {
        (self.bytes_per_s() / 1_048_576.0)
            .max(self.records_per_s() / 1_000.0)
            .ceil()
            .max(1.0)
    }

    /// A month (730 h) of it, in billable units.
    pub fn meter(&self) -> Meter {
        let secs = HOURS_PER_MONTH * 3_600.0;
        let (bytes, records) = (self.bytes_per_s(), self.records_per_s());
        let shard_hours = self.shards() * HOURS_PER_MONTH;
        let readers = f64::from(self.shared + self.efo);
        let in_billed = records * od_billed_bytes(self.record_bytes) as f64;
        let committed = ADVANTAGE_COMMITMENT_MIBPS * 1_048_576.0;
        let ret = f64::from(self.retention_hours);
        Meter {
            hours: HOURS_PER_MONTH,
            shard_hours,
            put_units: records * put_units(self.record_bytes) as f64 * secs,
            od_in_bytes: in_billed * secs,
            shared_out_bytes: f64::from(self.shared) * bytes * secs,
            efo_bytes: f64::from(self.efo) * bytes * secs,
            efo_consumer_shard_hours: f64::from(self.efo) * shard_hours,
            extended_shard_hours: if ret > 24.0 { shard_hours } else { 0.0 },
            // What a steady stream holds: the bytes of each age band of its retention.
            extended_byte_hours: bytes
                * 3_600.0
                * (ret.min(168.0) - 24.0).max(0.0)
                * HOURS_PER_MONTH,
            long_term_byte_hours: bytes * 3_600.0 * (ret - 168.0).max(0.0) * HOURS_PER_MONTH,
            commitment_in_short_bytes: (committed - in_billed).max(0.0) * secs,
            commitment_out_short_bytes: (committed - readers * bytes).max(0.0) * secs,
            ..Meter::default()
        }
    }

    /// The stream's bill for the month in each mode, in [`CapacityMode::ALL`]'s order.
    pub fn month(&self) -> [f64; 3] {
        let meter = self.meter();
        CapacityMode::ALL.map(|mode| meter.price(mode, &PRICES).stream())
    }

    /// The cheapest mode at this throughput.
    pub fn cheapest(&self) -> CapacityMode {
        let month = self.month();
        let best = (1..3).fold(0, |b, i| if month[i] < month[b] { i } else { b });
        CapacityMode::ALL[best]
    }

    /// Where two modes' monthly bills cross, up to `most` MiB/s: each throughput with
    /// the mode that is cheaper above it and the one it overtakes, in order. Found on a
    /// grid of 400 steps, then to 0.1 %.
    pub fn crossings(&self, most: f64) -> Vec<(f64, CapacityMode, CapacityMode)> {
        let gap = |mib_per_s: f64, a: usize, b: usize| {
            let month = Steady { mib_per_s, ..*self }.month();
            month[a] - month[b]
        };
        let mut out = Vec::new();
        let step = most / 400.0;
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            for i in 1..400 {
                let (lo, hi) = (step * f64::from(i), step * f64::from(i + 1));
                let (g0, g1) = (gap(lo, a, b), gap(hi, a, b));
                if (g0 < 0.0) == (g1 < 0.0) {
                    continue;
                }
                let (mut lo, mut hi) = (lo, hi);
                while hi - lo > 1e-3 * hi {
                    let mid = (lo + hi) / 2.0;
                    if (gap(mid, a, b) < 0.0) == (g0 < 0.0) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                // Above the crossing, `a` is cheaper when its gap turned negative.
                let (cheaper, dearer) = if g1 < 0.0 { (a, b) } else { (b, a) };
                out.push((hi, CapacityMode::ALL[cheaper], CapacityMode::ALL[dearer]));
            }
        }
        crate::model::order::sort_by_key(&mut out, |c| (c.0 * 1e6) as u64);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1 KiB records read by one GetRecords consumer, kept a day.
    fn kib(mib_per_s: f64) -> Steady {
        Steady {
            mib_per_s,
            record_bytes: 1_024,
            shared: 1,
            efo: 0,
            retention_hours: 24,
        }
    }

    #[test]
    fn a_month_of_1_mib_s_in_each_mode_by_hand() {
        // 1,024 records/s: 2 shards; a month carries 2,566.4 GiB (2^20 B/s × 2,628,000 s).
        let gib = 2_566.406_25;
        let [provisioned, standard, advantage] = kib(1.0).month();
        let units = 1_024.0 * 2_628_000.0 * 0.014 / 1e6;
        assert!((provisioned - (2.0 * 730.0 * 0.015 + units)).abs() < 1e-6);
        assert!((standard - (730.0 * 0.04 + gib * (0.08 + 0.04))).abs() < 1e-6);
        // Advantage bills its 25 MiB/s commitment each way.
        assert!((advantage - 25.0 * gib * (0.032 + 0.016)).abs() < 1e-6);
    }

    #[test]
    fn advantage_overtakes_standard_near_10_mib_s_and_provisioned_stays_cheapest() {
        // Standard: $29.20 + $307.97 per MiB/s; Advantage: $3,079.69 below 25 MiB/s.
        let crossings = kib(1.0).crossings(50.0);
        assert_eq!(crossings.len(), 1, "{crossings:?}");
        let (x, cheaper, dearer) = crossings[0];
        let want = (3_079.687_5 - 29.2) / 307.968_75;
        assert!((x - want).abs() < 0.01 * want, "{x} vs {want}");
        assert_eq!(
            (cheaper, dearer),
            (CapacityMode::OnDemandAdvantage, CapacityMode::OnDemand)
        );
        assert_eq!(kib(40.0).cheapest(), CapacityMode::Provisioned);
    }

    #[test]
    fn small_records_fill_shards_by_count_and_on_demand_bills_each_as_1_kb() {
        let small = Steady {
            record_bytes: 100,
            ..kib(1.0)
        };
        // 10,485.76 records/s: 11 shards by count, though 1 MiB/s would fit one.
        assert_eq!(small.shards(), 11.0);
        let meter = small.meter();
        assert!((meter.od_in_bytes / meter.shared_out_bytes - 10.24).abs() < 1e-9);
    }
}
