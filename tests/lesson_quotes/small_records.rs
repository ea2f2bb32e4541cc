//! The small-records lesson against numbers worked out by hand from the facts: a shard
//! takes 1,000 records/s or 1 MiB/s, a KPL aggregate holds what one instance sends a
//! shard in `record_max_buffered_time_ms` (100 ms) up to `aggregation_max_bytes`
//! (51,200 B: 20 B of magic and MD5, the key "a", 8 B of framing per user record), and a
//! PUT payload unit is 25 KB of a Kinesis record.
use kinesis_playground::model::{ConsumerConfig, Simulation};
use kinesis_playground::teach::checkpoints::for_preset;
use kinesis_playground::teach::presets::Preset;

const MIB: f64 = 1_048_576.0;

fn preset() -> Preset {
    super::preset("small-records")
}

/// Asserts `text` holds every one of `parts`.
fn quotes(text: &str, parts: &[String]) {
    super::quotes("small-records", text, parts);
}

#[test]
fn unpacked_the_records_limit_throttles_and_drops_a_third_at_a_tenth_of_the_bytes() {
    let p = preset();
    let c = &p.config;
    let producer = &c.producers[0];
    let offered = f64::from(producer.instances) * producer.records_per_sec;
    let mut sim = Simulation::new(c.clone()).expect("valid");
    let record = sim.producer_record_bytes().next().expect("a producer") as f64;
    // 100 B and keys "sensors-0" … "sensors-4999", 11.78 B on average.
    assert_eq!(record, 112.0);
    let limit = f64::from(c.stream.shards) * 1_000.0;
    assert_eq!((offered, limit), (3_000.0, 2_000.0));
    sim.run_for(600);
    let m = sim.metrics();
    assert_eq!(m.incoming_records as f64, limit);
    assert!(
        (m.dropped_by_producer as f64 - (offered - limit)).abs() <= 20.0,
        "{m:?}"
    );
    let bytes_share = limit * record / (f64::from(c.stream.shards) * MIB);
    assert!((bytes_share - 0.107).abs() < 0.001, "{bytes_share}");
    let three = offered * record / (3.0 * MIB);
    assert!((three - 0.107).abs() < 0.001, "{three}");
    // One PUT payload unit per accepted record: 2,000 a second, $0.014 a million.
    let units = sim.cost_by_mode()[0].data_in / 0.014 * 1e6 / 600.0;
    assert!((units - limit).abs() < 1e-6, "{units}");
    let f = |x: f64| format!("{x:.2}");
    quotes(
        p.question,
        &[format!("sensors send {} MiB/s", f(offered * record / MIB))],
    );
    quotes(
        p.explanation,
        &[
            "Four gateways each send 750 readings a second of 100 bytes, 112 with the partition key: 3,000 records/s, yet only 0.32 MiB/s".into(),
            "full at 2,000 records/s while they carry 11 % of the bytes".into(),
            "The 1,000 records/s over the limit are throttled, tried up to 3 times".into(),
            "Three shards would take them, still at 11 % of their bytes".into(),
        ],
    );
    assert_eq!(producer.retry.max_attempts, 3);
    assert_eq!(producer.instances, 4);
}

#[test]
fn packed_the_same_shards_take_80_kinesis_records_a_second() {
    let p = preset();
    let fixed = p.fixed(&p.config).expect("the fix");
    let producer = &fixed.producers[0];
    assert!(producer.aggregation);
    assert_eq!(producer.aggregation_max_bytes, 51_200);
    assert_eq!(producer.record_max_buffered_time_ms, 100);
    // A gateway sends a shard 750 × w a second, so 75 × w in 100 ms, against
    // (51,200 − 20) / (112 + 8) = 426 that fit: the deadline packs. Shard i then gets
    // 3,000 w / (75 w) = 40 Kinesis records a second whatever its share w, each of
    // 21 + 75 w × 120 B: 80 a second of 361,680 B in all, 37.5 readings each on average.
    let mut sim = Simulation::new(fixed.clone()).expect("valid");
    sim.run_for(600);
    let t = sim.totals();
    assert_eq!((t.throttled, t.dropped_by_producer), (0, 0));
    assert_eq!(t.accepted, 600 * 80);
    let m = sim.metrics();
    assert_eq!((m.incoming_records, m.incoming_bytes), (80, 361_680));
    assert!((361_680.0 / MIB - 0.345).abs() < 0.001);
    assert!(
        (361_680.0_f64 / 80.0 - 4_521.0).abs() < 1e-9,
        "about 4.5 KB"
    );
    let figures = sim.aggregation()[0];
    assert!((figures.user_records_per_kinesis_record - 37.5).abs() < 1e-6);
    assert!((figures.extra_delay_ms_max - 100.0).abs() < 1e-9);
    assert!((figures.extra_delay_ms_mean - 50.0).abs() < 1e-6);
    // One PUT payload unit per Kinesis record: 80 a second.
    let units = sim.cost_by_mode()[0].data_in / 0.014 * 1e6 / 600.0;
    assert!((units - 80.0).abs() < 1e-6, "{units}");
    // The function de-aggregates and gets every reading put.
    let ConsumerConfig::Lambda(l) = &fixed.consumers[0] else {
        panic!("a Lambda consumer")
    };
    assert!(l.deaggregate);
    let r = &sim.ledgers()[0];
    let users = r.processed_user_records.unwrap_or(0);
    // (User records within a Kinesis record are counted as interpolated, so the two
    // may differ by a few records' worth.)
    assert!(t.user_records_put.abs_diff(users) <= 3_000, "{r:?}");
    assert!(r.final_iterator_age_ms <= 2_000, "{r:?}");
    quotes(
        p.explanation,
        &[
            "about 375 readings a second".into(),
            "a Kinesis record holds 37.5 on average, about 4.5 KB".into(),
            "travel as 80 Kinesis records a second".into(),
            "0.34 MiB/s with the packing".into(),
            "up to 100 ms, 50 ms on average".into(),
            "fall from 2,000 a second to 80".into(),
            format!(
                "a batch of up to {} may now hold {}",
                l.batch_size,
                kinesis_playground::format::thousands((f64::from(l.batch_size) * 37.5) as u64)
            ),
        ],
    );
    quotes(
        p.after_fix,
        &["as 80 Kinesis records a second, 37.5 readings in each".into()],
    );
    quotes(
        p.watch_after_fix,
        &[
            "from 2,000 to 80 records/s".into(),
            format!(
                "from {:.2} to {:.2} MiB/s",
                224_000.0 / MIB,
                361_680.0 / MIB
            ),
            "up to 100 ms later".into(),
        ],
    );
}

#[test]
fn the_checkpoints_quote_the_run() {
    let [first, second] = for_preset("small-records") else {
        panic!("two checkpoints")
    };
    // 3,000 × 112 B = 0.32 MiB/s: a third of one shard's 1 MiB/s.
    quotes(
        first.notice,
        &[
            "3,000 readings a second".into(),
            "take 2,000 records a second".into(),
            "0.32 MiB/s".into(),
        ],
    );
    quotes(
        second.notice,
        &["refused three times, about 1,000 a second".into()],
    );
}
