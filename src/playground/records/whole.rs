//! A replay's repeated periods taken into the page's records at once: the histories
//! whole, the last minute and the alarms tick by tick, and each shard's smoothed
//! utilisation a period at a time until a period leaves it as it found it.

use super::super::alarms::note_alarms;
use super::super::app::names;
use super::{smooth, Records};
use crate::model::metrics::TickMetrics;
use crate::model::sim::TickSink;
use crate::model::{Config, ConsumerConfig};

/// [`Records`] with the shards' smoothed utilisation and the consumers' names.
pub(in super::super) struct Whole<'a> {
    pub records: Records<'a>,
    pub utilisation: &'a mut Vec<f64>,
    /// The consumers' names, in order, for the periods taken whole (read from the
    /// settings of the ticks before them).
    pub names: Vec<String>,
}

impl TickSink for Whole<'_> {
    fn tick(&mut self, metrics: &TickMetrics, config: &Config) {
        if self.names.len() != config.consumers.len() {
            self.names = names(config);
        }
        self.records
            .add(metrics, config.consumers.iter().map(ConsumerConfig::name));
    }

    fn utilisation(&mut self, now: &[f64]) {
        smooth(self.utilisation, now);
    }

    /// The histories take the periods whole; the last minute and the alarms take each
    /// tick.
    fn again(
        &mut self,
        period: &mut dyn Iterator<Item = &TickMetrics>,
        times: u64,
        end_ms: u64,
    ) -> bool {
        let mut ticks: Vec<TickMetrics> = period.cloned().collect();
        let n = self.records.consumers.len();
        if ticks.is_empty() || ticks.iter().any(|m| m.consumers.len() != n) {
            return false;
        }
        self.records.stream.add_again(&ticks, times);
        for (i, store) in self.records.consumers.iter_mut().enumerate() {
            store.add_consumer_again(ticks.iter().map(|m| &m.consumers[i]), times);
        }
        let q = ticks.len() as u64;
        let dt_ms = self.records.tick_s * 1_000;
        let mut t_ms = end_ms - times * q * dt_ms;
        for k in 0..times * q {
            t_ms += dt_ms;
            let m = &mut ticks[(k % q) as usize];
            m.t_ms = t_ms;
            self.records.recent.add(m, self.records.tick_s);
            let names = self.names.iter().map(String::as_str);
            note_alarms(self.records.alarms, self.records.marks, m, names);
        }
        true
    }

    /// Each shard is smoothed a period at a time until a period leaves it as it found
    /// it: every later one does too.
    fn utilisation_again(&mut self, period: &mut dyn Iterator<Item = &[f64]>, times: u64) {
        let period: Vec<&[f64]> = period.collect();
        let shards = self.utilisation.len();
        if period.iter().any(|now| now.len() != shards) {
            for _ in 0..times {
                for now in &period {
                    smooth(self.utilisation, now);
                }
            }
            return;
        }
        for (s, u) in self.utilisation.iter_mut().enumerate() {
            for _ in 0..times {
                let before = *u;
                for now in &period {
                    *u = 0.9 * *u + 0.1 * now[s];
                }
                if u.to_bits() == before.to_bits() {
                    break;
                }
            }
        }
    }
}
