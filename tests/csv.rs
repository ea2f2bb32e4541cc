//! The series as CSV: one format, written by one table for the command line and the
//! page's download alike.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::Command;

use kinesis_playground::model::series::NO_VALUE;
use kinesis_playground::model::store::SeriesStore;
use kinesis_playground::model::{Config, Simulation};
use kinesis_playground::share::csv::{series, Sample, Table};

#[test]
fn a_row_is_its_time_its_length_and_every_column_but_the_time_columns() {
    let table = Table::new(&["t_s", "produced", "ecs.t_s", "ecs.processed", "ecs.behind"]);
    assert_eq!(
        table.header(),
        "time_s,sample_s,produced,ecs.processed,ecs.behind\n"
    );
    let mut out = String::new();
    let minute = Sample {
        end_ms: 120_000,
        length_ms: 60_000,
    };
    table.row(&mut out, minute, &[120.0, 2_000.0, 120.0, 0.25, NO_VALUE]);
    // Plain decimals, as few digits as read back the same; no value is an empty cell,
    // and so is a value the row lacks.
    let tiny = Sample {
        end_ms: 125_000,
        length_ms: 5_000,
    };
    table.row(&mut out, tiny, &[125.0, 1e21, 125.0, 0.1 + 0.2]);
    table.row(&mut out, tiny, &[125.0, 1e-7]);
    assert_eq!(
        out,
        "120,60,2000,0.25,\n\
         125,5,1000000000000000000000,0.30000000000000004,\n\
         125,5,0.0000001,,\n"
    );
    // No columns but the time: the time and the length alone.
    let bare = Table::new(&["t_s"]);
    assert_eq!(bare.header(), "time_s,sample_s\n");
    let mut out = String::new();
    bare.row(&mut out, minute, &[120.0]);
    assert_eq!(out, "120,60\n");
}

#[test]
fn the_page_download_has_one_row_per_sample_and_blank_cells_before_a_consumer_existed() {
    let config = Config::from_json(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 100}],
            "consumers": []}"#,
    )
    .expect("valid");
    let mut sim = Simulation::new(config).expect("valid");
    let mut stream = SeriesStore::new(&[], 1_000);
    let mut late = SeriesStore::consumer(1_000);
    for t in 1..=120u64 {
        sim.step();
        let m = sim.metrics();
        stream.add(m);
        // A consumer that joined at 60 s (fed from then on).
        if t > 60 {
            late.add_consumer(m.t_ms, &Default::default());
        }
    }
    let text = series(&stream, &[("late", &late)], 0);
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    // Each store's own time column is the row's time.
    let mut expected = vec!["time_s".to_string(), "sample_s".to_string()];
    expected.extend(stream.columns[1..].iter().cloned());
    expected.extend(late.columns[1..].iter().map(|c| format!("late.{c}")));
    assert_eq!(header, expected);
    assert!(header.contains(&"late.oldest_unprocessed_age_ms"));
    // Two minutes of 1 s ticks: 120 rows at the finest level, each one second long.
    assert_eq!(lines.len(), 1 + 120);
    let row = |i: usize| -> Vec<&str> { lines[i].split(',').collect() };
    for i in 1..=120 {
        assert_eq!(row(i).len(), header.len());
        assert_eq!(row(i)[..2], [i.to_string().as_str(), "1"]);
        // 100 records/s produced in every one-second sample.
        assert_eq!(row(i)[2], "100", "row {i}");
    }
    // The consumer's cells are empty before it joined and filled after (but for the
    // metrics with no datapoint: it was sent nothing, so it ran no execution).
    let first = 2 + stream.columns.len() - 1;
    assert!(row(60)[first..].iter().all(|c| c.is_empty()));
    let cell = |i: usize, name: &str| row(i)[header.iter().position(|h| *h == name).unwrap()];
    for name in ["late.processed", "late.behind", "late.invoke_requests"] {
        assert_eq!(cell(61, name), "0", "{name}");
    }
    for name in [
        "late.IteratorAge",
        "late.ConcurrentExecutions",
        "late.Errors",
    ] {
        assert_eq!(cell(61, name), "", "{name}");
    }
    // From a later time only later samples come.
    let tail = series(&stream, &[], 100_000);
    assert_eq!(tail.lines().count(), 1 + 20);
    assert!(tail.lines().nth(1).is_some_and(|l| l.starts_with("101,1,")));
    // Past the finest level's 15 minutes, rows are the per-minute samples.
    for _ in 0..3_600 {
        sim.step();
        stream.add(sim.metrics());
    }
    let text = series(&stream, &[], 0);
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 62);
    assert!(rows[0].starts_with("60,60,6000,"), "{}", rows[0]);
    assert!(rows[61].starts_with("3720,60,6000,"), "{}", rows[61]);
}

#[test]
fn a_replaced_consumer_has_empty_cells_after_it_went_and_its_successor_before_it_came() {
    // At 300 s an event replaces consumer "a" by "b"; "c" stays throughout.
    let (sim, store) = common::replaced_consumer_run();
    let text = series(&store, &[], 0);
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let cell = |row: usize, name: &str| lines[row].split(',').nth(at(name)).unwrap_or("?");
    assert_eq!(lines.len(), 1 + 600);
    assert!(at("a.processed") < at("b.processed"));
    assert_ne!(cell(300, "a.processed"), "");
    assert_eq!(cell(301, "a.processed"), "");
    assert_eq!(cell(300, "b.processed"), "");
    assert_ne!(cell(301, "b.processed"), "");
    assert_ne!(cell(600, "c.processed"), "");
    let processed = |name: &str| -> u64 {
        (1..=600)
            .map(|r| cell(r, name).parse::<u64>().unwrap_or(0))
            .sum()
    };
    let ledgers = sim.ledgers();
    for name in ["a", "b", "c"] {
        let ledger = ledgers.iter().find(|l| l.name == name).expect("a ledger");
        assert_eq!(
            processed(&format!("{name}.processed")),
            ledger.ledger.processed
        );
    }
}

#[test]
fn the_command_line_and_the_page_write_the_same_text() {
    let text = r#"{"stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 2, "records_per_sec": 700}],
        "consumers": [{"type": "lambda", "name": "fn"},
                      {"type": "kcl", "name": "ecs", "tasks": 2}]}"#;
    // The page: the stream's store and one store per consumer, fed tick by tick.
    let config = Config::from_json(text).expect("valid");
    let mut sim = Simulation::new(config).expect("valid");
    let mut stream = SeriesStore::new(&[], 1_000);
    let mut consumers = [SeriesStore::consumer(1_000), SeriesStore::consumer(1_000)];
    for _ in 0..120 {
        sim.step();
        let m = sim.metrics();
        stream.add(m);
        for (store, tick) in consumers.iter_mut().zip(&m.consumers) {
            store.add_consumer(m.t_ms, tick);
        }
    }
    let page = series(&stream, &[("fn", &consumers[0]), ("ecs", &consumers[1])], 0);
    // The command line, sampling every tick.
    let path = std::env::temp_dir().join("kinesis-sim-csv-same-text.json");
    std::fs::write(&path, text).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_kinesis-sim"))
        .args(["run", "--config"])
        .arg(&path)
        .args(["--duration", "2m", "--every", "1s", "--format", "csv"])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0));
    let cli = String::from_utf8_lossy(&out.stdout);
    assert_eq!(page.lines().count(), 1 + 120);
    assert_eq!(cli, page);
}
