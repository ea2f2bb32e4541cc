//! Each checkpoint that quotes a number takes it from its preset's config.

use kinesis_playground::format::thousands;
use kinesis_playground::model::Shape;

use super::{kcl, offered, per_s, preset, quotes, shards};

/// The notice of checkpoint `index` of preset `name`.
fn notice(name: &str, index: usize) -> String {
    kinesis_playground::teach::checkpoints::for_preset(name)
        .get(index)
        .unwrap_or_else(|| panic!("{name} has no checkpoint {index}"))
        .notice
        .to_lowercase()
}

/// Each checkpoint that quotes a number takes it from its preset's config: offered
/// and accepted rates, burst sizes, task capacity, retry attempts and shard counts.
#[test]
fn checkpoint_notices_quote_their_configs() {
    // scenario-2: 4 × 350 records/s × 1.8 in a burst, to 2 shards of 1,000 records/s.
    let c = preset("scenario-2").config;
    let Shape::Surge {
        duration_s,
        multiplier,
        ..
    } = c.producers[0].shape
    else {
        panic!("scenario-2 surges");
    };
    let burst = (offered(&c) * multiplier / 100.0).round() * 100.0;
    quotes(
        "scenario-2",
        &notice("scenario-2", 0),
        &[
            format!("for {duration_s} seconds"),
            format!("about {}", per_s(burst)),
            format!(
                "{} that accept {}",
                shards(&notice("scenario-2", 0), c.stream.shards),
                thousands(u64::from(c.stream.shards) * 1_000)
            ),
        ],
    );
    // scenario-3: 2 → 10 shards in doubling steps; then 5,000 records/s against
    // 2 tasks × 1,000.
    let c = preset("scenario-3").config;
    let ecs = kcl(&c, "ecs");
    let capacity = f64::from(ecs.tasks) * ecs.records_per_sec_per_task;
    let grown = f64::from(c.producers[0].instances) * 1_250.0;
    quotes(
        "scenario-3",
        &notice("scenario-3", 0),
        &[
            "10 shards are open".to_string(),
            format!("({})", doubling(c.stream.shards, 10)),
            format!("holds 10 leases on its {} tasks", ecs.tasks),
        ],
    );
    quotes(
        "scenario-3",
        &notice("scenario-3", 1),
        &[
            format!("grew to {}", per_s(grown)),
            format!("{} tasks process {}", words(ecs.tasks), per_s(capacity)),
            format!(
                "{} records further behind every second",
                thousands((grown - capacity) as u64)
            ),
        ],
    );
    // scenario-4 and hot-key: records given up after the producers' attempts.
    let c = preset("scenario-4").config;
    quotes(
        "scenario-4",
        &notice("scenario-4", 0),
        &[
            format!(
                "accept {} of the {} records offered",
                thousands(u64::from(c.stream.shards) * 1_000),
                thousands(offered(&c) as u64)
            ),
            format!(
                "on every one of its {} attempts",
                c.producers[0].retry.max_attempts
            ),
        ],
    );
    let standard = c.consumers.len();
    quotes(
        "scenario-4",
        &notice("scenario-4", 1),
        &[format!("{} standard consumers", words(standard as u32))],
    );
    let c = preset("hot-key").config;
    quotes(
        "hot-key",
        &notice("hot-key", 0),
        &[format!(
            "the other {} have plenty of room",
            words(c.stream.shards - 1)
        )],
    );
    quotes(
        "hot-key",
        &notice("hot-key", 1),
        &[format!(
            "after {} attempts",
            c.producers[0].retry.max_attempts
        )],
    );
}

/// A small count in words, as the notices write them.
fn words(n: u32) -> &'static str {
    let words = ["zero", "one", "two", "three", "four", "five"];
    words.get(n as usize).copied().unwrap_or("many")
}

/// The shard counts UpdateShardCount passes through from `from` to `to`, at most
/// doubling each step: "2 → 4 → 8 → 10".
fn doubling(from: u32, to: u32) -> String {
    let mut steps = vec![from];
    while let Some(&last) = steps.last().filter(|&&n| n < to) {
        steps.push((last * 2).min(to));
    }
    let steps: Vec<String> = steps.iter().map(u32::to_string).collect();
    steps.join(" → ")
}
