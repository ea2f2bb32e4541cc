//! Rounds of appends and retention's cuts on logs past their retention: made at once
//! where the log drifts alike period after period, and one tick at a time.

use super::super::{Segment, ShardLog};
use super::{Memo, Round, SKIPPED};

/// Calls of `run_rounds` on this thread that jumped over periods.
fn skipped() -> u64 {
    SKIPPED.with(std::cell::Cell::get)
}

/// A stream's pattern on one shard: `counts[i]` records of `bytes[i]` bytes each (of
/// `bytes[0]` if it has one), holding `users` user records each, in the `i`-th tick of
/// `tick_ms`, each tick ended by retention's cut at `retention_ms`.
struct Pattern {
    counts: &'static [u64],
    bytes: &'static [u64],
    users: u64,
    tick_ms: u64,
    retention_ms: u64,
}

impl Pattern {
    /// Records and bytes of the `i`-th tick of the pattern.
    fn at(&self, i: usize) -> (u64, u64) {
        let n = self.counts[i % self.counts.len()];
        (n, n * self.bytes[i % self.bytes.len()])
    }

    /// Tick `t` (from time 0), appended then cut, as the engine steps it.
    fn tick(&self, log: &mut ShardLog, t: u64) {
        let (n, bytes) = self.at(t as usize);
        let (t0, t1) = (t * self.tick_ms, (t + 1) * self.tick_ms);
        log.append_packed(n, bytes, n * self.users, t0, t1);
        log.trim_before(t1.saturating_sub(self.retention_ms));
    }

    /// The round of ticks `t0..` (as long as the pattern).
    fn round(&self, log: &ShardLog, t0: u64) -> Round {
        let mut round = Round {
            ms: self.counts.len() as u64 * self.tick_ms,
            ..Round::default()
        };
        let mut seq = log.end_seq();
        for i in 0..self.counts.len() {
            let (n, bytes) = self.at(i);
            let t = t0 + i as u64;
            round.appends.push(Segment {
                first_seq: seq,
                count: n,
                t0_ms: t * self.tick_ms,
                t1_ms: (t + 1) * self.tick_ms,
                bytes,
                users: n * self.users,
            });
            seq += n;
            let cutoff = ((t + 1) * self.tick_ms).saturating_sub(self.retention_ms);
            round.cuts.push((round.appends.len(), cutoff));
        }
        round
    }

    /// The log after `ticks` whole rounds from time 0, a tick at a time.
    fn warmed(&self, ticks: u64) -> ShardLog {
        let mut log = ShardLog::default();
        for t in 0..ticks {
            self.tick(&mut log, t);
        }
        log
    }

    /// From `log` (at tick `t0`, a round's start), `rounds` rounds through `run_rounds`
    /// and tick by tick: asserts both give the same log; returns how many jumps over
    /// periods it made.
    fn both_ways(&self, log: &ShardLog, t0: u64, rounds: u64) -> u64 {
        let before = skipped();
        let mut at_once = log.clone();
        at_once.run_rounds(&self.round(log, t0), rounds, &mut Memo::default());
        let mut stepped = log.clone();
        let len = self.counts.len() as u64;
        for t in t0..t0 + rounds * len {
            self.tick(&mut stepped, t);
        }
        assert_eq!(at_once, stepped, "{:?}: {rounds} rounds", self.counts);
        skipped() - before
    }
}

/// A case: `counts` records of `bytes` bytes (each holding `users` user records) per
/// tick of `tick_ms`, with a retention of `hours`; jumped over from `jumps_from` rounds.
fn case(
    counts: &'static [u64],
    bytes: &'static [u64],
    users: u64,
    tick_ms: u64,
    hours: u64,
    jumps_from: u64,
) -> (Pattern, u64) {
    let pattern = Pattern {
        counts,
        bytes,
        users,
        tick_ms,
        retention_ms: hours * 3_600_000,
    };
    (pattern, jumps_from)
}

/// The patterns the jumps are checked on, each with the fewest rounds of a call that
/// jumps over its periods.
fn patterns() -> [(Pattern, u64); 7] {
    [
        // A thousandth of 251.75 records a second: its folded segment keeps its records.
        case(&[251, 252, 252, 252], &[1_039], 1, 1_000, 1, 3),
        // 245.75 a second over a day: it loses a record every five rounds. Over 20,000
        // rounds the loss changes pace: the jump stops short and looks again.
        case(&[245, 246, 246, 246], &[1_039], 1, 1_000, 24, 40),
        // Aggregated records of 3 user records each: a period of 94 rounds.
        case(&[10, 11, 11], &[51_000], 3, 1_000, 1, 1_000),
        // A carry's pattern at 5 s ticks, and large records at 10 s ticks: their cut
        // settles into a period only after a few hundred rounds, looked for again and
        // again until then.
        case(&[37, 37, 38], &[2_048], 1, 5_000, 1, 1_000),
        case(&[3, 4], &[900_000], 1, 10_000, 1, 1_000),
        // Records of another size each second (within the fold's 1/32): the fold's
        // size check turns on the folded segment's bytes, which drift too.
        case(
            &[100, 101, 100, 101],
            &[1_000, 1_020, 990, 1_010],
            1,
            1_000,
            1,
            3,
        ),
        // Even appends: the log moves on whole.
        case(&[600], &[512], 1, 1_000, 1, 3),
    ]
}

#[test]
fn uneven_patterns_past_retention_jump_to_the_log_stepping_gives() {
    let cases = patterns();
    for (p, jumps_from) in cases {
        let len = p.counts.len() as u64;
        // Well past the retention, at a round's start.
        let warm = (p.retention_ms / p.tick_ms / len + 100) * len;
        let log = p.warmed(warm);
        for rounds in [3, 40, 1_000, 5_000, 20_000] {
            let jumps = p.both_ways(&log, warm, rounds);
            let counts = p.counts;
            assert_eq!(
                jumps > 0,
                rounds >= jumps_from,
                "{counts:?}: {rounds} rounds"
            );
            if counts[0] == 245 && rounds == 20_000 {
                assert!(jumps >= 2, "{jumps} jumps");
            }
        }
    }
}

/// Calls of `run_rounds` on this thread that went on from a kept proof.
fn resumed() -> u64 {
    super::RESUMED.with(std::cell::Cell::get)
}

/// Of those, the calls that found the log still marked by the proof.
fn unmoved() -> u64 {
    super::UNMOVED.with(std::cell::Cell::get)
}

/// The page's way: many calls of a frame's rounds each, with a round or a stray tick
/// worked out between some of them, each checked against stepping tick by tick.
#[test]
fn calls_going_on_from_a_kept_proof_give_the_log_stepping_gives() {
    let cases = patterns();
    // Rounds per call; `None` works out one round tick by tick between calls.
    let calls = [
        Some(144),
        Some(144),
        Some(144),
        None,
        Some(144),
        Some(7),
        Some(1_000),
        Some(3),
        None,
        Some(500),
        Some(144),
        Some(20_000),
        Some(144),
    ];
    for (p, _) in cases {
        let len = p.counts.len() as u64;
        let mut t = (p.retention_ms / p.tick_ms / len + 100) * len;
        let mut log = p.warmed(t);
        let mut stepped = log.clone();
        let mut memo = Memo::default();
        let (before, marked) = (resumed(), unmoved());
        for (i, call) in calls.iter().enumerate() {
            let rounds = call.unwrap_or(1);
            if call.is_some() {
                log.run_rounds(&p.round(&log, t), rounds, &mut memo);
            } else {
                for k in t..t + len {
                    p.tick(&mut log, k);
                }
            }
            for k in t..t + rounds * len {
                p.tick(&mut stepped, k);
            }
            t += rounds * len;
            assert_eq!(log, stepped, "{:?}: call {i}", p.counts);
        }
        let resumes = resumed() - before;
        assert!(resumes >= 3, "{:?}: {resumes} calls went on", p.counts);
        // Calls straight after one the proof ended (the second and third, say) find its
        // mark; those after a stray tick must not.
        let by_mark = unmoved() - marked;
        assert!(
            (2..resumes).contains(&by_mark),
            "{:?}: {by_mark} of {resumes} calls went on by the mark",
            p.counts
        );
    }
}

/// A kept proof is not used for another round, nor for a log that is not the one it
/// gives: another pattern, or an append of another size between calls.
#[test]
fn a_kept_proof_is_not_used_for_another_round_or_log() {
    let (p, _) = case(&[245, 246, 246, 246], &[1_039], 1, 1_000, 24, 0);
    let (other, _) = case(&[245, 247, 246, 246], &[1_039], 1, 1_000, 24, 0);
    let len = p.counts.len() as u64;
    let mut t = (p.retention_ms / p.tick_ms / len + 100) * len;
    let mut log = p.warmed(t);
    let mut memo = Memo::default();
    log.run_rounds(&p.round(&log, t), 144, &mut memo);
    t += 144 * len;
    let mut stepped = log.clone();
    // Another pattern's rounds.
    let before = resumed();
    log.run_rounds(&other.round(&log, t), 144, &mut memo);
    for k in t..t + 144 * len {
        other.tick(&mut stepped, k);
    }
    t += 144 * len;
    assert_eq!(log, stepped);
    assert_eq!(
        resumed(),
        before,
        "another round does not go on from the proof"
    );
    // The first pattern again, proved afresh, then an append of another size.
    log.run_rounds(&p.round(&log, t), 144, &mut memo);
    for k in t..t + 144 * len {
        p.tick(&mut stepped, k);
    }
    t += 144 * len;
    assert_eq!(log, stepped);
    // A round whose first tick appends 3 records, not 245.
    for l in [&mut log, &mut stepped] {
        l.append(3, 3 * 1_039, t * 1_000, t * 1_000 + 1_000);
        l.trim_before((t + 1) * 1_000 - p.retention_ms);
        for k in t + 1..t + len {
            p.tick(l, k);
        }
    }
    t += len;
    let before = resumed();
    log.run_rounds(&p.round(&log, t), 144, &mut memo);
    for k in t..t + 144 * len {
        p.tick(&mut stepped, k);
    }
    assert_eq!(log, stepped);
    assert_eq!(
        resumed(),
        before,
        "a log the proof does not give is made afresh"
    );
}

/// The bisection for the periods proved ahead ends, and within a quarter of the most
/// that hold (or one, for a few), from three periods (the fewest a jump takes) up.
#[test]
fn the_periods_proved_ahead_are_bisected_to_within_a_quarter() {
    for lo in [3, 4, 5, 64, 1_000] {
        for most in [lo, lo + 1, 2 * lo, 8 * lo - 1] {
            let mut calls = 0;
            let found = super::most_holding(lo, 8 * lo, |m| {
                calls += 1;
                // Checked here, so that a bisection that never ends fails.
                assert!(calls <= 12, "{lo}, {most}: {calls} calls");
                m <= most
            });
            assert!(found <= most, "{lo}: {found} > {most}");
            assert!(
                most - found <= (found / 4).max(1),
                "{lo}: {found} for {most}"
            );
        }
    }
}
