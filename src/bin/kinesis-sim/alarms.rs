//! `alarms`: simulates with CloudWatch alarms and prints when each would have fired and
//! which losses no alarm caught.

use std::io::Write;

use kinesis_playground::format::day_clock;
use kinesis_playground::model::alarm::{recommended, AlarmSet, AlarmSpec, LossKind, Target};
use kinesis_playground::model::Simulation;
use kinesis_playground::teach::alarms as words;
use serde_json::{json, Value};

use crate::args::{AlarmsArgs, AlarmsFormat};
use crate::commands::{check_duration, consumers_met, source, Failure};

/// Runs `args`' config with its alarms and writes what they did.
pub fn alarms(args: &AlarmsArgs, out: &mut impl Write) -> Result<(), Failure> {
    let config = source(args.run.config.as_deref(), args.run.preset.as_deref())?;
    let tick_s = u64::from(config.tick_s);
    check_duration(&args.run.duration, tick_s)?;
    let names = consumers_met(&config, args.run.duration.seconds)?;
    let mut specs: Vec<(AlarmSpec, bool)> = Vec::new();
    if !args.no_recommended {
        specs.extend(recommended(&config).into_iter().map(|s| (s, true)));
    }
    for spec in &args.alarms {
        if let Ok(Target::Consumer(name, _)) = spec.target() {
            if !names.iter().any(|n| n == name) {
                return Err(format!(
                    "--alarm {spec}: this run has no consumer {name:?} (its consumers: {})",
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                )
                .into());
            }
        }
        spec.fits(&config)
            .map_err(|e| format!("--alarm {spec}: {e}"))?;
        specs.push((spec.clone(), false));
    }
    if specs.is_empty() {
        return Err(
            "no alarm to evaluate: give one with --alarm, or leave out --no-recommended"
                .to_string()
                .into(),
        );
    }
    let first: Vec<String> = config
        .consumers
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let mut sim = Simulation::new(config).map_err(|e| e.to_string())?;
    let mut set = AlarmSet::new(specs.iter().map(|(s, _)| s.clone()).collect(), &first);
    for _ in 0..args.run.duration.seconds / tick_s {
        sim.step();
        let names = sim.config().consumers.iter().map(|c| c.name());
        set.add(sim.metrics(), names);
    }
    let lost = set.uncaught();
    let texts = words::uncaught(&lost, set.alarms());
    match args.format {
        AlarmsFormat::Text => text(out, &specs, &set, &texts)?,
        AlarmsFormat::Json => {
            let alarms: Vec<Value> = set
                .alarms()
                .iter()
                .zip(&specs)
                .map(|(a, (_, rec))| {
                    let changes: Vec<Value> = a
                        .transitions()
                        .map(|t| json!({"t_s": t.t_ms / 1_000, "from": t.from.name(), "to": t.to.name(), "reason": t.reason}))
                        .collect();
                    json!({"alarm": a.spec().to_string(), "recommended": rec, "state": a.state().name(),
                           "transitions": changes, "transitions_not_kept": a.forgotten()})
                })
                .collect();
            let uncaught: Vec<Value> = lost
                .iter()
                .zip(&texts)
                .map(|(l, text)| {
                    let kind = match l.kind {
                        LossKind::DroppedByProducer => "dropped_by_producer",
                        LossKind::Expired => "expired",
                        LossKind::Skipped => "skipped",
                    };
                    json!({"kind": kind, "consumer": l.consumer, "records": l.records,
                           "first_s": l.first_ms / 1_000, "last_s": l.last_ms / 1_000, "text": text})
                })
                .collect();
            let all = json!({"alarms": alarms, "uncaught": uncaught});
            writeln!(out, "{all:#}")?;
        }
    }
    Ok(())
}

/// The alarms and the uncaught losses as lines for people.
fn text(
    out: &mut impl Write,
    specs: &[(AlarmSpec, bool)],
    set: &AlarmSet,
    uncaught: &[String],
) -> std::io::Result<()> {
    for (alarm, (_, rec)) in set.alarms().iter().zip(specs) {
        let tag = if *rec { " (recommended)" } else { "" };
        writeln!(out, "{}{tag}", alarm.spec())?;
        if alarm.forgotten() > 0 {
            writeln!(
                out,
                "  ({} earlier state changes not kept)",
                alarm.forgotten()
            )?;
        }
        if alarm.transitions().len() == 0 {
            writeln!(out, "  {} all along", alarm.state())?;
        }
        for t in alarm.transitions() {
            writeln!(
                out,
                "  {}  {} -> {}  {}",
                day_clock(t.t_ms / 1_000),
                t.from,
                t.to,
                t.reason
            )?;
        }
    }
    writeln!(out)?;
    if uncaught.is_empty() {
        writeln!(out, "No loss went uncaught.")?;
    } else {
        writeln!(out, "Losses no alarm caught:")?;
        for line in uncaught {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}
