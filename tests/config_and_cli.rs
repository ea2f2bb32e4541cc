//! The config contract (defaults, unknown fields, ranges, dotted paths) and the command line.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use kinesis_playground::model::path::{get_path, set_path, set_paths};
use kinesis_playground::model::routing::{hash_key, EvenLayout};
use kinesis_playground::model::{presets, Config, ConsumerConfig, Simulation};
use serde_json::json;

#[test]
fn omitted_fields_take_defaults_and_unknown_fields_are_errors() {
    let c = Config::from_json(r#"{"stream": {"shards": 5}}"#).expect("valid");
    assert_eq!(c.stream.shards, 5);
    assert_eq!(c.stream.retention_hours, 24);
    assert_eq!(c.seed, 1);
    let err = Config::from_json(r#"{"stream": {"shardz": 5}}"#).expect_err("unknown field");
    assert!(err.to_string().contains("unknown field `shardz`"), "{err}");
    let err = Config::from_json(r#"{"consumers": [{"type": "lambda", "batchsize": 5}]}"#)
        .expect_err("unknown consumer field");
    assert!(err.to_string().contains("batchsize"), "{err}");
}

#[test]
fn range_errors_name_the_field_and_the_allowed_range() {
    let err = Config::from_json(r#"{"stream": {"shards": 0}}"#).expect_err("out of range");
    assert_eq!(
        err.to_string(),
        "stream.shards: 0 is out of range 1..=10000"
    );
    let err =
        Config::from_json(r#"{"consumers": [{"type": "kcl", "name": "ecs", "tasks": 5000}]}"#)
            .expect_err("too many tasks");
    assert_eq!(
        err.to_string(),
        "consumers.ecs.tasks: 5000 is out of range 0..=1000"
    );
    let err = Config::from_json(r#"{"stream": {"retention_hours": 9000}}"#).expect_err("retention");
    assert_eq!(
        err.to_string(),
        "stream.retention_hours: 9000 is out of range 24..=8760"
    );
    let err = Config::from_json(r#"{"tick_s": 7}"#).expect_err("tick");
    assert_eq!(
        err.to_string(),
        "tick_s: 7 does not divide a minute (use 1, 2, 3, 4, 5, 6 or 10)"
    );
    let err = Config::from_json(r#"{"events": [{"at_s": 5, "set": {"stream.shards": 20000}}]}"#)
        .expect_err("bad event");
    assert_eq!(
        err.to_string(),
        "events[0].set.stream.shards: 20000 is out of range 1..=10000"
    );
}

#[test]
fn dotted_paths_address_consumers_and_producers_by_name() {
    let c = Config::from_json(
        r#"{"consumers": [{"type": "lambda", "name": "fn"}, {"type": "kcl", "name": "ecs"}]}"#,
    )
    .expect("valid");
    let c = set_path(&c, "consumers.ecs.tasks", &json!(4)).expect("set");
    match &c.consumers[1] {
        ConsumerConfig::Kcl(k) => assert_eq!(k.tasks, 4),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        get_path(&c, "consumers.fn.batch_size").expect("get"),
        json!(100)
    );
    assert_eq!(
        get_path(&c, "producers.producer.retry.max_attempts").expect("get"),
        json!(3)
    );
    let err = set_path(&c, "consumers.nope.tasks", &json!(4)).expect_err("no such consumer");
    assert!(
        err.to_string()
            .contains("nothing is named \"consumers.nope\""),
        "{err}"
    );
    let err = set_path(&c, "stream.shards", &json!("ten")).expect_err("wrong type");
    assert!(err.to_string().starts_with("stream.shards:"), "{err}");
}

#[test]
fn edits_that_only_fit_together_are_checked_together() {
    let c = Config::from_json(r#"{"consumers": [{"type": "kcl", "name": "ecs"}]}"#).expect("valid");
    // Raising both bounds above the old maximum (10): the first edit alone is out of range.
    let (min, max) = (json!(20), json!(30));
    assert!(set_path(&c, "consumers.ecs.autoscaling.min_tasks", &min).is_err());
    let both = set_paths(
        &c,
        [
            ("consumers.ecs.autoscaling.min_tasks", &min),
            ("consumers.ecs.autoscaling.max_tasks", &max),
        ],
    )
    .expect("valid together");
    match &both.consumers[0] {
        ConsumerConfig::Kcl(k) => {
            assert_eq!((k.autoscaling.min_tasks, k.autoscaling.max_tasks), (20, 30))
        }
        other => panic!("{other:?}"),
    }
    // A type error still names its own path.
    let ten = json!("ten");
    let err = set_paths(
        &c,
        [("stream.shards", &json!(3)), ("consumers.ecs.tasks", &ten)],
    )
    .expect_err("wrong type");
    assert!(err.to_string().starts_with("consumers.ecs.tasks:"), "{err}");

    // Scripted events are checked in the order they run, each on top of the ones before:
    // one event moving both bounds passes; two that clash (min 5, then max 3) do not.
    let with_events = |events: &str| {
        Config::from_json(&format!(
            r#"{{"consumers": [{{"type": "kcl", "name": "ecs"}}], "events": {events}}}"#
        ))
    };
    with_events(
        r#"[{"at_s": 60, "set": {"consumers.ecs.autoscaling.min_tasks": 20,
                                 "consumers.ecs.autoscaling.max_tasks": 30}}]"#,
    )
    .expect("one event moving both bounds");
    let err = with_events(
        r#"[{"at_s": 120, "set": {"consumers.ecs.autoscaling.max_tasks": 3}},
            {"at_s": 60, "set": {"consumers.ecs.autoscaling.min_tasks": 5}}]"#,
    )
    .expect_err("the later event clashes with the earlier one");
    assert_eq!(
        err.to_string(),
        "events[0].set.consumers.ecs.autoscaling.max_tasks: 3 is out of range 5..=1000"
    );
}

#[test]
fn routing_matches_known_md5_values_and_range_boundaries() {
    assert_eq!(hash_key("a"), 0x0cc1_75b9_c0f1_b6a8_31c3_99e2_6977_2661);
    assert_eq!(hash_key("abc"), 0x9001_5098_3cd2_4fb0_d696_3f7d_28e1_7f72);
    let two = EvenLayout::new(2);
    assert_eq!(two.range(0).end + 1, 1u128 << 127);
    assert_eq!(
        two.range(1).start,
        170_141_183_460_469_231_731_687_303_715_884_105_728
    );
    assert_eq!(two.range(1).end, u128::MAX);
    assert_eq!(two.shard_of(hash_key("a")), 0);
    assert_eq!(two.shard_of(hash_key("abc")), 1);
    let three = EvenLayout::new(3);
    let w = three.range(0).end + 1;
    assert_eq!(w, u128::MAX / 3);
    assert_eq!(three.shard_of(w - 1), 0);
    assert_eq!(three.shard_of(w), 1);
    assert_eq!(three.shard_of(u128::MAX), 2);
    assert_eq!(EvenLayout::new(1).shard_of(u128::MAX), 0);
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kinesis-sim"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_run_prints_a_summary_that_balances_and_a_series() {
    let (code, out, _) = cli(&[
        "run",
        "--preset",
        "healthy",
        "--duration",
        "2h",
        "--every",
        "10m",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let s = &v["summary"];
    assert_eq!(s["duration_s"], 7_200);
    assert_eq!(s["throttled"], 0);
    assert_eq!(s["produced"], s["accepted"]);
    for c in s["consumers"].as_array().expect("consumers") {
        assert_eq!(c["expired"], 0);
        assert!(
            c["max_iterator_age_ms"].as_u64().unwrap_or(u64::MAX) <= 3_000,
            "{c}"
        );
    }
    assert_eq!(v["series"]["t_s"].as_array().map(Vec::len), Some(12));
    assert!(v["series"]["lambda.processed"].is_array());
    assert!(v["series"]["GetRecords.IteratorAgeMilliseconds"].is_array());
    let consumers = s["consumers"].as_array().expect("consumers");
    assert_eq!(consumers[0]["type"], "lambda");
    assert!(consumers[0]["max_concurrency"]
        .as_u64()
        .is_some_and(|c| c >= 4));
    assert!(consumers[0].get("max_tasks").is_none());
    assert_eq!(consumers[1]["max_tasks"], 4);
}

#[test]
fn cli_csv_presets_route_and_bad_input() {
    let (code, out, _) = cli(&[
        "run",
        "--preset",
        "scenario-2",
        "--duration",
        "30m",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    let mut lines = out.lines();
    assert!(lines.next().unwrap_or_default().starts_with(
        "time_s,sample_s,produced,IncomingRecords,IncomingBytes,WriteProvisionedThroughputExceeded"
    ));
    assert_eq!(lines.count(), 30);

    let (code, out, _) = cli(&["presets"]);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("scenario-1 ")));

    let (code, out, _) = cli(&["route", "--shards", "2", "a", "abc"]);
    assert_eq!((code, out.as_str()), (0, "a 0\nabc 1\n"));
    let (_, out, _) = cli(&["route", "--shards", "2", "--ranges"]);
    assert!(out.starts_with("0 0 170141183460469231731687303715884105727\n"));

    for bad in [
        vec!["run"],
        vec!["run", "--preset", "nope"],
        vec!["run", "--preset", "healthy", "--duration", "soon"],
        vec!["route", "--shards", "0", "a"],
        vec!["frobnicate"],
    ] {
        let (code, out, err) = cli(&bad);
        assert_eq!(code, 2, "{bad:?}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{bad:?}: {err}");
    }
    let dir = std::env::temp_dir().join("kinesis-sim-bad-config.json");
    std::fs::write(&dir, r#"{"stream": {"shards": 0}}"#).expect("write");
    let (code, _, err) = cli(&["run", "--config", dir.to_str().unwrap_or_default()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("stream.shards: 0 is out of range 1..=10000"),
        "{err}"
    );
}

#[test]
fn cli_scenario_1_over_three_days_reaches_the_retention_and_loses_records() {
    let (code, out, _) = cli(&[
        "run",
        "--preset",
        "scenario-1",
        "--duration",
        "3d",
        "--every",
        "1d",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let lambda = &v["summary"]["consumers"][0];
    let age = lambda["max_iterator_age_ms"].as_f64().unwrap_or(0.0);
    assert!((age - 86_400_000.0).abs() <= 864_000.0, "max age {age}");
    assert!(lambda["expired"].as_u64().unwrap_or(0) > 0, "{lambda}");
}

#[test]
fn the_tick_length_is_fixed_for_a_run() {
    // A scripted event may not change it, nor the script itself.
    let err = Config::from_json(r#"{"events": [{"at_s": 60, "set": {"tick_s": 10}}]}"#)
        .expect_err("an event setting the tick");
    assert_eq!(
        err.to_string(),
        "events[0].set.tick_s: cannot change during a run"
    );
    let err = Config::from_json(
        r#"{"events": [{"at_s": 5, "set": {"stream.shards": 3}},
                       {"at_s": 9, "set": {"events": []}}]}"#,
    )
    .expect_err("an event setting the events");
    assert_eq!(
        err.to_string(),
        "events[1].set.events: cannot change during a run"
    );
    // Nor may new settings for a running simulation.
    let mut sim = Simulation::new(Config::default()).expect("valid");
    let faster = Config {
        tick_s: 10,
        ..Config::default()
    };
    let err = sim.apply(faster).expect_err("a new tick");
    assert!(
        err.to_string()
            .starts_with("tick_s: cannot change during a run"),
        "{err}"
    );

    // `run_for` runs the whole ticks that fit, never past the time asked for.
    let config = Config::from_json(r#"{"tick_s": 10}"#).expect("valid");
    let mut sim = Simulation::new(config).expect("valid");
    sim.run_for(25);
    assert_eq!(sim.now_ms(), 20_000);
    sim.run_for(9);
    assert_eq!(sim.now_ms(), 20_000);
    sim.run_for(10);
    assert_eq!(sim.now_ms(), 30_000);
    sim.run_for(0);
    assert_eq!(sim.now_ms(), 30_000);
}

/// A config file in the temporary directory, named for the test that writes it.
fn temp_config(name: &str, text: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("kinesis-sim-{name}.json"));
    std::fs::write(&path, text).expect("write");
    path.to_str().unwrap_or_default().to_string()
}

#[test]
fn cli_durations_and_intervals_are_whole_ticks() {
    let file = temp_config("ten-second-ticks", br#"{"tick_s": 10}"#);
    let (code, out, err) = cli(&["run", "--config", &file, "--duration", "25s"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "kinesis-sim: --duration 25s is not a whole number of ticks: the config's tick is 10s (tick_s)\n"
    );
    let (code, out, err) = cli(&["run", "--config", &file, "--every", "15s"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "kinesis-sim: --every 15s is not a whole number of ticks: the config's tick is 10s (tick_s)\n"
    );
    // Whole ticks run exactly that long.
    let (code, out, _) = cli(&[
        "run",
        "--config",
        &file,
        "--duration",
        "30s",
        "--every",
        "20s",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["summary"]["duration_s"], 30);
    assert_eq!(v["series"]["t_s"], json!([20, 30]));
}

#[test]
fn ten_thousand_scripted_events_validate_each_on_top_of_the_ones_before() {
    // Events every second alternate the producer's rate and the shard count; the list
    // is written in reverse so that replaying it in time order matters.
    let events: Vec<serde_json::Value> = (0..10_000u64)
        .rev()
        .map(|t| {
            json!({"at_s": t, "set": {
                "producers.p.records_per_sec": 100 + t % 2 * 100,
                "stream.shards": 2 + t % 2,
            }})
        })
        .collect();
    let text = json!({
        "producers": [{"name": "p"}],
        "consumers": [{"type": "kcl", "name": "ecs"}],
        "events": events,
    })
    .to_string();
    let config = Config::from_json(&text).expect("10,000 events validate");
    assert_eq!(config.events.len(), 10_000);
    // The replay meets every event once, in time order, each on top of the ones before.
    let mut seen = Vec::new();
    config
        .replay_events(|event, state| {
            let rate = state.producers[0].records_per_sec;
            seen.push((event.at_s, rate as u64, state.stream.shards));
        })
        .expect("replays");
    assert_eq!(seen.len(), 10_000);
    for (t, (at_s, rate, shards)) in seen.iter().enumerate() {
        let t = t as u64;
        assert_eq!(
            (*at_s, *rate, *shards),
            (t, 100 + t % 2 * 100, 2 + t as u32 % 2)
        );
    }
    // The event last in time, first in the list, is checked on top of all the others:
    // raising min_tasks above the max_tasks that the first event in time set fails there.
    let mut events =
        vec![json!({"at_s": 10_000, "set": {"consumers.ecs.autoscaling.min_tasks": 8}})];
    events.push(json!({"at_s": 0, "set": {"consumers.ecs.autoscaling.max_tasks": 5}}));
    events.extend((1..10_000u64).map(|t| json!({"at_s": t, "set": {"stream.shards": 2 + t % 2}})));
    let text = json!({"consumers": [{"type": "kcl", "name": "ecs"}], "events": events}).to_string();
    let err = Config::from_json(&text).expect_err("the last event clashes");
    assert_eq!(
        err.to_string(),
        "events[0].set.consumers.ecs.autoscaling.max_tasks: 5 is out of range 8..=1000"
    );
}

#[test]
fn a_config_is_one_json_object_and_may_start_with_a_byte_order_mark() {
    for text in ["[]", "[5, 10]", "5", "\"config\"", "null", "true"] {
        let err = Config::from_json(text).expect_err(text);
        assert!(
            err.to_string().starts_with("a config is a JSON object"),
            "{text}: {err}"
        );
    }
    assert_eq!(
        Config::from_json("[5, 10]").expect_err("array").to_string(),
        "a config is a JSON object ({...}), not an array"
    );
    // Nor is a list accepted for a setting that is an object, in a file or an event.
    let err = Config::from_json(r#"{"stream": [3, 48]}"#).expect_err("stream as a list");
    assert_eq!(
        err.to_string(),
        "stream: must be a JSON object ({...}), not an array"
    );
    let err = Config::from_json(r#"{"producers": [{"name": "p", "retry": [5]}]}"#)
        .expect_err("retry as a list");
    assert_eq!(
        err.to_string(),
        "producers[0].retry: must be a JSON object ({...}), not an array"
    );
    let err = Config::from_json(r#"{"events": [{"at_s": 5, "set": {"stream": [3]}}]}"#)
        .expect_err("an event setting stream to a list");
    assert_eq!(
        err.to_string(),
        "events[0].set.stream: must be a JSON object ({...}), not an array"
    );
    // Whole lists of members are still fine.
    let c = Config::from_json(
        r#"{"events": [{"at_s": 5, "set": {"consumers": [{"type": "kcl", "name": "b"}]}}]}"#,
    )
    .expect("a new consumer list");
    assert_eq!(c.events.len(), 1);

    let c = Config::from_json("\u{feff}{\"stream\": {\"shards\": 3}}").expect("BOM");
    assert_eq!(c.stream.shards, 3);
    let file = temp_config("bom", b"\xef\xbb\xbf{\"stream\": {\"shards\": 3}}");
    let (code, out, err) = cli(&["run", "--config", &file, "--duration", "1m"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["summary"]["open_shards"], 3);
    let file = temp_config("array", b"[5, 10]");
    let (code, out, err) = cli(&["run", "--config", &file]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!("kinesis-sim: {file}: a config is a JSON object ({{...}}), not an array\n")
    );
}

#[test]
fn cli_presets_name_prints_the_config_that_run_reads() {
    let (code, list, _) = cli(&["presets"]);
    assert_eq!(code, 0);
    let names: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names.len(), presets::all().len());
    for preset in presets::all() {
        assert!(names.contains(&preset.name), "{} listed", preset.name);
        let (code, out, err) = cli(&["presets", preset.name]);
        assert_eq!((code, err.as_str()), (0, ""), "{}", preset.name);
        let parsed = Config::from_json(&out).expect("the printed config reads back");
        assert_eq!(parsed, preset.config, "{}", preset.name);
        // Run from the printed file and from the name: the same numbers.
        let file = temp_config(&format!("preset-{}", preset.name), out.as_bytes());
        let run = ["--duration", "20m", "--every", "10m"];
        let (code, from_file, _) = cli(&[&["run", "--config", &file][..], &run].concat());
        assert_eq!(code, 0);
        let (code, from_name, _) = cli(&[&["run", "--preset", preset.name][..], &run].concat());
        assert_eq!(code, 0);
        let summary = |text: &str| -> serde_json::Value {
            serde_json::from_str::<serde_json::Value>(text).expect("json")["summary"].clone()
        };
        assert_eq!(summary(&from_file), summary(&from_name), "{}", preset.name);
        assert_eq!(summary(&from_file)["duration_s"], 1_200);
        assert_eq!(from_file, from_name, "{}", preset.name);
    }
    let (code, out, err) = cli(&["presets", "nope"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "kinesis-sim: no preset \"nope\"; `kinesis-sim presets` lists them\n"
    );
    let (code, _, err) = cli(&["presets", "healthy", "extra"]);
    assert_eq!((code, err.lines().count()), (2, 1));
    let (_, help, _) = cli(&["--help"]);
    assert!(help.contains("kinesis-sim presets [NAME]"), "{help}");
    assert!(
        help.contains("Prints that preset's config as JSON: the file `run --config` reads."),
        "{help}"
    );
}

#[test]
fn cli_refuses_a_run_too_long_to_count_or_to_hold() {
    for duration in ["3651d", "87625h", "99999999999999999999999d"] {
        let (code, out, err) = cli(&["run", "--preset", "healthy", "--duration", duration]);
        assert_eq!((code, out.as_str()), (2, ""), "{duration}");
        assert_eq!(
            err,
            format!(
                "kinesis-sim: --duration {duration} is too long: at most 3650d (10 years of simulated time)\n"
            )
        );
    }
    // JSON holds the series until the end: a per-second series of 100 days is refused
    // at once, naming --every.
    let mut child = Command::new(env!("CARGO_BIN_EXE_kinesis-sim"))
        .args([
            "run",
            "--preset",
            "healthy",
            "--duration",
            "100d",
            "--every",
            "1s",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut waited = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        waited += 1;
        if waited > 600 {
            let _ = child.kill();
            panic!("a 100-day per-second JSON run was not refused within a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let out = child.wait_with_output().expect("output");
    assert_eq!(status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("8640000 rows of 36 columns") && err.contains("--every"),
        "{err}"
    );
}

/// Peak resident memory of process `pid` in KiB (`VmHWM`).
fn peak_memory_kib(pid: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

#[test]
fn cli_csv_rows_are_written_as_the_run_goes() {
    // Ten years at one row per second: rows must come long before the run could end.
    // `timeout` ends the run should it keep its rows back; the shell says the pid of the
    // simulator it becomes.
    let mut child = Command::new("timeout")
        .args(["120", "sh", "-c", "echo $$; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_kinesis-sim"))
        .args([
            "run",
            "--preset",
            "healthy",
            "--duration",
            "3650d",
            "--every",
            "1s",
        ])
        .args(["--format", "csv"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let pid = lines.next().expect("a pid").expect("text");
    let header = lines.next().expect("a header").expect("text");
    assert!(
        header.starts_with("time_s,sample_s,produced,IncomingRecords,"),
        "{header}"
    );
    let produced: Vec<(String, String)> = lines
        .by_ref()
        .take(1_000)
        .map(|l| {
            let l = l.expect("text");
            let mut cells = l.split(',');
            let t = cells.next().unwrap_or_default().to_string();
            (t, cells.nth(1).unwrap_or_default().to_string())
        })
        .collect();
    assert_eq!(produced.len(), 1_000);
    for (i, (t, n)) in produced.iter().enumerate() {
        assert_eq!(t, &(i + 1).to_string());
        // 4 instances × 500 records/s.
        assert_eq!(n, "2000", "second {t}");
    }
    // Memory stays flat: 300,000 rows later (about 80 MB of numbers, were they kept)
    // the peak has not grown by more than 8 MB.
    let early = peak_memory_kib(&pid);
    let last = lines
        .by_ref()
        .take(300_000)
        .last()
        .expect("rows")
        .expect("text");
    assert!(last.starts_with("301000,1,2000,"), "{last}");
    let late = peak_memory_kib(&pid);
    assert!(
        late < early + 8_192,
        "peak memory {early} KiB, then {late} KiB"
    );
    // The reader stops: the run ends quietly.
    drop(lines);
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn cli_series_follow_consumers_by_name_and_drops_add_up() {
    let file = temp_config("replaced", common::REPLACED.as_bytes());
    let run = ["run", "--config", &file, "--duration", "10m"];
    let (code, out, err) = cli(&[&run[..], &["--every", "1m"]].concat());
    assert_eq!((code, err.as_str()), (0, ""));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let series = &v["series"];
    let column = |name: &str| -> Vec<serde_json::Value> {
        series[name]
            .as_array()
            .unwrap_or_else(|| panic!("no column {name}"))
            .clone()
    };
    // a ran for the first five minutes, b for the last five.
    let a = column("a.processed");
    let b = column("b.processed");
    assert_eq!(a.len(), 10);
    assert!(
        a[..5].iter().all(|x| x.as_u64().is_some_and(|n| n > 0)),
        "{a:?}"
    );
    assert!(a[5..].iter().all(serde_json::Value::is_null), "{a:?}");
    assert!(b[..5].iter().all(serde_json::Value::is_null), "{b:?}");
    assert!(
        b[5..].iter().all(|x| x.as_u64().is_some_and(|n| n > 0)),
        "{b:?}"
    );
    // Every record a producer gave up on is in some row.
    let dropped: u64 = column("dropped_by_producer")
        .iter()
        .filter_map(serde_json::Value::as_u64)
        .sum();
    let s = &v["summary"];
    assert_eq!(s["dropped_by_producer"], dropped);
    assert!(dropped > 100_000, "{dropped}");
    let consumers = s["consumers"].as_array().expect("consumers");
    assert_eq!(consumers.len(), 2);
    assert_eq!(
        (&consumers[0]["name"], &consumers[1]["name"]),
        (&json!("b"), &json!("a"))
    );
    assert_eq!(consumers[1]["removed_at_s"], 300);
    let processed: u64 = a.iter().filter_map(serde_json::Value::as_u64).sum();
    assert_eq!(consumers[1]["processed"], processed);

    // CSV: the same columns, empty cells where a consumer did not run.
    let (code, out, _) = cli(&[&run[..], &["--every", "1m", "--format", "csv"]].concat());
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let cell = |row: usize, name: &str| lines[row].split(',').nth(at(name)).unwrap_or("?");
    assert_eq!(lines.len(), 1 + 10);
    assert!(at("a.processed") < at("b.processed"));
    assert_eq!(
        (cell(5, "a.processed"), cell(5, "b.processed")),
        (a[4].to_string().as_str(), "")
    );
    assert_eq!(
        (cell(6, "a.processed"), cell(6, "b.processed")),
        ("", b[5].to_string().as_str())
    );
    let csv_dropped: u64 = (1..=10)
        .map(|r| cell(r, "dropped_by_producer").parse::<u64>().unwrap_or(0))
        .sum();
    assert_eq!(csv_dropped, dropped);
}

#[test]
fn cli_output_that_cannot_be_written_exits_1_with_one_line() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = Command::new(env!("CARGO_BIN_EXE_kinesis-sim"))
        .args(["presets", "healthy"])
        .stdout(full)
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("kinesis-sim: writing the output: "),
        "{err}"
    );
}
