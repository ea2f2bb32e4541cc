//! Findings about a Lambda consumer: failing invocations, a concurrency cap too low
//! for what arrives, and why a function falls behind or is throttled.

use crate::model::config::{ConsumerConfig, LambdaConfig, UNRESERVED_MIN};
use crate::model::lambda::{invocation_ms, PAYLOAD_BYTES};

use super::consumers::Seen;
use super::{BatchCost, Cause, ConcurrencyCap, LambdaCapped, LambdaErrors, Pool, PoolSharing, Why};
use super::{Finding, Rule, Severity};

/// Pushes the findings about Lambda function `l` onto `out`.
pub(super) fn findings(seen: &Seen, l: &LambdaConfig, out: &mut Vec<Finding>) {
    let (recent, i) = (seen.recent, seen.index);
    let config = seen.sim.config();
    // Failing invocations come first: while a batch fails, the shard waits behind it
    // whatever the concurrency.
    let errors = recent.consumer_sum(i, |t| u64::from(t.errors));
    if errors > 0 {
        let skipped = recent.consumer_sum(i, |t| t.skipped);
        let severity = if skipped > 0 {
            Severity::Loss
        } else {
            Severity::Warning
        };
        let cause = LambdaErrors {
            errors,
            timeouts: recent.consumer_sum(i, |t| u64::from(t.timeouts)),
            invocations: recent.consumer_sum(i, |t| u64::from(t.invocations)),
            skipped,
            timeout_s: l.timeout_s,
            full_batch: batch_cost(l, u64::from(l.batch_size)),
            max_retry_attempts: l.max_retry_attempts,
            max_record_age_s: l.max_record_age_s,
            bisect_on_error: l.bisect_on_error,
        };
        out.push(Finding::about(
            seen.name,
            Rule::LambdaErrors,
            severity,
            Cause::LambdaErrors(cause),
        ));
    }
    let cap = config.lambda_concurrency_cap(l, seen.shards);
    // Throttled in a pool other functions draw on too, it reaches its own cap only
    // while they leave room: the pool is the limit (said where it falls behind).
    let pool_shared = l.reserved_concurrency.is_none()
        && recent.consumer_sum(i, |t| u64::from(t.throttles)) > 0
        && !unreserved_others(seen, l).is_empty();
    let concurrency = recent.recent_concurrency(i).max(seen.now.concurrency);
    if seen.waiting && concurrency >= cap && cap > 0 && !pool_shared {
        if let Some(capped) = capped(seen, l, concurrency) {
            out.push(seen.warning(Rule::LambdaConcurrencyCapped, Cause::LambdaCapped(capped)));
        }
    }
}

/// The other functions without a reservation: they share the unreserved pool with `l`.
fn unreserved_others<'a>(seen: &Seen<'a>, l: &LambdaConfig) -> Vec<&'a str> {
    seen.sim
        .config()
        .consumers
        .iter()
        .filter_map(|o| match o {
            ConsumerConfig::Lambda(o) if o.reserved_concurrency.is_none() && o.name != l.name => {
                Some(o.name.as_str())
            }
            _ => None,
        })
        .collect()
}

/// What a batch of `records` records of `l` takes.
fn batch_cost(l: &LambdaConfig, records: u64) -> BatchCost {
    BatchCost {
        records,
        invocation_ms: invocation_ms(l, records),
        overhead_ms: l.invocation_overhead_ms,
        ms_per_record: l.ms_per_record,
    }
}

/// A Lambda function at its concurrency cap and too slow for what arrives: what sets
/// the cap, what one batch costs, and what would process faster. `None` when the
/// function at its cap could keep up (then something else holds it back).
fn capped(seen: &Seen, l: &LambdaConfig, concurrency: u32) -> Option<LambdaCapped> {
    let (shards, arrivals) = (seen.shards, seen.arrivals);
    let processed = seen.processed();
    let by_shards = shards * l.parallelization_factor;
    let cap = seen.sim.config().lambda_concurrency_cap(l, shards);
    // A batch holds at most what fits in the invocation payload.
    let fits = (PAYLOAD_BYTES as f64 / arrivals.record_bytes.max(1.0))
        .floor()
        .max(1.0) as u64;
    let batch = batch_cost(l, u64::from(l.batch_size).min(fits));
    let per_batch = batch.records as f64 * 1_000.0 / batch.invocation_ms as f64;
    // Within a tenth of what arrives counts as too slow: batches rarely start back to back.
    let cap = if cap >= by_shards {
        let per_shard = per_batch * f64::from(l.parallelization_factor);
        if per_shard >= 1.1 * arrivals.per_shard_records_per_s {
            return None;
        }
        // A function processing well below what its batches would give is held back by
        // something else (failing batches, say): the cap is not what limits it.
        let claimed = if arrivals.hot {
            per_shard
        } else {
            per_shard * f64::from(shards)
        };
        if processed < 0.8 * claimed {
            return None;
        }
        ConcurrencyCap::Shards {
            batches: by_shards,
            parallelization_factor: l.parallelization_factor,
            per_shard_records_per_s: per_shard,
            more: seen.more,
        }
    } else {
        let most = per_batch * f64::from(cap);
        if most >= 1.1 * arrivals.records_per_s || processed < 0.8 * most {
            return None;
        }
        ConcurrencyCap::Limit {
            batches: cap,
            reserved: l.reserved_concurrency.is_some(),
            most_records_per_s: most,
        }
    };
    Some(LambdaCapped {
        concurrency,
        payload_bound: batch.records < u64::from(l.batch_size),
        batch,
        arrivals,
        cap,
    })
}

/// Why Lambda function `l` falls behind, or is throttled (`throttles` invocations in
/// the last minute), when no other finding explains it.
pub(super) fn why_behind(seen: &Seen, l: &LambdaConfig, throttles: u64) -> Why {
    let config = seen.sim.config();
    let batches_by_shards = seen.shards * l.parallelization_factor;
    if l.reserved_concurrency == Some(0) {
        return Why::NeverRuns { batches_by_shards };
    }
    if throttles == 0 {
        return Why::TooSlow { more: seen.more };
    }
    match l.reserved_concurrency {
        Some(reserved) => Why::Reservation {
            throttles,
            reserved,
            batches_by_shards,
        },
        None => {
            let unreserved = config.unreserved_concurrency();
            let others = unreserved_others(seen, l);
            let sharing = (!others.is_empty()).then(|| PoolSharing {
                others: others.iter().map(|o| o.to_string()).collect(),
                others_held: seen
                    .sim
                    .metrics()
                    .unreserved_concurrency
                    .saturating_sub(seen.now.concurrency),
                held: seen.now.concurrency,
            });
            Why::Pool(Pool {
                throttles,
                account: config.account.lambda_concurrency,
                reserved: config.account.lambda_concurrency - unreserved,
                unreserved,
                unreserved_min: UNRESERVED_MIN,
                batches_by_shards,
                sharing,
            })
        }
    }
}
