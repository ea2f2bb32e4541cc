//! Each preset's lesson agrees with its run: the explanation names every loss the run
//! shows and claims none it does not, the first expiry comes when it says, and its fix
//! removes the failure it teaches. (The numbers it quotes: `lesson_quotes.rs`.)
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::report;
use kinesis_playground::model::{Config, Simulation};
use kinesis_playground::share::report::summary;
use kinesis_playground::teach::presets::{self, Preset};
use serde_json::Value;

const DAY: u64 = 86_400;

fn preset(name: &str) -> Preset {
    presets::find(name).unwrap_or_else(|| panic!("no preset {name}"))
}

fn run(config: Config, seconds: u64) -> Simulation {
    let mut sim = Simulation::new(config).expect("valid");
    sim.run_for(seconds);
    sim
}

/// A kind of loss, the summary numbers that count it and the word stem a lesson uses for it.
struct Loss {
    stem: &'static str,
    count: fn(&Value) -> u64,
}

fn consumers_sum(s: &Value, field: &str) -> u64 {
    s["consumers"]
        .as_array()
        .map_or(0, |cs| cs.iter().filter_map(|c| c[field].as_u64()).sum())
}

const LOSSES: [Loss; 3] = [
    Loss {
        stem: "drop",
        count: |s| s["dropped_by_producer"].as_u64().unwrap_or(0),
    },
    Loss {
        stem: "expire",
        count: |s| consumers_sum(s, "expired"),
    },
    Loss {
        stem: "skip",
        count: |s| consumers_sum(s, "skipped"),
    },
];

/// Words that make a clause deny or suppose something rather than state it.
const NOT_A_CLAIM: [&str; 9] = [
    "no", "not", "none", "nothing", "never", "if", "would", "without", "unless",
];

/// The clauses of `text` (split at sentence ends, colons, semicolons and dashes) that
/// state, rather than deny or suppose, something containing `stem`.
fn claims<'a>(text: &'a str, stem: &str) -> Vec<&'a str> {
    text.split(['.', ':', ';', '—'])
        .filter(|clause| {
            let lower = clause.to_lowercase();
            lower.contains(stem)
                && !lower
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| NOT_A_CLAIM.contains(&w))
        })
        .collect()
}

#[test]
fn the_claim_finder_tells_statements_from_denials_and_suppositions() {
    let text = "Records are dropped: they never arrive. Nothing expires; if it did, \
                records would expire. Others skip — no record is skipped.";
    assert_eq!(claims(text, "drop"), vec!["Records are dropped"]);
    assert!(claims(text, "expire").is_empty());
    assert_eq!(claims(text, "skip"), vec![" Others skip "]);
}

#[test]
fn every_explanation_names_each_loss_its_run_shows_and_no_other() {
    for p in presets::all() {
        // Two days at 1 s ticks: scenario-1's first records expire just before 48 h.
        let s = summary(&run(p.config.clone(), 2 * DAY));
        for loss in &LOSSES {
            let shown = (loss.count)(&s);
            let said = claims(p.explanation, loss.stem);
            assert_eq!(
                !said.is_empty(),
                shown > 0,
                "{}: the run shows {shown} records lost ({:?}) and the explanation says {said:?}",
                p.name,
                loss.stem
            );
        }
    }
}

#[test]
fn the_first_expiry_comes_when_the_explanation_says() {
    // scenario-1: after about 48 h; scenario-3: some 39 h after traffic grows at 2 h.
    for (name, consumer, quoted_h) in [("scenario-1", "lambda", 48.0), ("scenario-3", "ecs", 41.0)]
    {
        let mut sim = Simulation::new(preset(name).config).expect("valid");
        while report(&sim, consumer).ledger.expired == 0 && sim.now_ms() < 3 * DAY * 1_000 {
            sim.run_for(600);
        }
        let h = sim.now_ms() as f64 / 3_600_000.0;
        assert!((h - quoted_h).abs() <= 1.0, "{name}: first expiry at {h} h");
    }
}

/// Everything that counts as a failure in a run: throttled writes or reads, any loss, or
/// a consumer that ends more than a minute behind.
fn failures(sim: &Simulation) -> Vec<String> {
    let t = sim.totals();
    let mut out = Vec::new();
    if t.throttled > 0 {
        out.push(format!("{} writes throttled", t.throttled));
    }
    if t.read_throttled > 0 {
        out.push(format!("{} reads throttled", t.read_throttled));
    }
    if t.dropped_by_producer > 0 {
        out.push(format!("{} dropped", t.dropped_by_producer));
    }
    for r in sim.ledgers() {
        if r.ledger.expired + r.ledger.skipped > 0 {
            out.push(format!("{}: {:?}", r.name, r.ledger));
        }
        if r.final_iterator_age_ms > 60_000 {
            out.push(format!("{}: {} ms behind", r.name, r.final_iterator_age_ms));
        }
    }
    out
}

#[test]
fn every_fix_removes_the_failure_its_lesson_teaches() {
    for p in presets::all() {
        let before = failures(&run(p.config.clone(), 2 * DAY));
        if p.fix_label.is_empty() {
            assert!(before.is_empty(), "{}: {before:?}", p.name);
            continue;
        }
        assert!(!before.is_empty(), "{}: nothing to fix", p.name);
        let fixed = p.fixed(&p.config).expect("the fix applies");
        let sim = run(fixed, 2 * DAY);
        assert_eq!(failures(&sim), Vec::<String>::new(), "{} fixed", p.name);
        for r in sim.ledgers() {
            assert!(r.final_iterator_age_ms <= 5_000, "{} fixed: {r:?}", p.name);
        }
    }
}
