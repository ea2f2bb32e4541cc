//! What the run costs: each tick's usage priced into the spend, and the hourly rate
//! over the last minute.

use super::state::Fleet;
use super::Simulation;
use crate::model::config::{ConsumerConfig, FanOut};
use crate::model::cost::{Spend, Usage, PRICES};

impl Simulation {
    /// Adds this tick's spend and keeps a minute of history for the hourly rate.
    pub(super) fn accrue_cost(&mut self, end: u64) {
        let retention_h = self.config.stream.retention_hours;
        if retention_h > 168 && end.is_multiple_of(60_000) {
            let cutoff = end.saturating_sub(168 * 3_600_000);
            self.long_term_bytes = self
                .topology
                .shards()
                .iter()
                .map(|s| s.log.bytes_before(cutoff))
                .sum();
        }
        let mut usage = Usage {
            hours: self.tick_ms as f64 / 3_600_000.0,
            shards: self.topology.layout().shards(),
            put_units: self.put_units_now,
            retention_hours: retention_h,
            long_term_bytes: if retention_h > 168 {
                self.long_term_bytes
            } else {
                0
            },
            ..Usage::default()
        };
        for c in self.topology.consumers() {
            if c.config.fan_out() == FanOut::Enhanced {
                usage.efo_consumers += 1;
                usage.efo_bytes += c.tick.bytes_read;
            }
            match (&c.config, &c.fleet) {
                (ConsumerConfig::Lambda(l), _) => {
                    usage.lambda_gb_seconds +=
                        c.tick.busy_ms as f64 / 1_000.0 * f64::from(l.memory_mb) / 1_024.0;
                    usage.lambda_requests += u64::from(c.tick.invocations);
                }
                (ConsumerConfig::Kcl(k), Fleet::Kcl(f)) => {
                    usage.vcpus += f64::from(f.running) * k.vcpu;
                    usage.memory_gb += f64::from(f.running) * k.memory_gb;
                }
                _ => {}
            }
        }
        self.spend.accrue(&usage, &PRICES);
        self.spend_window.push_back((end, self.spend));
        while self
            .spend_window
            .front()
            .is_some_and(|&(t, _)| t + 60_000 < end)
        {
            self.spend_window.pop_front();
        }
    }

    /// Dollars spent since the start, by line item.
    pub fn spend(&self) -> Spend {
        self.spend
    }

    /// Current cost rate in dollars per hour, by line item (over the last minute).
    pub fn cost_per_hour(&self) -> Spend {
        match (self.spend_window.front(), self.spend_window.back()) {
            (Some(&(t0, first)), Some(&(t1, last))) if t1 > t0 => {
                last.rate_since(&first, 3_600_000.0 / (t1 - t0) as f64)
            }
            // Too early for a window: the first tick's spend scaled to an hour.
            (_, Some(&(t1, last))) if t1 > 0 => {
                last.rate_since(&Spend::default(), 3_600_000.0 / t1 as f64)
            }
            _ => Spend::default(),
        }
    }
}
