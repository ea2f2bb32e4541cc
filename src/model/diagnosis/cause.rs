//! What each finding found, as numbers: one type per cause, with the counts, rates,
//! sizes and times a sentence about it needs, each in a named field with its unit.

use serde::Serialize;

use super::consumer_cause::{
    AgeNearRetention, Behind, LambdaCapped, LambdaErrors, RecordsExpired, ShardsUnread,
    SharedReads, TasksIdle, TasksSaturated,
};

/// Why a finding fired, with its numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// One partition key alone is more than a shard takes ([`Rule::HotShard`](super::Rule)).
    HotKey(Crowding),
    /// Popular keys crowd one shard, none of them over its limit alone
    /// ([`Rule::HotShard`](super::Rule)).
    CrowdedKeys(CrowdedKeys),
    /// Writes throttled in the last minute ([`Rule::WriteThrottling`](super::Rule)).
    ThrottledNow(ThrottledNow),
    /// Writes throttled in bursts over the last hour, not in the last minute
    /// ([`Rule::WriteThrottling`](super::Rule)).
    ThrottledLately(ThrottledLately),
    /// Producers gave up on records ([`Rule::ProducerDrops`](super::Rule)).
    ProducerDrops(ProducerDrops),
    /// Records expired unread ([`Rule::RecordsExpired`](super::Rule)).
    RecordsExpired(RecordsExpired),
    /// The iterator age is half the retention or more
    /// ([`Rule::IteratorAgeNearRetention`](super::Rule)).
    AgeNearRetention(AgeNearRetention),
    /// Lambda invocations failed or timed out ([`Rule::LambdaErrors`](super::Rule)).
    LambdaErrors(LambdaErrors),
    /// A Lambda function at its concurrency cap is too slow for what arrives
    /// ([`Rule::LambdaConcurrencyCapped`](super::Rule)).
    LambdaCapped(LambdaCapped),
    /// ECS tasks hold no lease ([`Rule::EcsTasksIdle`](super::Rule)).
    TasksIdle(TasksIdle),
    /// Shards of a KCL application have no reader ([`Rule::ShardsUnread`](super::Rule)).
    ShardsUnread(ShardsUnread),
    /// ECS tasks process at full capacity while records wait
    /// ([`Rule::EcsSaturated`](super::Rule)).
    TasksSaturated(TasksSaturated),
    /// Standard consumers hit the shared read limit
    /// ([`Rule::SharedReadSaturated`](super::Rule)).
    SharedReads(SharedReads),
    /// A consumer falls behind, or Lambda throttles it, for a reason no other finding
    /// gives ([`Rule::FallingBehind`](super::Rule) or
    /// [`Rule::LambdaThrottled`](super::Rule)).
    Behind(Behind),
    /// UpdateShardCount is under way ([`Rule::Resharding`](super::Rule)).
    Resharding(Resharding),
    /// Nothing wrong ([`Rule::Healthy`](super::Rule)).
    Healthy {
        /// The largest iterator age of any consumer now, or, while under a minute, in
        /// the last minute, ms.
        worst_age_ms: u64,
    },
}

/// A reshard under way: where it goes and when it should be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReshardProgress {
    /// Open shards now.
    pub from_shards: u32,
    /// The target shard count.
    pub to_shards: u32,
    /// Simulated ms until the last step completes.
    pub left_ms: u64,
    /// Whether the stream scales itself (on demand) rather than through UpdateShardCount.
    pub on_demand: bool,
    /// Of that, ms spent waiting for the daily call limit.
    pub waiting_ms: u64,
}

/// Whether adding shards is fitting advice right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MoreShards {
    /// It is a remedy worth naming.
    Add,
    /// Shards are being added already.
    Coming(ReshardProgress),
    /// A hot partition key: more shards would leave it on one shard.
    NoHelp,
    /// A scripted fault refuses this share of PutRecords calls (%) for `left_ms` more:
    /// no shard count helps while it lasts.
    Fault {
        /// Share of the calls refused, %.
        percent: u32,
        /// Simulated ms until it ends.
        left_ms: u64,
    },
}

/// What producers offer, from their settings, over a span of time, in records as the
/// shards count them (Kinesis records: user records packed by KPL aggregation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Offered {
    /// Mean user records/s over the span (the records/s when nothing is packed).
    pub user_records_per_s: f64,
    /// Mean records/s over the span.
    pub records_per_s: f64,
    /// Mean bytes/s over the span.
    pub bytes_per_s: f64,
    /// Records/s in the busiest second.
    pub peak_records_per_s: f64,
    /// Bytes/s in the busiest second.
    pub peak_bytes_per_s: f64,
}

/// The shard count throttled writes call for, set against what is open and coming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sizing {
    /// Whether more shards help, or are on their way.
    pub more: MoreShards,
    /// Open shards now.
    pub open_shards: u32,
    /// Shards the offered load needs (by its totals, and by its keys where known).
    pub needed_shards: u32,
    /// What KPL aggregation would do, when small records hit the records limit.
    pub aggregate: Option<Aggregate>,
}

/// Small records held back by the records limit, and what KPL aggregation would make
/// of them: the shards' byte limit would bind instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Aggregate {
    /// Bytes of a user record (data plus key), the mean of what producers offer.
    pub record_bytes: u64,
    /// Kinesis records/s the busiest second would come to, packed.
    pub kinesis_records_per_s: u64,
    /// Shards that take the packed load.
    pub shards: u32,
}

/// The busiest partition key of all producers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusiestKey {
    /// The key.
    pub key: String,
    /// Records/s it carries.
    pub records_per_s: f64,
    /// Bytes/s it carries.
    pub bytes_per_s: f64,
}

/// One shard at its write limit while the others have room.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crowding {
    /// Open shards other than the crowded one.
    pub other_shards: usize,
    /// Mean write utilisation of the other shards, 0..=1.
    pub others_utilisation: f64,
    /// The busiest key, where the producers' keys were looked at.
    pub busiest: Option<BusiestKey>,
}

/// Popular keys crowding one shard, and the shards that would spread them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrowdedKeys {
    /// The crowded shard and the busiest key.
    pub crowding: Crowding,
    /// The shard count the load and its keys need.
    pub sizing: Sizing,
}

/// Writes throttled in the last minute.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ThrottledNow {
    /// Write attempts throttled in the last minute.
    pub throttled: u64,
    /// Records accepted in the last minute.
    pub accepted: u64,
    /// What producers offered over the last minute.
    pub offered: Offered,
    /// The shard count that load needs.
    pub sizing: Sizing,
    /// Seconds the last minute's counts cover (less at the start of a run).
    pub window_s: u64,
}

/// Bursts of throttled writes over the last hour, and whether they would still happen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ThrottledLately {
    /// Write attempts throttled in the last minute.
    pub now_throttled: u64,
    /// Records accepted in the last minute.
    pub now_accepted: u64,
    /// Minutes looked back (the minute under way counts), at most an hour.
    pub minutes: usize,
    /// Runs of consecutive throttled minutes.
    pub bursts: u32,
    /// Seconds with any throttling.
    pub throttled_s: u64,
    /// Write attempts throttled over those minutes.
    pub throttled: u64,
    /// Write attempts over those minutes.
    pub attempts: u64,
    /// Records producers gave up on over those minutes.
    pub dropped: u64,
    /// What producers offered over those minutes.
    pub offered: Offered,
    /// Open shards now.
    pub open_shards: u32,
    /// What the stream as it is now does with that peak.
    pub now: PeakNow,
}

/// Whether the stream as it is now takes the peak that was throttled.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeakNow {
    /// It would still be throttled: the shards it needs.
    Throttled(Sizing),
    /// More shards are open now than while it was throttled.
    MoreShards {
        /// Most open shards while writes were throttled.
        shards_then: u32,
    },
    /// Writes are spread more evenly now.
    SpreadEvenly {
        /// The busiest shard's share of its write limit at that peak, now.
        busiest_utilisation: f64,
    },
}

/// Records producers gave up on in the last minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProducerDrops {
    /// Records dropped.
    pub dropped: u64,
    /// Whether more shards help.
    pub more: MoreShards,
    /// What KPL aggregation would do, when small records hit the records limit.
    pub aggregate: Option<Aggregate>,
}

/// UpdateShardCount under way, and the daily call limit that may hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Resharding {
    /// Where it goes and when.
    pub progress: ReshardProgress,
    /// UpdateShardCount calls allowed per 24 h.
    pub max_per_day: u32,
}
