//! The sliders natively: their value tables, how a position reads and what it writes,
//! and that every value of every table validates on the defaults and every preset.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::config::CapacityMode;
use kinesis_playground::model::path::set_path;
use kinesis_playground::model::{Config, ConsumerConfig};
use kinesis_playground::playground::knobs::{
    account_knobs, consumer_knobs, kcl_knobs, lambda_knobs, producer_knobs, stream_knobs,
};
use kinesis_playground::playground::{every_knob, Knob, Setting};
use kinesis_playground::teach::presets;
use serde_json::{json, Value};

/// The knob bound to `path` among `knobs`.
fn knob(knobs: Vec<Knob>, path: &str) -> Knob {
    knobs
        .into_iter()
        .find(|k| k.path == path)
        .unwrap_or_else(|| panic!("no knob for {path}"))
}

#[test]
fn every_slider_value_validates_against_every_preset() {
    let mut configs = vec![("defaults".to_string(), Config::default())];
    configs.extend(
        presets::all()
            .into_iter()
            .map(|p| (p.name.to_string(), p.config)),
    );
    let mut checked = 0;
    for (name, config) in &configs {
        let knobs = every_knob(config);
        for path in [
            "consumers.lambda.timeout_s",
            "consumers.lambda.poison_rate",
            "account.lambda_concurrency",
        ] {
            assert!(knobs.iter().any(|k| k.path == path), "{name}: no {path}");
        }
        for knob in knobs {
            let row = knob.field.map(|f| f.pattern());
            assert!(row.is_some(), "{}: not in the settings table", knob.path);
            assert!(knob.values.len() > 1, "{}: no steps", knob.path);
            // Warm throughput is On-demand Advantage's own (whose stream no scripted
            // reshard may touch).
            let mut base = config.clone();
            if knob.path == "stream.warm_throughput_mibps" {
                base.stream.mode = CapacityMode::OnDemandAdvantage;
                base.events.clear();
            }
            for &value in &knob.values {
                let json = knob.to_json(value).expect("a known setting");
                let edited = set_path(&base, &knob.path, &json)
                    .and_then(|c| c.validate().map(|()| c))
                    .unwrap_or_else(|e| panic!("{name}: {} = {json}: {e}", knob.path));
                let back = knob.current(&edited).expect("a number");
                assert!(
                    (back - value).abs() <= 1e-12 * value.abs().max(1.0),
                    "{name}: {} reads back {back}, not {value}",
                    knob.path
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1_000, "{checked} values checked");
}

#[test]
fn the_page_has_a_slider_per_setting_in_page_order() {
    let paths: Vec<String> = every_knob(&Config::default())
        .into_iter()
        .map(|k| k.path)
        .collect();
    assert_eq!(
        paths,
        [
            "producers.0.instances",
            "producers.0.records_per_sec",
            "producers.0.record_bytes",
            "producers.0.distinct_keys",
            "producers.0.key_skew",
            "producers.0.retry.max_attempts",
            "producers.0.aggregation_max_bytes",
            "producers.0.record_max_buffered_time_ms",
            "stream.shards",
            "stream.retention_hours",
            "stream.warm_throughput_mibps",
            "account.lambda_concurrency",
            "consumers.lambda.batch_size",
            "consumers.lambda.parallelization_factor",
            "consumers.lambda.ms_per_record",
            "consumers.lambda.reserved_concurrency",
            "consumers.lambda.timeout_s",
            "consumers.lambda.error_rate",
            "consumers.lambda.poison_rate",
            "consumers.lambda.max_retry_attempts",
            "consumers.lambda.max_record_age_s",
        ]
    );
    let kcl = ConsumerConfig::Kcl(Default::default());
    let kcl_paths: Vec<String> = consumer_knobs(&kcl).into_iter().map(|k| k.path).collect();
    assert_eq!(
        kcl_paths,
        [
            "consumers.ecs.tasks",
            "consumers.ecs.records_per_sec_per_task",
            "consumers.ecs.max_leases_per_worker",
            "consumers.ecs.poll_interval_ms",
        ]
    );
}

#[test]
fn tables_step_through_the_documented_values() {
    let shards = knob(stream_knobs(), "stream.shards");
    assert_eq!(shards.values.len(), 29);
    assert_eq!(
        shards.values[..10],
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    );
    assert_eq!(shards.values[10..13], [12.0, 15.0, 20.0]);
    assert_eq!(shards.values.last(), Some(&1_000.0));
    let retention = knob(stream_knobs(), "stream.retention_hours");
    assert_eq!(
        retention.values,
        [24.0, 48.0, 72.0, 168.0, 336.0, 720.0, 2_160.0, 4_380.0, 8_760.0]
    );
    let sizes = knob(producer_knobs(), "producers.0.record_bytes");
    assert_eq!(sizes.values.last(), Some(&1_000_000.0));
    let reserved = knob(lambda_knobs("f"), "consumers.f.reserved_concurrency");
    assert_eq!(reserved.values.first(), Some(&0.0));
    assert_eq!(reserved.values.last(), Some(&900.0));
    let skew = knob(producer_knobs(), "producers.0.key_skew");
    assert_eq!(skew.values.len(), 31);
    assert_eq!(skew.values[12], 1.2);
    let concurrency = knob(account_knobs(), "account.lambda_concurrency");
    assert_eq!(concurrency.values.first(), Some(&100.0));
    assert_eq!(concurrency.values.last(), Some(&100_000.0));
}

#[test]
fn a_slider_sits_on_the_nearest_step_and_reads_the_exact_value() {
    let config = Config::default();
    let shards = knob(stream_knobs(), "stream.shards");
    assert_eq!(
        shards.setting(&config),
        Ok(Setting {
            index: 1,
            shown: "2".into()
        })
    );
    // 13 shards: between 12 and 15, nearer 12 (step 10); the read-out says 13.
    let edited = set_path(&config, "stream.shards", &json!(13)).expect("valid");
    assert_eq!(
        shards.setting(&edited),
        Ok(Setting {
            index: 10,
            shown: "13".into()
        })
    );
    assert_eq!(shards.index_of(14.0), 11);
    assert_eq!(shards.index_of(5_000.0), 28);
    assert_eq!(shards.index_of(-3.0), 0);
    let retention = knob(stream_knobs(), "stream.retention_hours");
    assert_eq!(
        retention.setting(&config).map(|s| s.shown),
        Ok("1 day (24 h)".into())
    );
}

#[test]
fn unset_settings_read_as_zero_and_missing_ones_are_errors() {
    let config = Config::default();
    let reserved = knob(
        lambda_knobs("lambda"),
        "consumers.lambda.reserved_concurrency",
    );
    assert_eq!(reserved.current(&config), Ok(0.0));
    assert_eq!(
        reserved.setting(&config).map(|s| s.shown),
        Ok("unreserved".into())
    );
    let ghost = knob(kcl_knobs("ghost"), "consumers.ghost.tasks");
    let err = ghost
        .current(&config)
        .expect_err("no consumer called ghost");
    assert!(err.contains("ghost"), "{err}");
    assert!(ghost.setting(&config).is_err());
}

#[test]
fn positions_give_values_and_the_json_the_settings_take() {
    let reserved = knob(lambda_knobs("f"), "consumers.f.reserved_concurrency");
    assert_eq!(reserved.value_at(0.0), Ok(0.0));
    assert_eq!(reserved.to_json(0.0).expect("a known setting"), Value::Null);
    assert_eq!(reserved.value_at(10.0), Ok(900.0));
    assert_eq!(
        reserved.to_json(900.0).expect("a known setting"),
        json!(900)
    );
    assert_eq!((reserved.show)(900.0), "900");
    let retries = knob(lambda_knobs("f"), "consumers.f.max_retry_attempts");
    assert_eq!(retries.value_at(0.0), Ok(-1.0));
    assert_eq!(retries.to_json(-1.0).expect("a known setting"), json!(-1));
    assert_eq!((retries.show)(-1.0), "unlimited");
    // The age limit steps from unlimited through a minute to a week.
    let age = knob(lambda_knobs("f"), "consumers.f.max_record_age_s");
    assert_eq!(age.value_at(0.0), Ok(-1.0));
    assert_eq!(age.value_at(1.0), Ok(60.0));
    assert_eq!(age.value_at(7.0), Ok(604_800.0));
    assert_eq!(age.to_json(3_600.0).expect("a known setting"), json!(3_600));
    assert_eq!((age.show)(604_800.0), "7 days");
    let poison = knob(lambda_knobs("f"), "consumers.f.poison_rate");
    assert_eq!(poison.value_at(1.0), Ok(0.0001));
    assert_eq!((poison.show)(0.0001), "0.01 %");
    assert_eq!(
        poison.to_json(0.0001).expect("a known setting"),
        json!(0.0001)
    );
    for bad in [-1.0, 11.0, 0.5, f64::NAN, f64::INFINITY] {
        let err = reserved.value_at(bad).expect_err("not a position");
        assert_eq!(
            err,
            format!(
                "consumers.f.reserved_concurrency: slider position {bad} is not one of 0 to 10"
            )
        );
    }
}

#[test]
fn sliders_have_ids_from_their_paths_and_help_that_names_the_metric() {
    let shards = knob(stream_knobs(), "stream.shards");
    assert_eq!(shards.element_id(), "kp-stream-shards");
    assert_eq!(
        knob(producer_knobs(), "producers.0.retry.max_attempts").element_id(),
        "kp-producers-0-retry-max_attempts"
    );
    let poll = knob(kcl_knobs("ecs"), "consumers.ecs.poll_interval_ms");
    assert_eq!((poll.show)(1_500.0), "1,500 ms");
    assert!(poll
        .help
        .contains("1,500 ms is the default in KCL 2.x and 3.x"));
    assert!(poll.help.contains("Enhanced fan-out consumers do not poll"));
    for k in every_knob(&Config::default()) {
        assert!(!k.label.is_empty() && !k.help.is_empty(), "{}", k.path);
        assert!(
            k.values.windows(2).all(|w| w[0] < w[1]),
            "{} in order",
            k.path
        );
    }
}

#[test]
fn help_names_no_limit_the_stream_settings_can_change() {
    // The largest record is a stream setting (`max_record_size_kib`), so the help says
    // "the stream's largest record size" rather than a number.
    let size = knob(producer_knobs(), "producers.0.record_bytes");
    assert!(size
        .help
        .ends_with("A record and its key must fit in the stream's largest record size."));
    assert!(!size.help.contains("fit in 1 MiB"));
    // Likewise the steps a day (`max_reshards_per_day`) for the shard count.
    let shards = knob(stream_knobs(), "stream.shards");
    assert_eq!(
        shards.help,
        "Write and read capacity. Changes go through UpdateShardCount (×2 or ÷2 a step, as \
         many steps a day as the stream allows). Watch the write limit line and IteratorAge."
    );
}
