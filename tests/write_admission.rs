//! Write admission of one shard: numbers below, at and above the 1,000 records/s limit.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::{OneShardWrites, WriteLimit};

#[test]
fn limit_binds_on_records_for_small_records_and_on_bytes_for_large_ones() {
    let shard = WriteLimit::SHARD;
    assert_eq!(shard.records_for_size(512), 1_000);
    assert_eq!(shard.records_for_size(1_048), 1_000);
    // 1 MiB / 2 KiB = 512 records/s: the byte limit binds before the record limit.
    assert_eq!(shard.records_for_size(2_048), 512);
    assert_eq!(shard.records_for_size(1_048_576), 1);
    assert_eq!(shard.admit(700, 512), 700);
    assert_eq!(shard.admit(1_700, 512), 1_000);
    assert_eq!(shard.admit(1_700, 4_096), 256);
}

#[test]
fn below_the_limit_everything_is_accepted() {
    let samples = OneShardWrites::new(500.0).with_swell(0.0).run(600);
    assert_eq!(samples.len(), 600);
    for s in &samples {
        assert_eq!(
            (s.offered, s.accepted, s.throttled()),
            (500, 500, 0),
            "{s:?}"
        );
    }
}

#[test]
fn at_the_limit_nothing_is_throttled() {
    let samples = OneShardWrites::new(1_000.0).with_swell(0.0).run(600);
    assert!(samples
        .iter()
        .all(|s| s.accepted == 1_000 && s.throttled() == 0));
}

#[test]
fn above_the_limit_the_excess_is_throttled_every_second() {
    let samples = OneShardWrites::new(2_500.0).with_swell(0.0).run(600);
    for s in &samples {
        assert_eq!(
            (s.offered, s.accepted, s.throttled()),
            (2_500, 1_000, 1_500),
            "{s:?}"
        );
    }
}

#[test]
fn fractional_rates_carry_so_totals_are_exact() {
    let samples = OneShardWrites::new(333.5).with_swell(0.0).run(600);
    let offered: u64 = samples.iter().map(|s| s.offered).sum();
    assert_eq!(offered, 200_100);
    assert!(samples.iter().all(|s| s.offered == 333 || s.offered == 334));
}

#[test]
fn swell_below_the_mean_limit_still_throttles_at_its_peaks() {
    // 900/s ± 20 % peaks at 1,080/s: the crest of each 300 s period goes over the limit.
    let samples = OneShardWrites::new(900.0).run(600);
    let offered: u64 = samples.iter().map(|s| s.offered).sum();
    let accepted: u64 = samples.iter().map(|s| s.accepted).sum();
    let throttled: u64 = samples.iter().map(|s| s.throttled()).sum();
    assert_eq!(offered, accepted + throttled);
    // Two full periods of a sine average to the mean rate.
    assert!((offered as i64 - 540_000).abs() <= 1, "offered {offered}");
    let peak = samples.iter().map(|s| s.offered).max().unwrap_or(0);
    assert!((1_079..=1_081).contains(&peak), "peak {peak}");
    let throttled_seconds = samples.iter().filter(|s| s.throttled() > 0).count();
    // sin > 1/1.8 for about 31 % of each period (2·acos(0.5556)/2π ≈ 0.3125).
    assert!(
        (180..=196).contains(&throttled_seconds),
        "{throttled_seconds} s throttled"
    );
    assert!(samples.iter().all(|s| s.accepted <= 1_000));
}

#[test]
fn hostile_rates_do_not_panic() {
    for rate in [f64::NAN, f64::INFINITY, -5.0, 0.0] {
        let samples = OneShardWrites::new(rate).run(10);
        assert!(
            samples.iter().all(|s| s.offered == 0 && s.accepted == 0),
            "{rate}"
        );
    }
}
