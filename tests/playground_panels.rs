//! Consumer panels natively: kinds, legends, remove buttons, toggles and their labels,
//! which sliders each view shows, and when the page must rebuild them.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::{Config, ConsumerConfig};
use kinesis_playground::playground::consumers::{panels, toggle_is_on};
use kinesis_playground::playground::{Action, ConsumerKind, View};
use serde_json::json;

/// The defaults plus an ECS consumer.
fn two_kinds() -> Config {
    let mut config = Config::default();
    config
        .consumers
        .push(ConsumerKind::Kcl.new_consumer("ecs".into()));
    config
}

#[test]
fn kinds_name_themselves_and_read_back() {
    let config = two_kinds();
    let kinds: Vec<ConsumerKind> = config
        .consumers
        .iter()
        .map(ConsumerConfig::consumer_kind)
        .collect();
    assert_eq!(kinds, ConsumerKind::ALL);
    assert_eq!(
        ConsumerKind::ALL.map(|k| (k.stem(), k.title(), k.add_label())),
        [
            ("lambda", "Lambda", "Add Lambda"),
            ("ecs", "ECS (KCL)", "Add ECS")
        ]
    );
    assert_eq!(ConsumerKind::from_stem("ecs"), Ok(ConsumerKind::Kcl));
    assert_eq!(
        ConsumerKind::from_stem("kcl"),
        Err("\"kcl\" is not a kind of consumer (lambda or ecs)".to_string())
    );
    assert_eq!(ConsumerKind::parse("kcl"), Some(ConsumerKind::Kcl));
    assert_eq!(ConsumerKind::Kcl.as_str(), "kcl");
    assert!(matches!(
        ConsumerKind::Lambda.new_consumer("f".into()),
        ConsumerConfig::Lambda(l) if l.name == "f" && l.batch_size == 100
    ));
}

#[test]
fn fresh_names_skip_the_taken_ones() {
    let mut config = two_kinds();
    assert_eq!(ConsumerKind::Lambda.fresh_name(&config), "lambda-2");
    assert_eq!(ConsumerKind::Kcl.fresh_name(&config), "ecs-2");
    config
        .consumers
        .push(ConsumerKind::Lambda.new_consumer("lambda-2".into()));
    assert_eq!(ConsumerKind::Lambda.fresh_name(&config), "lambda-3");
    assert_eq!(
        ConsumerKind::Lambda.fresh_name(&Config {
            consumers: Vec::new(),
            ..Config::default()
        }),
        "lambda"
    );
}

#[test]
fn the_full_page_has_a_panel_per_consumer_with_its_toggles() {
    let config = two_kinds();
    let view = View::full();
    let built = panels(&config, &view);
    let legends: Vec<&str> = built.iter().map(|p| p.legend.as_str()).collect();
    assert_eq!(legends, ["Lambda: lambda", "ECS (KCL): ecs"]);
    let remove = built[1].remove.as_ref().expect("a remove button");
    assert_eq!(remove.text, "Remove ecs");
    assert_eq!(remove.action, Action::Remove("ecs".into()));
    assert_eq!(remove.class, "remove");
    let toggles = |i: usize| -> Vec<(String, String, &str, &str)> {
        built[i]
            .toggles
            .iter()
            .map(|t| (t.label.clone(), t.path.clone(), t.on, t.off))
            .collect()
    };
    let fan_out = |name: &str| {
        (
            "Enhanced fan-out (own 2 MiB/s per shard)".to_string(),
            format!("consumers.{name}.fan_out"),
            "\"enhanced\"",
            "\"shared\"",
        )
    };
    assert_eq!(
        toggles(0),
        [
            fan_out("lambda"),
            (
                "Split a failing batch in two (bisect on error)".into(),
                "consumers.lambda.bisect_on_error".into(),
                "true",
                "false"
            ),
            (
                "De-aggregate KPL records in the function".into(),
                "consumers.lambda.deaggregate".into(),
                "true",
                "false"
            )
        ]
    );
    assert_eq!(
        toggles(1),
        [
            fan_out("ecs"),
            (
                "Autoscaling (target 800 records/s per task)".into(),
                "consumers.ecs.autoscaling.enabled".into(),
                "true",
                "false"
            )
        ]
    );
    let knobs: Vec<String> = built[1]
        .knobs(&config, &view)
        .into_iter()
        .map(|k| k.path)
        .collect();
    assert_eq!(
        knobs,
        [
            "consumers.ecs.tasks",
            "consumers.ecs.records_per_sec_per_task",
            "consumers.ecs.max_leases_per_worker",
            "consumers.ecs.poll_interval_ms"
        ]
    );
}

#[test]
fn the_autoscaling_label_says_the_target_the_settings_hold() {
    let mut config = two_kinds();
    let before = panels(&config, &View::full());
    if let ConsumerConfig::Kcl(k) = &mut config.consumers[1] {
        k.autoscaling.target_records_per_task = 1_500.0;
    }
    let after = panels(&config, &View::full());
    assert_eq!(
        after[1].toggles[1].label,
        "Autoscaling (target 1,500 records/s per task)"
    );
    // Another label is another panel: the page rebuilds it.
    assert_ne!(before, after);
    // A checked box or a moved slider keeps the panels as built.
    if let ConsumerConfig::Kcl(k) = &mut config.consumers[1] {
        k.autoscaling.enabled = true;
        k.tasks = 7;
    }
    assert_eq!(panels(&config, &View::full()), after);
}

#[test]
fn a_widget_shows_panels_only_for_consumers_with_a_control_in_view() {
    let config = two_kinds();
    let shards_only = View::widget(None, None);
    assert!(panels(&config, &shards_only).is_empty());
    let tasks = View::widget(None, Some(vec!["tasks".into(), "bisect_on_error".into()]));
    let built = panels(&config, &tasks);
    assert_eq!(built.len(), 2);
    assert!(
        built.iter().all(|p| p.remove.is_none()),
        "no remove in a widget"
    );
    assert!(built[0].knobs(&config, &tasks).is_empty());
    assert_eq!(built[0].toggles.len(), 1);
    assert_eq!(built[0].toggles[0].path, "consumers.lambda.bisect_on_error");
    assert!(built[1].toggles.is_empty());
    let ecs_knobs: Vec<String> = built[1]
        .knobs(&config, &tasks)
        .into_iter()
        .map(|k| k.path)
        .collect();
    assert_eq!(ecs_knobs, ["consumers.ecs.tasks"]);
    let fan_out = View::widget(None, Some(vec!["fan_out".into()]));
    assert_eq!(panels(&config, &fan_out).len(), 2);
}

#[test]
fn toggles_read_their_state_from_the_settings() {
    let mut config = two_kinds();
    let built = panels(&config, &View::full());
    assert!(built
        .iter()
        .all(|p| p.toggles.iter().all(|t| !t.is_on(&config))));
    config = kinesis_playground::model::path::set_path(
        &config,
        "consumers.lambda.fan_out",
        &json!("enhanced"),
    )
    .expect("valid");
    assert!(built[0].toggles[0].is_on(&config));
    assert!(toggle_is_on(
        &config,
        "consumers.lambda.fan_out",
        "\"enhanced\""
    ));
    assert!(!toggle_is_on(
        &config,
        "consumers.ghost.fan_out",
        "\"enhanced\""
    ));
    assert!(!toggle_is_on(
        &config,
        "consumers.lambda.fan_out",
        "not json"
    ));
}

#[test]
fn a_lambda_panel_chooses_where_failed_batches_go_and_the_loss_chart_says_what_was_kept() {
    use kinesis_playground::model::path::set_path;
    use kinesis_playground::playground::charts::build;
    use kinesis_playground::playground::consumers::DESTINATIONS;
    use kinesis_playground::playground::{App, ChartId, Drawing};
    let config = two_kinds();
    let built = panels(&config, &View::full());
    assert_eq!(
        built
            .iter()
            .map(|p| p.destination.as_deref())
            .collect::<Vec<_>>(),
        [Some("consumers.lambda.on_failure"), None],
        "only an event source mapping has an on-failure destination"
    );
    // Each option is a value the setting takes.
    for (value, _) in DESTINATIONS {
        let value: serde_json::Value = serde_json::from_str(value).expect("JSON");
        set_path(&config, "consumers.lambda.on_failure", &value).expect("a destination");
    }
    let label = |destination: &str| {
        let config =
            set_path(&config, "consumers.lambda.on_failure", &json!(destination)).expect("valid");
        let app = App::new(config).expect("valid");
        match build(&app, ChartId::Loss) {
            Drawing::Time(chart) => chart.lines[1].label.clone(),
            Drawing::Strip(_) => unreachable!(),
        }
    };
    assert_eq!(label("none"), "lambda skipped");
    assert_eq!(label("s3"), "lambda skipped (whole batches in S3)");
    assert_eq!(label("sqs"), "lambda skipped (only their place, in SQS)");
}
