//! `run --format cloudwatch`: every CloudWatch metric of the run as CloudWatch would
//! show it, one CSV row per datapoint ([`kinesis_playground::share::cloudwatch`]), each
//! period's rows written as it closes; `--shard-level` adds each shard's
//! enhanced-monitoring metrics.

use std::io::Write;

use kinesis_playground::model::cloudwatch::Statistic;
use kinesis_playground::model::series::{metrics, Sampler};
use kinesis_playground::model::shard_metrics::ShardSampler;
use kinesis_playground::model::sim::TickSink;
use kinesis_playground::model::{Config, Simulation, TickMetrics};
use kinesis_playground::share::cloudwatch::{
    row, source, usual_statistic, Datapoint, Source, HEADER,
};

use crate::commands::{Failure, RunPlan};

/// A series column CloudWatch has datapoints of: the metric, the consumer it belongs
/// to (if any), and which sampler holds the statistic it is read with.
struct Column {
    index: usize,
    metric: &'static str,
    consumer: Option<String>,
    statistic: Statistic,
    sampler: usize,
}

/// The columns of `columns` (for `consumers` consumers) CloudWatch has, each read with
/// the statistic asked for or, without one, the metric's usual one (Sum or Maximum).
fn cloudwatch_columns(columns: &[String], consumers: usize, stats: &[Statistic]) -> Vec<Column> {
    let mut kept = Vec::new();
    for (index, (column, metric)) in columns.iter().zip(metrics(consumers)).enumerate() {
        let consumer = column
            .strip_suffix(metric)
            .and_then(|c| c.strip_suffix('.'))
            .map(str::to_string);
        if source(metric, consumer.as_deref()).is_none() {
            continue;
        }
        let statistic = match stats {
            [only] => *only,
            _ => usual_statistic(metric),
        };
        let sampler = stats.iter().position(|s| *s == statistic).unwrap_or(0);
        kept.push(Column {
            index,
            metric,
            consumer,
            statistic,
            sampler,
        });
    }
    kept
}

/// Runs `plan` and writes its datapoints, period by period, under `HEADER`.
pub fn run(
    plan: RunPlan,
    stat: Option<Statistic>,
    shard_level: bool,
    names: &[String],
    out: &mut impl Write,
) -> Result<(), Failure> {
    let stats = match stat {
        Some(s) => vec![s],
        None => vec![Statistic::Sum, Statistic::Maximum],
    };
    let mut samplers: Vec<Sampler> = stats
        .iter()
        .map(|&s| Sampler::with_statistic(names, s))
        .collect();
    let columns = cloudwatch_columns(&samplers[0].columns, names.len(), &stats);
    let shard_stat = |metric: &str| stat.unwrap_or_else(|| usual_statistic(metric));
    let (stream, period_s, every_tick) = (plan.stream_name.as_str(), plan.every_s, plan.every_tick);
    let mut sim = Simulation::new(plan.config).map_err(|e| e.to_string())?;
    if shard_level {
        sim.watch_shards();
    }
    let tick_s = u64::from(sim.config().tick_s);
    let (ticks_per_period, total_ticks) = (period_s / tick_s, plan.duration_s / tick_s);
    let mut shards = ShardSampler::default();
    let mut rows: Vec<Vec<f64>> = vec![Vec::new(); stats.len()];
    let mut line = String::new();
    let mut start_ms = 0;
    out.write_all(HEADER.as_bytes())?;
    let mut tick = 0;
    while tick < total_ticks {
        if shard_level || every_tick {
            // Each shard's numbers are read after each tick (or every tick is asked to
            // be worked out): one by one.
            sim.step();
            for sampler in &mut samplers {
                sampler.tick(sim.metrics(), sim.config());
            }
            if shard_level {
                shards.add(sim.shard_metrics(), tick_s as f64);
            }
            tick += 1;
        } else {
            // A period's ticks at once: quiet stretches are replayed, and their repeats
            // go into the samples whole.
            let n = (ticks_per_period - tick % ticks_per_period).min(total_ticks - tick);
            sim.run_ticks_into(n, &mut Every(&mut samplers));
            tick += n;
        }
        if tick % ticks_per_period != 0 && tick != total_ticks {
            continue;
        }
        for (sampler, kept) in samplers.iter_mut().zip(&mut rows) {
            kept.clear();
            kept.extend_from_slice(sampler.flush().unwrap_or_default());
        }
        line.clear();
        for c in &columns {
            let value = rows[c.sampler].get(c.index).copied().unwrap_or(f64::NAN);
            let Some(source) = source(c.metric, c.consumer.as_deref()) else {
                continue;
            };
            if value.is_nan() {
                continue;
            }
            let point = Datapoint {
                start_ms,
                period_s,
                metric: c.metric,
                source,
                statistic: c.statistic,
                value,
            };
            row(&mut line, stream, &point);
        }
        shards.take(shard_stat, |id, metric, value| {
            let point = Datapoint {
                start_ms,
                period_s,
                metric,
                source: Source::Shard(id),
                statistic: shard_stat(metric),
                value,
            };
            row(&mut line, stream, &point);
        });
        out.write_all(line.as_bytes())?;
        start_ms = sim.now_ms();
    }
    Ok(())
}

/// Every sampler of a run: a replay's repeated periods go into them whole only when
/// each of them takes them so.
struct Every<'a>(&'a mut [Sampler]);

impl TickSink for Every<'_> {
    fn tick(&mut self, metrics: &TickMetrics, config: &Config) {
        for sampler in self.0.iter_mut() {
            sampler.tick(metrics, config);
        }
    }

    fn again(
        &mut self,
        period: &mut dyn Iterator<Item = &TickMetrics>,
        times: u64,
        end_ms: u64,
    ) -> bool {
        let period: Vec<&TickMetrics> = period.collect();
        let prepared: Option<Vec<_>> = self
            .0
            .iter_mut()
            .map(|s| s.prepare_again(period.iter().copied(), times, end_ms))
            .collect();
        let Some(prepared) = prepared else {
            return false;
        };
        for (sampler, again) in self.0.iter_mut().zip(prepared) {
            sampler.apply_again(again);
        }
        true
    }
}
