//! Sentences about Lambda functions: failing invocations, a concurrency cap too low for
//! what arrives, and throttling by a reservation or the account's unreserved pool.

use crate::model::diagnosis::{ConcurrencyCap, LambdaCapped, LambdaErrors, MoreShards, Pool};

use super::{count, hours, per_s, plural, status};

/// Failed Lambda invocations: timeouts name the timeout and what a batch takes; other
/// errors name the retries that hold the shard.
pub(super) fn errors(name: &str, c: &LambdaErrors) -> String {
    let (errors, timeouts, skipped) = (c.errors, c.timeouts, c.skipped);
    let given_up = if skipped > 0 {
        format!(
            " {} records were given up (skipped) in the last minute.",
            count(skipped as f64)
        )
    } else {
        String::new()
    };
    if timeouts > 0 {
        let batch = &c.full_batch;
        let others = if errors > timeouts {
            format!(" and {} more failed", count((errors - timeouts) as f64))
        } else {
            String::new()
        };
        return format!(
            "{name}: {} timed out in the last minute{others}: the function's timeout is {} s and a full batch \
             of {} records takes about {} ({} ms + {} × {} ms). Use a smaller batch, a faster function or a \
             longer timeout (at most 900 s); a timed-out batch is retried like any failed one.{given_up}",
            plural(timeouts, "invocation", "invocations"),
            c.timeout_s,
            count(batch.records as f64),
            hours(batch.invocation_ms as f64),
            batch.overhead_ms,
            count(batch.records as f64),
            batch.ms_per_record
        );
    }
    let forever = c.max_retry_attempts < 0 && c.max_record_age_s < 0;
    let policy = if forever {
        "with the default settings it retries until the records expire".to_string()
    } else {
        let mut limits = Vec::new();
        if c.max_retry_attempts >= 0 {
            limits.push(format!(
                "after {}",
                plural(c.max_retry_attempts as u64, "retry", "retries")
            ));
        }
        if c.max_record_age_s >= 0 {
            limits.push(format!(
                "once its records are {} old",
                hours(c.max_record_age_s as f64 * 1_000.0)
            ));
        }
        format!("it gives a batch up {}", limits.join(" or "))
    };
    let mut remedies = Vec::new();
    if forever {
        remedies.push(
            "set Batch retries (MaximumRetryAttempts) or Maximum record age \
             (MaximumRecordAgeInSeconds) so a failing batch cannot hold the shard",
        );
    }
    if !c.bisect_on_error {
        remedies.push(
            "tick \"Split a failing batch in two\" (BisectBatchOnFunctionError) to isolate bad \
             records",
        );
    }
    remedies.push(
        "send what is given up to an on-failure destination (SQS, SNS or S3) to replay it later",
    );
    let remedy = match remedies.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{}, and {last}", rest.join(", ")),
        None => String::new(),
    };
    let mut remedy_chars = remedy.chars();
    let remedy = match remedy_chars.next() {
        // Remedies are written in plain ASCII at their start.
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(remedy_chars)
            .collect::<String>(),
        None => remedy,
    };
    let retried = if c.bisect_on_error {
        "Lambda splits a failed batch in halves and retries them, down to the failing records (a split uses \
         no retry attempt)"
    } else {
        "Lambda retries a failed batch whole"
    };
    format!(
        "{name}: {} of {} invocations failed in the last minute. {retried}, and the shard's later records wait \
         behind it; {policy}.{given_up} {remedy}.",
        count(errors as f64),
        count(c.invocations.max(errors) as f64)
    )
}
/// A Lambda function at its concurrency cap and too slow for what arrives: what sets
/// the cap, what one batch costs, and what would process faster.
pub(super) fn capped(name: &str, c: &LambdaCapped) -> String {
    let (concurrency, batch, arrivals) = (c.concurrency, &c.batch, &c.arrivals);
    let executions = plural(
        u64::from(concurrency),
        "concurrent execution",
        "concurrent executions",
    );
    let payload = if c.payload_bound {
        " (as many as fit in the 6 MB payload)"
    } else {
        ""
    };
    let cost = format!(
        "A batch of {} records{payload} takes {} ({} ms + {} × {} ms)",
        count(batch.records as f64),
        hours(batch.invocation_ms as f64),
        batch.overhead_ms,
        count(batch.records as f64),
        batch.ms_per_record
    );
    match &c.cap {
        ConcurrencyCap::Shards {
            batches: by_shards,
            parallelization_factor,
            per_shard_records_per_s,
            more,
        } => {
            let pf = if *parallelization_factor < 10 {
                format!(
                    "a faster function or a higher parallelization factor (now {parallelization_factor}, at most 10)"
                )
            } else {
                "a faster function".to_string()
            };
            let shards_clause = match more {
                MoreShards::Add | MoreShards::Fault { .. } => ", or add shards".to_string(),
                MoreShards::Coming(r) => {
                    format!(
                        "; the reshard under way adds concurrency too ({})",
                        status(r)
                    )
                }
                MoreShards::NoHelp => String::new(),
            };
            let arriving = if arrivals.hot {
                format!(
                    "up to {} records/s arrive at the hot shard",
                    per_s(arrivals.per_shard_records_per_s)
                )
            } else {
                format!(
                    "{} records/s arrive per shard",
                    per_s(arrivals.per_shard_records_per_s)
                )
            };
            format!(
                "{name}: {executions}, the cap set by shards × parallelization factor = \
                 {by_shards}. {cost}, so each shard is processed at up to {} records/s while {arriving}: \
                 use {pf}{shards_clause}.",
                per_s(*per_shard_records_per_s)
            )
        }
        ConcurrencyCap::Limit {
            batches: cap,
            reserved,
            most_records_per_s,
        } => {
            let why = if *reserved {
                format!("its reserved concurrency of {cap}; raise it")
            } else {
                format!(
                    "the account's unreserved concurrency ({cap}, what reservations leave of \
                     account.lambda_concurrency); ask for a higher account limit or reserve concurrency for it"
                )
            };
            format!(
                "{name}: {executions}, the cap set by {why}, or use a faster function. \
                 {cost}, so {cap} batches at a time process at most {} records/s while {} arrive.",
                per_s(*most_records_per_s),
                per_s(arrivals.records_per_s)
            )
        }
    }
}

/// A function reserved at 0: it never runs.
pub(super) fn never_runs(name: &str, age_ms: u64, by_shards: u32) -> String {
    format!(
        "{name}: its reserved concurrency is 0, so the function never runs: nothing is processed \
         and every record waits until the retention removes it (iterator age {}). Remove the \
         reservation, or reserve at least {by_shards} (shards × parallelization factor).",
        hours(age_ms as f64)
    )
}

/// "Lambda throttled 3 invocations in the last minute".
fn throttled(throttles: u64) -> String {
    format!(
        "Lambda throttled {} in the last minute",
        plural(throttles, "invocation", "invocations")
    )
}

/// Throttled at its own reservation, below what its shards would run.
pub(super) fn reservation(lead: &str, throttles: u64, r: u32, by_shards: u32) -> String {
    let throttled = throttled(throttles);
    format!(
        "{lead}{throttled}: its reserved concurrency of {r} is both its share and its cap, \
         below the {by_shards} concurrent batches its shards × parallelization factor would \
         run. Raise the reservation to {by_shards}, or use a faster function."
    )
}

/// Throttled in the account's unreserved pool, maybe shared with other functions.
pub(super) fn pool(name: &str, lead: &str, c: &Pool) -> String {
    let throttled = throttled(c.throttles);
    let (pool, reserved, by_shards) = (c.unreserved, c.reserved, c.batches_by_shards);
    let sharing = match &c.sharing {
        None => String::new(),
        Some(s) => format!(
            " {name} shares it with {}, which held {} of the {pool} at the last \
             second while {name} held {}.",
            s.others.join(", "),
            s.others_held,
            s.held
        ),
    };
    format!(
        "{lead}{throttled}: it has no reservation, so it runs in the account's unreserved \
         concurrency — functions without a reservation share what reservations leave of \
         account.lambda_concurrency ({} − {reserved} reserved = {pool}).{sharing} It \
         would run up to {by_shards} concurrent batches (shards × parallelization \
         factor). Reserve about {by_shards} for it (reservations must leave \
         {} unreserved, so account.lambda_concurrency of at least {}), or \
         raise account.lambda_concurrency.",
        c.account,
        c.unreserved_min,
        count(f64::from(reserved + by_shards + c.unreserved_min))
    )
}
