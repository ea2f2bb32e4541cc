//! The diagnosis in words: each typed finding of [`crate::model::diagnosis`] becomes one
//! or two sentences naming the cause and a remedy.

mod consumers;
mod lambda;
#[cfg(test)]
mod tests;
mod writes;

use serde::Serialize;

use crate::model::diagnosis::{self, Cause, Finding, MoreShards, ReshardProgress};
use crate::model::diagnosis::{Recent, Rule, Severity};
use crate::model::Simulation;

/// One diagnosis line for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advice {
    /// Which rule fired.
    pub rule: Rule,
    /// How bad it is.
    pub severity: Severity,
    /// The consumer it is about, if any.
    pub consumer: Option<String>,
    /// Cause and remedy in one or two sentences.
    pub message: String,
}

impl From<&Finding> for Advice {
    fn from(f: &Finding) -> Self {
        Advice {
            rule: f.rule,
            severity: f.severity,
            consumer: f.consumer.clone(),
            message: render(f),
        }
    }
}

/// The diagnosis of `sim` over the `recent` past in words, worst first. With nothing
/// wrong, one `Healthy` line.
pub fn diagnose(sim: &Simulation, recent: &Recent) -> Vec<Advice> {
    diagnosis::diagnose(sim, recent)
        .iter()
        .map(Advice::from)
        .collect()
}

/// The sentence for finding `f`.
pub fn render(f: &Finding) -> String {
    let name = f.consumer.as_deref().unwrap_or_default();
    match &f.cause {
        Cause::HotKey(c) => writes::hot_key(c),
        Cause::CrowdedKeys(c) => writes::crowded_keys(c),
        Cause::ThrottledNow(c) => writes::throttled_now(c),
        Cause::ThrottledLately(c) => writes::throttled_lately(c),
        Cause::ProducerDrops(c) => writes::producer_drops(c),
        Cause::Resharding(c) => writes::resharding(c),
        Cause::Healthy { worst_age_ms } => writes::healthy(*worst_age_ms),
        Cause::RecordsExpired(c) => consumers::records_expired(name, c),
        Cause::AgeNearRetention(c) => consumers::age_near_retention(name, c),
        Cause::TasksIdle(c) => consumers::tasks_idle(name, c),
        Cause::ShardsUnread(c) => consumers::shards_unread(name, c),
        Cause::TasksSaturated(c) => consumers::tasks_saturated(name, c),
        Cause::SharedReads(c) => consumers::shared_reads(c),
        Cause::Behind(c) => consumers::behind(name, c),
        Cause::LambdaErrors(c) => lambda::errors(name, c),
        Cause::LambdaCapped(c) => lambda::capped(name, c),
    }
}

/// A count for people: "12,345".
fn count(n: f64) -> String {
    crate::format::thousands(n.max(0.0).round() as u64)
}

/// A rate of records for people: whole numbers from 10 up, one decimal below (so half a
/// record a second reads "0.5", not "0").
fn per_s(n: f64) -> String {
    let n = n.max(0.0);
    if n >= 10.0 || (n - n.round()).abs() < 0.05 {
        count(n)
    } else if n >= 0.1 {
        format!("{n:.1}")
    } else {
        format!("{n:.2}")
    }
}

/// A duration for people: "850 ms", "6.0 min", "1.0 d".
fn hours(ms: f64) -> String {
    crate::format::duration_ms(ms)
}

/// A byte rate for people: "2.0 MiB/s".
fn rate(bytes_per_s: f64) -> String {
    crate::format::bytes_per_s(&bytes_per_s)
}

/// "1 shard", "3 shards".
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n as f64), if n == 1 { one } else { many })
}

/// "resharding 2 → 10: about 6.0 min to go".
fn status(r: &ReshardProgress) -> String {
    format!(
        "{} {} → {}: about {} to go",
        if r.on_demand {
            "on-demand scaling"
        } else {
            "resharding"
        },
        count(f64::from(r.from_shards)),
        count(f64::from(r.to_shards)),
        hours(r.left_ms as f64)
    )
}

/// The remedy for a consumer too slow for what arrives.
fn faster(more: &MoreShards) -> String {
    match more {
        MoreShards::Add | MoreShards::Fault { .. } => {
            "make the consumer faster or add shards".to_string()
        }
        MoreShards::Coming(r) => format!(
            "make the consumer faster; the reshard under way spreads the load ({})",
            status(r)
        ),
        MoreShards::NoHelp => "make the consumer faster".to_string(),
    }
}
