//! What a run costs in each capacity mode, against a hand computation from the price
//! table (us-east-1; GB = 2^30 bytes).

use kinesis_playground::model::config::{CapacityMode, FanOut, KclConfig};
use kinesis_playground::model::{Config, ConsumerConfig, ProducerConfig, Simulation};

const GIB: f64 = 1_073_741_824.0;

/// An hour of 600 records/s of 1,500 B on one key ("p-0": 1,503 B a record) into 2
/// provisioned shards, read by a KCL application through GetRecords and one through
/// enhanced fan-out; `tick_s` per tick.
fn hour(tick_s: u32) -> Simulation {
    let kcl = |name: &str, fan_out| {
        ConsumerConfig::Kcl(KclConfig {
            name: name.into(),
            fan_out,
            tasks: 2,
            ..KclConfig::default()
        })
    };
    let config = Config {
        tick_s,
        producers: vec![ProducerConfig {
            name: "p".into(),
            instances: 2,
            records_per_sec: 300.0,
            record_bytes: 1_500,
            distinct_keys: 1,
            ..ProducerConfig::default()
        }],
        consumers: vec![kcl("shared", FanOut::Shared), kcl("efo", FanOut::Enhanced)],
        ..Config::default()
    };
    let mut sim = Simulation::new(config).expect("valid");
    sim.run_for(3_600);
    sim
}

fn near(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs()
}

#[test]
fn an_hours_traffic_in_each_mode_matches_the_hand_computation() {
    for tick_s in [1, 5] {
        let sim = hour(tick_s);
        let gib = 2.16e6 * 1_503.0 / GIB; // 3.02 GiB written, and read by each consumer
        let od_gib = 2.16e6 * 2_048.0 / GIB; // each record billed as 2 KiB on demand
                                             // Provisioned: 2 shard-hours, 2.16 M PUT units, 2 EFO consumer-shard-hours and
                                             // the fanned-out GiB.
        let provisioned = 2.0 * 0.015 + 2.16 * 0.014 + 2.0 * 0.015 + gib * 0.013;
        // Standard: a stream-hour, data in at 2 KiB a record, out once each way.
        let standard = 0.04 + od_gib * 0.08 + gib * 0.04 + gib * 0.05;
        // Advantage: 60 minutes each short of 25 MiB/s in and out: the commitment.
        let committed = 25.0 * 1_048_576.0 * 3_600.0 / GIB;
        let advantage = committed * (0.032 + 0.016);
        let [p, s, a] = sim.cost_by_mode();
        // Reads trail writes by under a tick and a poll: 0.5 % covers it.
        assert!(
            near(p.stream(), provisioned, 0.005),
            "{tick_s}: {p:?} vs {provisioned}"
        );
        assert!(
            near(s.stream(), standard, 0.005),
            "{tick_s}: {s:?} vs {standard}"
        );
        assert!(
            near(a.stream(), advantage, 1e-9),
            "{tick_s}: {a:?} vs {advantage}"
        );
        // The consumers' tasks cost the same in every mode.
        assert_eq!(p.fargate, s.fargate);
        assert_eq!(s.fargate, a.fargate);
        // The run was provisioned: its own bill is the provisioned one.
        assert_eq!(sim.spend(), p);
    }
}

#[test]
fn a_run_that_switches_mode_pays_each_mode_for_its_part() {
    let mut sim = hour(1);
    let before = sim.cost_by_mode()[0];
    let mut next = sim.config().clone();
    next.stream.mode = CapacityMode::OnDemand;
    sim.apply(next).expect("switch");
    sim.run_for(3_600);
    let [_, standard_two_hours, _] = sim.cost_by_mode();
    let spend = sim.spend();
    // The second hour billed as Standard: about half of two hours of Standard.
    let want = before.stream() + standard_two_hours.stream() / 2.0;
    assert!(near(spend.stream(), want, 0.005), "{spend:?} vs {want}");
    assert!(spend.capacity > 0.03 && spend.capacity < 0.03 + 0.04 + 1e-9);
}

#[test]
fn the_summary_reports_the_mode_and_the_cost_by_mode() {
    let sim = hour(1);
    let summary = kinesis_playground::share::report::summary(&sim);
    assert_eq!(summary["capacity_mode"], "provisioned");
    let by_mode = sim.cost_by_mode();
    for (key, spend) in ["provisioned", "on_demand", "on_demand_advantage"]
        .iter()
        .zip(by_mode)
    {
        assert_eq!(summary["cost_by_mode"][key].as_f64(), Some(spend.total()));
    }
    assert_eq!(summary["cost_usd"].as_f64(), Some(sim.spend().total()));
}
