//! Ready-made configs that teach: a healthy baseline and the classic failure scenarios,
//! each with a question, what to watch, an explanation and a fix to apply.

use serde_json::{json, Value};

use crate::model::config::Config;
use crate::model::error::ConfigError;
use crate::model::path::set_paths;

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
    /// What the fix changed, said once it is applied ("" without a fix).
    pub after_fix: &'static str,
    /// What to watch after the fix ("" without a fix).
    pub watch_after_fix: &'static str,
    /// The settings.
    pub config: Config,
    fix: Vec<(&'static str, Value)>,
}

impl Preset {
    /// The edits the fix makes: dotted config paths and their new JSON values.
    pub fn fix(&self) -> Vec<(&'static str, Value)> {
        self.fix.clone()
    }

    /// `config` with the fix applied.
    pub fn fixed(&self, config: &Config) -> Result<Config, ConfigError> {
        set_paths(config, self.fix.iter().map(|(path, value)| (*path, value)))
    }
}

/// Every preset, in teaching order.
///
/// # Panics
///
/// If a preset's settings do not make a config: the presets are fixed text, and a test
/// builds and validates every one of them.
pub fn all() -> Vec<Preset> {
    PRESETS
        .iter()
        .map(|l| Preset {
            name: l.name,
            summary: l.summary,
            title: l.title,
            question: l.question,
            watch: l.watch,
            explanation: l.explanation,
            fix_label: l.fix_label,
            after_fix: l.after_fix,
            watch_after_fix: l.watch_after_fix,
            config: crate::model::config::json_value(l.config)
                .and_then(|v| crate::model::config::typed(&v))
                .unwrap_or_else(|e| panic!("preset {}: {e}", l.name)),
            fix: (l.fix)(),
        })
        .collect()
}

/// The preset called `name`.
pub fn find(name: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.name == name)
}

/// A preset as written: its text, its settings as JSON and its fix.
struct Lesson {
    name: &'static str,
    summary: &'static str,
    title: &'static str,
    question: &'static str,
    watch: &'static str,
    explanation: &'static str,
    fix_label: &'static str,
    after_fix: &'static str,
    watch_after_fix: &'static str,
    /// Dotted config paths and their new values.
    fix: fn() -> Vec<(&'static str, Value)>,
    /// The settings as JSON text.
    config: &'static str,
}

const PRESETS: &[Lesson] = &[
    Lesson {
        name: "healthy",
        summary: "A stream sized for its load: no throttling, no loss, consumers caught up.",
        title: "A healthy baseline",
        question: "What does a stream sized for its load look like?",
        watch: "Incoming stays under the write limit, the iterator age of every consumer stays within a few seconds, and no line in the loss chart leaves zero.",
        explanation: "Four shards accept 4,000 records/s and 4 MiB/s. The producers send 2,000 records/s of 512 bytes, so each shard runs at about half its write limit. The Lambda function handles a 100-record batch in 120 ms (20 ms + 100 × 1 ms), far quicker than records arrive, and the 4 ECS tasks, one lease each, can process 6,000 records/s between them. Nothing queues up, so iterator ages stay near zero and every record reaches every consumer. Keep it as the picture to compare the other scenarios against.",
        fix_label: "",
        after_fix: "",
        watch_after_fix: "",
        fix: Vec::new,
        config: r#"{
                "stream": {"shards": 4, "retention_hours": 24},
                "producers": [{"name": "orders", "instances": 4, "records_per_sec": 500,
                               "record_bytes": 512, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda", "batch_size": 100, "ms_per_record": 1},
                    {"type": "kcl", "name": "ecs", "tasks": 4, "records_per_sec_per_task": 1500}
                ]
            }"#,
    },
    Lesson {
        name: "scenario-1",
        summary: "A consumer slower than its producers: iterator age climbs to the retention and records expire.",
        title: "Lost data from a high iterator age",
        question: "The iterator age sits at about 86,400,000 ms on a stream with one day of retention. Are records being lost?",
        watch: "Iterator age against the dashed retention line, then the expired line in the loss chart.",
        explanation: "Two shards take in 1,000 records/s, 500 each. The Lambda function needs 400 ms for a 100-record batch (20 ms + 100 × 3.8 ms) and runs one batch at a time per shard, so it gets through 250 records/s per shard: half of what arrives. The iterator age therefore grows by half a second every second. After about 48 hours it reaches the 24 h retention, and from then on the oldest records leave the stream before the function reads them: they are counted as expired, and they are gone for good. More retention only moves that moment later. The cure is a consumer that keeps up: a faster function, a higher parallelization factor, or more shards for more concurrent batches.",
        fix_label: "Cut the function's time per record from 3.8 ms to 1 ms",
        after_fix: "The function now takes 1 ms per record: a 100-record batch takes 120 ms, so each shard's batches get through about 830 records/s, well above the 500 that arrive.",
        watch_after_fix: "The iterator age stops climbing at once and falls back. The backlog shrinks by about 330 records/s per shard, so it drains in about one and a half times the age it had reached. Records that already expired stay lost.",
        fix: || vec![("consumers.lambda.ms_per_record", json!(1))],
        config: r#"{
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "clicks", "instances": 2, "records_per_sec": 500,
                               "record_bytes": 512, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda", "batch_size": 100,
                     "invocation_overhead_ms": 20, "ms_per_record": 3.8}
                ]
            }"#,
    },
    Lesson {
        name: "scenario-2",
        summary: "Producers burst above two shards' write limit: throttled records are resent with backoff and land.",
        title: "Write throughput exceeded",
        question: "WriteProvisionedThroughputExceeded shows up every fifteen minutes. Are records being lost, and does it hurt the consumers?",
        watch: "The throttled line during each burst, the producer drops (none while the retries keep up), and the iterator age, which barely moves.",
        explanation: "Two shards accept 2,000 records/s. The producers send 1,400 records/s, and for 20 s in every 15 min about 2,500. During a burst each shard takes what its limit allows and throttles the rest. A PutRecords call with throttled entries still returns HTTP 200: it reports FailedRecordCount and an error code per failed entry, and the AWS SDKs do not retry those entries, so the application (or the KPL) has to send them again. The preset's retry settings stand for that resend loop in the producer: up to 10 attempts per record, each wait drawn at random up to 1 s, 2 s, 4 s and so on, at most 20 s. The bursts are short, so every throttled record lands a little later and nothing is lost; the consumers only ever see accepted records and stay caught up. Throttling here is a producer-side matter. If the bursts lasted longer or the loop gave up sooner, records would be dropped before reaching the stream; more shards remove the throttling.",
        fix_label: "Double the shards (2 → 4)",
        after_fix: "UpdateShardCount doubles the stream to 4 shards. The step takes about two minutes; after it the stream accepts 4,000 records/s, more than the 2,500 of a burst.",
        watch_after_fix: "Once the reshard is done, the next bursts pass without a single throttled record: the WriteProvisionedThroughputExceeded line stays at zero, and so does the retry traffic.",
        fix: || vec![("stream.shards", json!(4))],
        config: r#"{
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "sensors", "instances": 4, "records_per_sec": 350,
                               "record_bytes": 512, "distinct_keys": 5000,
                               "shape": {"type": "surge", "every_s": 900, "duration_s": 20, "multiplier": 1.8},
                               "retry": {"max_attempts": 10}}],
                "consumers": [{"type": "lambda", "name": "lambda", "ms_per_record": 0.5}]
            }"#,
    },
    Lesson {
        name: "scenario-3",
        summary: "Lambda and ECS read the same stream; it grows from 2 to 10 shards, traffic grows fivefold, and two ECS tasks fall behind.",
        title: "Lambda and ECS on the same stream",
        question: "Both a Lambda function and two ECS tasks read the stream. Do they split the records between them, and what happens when the stream grows to 10 shards?",
        watch: "Processed records of both consumers (each gets all of them), Lambda concurrency after the reshard at 1 h, and the ECS iterator age once traffic grows at 2 h.",
        explanation: "They split nothing: each consumer application reads every shard, so the Lambda function and the ECS application both process every record. At 1 h the stream goes from 2 to 10 shards (UpdateShardCount at most doubles per step: 2 → 4 → 8 → 10, done about six minutes later), and at 2 h the producers raise their traffic from 1,000 to 5,000 records/s, which 10 shards take without throttling. Lambda's event source mapping polls each new shard as soon as its parent is read, so its concurrency follows the shard count from 2 to 10 and it keeps up. The ECS service still runs 2 tasks, with no autoscaling. KCL hands out all 10 leases, 5 per task, but a task processes at most 1,000 records/s, so the two handle 2,000 of the 5,000 records arriving each second. The ECS iterator age climbs by about 0.6 s every second, reaches the 24 h retention some 39 hours after the traffic grew, and from then on records expire before ECS reads them. When shards are added for more traffic, the consumers have to grow with them: let ECS autoscale or run more tasks.",
        fix_label: "Autoscale ECS from 2 to 10 tasks at 500 records/s per task",
        after_fix: "ECS now autoscales between 2 and 10 tasks, aiming at 500 incoming records/s per task: with 5,000 records/s arriving that means 10 tasks, one per shard.",
        watch_after_fix: "The ECS task count grows with the traffic and the ECS iterator age turns down, back to seconds in roughly the time it took to build up. Lambda was never behind and stays as it was.",
        fix: || {
            vec![
                ("consumers.ecs.autoscaling.enabled", json!(true)),
                ("consumers.ecs.autoscaling.min_tasks", json!(2)),
                ("consumers.ecs.autoscaling.max_tasks", json!(10)),
                ("consumers.ecs.autoscaling.target_records_per_task", json!(500)),
            ]
        },
        config: r#"{
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
            }"#,
    },
    Lesson {
        name: "scenario-4",
        summary: "Writes above the shard limit and consumers at the read limit: producer drops, throttled reads, rising iterator age.",
        title: "High latency with the write limit maxed",
        question: "Producers write more than the shards accept, and reads are at their ceiling. What is happening to the consumers?",
        watch: "Incoming pinned at the write limit with throttled writes on top, producer drops, read throughput at the shared 2 MiB/s per shard with ReadProvisionedThroughputExceeded, and the iterator ages climbing.",
        explanation: "The producers offer 2,400 records/s of 1,000 bytes to two shards that accept 2,000: the write limit is hit all the time, not in bursts. The 400 records/s over the limit are throttled, tried up to 3 times in all, and then dropped: they never reach the stream, and no amount of retrying absorbs a load that stays above the limit. On the read side, three standard consumers share each shard's 2 MiB/s. Each wants everything written to the shard, about 1 MB/s, so together about 3 MB/s: GetRecords calls are throttled and slowed. The Lambda function, which reads each shard in large batches, still gets what it needs and keeps up; the two ECS applications share what is left, a little over half of what each needs, so they fall behind writing even though each could process far more. Their iterator ages climb by almost half a second every second; left like that, records would expire after a little over two days. More shards raise both the write and the read limits; enhanced fan-out would give each consumer its own 2 MiB/s per shard.",
        fix_label: "Double the shards (2 → 4)",
        after_fix: "UpdateShardCount doubles the stream to 4 shards in about two minutes: room for 4,000 records/s of writes against the 2,400 offered, and 8 MiB/s of reads to share instead of 4.",
        watch_after_fix: "Throttled writes and producer drops stop as soon as the reshard is done. The ECS iterator ages stop climbing but fall back slowly: the three consumers need most of the new read limit, so the backlog takes several times as long to drain as it took to build.",
        fix: || vec![("stream.shards", json!(4))],
        config: r#"{
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "logs", "instances": 4, "records_per_sec": 600,
                               "record_bytes": 1000, "distinct_keys": 5000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda", "batch_size": 1000, "ms_per_record": 0.2},
                    {"type": "kcl", "name": "ecs", "tasks": 2, "records_per_sec_per_task": 5000},
                    {"type": "kcl", "name": "audit", "tasks": 2, "records_per_sec_per_task": 5000}
                ]
            }"#,
    },
    Lesson {
        name: "hot-key",
        summary: "One partition key carries most records: one shard throttles and its producers drop records while the other shards have room.",
        title: "One hot partition key",
        question: "The stream has four shards and room to spare on average, yet writes are throttled. Why?",
        watch: "The per-shard strip (one shard at its limit, the others well below), the throttled line and the producer drops.",
        explanation: "A record's shard is chosen by the MD5 hash of its partition key, so every record with the same key lands on the same shard. These producers use just 50 keys with a steep Zipf skew: the most popular key alone carries about 62 % of the 2,000 records/s, some 1,200 records/s, more than the 1,000 records/s one shard accepts. That shard throttles all the time while the other three run well below their limits. The producers try each record up to 3 times; what is still throttled then is dropped: those records never reach the stream. The Lambda function keeps up, since even the hot shard passes on at most 1,000 records/s. Adding shards does not help, because one key still maps to one shard; spreading writes over many evenly used keys does.",
        fix_label: "Use 10,000 evenly used keys",
        after_fix: "The producers now spread their records over 10,000 evenly used keys, so each of the 4 shards takes about 500 records/s, half its limit.",
        watch_after_fix: "Within seconds the throttled and dropped lines fall to zero and the shard strip evens out: the same load that overwhelmed one shard now fits easily.",
        fix: || vec![("producers.tenants.distinct_keys", json!(10000)), ("producers.tenants.key_skew", json!(0))],
        config: r#"{
                "stream": {"shards": 4, "retention_hours": 24},
                "producers": [{"name": "tenants", "instances": 4, "records_per_sec": 500,
                               "record_bytes": 512, "distinct_keys": 50, "key_skew": 2.0}],
                "consumers": [{"type": "lambda", "name": "lambda", "ms_per_record": 0.5}]
            }"#,
    },
    Lesson {
        name: "hidden-bursts",
        summary: "Producers flush in batches: every minute's IncomingRecords is far under the limit, yet single seconds are over it and throttled.",
        title: "Throttled, but the graphs look fine",
        question: "A minute's IncomingRecords adds up to 78,000 against the 120,000 two shards take in a minute, yet WriteProvisionedThroughputExceeded never stays at zero. How can a stream at 65 % of its limit be throttled?",
        watch: "Incoming second by second (at the write limit in each flush second and the one after, lower while the last retries land, then nothing), the throttled line that rises with each flush, and the dropped line, which stays at zero.",
        explanation: "Four log agents each gather 325 records/s and send what they hold every 5 s, all in the same second, as jobs on a shared timer do. On average that is 1,300 records/s, 65 % of the 2,000 records/s two shards accept: 78,000 records a minute against 120,000. But the limit holds per shard and per second, and these records come 6,500 at once, in one second out of five. Each shard takes 1,000 and throttles the rest; the agents resend the 4,500 refused records a second later, 2,000 land, and the last 2,500 land over the two seconds after. CloudWatch keeps one datapoint a minute and IncomingRecords counts only accepted records, so the graph shows a flat 78,000, 1,300 a second once divided by 60. The 84,000 refused attempts of the minute show only in WriteProvisionedThroughputExceeded; added to IncomingRecords they make 162,000, 2,700 a second, over the limit, though most are the same records tried again. Nothing is lost because the agents resend a refused record up to 10 times; a loop that gave up after 3 attempts, flushing every 10 s, would drop 5,000 of every 13,000 records while the minute's IncomingRecords looked even lower. Seven shards would take a 6,500-record second: 3.5 times the shard-hours for a load two shards carry. Sending continuously, as the KPL does by holding a record at most 100 ms, spreads the same 1,300 records/s over every second.",
        fix_label: "Send continuously instead of every 5 s",
        after_fix: "The agents now send each record as it comes, the way the KPL holds a record for at most 100 ms: the same 1,300 records/s arrive evenly, about 650 per shard each second, 65 % of the limit.",
        watch_after_fix: "Once the retries still waiting from the last flush have landed, within a few seconds, nothing is throttled again: Incoming runs flat at 65 % of the limit instead of swinging between 100 % and zero, and a minute still adds up to 78,000 records.",
        fix: || vec![("producers.agents.shape", json!({"type": "constant"}))],
        config: r#"{
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "agents", "instances": 4, "records_per_sec": 325,
                               "record_bytes": 512, "distinct_keys": 5000,
                               "shape": {"type": "batches", "flush_every_s": 5},
                               "retry": {"max_attempts": 10}}],
                "consumers": [{"type": "lambda", "name": "lambda", "ms_per_record": 0.5}]
            }"#,
    },
    Lesson {
        name: "launch-day",
        summary: "An on-demand stream meets a launch that triples its traffic: it throttles and drops records for 15 minutes while it adds shards.",
        title: "Launch day on on-demand",
        question: "On-demand streams scale by themselves, so why does this one throttle and drop records for a quarter of an hour when the launch starts?",
        watch: "Incoming against its limit as the launch starts at 1 h, the throttled and dropped lines, the marks where the stream decides to scale and where its new shards open, and the diagnosis counting down to them.",
        explanation: "For its first hour the app writes 1,000 records/s of 2,000 bytes, 1.9 MiB/s, and the on-demand stream keeps the 4 shards a new stream starts with: 4 MiB/s, more than twice its peak. At 1 h the launch triples the traffic to 3,000 records/s, 5.7 MiB/s. On-demand capacity follows the peak: it takes up to double the highest traffic seen, and a jump past that is throttled until the stream has split its shards, 15 minutes after the start of the minute that showed the new peak. Meanwhile the 4 shards take 4 MiB/s, about 2,090 of the 3,000 records a second; the producers retry each refused record up to 3 times and then drop it, some 900 records a second, about 820,000 in all. The minute after the launch asks for 12 shards, twice the new 5.7 MiB/s, and once they open nothing is throttled again. A launch you know is coming can be prepared for: On-demand Advantage keeps warm throughput ready (it takes about 5 minutes to reach), or a provisioned stream can be sized for the peak beforehand.",
        fix_label: "Pre-warm: On-demand Advantage with 12 MiB/s warm throughput",
        after_fix: "The stream is now On-demand Advantage with 12 MiB/s of warm throughput: about 5 minutes after the fix it holds 12 shards whatever its traffic, twice the launch's 5.7 MiB/s.",
        watch_after_fix: "Fixed before the launch, the launch passes with nothing throttled; fixed during it, throttling stops about 5 minutes after the fix rather than 15 minutes after the launch. Advantage bills its 25 MiB/s commitment each way, about $100 a day: see the cost panel.",
        fix: || vec![("stream.mode", json!("on_demand_advantage")), ("stream.warm_throughput_mibps", json!(12))],
        config: r#"{
                "stream": {"mode": "on_demand", "retention_hours": 24},
                "producers": [{"name": "app", "instances": 10, "records_per_sec": 100,
                               "record_bytes": 2000, "distinct_keys": 10000}],
                "consumers": [{"type": "lambda", "name": "lambda", "batch_size": 500, "ms_per_record": 0.5}],
                "events": [{"at_s": 3600, "set": {"producers.app.records_per_sec": 300}}]
            }"#,
    },
    Lesson {
        name: "steady-big",
        summary: "A steady 19 MiB/s on 24 provisioned shards: what the same traffic costs in each capacity mode.",
        title: "Steady and big: which mode?",
        question: "AWS suggests on-demand for new streams. This stream carries a steady 19 MiB/s, read by two applications: what would a month of it cost in each capacity mode?",
        watch: "The cost panel's table of this run's traffic in each mode, and Incoming, flat at 80 % of the write limit.",
        explanation: "Ten instances write 500 records/s each of 4,000 bytes: 5,000 records/s, 19.1 MiB/s, on 24 provisioned shards, 80 % of their byte limit. Provisioned bills 24 shard-hours ($0.36) and 18 million PUT payload units ($0.25) an hour: about $447 a month, and reads through GetRecords are free. On-demand Standard bills a stream-hour ($0.04), every GB written, each record rounded up to 1 KB ($5.49 an hour for 68.7 GB), and every GB read, here twice ($5.37): about $7,960 a month, 18 times as much. On-demand Advantage bills no stream-hour and cuts the per-GB prices to $0.032 in and $0.016 out, but commits the account to 25 MiB/s each way: the 68.7 GB written an hour are billed as the 87.9 GB committed, so about $3,620 a month. On-demand pays for not planning: it suits traffic that is small, new or spiky. A load this steady and this large costs far less on shards sized for it.",
        fix_label: "",
        after_fix: "",
        watch_after_fix: "",
        fix: Vec::new,
        config: r#"{
                "stream": {"shards": 24, "retention_hours": 24},
                "producers": [{"name": "orders", "instances": 10, "records_per_sec": 500,
                               "record_bytes": 4000, "distinct_keys": 10000}],
                "consumers": [
                    {"type": "lambda", "name": "lambda", "batch_size": 500, "ms_per_record": 0.2},
                    {"type": "kcl", "name": "analytics", "tasks": 4, "records_per_sec_per_task": 3000}
                ]
            }"#,
    },
    Lesson {
        name: "small-records",
        summary: "Many tiny sensor readings hit the 1,000 records/s a shard takes while its bytes stay far below 1 MiB/s; KPL aggregation packs them.",
        title: "Small records: aggregate them",
        question: "Two shards take 2 MiB/s and these sensors send 0.32 MiB/s, yet writes are throttled and readings dropped. Which limit do they hit, and must it cost more shards?",
        watch: "Incoming pinned at 2,000 records/s, the throttled line from the first second and the dropped line beside it.",
        explanation: "Four gateways each send 750 readings a second of 100 bytes, 112 with the partition key: 3,000 records/s, yet only 0.32 MiB/s. A shard takes 1,000 records/s or 1 MiB/s, whichever comes first, so two shards are full at 2,000 records/s while they carry 11 % of the bytes they could. The 1,000 records/s over the limit are throttled, tried up to 3 times in all, and then dropped. Three shards would take them, still at 11 % of their bytes; the KPL's aggregation takes them on these two. Each gateway packs the readings bound for one shard into one Kinesis record of up to 51,200 bytes, sent when it is full or when its first reading has waited record_max_buffered_time_ms, 100 ms by default. A gateway sends each shard about 375 readings a second, so a Kinesis record holds 37.5 on average, about 4.5 KB: the 3,000 readings a second travel as 80 Kinesis records a second, and the records limit counts those. Bytes still count in full, 0.34 MiB/s with the packing. The price is a wait of up to 100 ms, 50 ms on average, in the producer; in return the PUT payload units (one per 25 KB of a Kinesis record) fall from 2,000 a second to 80. The consumer has to unpack: the KCL does so by itself, while a Lambda function gets each Kinesis record as one packed blob unless it uses the KPL's de-aggregation module, as this one does (deaggregate). Its batch size counts Kinesis records: a batch of up to 100 may now hold 3,750 readings.",
        fix_label: "Turn on KPL aggregation in the gateways",
        after_fix: "The gateways now aggregate: the same 3,000 readings a second reach the same two shards as 80 Kinesis records a second, 37.5 readings in each on average.",
        watch_after_fix: "Within seconds nothing is throttled or dropped again, and Incoming falls from 2,000 to 80 records/s while its bytes rise from 0.21 to 0.34 MiB/s, since every reading now lands. The function gets each one up to 100 ms later than before.",
        fix: || vec![("producers.sensors.aggregation", json!(true))],
        config: r#"{
                "stream": {"shards": 2, "retention_hours": 24},
                "producers": [{"name": "sensors", "instances": 4, "records_per_sec": 750,
                               "record_bytes": 100, "distinct_keys": 5000}],
                "consumers": [{"type": "lambda", "name": "lambda", "deaggregate": true, "ms_per_record": 0.1}]
            }"#,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_builds_validates_and_its_fix_applies() {
        let presets = all();
        assert_eq!(presets.len(), PRESETS.len());
        for (p, lesson) in presets.iter().zip(PRESETS) {
            assert_eq!(p.name, lesson.name);
            p.config
                .validate()
                .unwrap_or_else(|e| panic!("{}: {e}", p.name));
            let fixed = p
                .fixed(&p.config)
                .unwrap_or_else(|e| panic!("{}: {e}", p.name));
            // A fix changes the settings, and a preset without one has no fix label.
            assert_eq!(fixed == p.config, p.fix.is_empty(), "{}", p.name);
            assert_eq!(p.fix_label.is_empty(), p.fix.is_empty(), "{}", p.name);
            assert_eq!(p.after_fix.is_empty(), p.fix.is_empty(), "{}", p.name);
            assert_eq!(p.watch_after_fix.is_empty(), p.fix.is_empty(), "{}", p.name);
            assert_eq!(find(p.name).as_ref(), Some(p), "{}", p.name);
        }
    }

    #[test]
    fn every_fix_sets_each_of_its_paths_to_its_value() {
        for p in all() {
            let after = serde_json::to_value(p.fixed(&p.config).expect("fix")).expect("json");
            for (path, value) in p.fix() {
                let set = lookup(&after, path).is_some_and(|at| same(&at, &value));
                assert!(set, "{}: {path} is not {value}", p.name);
            }
        }
    }

    /// Equal values, numbers compared as numbers (1 and 1.0 alike).
    fn same(a: &Value, b: &Value) -> bool {
        a == b || (a.is_number() && a.as_f64() == b.as_f64())
    }

    /// The value at dotted `path`, consumers and producers found by name.
    fn lookup(v: &Value, path: &str) -> Option<Value> {
        let mut at = v.clone();
        for part in path.split('.') {
            at = match at {
                Value::Array(items) => items.into_iter().find(|i| i["name"] == part)?,
                Value::Object(mut map) => map.remove(part)?,
                _ => return None,
            };
        }
        Some(at)
    }

    #[test]
    fn names_are_unique_and_unknown_names_find_nothing() {
        let mut names: Vec<&str> = PRESETS.iter().map(|l| l.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PRESETS.len());
        assert_eq!(find("nope"), None);
    }
}
