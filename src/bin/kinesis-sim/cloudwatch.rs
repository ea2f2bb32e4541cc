//! `run --format cloudwatch`: every CloudWatch metric of the run as CloudWatch would
//! show it, one CSV row per datapoint ([`kinesis_playground::share::cloudwatch`]), each
//! period's rows written as it closes; `--shard-level` adds each shard's
//! enhanced-monitoring metrics.

use std::io::Write;

use kinesis_playground::model::cloudwatch::Statistic;
use kinesis_playground::model::series::{metrics, Sampler};
use kinesis_playground::model::shard_metrics::ShardSampler;
use kinesis_playground::model::Simulation;
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
    let (stream, period_s) = (plan.stream_name.as_str(), plan.every_s);
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
    for tick in 1..=total_ticks {
        sim.step();
        for sampler in &mut samplers {
            let names = sim.config().consumers.iter().map(|c| c.name());
            sampler.add(sim.metrics(), names);
        }
        if shard_level {
            shards.add(sim.shard_metrics(), tick_s as f64);
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
