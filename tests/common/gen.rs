//! Random valid configs and edits of a running simulation, for the property tests.
//!
//! Everything a run can vary is drawn: the tick, the stream, the account, one to three
//! producers of every traffic shape, zero to five consumers of both kinds (enhanced
//! fan-out, lease caps, autoscaling, reservations, failing functions), scripted reshards,
//! retention changes and faults, and edits applied between ticks with `Simulation::apply`.
//! Every draw is valid by construction: nothing is filtered away.

use std::fmt;
use std::ops::RangeInclusive;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config as Runner, RngSeed};
use serde_json::{json, Map};

use kinesis_playground::model::config::{
    AccountConfig, AutoscalingConfig, CapacityMode, RetryConfig, ScriptedEvent, StreamConfig,
};
use kinesis_playground::model::{
    Config, ConsumerConfig, FanOut, Fault, FaultAction, KclConfig, LambdaConfig, OnFailure,
    ProducerConfig, Shape,
};

/// Tick lengths a config may have (the divisors of a minute up to 10 s).
pub const TICKS: [u32; 7] = [1, 2, 3, 4, 5, 6, 10];
/// Most consumers a run holds at once.
pub const MAX_CONSUMERS: usize = 5;
/// Highest reservation drawn; five of them leave 100 of the smallest account unreserved.
const MAX_RESERVATION: u32 = 50;
/// Room left in the largest record for the partition key (`p12-999999` and the like).
const KEY_ROOM: u32 = 64;

/// A run to check: its settings, how many ticks it lasts and what is edited when.
#[derive(Clone)]
pub struct Case {
    /// The settings it starts with.
    pub config: Config,
    /// Ticks it runs.
    pub ticks: u64,
    /// Edits applied before the tick of the given index, in tick order.
    pub edits: Vec<(u64, Edit)>,
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = serde_json::to_string(&self.config).unwrap_or_default();
        write!(
            f,
            "Case {{ ticks: {}, edits: {:?},\n  config: {config} }}",
            self.ticks, self.edits
        )
    }
}

pub use super::edit::{modest, Edit};

fn fan_out() -> impl Strategy<Value = FanOut> {
    prop_oneof![3 => Just(FanOut::Shared), 1 => Just(FanOut::Enhanced)]
}

/// A rate: none, whole or fractional records a second.
fn rate(most: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => Just(0.0),
        3 => (0..=most as u32).prop_map(f64::from),
        3 => 0.0..=most,
    ]
}

/// Every traffic shape, bursts and batches short and long against any tick.
pub fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Constant),
        (0.0..24.0, 0.0..=1.0).prop_map(|(peak_hour, trough)| Shape::Daily { peak_hour, trough }),
        (1u32..=1_800)
            .prop_flat_map(|every_s| (Just(every_s), 1..=every_s, 0.0..=10.0))
            .prop_map(|(every_s, duration_s, multiplier)| Shape::Surge {
                every_s,
                duration_s,
                multiplier,
            }),
        (2u32..=300).prop_map(|flush_every_s| Shape::Batches { flush_every_s }),
    ]
}

/// A producer whose records (data and key) fit in `max_bytes`.
pub fn producer(max_bytes: u32) -> impl Strategy<Value = ProducerConfig> {
    let record_bytes = prop_oneof![
        4 => 1u32..=2_048,
        2 => 1u32..=200_000,
        1 => 1u32..=max_bytes,
    ];
    let retry = (1u32..=10, 0u32..=5_000, 0u32..=60_000).prop_map(|(a, b, m)| RetryConfig {
        max_attempts: a,
        base_delay_ms: b,
        max_delay_ms: m,
    });
    (
        (0u32..=5, rate(3_000.0), record_bytes),
        (1u32..=5_000, prop_oneof![Just(0.0), 0.0..=2.0]),
        (shape(), retry, 0u64..=200_000),
        (
            prop_oneof![2 => Just(false), 1 => Just(true)],
            prop_oneof![Just(51_200u32), 64u32..=1_048_576],
            prop_oneof![Just(100u32), 1u32..=60_000],
        ),
    )
        .prop_map(
            |((instances, records_per_sec, record_bytes), (distinct_keys, key_skew), rest, kpl)| {
                let (shape, retry, buffer_records) = rest;
                let (aggregation, aggregation_max_bytes, record_max_buffered_time_ms) = kpl;
                ProducerConfig {
                    name: String::new(),
                    instances,
                    records_per_sec,
                    record_bytes,
                    distinct_keys,
                    key_skew,
                    shape,
                    retry,
                    buffer_records,
                    aggregation,
                    aggregation_max_bytes,
                    record_max_buffered_time_ms,
                }
            },
        )
}

/// A Lambda function: fast or slow, failing or not, reserved or sharing the pool.
pub fn lambda() -> impl Strategy<Value = LambdaConfig> {
    let batching = (
        fan_out(),
        prop_oneof![1u32..=10, 10u32..=500, 500u32..=10_000],
        1u32..=10,
        prop_oneof![Just(0u32), 0u32..=10],
    );
    let work = (
        0u32..=500,
        prop_oneof![0.0..=5.0, 0.0..=200.0],
        prop::option::of(0..=MAX_RESERVATION),
        prop_oneof![1u32..=30, 1u32..=900],
        128u32..=10_240,
        any::<bool>(),
    );
    let failing = (
        prop_oneof![3 => Just(0.0), 2 => 0.0..=0.2, 1 => Just(1.0)],
        prop_oneof![Just(0.0), 0.0..=0.05],
        prop_oneof![Just(-1i64), 0i64..=5],
        prop_oneof![Just(-1i64), 60i64..=3_600],
        any::<bool>(),
        prop_oneof![
            Just(OnFailure::None),
            Just(OnFailure::Sqs),
            Just(OnFailure::Sns),
            Just(OnFailure::S3)
        ],
    );
    (batching, work, failing).prop_map(|(b, w, f)| LambdaConfig {
        name: String::new(),
        fan_out: b.0,
        batch_size: b.1,
        parallelization_factor: b.2,
        batch_window_s: b.3,
        invocation_overhead_ms: w.0,
        ms_per_record: w.1,
        reserved_concurrency: w.2,
        timeout_s: w.3,
        memory_mb: w.4,
        deaggregate: w.5,
        error_rate: f.0,
        poison_rate: f.1,
        max_retry_attempts: f.2,
        max_record_age_s: f.3,
        bisect_on_error: f.4,
        on_failure: f.5,
    })
}

/// KCL target tracking, on or off, with bounds around the task counts drawn.
pub fn autoscaling() -> impl Strategy<Value = AutoscalingConfig> {
    (0u32..=3)
        .prop_flat_map(|min| (Just(min), min..=8))
        .prop_flat_map(|(min, max)| {
            (
                any::<bool>(),
                Just(min),
                Just(max),
                prop_oneof![1.0..=100.0, 1.0..=5_000.0],
                0u32..=600,
            )
        })
        .prop_map(
            |(enabled, min_tasks, max_tasks, target, cooldown_s)| AutoscalingConfig {
                enabled,
                min_tasks,
                max_tasks,
                target_records_per_task: target,
                cooldown_s,
            },
        )
}

/// An ECS application: few or many tasks, lease caps, slow or fast polls.
pub fn kcl() -> impl Strategy<Value = KclConfig> {
    let reading = (
        fan_out(),
        0u32..=6,
        rate(5_000.0),
        prop::option::of(1u32..=4),
        200u32..=5_000,
        prop_oneof![1u32..=100, 100u32..=10_000],
    );
    let fleet = (1u32..=300, 0u32..=120, 0.25..=4.0, 0.5..=8.0, autoscaling());
    (reading, fleet).prop_map(|(r, f)| KclConfig {
        name: String::new(),
        fan_out: r.0,
        tasks: r.1,
        records_per_sec_per_task: r.2,
        max_leases_per_worker: r.3,
        poll_interval_ms: r.4,
        max_records_per_call: r.5,
        shard_sync_s: f.0,
        task_start_s: f.1,
        vcpu: f.2,
        memory_gb: f.3,
        autoscaling: f.4,
    })
}

/// A consumer of either kind.
pub fn consumer() -> impl Strategy<Value = ConsumerConfig> {
    prop_oneof![
        lambda().prop_map(ConsumerConfig::Lambda),
        kcl().prop_map(ConsumerConfig::Kcl),
    ]
}

fn stream(retention: RangeInclusive<u32>) -> impl Strategy<Value = StreamConfig> {
    let mode = prop_oneof![
        4 => Just((CapacityMode::Provisioned, 0u32)),
        1 => Just((CapacityMode::OnDemand, 0u32)),
        1 => (0u32..=64).prop_map(|warm| (CapacityMode::OnDemandAdvantage, warm)),
    ];
    (
        1u32..=8,
        retention,
        prop_oneof![1u32..=60, 1u32..=600],
        1u32..=10,
        prop_oneof![3 => Just(1_024u32), 1 => 1_024u32..=10_240],
        mode,
    )
        .prop_map(
            |(shards, retention_hours, step, per_day, kib, (mode, warm))| StreamConfig {
                mode,
                warm_throughput_mibps: warm,
                shards,
                retention_hours,
                reshard_step_s: step,
                max_reshards_per_day: per_day,
                max_record_size_kib: kib,
            },
        )
}

/// A scripted event: a reshard or a retention change (to `retention` hours) at a time
/// within `horizon_s`, sometimes with a fault of any action (a Lambda error burst on
/// every function) starting then.
fn event(horizon_s: u64, retention: RangeInclusive<u32>) -> impl Strategy<Value = ScriptedEvent> {
    let change = prop_oneof![
        (1u32..=16).prop_map(|n| ("stream.shards", json!(n))),
        retention.prop_map(|h| ("stream.retention_hours", json!(h))),
    ];
    let fault = prop::option::weighted(
        0.3,
        (
            prop::sample::select(FaultAction::ALL.to_vec()),
            1u32..=100,
            60u64..=3_600,
        )
            .prop_map(|(action, percent, duration_s)| {
                Fault {
                    action,
                    percent,
                    duration_s,
                    consumer: None,
                }
                .to_map()
            }),
    );
    (0..=horizon_s, change, fault).prop_map(|(at_s, (path, value), fault)| {
        let mut set = Map::new();
        set.insert(path.to_string(), value);
        let fault = fault.unwrap_or_default();
        ScriptedEvent { at_s, set, fault }
    })
}

/// Valid settings: the tick is one of `ticks`, the retention (at the start and after
/// scripted changes) within `retention` hours, and scripted events fall within `horizon_s`.
pub fn config(
    ticks: &'static [u32],
    retention: RangeInclusive<u32>,
    horizon_s: u64,
) -> impl Strategy<Value = Config> {
    let head = (
        any::<u64>(),
        prop::sample::select(ticks),
        stream(retention.clone()),
        400u32..=3_000,
    );
    head.prop_flat_map(move |(seed, tick_s, stream, pool)| {
        let max_bytes = stream.max_record_size_kib * 1_024 - KEY_ROOM;
        (
            Just((seed, tick_s, stream, pool)),
            prop::collection::vec(producer(max_bytes), 1..=3),
            prop::collection::vec(consumer(), 0..=MAX_CONSUMERS),
            prop::collection::vec(event(horizon_s, retention.clone()), 0..=2),
        )
    })
    .prop_map(
        |((seed, tick_s, stream, pool), mut producers, mut consumers, mut events)| {
            if stream.mode.on_demand() {
                events.retain(|e| !e.set.contains_key("stream.shards"));
                producers.iter_mut().for_each(modest);
            }
            for (i, p) in producers.iter_mut().enumerate() {
                p.name = format!("p{i}");
            }
            for (i, c) in consumers.iter_mut().enumerate() {
                match c {
                    ConsumerConfig::Lambda(l) => l.name = format!("c{i}"),
                    ConsumerConfig::Kcl(k) => k.name = format!("c{i}"),
                }
            }
            Config {
                seed,
                tick_s,
                stream,
                account: AccountConfig {
                    lambda_concurrency: pool,
                },
                producers,
                consumers,
                events,
            }
        },
    )
}

/// An edit of the running settings; a new retention is within `retention` hours.
pub fn edit(retention: RangeInclusive<u32>) -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => Just(Edit::Unchanged),
        2 => (1u32..=16).prop_map(Edit::Reshard),
        2 => retention.prop_map(Edit::Retention),
        2 => consumer().prop_map(Edit::AddConsumer),
        2 => any::<Index>().prop_map(Edit::RemoveConsumer),
        1 => any::<Index>().prop_map(Edit::ReplaceKind),
        1 => (any::<Index>(), 0u32..=6).prop_map(|(i, n)| Edit::Tasks(i, n)),
        1 => producer(1_000_000).prop_map(Edit::AddProducer),
        1 => any::<Index>().prop_map(Edit::RemoveProducer),
        1 => (any::<Index>(), rate(3_000.0)).prop_map(|(i, r)| Edit::Rate(i, r)),
    ]
}

/// A run of `config` lasting `seconds` (whole ticks), with up to four edits along it
/// (retention changes within `retention` hours).
pub fn case(
    config: impl Strategy<Value = Config>,
    seconds: RangeInclusive<u64>,
    retention: RangeInclusive<u32>,
) -> impl Strategy<Value = Case> {
    (
        config,
        seconds,
        prop::collection::vec((0.0..1.0f64, edit(retention)), 0..=4),
    )
        .prop_map(|(config, seconds, edits)| {
            let ticks = (seconds / u64::from(config.tick_s)).max(1);
            let mut edits: Vec<(u64, Edit)> = edits
                .into_iter()
                .map(|(at, e)| ((at * ticks as f64) as u64, e))
                .collect();
            edits.sort_by_key(|(at, _)| *at);
            Case {
                config,
                ticks,
                edits,
            }
        })
}

/// `config` with its last consumer (or a new one, if it has none) replaced by one that
/// falls behind for good, so that a long enough run sees records expire.
pub fn with_laggard(config: impl Strategy<Value = Config>) -> impl Strategy<Value = Config> {
    let laggard = prop_oneof![
        Just(ConsumerConfig::Kcl(KclConfig {
            tasks: 0,
            ..KclConfig::default()
        })),
        Just(ConsumerConfig::Lambda(LambdaConfig {
            error_rate: 1.0,
            ..LambdaConfig::default()
        })),
    ];
    (config, laggard).prop_map(|(mut config, mut laggard)| {
        let name = format!("c{}", config.consumers.len().saturating_sub(1));
        match &mut laggard {
            ConsumerConfig::Lambda(l) => l.name = name,
            ConsumerConfig::Kcl(k) => k.name = name,
        }
        match config.consumers.last_mut() {
            Some(last) => *last = laggard,
            None => config.consumers.push(laggard),
        }
        config
    })
}

/// A property runner: `cases` runs (or `PROPTEST_CASES`), divided by `share`, from the
/// fixed `seed` (or a fresh one when `PROPTEST_RNG_SEED` is set), so that `make test`
/// checks the same configs every time.
pub fn runner(cases: u32, share: u32, seed: u64) -> Runner {
    let base = Runner::default();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(cases);
    let seeded = std::env::var("PROPTEST_RNG_SEED").is_ok();
    Runner {
        cases: (cases / share).max(1),
        rng_seed: if seeded {
            base.rng_seed
        } else {
            RngSeed::Fixed(seed)
        },
        failure_persistence: None,
        ..base
    }
}

/// `config` made steady: constant rates, no scripted events, no random errors or
/// poison records, no autoscaling (for the replay tests; the property tests draw as is).
#[allow(dead_code)]
pub fn steady(mut config: Config) -> Config {
    config.events.clear();
    for p in &mut config.producers {
        p.shape = Shape::Constant;
    }
    for c in &mut config.consumers {
        match c {
            ConsumerConfig::Lambda(l) => {
                l.error_rate = 0.0;
                l.poison_rate = 0.0;
            }
            ConsumerConfig::Kcl(k) => k.autoscaling.enabled = false,
        }
    }
    config
}
