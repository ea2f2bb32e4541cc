//! Ready-made configs that teach: a healthy baseline and the classic failure scenarios,
//! each with a question, what to watch, an explanation and a fix to apply.

use serde_json::{json, Value};

use super::config::Config;
use super::error::ConfigError;
use super::path::set_paths;

/// A named config with its lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// Short name used on the command line and in URLs.
    pub name: &'static str,
    /// One line saying what the preset shows.
    pub summary: &'static str,
    /// Heading for the page.
    pub title: &'static str,
    /// The question a learner should be able to answer after watching.
    pub question: &'static str,
    /// Which charts and lines to watch.
    pub watch: &'static str,
    /// The answer: what happens and why, and the remedy.
    pub explanation: &'static str,
    /// Button text of the fix ("" when there is nothing to fix).
    pub fix_label: &'static str,
    /// The settings.
    pub config: Config,
    fix: &'static [(&'static str, &'static str)],
}

impl Preset {
    /// The edits the fix makes: dotted config paths and their new JSON values.
    pub fn fix(&self) -> Vec<(&'static str, Value)> {
        self.fix
            .iter()
            .filter_map(|(path, value)| Some((*path, serde_json::from_str(value).ok()?)))
            .collect()
    }

    /// `config` with the fix applied.
    pub fn fixed(&self, config: &Config) -> Result<Config, ConfigError> {
        let fix = self.fix();
        set_paths(config, fix.iter().map(|(path, value)| (*path, value)))
    }
}

/// Every preset, in teaching order.
pub fn all() -> Vec<Preset> {
    PRESETS
        .iter()
        .filter_map(|l| {
            Some(Preset {
                name: l.name,
                summary: l.summary,
                title: l.title,
                question: l.question,
                watch: l.watch,
                explanation: l.explanation,
                fix_label: l.fix_label,
                config: serde_json::from_value((l.config)()).ok()?,
                fix: l.fix,
            })
        })
        .collect()
}

/// The preset called `name`.
pub fn find(name: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.name == name)
}

struct Lesson {
    name: &'static str,
    summary: &'static str,
    title: &'static str,
    question: &'static str,
    watch: &'static str,
    explanation: &'static str,
    fix_label: &'static str,
    fix: &'static [(&'static str, &'static str)],
    config: fn() -> Value,
}

const PRESETS: &[Lesson] = &[
    Lesson {
        name: "healthy",
        summary: "A stream sized for its load: no throttling, no loss, consumers caught up.",
        title: "A healthy baseline",
        question: "What does a stream sized for its load look like?",
        watch: "Incoming stays under the write limit, the iterator age of every consumer stays within a few seconds, and no line in the loss chart leaves zero.",
        explanation: "Four shards take 4,000 records/s and 4 MiB/s; the producers offer 2,000 records/s of 512 bytes, so each shard runs at about half its write limit. The Lambda function finishes a 100-record batch in 120 ms, far faster than records arrive, and the ECS tasks have more capacity than their leases need. Nothing waits, so nothing ages and nothing is lost. Use it to compare against the other scenarios.",
        fix_label: "",
        fix: &[],
        config: || {
            json!({
                "stream": {"shards": 4, "retention_hours": 24},
                "producers": [{"name": "orders", "instances": 4, "records_per_sec": 500,
                               "record_bytes": 512, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda", "batch_size": 100, "ms_per_record": 1},
                    {"type": "kcl", "name": "ecs", "tasks": 4, "records_per_sec_per_task": 1500}
                ]
            })
        },
    },
    Lesson {
        name: "scenario-1",
        summary: "A consumer slower than its producers: iterator age climbs to the retention and records expire.",
        title: "Lost data from a high iterator age",
        question: "The iterator age sits at about 86,400,000 ms on a stream with one day of retention. Are records being lost?",
        watch: "Iterator age against the dashed retention line, then the expired line in the loss chart.",
        explanation: "Producers write 1,000 records/s into two shards, but the Lambda function needs 400 ms per 100-record batch, so each shard is read at half the speed it is written. The iterator age grows by half a second every second. When it reaches the 24 h retention, the oldest unread records are deleted before the function gets to them: they are counted as expired, and they are gone. Longer retention only postpones the moment; the cure is a consumer that keeps up — a faster function, a higher parallelization factor, or more shards to read in parallel.",
        fix_label: "Make the function 4× faster (1 ms per record)",
        fix: &[("consumers.lambda.ms_per_record", "1")],
        config: || {
            json!({
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "clicks", "instances": 2, "records_per_sec": 500,
                               "record_bytes": 512, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda", "batch_size": 100,
                     "invocation_overhead_ms": 20, "ms_per_record": 3.8}
                ]
            })
        },
    },
    Lesson {
        name: "scenario-2",
        summary: "Producers burst above two shards' write limit: throttling and retries with backoff.",
        title: "Write throughput exceeded",
        question: "WriteProvisionedThroughputExceeded shows up every fifteen minutes. Are records being lost, and does it hurt the consumers?",
        watch: "The throttled line during each burst, the producer drops (none while the retries keep up), and the iterator age, which barely moves.",
        explanation: "Two shards accept 2,000 records/s. The producers send 1,400 records/s, and for 20 s in every 15 min about 2,500. During a burst each shard takes what its limit allows and throttles the rest. A PutRecords call with throttled entries still returns HTTP 200: it reports FailedRecordCount and an error code per failed entry, and the AWS SDKs do not retry those entries, so the application (or the KPL) has to send them again. The preset's retry settings stand for that resend loop in the producer: up to 10 attempts per record, each wait drawn at random up to 1 s, 2 s, 4 s and so on, at most 20 s. The bursts are short, so every throttled record lands a little later and nothing is lost; the consumers only ever see accepted records and stay caught up. Throttling here is a producer-side matter. If the bursts lasted longer or the loop gave up sooner, records would be dropped before reaching the stream; more shards remove the throttling.",
        fix_label: "Double the shards (2 → 4)",
        fix: &[("stream.shards", "4")],
        config: || {
            json!({
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "sensors", "instances": 4, "records_per_sec": 350,
                               "record_bytes": 512, "distinct_keys": 5000,
                               "shape": {"type": "surge", "every_s": 900, "duration_s": 20, "multiplier": 1.8},
                               "retry": {"max_attempts": 10}}],
                "consumers": [{"type": "lambda", "name": "lambda", "ms_per_record": 0.5}]
            })
        },
    },
    Lesson {
        name: "scenario-3",
        summary: "Lambda and ECS read the same stream; it grows from 2 to 10 shards, traffic grows fivefold, and two ECS tasks fall behind.",
        title: "Lambda and ECS on the same stream",
        question: "Both a Lambda function and two ECS tasks read the stream. Do they split the records between them, and what happens when the stream grows to 10 shards?",
        watch: "Processed records of both consumers (each gets all of them), Lambda concurrency after the reshard at 1 h, and the ECS iterator age once traffic grows at 2 h.",
        explanation: "They split nothing: each consumer application reads every shard, so the Lambda function and the ECS application both process every record. At 1 h the stream goes from 2 to 10 shards (UpdateShardCount at most doubles per step: 2 → 4 → 8 → 10, done about six minutes later), and at 2 h the producers raise their traffic from 1,000 to 5,000 records/s, which 10 shards take without throttling. Lambda's event source mapping polls each new shard as soon as its parent is read, so its concurrency follows the shard count from 2 to 10 and it keeps up. The ECS service still runs 2 tasks, with no autoscaling. KCL hands out all 10 leases, 5 per task, but a task processes at most 1,000 records/s, so the two handle 2,000 of the 5,000 records arriving each second. The ECS iterator age climbs by about 0.6 s every second, reaches the 24 h retention some 39 hours after the traffic grew, and from then on records expire before ECS reads them. When shards are added for more traffic, the consumers have to grow with them: let ECS autoscale or run more tasks.",
        fix_label: "Autoscale ECS: 2 to 10 tasks, 500 records/s per task",
        fix: &[
            ("consumers.ecs.autoscaling.enabled", "true"),
            ("consumers.ecs.autoscaling.min_tasks", "2"),
            ("consumers.ecs.autoscaling.max_tasks", "10"),
            ("consumers.ecs.autoscaling.target_records_per_task", "500"),
        ],
        config: || {
            json!({
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "events", "instances": 4, "records_per_sec": 250,
                               "record_bytes": 512, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda"},
                    {"type": "kcl", "name": "ecs", "tasks": 2, "records_per_sec_per_task": 1000}
                ],
                "events": [
                    {"at_s": 3600, "set": {"stream.shards": 10}},
                    {"at_s": 7200, "set": {"producers.events.records_per_sec": 1250}}
                ]
            })
        },
    },
    Lesson {
        name: "scenario-4",
        summary: "Writes at the shard limit and consumers at the read limit: latency and iterator age rise.",
        title: "High latency with the write limit maxed",
        question: "Incoming data is above the shards' limit and reads are at their ceiling. What is happening to the consumers?",
        watch: "Incoming above 100 % of the write limit, read throughput at the shared 2 MiB/s per shard, ReadProvisionedThroughputExceeded, and iterator ages creeping up.",
        explanation: "Producers offer 2,400 records/s of 1 KB to two shards that accept 2,000: writes are throttled. Three standard consumers share each shard's 2 MiB/s of reads, but together they want about 3 MB/s per shard, so GetRecords calls are throttled, each consumer gets a slice of the budget, and reading lags behind writing: iterator ages and latency grow even though every consumer could process faster. More shards raise both the write and the read limits; enhanced fan-out would give each consumer its own 2 MiB/s.",
        fix_label: "Double the shards (2 → 4)",
        fix: &[("stream.shards", "4")],
        config: || {
            json!({
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "logs", "instances": 4, "records_per_sec": 600,
                               "record_bytes": 1000, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda", "batch_size": 1000, "ms_per_record": 0.2},
                    {"type": "kcl", "name": "ecs", "tasks": 2, "records_per_sec_per_task": 5000},
                    {"type": "kcl", "name": "audit", "tasks": 2, "records_per_sec_per_task": 5000}
                ]
            })
        },
    },
    Lesson {
        name: "hot-key",
        summary: "One partition key carries most records: one shard throttles while the others idle.",
        title: "One hot partition key",
        question: "The stream has four shards and room to spare on average, yet writes are throttled. Why?",
        watch: "The per-shard strip (one shard at its limit, the others idle) and the throttled line.",
        explanation: "Records are routed to shards by the MD5 hash of their partition key. Here fifty keys carry the traffic with a steep Zipf skew, so one key carries most records — and one key always lands on one shard. That shard is at its 1,000 records/s limit while the others wait. Adding shards does not help: the hot key still maps to a single shard. Spreading the writes over many more distinct keys does.",
        fix_label: "Use 10,000 evenly used keys",
        fix: &[("producers.tenants.distinct_keys", "10000"), ("producers.tenants.key_skew", "0")],
        config: || {
            json!({
                "stream": {"shards": 4, "retention_hours": 24},
                "producers": [{"name": "tenants", "instances": 4, "records_per_sec": 500,
                               "record_bytes": 512, "distinct_keys": 50, "key_skew": 2.0}],
                "consumers": [{"type": "lambda", "name": "lambda"}]
            })
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_validates_and_its_fix_applies() {
        let presets = all();
        assert_eq!(presets.len(), PRESETS.len());
        for p in presets {
            p.config
                .validate()
                .unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert_eq!(
                p.fix().len(),
                p.fix.len(),
                "{}: a fix value is not JSON",
                p.name
            );
            let fixed = p
                .fixed(&p.config)
                .unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert_eq!(fixed == p.config, p.fix.is_empty(), "{}", p.name);
        }
    }
}
