//! The capacity-mode presets do what their lessons say, with the lessons' numbers:
//! launch day throttles for the 15 minutes on-demand takes to add shards and not at
//! all once pre-warmed; the steady stream's bill in each mode is the one quoted.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::Simulation;
use kinesis_playground::teach::presets::{self, Preset};

fn preset(name: &str) -> Preset {
    presets::find(name).unwrap_or_else(|| panic!("no preset {name}"))
}

/// Asserts `text` holds every one of `parts`.
fn quotes(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "no {part:?} in {text}");
    }
}

const MIB: f64 = 1_048_576.0;

#[test]
fn launch_day_throttles_and_drops_until_12_shards_open_15_minutes_on() {
    let p = preset("launch-day");
    let mut sim = Simulation::new(p.config.clone()).expect("valid");
    let record = sim.producer_record_bytes().next().expect("a producer") as f64;
    assert_eq!(record, 2_008.0, "2,000 B and a key of about 8 B");
    let before = 1_000.0 * record / MIB;
    let launch = 3_000.0 * record / MIB;
    assert!((before - 1.9).abs() < 0.05 && (launch - 5.7).abs() < 0.05);
    sim.run_for(3_600);
    assert_eq!((sim.open_shards(), sim.totals().throttled), (4, 0));
    sim.run_for(600);
    // 4 shards take 4 MiB/s: about 2,090 records of 2,008 B a second.
    let accepted = 4.0 * MIB / record;
    assert!((accepted - 2_089.0).abs() < 1.0, "{accepted}");
    let per_s = sim.metrics().incoming_records as f64;
    assert!((per_s - accepted).abs() <= 2.0, "{per_s}");
    let dropped_per_s = sim.metrics().dropped_by_producer as f64;
    assert!((880.0..=920.0).contains(&dropped_per_s), "{dropped_per_s}");
    sim.run_for(1_200);
    // Twice 5.7 MiB/s: 12 shards, from 15 minutes after the launch's first minute.
    assert_eq!(sim.open_shards(), (2.0 * launch).ceil() as u32);
    assert_eq!(sim.open_shards(), 12);
    let dropped = sim.totals().dropped_by_producer;
    assert!((800_000..=840_000).contains(&dropped), "{dropped}");
    let throttled = sim.totals().throttled;
    sim.run_for(3_600);
    assert_eq!(
        sim.totals().throttled,
        throttled,
        "nothing throttled once they open"
    );
    quotes(
        p.explanation,
        &[
            "1,000 records/s of 2,000 bytes, 1.9 MiB/s",
            "the 4 shards a new stream starts with: 4 MiB/s",
            "3,000 records/s, 5.7 MiB/s",
            "about 2,090 of the 3,000 records a second",
            "up to 3 times",
            "some 900 records a second, about 820,000 in all",
            "asks for 12 shards",
        ],
    );
}

#[test]
fn launch_day_pre_warmed_with_advantage_is_never_throttled() {
    let p = preset("launch-day");
    let fixed = p.fixed(&p.config).expect("fix");
    let mut sim = Simulation::new(fixed).expect("valid");
    sim.run_for(301);
    assert_eq!(
        sim.open_shards(),
        12,
        "12 MiB/s of warm throughput after 5 minutes"
    );
    sim.run_for(3 * 3_600);
    assert_eq!(sim.totals().throttled, 0);
    assert_eq!(sim.open_shards(), 12, "Advantage keeps the warm throughput");
    quotes(p.fix_label, &["12 MiB/s"]);
    quotes(p.after_fix, &["12 shards", "5.7 MiB/s"]);
}

#[test]
fn steady_big_costs_what_the_lesson_says_in_each_mode() {
    let p = preset("steady-big");
    let mut sim = Simulation::new(p.config.clone()).expect("valid");
    sim.run_for(3_600);
    assert_eq!(sim.totals().throttled, 0);
    let month = |usd: f64| usd * 730.0;
    let [provisioned, standard, advantage] = sim.cost_by_mode();
    let near = |got: f64, want: f64| (got - want).abs() <= 0.005 * want;
    // The first hour's reads trail its writes by under a second.
    assert!(near(provisioned.capacity, 0.36) && near(provisioned.data_in, 0.252));
    assert!(near(month(provisioned.stream()), 447.0), "{provisioned:?}");
    assert!(near(standard.data_in, 5.49) && near(standard.data_out, 5.37));
    assert!(near(month(standard.stream()), 7_960.0), "{standard:?}");
    assert!(near(month(advantage.stream()), 3_620.0), "{advantage:?}");
    let ratio = standard.stream() / provisioned.stream();
    assert!((17.5..18.5).contains(&ratio), "{ratio}");
    let meter = sim.meter();
    assert!((meter.od_in_bytes / 1_073_741_824.0 - 68.7).abs() < 0.05);
    // The record: 4,000 B and a key of about 6 B; 5,000 a second.
    let record = sim.producer_record_bytes().next().expect("a producer") as f64;
    assert!((5_000.0 * record / MIB - 19.1).abs() < 0.05);
    quotes(
        p.explanation,
        &[
            "5,000 records/s, 19.1 MiB/s, on 24 provisioned shards, 80 %",
            "24 shard-hours ($0.36) and 18 million PUT payload units ($0.25)",
            "about $447 a month",
            "($5.49 an hour for 68.7 GB)",
            "($5.37)",
            "about $7,960 a month, 18 times as much",
            "87.9 GB committed, so about $3,620 a month",
        ],
    );
}
