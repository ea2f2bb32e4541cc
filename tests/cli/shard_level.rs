//! `run --format cloudwatch [--shard-level]`: one CSV row per datapoint, as CloudWatch
//! would show the run, written period by period.

use super::{cli, temp_config};

/// The rows of a `--format cloudwatch` run of `config` (named `name`) with `extra`
/// arguments, header checked.
fn datapoints(name: &str, config: &str, extra: &[&str]) -> Vec<Vec<String>> {
    let path = temp_config(name, config.as_bytes());
    let mut args = vec!["run", "--config", &path, "--format", "cloudwatch"];
    args.extend_from_slice(extra);
    let (code, out, err) = cli(&args);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "Timestamp,Namespace,MetricName,StreamName,ShardId,ConsumerName,FunctionName,\
             ServiceName,Statistic,Period,Value,Unit"
        )
    );
    lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// The rows of metric `metric` (shard-level ones when `shard` is true).
fn of<'a>(rows: &'a [Vec<String>], metric: &str, shard: bool) -> Vec<&'a Vec<String>> {
    rows.iter()
        .filter(|r| r[2] == metric && r[4].is_empty() != shard)
        .collect()
}

/// One shard, 100 records/s of 100 bytes in one call a second, a Lambda function.
const SMALL: &str = r#"{"stream": {"shards": 1},
    "producers": [{"name": "p", "instances": 1, "records_per_sec": 100, "record_bytes": 100}],
    "consumers": [{"type": "lambda", "name": "fn"}]}"#;

#[test]
fn each_datapoint_is_one_row_with_its_namespace_dimensions_and_unit() {
    let rows = datapoints("cw-small", SMALL, &["--duration", "2m", "--shard-level"]);
    // 100 records/s for a minute: the stream's and its one shard's Sum, 6,000.
    let line = |r: &Vec<String>| r.join(",");
    let stream = of(&rows, "IncomingRecords", false);
    assert_eq!(
        line(stream[0]),
        "1970-01-01T00:00:00Z,AWS/Kinesis,IncomingRecords,kinesis-sim-cw-small,,,,,Sum,60,6000,Count"
    );
    let shard = of(&rows, "IncomingRecords", true);
    assert_eq!(
        line(shard[1]),
        "1970-01-01T00:01:00Z,AWS/Kinesis,IncomingRecords,kinesis-sim-cw-small,\
         shardId-000000000000,,,,Sum,60,6000,Count"
    );
    // The function's metrics are AWS/Lambda's, by FunctionName, ages by their Maximum.
    let age = of(&rows, "IteratorAge", false);
    assert_eq!(
        (age[0][1].as_str(), age[0][6].as_str()),
        ("AWS/Lambda", "fn")
    );
    assert_eq!(
        (age[0][8].as_str(), age[0][11].as_str()),
        ("Maximum", "Milliseconds")
    );
    // Two periods, each metric once per period and shard.
    assert_eq!(shard.len(), 2);
    assert_eq!(of(&rows, "IteratorAgeMilliseconds", true).len(), 2);
    // The model's own columns and per-consumer splits CloudWatch lacks are left out.
    assert!(rows.iter().all(|r| r[2] != "produced" && r[2] != "behind"));
    assert!(rows
        .iter()
        .all(|r| r[2] != "GetRecords.IteratorAgeMilliseconds" || r[6].is_empty()));
}

#[test]
fn five_minute_maximum_per_shard_at_five_second_ticks() {
    // Two shards at 5 s ticks; one instance at 900 records/s sends ceil(900 / 500) = 2
    // calls a second, each carrying records for both shards: per shard 450 a second in
    // 2 calls, so a shard's IncomingRecords Maximum is 225 a call, the stream's 450.
    let config = r#"{"tick_s": 5, "stream": {"shards": 2},
        "producers": [{"name": "p", "instances": 1, "records_per_sec": 900,
                       "distinct_keys": 4000}],
        "consumers": [{"type": "kcl", "name": "ecs", "tasks": 2}]}"#;
    let rows = datapoints(
        "cw-5m",
        config,
        &[
            "--duration",
            "15m",
            "--period",
            "5m",
            "--stat",
            "Maximum",
            "--shard-level",
        ],
    );
    let stamps: Vec<&str> = of(&rows, "IncomingRecords", false)
        .iter()
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(
        stamps,
        [
            "1970-01-01T00:00:00Z",
            "1970-01-01T00:05:00Z",
            "1970-01-01T00:10:00Z"
        ]
    );
    for r in of(&rows, "IncomingRecords", false) {
        assert_eq!((r[8].as_str(), r[9].as_str()), ("Maximum", "300"));
        let most: f64 = r[10].parse().unwrap_or(f64::NAN);
        assert!((449.0..=451.0).contains(&most), "{most}");
    }
    let shard = of(&rows, "IncomingRecords", true);
    assert_eq!(shard.len(), 6, "two shards, three periods");
    for r in shard {
        let most: f64 = r[10].parse().unwrap_or(f64::NAN);
        // 4,000 keys over two shards: each gets half the records within 5 %.
        assert!((213.0..=237.0).contains(&most), "{most}");
        assert_eq!(r[8], "Maximum");
    }
    // Both shards are read: an iterator age datapoint each, every period.
    assert_eq!(of(&rows, "IteratorAgeMilliseconds", true).len(), 6);
}

#[test]
fn a_day_at_one_minute_periods_streams_every_period() {
    // A day at 1-minute periods: every shard-level metric of the one shard has one row a
    // minute, 1,440 in all, the last stamped 23:59; rows go out as periods close and
    // only the open period is held.
    let rows = datapoints("cw-day", SMALL, &["--duration", "1d", "--shard-level"]);
    for metric in kinesis_playground::model::shard_metrics::SHARD_METRICS {
        let each = of(&rows, metric, true);
        assert_eq!(each.len(), 1_440, "{metric}");
        assert_eq!(each[1_439][0], "1970-01-01T23:59:00Z");
    }
    let incoming = of(&rows, "IncomingRecords", false);
    assert_eq!(incoming.len(), 1_440);
    assert!(incoming.iter().all(|r| r[10] == "6000"));
}

#[test]
fn bad_combinations_exit_2_before_any_output() {
    let (code, out, err) = cli(&["run", "--preset", "healthy", "--shard-level"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "kinesis-sim: --shard-level adds the shard-level metrics to CloudWatch's datapoints: \
         it needs --format cloudwatch\n"
    );
    let (code, out, err) = cli(&[
        "run",
        "--preset",
        "healthy",
        "--format",
        "cloudwatch",
        "--period",
        "30s",
    ]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("--period 30s cannot be a CloudWatch period"),
        "{err}"
    );
}

#[test]
fn each_periods_shard_sums_add_up_to_the_streams() {
    // Three shards, one throttled by a hot key (1,200 records/s offered to it, 1,000
    // taken): per minute the shards' IncomingRecords, IncomingBytes and
    // WriteProvisionedThroughputExceeded Sums add up to the stream's, and the hot shard
    // takes its limit, 60,000 records.
    let config = r#"{"stream": {"shards": 3},
        "producers": [
          {"name": "spread", "instances": 1, "records_per_sec": 900, "distinct_keys": 9000},
          {"name": "hot", "instances": 1, "records_per_sec": 900, "distinct_keys": 1}],
        "consumers": []}"#;
    let rows = datapoints("cw-sums", config, &["--duration", "3m", "--shard-level"]);
    for metric in [
        "IncomingRecords",
        "IncomingBytes",
        "WriteProvisionedThroughputExceeded",
    ] {
        let stream = of(&rows, metric, false);
        assert_eq!(stream.len(), 3, "{metric}");
        for period in stream {
            let shards: f64 = of(&rows, metric, true)
                .iter()
                .filter(|r| r[0] == period[0])
                .map(|r| r[10].parse::<f64>().unwrap_or(f64::NAN))
                .sum();
            let whole: f64 = period[10].parse().unwrap_or(f64::NAN);
            assert_eq!(shards, whole, "{metric} at {}", period[0]);
        }
    }
    let most = of(&rows, "IncomingRecords", true)
        .iter()
        .map(|r| r[10].parse::<f64>().unwrap_or(f64::NAN))
        .fold(0.0, f64::max);
    assert!((59_400.0..=60_600.0).contains(&most), "{most}");
}
