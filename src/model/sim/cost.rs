//! What the run costs: each tick's usage metered, by the mode the stream was in, and
//! priced when asked — the run's own bill, its hourly rate over the last minute, and
//! what the same usage costs in each capacity mode.

use super::state::Fleet;
use super::Simulation;
use crate::model::config::{CapacityMode, ConsumerConfig, FanOut};
use crate::model::cost::{Meter, Spend, ADVANTAGE_COMMITMENT_MIBPS, PRICES};

/// Ages at which retention is billed as extended (24 h) and long-term (7 days), ms.
const EXTENDED_MS: u64 = 24 * 3_600_000;
const LONG_TERM_MS: u64 = 168 * 3_600_000;

impl Simulation {
    /// Meters this tick's usage (refreshing retained bytes by age each minute).
    pub(super) fn accrue_cost(&mut self, end: u64) {
        let retention_h = self.config.stream.retention_hours;
        let minute_end = end.is_multiple_of(60_000);
        if minute_end {
            self.held_bytes = if retention_h > 24 {
                let (mut day, mut week) = (0, 0);
                for s in self.topology.shards() {
                    day += s.log.bytes_before(end.saturating_sub(EXTENDED_MS));
                    week += s.log.bytes_before(end.saturating_sub(LONG_TERM_MS));
                }
                (day - week, week)
            } else {
                (0, 0)
            };
        }
        let hours = self.tick_ms as f64 / 3_600_000.0;
        let shards = f64::from(self.topology.layout().shards());
        let (put_units, od_bytes) = self.billed_now;
        let mut tick = Meter {
            hours,
            shard_hours: shards * hours,
            put_units: put_units as f64,
            od_in_bytes: od_bytes as f64,
            extended_shard_hours: if retention_h > 24 {
                shards * hours
            } else {
                0.0
            },
            extended_byte_hours: self.held_bytes.0 as f64 * hours,
            long_term_byte_hours: self.held_bytes.1 as f64 * hours,
            ..Meter::default()
        };
        let mut read = 0;
        for c in self.topology.consumers() {
            let bytes = c.tick.bytes_read as f64;
            read += c.tick.bytes_read;
            if c.config.fan_out() == FanOut::Enhanced {
                tick.efo_consumer_shard_hours += shards * hours;
                tick.efo_bytes += bytes;
            } else {
                tick.shared_out_bytes += bytes;
            }
            if c.tick.iterator_age_ms > LONG_TERM_MS {
                tick.long_term_read_bytes += bytes;
            }
            match (&c.config, &c.fleet) {
                (ConsumerConfig::Lambda(l), _) => {
                    tick.lambda_gb_seconds +=
                        c.tick.busy_ms as f64 / 1_000.0 * f64::from(l.memory_mb) / 1_024.0;
                    tick.lambda_requests += f64::from(c.tick.invocations);
                }
                (ConsumerConfig::Kcl(k), Fleet::Kcl(f)) => {
                    tick.vcpu_hours += f64::from(f.running) * k.vcpu * hours;
                    tick.memory_gb_hours += f64::from(f.running) * k.memory_gb * hours;
                }
                _ => {}
            }
        }
        // Advantage's commitment is settled each minute: what the minute's data in and
        // out fell short of 25 MiB/s each.
        self.minute_bytes.0 += od_bytes;
        self.minute_bytes.1 += read;
        if minute_end {
            let committed = ADVANTAGE_COMMITMENT_MIBPS * 1_048_576.0 * 60.0;
            let (written, read) = std::mem::take(&mut self.minute_bytes);
            tick.commitment_in_short_bytes = (committed - written as f64).max(0.0);
            tick.commitment_out_short_bytes = (committed - read as f64).max(0.0);
        }
        let mode = self.config.stream.mode as usize;
        self.used[mode] = self.used[mode].plus(&tick);
        self.meter = self.meter.plus(&tick);
        self.meter_window.push_back((end, self.meter));
        while self
            .meter_window
            .front()
            .is_some_and(|&(t, _)| t + 60_000 < end)
        {
            self.meter_window.pop_front();
        }
    }

    /// Dollars spent since the start, by line item: each stretch billed in the mode the
    /// stream was in.
    pub fn spend(&self) -> Spend {
        let mut total = Spend::default();
        for mode in CapacityMode::ALL {
            let part = self.used[mode as usize].price(mode, &PRICES);
            total = total.plus(&part);
        }
        total
    }

    /// What the run's usage so far costs billed wholly in each mode, in
    /// [`CapacityMode::ALL`]'s order: the same shards, traffic, reads, retention and
    /// consumers (a provisioned stream with the shards the run had).
    pub fn cost_by_mode(&self) -> [Spend; 3] {
        CapacityMode::ALL.map(|mode| self.meter.price(mode, &PRICES))
    }

    /// Everything the run has used so far, in billable units.
    pub fn meter(&self) -> Meter {
        self.meter
    }

    /// Current cost rate in dollars per hour in the mode in use, by line item (over the
    /// last minute).
    pub fn cost_per_hour(&self) -> Spend {
        let mode = self.config.stream.mode;
        match (self.meter_window.front(), self.meter_window.back()) {
            (Some(&(t0, first)), Some(&(t1, last))) if t1 > t0 => last
                .since(&first)
                .price(mode, &PRICES)
                .scaled(3_600_000.0 / (t1 - t0) as f64),
            // Too early for a window: the first tick's usage scaled to an hour.
            (_, Some(&(t1, last))) if t1 > 0 => {
                last.price(mode, &PRICES).scaled(3_600_000.0 / t1 as f64)
            }
            _ => Spend::default(),
        }
    }
}
