//! kinesis-sim: run the Kinesis Playground model from the command line.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use kinesis_playground::model::presets;
use kinesis_playground::model::routing::{hash_key, EvenLayout};
use kinesis_playground::model::series::Sampler;
use kinesis_playground::model::{Config, Simulation};
use kinesis_playground::share::csv::{Sample, Table};
use kinesis_playground::share::report;

const HELP: &str = "\
kinesis-sim: simulate an Amazon Kinesis data stream with Lambda and ECS/KCL consumers

USAGE:
  kinesis-sim run (--config FILE | --preset NAME) [--duration 36h] [--every 1m] [--format json|csv]
  kinesis-sim presets [NAME]
  kinesis-sim route --shards N [--ranges] [KEY...]
  kinesis-sim --help

run       Simulates the config (a JSON file, '-' for standard input) or a preset.
          --duration  simulated time: a number with s, m, h or d (default 1h), a whole
                      number of the config's ticks (tick_s), at most 3650d (10 years)
          --every     sample interval of the series (default 1m), a whole number of ticks
          --format    json (default): one object with `summary` and `series`, written
                      when the run ends; it holds at most 5,000,000 series values
                      (rows x columns): sample less often (--every) or use csv beyond;
                      csv: the series, header first, each row written as soon as its
                      interval ends (any length, constant memory); the page's download
                      has the same form.
          The summary holds duration_s, produced, accepted, throttled,
          dropped_by_producer, pending_retry, read_throttled and, per consumer that
          ran, name, type, accepted, processed, expired, skipped, behind,
          max_iterator_age_ms, final_iterator_age_ms, max_concurrency (Lambda) or
          max_tasks (KCL), and, for a consumer a scripted event removed, removed_at_s
          (its numbers are those of that moment).
          Series columns: t_s (json; csv has time_s and sample_s, the interval's end
          and length), the stream's metrics, then CONSUMER.metric columns for
          every consumer the run meets, under CloudWatch names where there is one
          (IncomingRecords, WriteProvisionedThroughputExceeded,
          GetRecords.IteratorAgeMilliseconds, ConcurrentExecutions, ...). Counts are sums
          over the interval, ages and concurrency maxima, pending_retry and behind the
          value at its end. A consumer's cells are empty (csv) or null (json) where it
          did not run: before a scripted event added it, after one removed it.
presets   Lists the presets: name and one line each.
presets NAME
          Prints that preset's config as JSON: the file `run --config` reads.
route     Prints, per partition key, the key and the 0-based shard index it maps to
          (MD5 of the key over N evenly split hash-key ranges). --ranges prints each
          shard's index, starting and ending hash key (decimal) instead.

Config files may start with a UTF-8 byte-order mark; a config is one JSON object.

Exit status: 0 on success (also when the reader of the output stops early), 2 on bad
input (one line on standard error, before any output), 1 when the output cannot be
written.
";

/// Longest run `--duration` accepts: 10 years of simulated time.
const MAX_DURATION_S: u64 = 3_650 * 86_400;
/// Most series values (rows × columns) `--format json` holds until the run ends.
const MAX_JSON_VALUES: u64 = 5_000_000;

/// Why a command failed.
enum Failure {
    /// Bad input: exit 2 with the message.
    Input(String),
    /// Writing the output failed.
    Output(io::Error),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Input(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Failure::Input(message.to_string())
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Output(e)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = BufWriter::new(io::stdout().lock());
    let result = dispatch(&args, &mut out).and_then(|()| out.flush().map_err(Failure::from));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("kinesis-sim: {message}");
            ExitCode::from(2)
        }
        // The reader stopped reading (e.g. `| head`): nothing more to say.
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => {
            eprintln!("kinesis-sim: writing the output: {e}");
            ExitCode::from(1)
        }
    }
}

fn dispatch(args: &[String], out: &mut impl Write) -> Result<(), Failure> {
    match args.first().map(String::as_str) {
        None | Some("--help" | "-h" | "help") => Ok(out.write_all(HELP.as_bytes())?),
        Some("run") => run(&args[1..], out),
        Some("presets") => presets_command(&args[1..], out),
        Some("route") => Ok(out.write_all(route(&args[1..])?.as_bytes())?),
        Some(other) => Err(format!("unknown command {other:?}; try --help").into()),
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

/// What `run` was asked for, checked before anything runs.
struct RunPlan {
    config: Config,
    duration_s: u64,
    every_s: u64,
    csv: bool,
}

fn run(args: &[String], out: &mut impl Write) -> Result<(), Failure> {
    let Some(plan) = run_plan(args)? else {
        return Ok(out.write_all(HELP.as_bytes())?);
    };
    let tick_s = u64::from(plan.config.tick_s);
    // Every consumer the run meets has its columns from the start (CSV rows are
    // written as they come, after one header).
    let names = consumers_met(&plan.config, plan.duration_s)?;
    let mut sampler = Sampler::new(&names);
    let rows = plan.duration_s.div_ceil(plan.every_s);
    let values = rows.saturating_mul(sampler.columns.len() as u64);
    if !plan.csv && values > MAX_JSON_VALUES {
        return Err(format!(
            "--format json holds the whole series until the run ends: {rows} rows of {} columns \
             are over its limit of {MAX_JSON_VALUES} values; sample less often (a longer --every) \
             or use --format csv, which writes each row as it comes",
            sampler.columns.len()
        )
        .into());
    }
    let mut sim = Simulation::new(plan.config).map_err(|e| e.to_string())?;
    let ticks_per_sample = plan.every_s / tick_s;
    let total_ticks = plan.duration_s / tick_s;
    // JSON: the series column by column once the run ends.
    let mut columns: Vec<Vec<f64>> = if plan.csv {
        Vec::new()
    } else {
        vec![Vec::new(); sampler.columns.len()]
    };
    let table = Table::new(&sampler.columns);
    if plan.csv {
        out.write_all(table.header().as_bytes())?;
    }
    let mut line = String::new();
    let mut sample_start_ms = 0;
    for tick in 1..=total_ticks {
        sim.step();
        let names = sim.config().consumers.iter().map(|c| c.name());
        sampler.add(sim.metrics(), names);
        if tick % ticks_per_sample == 0 || tick == total_ticks {
            let sample = Sample {
                end_ms: sim.now_ms(),
                length_ms: sim.now_ms() - sample_start_ms,
            };
            sample_start_ms = sim.now_ms();
            if let Some(row) = sampler.flush() {
                if plan.csv {
                    line.clear();
                    table.row(&mut line, sample, row);
                    out.write_all(line.as_bytes())?;
                } else {
                    for (column, &value) in columns.iter_mut().zip(row) {
                        column.push(value);
                    }
                }
            }
        }
    }
    if plan.csv {
        return Ok(());
    }
    let summary = report::summary(&sim);
    // The summary is indented for people; the long series columns stay one line each.
    let summary = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
    write!(out, "{{\n\"summary\": {summary},\n\"series\": {{")?;
    for (i, (name, values)) in sampler.columns.iter().zip(&columns).enumerate() {
        let sep = if i == 0 { "" } else { "," };
        write!(out, "{sep}\n  {name:?}: [")?;
        for (j, &v) in values.iter().enumerate() {
            let sep = if j == 0 { "" } else { "," };
            if v.is_nan() {
                write!(out, "{sep}null")?;
            } else {
                write!(out, "{sep}{v}")?;
            }
        }
        out.write_all(b"]")?;
    }
    out.write_all(b"\n}\n}\n")?;
    Ok(())
}

/// The checked arguments of `run`, or `None` for `run --help`.
fn run_plan(args: &[String]) -> Result<Option<RunPlan>, String> {
    let mut a = Args { rest: args };
    let (mut config, mut duration, mut every, mut csv) = (None, None, None, false);
    while let Some(arg) = a.next() {
        match arg {
            "--config" => config = Some(read_config(a.value(arg)?)?),
            "--preset" => config = Some(find_preset(a.value(arg)?)?.config),
            "--duration" => duration = Some(a.value(arg)?),
            "--every" => every = Some(a.value(arg)?),
            "--format" => {
                csv = match a.value(arg)? {
                    "json" => false,
                    "csv" => true,
                    other => return Err(format!("--format {other:?}: use json or csv")),
                }
            }
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("run: unexpected argument {other:?}")),
        }
    }
    let config = config.ok_or("run needs --config FILE or --preset NAME")?;
    let tick_s = u64::from(config.tick_s);
    let duration_s = match duration {
        Some(text) => parse_duration("--duration", text)?,
        None => 3_600,
    };
    let every_s = match every {
        Some(text) => parse_duration("--every", text)?,
        None => 60,
    };
    if duration_s == 0 {
        return Err("--duration must be at least one tick".into());
    }
    if duration_s > MAX_DURATION_S {
        return Err(format!(
            "--duration {} is too long: at most 3650d (10 years of simulated time)",
            duration.unwrap_or_default()
        ));
    }
    if !duration_s.is_multiple_of(tick_s) {
        return Err(format!(
            "--duration {} is not a whole number of ticks: the config's tick is {tick_s}s (tick_s)",
            duration.unwrap_or_default()
        ));
    }
    if every_s == 0 {
        return Err("--every must be at least 1s".into());
    }
    if !every_s.is_multiple_of(tick_s) {
        return Err(format!(
            "--every {} is not a whole number of ticks: the config's tick is {tick_s}s (tick_s)",
            every.unwrap_or_default()
        ));
    }
    Ok(Some(RunPlan {
        config,
        duration_s,
        every_s,
        csv,
    }))
}

/// Names of every consumer a run of `duration_s` meets, in the order they first run:
/// the config's, then those its scripted events add before the run ends.
fn consumers_met(config: &Config, duration_s: u64) -> Result<Vec<String>, String> {
    let tick_s = u64::from(config.tick_s);
    let mut names: Vec<String> = config
        .consumers
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    // Only a new list, a new member or a new name brings a consumer the config lacks.
    let renames = |path: &str| {
        let parts: Vec<&str> = path.split('.').collect();
        parts[0] == "consumers" && (parts.len() <= 2 || parts[2] == "name")
    };
    if !config
        .events
        .iter()
        .any(|e| e.set.keys().any(|p| renames(p)))
    {
        return Ok(names);
    }
    config
        .replay_events(|event, state| {
            // An event applies at the first tick starting at or after its time.
            if event.at_s.div_ceil(tick_s) * tick_s >= duration_s {
                return;
            }
            for c in &state.consumers {
                if !names.iter().any(|n| n == c.name()) {
                    names.push(c.name().to_string());
                }
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(names)
}

fn find_preset(name: &str) -> Result<presets::Preset, String> {
    presets::find(name)
        .ok_or_else(|| format!("no preset {name:?}; `kinesis-sim presets` lists them"))
}

fn read_config(path: &str) -> Result<Config, String> {
    let text = if path == "-" {
        io::read_to_string(io::stdin()).map_err(|e| format!("reading standard input: {e}"))?
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?
    };
    Config::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

/// `90`, `90s`, `15m`, `36h`, `3d` → seconds (`u64::MAX` when too long to count);
/// `flag` names the option in messages.
fn parse_duration(flag: &str, text: &str) -> Result<u64, String> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => 0,
    };
    if digits.is_empty() || scale == 0 {
        return Err(format!(
            "{flag} {text:?} is not a duration like 90s, 15m, 36h or 3d"
        ));
    }
    // Only digits: a number too large for u64 is simply too long.
    let n: u64 = digits.parse().unwrap_or(u64::MAX);
    Ok(n.saturating_mul(scale))
}

fn presets_command(args: &[String], out: &mut impl Write) -> Result<(), Failure> {
    match args {
        [] => {
            for p in presets::all() {
                writeln!(out, "{:<12} {}", p.name, p.summary)?;
            }
            Ok(())
        }
        [flag] if flag == "--help" || flag == "-h" => Ok(out.write_all(HELP.as_bytes())?),
        [name] => {
            let preset = find_preset(name)?;
            writeln!(out, "{}", preset.config.to_json())?;
            Ok(())
        }
        [_, extra, ..] => Err(format!("presets: unexpected argument {extra:?}").into()),
    }
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
