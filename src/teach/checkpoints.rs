//! The presets' checkpoints: moments in a run worth stopping at. Each has a condition on
//! the simulation (never a bare time), the chart and line to look at, and a sentence on
//! what to notice. The playground detects them (`playground::lesson`); this is the data.

/// When a checkpoint is reached: a condition on the simulation, checked after each tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The consumer's iterator age is at least `ms`.
    AgeAtLeast {
        /// Consumer name.
        consumer: &'static str,
        /// Iterator age, ms.
        ms: u64,
    },
    /// The consumer's iterator age has reached the stream's retention.
    AgeAtRetention {
        /// Consumer name.
        consumer: &'static str,
    },
    /// Since the previous checkpoint (or the start), the consumer processed at least
    /// `records`.
    ProcessedSince {
        /// Consumer name.
        consumer: &'static str,
        /// Records.
        records: u64,
    },
    /// Since the previous checkpoint (or the start), retention removed at least
    /// `records` the consumer had not read.
    ExpiredSince {
        /// Consumer name.
        consumer: &'static str,
        /// Records.
        records: u64,
    },
    /// A write was throttled for the first time.
    FirstWriteThrottle,
    /// Producers gave up on a record for the first time.
    FirstProducerDrop,
    /// Writes were throttled, and now no record waits for a retry and none was
    /// throttled in the last tick: the burst has been absorbed.
    RetriesSettled,
    /// No reshard is under way and this many shards are open.
    ShardsOpen(u32),
    /// The run is older than the retention: the first records leave the stream.
    RetentionPassed,
}

/// One checkpoint of a preset's lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// When it is reached.
    pub condition: Condition,
    /// The chart to look at, by its id (`age`, `loss`, `throttled`…).
    pub chart: &'static str,
    /// The legend label of the line to look at (`None`: the chart as a whole).
    pub line: Option<&'static str>,
    /// What to notice now, in a sentence or two.
    pub notice: &'static str,
}

const HOUR_MS: u64 = 3_600_000;

const HEALTHY: &[Checkpoint] = &[
    Checkpoint {
        condition: Condition::ProcessedSince { consumer: "ecs", records: 1_000_000 },
        chart: "age",
        line: Some("ecs"),
        notice: "A million records have reached the ECS application, and the same million reached the Lambda function: every consumer application gets every record. Both iterator ages have stayed within a few seconds all along — this is what keeping up looks like.",
    },
    Checkpoint {
        condition: Condition::RetentionPassed,
        chart: "loss",
        line: Some("lambda expired"),
        notice: "A whole day has gone by. The first records are now older than the 24 h retention and leave the stream, but both consumers processed them long ago, so nothing expires unread: the loss chart stays at zero.",
    },
];

const SCENARIO_1: &[Checkpoint] = &[
    Checkpoint {
        condition: Condition::AgeAtLeast { consumer: "lambda", ms: 600_000 },
        chart: "age",
        line: Some("lambda"),
        notice: "The iterator age has passed 10 minutes and rises in a straight line. The function gets through half of what arrives, so the oldest unread record grows half a second older every second.",
    },
    Checkpoint {
        condition: Condition::AgeAtLeast { consumer: "lambda", ms: 12 * HOUR_MS },
        chart: "age",
        line: Some("lambda"),
        notice: "The oldest unread record is now 12 hours old: half of the 24 h retention is used up. An alarm on the iterator age belongs well below this point, while there is still time to act.",
    },
    Checkpoint {
        condition: Condition::AgeAtRetention { consumer: "lambda" },
        chart: "age",
        line: Some("lambda"),
        notice: "The iterator age has reached the retention line. From here on the stream deletes records before the function gets to them: the age can climb no further, and every record it would have read next is lost instead.",
    },
    Checkpoint {
        condition: Condition::ExpiredSince { consumer: "lambda", records: 1_000_000 },
        chart: "loss",
        line: Some("lambda expired"),
        notice: "A million records have expired unread in about 40 minutes: from now on half of everything written is lost for good. A longer retention would only have moved this moment later.",
    },
];

const SCENARIO_2: &[Checkpoint] = &[
    Checkpoint {
        condition: Condition::FirstWriteThrottle,
        chart: "throttled",
        line: Some("WriteProvisionedThroughputExceeded"),
        notice: "A burst: for 20 seconds the producers offer about 2,500 records/s to two shards that accept 2,000. Each shard takes what its limit allows and throttles the rest, which the producers send again after a random wait.",
    },
    Checkpoint {
        condition: Condition::RetriesSettled,
        chart: "throttled",
        line: Some("dropped by producers"),
        notice: "The burst is over and every throttled record has been written on a later try: no retries are waiting and the dropped line never left zero. The consumers only saw the records a few seconds late.",
    },
];

const SCENARIO_3: &[Checkpoint] = &[
    Checkpoint {
        condition: Condition::ShardsOpen(10),
        chart: "lambda",
        line: Some("lambda ConcurrentExecutions"),
        notice: "The reshard is done: 10 shards are open, reached in doubling steps (2 → 4 → 8 → 10). Lambda polls every new shard on its own, so its concurrency can follow the shard count; the ECS application now holds 10 leases on its 2 tasks.",
    },
    Checkpoint {
        condition: Condition::AgeAtLeast { consumer: "ecs", ms: HOUR_MS },
        chart: "age",
        line: Some("ecs"),
        notice: "Since traffic grew to 5,000 records/s, the ECS iterator age has climbed past an hour while Lambda's stays near zero. Two tasks process 2,000 records/s, so ECS falls 3,000 records further behind every second.",
    },
    Checkpoint {
        condition: Condition::AgeAtRetention { consumer: "ecs" },
        chart: "age",
        line: Some("ecs"),
        notice: "The ECS iterator age has reached the 24 h retention: records now expire before the ECS application reads them, while the Lambda function, reading the same shards, still gets every one.",
    },
];

const SCENARIO_4: &[Checkpoint] = &[
    Checkpoint {
        condition: Condition::FirstProducerDrop,
        chart: "throttled",
        line: Some("dropped by producers"),
        notice: "The first records are dropped. The shards accept 2,000 of the 2,400 records offered each second; a record throttled on every one of its 3 attempts is given up and never reaches the stream. With a load that stays above the limit this goes on for good.",
    },
    Checkpoint {
        condition: Condition::AgeAtLeast { consumer: "ecs", ms: 600_000 },
        chart: "age",
        line: Some("ecs"),
        notice: "The two ECS applications' iterator ages have passed 10 minutes. Three standard consumers share each shard's 2 MiB/s of reads: the Lambda function still gets what it needs, and the ECS applications split the rest, about half of what each needs, so they fall behind although their tasks could process far more.",
    },
    Checkpoint {
        condition: Condition::AgeAtRetention { consumer: "ecs" },
        chart: "age",
        line: Some("ecs"),
        notice: "About two days in, the ECS iterator age has reached the retention line: records now expire before ECS reads them, on top of the ones the producers dropped.",
    },
];

const HOT_KEY: &[Checkpoint] = &[
    Checkpoint {
        condition: Condition::FirstWriteThrottle,
        chart: "shards",
        line: None,
        notice: "From the first second one shard runs at its write limit while the other three have plenty of room: most records carry the same partition key, and a key always hashes to the same shard.",
    },
    Checkpoint {
        condition: Condition::FirstProducerDrop,
        chart: "throttled",
        line: Some("dropped by producers"),
        notice: "Records are being dropped: the hot shard throttles the same key again and again, and after 3 attempts the producers give up. The stream as a whole runs at half its capacity.",
    },
];

const HIDDEN_BURSTS: &[Checkpoint] = &[
    Checkpoint {
        condition: Condition::FirstWriteThrottle,
        chart: "throttled",
        line: Some("WriteProvisionedThroughputExceeded"),
        notice: "The first flush: 6,500 records arrive in a single second at two shards that accept 2,000 between them. 4,500 are refused at once, and the agents will send them again.",
    },
    Checkpoint {
        condition: Condition::RetriesSettled,
        chart: "throttled",
        line: Some("dropped by producers"),
        notice: "Three seconds after the flush its last retry has landed and nothing is waiting: the dropped line never left zero. Of every five seconds the shards spend two at their limit, two taking the last retries and one with nothing to take.",
    },
    Checkpoint {
        condition: Condition::ProcessedSince { consumer: "lambda", records: 78_000 },
        chart: "incoming",
        line: Some("IncomingRecords"),
        notice: "A minute of flushes: 78,000 records written, the Sum CloudWatch would show for the minute, against the 120,000 two shards take in a minute. Divided by 60 that is 1,300 a second, well under the limit, yet the same minute held 84,000 refused attempts. Second by second, this chart shows why: each flush second and the one after it sit at 100 % of the limit, and every fifth second at zero.",
    },
];

const LAUNCH_DAY: &[Checkpoint] = &[
    Checkpoint {
        condition: Condition::FirstWriteThrottle,
        chart: "throttled",
        line: Some("WriteProvisionedThroughputExceeded"),
        notice: "The launch: 3,000 records/s, 5.7 MiB/s, reach a stream with 4 shards, 4 MiB/s. On demand the stream takes up to twice its peak so far; past that it throttles until it has added shards.",
    },
    Checkpoint {
        condition: Condition::FirstProducerDrop,
        chart: "throttled",
        line: Some("dropped by producers"),
        notice: "Records are being dropped: refused three times, about 900 a second are given up on. The stream has decided to scale (see the mark), but its new shards open only 15 minutes after the start of the minute that asked for them.",
    },
    Checkpoint {
        condition: Condition::ShardsOpen(12),
        chart: "incoming",
        line: Some("IncomingBytes"),
        notice: "12 shards, twice the launch's 5.7 MiB/s, opened 15 minutes after the first minute of the launch. From here nothing is throttled, and the stream keeps this capacity for 30 days whatever its traffic.",
    },
];

const STEADY_BIG: &[Checkpoint] = &[
    Checkpoint {
        condition: Condition::ProcessedSince { consumer: "lambda", records: 300_000 },
        chart: "incoming",
        line: Some("IncomingBytes"),
        notice: "A minute of a steady 19.1 MiB/s: 80 % of what 24 provisioned shards take. The cost panel now bills this minute in each capacity mode.",
    },
    Checkpoint {
        condition: Condition::ProcessedSince { consumer: "lambda", records: 17_700_000 },
        chart: "incoming",
        line: Some("IncomingBytes"),
        notice: "An hour: 18 million records, 68.7 GB billed on demand. The cost panel's table now holds an hour of each mode: Standard is 18 times the provisioned bill, Advantage about 8 times.",
    },
];

const SMALL_RECORDS: &[Checkpoint] = &[
    Checkpoint {
        condition: Condition::FirstWriteThrottle,
        chart: "throttled",
        line: Some("WriteProvisionedThroughputExceeded"),
        notice: "From the first second: 3,000 readings a second reach two shards that take 2,000 records a second. Their bytes, 0.32 MiB/s, would fit in one shard a third full; it is the count of records that is refused.",
    },
    Checkpoint {
        condition: Condition::FirstProducerDrop,
        chart: "throttled",
        line: Some("dropped by producers"),
        notice: "Readings are being dropped: refused three times, about 1,000 a second are given up on. Packing the readings for each shard into one Kinesis record (KPL aggregation) would bring them under the records limit on these same two shards.",
    },
];

/// The checkpoints of the preset called `preset`, in the order a run reaches them
/// (none for an unknown name).
pub fn for_preset(preset: &str) -> &'static [Checkpoint] {
    match preset {
        "healthy" => HEALTHY,
        "scenario-1" => SCENARIO_1,
        "scenario-2" => SCENARIO_2,
        "scenario-3" => SCENARIO_3,
        "scenario-4" => SCENARIO_4,
        "hot-key" => HOT_KEY,
        "hidden-bursts" => HIDDEN_BURSTS,
        "launch-day" => LAUNCH_DAY,
        "steady-big" => STEADY_BIG,
        "small-records" => SMALL_RECORDS,
        _ => &[],
    }
}
