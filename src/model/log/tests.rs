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

/// Calls of `append_rounds` on this thread that summed folds.
fn summed() -> u64 {
    super::rounds::SUMMED.with(std::cell::Cell::get)
}

/// One append per second: `counts[i]` records of `bytes` bytes each (and `users` user
/// records per record) from second `t0_s + i`.
fn pattern(counts: &[u64], bytes: u64, users: u64, first_seq: u64, t0_s: u64) -> Vec<Segment> {
    let mut seq = first_seq;
    let mut out = Vec::new();
    for (i, &n) in counts.iter().enumerate() {
        let t0_ms = (t0_s + i as u64) * 1_000;
        out.push(Segment {
            first_seq: seq,
            count: n,
            t0_ms,
            t1_ms: t0_ms + 1_000,
            bytes: n * bytes,
            users: n * users,
        });
        seq += n;
    }
    out
}

/// `log` after `rounds` of `counts`, appended one by one with retention's cut after
/// each second, and the same through [`ShardLog::append_rounds`]; returns what that
/// answered and checks both logs are equal.
fn both_ways(
    log: &ShardLog,
    counts: &[u64],
    bytes: u64,
    rounds: u64,
    retention_s: u64,
) -> Option<bool> {
    let a = counts.len() as u64;
    let t0_s = log.newest().map_or(0, |s| s.t1_ms / 1_000);
    let pat = pattern(counts, bytes, 1, log.end_seq(), t0_s);
    let cut = |second: u64| ((second + 1) * 1_000).saturating_sub(retention_s * 1_000);
    let mut stepped = log.clone();
    for k in 0..rounds {
        for (i, seg) in pat.iter().enumerate() {
            let seg = seg.shifted(k * pat.iter().map(|s| s.count).sum::<u64>(), k * a * 1_000);
            stepped.append_packed(seg.count, seg.bytes, seg.users, seg.t0_ms, seg.t1_ms);
            stepped.trim_before(cut(t0_s + k * a + i as u64));
        }
    }
    let mut bulk = log.clone();
    let last = t0_s + rounds * a - 1;
    let answer = bulk.append_rounds(&pat, rounds, a * 1_000, cut(last));
    match answer {
        Some(true) => {
            for second in t0_s..=last {
                bulk.trim_before(cut(second));
            }
        }
        Some(false) => {}
        None => bulk = stepped.clone(),
    }
    assert_eq!(
        bulk, stepped,
        "{counts:?} × {rounds}, retention {retention_s} s"
    );
    answer
}

/// A log warmed up with `seconds` of `counts` over and over.
fn warmed(counts: &[u64], bytes: u64, seconds: u64) -> ShardLog {
    let mut log = ShardLog::default();
    for t in 0..seconds {
        let n = counts[(t % counts.len() as u64) as usize];
        log.append(n, n * bytes, t * 1_000, (t + 1) * 1_000);
    }
    log
}

#[test]
fn rounds_of_a_steady_pattern_are_summed_exactly() {
    // Fractions of a record a second come and go: 1,000.33 records/s, 600 B records.
    let counts = [1_000, 1_000, 1_001];
    for warm in [40, 41, 300] {
        let log = warmed(&counts, 600, warm);
        for rounds in [1, 2, 11, 12, 1_000, 28_800] {
            let before = summed();
            let answer = both_ways(&log, &counts, 600, rounds, 86_400 * 400);
            assert_eq!(answer, Some(false), "warm {warm}, rounds {rounds}");
            // Beyond the first round's folds and the fresh appends, the rest is summed;
            // all of it when the fresh appends are rounds of the pattern (300 seconds
            // of it end with a whole round; 40 and 41 do not, and the pattern starts
            // again).
            let beyond = (rounds - 1) * counts.len() as u64 > FRESH_APPENDS as u64;
            assert_eq!(
                summed() - before,
                u64::from(beyond || warm == 300),
                "warm {warm}, rounds {rounds}"
            );
        }
    }
}

#[test]
fn rounds_leave_retentions_cuts_to_the_older_segments() {
    // An hour at another rate, then the pattern: retention (50 minutes) cuts into the
    // first hour's segment only.
    let mut log = warmed(&[500], 700, 3_600);
    for t in 3_600..3_700u64 {
        log.append(37, 37 * 2_048, t * 1_000, (t + 1) * 1_000);
    }
    let before = summed();
    let answer = both_ways(&log, &[37, 37, 38, 37], 2_048, 400, 3_000);
    assert_eq!(answer, Some(true));
    assert_eq!(summed(), before + 1);
    // Retention reaching the segment the appends extend: not done in one step.
    assert_eq!(both_ways(&log, &[37, 37, 38, 37], 2_048, 400, 1_500), None);
}

/// The page's case: each replay's rounds come after the last replay's, so the fresh
/// appends are whole rounds of the same pattern, and every fold from theirs on is
/// summed (one call counted even when the first round alone folds).
#[test]
fn rounds_after_rounds_of_the_same_pattern_are_summed_from_the_fresh_appends() {
    // Fresh appends that start a round's append or two in (32 is no whole number of
    // rounds of 3 or 5).
    for counts in [&[1_000, 1_000, 1_001][..], &[40, 41, 41, 40, 41]] {
        let log = warmed(counts, 512, 30 * counts.len() as u64);
        for rounds in [1, 40] {
            let before = summed();
            assert_eq!(both_ways(&log, counts, 512, rounds, 86_400), Some(false));
            assert_eq!(summed(), before + 1, "{counts:?}, rounds {rounds}");
        }
    }
    let counts = [245, 246, 246, 246];
    for warm in [400, 4_000] {
        let log = warmed(&counts, 1_039, warm);
        for rounds in [1, 2, 9, 100, 10_000] {
            let before = summed();
            let answer = both_ways(&log, &counts, 1_039, rounds, 86_400 * 400);
            assert_eq!(answer, Some(false), "warm {warm}, rounds {rounds}");
            assert_eq!(summed(), before + 1, "warm {warm}, rounds {rounds}");
        }
    }
    // Retention cutting the older segments only, then reaching the one the appends
    // extend.
    let mut log = warmed(&[500], 700, 3_600);
    for t in 3_600..3_700u64 {
        let n = counts[(t % 4) as usize];
        log.append(n, n * 2_048, t * 1_000, (t + 1) * 1_000);
    }
    let before = summed();
    assert_eq!(both_ways(&log, &counts, 2_048, 400, 3_000), Some(true));
    assert_eq!(summed(), before + 1);
    assert_eq!(both_ways(&log, &counts, 2_048, 400, 1_500), None);
    // Fresh appends that are the pattern's rounds but do not continue the segment
    // before them (another rate): folded as appending would, not summed from there.
    let mut log = warmed(&[500], 700, 3_600);
    for t in 3_600..3_632u64 {
        let n = counts[(t % 4) as usize];
        log.append(n, n * 2_048, t * 1_000, (t + 1) * 1_000);
    }
    for rounds in [1, 50] {
        assert_eq!(both_ways(&log, &counts, 2_048, rounds, 86_400), Some(false));
    }
}

#[test]
fn rounds_that_do_not_fold_steadily_are_folded_one_by_one() {
    // Rates that alternate by a factor of 3 start a segment each time and merge them.
    let counts = [100, 300, 100, 300, 5];
    let log = warmed(&counts, 10, 500);
    let before = summed();
    for rounds in [1, 7, 60, 2_000] {
        assert_eq!(
            both_ways(&log, &counts, 10, rounds, 86_400 * 400),
            Some(false)
        );
    }
    assert_eq!(summed(), before, "nothing steady to sum");
    // A record size that changes starts a segment of its own, which the rest extend.
    let log = warmed(&[10], 1_000, 100);
    assert_eq!(both_ways(&log, &[10], 1_100, 500, 86_400), Some(false));
    assert_eq!(summed(), before + 1);
}

#[test]
fn rounds_on_short_and_empty_logs_match_appending() {
    for (warm, counts) in [
        (0u64, vec![3u64]),
        (5, vec![2, 2, 3]),
        (31, vec![9]),
        (33, vec![1, 2]),
    ] {
        let log = warmed(&counts, 100, warm);
        for rounds in [1, 3, 40] {
            both_ways(&log, &counts, 100, rounds, 86_400);
        }
    }
}

/// One tick of a stream past its retention: `counts[t % len]` records of `bytes` bytes
/// each, appended over the tick of `tick_ms` that starts at `t × tick_ms`, then the cut
/// at `retention_ms`.
fn tick_past_retention(log: &mut ShardLog, counts: &[u64], bytes: u64, tick_ms: u64, t: u64) {
    let n = counts[(t % counts.len() as u64) as usize];
    log.append(n, n * bytes, t * tick_ms, (t + 1) * tick_ms);
    log.trim_before(((t + 1) * tick_ms).saturating_sub(3_600_000));
}

#[test]
fn a_log_past_its_retention_moves_on_whole() {
    // Even appends repeat whole: 600 records a second, and 7 a second (no whole number
    // of ms apart). Uneven ones (a carry's pattern at 5 s ticks, large records at 10 s
    // ticks) do not.
    let cases: [(&[u64], u64, u64, bool); 4] = [
        (&[600], 512, 1_000, true),
        (&[7], 25_000, 1_000, true),
        (&[37, 37, 38], 2_048, 5_000, false),
        (&[3, 4], 900_000, 10_000, false),
    ];
    for (counts, bytes, tick_ms, repeats) in cases {
        let period = counts.len() as u64;
        let warm = 2 * 3_600_000 / tick_ms;
        let mut log = ShardLog::default();
        for t in 0..warm {
            tick_past_retention(&mut log, counts, bytes, tick_ms, t);
        }
        let earlier = log.clone();
        for t in warm..warm + period {
            tick_past_retention(&mut log, counts, bytes, tick_ms, t);
        }
        let records: u64 = counts.iter().sum();
        let moved = log.moved_from(&earlier, period * tick_ms);
        if !repeats {
            // The cut of an uneven pattern lands at a rounded time in the one folded
            // segment, which drifts as the segment's rate is averaged anew: the shape
            // does not come back, and a replay appends and cuts tick by tick instead.
            assert_eq!(moved, None, "{counts:?} at {tick_ms} ms");
            continue;
        }
        assert_eq!(
            moved,
            Some(Moved {
                records,
                users: records
            }),
            "{counts:?} at {tick_ms} ms"
        );
        // The wrong time is no repeat.
        assert_eq!(log.moved_from(&earlier, (period + 1) * tick_ms), None);
        // Moved on 500 periods at once, it is the log appended and cut tick by tick.
        let mut stepped = log.clone();
        for t in warm + period..warm + 501 * period {
            tick_past_retention(&mut stepped, counts, bytes, tick_ms, t);
        }
        log.move_on(
            Moved {
                records,
                users: records,
            },
            period * tick_ms,
            500,
        );
        assert_eq!(log, stepped, "{counts:?} at {tick_ms} ms");
        assert_eq!(log.users_in(log.start_seq(), 10), 10);
    }
    // A log that retention has not caught up with grows: no repeat.
    let mut young = ShardLog::default();
    for t in 0..100 {
        tick_past_retention(&mut young, &[600], 512, 1_000, t);
    }
    let then = young.clone();
    tick_past_retention(&mut young, &[600], 512, 1_000, 100);
    assert_eq!(young.moved_from(&then, 1_000), None);
}

#[test]
fn lookups_give_the_segment_holding_the_record_whatever_the_hint() {
    // Uneven appends (some merged, some folded, 32 fresh), cut by retention as they go.
    let mut log = ShardLog::default();
    let mut rng = crate::model::rng::Rng::new(7);
    for t in 0..400u64 {
        let n = 1 + rng.next_u64() % 900;
        log.append(n, n * (100 + t % 7), t * 1_000, (t + 1) * 1_000);
        if t >= 300 {
            let _ = log.trim_before((t - 300) * 1_000 + 500);
        }
    }
    assert!(log.held.folded.len() > 2 && log.held.fresh.len() == FRESH_APPENDS);
    let segs: Vec<Segment> = log.segs().copied().collect();
    let folded = log.held.folded.len();
    // Readers at a few places, looked up in turns, near each other and far apart.
    for k in 0..5_000u64 {
        let seq = match k % 3 {
            0 => log.start_seq() + rng.next_u64() % log.len(),
            1 => log.end_seq() - 1 - rng.next_u64() % 3_000,
            _ => log.start_seq() + (k * 37) % log.len(),
        };
        let _ = log.looked_back();
        let i = segs
            .iter()
            .position(|s| seq >= s.first_seq && seq < s.end_seq())
            .expect("a retained record is in a segment");
        assert_eq!(log.find(seq), Some(&segs[i]), "record {seq}");
        assert_eq!(log.looked_back(), i < folded, "record {seq}");
    }
    // Each segment's last record, then the next one's first: the hint is then the
    // segment just before the record.
    for pair in segs.windows(2) {
        let last = pair[0].end_seq() - 1;
        if last >= log.start_seq() {
            assert_eq!(log.find(last), Some(&pair[0]), "record {last}");
        }
        assert_eq!(log.find(pair[1].first_seq), Some(&pair[1]));
    }
    assert_eq!(log.find(log.end_seq()), None);
    assert_eq!(log.find(log.start_seq().wrapping_sub(1)), None);
}
