//! The live diagnosis of each preset names the cause its lesson teaches, and no cause
//! that contradicts it.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::Simulation;
use kinesis_playground::teach::{diagnose, presets, Advice, Recent, Rule};

/// What the diagnosis must say at `at_s`: rules (with the consumer they are about, or
/// `None` for the stream as a whole) that must appear, rules that must not, and
/// consumers nothing may be about.
#[derive(Default)]
struct Expect {
    at_s: u64,
    present: &'static [(Rule, Option<&'static str>)],
    absent: &'static [Rule],
    fine: &'static [&'static str],
}

/// Runs `name` with the diagnosis fed every tick, checking each expectation in turn.
fn check(name: &str, expectations: &[Expect]) {
    let config = presets::find(name).expect("preset").config;
    let tick_s = u64::from(config.tick_s);
    let mut sim = Simulation::new(config).expect("valid");
    let mut recent = Recent::default();
    for e in expectations {
        while sim.now_ms() < e.at_s * 1_000 {
            sim.step();
            recent.add(sim.metrics(), tick_s);
        }
        let found = diagnose(&sim, &recent);
        // Healthy stands alone.
        if e.present.iter().any(|&(rule, _)| rule == Rule::Healthy) {
            assert_eq!(found.len(), 1, "{name} at {} s: {found:#?}", e.at_s);
        }
        for &(rule, consumer) in e.present {
            assert!(
                found
                    .iter()
                    .any(|f: &Advice| f.rule == rule && f.consumer.as_deref() == consumer),
                "{name} at {} s: no {rule:?} for {consumer:?} in {found:#?}",
                e.at_s
            );
        }
        for &rule in e.absent {
            assert!(
                found.iter().all(|f| f.rule != rule),
                "{name} at {} s: {rule:?} contradicts the lesson: {found:#?}",
                e.at_s
            );
        }
        for &consumer in e.fine {
            assert!(
                found
                    .iter()
                    .all(|f| f.consumer.as_deref() != Some(consumer)),
                "{name} at {} s: {consumer} is fine in the lesson: {found:#?}",
                e.at_s
            );
        }
    }
}

const H: u64 = 3_600;

/// Rules about writes: none of them belongs to a lesson about a consumer.
const WRITES: [Rule; 3] = [Rule::WriteThrottling, Rule::ProducerDrops, Rule::HotShard];

#[test]
fn healthy_is_diagnosed_healthy() {
    let healthy = |at_s| Expect {
        at_s,
        present: &[(Rule::Healthy, None)],
        ..Expect::default()
    };
    check("healthy", &[healthy(H), healthy(3 * H), healthy(24 * H)]);
}

#[test]
fn scenario_1_blames_the_slow_function_then_the_retention() {
    // Neither the writes, the read limits nor failing invocations hold the function back.
    const NOT: [Rule; 5] = [
        WRITES[0],
        WRITES[1],
        WRITES[2],
        Rule::SharedReadSaturated,
        Rule::LambdaErrors,
    ];
    check(
        "scenario-1",
        &[
            Expect {
                at_s: 3 * H,
                present: &[(Rule::LambdaConcurrencyCapped, Some("lambda"))],
                absent: &NOT,
                ..Expect::default()
            },
            // Age 15 h of 24 h.
            Expect {
                at_s: 30 * H,
                present: &[
                    (Rule::LambdaConcurrencyCapped, Some("lambda")),
                    (Rule::IteratorAgeNearRetention, Some("lambda")),
                ],
                absent: &NOT,
                ..Expect::default()
            },
            Expect {
                at_s: 48 * H,
                present: &[(Rule::RecordsExpired, Some("lambda"))],
                absent: &NOT,
                ..Expect::default()
            },
        ],
    );
}

#[test]
fn scenario_2_reports_bursts_that_retries_absorb() {
    const NOT: [Rule; 3] = [
        Rule::ProducerDrops,
        Rule::HotShard,
        Rule::SharedReadSaturated,
    ];
    check(
        "scenario-2",
        &[
            // During a burst (one starts every 15 min and lasts 20 s) and between two.
            Expect {
                at_s: 3 * H + 15,
                present: &[(Rule::WriteThrottling, None)],
                absent: &NOT,
                fine: &["lambda"],
            },
            Expect {
                at_s: 3 * H + 5 * 60,
                present: &[(Rule::WriteThrottling, None)],
                absent: &NOT,
                fine: &["lambda"],
            },
        ],
    );
}

#[test]
fn scenario_3_points_at_two_saturated_ecs_tasks_not_at_unread_shards() {
    // Every shard has a reader and nothing holds the writes or reads back: ECS lacks
    // processing capacity, and Lambda keeps up all along.
    const NOT: [Rule; 6] = [
        Rule::ShardsUnread,
        Rule::EcsTasksIdle,
        Rule::SharedReadSaturated,
        WRITES[0],
        WRITES[1],
        WRITES[2],
    ];
    let healthy = |at_s| Expect {
        at_s,
        present: &[(Rule::Healthy, None)],
        ..Expect::default()
    };
    check(
        "scenario-3",
        &[
            // Before the reshard at 1 h, and after it while traffic has not grown yet.
            healthy(50 * 60),
            healthy(110 * 60),
            Expect {
                at_s: 4 * H,
                present: &[(Rule::EcsSaturated, Some("ecs"))],
                absent: &NOT,
                fine: &["lambda"],
            },
            Expect {
                at_s: 47 * H,
                present: &[(Rule::RecordsExpired, Some("ecs"))],
                absent: &NOT,
                fine: &["lambda"],
            },
        ],
    );
}

#[test]
fn scenario_4_names_both_limits_and_not_slow_consumers() {
    check(
        "scenario-4",
        &[Expect {
            at_s: 3 * H,
            present: &[
                (Rule::WriteThrottling, None),
                (Rule::ProducerDrops, None),
                (Rule::SharedReadSaturated, None),
            ],
            absent: &[
                Rule::LambdaConcurrencyCapped,
                Rule::EcsSaturated,
                Rule::HotShard,
                Rule::ShardsUnread,
                Rule::EcsTasksIdle,
            ],
            ..Expect::default()
        }],
    );
}

#[test]
fn hot_key_names_the_hot_shard_and_its_drops_and_nothing_else() {
    check(
        "hot-key",
        &[Expect {
            at_s: 3 * H,
            present: &[(Rule::HotShard, None), (Rule::ProducerDrops, None)],
            absent: &[Rule::WriteThrottling, Rule::SharedReadSaturated],
            fine: &["lambda"],
        }],
    );
}

#[test]
fn hidden_bursts_are_write_throttling_without_drops_and_the_function_is_fine() {
    let throttled = |at_s| Expect {
        at_s,
        present: &[(Rule::WriteThrottling, None)],
        absent: &[Rule::ProducerDrops, Rule::HotShard],
        fine: &["lambda"],
    };
    check("hidden-bursts", &[throttled(300), throttled(3 * H)]);
}

#[test]
fn launch_day_is_write_throttling_with_drops_while_on_demand_scaling_comes_then_healthy() {
    check(
        "launch-day",
        &[
            Expect {
                at_s: H / 2,
                present: &[(Rule::Healthy, None)],
                ..Expect::default()
            },
            // The first minute of the launch: the step it asks for is forecast.
            Expect {
                at_s: H + 30,
                present: &[(Rule::WriteThrottling, None), (Rule::Resharding, None)],
                absent: &[Rule::HotShard],
                fine: &["lambda"],
            },
            Expect {
                at_s: H + 600,
                present: &[
                    (Rule::WriteThrottling, None),
                    (Rule::ProducerDrops, None),
                    (Rule::Resharding, None),
                ],
                absent: &[Rule::HotShard],
                fine: &["lambda"],
            },
            // The last hour's bursts are remembered for an hour.
            Expect {
                at_s: 3 * H,
                present: &[(Rule::Healthy, None)],
                ..Expect::default()
            },
        ],
    );
}

#[test]
fn steady_big_is_healthy_throughout() {
    check(
        "steady-big",
        &[
            Expect {
                at_s: 600,
                present: &[(Rule::Healthy, None)],
                ..Expect::default()
            },
            Expect {
                at_s: 3 * H,
                present: &[(Rule::Healthy, None)],
                ..Expect::default()
            },
        ],
    );
}

#[test]
fn small_records_are_write_throttling_with_drops_and_no_hot_shard() {
    let throttled = |at_s| Expect {
        at_s,
        present: &[(Rule::WriteThrottling, None), (Rule::ProducerDrops, None)],
        absent: &[Rule::HotShard],
        fine: &["lambda"],
    };
    check("small-records", &[throttled(120), throttled(3 * H)]);
}
