//! Live diagnosis: typed findings, each naming a rule, how bad it is and the numbers
//! behind it, computed from the metrics only. The last minute says what is happening
//! now; a compact record of the last hour keeps a problem that comes and goes in view
//! between its bursts. The words for people are the
//! teaching module's.

mod cause;
mod consumer_cause;
mod consumers;
mod kcl;
mod lambda;
mod load;
mod recent;
mod reshard;
mod writes;

use serde::Serialize;

use super::sim::Simulation;

pub use cause::*;
pub use consumer_cause::*;
pub use recent::{Recent, HOUR_MINUTES, WINDOW_S};
pub use reshard::{reshard_plan, ReshardPlan};
pub use writes::SMALL_RECORD_BYTES;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A share of write attempts was throttled (in the last minute, or in bursts over
    /// the last hour).
    WriteThrottling,
    /// Producers gave up on records.
    ProducerDrops,
    /// One shard at its limit while the others have room.
    HotShard,
    /// A consumer's iterator age is a large part of the retention.
    IteratorAgeNearRetention,
    /// A consumer lost records to retention.
    RecordsExpired,
    /// Lambda concurrency is at its cap while records wait.
    LambdaConcurrencyCapped,
    /// Lambda invocations failed or timed out.
    LambdaErrors,
    /// ECS tasks hold no lease.
    EcsTasksIdle,
    /// ECS tasks process at full capacity while records wait.
    EcsSaturated,
    /// Shards without any reader in a KCL application (a lease cap, or no task running).
    ShardsUnread,
    /// Standard consumers hit the shared read limit.
    SharedReadSaturated,
    /// A consumer falls further behind (iterator age above a minute and growing), with
    /// the cause the numbers point at.
    FallingBehind,
    /// Lambda throttled invocations of a function that keeps up so far.
    LambdaThrottled,
    /// UpdateShardCount is under way.
    Resharding,
    /// Nothing wrong.
    Healthy,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// All is well.
    Ok,
    /// Worth watching.
    Warning,
    /// Records are being lost.
    Loss,
}

/// One finding: what fired, how bad it is, whom it is about and the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Which rule fired.
    pub rule: Rule,
    /// How bad it is.
    pub severity: Severity,
    /// The consumer it is about, if any.
    pub consumer: Option<String>,
    /// The cause, with its numbers.
    pub cause: Cause,
}

impl Finding {
    /// A finding about the stream as a whole.
    pub(crate) fn stream(rule: Rule, severity: Severity, cause: Cause) -> Self {
        Finding {
            rule,
            severity,
            consumer: None,
            cause,
        }
    }

    /// A finding about consumer `name`.
    pub(crate) fn about(name: &str, rule: Rule, severity: Severity, cause: Cause) -> Self {
        Finding {
            rule,
            severity,
            consumer: Some(name.to_string()),
            cause,
        }
    }
}

/// The findings for the current state of `sim` over the `recent` past, worst first.
/// With nothing wrong, one `Healthy` finding.
pub fn diagnose(sim: &Simulation, recent: &Recent) -> Vec<Finding> {
    let mut out = Vec::new();
    let writes = writes::findings(sim, recent, &mut out);
    consumers::findings(sim, recent, &writes, &mut out);
    if let Some(progress) = writes.resharding {
        out.push(Finding::stream(
            Rule::Resharding,
            Severity::Ok,
            Cause::Resharding(Resharding {
                progress,
                max_per_day: sim.config().stream.max_reshards_per_day,
            }),
        ));
    }
    if out.is_empty() {
        // Every consumer that falls behind or is throttled has a finding above, so here
        // none does.
        let consumers = &sim.metrics().consumers;
        let now = consumers
            .iter()
            .map(|c| c.iterator_age_ms)
            .max()
            .unwrap_or(0);
        // Within a minute, the worst of the last minute: a consumer polling every few
        // seconds is that far behind between its polls.
        let lately = (0..consumers.len())
            .map(|i| recent.consumer_max(i, |t| t.age_ms))
            .max()
            .unwrap_or(0);
        let worst_age_ms = if now > 60_000 {
            now
        } else {
            now.max(lately.min(60_000))
        };
        out.push(Finding::stream(
            Rule::Healthy,
            Severity::Ok,
            Cause::Healthy { worst_age_ms },
        ));
    }
    // Worst first; among warnings, idle tasks (a cost, not a cause of lag) come last.
    crate::model::order::sort_by_key(&mut out, |f| {
        (std::cmp::Reverse(f.severity), f.rule == Rule::EcsTasksIdle)
    });
    out
}
