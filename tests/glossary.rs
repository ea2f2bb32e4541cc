//! The glossary against the page's own words: chart captions, control help, lessons
//! and diagnosis lines link the terms they use, and every term is used somewhere.

use kinesis_playground::model::Config;
use kinesis_playground::playground::menus::{scenario_menu, shape_menu, speed_menu, window_menu};
use kinesis_playground::playground::status::findings;
use kinesis_playground::playground::{every_knob, App, ChartId};
use kinesis_playground::teach::glossary::{split, Piece, TERMS};
use kinesis_playground::teach::presets;

/// The names of the terms `text` links, in order.
fn linked(text: &str) -> Vec<&'static str> {
    split(text)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Term(_, i) => Some(TERMS[i].name),
            Piece::Plain(_) => None,
        })
        .collect()
}

/// Diagnosis lines of `config` at each hour of its first `hours`.
fn diagnosis_lines(config: Config, hours: u32) -> Vec<String> {
    let mut app = App::new(config).expect("a preset runs");
    let mut lines = Vec::new();
    for _ in 0..hours {
        for _ in 0..3_600 {
            app.step();
        }
        lines.extend(findings(&app, false).into_iter().map(|f| f.text));
    }
    lines
}

/// Every text the page shows that goes through the term renderer (help lines of every
/// control of every preset, chart captions, lessons, diagnosis lines of each preset).
fn page_texts() -> Vec<String> {
    let mut texts: Vec<String> = ChartId::ALL.iter().map(|c| c.help().to_string()).collect();
    let menus = [scenario_menu(None), speed_menu(1), window_menu(None)];
    texts.extend(menus.iter().map(|m| m.help.to_string()));
    // A function that fails on a poison record, and one held to 1 execution on 4 shards.
    let failing = r#"{"stream": {"shards": 4}, "consumers": [
        {"type": "lambda", "name": "poisoned", "poison_rate": 0.01},
        {"type": "lambda", "name": "held", "reserved_concurrency": 1, "ms_per_record": 2}]}"#;
    let mut configs = vec![
        Config::default(),
        Config::from_json(failing).expect("valid"),
    ];
    for p in presets::all() {
        texts.extend([p.question, p.watch, p.explanation].map(str::to_string));
        configs.push(p.config.clone());
    }
    for config in configs {
        texts.push(shape_menu(&config).help.to_string());
        texts.extend(every_knob(&config).iter().map(|k| k.help.to_string()));
        texts.extend(diagnosis_lines(config, 3));
    }
    texts
}

#[test]
fn chart_captions_link_the_metrics_they_name() {
    let expected: [(ChartId, &[&str]); 7] = [
        (
            ChartId::Incoming,
            &["IncomingRecords", "IncomingBytes", "Write limit", "Shard"],
        ),
        (ChartId::Throttled, &["WriteProvisionedThroughputExceeded"]),
        (ChartId::Age, &["IteratorAge", "Retention"]),
        (ChartId::Loss, &["Retention"]),
        (
            ChartId::Lambda,
            &[
                "ConcurrentExecutions",
                "Throttles",
                "Parallelization factor",
            ],
        ),
        (
            ChartId::Reads,
            &["GetRecords.Bytes", "Standard consumer", "Enhanced fan-out"],
        ),
        (ChartId::Shards, &["Shard", "Partition key"]),
    ];
    for (chart, names) in expected {
        let found = linked(chart.help());
        for name in names {
            assert!(found.contains(name), "{chart}: {name} not in {found:?}");
        }
    }
}

#[test]
fn lessons_and_control_help_link_their_terms() {
    let s1 = presets::find("scenario-1").expect("scenario-1");
    assert_eq!(linked(s1.question), ["Iterator age", "Retention"]);
    let s2 = presets::find("scenario-2").expect("scenario-2");
    assert_eq!(linked(s2.question), ["WriteProvisionedThroughputExceeded"]);
    let s3 = presets::find("scenario-3").expect("scenario-3");
    for name in [
        "UpdateShardCount",
        "Event source mapping",
        "KCL lease",
        "Autoscaling",
    ] {
        assert!(linked(s3.explanation).contains(&name), "{name}");
    }
    let help = |path: &str| {
        let knobs = every_knob(&s3.config);
        let knob = knobs.iter().find(|k| k.path == path).expect(path);
        linked(knob.help)
    };
    assert_eq!(
        help("stream.shards"),
        ["UpdateShardCount", "Write limit", "IteratorAge"]
    );
    assert!(help("consumers.lambda.parallelization_factor").contains(&"ConcurrentExecutions"));
    assert!(help("consumers.ecs.poll_interval_ms").contains(&"ReadProvisionedThroughputExceeded"));
}

#[test]
fn every_term_is_linked_somewhere_on_the_page_and_texts_stay_whole() {
    // Defined for the settings files and the glossary; no help line names them yet.
    let glossary_only = ["Batching window"];
    let texts = page_texts();
    let mut used = vec![false; TERMS.len()];
    for text in &texts {
        let pieces = split(text);
        let joined: String = pieces
            .iter()
            .map(|p| match p {
                Piece::Plain(s) | Piece::Term(s, _) => *s,
            })
            .collect();
        assert_eq!(&joined, text);
        for p in pieces {
            if let Piece::Term(_, i) = p {
                used[i] = true;
            }
        }
    }
    let unused: Vec<&str> = TERMS
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(t, _)| t.name)
        .collect();
    assert_eq!(unused, glossary_only, "terms no page text links");
}
