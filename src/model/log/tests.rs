//! The log's segments: appends, folding, lookups, reads and retention.

use super::*;

#[test]
fn steady_ticks_extend_one_segment() {
    let mut log = ShardLog::default();
    for t in 0..1_000u64 {
        log.append(1_000, 1_024_000, t * 1_000, (t + 1) * 1_000);
    }
    // The last appends are their own segments; the older ones are one.
    assert_eq!(log.segments(), 1 + FRESH_APPENDS);
    assert_eq!(log.len(), 1_000_000);
    assert_eq!(log.arrival_ms(0), Some(0));
    assert_eq!(log.arrival_ms(1_500), Some(1_500));
    assert_eq!(log.arrival_ms(999_999), Some(999_999));
    assert_eq!(log.arrival_ms(1_000_000), None);
}

#[test]
fn varying_rates_stay_bounded_and_keep_recent_detail() {
    let mut log = ShardLog::default();
    for t in 0..100_000u64 {
        let n = if t % 2 == 0 { 100 } else { 300 };
        log.append(n, n * 10, t * 1_000, (t + 1) * 1_000);
    }
    assert!(log.segments() <= MAX_SEGMENTS);
    assert_eq!(log.len(), 50_000 * 400);
    // The newest record's arrival is exact: the newest segments are not merged.
    let last = log.end_seq() - 1;
    let at = log.arrival_ms(last).unwrap_or(0);
    assert!(at >= 99_999_000 - 1_000, "{at}");
}

#[test]
fn trimming_removes_by_arrival_time() {
    let mut log = ShardLog::default();
    for t in 0..100u64 {
        log.append(10, 100, t * 1_000, (t + 1) * 1_000);
    }
    assert_eq!(log.first_arrived_from(30_000), 300);
    assert_eq!(log.first_arrived_from(30_500), 305);
    assert_eq!(log.first_arrived_from(500_000), 1_000);
    assert_eq!(log.trim_before(30_000), 300);
    assert_eq!(log.trim_before(30_500), 305);
    assert_eq!(log.arrival_ms(305), Some(30_500));
    assert_eq!(log.trim_before(200_000), 1_000);
    assert!(log.is_empty());
    assert_eq!(log.segments(), 0);
}

#[test]
fn user_records_add_up_across_reads_and_trims() {
    let mut log = ShardLog::default();
    for t in 0..100u64 {
        // 10 Kinesis records holding 427 user records a second.
        log.append_packed(10, 10 * 51_000, 427, t * 1_000, (t + 1) * 1_000);
    }
    assert_eq!(log.users_at(1_000), 42_700);
    let mut read = 0;
    for from in (0..1_000).step_by(7) {
        read += log.users_in(from, 7.min(1_000 - from));
    }
    assert_eq!(read, 42_700);
    log.trim_before(30_500);
    assert_eq!(
        log.users_at(log.start_seq()) + log.users_in(log.start_seq(), log.len()),
        42_700
    );
}

#[test]
fn take_respects_records_and_bytes() {
    let mut log = ShardLog::default();
    log.append(1_000, 1_000_000, 0, 1_000);
    assert_eq!(log.take(0, 100, u64::MAX), (100, 100_000));
    assert_eq!(log.take(950, 100, u64::MAX), (50, 50_000));
    assert_eq!(log.take(0, 10_000, 250_500), (250, 250_000));
    assert_eq!(log.take(1_000, 10, 10), (0, 0));
}

#[test]
fn a_recent_record_arrives_within_its_own_append() {
    // 599, 600 and 601 records in turn: each second's records are spread over that
    // second, whatever the seconds before held.
    let mut log = ShardLog::default();
    let mut seq = 0;
    for t in 0..300u64 {
        let n = 599 + t % 3;
        log.append(n, n * 100, t * 1_000, (t + 1) * 1_000);
        seq += n;
    }
    // The last append: 601 records over [299 s, 300 s).
    let first = seq - 601;
    assert_eq!(log.arrival_ms(first), Some(299_000));
    assert_eq!(
        log.arrival_ms(first + 300),
        Some(299_000 + 300 * 1_000 / 601)
    );
    // Five appends back: 600 records over [295 s, 296 s).
    let five_back = seq - 601 - 600 - 599 - 601 - 600;
    assert_eq!(log.arrival_ms(five_back), Some(295_000));
    assert_eq!(log.arrival_ms(five_back + 599), Some(295_998));
    assert_eq!(log.mean_delay(five_back, 600, 297_000), 1_501);
    assert_eq!(log.take(five_back, 10_000, u64::MAX).0, seq - five_back);
    // The one before: 599 records over [294 s, 295 s).
    assert_eq!(log.arrival_ms(five_back - 599), Some(294_000));
    assert!(log.segments() <= MAX_SEGMENTS);
}
