//! Findings about writes when records are small or packed: the limits count Kinesis
//! records, so the diagnosis sizes an aggregating producer's load in Kinesis records and
//! suggests KPL aggregation where small records hit the records limit.

use kinesis_playground::model::diagnosis::{Aggregate, Cause, MoreShards, SMALL_RECORD_BYTES};
use kinesis_playground::model::Simulation;
use kinesis_playground::teach::Rule;

use super::support::*;

/// The `Sizing` of the write-throttling finding after `seconds` of `config`.
fn sizing(
    config: kinesis_playground::model::Config,
    seconds: u64,
) -> (f64, f64, Option<u32>, Option<Aggregate>) {
    let f = fires_typed(Rule::WriteThrottling, config, seconds);
    let Cause::ThrottledNow(c) = f.cause else {
        panic!("not throttled now: {f:#?}")
    };
    assert_eq!(c.sizing.more, MoreShards::Add);
    (
        c.offered.records_per_s,
        c.offered.user_records_per_s,
        Some(c.sizing.needed_shards),
        c.sizing.aggregate,
    )
}

/// One instance sending `per_s` records of `bytes` on ten keys ("p-0" … "p-9", 3 B) to
/// `shards` shards, packing records in aggregates of at most `max` bytes when `kpl`.
fn small(shards: u32, per_s: u32, bytes: u32, max: u32, kpl: bool) -> String {
    format!(
        r#"{{"stream": {{"shards": {shards}}},
            "producers": [{{"name": "p", "records_per_sec": {per_s}, "record_bytes": {bytes},
                "distinct_keys": 10, "aggregation": {kpl}, "aggregation_max_bytes": {max}}}],
            "consumers": []}}"#
    )
}

#[test]
fn the_small_records_lesson_is_told_to_aggregate_not_to_add_shards_first() {
    // 3,000 records/s of 112 B into two shards: the records limit needs 3 shards, the
    // bytes 1. Packed, each shard gets 40 Kinesis records/s: 80, which one shard takes.
    assert_eq!(SMALL_RECORD_BYTES, 262);
    let found = run(preset("small-records"), 300);
    let (records, users, needed, aggregate) = sizing(preset("small-records"), 300);
    assert_eq!((records, users, needed), (3_000.0, 3_000.0, Some(3)));
    assert_eq!(
        aggregate,
        Some(Aggregate {
            record_bytes: 112,
            kinesis_records_per_s: 80,
            shards: 1
        })
    );
    says(
        &find(&found, Rule::WriteThrottling).message,
        &[
            "Records of 112 B reach a shard's 1,000 records/s long before its 1 MiB/s: with KPL \
           aggregation (the producer's aggregation setting) they would travel as about 80 \
           Kinesis records/s, which 1 shard takes; without it, add shards (about 3).",
        ],
    );
    says(
        &find(&found, Rule::ProducerDrops).message,
        &["Pack small records with KPL aggregation, add shards, or allow more retry attempts"],
    );
}

#[test]
fn aggregation_is_suggested_for_200_byte_records_with_their_own_aggregate_size() {
    // 4,000 records/s of 203 B (200 + "p-0"): 0.77 MiB/s, so the records limit needs 4
    // shards and the bytes 1. With 5,000-byte aggregates (51,200 by default) a Kinesis
    // record holds (5,000 − 20) / (203 + 8) = 23 user records, however fast they come:
    // 4,000 / 23 = 174 Kinesis records/s of 21 + 23 × 211 = 4,874 B, 0.81 MiB/s: 1 shard.
    let config = json(&small(2, 4_000, 200, 5_000, false));
    let sim = Simulation::new(config.clone()).expect("valid");
    assert_eq!(sim.producer_record_bytes().next(), Some(203));
    let (records, _, needed, aggregate) = sizing(config, 300);
    assert_eq!((records, needed), (4_000.0, Some(4)));
    assert_eq!(
        aggregate,
        Some(Aggregate {
            record_bytes: 203,
            kinesis_records_per_s: (4_000.0_f64 / 23.0).round() as u64,
            shards: 1
        })
    );
}

#[test]
fn records_of_1000_bytes_or_packing_that_does_not_pack_get_shards_not_aggregation() {
    // 1,000 B: over the quarter of 1 MiB ÷ 1,000 that counts as small.
    let (_, _, needed, aggregate) = sizing(json(OVERLOAD), 300);
    assert_eq!((needed, aggregate), (Some(3), None));
    let f = fires(Rule::WriteThrottling, json(OVERLOAD), 300);
    assert!(!f.message.contains("aggregation"), "{}", f.message);
    // 300 B: under the bytes limit at 3,000 records/s (0.86 MiB/s), but not small.
    let (_, _, needed, aggregate) = sizing(json(&small(2, 3_000, 300, 51_200, false)), 300);
    assert_eq!((needed, aggregate), (Some(3), None));
    // 3,000 instances sending one record a second each: an instance has 0.05 records
    // for a shard in 100 ms, so nothing would be packed and shards remain the remedy.
    let many = r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 3000, "records_per_sec": 1, "record_bytes": 100,
                       "distinct_keys": 1000}],
        "consumers": []}"#;
    let (_, _, needed, aggregate) = sizing(json(many), 300);
    assert_eq!((needed, aggregate), (Some(3), None));
}

#[test]
fn an_aggregating_producer_is_sized_in_kinesis_records() {
    // 15,000 records/s of 103 B (100 + "p-0") packed into 20,000-byte aggregates: (20,000 − 20) / (103 + 8) = 180 each, 83.3 Kinesis
    // records/s of 21 + 180 × 111 = 20,001 B, 1.59 MiB/s: two shards by bytes, where
    // user records would have asked for 15.
    let config = json(&small(1, 15_000, 100, 20_000, true));
    let (records, users, needed, aggregate) = sizing(config.clone(), 300);
    assert_eq!(users, 15_000.0);
    assert!((records - 15_000.0 / 180.0).abs() < 1e-6, "{records}");
    assert_eq!((needed, aggregate), (Some(2), None));
    let f = fires(Rule::WriteThrottling, config, 300);
    says(
        &f.message,
        &[
            "producers offer 83 new records/s (1.6 MiB/s) (KPL aggregation packs 15,000 user \
             records/s into them)",
            "add shards (about 2)",
        ],
    );
}

#[test]
fn the_small_records_lesson_fixed_is_healthy() {
    // Packed, the 3,000 readings a second are 80 Kinesis records/s on two shards.
    let p = kinesis_playground::teach::presets::find("small-records").expect("preset");
    let fixed = p.fixed(&p.config).expect("the fix");
    let found = run(fixed, 300);
    assert_eq!(rules(&found), vec![Rule::Healthy], "{found:#?}");
}
