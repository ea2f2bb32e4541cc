//! The `kinesis-sim` command line, run as a program: its commands, help and errors
//! (`commands`), and the summary and series a run writes (`series`).
#![cfg(not(target_arch = "wasm32"))]

#[path = "../common/mod.rs"]
mod common;

mod alarms;
mod cloudwatch;
mod commands;
mod series;
mod shard_level;

use std::process::Command;

/// Exit status, standard output and standard error of `kinesis-sim args`.
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

/// A config file in the temporary directory, named for the test that writes it.
fn temp_config(name: &str, text: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("kinesis-sim-{name}.json"));
    std::fs::write(&path, text).expect("write");
    path.to_str().unwrap_or_default().to_string()
}

/// The JSON a run printed.
fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}
