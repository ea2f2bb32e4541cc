//! Findings about consumers: records lost to retention or close to it, each kind's own
//! rules, a consumer falling behind for a reason no other finding gives, and the shared
//! read limit of standard consumers.

use crate::model::config::{ConsumerConfig, FanOut};
use crate::model::consumer::ConsumerTick;
use crate::model::reads::READ_BYTES_PER_S;
use crate::model::sim::{Simulation, SHARD_WRITE_RECORDS_PER_S};

use super::writes::Writes;
use super::{kcl, lambda, Finding, Recent, Rule, Severity};
use super::{
    AgeNearRetention, Arrivals, Behind, Cause, Lag, MoreShards, ReadLimit, RecordsExpired,
    SharedReads,
};

/// What the rules about one consumer read.
pub(super) struct Seen<'a> {
    /// The simulation.
    pub(super) sim: &'a Simulation,
    /// The recent past.
    pub(super) recent: &'a Recent,
    /// The consumer's index.
    pub(super) index: usize,
    /// The consumer's name.
    pub(super) name: &'a str,
    /// Its last tick.
    pub(super) now: &'a ConsumerTick,
    /// Open shards.
    pub(super) shards: u32,
    /// Seconds the recent window covers.
    pub(super) secs: f64,
    /// What arrives at the stream.
    pub(super) arrivals: Arrivals,
    /// Whether more shards help.
    pub(super) more: MoreShards,
    /// Whether records wait: iterator age above a minute and not falling.
    pub(super) waiting: bool,
}

impl Seen<'_> {
    /// A warning about this consumer.
    pub(super) fn warning(&self, rule: Rule, cause: Cause) -> Finding {
        Finding::about(self.name, rule, Severity::Warning, cause)
    }

    /// Records/s the consumer processed over the window.
    pub(super) fn processed(&self) -> f64 {
        self.recent.consumer_sum(self.index, |t| t.processed) as f64 / self.secs
    }
}

/// Pushes the findings about consumers onto `out`.
pub(super) fn findings(sim: &Simulation, recent: &Recent, writes: &Writes, out: &mut Vec<Finding>) {
    let config = sim.config();
    let secs = recent.seconds();
    let shards = sim.open_shards();
    let retention_ms = u64::from(config.stream.retention_hours) * 3_600_000;
    let ledgers = sim.ledgers();
    let m = sim.metrics();
    let arrivals = arrivals(recent, writes, shards);
    let read_throttled = recent.sum(|m| m.read_throttled);
    let standard = config
        .consumers
        .iter()
        .filter(|c| c.fan_out() == FanOut::Shared)
        .count();
    let shared_read_limit = read_throttled > 0 && standard > 0;
    let more = writes.more;
    for (i, c) in config.consumers.iter().enumerate() {
        let Some(now) = m.consumers.get(i) else {
            continue;
        };
        let first_of_consumer = out.len();
        let name = c.name();
        let age_ms = now.iterator_age_ms;
        let age = age_ms as f64;
        let growth = recent.age_growth(i);
        let expired_total = ledgers.get(i).map_or(0, |l| l.ledger.expired);
        if let Some(finding) = retention(recent, i, expired_total, name, age_ms, retention_ms, more)
        {
            out.push(finding);
        }
        let seen = Seen {
            sim,
            recent,
            index: i,
            name,
            now,
            shards,
            secs,
            arrivals,
            more,
            waiting: age > 60_000.0 && growth >= 0.0,
        };
        match c {
            ConsumerConfig::Lambda(l) => lambda::findings(&seen, l, out),
            ConsumerConfig::Kcl(k) => kcl::findings(&seen, k, out),
        }
        // Whatever else was said, a consumer that falls further behind, or whose
        // invocations Lambda throttles, gets a finding naming the likeliest cause.
        let explained = out[first_of_consumer..].iter().any(|f| {
            matches!(
                f.rule,
                Rule::LambdaConcurrencyCapped
                    | Rule::LambdaErrors
                    | Rule::EcsSaturated
                    | Rule::ShardsUnread
            )
        }) || (shared_read_limit
            && c.fan_out() == FanOut::Shared
            && recent.consumer_sum(i, |t| u64::from(t.read_throttled)) > 0);
        let slack_ms = match c {
            ConsumerConfig::Lambda(l) => f64::from(l.batch_window_s) * 1_000.0,
            ConsumerConfig::Kcl(k) => 2.0 * f64::from(k.poll_interval_ms),
        };
        let behind = age > 60_000.0 + slack_ms && growth > 0.0;
        let throttles = recent.consumer_sum(i, |t| u64::from(t.throttles));
        if !explained && (behind || throttles > 0) {
            let lag = Lag {
                age_ms,
                growth,
                processed_records_per_s: seen.processed(),
                behind,
            };
            let why = match c {
                ConsumerConfig::Lambda(l) => lambda::why_behind(&seen, l, throttles),
                ConsumerConfig::Kcl(k) => kcl::why_behind(&seen, k),
            };
            let rule = if behind {
                Rule::FallingBehind
            } else {
                Rule::LambdaThrottled
            };
            let cause = Behind { lag, arrivals, why };
            out.push(seen.warning(rule, Cause::Behind(cause)));
        }
    }
    if shared_read_limit {
        let written_bytes = recent.sum(|m| m.incoming_bytes) as f64 / secs;
        out.push(Finding::stream(
            Rule::SharedReadSaturated,
            Severity::Warning,
            Cause::SharedReads(shared_reads(
                read_throttled,
                standard,
                written_bytes,
                shards,
                more,
            )),
        ));
    }
}

/// Throttled GetRecords calls: too many bytes for the shared 2 MiB/s per shard, or too
/// many calls for its 5 per second.
fn shared_reads(
    read_throttled: u64,
    standard: usize,
    written_bytes: f64,
    shards: u32,
    more: MoreShards,
) -> SharedReads {
    let per_shard = written_bytes / f64::from(shards.max(1));
    let demand = per_shard * standard as f64;
    let limit = if demand > READ_BYTES_PER_S as f64 {
        let needed_shards =
            (written_bytes * standard as f64 / READ_BYTES_PER_S as f64).ceil() as u64;
        ReadLimit::Bytes {
            needed_shards,
            more,
        }
    } else {
        ReadLimit::Calls
    };
    SharedReads {
        read_throttled,
        standard,
        per_shard_bytes_per_s: per_shard,
        demand_bytes_per_s: demand,
        limit,
    }
}

/// Records arriving over the window: in all, on a typical (or the crowded) shard, and
/// their mean size.
fn arrivals(recent: &Recent, writes: &Writes, shards: u32) -> Arrivals {
    let secs = recent.seconds();
    let accepted = writes.accepted as f64;
    let incoming_bytes = recent.sum(|m| m.incoming_bytes) as f64;
    Arrivals {
        records_per_s: accepted / secs,
        // A crowded shard takes at most its write limit.
        per_shard_records_per_s: if writes.crowded {
            writes.hottest.min(1.0) * SHARD_WRITE_RECORDS_PER_S as f64
        } else {
            accepted / secs / f64::from(shards.max(1))
        },
        hot: writes.crowded,
        record_bytes: if accepted > 0.0 {
            incoming_bytes / accepted
        } else {
            0.0
        },
    }
}

/// Records lost to retention in the window, or an iterator age past half of it.
fn retention(
    recent: &Recent,
    i: usize,
    expired_total: u64,
    name: &str,
    age_ms: u64,
    retention_ms: u64,
    more: MoreShards,
) -> Option<Finding> {
    let age = age_ms as f64;
    let growth = recent.age_growth(i);
    let expired = recent.consumer_sum(i, |t| t.expired);
    if expired > 0 {
        let cause = RecordsExpired {
            expired,
            expired_total,
            retention_ms,
            more,
            failing: recent.consumer_sum(i, |t| u64::from(t.errors)) > 0,
        };
        Some(Finding::about(
            name,
            Rule::RecordsExpired,
            Severity::Loss,
            Cause::RecordsExpired(cause),
        ))
    } else if age >= 0.5 * retention_ms as f64 {
        let cause = AgeNearRetention {
            age_ms,
            retention_ms,
            growth,
            more,
        };
        Some(Finding::about(
            name,
            Rule::IteratorAgeNearRetention,
            Severity::Warning,
            Cause::AgeNearRetention(cause),
        ))
    } else {
        None
    }
}
