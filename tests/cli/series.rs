//! What `run` writes: the summary, and the series as JSON or as CSV rows written while
//! the run goes.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use super::common;
use super::{cli, json, temp_config};

#[test]
fn a_run_prints_a_summary_that_balances_and_a_series() {
    let (code, out, err) = cli(&[
        "run",
        "--preset",
        "healthy",
        "--duration",
        "2h",
        "--every",
        "10m",
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    let v = json(&out);
    let s = &v["summary"];
    assert_eq!(s["duration_s"], 7_200);
    assert_eq!(s["throttled"], 0);
    assert_eq!(s["pending_retry"], 0);
    assert_eq!(s["produced"], s["accepted"]);
    let times: Vec<u64> = (1..=12).map(|i| i * 600).collect();
    assert_eq!(v["series"]["t_s"], json!(times));
    let consumers = s["consumers"].as_array().expect("consumers");
    assert_eq!(consumers.len(), 2);
    for c in consumers {
        assert_eq!(c["expired"], 0);
        assert!(
            c["max_iterator_age_ms"].as_u64().unwrap_or(u64::MAX) <= 3_000,
            "{c}"
        );
        // Each consumer's series holds every record it processed.
        let name = c["name"].as_str().expect("a name");
        let column = v["series"][format!("{name}.processed")]
            .as_array()
            .expect("a column");
        assert_eq!(column.len(), 12);
        let sum: u64 = column.iter().filter_map(Value::as_u64).sum();
        assert_eq!(c["processed"], sum, "{name}");
    }
    assert_eq!(
        v["series"]["GetRecords.IteratorAgeMilliseconds"]
            .as_array()
            .map(Vec::len),
        Some(12)
    );
    assert_eq!(consumers[0]["type"], "lambda");
    assert!(consumers[0]["max_concurrency"]
        .as_u64()
        .is_some_and(|c| c >= 4));
    assert!(consumers[0].get("max_tasks").is_none());
    assert_eq!(consumers[1]["max_tasks"], 4);
}

#[test]
fn scenario_1_over_three_days_reaches_the_retention_and_loses_records() {
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
    let v = json(&out);
    let lambda = &v["summary"]["consumers"][0];
    let age = lambda["max_iterator_age_ms"].as_f64().unwrap_or(0.0);
    assert!((age - 86_400_000.0).abs() <= 864_000.0, "max age {age}");
    assert!(lambda["expired"].as_u64().unwrap_or(0) > 0, "{lambda}");
}

#[test]
fn whole_ticks_run_exactly_that_long_and_a_cut_interval_is_shorter() {
    let file = temp_config("ten-second-ticks-run", br#"{"tick_s": 10}"#);
    let run = [
        "run",
        "--config",
        &file,
        "--duration",
        "30s",
        "--every",
        "20s",
    ];
    let (code, out, _) = cli(&run);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["summary"]["duration_s"], 30);
    assert_eq!(v["series"]["t_s"], json!([20, 30]));
    let (code, out, _) = cli(&[&run[..], &["--format", "csv"]].concat());
    assert_eq!(code, 0);
    // time_s and sample_s of each row.
    let starts: Vec<String> = out
        .lines()
        .skip(1)
        .map(|l| l.splitn(3, ',').take(2).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(starts, ["20,20", "30,10"], "{out}");
}

#[test]
fn json_and_csv_hold_the_same_series_and_follow_consumers_by_name() {
    let file = temp_config("replaced", common::REPLACED.as_bytes());
    let run = [
        "run",
        "--config",
        &file,
        "--duration",
        "10m",
        "--every",
        "1m",
    ];
    let (code, out, err) = cli(&run);
    assert_eq!((code, err.as_str()), (0, ""));
    let v = json(&out);
    let series = v["series"].as_object().expect("series");
    let column = |name: &str| -> &Vec<Value> {
        series[name]
            .as_array()
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    // a ran for the first five minutes, b for the last five.
    let a = column("a.processed");
    let b = column("b.processed");
    assert_eq!((a.len(), b.len()), (10, 10));
    assert!(
        a[..5].iter().all(|x| x.as_u64().is_some_and(|n| n > 0)),
        "{a:?}"
    );
    assert!(a[5..].iter().all(Value::is_null), "{a:?}");
    assert!(b[..5].iter().all(Value::is_null), "{b:?}");
    assert!(
        b[5..].iter().all(|x| x.as_u64().is_some_and(|n| n > 0)),
        "{b:?}"
    );
    // Every record a producer gave up on is in some row.
    let dropped: u64 = column("dropped_by_producer")
        .iter()
        .filter_map(Value::as_u64)
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
    let processed: u64 = a.iter().filter_map(Value::as_u64).sum();
    assert_eq!(consumers[1]["processed"], processed);

    // CSV: the JSON's columns, `t_s` as `time_s` beside `sample_s`, the same numbers,
    // empty cells where JSON has null.
    let (code, out, _) = cli(&[&run[..], &["--format", "csv"]].concat());
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 10);
    let mut expected = vec!["time_s", "sample_s"];
    expected.extend(series.keys().map(String::as_str).filter(|k| *k != "t_s"));
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(header, expected);
    assert!(
        header.iter().position(|h| *h == "a.processed")
            < header.iter().position(|h| *h == "b.processed")
    );
    for (r, line) in lines[1..].iter().enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), header.len(), "{line}");
        assert_eq!(cells[0], series["t_s"][r].to_string());
        assert_eq!(cells[1], "60");
        for (name, cell) in header.iter().zip(&cells).skip(2) {
            match series[*name][r].as_f64() {
                Some(x) => assert_eq!(cell.parse::<f64>().ok(), Some(x), "{name} row {r}"),
                None => assert_eq!(*cell, "", "{name} row {r}"),
            }
        }
    }
}

#[test]
fn a_json_series_too_large_to_hold_is_refused_at_once() {
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
    // The healthy preset's two consumers: the stream's columns and two groups.
    let width = kinesis_playground::model::series::columns(&["lambda".into(), "ecs".into()]).len();
    assert_eq!(
        err,
        format!(
            "kinesis-sim: --format json holds the whole series until the run ends: 8640000 rows \
             of {width} columns are over its limit of 5000000 values; sample less often (a \
             longer --every) or use --format csv, which writes each row as it comes\n"
        )
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
fn csv_rows_are_written_as_the_run_goes() {
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
        header.starts_with("time_s,sample_s,produced,IncomingRecords,IncomingBytes,"),
        "{header}"
    );
    let rows: Vec<Vec<String>> = lines
        .by_ref()
        .take(1_000)
        .map(|l| {
            let l = l.expect("text");
            l.split(',').take(3).map(str::to_string).collect()
        })
        .collect();
    assert_eq!(rows.len(), 1_000);
    for (i, row) in rows.iter().enumerate() {
        // Second i + 1, one second long, 4 instances × 500 records/s.
        let expected = [(i + 1).to_string(), "1".to_string(), "2000".to_string()];
        assert_eq!(row[..], expected[..]);
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
fn working_out_every_tick_prints_the_same_run() {
    // A steady preset over six hours, sampled every 10 s and every hour: replayed
    // stretches or not, the same summary and series to the last digit.
    for every in ["10s", "1h"] {
        let args = [
            "run",
            "--preset",
            "healthy",
            "--duration",
            "6h",
            "--every",
            every,
        ];
        let (code, replayed, err) = cli(&args);
        assert_eq!((code, err.as_str()), (0, ""));
        let mut stepped_args = args.to_vec();
        stepped_args.push("--every-tick");
        let (code, stepped, err) = cli(&stepped_args);
        assert_eq!((code, err.as_str()), (0, ""));
        assert_eq!(replayed, stepped, "--every {every}");
    }
    // The preset does settle, so the first runs replayed most of their six hours.
    let config = kinesis_playground::playground::embed::preset_config("healthy")
        .expect("the preset is there");
    let mut sim = kinesis_playground::model::Simulation::new(config).expect("valid");
    sim.run_for(6 * 3_600);
    let ticks = 6 * 3_600 / u64::from(sim.config().tick_s);
    assert!(
        sim.replayed_ticks() > ticks / 2,
        "{} of {ticks} ticks replayed",
        sim.replayed_ticks()
    );
}

#[test]
fn cloudwatch_statistics_print_the_same_run_either_way_as_valid_json() {
    // Ten enhanced fan-out consumers: the stream's GetRecords metrics have no samples,
    // so their statistics have no value (null in JSON, never an infinity).
    let efo = format!("{}/benches/configs/efo.json", env!("CARGO_MANIFEST_DIR"));
    let runs: [&[&str]; 3] = [
        &["--stat", "Maximum", "--every", "10m", "--format", "json"],
        &["--format", "cloudwatch", "--every", "5m"],
        &["--stat", "Average", "--every", "7m"],
    ];
    for extra in runs {
        let mut args = vec!["run", "--config", &efo, "--duration", "2h"];
        args.extend_from_slice(extra);
        let (code, replayed, err) = cli(&args);
        assert_eq!((code, err.as_str()), (0, ""), "{extra:?}");
        args.push("--every-tick");
        let (code, stepped, err) = cli(&args);
        assert_eq!((code, err.as_str()), (0, ""), "{extra:?}");
        assert_eq!(replayed, stepped, "{extra:?}");
        if extra.contains(&"json") {
            let parsed: Result<Value, _> = serde_json::from_str(&replayed);
            assert!(parsed.is_ok(), "not JSON: {parsed:?}");
            assert!(!replayed.contains("inf"), "an infinity in {replayed}");
        }
    }
}
