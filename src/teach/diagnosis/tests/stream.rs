//! Sentences about the stream as a whole.

use super::{stream, COMING};
use crate::model::diagnosis::*;
use crate::teach::diagnosis::{render, writes};

#[test]
fn a_hot_key_names_the_key_and_rules_out_shards() {
    let crowding = Crowding {
        other_shards: 3,
        others_utilisation: 0.2551,
        busiest: Some(BusiestKey {
            key: "tenants-0".into(),
            records_per_s: 1_231.4,
            bytes_per_s: 640_000.0,
        }),
    };
    let f = stream(Rule::HotShard, Severity::Warning, Cause::HotKey(crowding));
    assert_eq!(
        render(&f),
        "One shard is at its write limit while the other 3 average 26 %: a hot partition key (the \
         busiest key, tenants-0, carries about 1,231 records/s, more than one shard takes). Adding \
         shards will not cool one key; spread writes over more distinct keys."
    );
}

#[test]
fn throttled_writes_quote_the_load_the_limits_and_the_shards_it_needs() {
    let cause = ThrottledNow {
        throttled: 60_000,
        accepted: 120_000,
        offered: Offered {
            user_records_per_s: 3_000.0,
            records_per_s: 3_000.0,
            bytes_per_s: 1_572_864.0,
            peak_records_per_s: 3_000.0,
            peak_bytes_per_s: 1_572_864.0,
        },
        sizing: Sizing {
            more: MoreShards::Add,
            open_shards: 2,
            needed_shards: 3,
            aggregate: None,
        },
        window_s: 60,
    };
    let f = stream(
        Rule::WriteThrottling,
        Severity::Warning,
        Cause::ThrottledNow(cause),
    );
    assert_eq!(
        render(&f),
        "33 % of write attempts were throttled in the last minute (WriteProvisionedThroughputExceeded): \
         producers offer 3,000 new records/s (1.5 MiB/s); 2 shards take 2,000 records/s or 2.0 MiB/s. \
         Retries with backoff absorb short bursts; for sustained load, add shards (about 3). In \
         CloudWatch's 1-minute datapoints, IncomingRecords (Sum) ÷ 60 is 2,000 records/s against the \
         2,000 records/s the shards take; adding WriteProvisionedThroughputExceeded (Sum) gives 3,000 \
         records/s tried, retries included."
    );
    // Bursts within the minute: 84,000 written is 1,400 a second on average, under the
    // 2,000 the shards take, though 6,000 attempts were throttled.
    let bursty = ThrottledNow {
        throttled: 6_000,
        accepted: 84_000,
        ..cause
    };
    let text = render(&stream(
        Rule::WriteThrottling,
        Severity::Warning,
        Cause::ThrottledNow(bursty),
    ));
    assert!(
        text.ends_with(
            "IncomingRecords (Sum) ÷ 60 is 1,400 records/s against the 2,000 records/s the shards \
             take: under the limit, because the seconds that were throttled are averaged with \
             quieter ones in the 1-minute datapoint; adding WriteProvisionedThroughputExceeded \
             (Sum) gives 1,500 records/s tried, retries included."
        ),
        "{text}"
    );
    // Flushes every few seconds: the mean fits, the peak does not, so sending steadily
    // comes before more shards.
    let flushing = ThrottledNow {
        offered: Offered {
            user_records_per_s: 1_300.0,
            records_per_s: 1_300.0,
            bytes_per_s: 680_000.0,
            peak_records_per_s: 6_500.0,
            peak_bytes_per_s: 3_400_000.0,
        },
        sizing: Sizing {
            needed_shards: 7,
            ..cause.sizing
        },
        ..bursty
    };
    let text = render(&stream(
        Rule::WriteThrottling,
        Severity::Warning,
        Cause::ThrottledNow(flushing),
    ));
    assert!(
        text.contains(
            "The average fits the shards; only the peaks do not: send steadily (buffer records \
             and send every second, as the KPL does) and the throttling stops, or add shards \
             (about 7)."
        ),
        "{text}"
    );
    // Before a whole minute has run there is no 1-minute datapoint to read.
    let early = ThrottledNow {
        window_s: 30,
        ..cause
    };
    let text = render(&stream(
        Rule::WriteThrottling,
        Severity::Warning,
        Cause::ThrottledNow(early),
    ));
    assert!(!text.contains("CloudWatch"), "{text}");
    let mut one = cause;
    one.sizing.open_shards = 1;
    let f = stream(
        Rule::WriteThrottling,
        Severity::Warning,
        Cause::ThrottledNow(one),
    );
    assert!(
        render(&f).contains("; 1 shard takes 1,000 records/s or 1.0 MiB/s."),
        "{}",
        render(&f)
    );
}

#[test]
fn sizing_advice_follows_the_reshard_and_the_keys() {
    let sizing = |more, needed_shards| Sizing {
        more,
        open_shards: 2,
        needed_shards,
        aggregate: None,
    };
    assert_eq!(
        writes::sizing(&sizing(COMING, 12), "For bursts,"),
        "The reshard under way is not enough (resharding 2 → 10: about 6.0 min to go): this load \
         needs about 12 shards, so raise the target to 12."
    );
    assert_eq!(
        writes::sizing(&sizing(COMING, 10), "For bursts,"),
        "The reshard under way takes this load once it completes (resharding 2 → 10: about 6.0 min \
         to go)."
    );
    assert_eq!(
        writes::sizing(&sizing(MoreShards::NoHelp, 4), "For bursts,"),
        "A hot partition key does not cool with more shards; spread writes over more distinct keys."
    );
    assert_eq!(
        writes::sizing(&sizing(MoreShards::Add, 2), "For bursts,"),
        "That fits 2 shards if spread evenly, so the throttling comes from partition keys that crowd \
         some shards, or from retries piling up: spread writes over more distinct keys, or add a \
         shard for headroom."
    );
}

#[test]
fn a_reshard_held_by_the_daily_limit_says_how_long_it_waits() {
    let cause = Resharding {
        progress: ReshardProgress {
            from_shards: 4,
            to_shards: 16,
            left_ms: 43_200_000,
            waiting_ms: 43_080_000,
            on_demand: false,
        },
        max_per_day: 2,
    };
    let f = stream(Rule::Resharding, Severity::Ok, Cause::Resharding(cause));
    assert_eq!(
        render(&f),
        "Resharding 4 → 16 (UpdateShardCount, at most doubling or halving per step): about 12.0 h to \
         go. Writes and reads go on meanwhile. The limit of 2 UpdateShardCount calls per 24 h is \
         reached, so about 12.0 h of that is waiting for the next call."
    );
}

#[test]
fn healthy_says_at_least_a_second() {
    let f = stream(
        Rule::Healthy,
        Severity::Ok,
        Cause::Healthy { worst_age_ms: 250 },
    );
    assert_eq!(
        render(&f),
        "Healthy: no write, read or Lambda throttling, no loss; every consumer is within 1 s of the \
         newest record."
    );
    // Up to a minute behind is healthy; more is a backlog being worked off.
    let at = |worst_age_ms| {
        render(&stream(
            Rule::Healthy,
            Severity::Ok,
            Cause::Healthy { worst_age_ms },
        ))
    };
    assert!(at(60_000).starts_with("Healthy: "), "{}", at(60_000));
    assert_eq!(
        at(4 * 3_600_000 + 54 * 60_000),
        "Catching up: no write, read or Lambda throttling and no loss, but a consumer is still 4.9 h \
         behind the newest record."
    );
}

#[test]
fn bursts_of_the_last_hour_say_whether_the_stream_now_takes_them() {
    let lately = ThrottledLately {
        now_throttled: 0,
        now_accepted: 84_000,
        minutes: 60,
        bursts: 4,
        throttled_s: 80,
        throttled: 40_000,
        attempts: 5_100_000,
        dropped: 0,
        offered: Offered {
            user_records_per_s: 1_400.0,
            records_per_s: 1_400.0,
            bytes_per_s: 716_800.0,
            peak_records_per_s: 2_520.0,
            peak_bytes_per_s: 1_290_240.0,
        },
        open_shards: 4,
        now: PeakNow::MoreShards { shards_then: 2 },
    };
    let f = stream(
        Rule::WriteThrottling,
        Severity::Ok,
        Cause::ThrottledLately(lately),
    );
    assert_eq!(
        render(&f),
        "No write throttling in the last minute, but in the last hour: 4 bursts of write throttling \
         (80 s in all), 40,000 of 5,100,000 write attempts (0.8 %) throttled; producers retried them \
         and dropped none. Producers offer up to 2,520 records/s (1.2 MiB/s); 4 shards take 4,000 \
         records/s or 4.0 MiB/s. The stream had at most 2 shards then; the 4 open now take that load."
    );
}
