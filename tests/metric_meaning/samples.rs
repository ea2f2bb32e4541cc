//! What one sample is, as CloudWatch takes it: one per GetRecords call for
//! `GetRecords.Success` and `ReadProvisionedThroughputExceeded` (1 or 0), one per
//! invocation for Lambda's `Invocations` and `Errors`; and no datapoint at all for a
//! metric with nothing to sample.

use super::common::watch::Watched;
use kinesis_playground::model::cloudwatch::Statistic;
use kinesis_playground::model::series::Sampler;
use kinesis_playground::model::Config;

/// One-minute datapoints of every column with every statistic.
struct Minutes {
    columns: Vec<String>,
    /// Per statistic (in [`Statistic::ALL`] order), one row per minute.
    rows: Vec<Vec<Vec<f64>>>,
}

impl Minutes {
    /// `minutes` minutes of `json`.
    fn of(json: &str, minutes: u64) -> Minutes {
        let config = Config::from_json(json).unwrap_or_else(|e| panic!("{e}\n{json}"));
        let names: Vec<String> = config.consumers.iter().map(|c| c.name().into()).collect();
        let mut samplers: Vec<Sampler> = Statistic::ALL
            .iter()
            .map(|&s| Sampler::with_statistic(&names, s))
            .collect();
        let mut sim = Watched::new(config);
        let mut rows = vec![Vec::new(); samplers.len()];
        while sim.now_ms() < minutes * 60_000 {
            sim.step();
            for (sampler, rows) in samplers.iter_mut().zip(&mut rows) {
                sampler.add(sim.metrics(), names.iter().map(String::as_str));
                if sim.now_ms().is_multiple_of(60_000) {
                    rows.push(sampler.flush().expect("a minute").to_vec());
                }
            }
        }
        Minutes {
            columns: samplers[0].columns.clone(),
            rows,
        }
    }

    /// Column `name`'s datapoint with `stat` in minute `minute` (0-based); NaN: none.
    fn get(&self, name: &str, stat: Statistic, minute: usize) -> f64 {
        let c = self
            .columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column {name}"));
        let s = Statistic::ALL.iter().position(|&s| s == stat).unwrap_or(0);
        self.rows[s][minute][c]
    }

    /// The five statistics of `name` in minute `minute`: Sum, Average, Maximum,
    /// Minimum, SampleCount.
    fn all(&self, name: &str, minute: usize) -> [f64; 5] {
        Statistic::ALL.map(|s| self.get(name, s, minute))
    }
}

#[test]
fn a_get_records_call_is_one_sample_of_success_and_of_refusal() {
    // A healthy KCL application polling its 4 shards every 1.5 s: 40 calls a shard a
    // minute, 160 in all, every one answered.
    let run = Minutes::of(
        r#"{"stream": {"shards": 4},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 400,
                           "record_bytes": 2000, "distinct_keys": 4000}],
            "consumers": [{"type": "kcl", "name": "ecs", "tasks": 4,
                           "poll_interval_ms": 1500}]}"#,
        5,
    );
    for minute in 1..5 {
        assert_eq!(
            run.all("GetRecords.Success", minute),
            [160.0, 1.0, 1.0, 1.0, 160.0],
            "minute {minute}"
        );
        assert_eq!(
            run.all("ReadProvisionedThroughputExceeded", minute),
            [0.0, 0.0, 0.0, 0.0, 160.0]
        );
    }

    // Three applications polling one shard every 200 ms ask 15 calls a second of a
    // shard that answers 5: a minute has 900 calls, 300 answered and 600 refused.
    let run = Minutes::of(super::THREE_FAST_POLLERS, 4);
    let mut returned = 0.0;
    for minute in 1..4 {
        let [sum, avg, max, min, count] = run.all("GetRecords.Success", minute);
        assert_eq!((sum, max, min, count), (300.0, 1.0, 0.0, 900.0));
        assert!((avg - 1.0 / 3.0).abs() < 1e-9, "{avg}");
        let [sum, avg, max, min, count] = run.all("ReadProvisionedThroughputExceeded", minute);
        assert_eq!((sum, max, min, count), (600.0, 1.0, 0.0, 900.0));
        assert!((avg - 2.0 / 3.0).abs() < 1e-9, "{avg}");
        // What an answered call returned is its own sample; refused calls are none.
        let [sum, avg, _, _, count] = run.all("GetRecords.Records", minute);
        assert_eq!((avg, count), (sum / 300.0, 300.0));
        returned += sum;
    }
    // Each application reads every record once: 3 × 6,000 records a minute, 3 minutes.
    assert!((returned - 3.0 * 18_000.0).abs() <= 600.0, "{returned}");
}

#[test]
fn a_lambda_invocation_is_one_sample_of_invocations_and_of_errors() {
    // One shard, 200 records/s, batches of 100 every second's poll: a batch fails one
    // time in five and is retried whole until it succeeds (the default retries).
    let run = Minutes::of(
        r#"{"stream": {"shards": 1},
            "producers": [{"name": "p", "instances": 1, "records_per_sec": 200}],
            "consumers": [{"type": "lambda", "name": "fn", "batch_size": 100,
                           "error_rate": 0.2}]}"#,
        30,
    );
    let (mut errors, mut ended) = (0.0, 0.0);
    for minute in 1..30 {
        let [sum, avg, max, min, count] = run.all("fn.Invocations", minute);
        assert_eq!((avg, max, min), (1.0, 1.0, 1.0), "each sample is one");
        assert_eq!(sum, count);
        // 12,000 records a minute in batches of 100: 120 invocations, and a retry for
        // each failed one.
        assert!((120.0..=170.0).contains(&sum), "{sum}");
        let [e_sum, e_avg, e_max, e_min, e_count] = run.all("fn.Errors", minute);
        assert_eq!((e_max, e_min), (1.0, 0.0));
        assert!((e_avg - e_sum / e_count).abs() < 1e-12);
        assert!(
            (e_count - sum).abs() <= 2.0,
            "{e_count} ended vs {sum} started"
        );
        errors += e_sum;
        ended += e_count;
    }
    // Errors per invocation: the error rate (29 minutes of ~150 invocations: ±0.03 is
    // over four standard deviations).
    let rate = errors / ended;
    assert!((rate - 0.2).abs() < 0.03, "{rate}");
}

#[test]
fn a_metric_with_nothing_to_sample_has_no_datapoint() {
    // Nothing is produced: the function is never invoked, so Lambda publishes none of
    // its metrics; the KCL application still polls, so GetRecords.* are there (empty
    // answers); nobody subscribes, so SubscribeToShardEvent.* have no datapoint.
    let run = Minutes::of(
        r#"{"stream": {"shards": 2},
            "producers": [],
            "consumers": [{"type": "lambda", "name": "fn"},
                          {"type": "kcl", "name": "ecs", "tasks": 2, "poll_interval_ms": 1500}]}"#,
        3,
    );
    for minute in 0..3 {
        for stat in Statistic::ALL {
            for metric in [
                "fn.Invocations",
                "fn.Errors",
                "fn.Throttles",
                "fn.ConcurrentExecutions",
                "fn.IteratorAge",
                "ecs.SubscribeToShardEvent.Records",
                "fn.SubscribeToShardEvent.Bytes",
                "subscribe_records",
            ] {
                assert!(run.get(metric, stat, minute).is_nan(), "{metric} {stat}");
            }
        }
        // Two shards polled every 1.5 s by the application and every second by the
        // function's poller: 2 × (40 + 60) calls, all answered with nothing.
        assert_eq!(
            run.all("GetRecords.Success", minute),
            [200.0, 1.0, 1.0, 1.0, 200.0]
        );
        assert_eq!(run.get("GetRecords.Records", Statistic::Sum, minute), 0.0);
    }
}

#[test]
fn a_caught_up_application_is_zero_behind_though_its_last_record_has_an_age() {
    // Polling every 1.5 s, each response returns everything up to the tip: the KCL's
    // MillisBehindLatest is 0 (caught up), while GetRecords.IteratorAgeMilliseconds is
    // the age of the last record returned, a few ms to under the 1.5 s between polls.
    let json = |per_task: u32, per_call: u32| {
        format!(
            r#"{{"stream": {{"shards": 2}},
                "producers": [{{"name": "p", "instances": 1, "records_per_sec": 200}}],
                "consumers": [{{"type": "kcl", "name": "ecs", "tasks": 2, "poll_interval_ms": 1500,
                               "records_per_sec_per_task": {per_task},
                               "max_records_per_call": {per_call}}}]}}"#
        )
    };
    let run = Minutes::of(&json(5_000, 10_000), 4);
    for minute in 1..4 {
        assert_eq!(
            run.get("ecs.MillisBehindLatest", Statistic::Maximum, minute),
            0.0
        );
        let age = run.get(
            "GetRecords.IteratorAgeMilliseconds",
            Statistic::Maximum,
            minute,
        );
        assert!(age > 0.0 && age < 1_500.0, "{age}");
    }
    // Processing 60 records/s a shard of the 100 that arrive: once the prefetch buffer
    // (3 calls of 200) is full, responses stop short of the tip and the application
    // falls 0.4 s further behind each second: about 45 s by the end of minute 2.
    let run = Minutes::of(&json(60, 200), 4);
    let behind: Vec<f64> = (1..4)
        .map(|m| run.get("ecs.MillisBehindLatest", Statistic::Maximum, m))
        .collect();
    assert!(
        behind[0] > 20_000.0 && behind[0] < behind[1] && behind[1] < behind[2],
        "{behind:?}"
    );
}
