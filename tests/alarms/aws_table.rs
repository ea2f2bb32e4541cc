//! The law: every row of the evaluation tables of the CloudWatch user guide's "Using
//! Amazon CloudWatch alarms" page (AlarmThatSendsEmail.html, "How alarm state is
//! evaluated when data is missing"), under every treatment of missing data. Evaluation
//! range 5, N = 3; M = 3 in the first table, 2 in the second. "Retain current state" is
//! checked from each of the three states. Rows marked 2019 are from that year's version
//! of the page, which the 2023 version shortened.

use kinesis_playground::model::alarm::{evaluate, Alarm, AlarmSpec, AlarmState, MissingData};

use AlarmState::{Alarm as A, InsufficientData as I, Ok as O};

/// What a table cell says.
#[derive(Clone, Copy)]
enum Cell {
    Is(AlarmState),
    Retain,
}
use Cell::{Is, Retain as R};

/// `0 - X - X` (oldest first) → datapoints.
fn points(row: &str) -> Vec<Option<bool>> {
    row.split_whitespace()
        .map(|p| match p {
            "0" => Some(false),
            "X" => Some(true),
            _ => None,
        })
        .collect()
}

/// Columns: MISSING, IGNORE, BREACHING, NOT BREACHING.
const TREATMENTS: [MissingData; 4] = [
    MissingData::Missing,
    MissingData::Ignore,
    MissingData::Breaching,
    MissingData::NotBreaching,
];

fn check(m: u32, rows: &[(&str, [Cell; 4])]) {
    for (row, cells) in rows {
        for (treatment, cell) in TREATMENTS.iter().zip(cells) {
            for current in [O, A, I] {
                let (got, _) = evaluate(&points(row), m, 3, *treatment, current);
                let want = match cell {
                    Is(s) => *s,
                    R => current,
                };
                assert_eq!(got, want, "{m}/3 `{row}` {treatment} from {current}");
            }
        }
    }
}

#[test]
fn three_out_of_three() {
    check(
        3,
        &[
            ("0 - X - X", [Is(O), Is(O), Is(O), Is(O)]),
            ("0 - - - -", [Is(O), Is(O), Is(O), Is(O)]),
            ("- - - - -", [Is(I), R, Is(A), Is(O)]),
            ("0 X X - X", [Is(A), Is(A), Is(A), Is(A)]),
            ("- - X - -", [Is(A), R, Is(A), Is(O)]),
            // 2019
            ("- - - - X", [Is(I), R, Is(A), Is(O)]),
            ("X - - - -", [Is(A), R, Is(A), Is(O)]),
        ],
    );
}

#[test]
fn two_out_of_three() {
    check(
        2,
        &[
            ("0 - X - X", [Is(A), Is(A), Is(A), Is(A)]),
            ("0 0 X 0 X", [Is(A), Is(A), Is(A), Is(A)]),
            ("0 - X - -", [Is(O), Is(O), Is(A), Is(O)]),
            ("- - - - 0", [Is(O), Is(O), Is(A), Is(O)]),
            ("- - - X -", [Is(A), R, Is(A), Is(O)]),
            // 2019
            ("- - - - X", [Is(I), R, Is(A), Is(O)]),
        ],
    );
}

#[test]
fn the_premature_alarm_rule_waits_for_m_periods() {
    // "- - - - X" and "- - - X -" with M = 3 are not ALARM yet; "- - X - -" is.
    let at = |row: &str| evaluate(&points(row), 3, 3, MissingData::Missing, O).0;
    assert_eq!(at("- - - - X"), I);
    assert_eq!(at("- - - X -"), I);
    assert_eq!(at("- - X - -"), A);
    // The next datapoint within the threshold makes it OK instead.
    assert_eq!(at("- - - X 0"), O);
}

/// Feeds one datapoint a minute (NaN: missing) to a 1-minute alarm.
fn feed(spec: &str, values: &[f64]) -> Vec<(u64, AlarmState)> {
    let spec: AlarmSpec = spec.parse().unwrap_or_else(|e| panic!("{e}"));
    let mut alarm = Alarm::new(spec);
    for (i, v) in values.iter().enumerate() {
        alarm.push_tick((i as u64 + 1) * 60_000, *v, None);
    }
    alarm
        .transitions()
        .map(|t| (t.t_ms / 60_000, t.to))
        .collect()
}

#[test]
fn the_table_rows_happen_in_time_as_datapoints_stop() {
    let n = f64::NAN;
    // Row 2 then row 3 of the first table: a last datapoint within the threshold, then
    // nothing. With `breaching` the alarm stays OK while that datapoint is in the range
    // of 5, and goes to ALARM the period it leaves; `missing` goes to
    // INSUFFICIENT_DATA then; `notBreaching` stays OK; `ignore` keeps OK.
    let values = [1.0, 1.0, 1.0, n, n, n, n, n, n];
    let spec = |t: &str| format!("IncomingRecords Sum 1m > 5 3/3 {t}");
    assert_eq!(feed(&spec("breaching"), &values), [(1, O), (8, A)]);
    assert_eq!(feed(&spec("missing"), &values), [(1, O), (8, I)]);
    assert_eq!(feed(&spec("notBreaching"), &values), [(1, O)]);
    assert_eq!(feed(&spec("ignore"), &values), [(1, O)]);
    // 2 of 3 breaching ones among real datapoints: ALARM, then OK when two are within.
    let values = [9.0, 1.0, 9.0, 1.0, 1.0];
    let two = "IncomingRecords Sum 1m > 5 2/3 missing";
    assert_eq!(feed(two, &values), [(2, O), (3, A), (4, O)], "{two}");
}

#[test]
fn a_transition_says_why_as_cloudwatch_does() {
    let spec: AlarmSpec = "WriteProvisionedThroughputExceeded Sum 1m > 0 2/3 notBreaching"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut alarm = Alarm::new(spec);
    for (i, v) in [0.0, 1_234.0, 5.0].iter().enumerate() {
        alarm.push_tick((i as u64 + 1) * 60_000, *v, None);
    }
    let reasons: Vec<&str> = alarm.transitions().map(|t| t.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "Threshold Crossed: 0 of the last 3 datapoints were greater than the threshold (0) (2 missing, treated as not breaching): fewer than the 2 needed for ALARM. Latest: 0 at 00:00.",
            "Threshold Crossed: 2 of the last 3 datapoints were greater than the threshold (0); 2 needed for ALARM. Latest: 5 at 00:02.",
        ]
    );
}

#[test]
fn a_premature_alarm_says_how_old_its_breaching_datapoint_is() {
    // One breaching datapoint, then nothing: not ALARM at 1 and 2 min (too recent for
    // M = 3), ALARM at 3 min when it is 3 periods old.
    let spec: AlarmSpec = "IncomingRecords Sum 1m > 5 3/3 missing"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut alarm = Alarm::new(spec);
    for (i, v) in [9.0, f64::NAN, f64::NAN].iter().enumerate() {
        alarm.push_tick((i as u64 + 1) * 60_000, *v, None);
    }
    let changes: Vec<(u64, AlarmState, &str)> = alarm
        .transitions()
        .map(|t| (t.t_ms / 60_000, t.to, t.reason.as_str()))
        .collect();
    assert_eq!(
        changes,
        [(
            3,
            A,
            "Threshold Crossed: the oldest breaching datapoint is 3 periods old, at least the 3 datapoints to alarm, and none since was within the threshold (5). Latest: 9 at 00:00."
        )]
    );
}
