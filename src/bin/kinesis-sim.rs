//! kinesis-sim: run the Kinesis Playground model from the command line.

use std::process::ExitCode;

use kinesis_playground::model::routing::{hash_key, EvenLayout};
use kinesis_playground::model::series::Sampler;
use kinesis_playground::model::{presets, report};
use kinesis_playground::model::{Config, Simulation};

const HELP: &str = "\
kinesis-sim: simulate an Amazon Kinesis data stream with Lambda and ECS/KCL consumers

USAGE:
  kinesis-sim run (--config FILE | --preset NAME) [--duration 36h] [--every 1m] [--format json|csv]
  kinesis-sim presets
  kinesis-sim route --shards N [--ranges] [KEY...]
  kinesis-sim --help

run       Simulates the config (a JSON file, '-' for standard input) or a preset.
          --duration  simulated time: a number with s, m, h or d (default 1h), a whole
                      number of the config's ticks (tick_s)
          --every     sample interval of the series (default 1m), a whole number of ticks
          --format    json (default): one object with `summary` and `series`;
                      csv: the series, one row per interval, header first.
          The summary holds duration_s, produced, accepted, throttled,
          dropped_by_producer, pending_retry, read_throttled and, per consumer, name,
          type, accepted, processed, expired, skipped, behind, max_iterator_age_ms,
          final_iterator_age_ms, and max_concurrency (Lambda) or max_tasks (KCL).
          Series columns: t_s, the stream's metrics, then CONSUMER.metric columns,
          under CloudWatch names where there is one (IncomingRecords,
          WriteProvisionedThroughputExceeded, GetRecords.IteratorAgeMilliseconds,
          ConcurrentExecutions, ...). Counts are sums over the interval, ages and
          concurrency maxima, pending_retry and behind the value at its end.
presets   Lists the presets: name and one line each.
route     Prints, per partition key, the key and the 0-based shard index it maps to
          (MD5 of the key over N evenly split hash-key ranges). --ranges prints each
          shard's index, starting and ending hash key (decimal) instead.

Exit status: 0 on success, 2 on bad input (one line on standard error).
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("kinesis-sim: {message}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        None | Some("--help" | "-h" | "help") => Ok(HELP.to_string()),
        Some("run") => run(&args[1..]),
        Some("presets") => Ok(list_presets()),
        Some("route") => route(&args[1..]),
        Some(other) => Err(format!("unknown command {other:?}; try --help")),
    }
}

/// `--name value` pairs and bare words, in order.
struct Args<'a> {
    rest: &'a [String],
}

impl<'a> Args<'a> {
    fn next(&mut self) -> Option<&'a str> {
        let (first, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(first)
    }

    fn value(&mut self, flag: &str) -> Result<&'a str, String> {
        self.next().ok_or_else(|| format!("{flag} needs a value"))
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let mut a = Args { rest: args };
    let (mut config, mut csv) = (None, false);
    let (mut duration, mut every) = ("1h", "1m");
    while let Some(arg) = a.next() {
        match arg {
            "--config" => config = Some(read_config(a.value(arg)?)?),
            "--preset" => {
                let name = a.value(arg)?;
                let preset = presets::find(name).ok_or_else(|| {
                    format!("no preset {name:?}; `kinesis-sim presets` lists them")
                })?;
                config = Some(preset.config);
            }
            "--duration" => duration = a.value(arg)?,
            "--every" => every = a.value(arg)?,
            "--format" => {
                csv = match a.value(arg)? {
                    "json" => false,
                    "csv" => true,
                    other => return Err(format!("--format {other:?}: use json or csv")),
                }
            }
            "--help" | "-h" => return Ok(HELP.to_string()),
            other => return Err(format!("run: unexpected argument {other:?}")),
        }
    }
    let config = config.ok_or("run needs --config FILE or --preset NAME")?;
    let (duration_s, every_s) = (parse_duration(duration)?, parse_duration(every)?);
    if duration_s == 0 || duration_s > 10 * 365 * 86_400 {
        return Err("--duration must be between 1s and 3650d".into());
    }
    if every_s == 0 {
        return Err("--every must be at least 1s".into());
    }
    // Whole ticks only: a run never stops inside a tick, a sample never ends inside one.
    let tick_s = u64::from(config.tick_s);
    for (flag, text, seconds) in [
        ("--duration", duration, duration_s),
        ("--every", every, every_s),
    ] {
        if !seconds.is_multiple_of(tick_s) {
            return Err(format!(
                "{flag} {text} is not a whole number of ticks: the config's tick is {tick_s}s (tick_s)"
            ));
        }
    }
    let mut sim = Simulation::new(config).map_err(|e| e.to_string())?;
    let names: Vec<String> = sim
        .config()
        .consumers
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let mut sampler = Sampler::new(&names);
    let ticks_per_sample = every_s / tick_s;
    let mut ticks = 0;
    while sim.now_ms() < duration_s * 1_000 {
        sim.step();
        sampler.add(sim.metrics());
        ticks += 1;
        if ticks % ticks_per_sample == 0 {
            sampler.flush();
        }
    }
    sampler.flush();
    if csv {
        return Ok(to_csv(&sampler));
    }
    let summary = report::summary(&sim);
    // The summary is indented for people; the long series columns stay one line each.
    let summary = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
    let mut out = format!("{{\n\"summary\": {summary},\n\"series\": {{");
    for (i, name) in sampler.columns.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        out.push_str(&format!("{sep}\n  {name:?}: ["));
        for (j, row) in sampler.rows.iter().enumerate() {
            let sep = if j == 0 { "" } else { "," };
            out.push_str(&format!("{sep}{}", row[i]));
        }
        out.push(']');
    }
    out.push_str("\n}\n}\n");
    Ok(out)
}

fn read_config(path: &str) -> Result<Config, String> {
    let text = if path == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| format!("reading standard input: {e}"))?
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?
    };
    Config::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

/// `90`, `90s`, `15m`, `36h`, `3d` → seconds.
fn parse_duration(text: &str) -> Result<u64, String> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 90s, 15m, 36h or 3d"))?;
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => {
            return Err(format!(
                "{text:?} is not a duration like 90s, 15m, 36h or 3d"
            ))
        }
    };
    n.checked_mul(scale)
        .ok_or_else(|| format!("{text:?} is too long"))
}

fn to_csv(sampler: &Sampler) -> String {
    let mut out = sampler.columns.join(",");
    out.push('\n');
    for row in &sampler.rows {
        let cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn list_presets() -> String {
    presets::all()
        .iter()
        .map(|p| format!("{:<12} {}\n", p.name, p.summary))
        .collect()
}

fn route(args: &[String]) -> Result<String, String> {
    let mut a = Args { rest: args };
    let (mut shards, mut ranges, mut keys) = (None, false, Vec::new());
    while let Some(arg) = a.next() {
        match arg {
            "--shards" => {
                let v = a.value(arg)?;
                let n: u32 = v
                    .parse()
                    .map_err(|_| format!("--shards {v:?} is not a number"))?;
                if !(1..=10_000).contains(&n) {
                    return Err(format!("--shards: {n} is out of range 1..=10000"));
                }
                shards = Some(n);
            }
            "--ranges" => ranges = true,
            key => {
                if key.is_empty() || key.chars().count() > 256 {
                    return Err("a partition key has 1 to 256 characters".into());
                }
                keys.push(key);
            }
        }
    }
    let layout = EvenLayout::new(shards.ok_or("route needs --shards N")?);
    let mut out = String::new();
    if ranges {
        for i in 0..layout.shards() {
            let r = layout.range(i);
            out.push_str(&format!("{i} {} {}\n", r.start, r.end));
        }
    }
    for key in keys {
        out.push_str(&format!("{key} {}\n", layout.shard_of(hash_key(key))));
    }
    Ok(out)
}
