//! The commands besides a run's output: help, presets, route, reading configs, and
//! every kind of bad input getting exit status 2 and one line.

use std::process::Command;

use kinesis_playground::model::routing::{hash_key, EvenLayout};
use kinesis_playground::model::Config;
use kinesis_playground::teach::presets;

use super::{cli, json, temp_config};

#[test]
fn help_is_on_standard_output_for_the_program_and_each_command() {
    let (code, top, err) = cli(&["--help"]);
    assert_eq!((code, err.as_str()), (0, ""));
    for usage in [
        "kinesis-sim run (--config FILE | --preset NAME) [--duration 1h] [--every 1m] [--format json|csv|cloudwatch [--shard-level]]",
        "kinesis-sim presets [NAME]",
        "kinesis-sim route --shards N [--ranges] [KEY...]",
        "Exit status: 0 on success",
    ] {
        assert!(top.contains(usage), "{usage}: {top}");
    }
    // No command, `-h` and `help` print the same.
    for args in [&[][..], &["-h"], &["help"]] {
        assert_eq!(cli(args), (0, top.clone(), String::new()), "{args:?}");
    }
    // Each command has its own, naming its options.
    let cases: [(&str, &[&str]); 3] = [
        (
            "run",
            &[
                "--config <FILE>",
                "--preset <NAME>",
                "--duration <TIME>",
                "--every <TIME>",
                "--format <FORMAT>",
                "[default: 1h]",
                "sample_s",
                "3650d (10 years",
            ],
        ),
        (
            "presets",
            &[
                "Usage: kinesis-sim presets [NAME]",
                "Prints that preset's config as JSON: the file `run --config` reads",
            ],
        ),
        (
            "route",
            &[
                "--shards <N>",
                "--ranges",
                "[KEY]...",
                "0-based shard index",
            ],
        ),
    ];
    for (command, parts) in cases {
        let (code, help, err) = cli(&[command, "--help"]);
        assert_eq!((code, err.as_str()), (0, ""), "{command}");
        assert_ne!(help, top, "{command}");
        for part in parts {
            assert!(help.contains(part), "{command} --help lacks {part}: {help}");
        }
        assert_eq!(cli(&["help", command]).1, help, "help {command}");
    }
}

#[test]
fn presets_lists_every_preset_and_prints_the_config_that_run_reads() {
    let (code, list, _) = cli(&["presets"]);
    assert_eq!(code, 0);
    // The summaries start in one column, after the longest name and a space.
    let width = presets::all()
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(0);
    let expected: Vec<String> = presets::all()
        .iter()
        .map(|p| format!("{:<width$} {}", p.name, p.summary))
        .collect();
    assert_eq!(list.lines().collect::<Vec<_>>(), expected);
    for preset in presets::all() {
        let (code, out, err) = cli(&["presets", preset.name]);
        assert_eq!((code, err.as_str()), (0, ""), "{}", preset.name);
        let parsed = Config::from_json(&out).expect("the printed config reads back");
        assert_eq!(parsed, preset.config, "{}", preset.name);
        // Run from the printed file and from the name: the same output.
        let file = temp_config(&format!("preset-{}", preset.name), out.as_bytes());
        let run = ["--duration", "20m", "--every", "10m"];
        let (code, from_file, _) = cli(&[&["run", "--config", &file][..], &run].concat());
        assert_eq!(code, 0);
        let (code, from_name, _) = cli(&[&["run", "--preset", preset.name][..], &run].concat());
        assert_eq!(code, 0);
        assert_eq!(json(&from_file)["summary"]["duration_s"], 1_200);
        assert_eq!(from_file, from_name, "{}", preset.name);
    }
    let (code, out, err) = cli(&["presets", "nope"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "kinesis-sim: no preset \"nope\"; `kinesis-sim presets` lists them\n"
    );
}

#[test]
fn route_prints_each_keys_shard_and_the_ranges() {
    let (code, out, _) = cli(&["route", "--shards", "2", "a", "abc"]);
    assert_eq!((code, out.as_str()), (0, "a 0\nabc 1\n"));
    // The ranges come first, one line per shard, wherever --ranges is; keys starting
    // with `-` follow `--`.
    let (code, out, _) = cli(&["route", "--shards", "3", "k", "--ranges", "--", "-k"]);
    assert_eq!(code, 0);
    let layout = EvenLayout::new(3);
    let mut expected: Vec<String> = (0..3)
        .map(|i| format!("{i} {} {}", layout.range(i).start, layout.range(i).end))
        .collect();
    for key in ["k", "-k"] {
        expected.push(format!("{key} {}", layout.shard_of(hash_key(key))));
    }
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
    let (_, out, _) = cli(&["route", "--shards", "2", "--ranges"]);
    assert_eq!(
        out,
        "0 0 170141183460469231731687303715884105727\n\
         1 170141183460469231731687303715884105728 340282366920938463463374607431768211455\n"
    );
    let longest = "k".repeat(256);
    let (code, out, _) = cli(&["route", "--shards", "1", &longest]);
    assert_eq!((code, out), (0, format!("{longest} 0\n")));
}

/// Bad command lines and the one line each must print on standard error.
const BAD_INPUT: &[(&[&str], &str)] = &[
    (
        &["frobnicate"],
        "unrecognized subcommand 'frobnicate'; see kinesis-sim --help",
    ),
    (
        &["--bogus"],
        "unexpected argument '--bogus' found; see kinesis-sim --help",
    ),
    (
        &["run"],
        "the following required arguments were not provided: \
         <--config <FILE>|--preset <NAME>>; see kinesis-sim run --help",
    ),
    (
        &["run", "--preset", "healthy", "--config", "x.json"],
        "the argument '--preset <NAME>' cannot be used with '--config <FILE>'; \
         see kinesis-sim run --help",
    ),
    (
        &["run", "--preset"],
        "a value is required for '--preset <NAME>' but none was supplied; \
         see kinesis-sim run --help",
    ),
    (
        &["run", "--preset", "healthy", "--duration", "soon"],
        "invalid value 'soon' for '--duration <TIME>': not a duration like 90s, 15m, \
         36h or 3d; see kinesis-sim run --help",
    ),
    (
        &["run", "--preset", "healthy", "--every", "5x"],
        "invalid value '5x' for '--every <TIME>': not a duration like 90s, 15m, 36h or 3d; \
         see kinesis-sim run --help",
    ),
    (
        &[
            "run",
            "--preset",
            "healthy",
            "--duration",
            "1h",
            "--duration",
            "2h",
        ],
        "the argument '--duration <TIME>' cannot be used multiple times; \
         see kinesis-sim run --help",
    ),
    (
        &["run", "--preset", "healthy", "--format", "xml"],
        "invalid value 'xml' for '--format <FORMAT>' [possible values: json, csv, cloudwatch]; \
         see kinesis-sim run --help",
    ),
    (
        &["run", "--preset", "nope"],
        "no preset \"nope\"; `kinesis-sim presets` lists them",
    ),
    (
        &["run", "--preset", "healthy", "--duration", "0"],
        "--duration must be at least one tick",
    ),
    (
        &["run", "--preset", "healthy", "--every", "0m"],
        "--every must be at least 1s",
    ),
    (
        &["presets", "healthy", "extra"],
        "unexpected argument 'extra' found; see kinesis-sim presets --help",
    ),
    (
        &["route", "a"],
        "the following required arguments were not provided: --shards <N>; \
         see kinesis-sim route --help",
    ),
    (
        &["route", "--shards", "0", "a"],
        "invalid value '0' for '--shards <N>': takes a whole number of shards from 1 to \
         10,000; see kinesis-sim route --help",
    ),
    (
        &["route", "--shards", "10001"],
        "invalid value '10001' for '--shards <N>': takes a whole number of shards from 1 to \
         10,000; see kinesis-sim route --help",
    ),
    (
        &["route", "--shards", "two"],
        "invalid value 'two' for '--shards <N>': takes a whole number of shards from 1 to \
         10,000; see kinesis-sim route --help",
    ),
    (
        &["route", "--shards", "2", "-a"],
        "unexpected argument '-a' found; see kinesis-sim route --help",
    ),
    (
        &["route", "--shards", "2", ""],
        "invalid value '' for '[KEY]...': a partition key has 1 to 256 characters; \
         see kinesis-sim route --help",
    ),
];

#[test]
fn bad_input_exits_2_with_one_line_naming_the_problem() {
    for (args, message) in BAD_INPUT {
        let (code, out, err) = cli(args);
        assert_eq!(
            (code, out.as_str(), err),
            (2, "", format!("kinesis-sim: {message}\n")),
            "{args:?}"
        );
    }
    let long = "k".repeat(257);
    let (code, _, err) = cli(&["route", "--shards", "2", &long]);
    assert_eq!(code, 2);
    assert!(
        err.contains(": a partition key has 1 to 256 characters; see"),
        "{err}"
    );
}

#[test]
fn configs_are_read_from_files_and_standard_input_and_checked() {
    let file = temp_config("bad-shards", br#"{"stream": {"shards": 0}}"#);
    let (code, out, err) = cli(&["run", "--config", &file]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!("kinesis-sim: {file}: stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000\n")
    );
    // A byte-order mark is allowed; anything but one JSON object is not.
    let file = temp_config("bom", b"\xef\xbb\xbf{\"stream\": {\"shards\": 3}}");
    let (code, out, err) = cli(&["run", "--config", &file, "--duration", "1m"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(json(&out)["summary"]["open_shards"], 3);
    let file = temp_config("array", b"[5, 10]");
    let (code, out, err) = cli(&["run", "--config", &file]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!("kinesis-sim: {file}: a config is a JSON object ({{...}}), not an array\n")
    );
    let missing = std::env::temp_dir().join("kinesis-sim-no-such-file.json");
    let missing = missing.to_str().unwrap_or_default();
    let (code, out, err) = cli(&["run", "--config", missing]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with(&format!("kinesis-sim: {missing}: No such file")),
        "{err}"
    );
    // `-` reads standard input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_kinesis-sim"))
        .args(["run", "--config", "-", "--duration", "1m", "--every", "1m"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(br#"{"stream": {"shards": 4}}"#)
            .expect("write");
    }
    let out = child.wait_with_output().expect("output");
    assert_eq!(out.status.code(), Some(0));
    let v = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(v["summary"]["open_shards"], 4);
    assert_eq!(v["summary"]["duration_s"], 60);
}

#[test]
fn durations_and_intervals_are_whole_ticks_and_at_most_ten_years() {
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
}

#[test]
fn output_that_cannot_be_written_exits_1_with_one_line() {
    for args in [&["presets", "healthy"][..], &["--help"]] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = Command::new(env!("CARGO_BIN_EXE_kinesis-sim"))
            .args(args)
            .stdout(full)
            .output()
            .expect("the binary runs");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("kinesis-sim: writing the output: "),
            "{err}"
        );
    }
}

#[test]
fn fields_lists_every_setting_with_its_range_unit_and_default() {
    use kinesis_playground::model::config::fields::FIELDS;
    let (code, out, err) = cli(&["fields"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, kinesis_playground::model::config::fields::listing());
    for field in FIELDS {
        assert!(
            out.contains(&format!("  {:<44} {}", field.pattern(), field.range_text())),
            "{} missing",
            field.pattern()
        );
    }
    assert!(out.contains(
        "  consumers.*.poll_interval_ms                 200..=60,000 ms, default 1,500\n"
    ));
    let (code, help, _) = cli(&["fields", "--help"]);
    assert_eq!(code, 0);
    assert!(help.contains("allowed values, unit, default"), "{help}");
}
