//! A replay's repeated periods taken whole by a sampler: what adding them tick by tick
//! would give, where that is the same to the bit.

use super::{tick_samples, Fold, Sampler};
use crate::model::cloudwatch::Samples;
#[cfg(not(target_arch = "wasm32"))]
use crate::model::config::Config;
use crate::model::metrics::TickMetrics;
#[cfg(not(target_arch = "wasm32"))]
use crate::model::sim::TickSink;

/// An interval with periods added whole ([`Sampler::prepare_again`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Again {
    current: Vec<f64>,
    samples: Vec<Samples>,
    ticks: u32,
    last_ms: u64,
}

impl Sampler {
    /// Adds the ticks of `period` (in order, the last ones given to [`Sampler::add`])
    /// `times` times more, the last ending at `end_ms`, as adding them one by one
    /// would: a maximum, a minimum or a last value is what the period left it (a period
    /// folded again changes none of them), `t_s` is the end, and a sum (and a
    /// CloudWatch statistic's sum and count of samples) grows by `times` the period's.
    /// Returns `false`, changing nothing, where that would not be the same to the bit:
    /// a sum that is not of whole numbers or may pass 2^53, where `f64` stops counting
    /// exactly.
    pub fn again<'a>(
        &mut self,
        period: impl Iterator<Item = &'a TickMetrics>,
        times: u64,
        end_ms: u64,
    ) -> bool {
        match self.prepare_again(period, times, end_ms) {
            Some(again) => {
                self.apply_again(again);
                true
            }
            None => false,
        }
    }

    /// What [`Sampler::again`] would make of the interval, or `None` where it would
    /// refuse; changes nothing but the row buffer.
    pub fn prepare_again<'a>(
        &mut self,
        period: impl Iterator<Item = &'a TickMetrics>,
        times: u64,
        end_ms: u64,
    ) -> Option<Again> {
        const EXACT: u128 = 1 << 53;
        if self.ticks == 0 {
            return None;
        }
        let mut sums = vec![0_u64; self.columns.len()];
        let mut samples: Vec<Samples> = self
            .samples
            .iter()
            .flatten()
            .map(|_| Samples::default())
            .collect();
        let rows: Vec<&TickMetrics> = period.collect();
        let span = end_ms.checked_sub(self.last_ms)?;
        let each = (rows.len() as u64).checked_mul(times).filter(|&n| n > 0)?;
        if span % each != 0 {
            return None;
        }
        let seconds = (span / each) as f64 / 1_000.0;
        for m in rows {
            // A replay's settings hold still: its ticks have the consumers the first
            // period's ticks, given to `add`, had.
            debug_assert_eq!(m.consumers.len(), self.groups.following());
            self.groups.row(m, &mut self.row);
            for ((sum, &v), &f) in sums.iter_mut().zip(&self.row).zip(&self.folds) {
                if f != Fold::Sum || v.is_nan() {
                    continue;
                }
                if v < 0.0 || v.fract() != 0.0 || u128::from(*sum) + v as u128 >= EXACT {
                    return None;
                }
                *sum += v as u64;
            }
            let watched = self
                .samples
                .iter()
                .enumerate()
                .filter_map(|(c, s)| s.map(|s| (c, s)));
            for ((c, (_, counted, kind)), period) in watched.zip(&mut samples) {
                if let Some(tick) = tick_samples(&self.row, c, counted, kind, seconds) {
                    if !tick.whole() {
                        return None;
                    }
                    period.merge(&tick);
                }
            }
        }
        let count = u32::try_from(u64::from(self.ticks) + each).ok()?;
        let mut current = self.current.clone();
        for ((acc, &sum), &f) in current.iter_mut().zip(&sums).zip(&self.folds) {
            if f != Fold::Sum || sum == 0 {
                continue;
            }
            // A column with values in the period holds one (not NO_VALUE) since it.
            let whole = *acc >= 0.0 && acc.fract() == 0.0 && (*acc as u128) < EXACT;
            if !(whole && (*acc as u128) + u128::from(sum) * u128::from(times) < EXACT) {
                return None;
            }
            *acc += (sum * times) as f64;
        }
        if let Some(t) = current.first_mut() {
            *t = end_ms as f64 / 1_000.0;
        }
        let watched = self.samples.iter().flatten().map(|s| &s.0);
        let samples = watched
            .zip(&samples)
            .map(|(now, period)| now.repeated(period, times))
            .collect::<Option<Vec<_>>>()?;
        Some(Again {
            current,
            samples,
            ticks: count,
            last_ms: end_ms,
        })
    }

    /// Makes the interval what [`Sampler::prepare_again`] worked out.
    pub fn apply_again(&mut self, again: Again) {
        self.current = again.current;
        for (slot, now) in self.samples.iter_mut().flatten().zip(again.samples) {
            slot.0 = now;
        }
        self.ticks = again.ticks;
        self.last_ms = again.last_ms;
    }
}

/// A run's ticks go straight into the samples; a replay's repeated periods whole where
/// [`Sampler::again`] takes them. (The command line's only: left out of the page's
/// module, where it would cost bytes for nothing.)
#[cfg(not(target_arch = "wasm32"))]
impl TickSink for Sampler {
    fn tick(&mut self, metrics: &TickMetrics, config: &Config) {
        self.add(metrics, config.consumers.iter().map(|c| c.name()));
    }

    fn again(
        &mut self,
        period: &mut dyn Iterator<Item = &TickMetrics>,
        times: u64,
        end_ms: u64,
    ) -> bool {
        Sampler::again(self, period, times, end_ms)
    }
}
