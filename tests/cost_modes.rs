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

#[test]
fn the_mode_chart_prices_a_month_of_the_runs_traffic_and_marks_where_lines_cross() {
    use kinesis_playground::playground::cost::{mode_chart, steady_of};
    use kinesis_playground::teach::presets;
    let config = presets::find("steady-big").expect("preset").config;
    let mut sim = Simulation::new(config).expect("valid");
    sim.run_for(600);
    let now = sim.metrics().incoming_bytes as f64 / 1_048_576.0;
    assert!((now - 19.1).abs() < 0.05, "{now}");
    let chart = mode_chart(&sim, now);
    let base = steady_of(&sim);
    assert_eq!((base.record_bytes, base.shared, base.efo), (4_011, 2, 0));
    assert_eq!(chart.x_range, (0.0, 4.0 * now));
    assert_eq!(chart.lines.len(), 3);
    // At 19.1 MiB/s the lines hold the lesson's monthly bills: $447, $7,960, $3,620.
    let at = |line: usize| {
        let points = &chart.lines[line].points;
        let i = points
            .iter()
            .position(|p| p.0 >= now - 1e-9)
            .expect("a point");
        let (x0, y0) = points[i - 1];
        let (x1, y1) = points[i];
        y0 + (y1 - y0) * (now - x0) / (x1 - x0)
    };
    assert!(near(at(1), 7_960.0, 0.01), "{}", at(1));
    assert!(near(at(2), 3_620.0, 0.01), "{}", at(2));
    // Standard: $29.20 + $415 per MiB/s; Advantage: its commitment, $3,079.69, up to
    // 12.2 MiB/s: they cross at 7.35 MiB/s. Provisioned crosses neither.
    let per_mib = 2_566.406_25 * (0.08 * 4_096.0 / 4_011.0 + 2.0 * 0.04);
    let want = (3_079.687_5 - 29.2) / per_mib;
    assert_eq!(chart.marks.len(), 2, "{:?}", chart.marks);
    assert!(
        near(chart.marks[0].x, want, 0.002),
        "{:?} vs {want}",
        chart.marks
    );
    assert_eq!(chart.marks[0].label, "Advantage < Standard");
    assert_eq!(
        (chart.marks[1].x, chart.marks[1].label.as_str()),
        (now, "this run")
    );
}
