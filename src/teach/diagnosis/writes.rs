//! Sentences about the stream as a whole: writes, drops, a reshard under way, health.

use crate::model::diagnosis::{
    Aggregate, CrowdedKeys, Crowding, MoreShards, PeakNow, ProducerDrops, Resharding, Sizing,
    ThrottledLately, ThrottledNow, HOUR_MINUTES,
};
use crate::model::sim::{SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};

use super::{count, hours, per_s, plural, rate, status};

/// "the busiest key, p-0, carries about 554 records/s", or nothing when the keys were
/// not looked at.
fn which(c: &Crowding) -> String {
    c.busiest
        .as_ref()
        .map(|k| {
            format!(
                "the busiest key, {}, carries about {} records/s",
                k.key,
                per_s(k.records_per_s)
            )
        })
        .unwrap_or_default()
}

/// One key more than a shard takes.
pub(super) fn hot_key(c: &Crowding) -> String {
    let which = which(c);
    format!(
        "One shard is at its write limit while the other {} average {:.0} %: a hot partition key \
         ({which}, more than one shard takes). Adding shards will not cool one key; spread writes over \
         more distinct keys.",
        c.other_shards,
        c.others_utilisation * 100.0
    )
}

/// Popular keys crowding one shard.
pub(super) fn crowded_keys(c: &CrowdedKeys) -> String {
    let which = which(&c.crowding);
    format!(
        "One shard is at its write limit while the other {} average {:.0} %: a few popular partition \
         keys crowd it, though no single key is over a shard's limit ({which} of a shard's 1,000). {} \
         More distinct keys, used more evenly, spread them too.",
        c.crowding.other_shards,
        c.crowding.others_utilisation * 100.0,
        sizing(&c.sizing, "More shards spread those keys over more hash ranges:")
    )
}

/// Writes throttled in the last minute.
pub(super) fn throttled_now(c: &ThrottledNow) -> String {
    let offer = &c.offered;
    let throttled = c.throttled as f64;
    let attempts = throttled + c.accepted as f64;
    let peak = if offer.peak_records_per_s > 1.05 * offer.records_per_s {
        format!(
            ", up to {} records/s at peak",
            per_s(offer.peak_records_per_s)
        )
    } else {
        String::new()
    };
    let packed = if offer.records_per_s < 0.995 * offer.user_records_per_s {
        format!(
            " (KPL aggregation packs {} user records/s into them)",
            per_s(offer.user_records_per_s)
        )
    } else {
        String::new()
    };
    format!(
        "{:.0} % of write attempts were throttled in the last minute (WriteProvisionedThroughputExceeded): \
         producers offer {} new records/s ({}){packed}{peak}; {}. {}{}",
        100.0 * throttled / attempts,
        per_s(offer.records_per_s),
        rate(offer.bytes_per_s),
        shard_limits(c.sizing.open_shards),
        sizing(&c.sizing, lead(c)),
        as_cloudwatch_shows(c)
    )
}

/// What comes before "add shards": when the mean fits the shards and only the peaks do
/// not, smoothing the sends is the cheaper remedy.
fn lead(c: &ThrottledNow) -> &'static str {
    let limit = f64::from(c.sizing.open_shards) * SHARD_WRITE_RECORDS_PER_S as f64;
    if c.offered.records_per_s < 0.95 * limit && c.offered.peak_records_per_s > limit {
        "The average fits the shards; only the peaks do not: send steadily (buffer records and \
         send every second, as the KPL does) and the throttling stops, or"
    } else {
        "Retries with backoff absorb short bursts; for sustained load,"
    }
}

/// How the last minute reads in CloudWatch, by AWS's method: the 1-minute Sum ÷ 60
/// against the per-second limit, then with the throttled records added. Empty before a
/// whole minute has run.
fn as_cloudwatch_shows(c: &ThrottledNow) -> String {
    if c.window_s < 60 {
        return String::new();
    }
    let seconds = c.window_s as f64;
    let written = c.accepted as f64 / seconds;
    let tried = (c.accepted + c.throttled) as f64 / seconds;
    let limit = f64::from(c.sizing.open_shards) * SHARD_WRITE_RECORDS_PER_S as f64;
    let hidden = if written < 0.95 * limit {
        ": under the limit, because the seconds that were throttled are averaged with quieter \
         ones in the 1-minute datapoint"
    } else {
        ""
    };
    format!(
        " In CloudWatch's 1-minute datapoints, IncomingRecords (Sum) ÷ 60 is {} records/s against \
         the {} records/s the shards take{hidden}; adding WriteProvisionedThroughputExceeded (Sum) \
         gives {} records/s tried, retries included.",
        per_s(written),
        per_s(limit),
        per_s(tried)
    )
}

/// Bursts of throttled writes over the last hour.
pub(super) fn throttled_lately(c: &ThrottledLately) -> String {
    let shards = c.open_shards;
    let span = if c.minutes >= HOUR_MINUTES {
        "the last hour".to_string()
    } else {
        format!("the last {} min", c.minutes)
    };
    let lately = if c.now_throttled > 0 {
        let throttled = c.now_throttled as f64;
        let attempts = throttled + c.now_accepted as f64;
        format!(
            "Only {:.1} % of write attempts were throttled in the last minute",
            100.0 * throttled / attempts.max(1.0)
        )
    } else {
        "No write throttling in the last minute".to_string()
    };
    let fate = if c.dropped > 0 {
        format!(
            "producers gave up on {} of them, which never reached the stream",
            count(c.dropped as f64)
        )
    } else {
        "producers retried them and dropped none".to_string()
    };
    let advice = match c.now {
        PeakNow::Throttled(s) => sizing(&s, "For bursts that keep coming,"),
        PeakNow::MoreShards { shards_then } => format!(
            "The stream had at most {} then; the {shards} open now take that load.",
            plural(u64::from(shards_then), "shard", "shards")
        ),
        PeakNow::SpreadEvenly {
            busiest_utilisation,
        } => format!(
            "Writes are spread more evenly now: at that peak the busiest shard would be at about \
             {:.0} % of its limit.",
            busiest_utilisation * 100.0
        ),
    };
    format!(
        "{lately}, but in {span}: {} of write throttling ({} s in all), {} of {} write attempts ({:.1} %) \
         throttled; {fate}. Producers offer up to {} records/s ({}); {}. {advice}",
        plural(u64::from(c.bursts), "burst", "bursts"),
        count(c.throttled_s as f64),
        count(c.throttled as f64),
        count(c.attempts as f64),
        100.0 * c.throttled as f64 / c.attempts.max(1) as f64,
        per_s(c.offered.peak_records_per_s),
        rate(c.offered.peak_bytes_per_s),
        shard_limits(shards)
    )
}

/// Records producers gave up on.
pub(super) fn producer_drops(c: &ProducerDrops) -> String {
    let remedy = match &c.more {
        MoreShards::Add if c.aggregate.is_some() => {
            "Pack small records with KPL aggregation, add shards, or allow more retry attempts \
             for short bursts."
                .to_string()
        }
        MoreShards::Add => "Add shards, or allow more retry attempts for short bursts.".to_string(),
        MoreShards::Coming(r) => format!(
            "The reshard under way should help ({}); until it completes, more retry attempts \
             keep records that would be dropped.",
            status(r)
        ),
        MoreShards::NoHelp => {
            "Spread writes over more distinct keys, or allow more retry attempts for \
                               short bursts."
                .to_string()
        }
        MoreShards::Fault { percent, left_ms } => format!(
            "A fault injection refuses {percent} % of PutRecords calls for another {}: more \
             retry attempts, with backoff, keep records that would be dropped meanwhile.",
            hours(*left_ms as f64)
        ),
    };
    format!(
        "Producers gave up on {} records in the last minute after their last retry: that data never reached \
         the stream. {remedy}",
        count(c.dropped as f64)
    )
}

/// UpdateShardCount under way.
pub(super) fn resharding(c: &Resharding) -> String {
    let r = &c.progress;
    let wait = if r.waiting_ms > 0 {
        format!(
            " The limit of {} UpdateShardCount calls per 24 h is reached, so about {} of that is waiting \
             for the next call.",
            c.max_per_day,
            hours(r.waiting_ms as f64)
        )
    } else {
        String::new()
    };
    if r.on_demand {
        return format!(
            "On-demand scaling {} → {}: the stream splits its shards about 15 minutes after the \
             minute its traffic passed half its capacity; about {} to go. Writes and reads go on \
             meanwhile.",
            r.from_shards,
            r.to_shards,
            hours(r.left_ms as f64)
        );
    }
    format!(
        "Resharding {} → {} (UpdateShardCount, at most doubling or halving per step): about {} to go. \
         Writes and reads go on meanwhile.{wait}",
        r.from_shards,
        r.to_shards,
        hours(r.left_ms as f64)
    )
}

/// Nothing wrong; every consumer within `worst_age_ms` of the newest record.
pub(super) fn healthy(worst_age_ms: u64) -> String {
    // A consumer minutes behind that no rule flags is catching up (one falling further
    // behind has its own finding): not yet healthy.
    if worst_age_ms > 60_000 {
        return format!(
            "Catching up: no write, read or Lambda throttling and no loss, but a consumer is still \
             {} behind the newest record.",
            hours(worst_age_ms as f64)
        );
    }
    format!(
        "Healthy: no write, read or Lambda throttling, no loss; every consumer is within {} of the \
         newest record.",
        hours(worst_age_ms.max(1_000) as f64)
    )
}

/// What `shards` shards take: "2 shards take 2,000 records/s or 2.0 MiB/s".
fn shard_limits(shards: u32) -> String {
    format!(
        "{} {} {} records/s or {}",
        plural(u64::from(shards), "shard", "shards"),
        if shards == 1 { "takes" } else { "take" },
        count(f64::from(shards) * SHARD_WRITE_RECORDS_PER_S as f64),
        rate(f64::from(shards) * SHARD_WRITE_BYTES_PER_S as f64)
    )
}

/// The shard count write throttling calls for, or the reshard that already brings it.
/// `lead` starts the sentence that recommends shards.
pub(super) fn sizing(s: &Sizing, lead: &str) -> String {
    let (needed, shards) = (s.needed_shards, s.open_shards);
    match &s.more {
        MoreShards::Coming(r) if r.to_shards >= needed => format!(
            "The reshard under way takes this load once it completes ({}).",
            status(r)
        ),
        MoreShards::Coming(r) => format!(
            "The reshard under way is not enough ({}): this load needs about {needed} shards, so raise \
             the target to {needed}.",
            status(r)
        ),
        MoreShards::NoHelp => {
            "A hot partition key does not cool with more shards; spread writes over more distinct keys."
                .to_string()
        }
        MoreShards::Fault { percent, left_ms } => format!(
            "A fault injection (as AWS Fault Injection Service runs them) refuses {percent} % of \
             PutRecords calls for another {}: no shard count helps while it lasts, and producers \
             retry what they can.",
            hours(*left_ms as f64)
        ),
        MoreShards::Add if needed > shards => match &s.aggregate {
            Some(a) => aggregate(a, needed),
            None => format!("{lead} add shards (about {needed})."),
        },
        MoreShards::Add => format!(
            "That fits {} if spread evenly, so the throttling comes from partition keys that crowd some \
             shards, or from retries piling up: spread writes over more distinct keys, or add a shard for \
             headroom.",
            plural(u64::from(shards), "shard", "shards")
        ),
    }
}

/// Small records held back by the records limit: what KPL aggregation would make of them,
/// against the `needed` shards without it.
fn aggregate(a: &Aggregate, needed: u32) -> String {
    format!(
        "Records of {} B reach a shard's 1,000 records/s long before its 1 MiB/s: with KPL \
         aggregation (the producer's aggregation setting) they would travel as about {} Kinesis \
         records/s, which {} {}; without it, add shards (about {needed}).",
        a.record_bytes,
        count(a.kinesis_records_per_s as f64),
        plural(u64::from(a.shards), "shard", "shards"),
        if a.shards == 1 { "takes" } else { "take" },
    )
}
