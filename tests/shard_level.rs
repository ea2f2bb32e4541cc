//! Shard-level (enhanced monitoring) metrics mean what AWS means: the shards add up to
//! the stream, a hot key shows on one shard only, an unread shard has no iterator-age
//! datapoint, and enhanced fan-out traffic is outgoing but never GetRecords'.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::cloudwatch::Statistic;
use kinesis_playground::model::shard_metrics::{ShardSampler, ShardTick};
use kinesis_playground::model::{Config, Simulation};

fn sim(json: &str) -> Simulation {
    let config = Config::from_json(json).unwrap_or_else(|e| panic!("{e}\n{json}"));
    let mut sim = Simulation::new(config).unwrap_or_else(|e| panic!("{e}"));
    sim.watch_shards();
    sim
}

/// Each shard's datapoint of `metric` by `stat` for every period of `period_s` over
/// `seconds`, with the stream's matching tick sums beside: (shard id → value) per period.
fn periods(
    sim: &mut Simulation,
    seconds: u64,
    period_s: u64,
    metric: &str,
    stat: Statistic,
) -> Vec<Vec<(u32, f64)>> {
    let mut sampler = ShardSampler::default();
    let mut out = Vec::new();
    let ticks_per_period = period_s / u64::from(sim.config().tick_s);
    for tick in 1..=seconds / u64::from(sim.config().tick_s) {
        sim.step();
        sampler.add(sim.shard_metrics(), f64::from(sim.config().tick_s));
        if tick % ticks_per_period == 0 {
            let mut period = Vec::new();
            sampler.take(
                |_| stat,
                |id, m, v| {
                    if m == metric {
                        period.push((id, v));
                    }
                },
            );
            assert_eq!(sampler.held(), 0, "a closed period holds nothing");
            out.push(period);
        }
    }
    out
}

#[test]
fn the_shards_add_up_to_the_stream_tick_by_tick_through_throttling_and_a_reshard() {
    // Four shards at 10 s ticks: 2 × 1,200 records/s over many keys (600 a shard) and a hot
    // key at 800 records/s on one shard, which is offered 1,400/s and throttles; then
    // UpdateShardCount to 8 closes the four (read on as parents) and opens eight.
    let mut sim = sim(
        r#"{"tick_s": 10, "stream": {"shards": 4, "reshard_step_s": 60},
        "producers": [
          {"name": "spread", "instances": 2, "records_per_sec": 1200, "record_bytes": 500,
           "distinct_keys": 100000},
          {"name": "hot", "instances": 1, "records_per_sec": 800, "record_bytes": 500,
           "distinct_keys": 1}],
        "consumers": [{"type": "lambda", "name": "fn"}],
        "events": [{"at_s": 300, "set": {"stream.shards": 8}}]}"#,
    );
    let (mut throttled, mut closed_seen) = (0, false);
    for tick in 0..60 {
        sim.step();
        let m = sim.metrics().clone();
        let shards: Vec<ShardTick> = sim.shard_metrics().collect();
        if (1..30).contains(&tick) {
            // Before the reshard: the hot shard at its limit, 1,000 records/s, and the
            // other three at 600/s each (100,000 keys hash evenly within 2 %).
            let mut per_shard: Vec<u64> = shards.iter().map(|s| s.incoming_records).collect();
            per_shard.sort_unstable();
            assert!((9_900..=10_100).contains(&per_shard[3]), "{per_shard:?}");
            for &cool in &per_shard[..3] {
                assert!((5_880..=6_120).contains(&cool), "{per_shard:?}");
            }
        }
        let sum = |f: fn(&ShardTick) -> u64| shards.iter().map(f).sum::<u64>();
        assert_eq!(sum(|s| s.incoming_records), m.incoming_records);
        assert_eq!(sum(|s| s.incoming_bytes), m.incoming_bytes);
        assert_eq!(sum(|s| s.write_throttled), m.write_throttled);
        assert_eq!(sum(|s| s.read_throttled), m.read_throttled);
        assert_eq!(
            sum(|s| s.outgoing_records),
            m.get_records_records + m.subscribe_records
        );
        assert_eq!(
            sum(|s| s.outgoing_bytes),
            m.get_records_bytes + m.subscribe_bytes
        );
        let age = shards.iter().filter_map(|s| s.iterator_age_ms).max();
        assert_eq!(age, m.get_records_iterator_age_ms);
        // A shard that got records had at least one call carrying them, and no more
        // calls than records.
        for s in &shards {
            let offered = s.incoming_records + s.write_throttled;
            assert!(s.put_calls <= offered, "{s:?}");
            assert_eq!(s.put_calls == 0, offered == 0, "{s:?}");
            assert!(s.open || offered == 0, "a closed shard takes no write");
        }
        assert_eq!(
            shards.iter().filter(|s| s.open).count() as u32,
            sim.open_shards()
        );
        closed_seen |= shards.iter().any(|s| !s.open);
        throttled += m.write_throttled;
    }
    assert!(closed_seen, "the parents were read after the reshard");
    assert!(throttled > 0, "the hot shard throttled");
}

#[test]
fn a_hot_key_puts_four_times_the_shards_average_on_one_shard() {
    // One key, 800 records/s of 500 bytes, one instance, four shards: every record goes
    // to the one shard its key hashes to. Per minute that shard's IncomingBytes Sum is
    // the stream's, so four times the average over the four shards; the other three get
    // no put call and have no datapoint at all.
    let mut sim = sim(r#"{"stream": {"shards": 4},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 800,
                       "record_bytes": 500, "distinct_keys": 1}],
        "consumers": []}"#);
    let bytes = sim.producer_record_bytes().next().unwrap_or(0) as f64;
    let sums = periods(&mut sim, 300, 60, "IncomingBytes", Statistic::Sum);
    for minute in &sums {
        assert_eq!(minute.len(), 1, "one shard has datapoints: {minute:?}");
        let stream = 800.0 * 60.0 * bytes;
        assert_eq!(minute[0].1, stream);
        let average_per_shard = stream / 4.0;
        assert_eq!(minute[0].1 / average_per_shard, 4.0);
    }
    // Each second, ceil(800 / 500) = 2 calls of 400 records, all on that shard: its
    // IncomingRecords Maximum and Average per call are 400, SampleCount 120 a minute.
    let mut sim2 = sim.clone();
    for (stat, expected) in [
        (Statistic::Maximum, 400.0),
        (Statistic::Average, 400.0),
        (Statistic::SampleCount, 120.0),
    ] {
        for minute in periods(&mut sim2, 120, 60, "IncomingRecords", stat) {
            assert_eq!(minute.len(), 1);
            assert!((minute[0].1 - expected).abs() <= 1.0, "{stat}: {minute:?}");
        }
    }
}

#[test]
fn a_shard_no_call_reads_has_no_iterator_age_datapoint() {
    // A KCL application of one task holding at most one lease, four shards: three
    // shards are never read. Only the leased shard has IteratorAgeMilliseconds (and
    // OutgoingRecords) datapoints; each of the four has IncomingRecords, 100 a second.
    let mut sim = sim(r#"{"stream": {"shards": 4},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 400,
                       "distinct_keys": 4000}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 1,
                       "max_leases_per_worker": 1}]}"#);
    let ages = periods(
        &mut sim,
        600,
        60,
        "IteratorAgeMilliseconds",
        Statistic::Maximum,
    );
    for minute in &ages[1..] {
        assert_eq!(minute.len(), 1, "{minute:?}");
    }
    let mut later = sim.clone();
    for minute in periods(&mut later, 120, 60, "OutgoingRecords", Statistic::Sum) {
        assert_eq!(minute.len(), 1, "{minute:?}");
    }
    for minute in periods(&mut sim, 120, 60, "IncomingRecords", Statistic::Sum) {
        assert_eq!(minute.len(), 4);
        for (_, records) in minute {
            // 400/s over 4,000 keys hashed to four shards: 6,000 a minute within 10 %.
            assert!((records - 6_000.0).abs() < 600.0, "{records}");
        }
    }
}

#[test]
fn enhanced_fan_out_is_outgoing_but_not_get_records() {
    // Four shards, 2,000 records/s of 500 bytes, two consumers by enhanced fan-out:
    // every shard pushes each record twice, so OutgoingRecords over the shards is twice
    // IncomingRecords, while no GetRecords call is made: GetRecords.Records stays 0 and
    // no shard has an IteratorAgeMilliseconds datapoint.
    let mut sim = sim(r#"{"stream": {"shards": 4},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 2000,
                       "record_bytes": 500, "distinct_keys": 4000}],
        "consumers": [
          {"type": "kcl", "name": "efo", "fan_out": "enhanced", "tasks": 4,
           "records_per_sec_per_task": 5000},
          {"type": "lambda", "name": "fn", "fan_out": "enhanced", "batch_size": 500}]}"#);
    sim.run_for(60);
    let (mut incoming, mut outgoing, mut get_records) = (0, 0, 0);
    for _ in 0..600 {
        sim.step();
        incoming += sim.metrics().incoming_records;
        get_records += sim.metrics().get_records_records;
        for s in sim.shard_metrics() {
            outgoing += s.outgoing_records;
            assert_eq!(s.iterator_age_ms, None);
            assert!(s.outgoing_calls > 0, "events are the samples");
        }
    }
    assert_eq!(get_records, 0);
    let ratio = outgoing as f64 / incoming as f64;
    assert!((ratio - 2.0).abs() < 0.01, "{ratio}");
}
