//! Capacity modes against AWS's rules: an on-demand stream starts at 4 MiB/s, follows
//! twice its peak, throttles a jump of more than double within 15 minutes but not a
//! gradual climb, never isolates a hot key; switches are limited; Advantage keeps warm
//! throughput and scales down to the last hour's peak.

use kinesis_playground::model::config::{CapacityMode, FanOut, LambdaConfig, ScriptedEvent};
use kinesis_playground::model::{Config, ConsumerConfig, ProducerConfig, Simulation};

/// Mean bytes of a record of `producer` with 10,000 keys `"p-0"` … `"p-9999"`: data plus
/// the popularity-weighted key (uniform, so about 5.89 bytes).
const KEY_BYTES: f64 = (10.0 * 3.0 + 90.0 * 4.0 + 900.0 * 5.0 + 9_000.0 * 6.0) / 10_000.0;

/// An on-demand (or `mode`) stream written by 10 instances of `per_instance` records/s
/// of `bytes` B over 10,000 keys, read by one Lambda function; `tick_s` per tick.
fn stream(mode: CapacityMode, per_instance: f64, bytes: u32, tick_s: u32) -> Config {
    let mut c = Config {
        tick_s,
        producers: vec![ProducerConfig {
            name: "p".into(),
            instances: 10,
            records_per_sec: per_instance,
            record_bytes: bytes,
            distinct_keys: 10_000,
            ..ProducerConfig::default()
        }],
        ..Config::default()
    };
    c.stream.mode = mode;
    c
}

/// Sets every producer's rate to `per_instance` on the running simulation.
fn set_rate(sim: &mut Simulation, per_instance: f64) {
    let mut next = sim.config().clone();
    next.producers[0].records_per_sec = per_instance;
    sim.apply(next).expect("a new rate applies");
}

/// Removes the warm throughput (it must go before a stream leaves Advantage).
fn remove_warm(sim: &mut Simulation) {
    let mut cool = sim.config().clone();
    cool.stream.warm_throughput_mibps = 0;
    sim.apply(cool).expect("removing warm throughput");
}

/// Throttled records over the next `seconds`.
fn throttled_over(sim: &mut Simulation, seconds: u64) -> u64 {
    let before = sim.totals().throttled;
    sim.run_for(seconds);
    sim.totals().throttled - before
}

#[test]
fn a_new_on_demand_stream_has_4_mib_s_and_grows_to_twice_a_sustained_peak() {
    for tick_s in [1, 5] {
        // 10 × 300 records/s of 1 KiB: 3,000 records/s, 2.95 MiB/s with keys; in shards'
        // worth 3.0 (records) — twice that is 6 shards.
        let mut sim =
            Simulation::new(stream(CapacityMode::OnDemand, 300.0, 1_024, tick_s)).expect("valid");
        assert_eq!(sim.open_shards(), 4, "a new on-demand stream: 4 MiB/s");
        assert_eq!(sim.config().stream.shards, 4);
        // The minute [0, 60 s) closes as the tick at 60 s starts.
        sim.run_for(60 + u64::from(tick_s));
        let (to, at) = sim
            .on_demand_step()
            .expect("a step asked for after the first minute");
        // 15 minutes after the start of the minute that asked.
        assert_eq!((to, at), (6, 900_000), "tick {tick_s}");
        sim.run_for(900 - 60 - u64::from(tick_s));
        assert_eq!(sim.open_shards(), 4, "not before 15 minutes");
        sim.run_for(tick_s.into());
        assert_eq!(sim.open_shards(), 6, "tick {tick_s}");
        assert_eq!(
            sim.config().stream.shards,
            6,
            "the settings show the shards"
        );
        sim.run_for(3_600);
        assert_eq!(sim.open_shards(), 6, "twice the peak, no more");
        assert!(
            (sim.peak_demand() - 3.0).abs() < 1e-9,
            "{}",
            sim.peak_demand()
        );
        // The first minute on 4 shards was under the limits (750 records/s each).
        assert_eq!(sim.totals().throttled, 0);
    }
}

#[test]
fn a_peak_sets_capacity_at_double_it_for_30_days() {
    // 10 × 400 records/s of 5,000 B: 4,000 records/s but 19.1 MiB/s of bytes
    // (5,005.89 B each): 19.10 shards' worth; twice is 38.2, so 39 shards.
    let bytes_per_s = 4_000.0 * (5_000.0 + KEY_BYTES);
    let expected = (2.0 * bytes_per_s / 1_048_576.0).ceil() as u32;
    assert_eq!(expected, 39);
    let mut sim = Simulation::new(stream(CapacityMode::OnDemand, 400.0, 5_000, 1)).expect("valid");
    sim.run_for(3 * 3_600);
    assert_eq!(sim.open_shards(), expected);
    // Traffic falls to a tenth: Standard keeps the month's peak.
    set_rate(&mut sim, 40.0);
    sim.run_for(2 * 86_400);
    assert_eq!(
        sim.open_shards(),
        expected,
        "the peak of the last 30 days still counts"
    );
}

#[test]
fn tripling_within_minutes_throttles_for_about_15_minutes_then_none() {
    // Two hours at 10 × 150 records/s of 1 KiB (1.5 shards' worth: capacity 4 shards, the
    // new-stream floor), then 10 × 450 (4.5 shards' worth): more than double the peak.
    let mut sim = Simulation::new(stream(CapacityMode::OnDemand, 150.0, 1_024, 1)).expect("valid");
    sim.run_for(7_200);
    assert_eq!(sim.open_shards(), 4);
    assert_eq!(sim.totals().throttled, 0);
    set_rate(&mut sim, 450.0);
    // 4,500 records/s offered against 4,000 accepted: about 500 a second refused
    // (retries add more) until the step the first full minute asks for, 15 min after
    // its start: exactly 900 s of throttling.
    let first = throttled_over(&mut sim, 60);
    assert!(first >= 60 * 450, "{first}");
    let during = throttled_over(&mut sim, 839);
    assert!(
        during >= 839 * 450,
        "throttled while capacity catches up: {during}"
    );
    assert_eq!(sim.open_shards(), 4, "899 s after the jump");
    assert!(throttled_over(&mut sim, 1) >= 450, "the 900th second");
    // Twice 4.5 = 9 shards from the step on, at the start of the 901st second (the
    // retries still waiting land over the next seconds).
    sim.run_for(1);
    assert_eq!(sim.open_shards(), 9);
    sim.run_for(60);
    let after = throttled_over(&mut sim, 1_800);
    assert_eq!(after, 0, "capacity has caught up");
}

/// An on-demand stream at 10 × 150 records/s of 1 KiB for an hour, then multiplied by
/// `factor` every `every_s` until it passes 12 shards' worth, then left an hour: the
/// records throttled, the shards open and the last rate.
fn climb(factor: f64, every_s: u64, tick_s: u32) -> (u64, u32, f64) {
    let mut sim =
        Simulation::new(stream(CapacityMode::OnDemand, 150.0, 1_024, tick_s)).expect("ok");
    sim.run_for(3_600);
    let mut rate = 150.0;
    while rate < 1_200.0 {
        rate *= factor;
        set_rate(&mut sim, rate);
        sim.run_for(every_s);
    }
    sim.run_for(3_600);
    (sim.totals().throttled, sim.open_shards(), rate)
}

#[test]
fn a_climb_that_never_doubles_within_15_minutes_is_never_throttled() {
    // ×1.4 every 20 minutes, and ×1.9 every 15 minutes: every jump stays under twice the
    // peak the step before it asked for, and that step opens by the time the jump
    // comes. At a 1 s and a 5 s tick; capacity ends at twice the last rate.
    for tick_s in [1, 5] {
        for (factor, every_s) in [(1.4, 1_200), (1.9, 900)] {
            let (throttled, shards, rate) = climb(factor, every_s, tick_s);
            assert_eq!(throttled, 0, "×{factor} every {every_s} s, tick {tick_s}");
            let shards_worth = 10.0 * rate / 1_000.0;
            assert_eq!(shards, (2.0 * shards_worth - 1e-9).ceil() as u32);
        }
    }
    // ×1.9 ends at 1,955.3 records/s an instance: 19.55 shards' worth, 40 shards.
    assert_eq!(climb(1.9, 900, 1).1, 40);
}

#[test]
fn a_hot_key_still_throttles_on_demand_and_does_not_split_the_stream_endlessly() {
    // One key at 1,500 records/s of 100 B: 1.5 shards' worth of records in total, so the
    // stream stays at 4 shards, and the key's shard refuses about 500 a second (plus
    // retries) for ever.
    let mut config = stream(CapacityMode::OnDemand, 150.0, 100, 1);
    config.producers[0].distinct_keys = 1;
    let mut sim = Simulation::new(config).expect("valid");
    sim.run_for(3_600);
    assert_eq!(sim.open_shards(), 4);
    let refused = throttled_over(&mut sim, 600);
    assert!(refused >= 600 * 500, "{refused}");
}

#[test]
fn a_stream_switches_mode_twice_per_24_hours_and_keeps_its_shards() {
    let mut config = stream(CapacityMode::Provisioned, 100.0, 1_024, 1);
    config.stream.shards = 7;
    let mut sim = Simulation::new(config).expect("valid");
    sim.run_for(600);
    let mut next = sim.config().clone();
    next.stream.mode = CapacityMode::OnDemand;
    sim.apply(next).expect("the first switch");
    sim.run_for(120);
    assert_eq!(
        sim.open_shards(),
        7,
        "the shard count at the switch is kept"
    );
    let mut back = sim.config().clone();
    back.stream.mode = CapacityMode::Provisioned;
    sim.apply(back).expect("the second switch");
    assert_eq!(sim.config().stream.shards, 7);
    sim.run_for(3_600);
    let mut third = sim.config().clone();
    third.stream.mode = CapacityMode::OnDemandAdvantage;
    let err = sim
        .apply(third.clone())
        .expect_err("a third switch within 24 h");
    assert_eq!(err.path, "stream.mode");
    assert!(err.message.contains("at most 2 times in 24 h"), "{err}");
    // The first switch was at 600 s: the window frees it 24 h later.
    assert!(err.message.contains("23.0 h"), "{err}");
    sim.run_for(86_400 - 3_600 - 120);
    sim.apply(third).expect("a day after the first switch");
    assert_eq!(sim.mode_switches().count(), 2);
}

#[test]
fn scripted_switches_are_checked_before_the_run() {
    let mut config = stream(CapacityMode::Provisioned, 100.0, 1_024, 1);
    for (i, mode) in ["on_demand", "provisioned", "on_demand"].iter().enumerate() {
        let mut set = serde_json::Map::new();
        set.insert("stream.mode".into(), (*mode).into());
        config.events.push(ScriptedEvent {
            at_s: 600 * (i as u64 + 1),
            set,
            fault: serde_json::Map::new(),
        });
    }
    let err = config.validate().expect_err("three switches in 30 minutes");
    assert_eq!(err.path, "events[2].set.stream.mode");
    config.events[2].at_s = 600 + 86_400;
    config.validate().expect("the third a day after the first");
}

#[test]
fn warm_throughput_belongs_to_advantage_and_must_go_before_leaving_it() {
    let mut config = stream(CapacityMode::OnDemand, 100.0, 1_024, 1);
    config.stream.warm_throughput_mibps = 50;
    let err = config
        .validate()
        .expect_err("Standard has no warm throughput");
    assert_eq!(err.path, "stream.warm_throughput_mibps");
    config.stream.mode = CapacityMode::OnDemandAdvantage;
    let mut sim = Simulation::new(config).expect("Advantage keeps warm throughput");
    sim.run_for(240);
    assert_eq!(sim.open_shards(), 4, "warm throughput is not ready at once");
    sim.run_for(61);
    assert_eq!(sim.open_shards(), 50, "50 MiB/s after 5 minutes");
    let mut leave = sim.config().clone();
    leave.stream.mode = CapacityMode::OnDemand;
    leave.stream.warm_throughput_mibps = 0;
    let err = sim
        .apply(leave.clone())
        .expect_err("warm throughput still set");
    assert!(
        err.message
            .contains("remove the warm throughput (50 MiB/s) first"),
        "{err}"
    );
    remove_warm(&mut sim);
    sim.apply(leave).expect("then leaving Advantage");
}

#[test]
fn the_largest_warm_throughput_opens_the_models_10_000_shards_and_can_be_left() {
    // 10 GiB/s of warm throughput is 10,240 shards' worth: the model holds it at its
    // 10,000 shards; removing it scales down, and leaving Advantage is allowed.
    let mut config = stream(CapacityMode::OnDemandAdvantage, 100.0, 1_024, 10);
    config.stream.warm_throughput_mibps = 10_240;
    let mut sim = Simulation::new(config).expect("valid");
    sim.run_for(310);
    assert_eq!(sim.open_shards(), 10_000);
    assert_eq!(sim.config().stream.shards, 10_000);
    // Without it, Advantage scales down to twice the last hour's peak (1 shard's worth
    // here, so the floor of 4): the minute [300 s, 360 s) asks, and the step lands 15
    // minutes after its start, at 1,200 s.
    remove_warm(&mut sim);
    sim.run_for(880);
    assert_eq!(sim.open_shards(), 10_000, "not before the step");
    sim.run_for(20);
    assert_eq!(sim.open_shards(), 4);
    let mut leave = sim.config().clone();
    leave.stream.mode = CapacityMode::Provisioned;
    sim.apply(leave).expect("then leaving Advantage");
    assert_eq!(sim.open_shards(), 4, "the shards are kept at the switch");
}

#[test]
fn warm_throughput_takes_a_jump_without_throttling_and_advantage_scales_down_within_the_hour() {
    let mut config = stream(CapacityMode::OnDemandAdvantage, 100.0, 4_000, 1);
    config.stream.warm_throughput_mibps = 64;
    let mut sim = Simulation::new(config).expect("valid");
    sim.run_for(600);
    assert_eq!(sim.open_shards(), 64);
    // 10 × 1,000 records/s of 4,000 B: 38.2 MiB/s, 12 times the peak so far, at once.
    set_rate(&mut sim, 1_000.0);
    assert_eq!(
        throttled_over(&mut sim, 1_800),
        0,
        "warm capacity takes the jump"
    );
    // Back to 10 × 100, warm throughput removed: Advantage follows the last hour's peak
    // (76.4 shards' worth while the burst is in it, then 2 × 3.82 → 8).
    set_rate(&mut sim, 100.0);
    remove_warm(&mut sim);
    sim.run_for(1_800);
    assert_eq!(sim.open_shards(), 77);
    sim.run_for(3_600);
    let worth = 1_000.0 * (4_000.0 + KEY_BYTES) / 1_048_576.0;
    assert_eq!(sim.open_shards(), (2.0 * worth).ceil() as u32);
    assert_eq!(sim.open_shards(), 8);
}

#[test]
fn advantage_registers_50_enhanced_fan_out_consumers_and_the_others_20() {
    let mut config = stream(CapacityMode::OnDemandAdvantage, 100.0, 1_024, 1);
    config.consumers = (0..21)
        .map(|i| {
            ConsumerConfig::Lambda(LambdaConfig {
                name: format!("f{i}"),
                fan_out: FanOut::Enhanced,
                ..LambdaConfig::default()
            })
        })
        .collect();
    config.validate().expect("21 under Advantage");
    config.stream.mode = CapacityMode::OnDemand;
    let err = config.validate().expect_err("21 under Standard");
    assert!(err.message.contains("at most 20"), "{err}");
}
