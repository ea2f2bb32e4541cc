//! Sentences about consumers: records lost to retention or close to it, ECS tasks, the
//! shared read limit, and a consumer falling behind.

use crate::model::diagnosis::{
    AgeNearRetention, Arrivals, Behind, CallLimit, Leases, MoreShards, ReadLimit, RecordsExpired,
    ShardsUnread, SharedReads, TasksIdle, TasksSaturated, Why,
};

use super::{count, faster, hours, lambda, per_s, plural, rate, status};

/// Records expired unread.
pub(super) fn records_expired(name: &str, c: &RecordsExpired) -> String {
    let faster = if c.failing {
        "a failing batch holds its shard while Lambda retries it, so neither a faster function nor \
         more shards helps: limit Batch retries or Maximum record age, or split failing batches"
            .to_string()
    } else {
        faster(&c.more)
    };
    format!(
        "{name}: {} records expired unread in the last minute ({} in all): its iterator age reached the \
         {} retention. More retention only delays this; {faster}.",
        count(c.expired as f64),
        count(c.expired_total as f64),
        hours(c.retention_ms as f64)
    )
}

/// Iterator age at half the retention or more.
pub(super) fn age_near_retention(name: &str, c: &AgeNearRetention) -> String {
    let (age, retention_ms) = (c.age_ms as f64, c.retention_ms as f64);
    // Falling clearly (after a fix, say): no remedy, only how long the backlog lasts.
    if c.growth <= -0.05 {
        return format!(
            "{name}: iterator age is {} of {} retention and falling by {:.2} s every second — \
             the backlog drains in about {} at this pace.",
            hours(age),
            hours(retention_ms),
            -c.growth,
            hours(age / -c.growth)
        );
    }
    let when = if c.growth > 0.0 {
        format!(
            "records will expire in about {}",
            hours((retention_ms - age) / c.growth)
        )
    } else {
        "it is not growing right now".to_string()
    };
    format!(
        "{name}: iterator age is {} of {} retention — {when}; {}.",
        hours(age),
        hours(retention_ms),
        faster(&c.more)
    )
}

/// ECS tasks without a lease.
pub(super) fn tasks_idle(name: &str, c: &TasksIdle) -> String {
    let remedy = match &c.more {
        MoreShards::Add | MoreShards::Fault { .. } => "Remove tasks or add shards.".to_string(),
        MoreShards::Coming(r) if r.to_shards >= c.tasks => format!(
            "They get leases once the reshard under way completes ({}).",
            status(r)
        ),
        MoreShards::Coming(r) => format!(
            "Remove tasks; even after the reshard under way ({}) some stay idle.",
            status(r)
        ),
        MoreShards::NoHelp => "Remove tasks.".to_string(),
    };
    format!(
        "{name}: {} of {} tasks hold no lease — KCL runs one processor per shard, so tasks beyond \
         the shard count sit idle. {remedy}",
        c.idle, c.tasks
    )
}

/// Shards nobody reads.
pub(super) fn shards_unread(name: &str, c: &ShardsUnread) -> String {
    match *c {
        ShardsUnread::NoTask {
            shards,
            autoscaling,
        } => {
            let start = if autoscaling {
                "raise the autoscaling minimum above 0"
            } else {
                "start tasks"
            };
            format!(
                "{name}: no task is running, so none of its {shards} shards is read and records wait until they \
                 expire; {start}."
            )
        }
        ShardsUnread::LeaseCap {
            shards,
            tasks,
            leases_per_task,
        } => {
            let held = tasks.saturating_mul(leases_per_task);
            format!(
                "{name}: {} have no reader: {} × {} each hold {held} of {shards} shards (max leases per worker), \
                 and their records wait until they expire. Add tasks, raise the lease cap or enable autoscaling.",
                plural(u64::from(shards - held), "shard", "shards"),
                plural(u64::from(tasks), "task", "tasks"),
                plural(u64::from(leases_per_task), "lease", "leases")
            )
        }
    }
}

/// ECS tasks at full capacity.
pub(super) fn tasks_saturated(name: &str, c: &TasksSaturated) -> String {
    let tasks = if c.tasks == 1 {
        "only task is".to_string()
    } else {
        format!("{} tasks are", count(f64::from(c.tasks)))
    };
    format!(
        "{name}: its {tasks} saturated, processing {} of {} records/s while records wait; \
         add tasks or enable autoscaling.",
        per_s(c.processed_records_per_s),
        per_s(c.capacity_records_per_s)
    )
}

/// Throttled GetRecords calls: too many bytes for the shared 2 MiB/s per shard, or too
/// many calls for its 5 per second.
pub(super) fn shared_reads(c: &SharedReads) -> String {
    let standard = c.standard;
    let who = if standard == 1 {
        "the one standard consumer".to_string()
    } else {
        format!("{standard} standard consumers")
    };
    let head = if c.read_throttled == 1 {
        "One GetRecords call was throttled in the last minute (ReadProvisionedThroughputExceeded)"
            .to_string()
    } else {
        format!(
            "GetRecords calls were throttled {} times in the last minute \
             (ReadProvisionedThroughputExceeded)",
            count(c.read_throttled as f64)
        )
    };
    match &c.limit {
        ReadLimit::Bytes {
            needed_shards,
            more,
        } => {
            let shards_clause = match more {
                MoreShards::Add | MoreShards::Fault { .. } => {
                    format!(", or add shards (about {needed_shards})")
                }
                MoreShards::Coming(r) => {
                    format!("; the reshard under way also helps ({})", status(r))
                }
                MoreShards::NoHelp => String::new(),
            };
            format!(
                "{head}: each standard consumer reads everything written, {} per shard, so {who} need {} per shard, \
                 more than the 2 MiB/s they share. Move some consumers to enhanced fan-out (2 MiB/s per shard each)\
                 {shards_clause}.",
                rate(c.per_shard_bytes_per_s),
                rate(c.demand_bytes_per_s)
            )
        }
        ReadLimit::Calls => {
            let remedy = if standard == 1 {
                "give it enhanced fan-out, or let it poll less often"
            } else {
                "use fewer standard consumers, or move some to enhanced fan-out"
            };
            format!(
                "{head}: {who} read {} per shard, within the shared 2 MiB/s, so the limit reached is 5 calls/s per \
                 shard (or a large read paid back over the next seconds): {remedy}.",
                rate(c.demand_bytes_per_s)
            )
        }
    }
}

/// How the iterator age grew, `growth` seconds each second: "grew 0.50 s every second",
/// a slow growth by the minute ("grew 3 s"), or "held steady".
fn growth_words(growth: f64) -> String {
    let per_minute = growth * 60.0;
    if growth >= 0.05 {
        format!("grew {growth:.2} s every second")
    } else if per_minute >= 0.5 {
        format!("grew {per_minute:.0} s")
    } else {
        STEADY.to_string()
    }
}

/// An age that grew less than half a second in a minute.
const STEADY: &str = "held steady";

/// A consumer falling behind, or throttled by Lambda, and the likeliest cause.
pub(super) fn behind(name: &str, c: &Behind) -> String {
    let (lag, arrivals) = (&c.lag, &c.arrivals);
    let steady = growth_words(lag.growth) == STEADY;
    let head = format!(
        "{name} is {}: its iterator age is {} and {} over the last minute, processing {} of {} \
         records/s",
        if steady { "behind" } else { "falling behind" },
        hours(lag.age_ms as f64),
        growth_words(lag.growth),
        per_s(lag.processed_records_per_s),
        per_s(arrivals.records_per_s)
    );
    let lead = if lag.behind {
        format!("{head}. ")
    } else {
        format!("{name}: ")
    };
    match &c.why {
        Why::NeverRuns { batches_by_shards } => {
            lambda::never_runs(name, lag.age_ms, *batches_by_shards)
        }
        Why::Reservation {
            throttles,
            reserved,
            batches_by_shards,
        } => lambda::reservation(&lead, *throttles, *reserved, *batches_by_shards),
        Why::Pool(pool) => lambda::pool(name, &lead, pool),
        Why::TooSlow { more } => {
            format!("{lead}{}; {}.", arriving(arrivals), faster(more))
        }
        Why::CallLimit(limit) => call_limit(&lead, limit, arrivals),
        Why::Leases(leases) => by_count(&lead, leases),
    }
}

/// "500 records/s arrive per shard", or "up to 1,000 records/s arrive at the busiest
/// shard" when one shard is hot.
fn arriving(arrivals: &Arrivals) -> String {
    if arrivals.hot {
        format!(
            "up to {} records/s arrive at the busiest shard",
            per_s(arrivals.per_shard_records_per_s)
        )
    } else {
        format!(
            "{} records/s arrive per shard",
            per_s(arrivals.per_shard_records_per_s)
        )
    }
}

/// One GetRecords call per poll reads less than arrives at a shard.
fn call_limit(lead: &str, c: &CallLimit, arrivals: &Arrivals) -> String {
    let remedy = if c.needed_per_call < 10_000.0 {
        format!(
            "Raise max_records_per_call to at least {} (at most 10,000), or poll more often \
             (a lower poll_interval_ms, not below 200)",
            count(c.needed_per_call)
        )
    } else {
        "Raise max_records_per_call to 10,000 and poll more often (a lower \
         poll_interval_ms, not below 200)"
            .to_string()
    };
    format!(
        "{lead}Each shard's processor makes one GetRecords call per poll, of at most \
         max_records_per_call = {} records every {} ms (poll_interval_ms): that reads at most {} \
         records/s per shard while {}. {remedy}.",
        count(f64::from(c.max_records_per_call)),
        count(f64::from(c.poll_interval_ms)),
        per_s(c.per_shard_records_per_s),
        arriving(arrivals)
    )
}

/// KCL balances leases by count and a task holding more is over its capacity.
fn by_count(lead: &str, c: &Leases) -> String {
    let (most, shards) = (c.most, c.shards);
    let who = if c.busiest_tasks == 1 {
        format!(
            "one of its {} holds {most} of the {shards} leases",
            plural(u64::from(c.tasks), "task", "tasks")
        )
    } else {
        format!(
            "{} of its {} tasks hold {most} of the {shards} leases each",
            c.busiest_tasks, c.tasks
        )
    };
    format!(
        "{lead}KCL balances leases by count, so {who} and needs {} records/s for its capacity of \
         {} records/s, while others hold {}. Run {} (at most {} {} each), or \
         raise records_per_sec_per_task to at least {}.",
        per_s(c.needed_records_per_s),
        per_s(c.capacity_records_per_s),
        c.fewest,
        plural(u64::from(c.tasks_needed), "task", "tasks"),
        c.leases_per_task,
        if c.leases_per_task == 1 {
            "lease"
        } else {
            "leases"
        },
        per_s(c.needed_records_per_s)
    )
}
