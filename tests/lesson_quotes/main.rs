//! Each preset's lesson quotes the numbers of its own config: shard limits, rates, batch
//! times, retry settings, task counts and the values its fix sets.
#![cfg(not(target_arch = "wasm32"))]

mod checkpoints;
mod hidden_bursts;
mod small_records;

use kinesis_playground::format::thousands;
use kinesis_playground::model::{Config, ConsumerConfig, KclConfig, LambdaConfig};
use kinesis_playground::teach::presets::{self, Preset};

/// The preset called `name`.
fn preset(name: &str) -> Preset {
    presets::find(name).unwrap_or_else(|| panic!("no preset {name}"))
}

/// The Lambda consumer called `name`.
fn lambda(config: &Config, name: &str) -> LambdaConfig {
    config
        .consumers
        .iter()
        .find_map(|c| match c {
            ConsumerConfig::Lambda(l) if l.name == name => Some(l.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no Lambda consumer {name}"))
}

/// The KCL consumer called `name`.
fn kcl(config: &Config, name: &str) -> KclConfig {
    config
        .consumers
        .iter()
        .find_map(|c| match c {
            ConsumerConfig::Kcl(k) if k.name == name => Some(k.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no KCL consumer {name}"))
}

/// Records/s all instances of every producer offer at full rate.
fn offered(config: &Config) -> f64 {
    config
        .producers
        .iter()
        .map(|p| f64::from(p.instances) * p.records_per_sec)
        .sum()
}

/// Milliseconds one full batch takes.
fn batch_ms(l: &LambdaConfig) -> f64 {
    f64::from(l.invocation_overhead_ms) + f64::from(l.batch_size) * l.ms_per_record
}

/// "1,000 records/s".
fn per_s(n: f64) -> String {
    format!("{} records/s", thousands(n.round() as u64))
}

/// Asserts that `text` of preset `name` holds every one of `parts`.
fn quotes(name: &str, text: &str, parts: &[String]) {
    for part in parts {
        assert!(
            text.contains(part.as_str()),
            "{name}: {part:?} is not in {text:?}"
        );
    }
}

/// "Two shards" or "2 shards", whichever the text uses, as long as it matches `n`.
fn shards(text: &str, n: u32) -> String {
    let words = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let lower = text.to_lowercase();
    let word = words.get(n as usize).map(|w| format!("{w} shards"));
    match word {
        Some(w) if lower.contains(&w) => w,
        _ => format!("{n} shards"),
    }
}

#[test]
fn the_healthy_explanation_quotes_its_config() {
    let p = preset("healthy");
    let (c, text) = (&p.config, &p.explanation.to_lowercase());
    let l = lambda(c, "lambda");
    let ecs = kcl(c, "ecs");
    assert!(f64::from(ecs.tasks) * ecs.records_per_sec_per_task > offered(c));
    quotes(
        p.name,
        text,
        &[
            shards(text, c.stream.shards),
            per_s(f64::from(c.stream.shards) * 1_000.0),
            format!("{} mib/s", c.stream.shards),
            per_s(offered(c)),
            format!("{} bytes", c.producers[0].record_bytes),
            format!("{}-record batch in {} ms", l.batch_size, batch_ms(&l)),
            format!(
                "({} ms + {} × {} ms)",
                l.invocation_overhead_ms, l.batch_size, l.ms_per_record
            ),
            format!("{} ecs tasks", ecs.tasks),
            per_s(f64::from(ecs.tasks) * ecs.records_per_sec_per_task),
        ],
    );
    assert_eq!(ecs.tasks, c.stream.shards, "one lease each");
}

/// scenario-1: 400 ms per batch, 250 of the 500 records/s per shard.
#[test]
fn scenario_1_quotes_its_batch_time_and_the_half_it_processes() {
    let p = preset("scenario-1");
    let (c, text) = (&p.config, &p.explanation.to_lowercase());
    let l = lambda(c, "lambda");
    assert_eq!(l.parallelization_factor, 1, "one batch at a time per shard");
    let per_shard = offered(c) / f64::from(c.stream.shards);
    let processed = f64::from(l.batch_size) * 1_000.0 / batch_ms(&l);
    assert_eq!(processed / per_shard, 0.5, "half of what arrives");
    quotes(
        p.name,
        text,
        &[
            shards(text, c.stream.shards),
            per_s(offered(c)),
            format!("{} each", thousands(per_shard as u64)),
            format!("{} ms for a {}-record batch", batch_ms(&l), l.batch_size),
            format!(
                "({} ms + {} × {} ms)",
                l.invocation_overhead_ms, l.batch_size, l.ms_per_record
            ),
            format!("{} per shard", per_s(processed)),
            format!("{} h retention", c.stream.retention_hours),
            // Age grows 0.5 s/s, so it reaches the retention after twice the retention.
            format!("after about {} hours", 2 * c.stream.retention_hours),
        ],
    );
    let fixed = p.fixed(c).expect("fix");
    quotes(
        p.name,
        p.fix_label,
        &[format!(
            "time per record from {} ms to {} ms",
            l.ms_per_record,
            lambda(&fixed, "lambda").ms_per_record
        )],
    );
}

/// scenario-2: bursts of 1.8 × 1,400 records/s, the resend loop's settings.
#[test]
fn scenario_2_quotes_its_bursts_and_its_resend_loop() {
    let p = preset("scenario-2");
    let (c, text) = (&p.config, &p.explanation.to_lowercase());
    let producer = &c.producers[0];
    let kinesis_playground::model::Shape::Surge {
        every_s,
        duration_s,
        multiplier,
    } = producer.shape
    else {
        panic!("scenario-2 bursts")
    };
    let burst = offered(c) * multiplier;
    assert!((burst - 2_500.0).abs() <= 50.0, "about 2,500: {burst}");
    assert!(burst > f64::from(c.stream.shards) * 1_000.0);
    let retry = &producer.retry;
    quotes(
        p.name,
        text,
        &[
            shards(text, c.stream.shards),
            per_s(f64::from(c.stream.shards) * 1_000.0),
            per_s(offered(c)),
            format!("{duration_s} s in every {} min", every_s / 60),
            "about 2,500".to_string(),
            format!("up to {} attempts", retry.max_attempts),
            format!(
                "up to {} s, {} s, {} s",
                retry.base_delay_ms / 1_000,
                2 * retry.base_delay_ms / 1_000,
                4 * retry.base_delay_ms / 1_000
            ),
            format!("at most {} s", retry.max_delay_ms / 1_000),
        ],
    );
}

/// scenario-3: 1,000 then 5,000 records/s; 2 then 10 shards; 2 tasks of 1,000 records/s.
#[test]
fn scenario_3_quotes_its_reshard_its_traffic_and_its_tasks() {
    let p = preset("scenario-3");
    let (c, text) = (&p.config, &p.explanation.to_lowercase());
    let ecs = kcl(c, "ecs");
    let [reshard, grow] = &c.events[..] else {
        panic!("scenario-3 reshards, then traffic grows")
    };
    let to = reshard.set["stream.shards"].as_u64().expect("shards") as u32;
    let grown = f64::from(c.producers[0].instances)
        * grow.set["producers.events.records_per_sec"]
            .as_f64()
            .expect("rate");
    // The reshard (three steps) completes before the traffic grows, and the grown
    // traffic fits the new shards.
    assert!(reshard.at_s + 3 * u64::from(c.stream.reshard_step_s) < grow.at_s);
    assert!(grown <= f64::from(to) * 1_000.0);
    let capacity = f64::from(ecs.tasks) * ecs.records_per_sec_per_task;
    assert!(capacity < grown && capacity >= offered(c));
    quotes(
        p.name,
        text,
        &[
            format!(
                "at {} h the stream goes from {} to {to} shards",
                reshard.at_s / 3_600,
                c.stream.shards
            ),
            "done about six minutes later".to_string(),
            format!(
                "at {} h the producers raise their traffic from {} to {}",
                grow.at_s / 3_600,
                thousands(offered(c) as u64),
                per_s(grown)
            ),
            format!("from {} to {to}", c.stream.shards),
            format!("runs {} tasks", ecs.tasks),
            format!("all {to} leases, {} per task", to / ecs.tasks),
            format!("at most {}", per_s(ecs.records_per_sec_per_task)),
            format!(
                "{} of the {} records arriving",
                thousands(capacity as u64),
                thousands(grown as u64)
            ),
            format!("{} h retention", c.stream.retention_hours),
        ],
    );
    assert_eq!(3 * c.stream.reshard_step_s, 360, "six minutes");
    let scaling = kcl(&p.fixed(c).expect("fix"), "ecs").autoscaling;
    assert!(scaling.enabled);
    assert_eq!(scaling.max_tasks, to, "one task per shard");
    assert!(
        scaling.target_records_per_task * f64::from(to) >= grown,
        "the grown traffic brings the most tasks"
    );
    quotes(
        p.name,
        p.fix_label,
        &[format!(
            "from {} to {} tasks at {}",
            scaling.min_tasks,
            scaling.max_tasks,
            per_s(scaling.target_records_per_task)
        )],
    );
}

/// scenario-4: 2,400 records/s of 1,000 bytes into 2 shards; 3 standard consumers.
#[test]
fn scenario_4_quotes_its_load_its_limits_and_its_consumers() {
    let p = preset("scenario-4");
    let (c, text) = (&p.config, &p.explanation.to_lowercase());
    let limit = f64::from(c.stream.shards) * 1_000.0;
    assert_eq!(c.consumers.len(), 3);
    assert!(c
        .consumers
        .iter()
        .all(|c| c.fan_out() == kinesis_playground::model::FanOut::Shared));
    quotes(
        p.name,
        text,
        &[
            format!(
                "{} of {} bytes",
                per_s(offered(c)),
                thousands(u64::from(c.producers[0].record_bytes))
            ),
            format!(
                "{} that accept {}",
                shards(text, c.stream.shards),
                thousands(limit as u64)
            ),
            format!("the {} over the limit", per_s(offered(c) - limit)),
            format!("up to {} times", c.producers[0].retry.max_attempts),
            "three standard consumers".to_string(),
        ],
    );
}

/// hot-key: the top key of 50 with Zipf skew 2 carries 1/H(50, 2) ≈ 62 % of the traffic.
#[test]
fn hot_key_quotes_its_keys_and_the_hot_share() {
    let p = preset("hot-key");
    let (c, text) = (&p.config, &p.explanation.to_lowercase());
    let producer = &c.producers[0];
    let h: f64 = (1..=producer.distinct_keys)
        .map(|k| 1.0 / f64::from(k).powf(producer.key_skew))
        .sum();
    let hot = offered(c) / h;
    assert!(
        hot > 1_000.0,
        "one key alone is over a shard's limit: {hot}"
    );
    let l = lambda(c, "lambda");
    assert!(
        f64::from(l.batch_size) * 1_000.0 / batch_ms(&l) > 1_000.0,
        "Lambda keeps up with the hot shard"
    );
    quotes(
        p.name,
        text,
        &[
            format!("just {} keys", producer.distinct_keys),
            format!("about {:.0} %", 100.0 / h),
            format!("of the {}", per_s(offered(c))),
            format!("some {}", per_s((hot / 100.0).round() * 100.0)),
            format!(
                "other {}",
                ["", "one", "two", "three"][c.stream.shards as usize - 1]
            ),
            format!("up to {} times", producer.retry.max_attempts),
        ],
    );
}

#[test]
fn fix_labels_say_what_the_fix_sets() {
    for name in ["scenario-2", "scenario-4"] {
        let p = preset(name);
        let fixed = p.fixed(&p.config).expect("fix");
        quotes(
            name,
            p.fix_label,
            &[format!(
                "({} → {})",
                p.config.stream.shards, fixed.stream.shards
            )],
        );
    }
    let p = preset("hot-key");
    let fixed = &p.fixed(&p.config).expect("fix").producers[0];
    assert_eq!(fixed.key_skew, 0.0, "evenly used");
    quotes(
        p.name,
        p.fix_label,
        &[format!(
            "{} evenly used keys",
            thousands(u64::from(fixed.distinct_keys))
        )],
    );
}

#[test]
fn scenario_2_says_who_resends_throttled_entries_and_what_its_retry_settings_are() {
    // The SDKs retry a whole failed call, but a PutRecords call whose entries were
    // throttled succeeds (HTTP 200, FailedRecordCount): the application or the KPL must
    // resend those entries, and the preset's retry policy stands for that loop.
    let p = preset("scenario-2");
    let text = p.explanation;
    quotes(
        p.name,
        text,
        &[
            "PutRecords",
            "HTTP 200",
            "FailedRecordCount",
            "the AWS SDKs do not retry those entries",
            "the application (or the KPL) has to send them again",
            "retry settings stand for that resend loop in the producer",
        ]
        .map(String::from),
    );
    // It does not repeat the belief that the SDK's retries make records land.
    let lower = text.to_lowercase();
    for wrong in ["sdk retries", "sdk's retries", "the sdk retries"] {
        assert!(!lower.contains(wrong), "{wrong:?} in {text:?}");
    }
    // The resend loop, not the SDK's standard mode (3 attempts), is what the preset sets.
    assert_eq!(p.config.producers[0].retry.max_attempts, 10);
}
