//! The commands: `run` simulates and writes the summary and series, `presets` lists
//! and prints presets, `route` maps partition keys to shards; errors become one line
//! on standard error and the exit status.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use kinesis_playground::model::config::fields;
use kinesis_playground::model::routing::{hash_key, EvenLayout};
use kinesis_playground::model::series::Sampler;
use kinesis_playground::model::{Config, Simulation};
use kinesis_playground::share::csv::{Sample, Table};
use kinesis_playground::share::report::{self, JsonSeries};
use kinesis_playground::teach::presets;

use crate::alarms::alarms;
use crate::args::{Cli, Command, Format, PresetsArgs, RouteArgs, RunArgs, Span, MAX_DURATION_S};
use crate::cloudwatch;

/// Most series values (rows × columns) `--format json` holds until the run ends.
const MAX_JSON_VALUES: u64 = 5_000_000;

/// Why a command failed.
pub enum Failure {
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

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Output(e)
    }
}

/// Parses the arguments, runs the command and says how it went.
pub fn main() -> ExitCode {
    let mut out = BufWriter::new(io::stdout().lock());
    let result = parse()
        .and_then(|request| dispatch(request, &mut out))
        .and_then(|()| out.flush().map_err(Failure::from));
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

/// What the command line asks for.
enum Request {
    /// A command (`None`: no command, so the help).
    Command(Option<Command>),
    /// Help text the parser wrote (`--help`, `help run`, ...).
    Help(String),
}

/// The command line read, or its complaint in one line.
fn parse() -> Result<Request, Failure> {
    match Cli::try_parse() {
        Ok(cli) => Ok(Request::Command(cli.command)),
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            Ok(Request::Help(e.render().to_string()))
        }
        Err(e) => Err(Failure::Input(one_line(&e))),
    }
}

/// A parser error as one line: its message, then where to read more.
fn one_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let first = text.split("\n\n").next().unwrap_or_default();
    let message: Vec<&str> = first.lines().map(str::trim).collect();
    let message = message.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    // The help of the subcommand named, if one is.
    let words: Vec<String> = std::env::args().skip(1).collect();
    let command = Cli::command();
    let sub = words
        .iter()
        .find(|w| !w.starts_with('-'))
        .filter(|w| command.find_subcommand(w.as_str()).is_some());
    match sub {
        Some(sub) => format!("{message}; see kinesis-sim {sub} --help"),
        None => format!("{message}; see kinesis-sim --help"),
    }
}

fn dispatch(request: Request, out: &mut impl Write) -> Result<(), Failure> {
    match request {
        Request::Help(text) => Ok(out.write_all(text.as_bytes())?),
        Request::Command(None) => Ok(write!(out, "{}", Cli::command().render_help())?),
        Request::Command(Some(Command::Run(args))) => run(&args, out),
        Request::Command(Some(Command::Alarms(args))) => alarms(&args, out),
        Request::Command(Some(Command::Presets(args))) => presets_command(&args, out),
        Request::Command(Some(Command::Route(args))) => Ok(route(&args, out)?),
        Request::Command(Some(Command::Fields)) => Ok(out.write_all(fields::listing().as_bytes())?),
    }
}

/// What `run` was asked for, checked before anything runs.
pub(crate) struct RunPlan {
    pub(crate) config: Config,
    pub(crate) duration_s: u64,
    pub(crate) every_s: u64,
    pub(crate) format: Format,
    /// Whether every tick is stepped, none replayed.
    pub(crate) every_tick: bool,
    /// The StreamName dimension: the preset's name, or the config file's without `.json`.
    pub(crate) stream_name: String,
}

fn run(args: &RunArgs, out: &mut impl Write) -> Result<(), Failure> {
    let plan = run_plan(args)?;
    let tick_s = u64::from(plan.config.tick_s);
    // Every consumer the run meets has its columns from the start (CSV rows are
    // written as they come, after one header).
    let names = consumers_met(&plan.config, plan.duration_s)?;
    if plan.format == Format::Cloudwatch {
        return cloudwatch::run(plan, args.stat, args.shard_level, &names, out);
    }
    let mut sampler = match args.stat {
        Some(stat) => Sampler::with_statistic(&names, stat),
        None => Sampler::new(&names),
    };
    let rows = plan.duration_s.div_ceil(plan.every_s);
    let values = rows.saturating_mul(sampler.columns.len() as u64);
    if plan.format == Format::Json && values > MAX_JSON_VALUES {
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
    let table = Table::new(&sampler.columns);
    let mut json = JsonSeries::new(&sampler.columns);
    if plan.format == Format::Csv {
        out.write_all(table.header().as_bytes())?;
    }
    let mut line = String::new();
    let mut sample_start_ms = 0;
    let mut tick = 0;
    while tick < total_ticks {
        // A sample's ticks at once: quiet stretches are replayed, not worked out again.
        let n = (ticks_per_sample - tick % ticks_per_sample).min(total_ticks - tick);
        if plan.every_tick {
            for _ in 0..n {
                sim.step();
                let names = sim.config().consumers.iter().map(|c| c.name());
                sampler.add(sim.metrics(), names);
            }
        } else {
            sim.run_ticks_into(n, &mut sampler);
        }
        tick += n;
        let sample = Sample {
            end_ms: sim.now_ms(),
            length_ms: sim.now_ms() - sample_start_ms,
        };
        sample_start_ms = sim.now_ms();
        let Some(row) = sampler.flush() else {
            continue;
        };
        match plan.format {
            Format::Csv | Format::Cloudwatch => {
                line.clear();
                table.row(&mut line, sample, row);
                out.write_all(line.as_bytes())?;
            }
            Format::Json => json.push(row),
        }
    }
    if plan.format == Format::Json {
        json.write(out, &report::summary(&sim))?;
    }
    Ok(())
}

/// The checked arguments of `run`.
fn run_plan(args: &RunArgs) -> Result<RunPlan, String> {
    let (config, stream_name) = match (&args.run.config, &args.run.preset) {
        (Some(path), _) => (read_config(path)?, stream_name(path)),
        (None, Some(name)) => (find_preset(name)?.config, name.clone()),
        (None, None) => return Err("run needs --config FILE or --preset NAME".into()),
    };
    if args.shard_level && args.format != Format::Cloudwatch {
        return Err(
            "--shard-level adds the shard-level metrics to CloudWatch's datapoints: \
             it needs --format cloudwatch"
                .into(),
        );
    }
    if args.format == Format::Cloudwatch && !args.every.seconds.is_multiple_of(60) {
        return Err(format!(
            "--period {} cannot be a CloudWatch period: Kinesis metrics are per minute, so \
             --format cloudwatch takes a whole number of minutes (60s, 1m, 5m, ...)",
            args.every.text
        ));
    }
    let tick_s = u64::from(config.tick_s);
    let (duration, every) = (&args.run.duration, &args.every);
    check_duration(duration, tick_s)?;
    if every.seconds == 0 {
        return Err("--every must be at least 1s".into());
    }
    if !every.seconds.is_multiple_of(tick_s) {
        return Err(format!(
            "--every {} is not a whole number of ticks: the config's tick is {tick_s}s (tick_s)",
            every.text
        ));
    }
    Ok(RunPlan {
        config,
        duration_s: duration.seconds,
        every_s: every.seconds,
        format: args.format,
        every_tick: args.every_tick,
        stream_name,
    })
}

/// The StreamName of a run of config file `path`: its name without folders or `.json`
/// (`stream` for standard input).
fn stream_name(path: &str) -> String {
    let file = std::path::Path::new(path);
    match file.file_stem().and_then(|s| s.to_str()) {
        Some(stem) if path != "-" && !stem.is_empty() => stem.to_string(),
        _ => "stream".to_string(),
    }
}

/// Checks `--duration` for a config whose tick is `tick_s`.
pub fn check_duration(duration: &Span, tick_s: u64) -> Result<(), String> {
    if duration.seconds == 0 {
        return Err("--duration must be at least one tick".into());
    }
    if duration.seconds > MAX_DURATION_S {
        return Err(format!(
            "--duration {} is too long: at most 3650d (10 years of simulated time)",
            duration.text
        ));
    }
    if !duration.seconds.is_multiple_of(tick_s) {
        return Err(format!(
            "--duration {} is not a whole number of ticks: the config's tick is {tick_s}s (tick_s)",
            duration.text
        ));
    }
    Ok(())
}

/// The config of `--config FILE` or `--preset NAME`.
pub fn source(config: Option<&str>, preset: Option<&str>) -> Result<Config, String> {
    match (config, preset) {
        (Some(path), _) => read_config(path),
        (None, Some(name)) => Ok(find_preset(name)?.config),
        (None, None) => Err("needs --config FILE or --preset NAME".into()),
    }
}

/// Names of every consumer a run of `duration_s` meets, in the order they first run:
/// the config's, then those its scripted events add before the run ends.
pub fn consumers_met(config: &Config, duration_s: u64) -> Result<Vec<String>, String> {
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

fn presets_command(args: &PresetsArgs, out: &mut impl Write) -> Result<(), Failure> {
    match &args.name {
        None => {
            let all = presets::all();
            // Names in a column as wide as the longest.
            let width = all.iter().map(|p| p.name.len()).max().unwrap_or(0);
            for p in all {
                writeln!(out, "{:<width$} {}", p.name, p.summary)?;
            }
        }
        Some(name) => writeln!(out, "{}", find_preset(name)?.config.to_json())?,
    }
    Ok(())
}

fn route(args: &RouteArgs, out: &mut impl Write) -> io::Result<()> {
    let layout = EvenLayout::new(args.shards);
    if args.ranges {
        for i in 0..layout.shards() {
            let r = layout.range(i);
            writeln!(out, "{i} {} {}", r.start, r.end)?;
        }
    }
    for key in &args.keys {
        writeln!(out, "{key} {}", layout.shard_of(hash_key(key)))?;
    }
    Ok(())
}
