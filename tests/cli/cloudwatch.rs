//! `run --period P --stat S`: each CloudWatch metric as CloudWatch computes the
//! statistic over the period, a PutRecords call being a sample of IncomingRecords.

use super::{cli, temp_config};

/// One producer at 300 records/s on 2 shards, three times as fast for the first 10 s of
/// every minute: 900 records/s then, in ceil(900 / 500) = 2 calls of 450 a second;
/// 300 in one call the other 50 s.
const SURGING: &str = r#"{"producers": [{"name": "p", "instances": 1, "records_per_sec": 300,
    "shape": {"type": "surge", "every_s": 60, "duration_s": 10, "multiplier": 3}}],
    "consumers": []}"#;

/// The IncomingRecords of each row of a run of `config` for 3 minutes, by `stat`.
fn incoming(stat: &str) -> Vec<f64> {
    let path = temp_config(&format!("cloudwatch-{stat}"), SURGING.as_bytes());
    let (code, out, err) = cli(&[
        "run",
        "--config",
        &path,
        "--duration",
        "3m",
        "--period",
        "60",
        "--stat",
        stat,
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let at = header
        .iter()
        .position(|c| *c == "IncomingRecords")
        .unwrap_or_else(|| panic!("{header:?}"));
    lines
        .map(|l| {
            l.split(',')
                .nth(at)
                .unwrap_or_default()
                .parse()
                .unwrap_or(f64::NAN)
        })
        .collect()
}

#[test]
fn each_statistic_is_cloudwatchs_over_the_period() {
    // A minute: 10 × 900 + 50 × 300 = 24,000 records in 10 × 2 + 50 = 70 calls.
    assert_eq!(incoming("Sum"), [24_000.0; 3]);
    assert_eq!(incoming("SampleCount"), [70.0; 3]);
    for average in incoming("Average") {
        assert!((average - 24_000.0 / 70.0).abs() < 1e-9, "{average}");
    }
    // Records split over two shards round per shard: a second may carry one more or
    // one fewer.
    for most in incoming("Maximum") {
        assert!((450.0..=451.0).contains(&most), "{most}");
    }
    for least in incoming("Minimum") {
        assert!((299.0..=300.0).contains(&least), "{least}");
    }
    // The 1-minute Sum ÷ 60 is 400 records/s: the 900 of the burst seconds is hidden.
    assert_eq!(incoming("Sum")[0] / 60.0, 400.0);
}

#[test]
fn an_unknown_statistic_says_which_there_are() {
    let (code, _, err) = cli(&["run", "--preset", "healthy", "--stat", "p99"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "kinesis-sim: invalid value 'p99' for '--stat <STAT>': takes Sum, Average, Maximum, \
         Minimum or SampleCount; see kinesis-sim run --help\n"
    );
}
