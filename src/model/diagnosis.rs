//! Live diagnosis: plain-language findings, each naming a cause and a remedy, computed
//! from the metrics only. The last minute says what is happening now; a compact record
//! of the last hour keeps a problem that comes and goes in view between its bursts.

use std::collections::VecDeque;

use serde::Serialize;

use super::config::{Config, ConsumerConfig, FanOut, KclConfig, LambdaConfig, UNRESERVED_MIN};
use super::consumer::ConsumerTick;
use super::lambda::{invocation_ms, PAYLOAD_BYTES};
use super::metrics::TickMetrics;
use super::producer::shape_factor;
use super::reads::READ_BYTES_PER_S;
use super::routing::{hash_key, key_name, EvenLayout};
use super::sim::{Simulation, SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};

/// Seconds of history the "now" rules look at.
pub const WINDOW_S: u64 = 60;
/// Minutes of history the last-hour record keeps.
pub const HOUR_MINUTES: usize = 60;
/// The rolling window of the UpdateShardCount limit, ms.
const DAY_MS: u64 = 86_400_000;
/// Share of write attempts throttled above which writes count as throttled.
const THROTTLED_SHARE: f64 = 0.01;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A share of write attempts was throttled (in the last minute, or in bursts over
    /// the last hour).
    WriteThrottling,
    /// Producers gave up on records.
    ProducerDrops,
    /// One shard at its limit while the others have room.
    HotShard,
    /// A consumer's iterator age is a large part of the retention.
    IteratorAgeNearRetention,
    /// A consumer lost records to retention.
    RecordsExpired,
    /// Lambda concurrency is at its cap while records wait.
    LambdaConcurrencyCapped,
    /// Lambda invocations failed or timed out.
    LambdaErrors,
    /// ECS tasks hold no lease.
    EcsTasksIdle,
    /// ECS tasks process at full capacity while records wait.
    EcsSaturated,
    /// Shards without any reader in a KCL application (a lease cap, or no task running).
    ShardsUnread,
    /// Standard consumers hit the shared read limit.
    SharedReadSaturated,
    /// A consumer falls further behind (iterator age above a minute and growing), with
    /// the cause the numbers point at.
    FallingBehind,
    /// Lambda throttled invocations of a function that keeps up so far.
    LambdaThrottled,
    /// UpdateShardCount is under way.
    Resharding,
    /// Nothing wrong.
    Healthy,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// All is well.
    Ok,
    /// Worth watching.
    Warning,
    /// Records are being lost.
    Loss,
}

/// One diagnosis line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Which rule fired.
    pub rule: Rule,
    /// How bad it is.
    pub severity: Severity,
    /// The consumer it is about, if any.
    pub consumer: Option<String>,
    /// Cause and remedy in one or two sentences.
    pub message: String,
}

/// What the rules need of one tick, kept compact (no allocation per tick once full).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct StreamTick {
    incoming: u64,
    incoming_bytes: u64,
    throttled: u64,
    dropped: u64,
    read_throttled: u64,
}

/// What the rules need of one consumer's tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ConsumerSample {
    processed: u64,
    expired: u64,
    skipped: u64,
    age_ms: u64,
    errors: u32,
    timeouts: u32,
    invocations: u32,
    throttles: u32,
    read_throttled: u32,
    concurrency: u32,
}

/// One minute of writes, summed over its ticks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Minute {
    ticks: u32,
    attempts: u64,
    throttled: u64,
    throttled_ticks: u32,
    dropped: u64,
    /// Most open shards during a throttled tick.
    throttled_shards: u32,
}

impl Minute {
    /// Whether writes in this minute count as throttled.
    fn throttled(&self) -> bool {
        self.attempts > 0 && self.throttled as f64 > THROTTLED_SHARE * self.attempts as f64
    }
}

/// The last hour of writes in a nutshell.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct HourSummary {
    /// Minutes covered (the minute under way counts).
    minutes: usize,
    /// Runs of consecutive throttled minutes.
    bursts: u32,
    /// Ticks with any throttling, in seconds.
    throttled_s: u64,
    throttled: u64,
    attempts: u64,
    dropped: u64,
    /// Most open shards while writes were throttled.
    shards_then: u32,
}

/// The recent past as the rules read it: the last [`WINDOW_S`] seconds tick by tick,
/// and the last [`HOUR_MINUTES`] minutes of writes as per-minute sums. Memory is
/// bounded and, once the rings are full, adding a tick allocates nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recent {
    stream: VecDeque<StreamTick>,
    consumers: Vec<VecDeque<ConsumerSample>>,
    tick_s: u64,
    /// Completed minutes, oldest first.
    minutes: VecDeque<Minute>,
    /// The minute under way.
    minute: Minute,
    /// End of the last tick added, ms.
    last_t_ms: u64,
}

impl Recent {
    /// Adds one tick of `tick_s` seconds; keeps the last [`WINDOW_S`] seconds and the
    /// last [`HOUR_MINUTES`] minutes. A tick earlier than the last one starts afresh
    /// (a new run).
    pub fn add(&mut self, m: &TickMetrics, tick_s: u64) {
        if m.t_ms <= self.last_t_ms {
            *self = Recent::default();
        }
        self.last_t_ms = m.t_ms;
        self.tick_s = tick_s.max(1);
        let keep = (WINDOW_S / self.tick_s).max(1) as usize;
        push(
            &mut self.stream,
            keep,
            StreamTick {
                incoming: m.incoming_records,
                incoming_bytes: m.incoming_bytes,
                throttled: m.write_throttled,
                dropped: m.dropped_by_producer,
                read_throttled: m.read_throttled,
            },
        );
        // A consumer added or removed changes the columns: start its history afresh.
        if self.consumers.len() != m.consumers.len() {
            self.consumers = vec![VecDeque::new(); m.consumers.len()];
        }
        for (history, c) in self.consumers.iter_mut().zip(&m.consumers) {
            push(
                history,
                keep,
                ConsumerSample {
                    processed: c.processed,
                    expired: c.expired,
                    skipped: c.skipped,
                    age_ms: c.iterator_age_ms,
                    errors: c.errors,
                    timeouts: c.timeouts,
                    invocations: c.invocations,
                    throttles: c.throttles,
                    read_throttled: c.read_throttled,
                    concurrency: c.concurrency,
                },
            );
        }
        let minute = &mut self.minute;
        minute.ticks += 1;
        minute.attempts += m.incoming_records + m.write_throttled;
        minute.throttled += m.write_throttled;
        minute.throttled_ticks += u32::from(m.write_throttled > 0);
        minute.dropped += m.dropped_by_producer;
        if m.write_throttled > 0 {
            minute.throttled_shards = minute.throttled_shards.max(m.open_shards);
        }
        // Ticks divide the minute, so a minute ends exactly at a tick's end.
        if m.t_ms.is_multiple_of(60_000) {
            let done = std::mem::take(&mut self.minute);
            push(&mut self.minutes, HOUR_MINUTES, done);
        }
    }

    /// Seconds the window covers (at least one).
    fn seconds(&self) -> f64 {
        (self.stream.len() as u64 * self.tick_s).max(1) as f64
    }

    fn sum(&self, f: impl Fn(&StreamTick) -> u64) -> u64 {
        self.stream.iter().map(f).sum()
    }

    fn consumer_sum(&self, i: usize, f: impl Fn(&ConsumerSample) -> u64) -> u64 {
        self.consumers.get(i).map_or(0, |h| h.iter().map(f).sum())
    }

    /// Most concurrent executions (or tasks) of consumer `i` at the end of a tick in the
    /// last few seconds: an invocation ending right at a tick's end is not counted there.
    fn recent_concurrency(&self, i: usize) -> u32 {
        let lookback = (5 / self.tick_s).max(1) as usize;
        self.consumers.get(i).map_or(0, |h| {
            h.iter()
                .rev()
                .take(lookback)
                .map(|t| t.concurrency)
                .max()
                .unwrap_or(0)
        })
    }

    /// Iterator age growth of consumer `i` over the window, in seconds per second.
    fn age_growth(&self, i: usize) -> f64 {
        let Some(h) = self.consumers.get(i) else {
            return 0.0;
        };
        match (h.front(), h.back()) {
            (Some(a), Some(b)) if h.len() > 1 => {
                let span = ((h.len() - 1) as u64 * self.tick_s) as f64;
                (b.age_ms as f64 - a.age_ms as f64) / 1_000.0 / span
            }
            _ => 0.0,
        }
    }

    /// The last hour of writes: the minute under way and the completed minutes before
    /// it, [`HOUR_MINUTES`] in all at most.
    fn hour(&self) -> HourSummary {
        let partial = (self.minute.ticks > 0).then_some(&self.minute);
        let room = HOUR_MINUTES - usize::from(partial.is_some());
        let skip = self.minutes.len().saturating_sub(room);
        let mut out = HourSummary::default();
        let mut in_burst = false;
        for m in self.minutes.iter().skip(skip).chain(partial) {
            out.minutes += 1;
            out.throttled_s += u64::from(m.throttled_ticks) * self.tick_s;
            out.throttled += m.throttled;
            out.attempts += m.attempts;
            out.dropped += m.dropped;
            out.shards_then = out.shards_then.max(m.throttled_shards);
            let throttled = m.throttled();
            if throttled && !in_burst {
                out.bursts += 1;
            }
            in_burst = throttled;
        }
        out
    }
}

fn push<T>(ring: &mut VecDeque<T>, keep: usize, value: T) {
    if ring.len() >= keep {
        ring.pop_front();
    }
    ring.push_back(value);
}

fn count(n: f64) -> String {
    crate::format::thousands(n.max(0.0).round() as u64)
}

/// A rate of records for people: whole numbers from 10 up, one decimal below (so half a
/// record a second reads "0.5", not "0").
fn per_s(n: f64) -> String {
    let n = n.max(0.0);
    if n >= 10.0 || (n - n.round()).abs() < 0.05 {
        count(n)
    } else if n >= 0.1 {
        format!("{n:.1}")
    } else {
        format!("{n:.2}")
    }
}

fn hours(ms: f64) -> String {
    crate::format::duration_ms(ms)
}

fn rate(bytes_per_s: f64) -> String {
    crate::format::bytes_per_s(&bytes_per_s)
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n as f64), if n == 1 { one } else { many })
}

/// What producers offer, from their settings: records and bytes per second, on
/// average and at the busiest tick of a span.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Offered {
    records: f64,
    bytes: f64,
    peak_records: f64,
    peak_bytes: f64,
}

/// New records producers offer over `from_ms..to_ms`: each producer's rate × traffic
/// shape at every tick, and its bytes per record (data plus mean key length).
fn offered(sim: &Simulation, from_ms: u64, to_ms: u64) -> Offered {
    let config = sim.config();
    let tick_ms = u64::from(config.tick_s).max(1) * 1_000;
    let mut out = Offered::default();
    let mut ticks = 0u64;
    let mut t = from_ms;
    while t < to_ms {
        let (mut records, mut bytes) = (0.0, 0.0);
        for (p, per_record) in config.producers.iter().zip(sim.producer_record_bytes()) {
            let r = f64::from(p.instances) * p.records_per_sec * shape_factor(&p.shape, t);
            records += r;
            bytes += r * per_record as f64;
        }
        out.records += records;
        out.bytes += bytes;
        out.peak_records = out.peak_records.max(records);
        out.peak_bytes = out.peak_bytes.max(bytes);
        ticks += 1;
        t += tick_ms;
    }
    if ticks > 0 {
        out.records /= ticks as f64;
        out.bytes /= ticks as f64;
    }
    out
}

/// Shards that take `records_per_s` and `bytes_per_s` of writes: the larger of what the
/// records and the bytes need, at least one.
fn shards_for(records_per_s: f64, bytes_per_s: f64) -> u32 {
    let by_records = (records_per_s / SHARD_WRITE_RECORDS_PER_S as f64).ceil();
    let by_bytes = (bytes_per_s / SHARD_WRITE_BYTES_PER_S as f64).ceil();
    by_records.max(by_bytes).clamp(1.0, f64::from(u32::MAX)) as u32
}

/// What `shards` shards take: "2 shards take 2,000 records/s or 2.0 MiB/s".
fn shard_limits(shards: u32) -> String {
    format!(
        "{} take {} records/s or {}",
        plural(u64::from(shards), "shard", "shards"),
        count(f64::from(shards) * SHARD_WRITE_RECORDS_PER_S as f64),
        rate(f64::from(shards) * SHARD_WRITE_BYTES_PER_S as f64)
    )
}

/// Most popular keys of a producer placed one by one when sizing shards by key; the
/// rest of its traffic is spread evenly over the hash ranges.
const TOP_KEYS: u32 = 2_048;
/// Ranks whose Zipf terms are summed one by one; beyond, the sum is approximated by an
/// integral.
const EXACT_RANKS: u32 = 100_000;

/// Sum of `rank^-skew` over ranks 1..=n: the Zipf normaliser of [`key_popularity`]
/// (exact up to [`EXACT_RANKS`], then the midpoint integral, accurate to a few parts
/// in a million there).
fn zipf_total(n: u32, skew: f64) -> f64 {
    if skew == 0.0 {
        return f64::from(n.max(1));
    }
    let exact = n.clamp(1, EXACT_RANKS);
    let mut total: f64 = (1..=exact).map(|k| libm::pow(f64::from(k), -skew)).sum();
    if n > exact {
        let (a, b) = (f64::from(exact) + 0.5, f64::from(n) + 0.5);
        total += if (skew - 1.0).abs() < 1e-12 {
            libm::log(b / a)
        } else {
            (libm::pow(b, 1.0 - skew) - libm::pow(a, 1.0 - skew)) / (1.0 - skew)
        };
    }
    total
}

/// One producer's traffic as sizing by key sees it: its peak records/s over a span,
/// bytes per record, and its most popular keys' hashes and shares.
#[derive(Debug, Clone, PartialEq)]
struct KeyedTraffic {
    producer: String,
    records: f64,
    record_bytes: f64,
    hashes: Vec<u128>,
    shares: Vec<f64>,
}

impl KeyedTraffic {
    /// Records/s of the most popular key.
    fn top_records(&self) -> f64 {
        self.records * self.shares.first().copied().unwrap_or(0.0)
    }
}

/// Each producer's keyed traffic at its busiest tick of `from_ms..to_ms`.
fn keyed_traffic(sim: &Simulation, from_ms: u64, to_ms: u64) -> Vec<KeyedTraffic> {
    let config = sim.config();
    let tick_ms = u64::from(config.tick_s).max(1) * 1_000;
    config
        .producers
        .iter()
        .zip(sim.producer_record_bytes())
        .map(|(p, bytes)| {
            let mut peak: f64 = 0.0;
            let mut t = from_ms;
            while t < to_ms {
                peak = peak.max(shape_factor(&p.shape, t));
                t += tick_ms;
            }
            let total = zipf_total(p.distinct_keys, p.key_skew);
            let top = p.distinct_keys.clamp(1, TOP_KEYS);
            KeyedTraffic {
                producer: p.name.clone(),
                records: f64::from(p.instances) * p.records_per_sec * peak,
                record_bytes: bytes as f64,
                hashes: (0..top).map(|i| hash_key(&key_name(&p.name, i))).collect(),
                shares: (1..=top)
                    .map(|rank| {
                        if p.key_skew == 0.0 {
                            1.0 / total
                        } else {
                            libm::pow(f64::from(rank), -p.key_skew) / total
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The busiest partition key of all producers: its producer's name, records/s and
/// bytes/s.
fn busiest_key(traffic: &[KeyedTraffic]) -> Option<(String, f64, f64)> {
    traffic
        .iter()
        .map(|t| {
            let r = t.top_records();
            (key_name(&t.producer, 0), r, r * t.record_bytes)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// Whether a key's `records`/s and `bytes`/s are more than one shard takes.
fn over_one_shard(records: f64, bytes: f64) -> bool {
    records > SHARD_WRITE_RECORDS_PER_S as f64 || bytes > SHARD_WRITE_BYTES_PER_S as f64
}

/// The fewest shards, from `from` up, whose even layout takes every shard's share of
/// the keyed traffic within its write limits; `None` when one key alone is over a
/// shard's limit or no count up to 8 × `from` does.
fn shards_for_keys(traffic: &[KeyedTraffic], from: u32) -> Option<u32> {
    if traffic
        .iter()
        .any(|t| over_one_shard(t.top_records(), t.top_records() * t.record_bytes))
    {
        return None;
    }
    let from = from.max(1);
    let last = from.saturating_mul(8).min(10_000);
    let mut records = Vec::new();
    let mut bytes = Vec::new();
    (from..=last).find(|&n| {
        let layout = EvenLayout::new(n);
        records.clear();
        records.resize(n as usize, 0.0);
        bytes.clear();
        bytes.resize(n as usize, 0.0);
        for t in traffic {
            let rest = (1.0 - t.shares.iter().sum::<f64>()).max(0.0) / f64::from(n);
            for (r, b) in records.iter_mut().zip(bytes.iter_mut()) {
                *r += t.records * rest;
                *b += t.records * rest * t.record_bytes;
            }
            for (hash, share) in t.hashes.iter().zip(&t.shares) {
                let i = layout.shard_of(*hash) as usize;
                records[i] += t.records * share;
                bytes[i] += t.records * share * t.record_bytes;
            }
        }
        records
            .iter()
            .zip(&bytes)
            .all(|(&r, &b)| !over_one_shard(r, b))
    })
}

/// UpdateShardCount under way: where it goes and when it should be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reshard {
    from: u32,
    to: u32,
    /// Simulated ms until the last step completes.
    left_ms: u64,
    /// Of that, ms spent waiting for the daily call limit.
    waiting_ms: u64,
}

impl Reshard {
    /// "resharding 2 → 10: about 6.0 min to go".
    fn status(&self) -> String {
        format!(
            "resharding {} → {}: about {} to go",
            self.from,
            self.to,
            hours(self.left_ms as f64)
        )
    }
}

/// The reshard under way, if any, with the time its remaining steps take: each step
/// at most doubles or halves the open shards and takes `reshard_step_s`; a step starts
/// only while fewer than `max_reshards_per_day` started in the last 24 h.
fn reshard(sim: &Simulation) -> Option<Reshard> {
    let config = sim.config();
    let open = sim.open_shards();
    let target = sim.reshard_target();
    let step = sim.reshard_step();
    if step.is_none() && target == open {
        return None;
    }
    let now = sim.now_ms();
    let tick_ms = u64::from(config.tick_s).max(1) * 1_000;
    let on_tick = |t: u64| t.div_ceil(tick_ms) * tick_ms;
    let step_ms = u64::from(config.stream.reshard_step_s) * 1_000;
    let per_day = config.stream.max_reshards_per_day.max(1) as usize;
    let mut starts: VecDeque<u64> = sim.reshard_starts().collect();
    let (mut shards, mut t) = match step {
        Some((to, done)) => (to, on_tick(done.max(now))),
        None => (open, now),
    };
    let mut waiting_ms = 0;
    // Each step doubles or halves the count, so a few dozen steps reach any target.
    for _ in 0..64 {
        if shards == target {
            break;
        }
        while starts.front().is_some_and(|&s| s + DAY_MS <= t) {
            starts.pop_front();
        }
        if starts.len() >= per_day {
            let free = on_tick(starts[0] + DAY_MS);
            waiting_ms += free - t;
            t = free;
            continue;
        }
        shards = if target > shards {
            target.min(shards * 2)
        } else {
            target.max(shards.div_ceil(2))
        };
        starts.push_back(t);
        t = on_tick(t + step_ms);
    }
    Some(Reshard {
        from: open,
        to: target,
        // What completes at the start of the next tick is still a tick away.
        left_ms: t.saturating_sub(now).max(tick_ms),
        waiting_ms,
    })
}

/// Whether adding shards is fitting advice right now.
#[derive(Debug, Clone, PartialEq)]
enum MoreShards {
    /// It is a remedy worth naming.
    Add,
    /// Shards are being added already: the reshard's status, and its target.
    Coming(String, u32),
    /// A hot partition key: more shards would leave it on one shard.
    NoHelp,
}

/// The findings for the current state of `sim` over the `recent` past, worst first.
/// With nothing wrong, one `Healthy` finding.
pub fn diagnose(sim: &Simulation, recent: &Recent) -> Vec<Finding> {
    let mut out = Vec::new();
    let config = sim.config();
    let secs = recent.seconds();
    let shards = sim.open_shards();
    let now_ms = sim.now_ms();
    let tick_ms = u64::from(config.tick_s).max(1) * 1_000;
    let retention_ms = f64::from(config.stream.retention_hours) * 3_600_000.0;

    // One shard at its limit while the others have room: partition keys crowd it.
    let util = sim.shard_utilisation();
    let hottest = util.iter().copied().fold(0.0, f64::max);
    let others = if util.len() > 1 {
        (util.iter().sum::<f64>() - hottest) / (util.len() - 1) as f64
    } else {
        hottest
    };
    let crowded = util.len() > 1 && hottest >= 0.95 && others < 0.6;

    // Writes in the last minute.
    let throttled = recent.sum(|m| m.throttled) as f64;
    let accepted = recent.sum(|m| m.incoming) as f64;
    let attempts = throttled + accepted;
    let window_ms = recent.stream.len() as u64 * tick_ms;
    let offer = offered(sim, now_ms.saturating_sub(window_ms), now_ms);
    let throttling_now = attempts > 0.0 && throttled / attempts > THROTTLED_SHARE;
    let hour = recent.hour();

    // Key by key: a single key over a shard's limit is a hot key no shard count cools;
    // keys that merely crowd a shard spread over more shards.
    let keyed = if crowded && (throttling_now || hour.bursts > 0) {
        let span_ms = if throttling_now {
            window_ms
        } else {
            hour.minutes as u64 * 60_000
        };
        keyed_traffic(sim, now_ms.saturating_sub(span_ms), now_ms)
    } else {
        Vec::new()
    };
    let busiest = busiest_key(&keyed);
    let hot_key = busiest
        .as_ref()
        .is_some_and(|(_, records, bytes)| over_one_shard(*records, *bytes));
    let hot = crowded && hot_key;
    // Only where keys visibly crowd a shard: a plain overload is sized by the totals.
    let by_keys = if keyed.is_empty() || hot {
        None
    } else {
        let peak = offered(sim, now_ms.saturating_sub(window_ms), now_ms);
        shards_for_keys(&keyed, shards_for(peak.peak_records, peak.peak_bytes))
    };
    let resharding = reshard(sim);
    let more = match &resharding {
        _ if hot => MoreShards::NoHelp,
        Some(r) if r.to > r.from => MoreShards::Coming(r.status(), r.to),
        _ => MoreShards::Add,
    };
    let key_rate = |(key, records, _): &(String, f64, f64)| {
        format!(
            "the busiest key, {key}, carries about {} records/s",
            per_s(*records)
        )
    };
    if throttling_now {
        if hot {
            let which = busiest.as_ref().map(key_rate).unwrap_or_default();
            out.push(finding(Rule::HotShard, Severity::Warning, None, format!(
                "One shard is at its write limit while the other {} average {:.0} %: a hot partition key \
                 ({which}, more than one shard takes). Adding shards will not cool one key; spread writes over \
                 more distinct keys.",
                util.len() - 1, others * 100.0)));
        } else if crowded {
            let which = busiest.as_ref().map(key_rate).unwrap_or_default();
            out.push(finding(Rule::HotShard, Severity::Warning, None, format!(
                "One shard is at its write limit while the other {} average {:.0} %: a few popular partition \
                 keys crowd it, though no single key is over a shard's limit ({which} of a shard's 1,000). {} \
                 More distinct keys, used more evenly, spread them too.",
                util.len() - 1, others * 100.0,
                sizing_advice(&more, shards, &offer, by_keys,
                    "More shards spread those keys over more hash ranges:"))));
        } else {
            let peak = if offer.peak_records > 1.05 * offer.records {
                format!(", up to {} records/s at peak", per_s(offer.peak_records))
            } else {
                String::new()
            };
            out.push(finding(Rule::WriteThrottling, Severity::Warning, None, format!(
                "{:.0} % of write attempts were throttled in the last minute (WriteProvisionedThroughputExceeded): \
                 producers offer {} new records/s ({}){peak}; {}. {}",
                100.0 * throttled / attempts, per_s(offer.records), rate(offer.bytes), shard_limits(shards),
                sizing_advice(&more, shards, &offer, by_keys, "Retries with backoff absorb short bursts; for sustained load,"))));
        }
    } else if hour.bursts > 0 {
        {
            let span_ms = hour.minutes as u64 * 60_000;
            let offer = offered(sim, now_ms.saturating_sub(span_ms), now_ms);
            let span = if hour.minutes >= HOUR_MINUTES {
                "the last hour".to_string()
            } else {
                format!("the last {} min", hour.minutes)
            };
            let lately = if throttled > 0.0 {
                format!(
                    "Only {:.1} % of write attempts were throttled in the last minute",
                    100.0 * throttled / attempts.max(1.0)
                )
            } else {
                "No write throttling in the last minute".to_string()
            };
            let fate = if hour.dropped > 0 {
                format!(
                    "producers gave up on {} of them, which never reached the stream",
                    count(hour.dropped as f64)
                )
            } else {
                "producers retried them and dropped none".to_string()
            };
            // Would the stream as it is now take that peak? More shards, or writes spread
            // over more keys since, may have settled it.
            let mean = util.iter().sum::<f64>() / util.len().max(1) as f64;
            let crowding = if mean > 0.0 { hottest / mean } else { 1.0 };
            let per_shard = f64::from(shards.max(1));
            let busiest = crowding
                * (offer.peak_records / (per_shard * SHARD_WRITE_RECORDS_PER_S as f64))
                    .max(offer.peak_bytes / (per_shard * SHARD_WRITE_BYTES_PER_S as f64));
            let fixed = !hot && busiest < 1.0;
            let advice = if !fixed {
                sizing_advice(
                    &more,
                    shards,
                    &offer,
                    by_keys,
                    "For bursts that keep coming,",
                )
            } else if hour.shards_then < shards {
                format!(
                    "The stream had at most {} then; the {shards} open now take that load.",
                    plural(u64::from(hour.shards_then), "shard", "shards")
                )
            } else {
                format!(
                    "Writes are spread more evenly now: at that peak the busiest shard would be at about \
                     {:.0} % of its limit.",
                    busiest * 100.0
                )
            };
            let severity = if hour.dropped > 0 {
                Severity::Loss
            } else if fixed {
                Severity::Ok
            } else {
                Severity::Warning
            };
            out.push(finding(Rule::WriteThrottling, severity, None, format!(
                "{lately}, but in {span}: {} of write throttling ({} s in all), {} of {} write attempts ({:.1} %) \
                 throttled; {fate}. Producers offer up to {} records/s ({}); {}. {advice}",
                plural(u64::from(hour.bursts), "burst", "bursts"), count(hour.throttled_s as f64),
                count(hour.throttled as f64), count(hour.attempts as f64),
                100.0 * hour.throttled as f64 / hour.attempts.max(1) as f64,
                per_s(offer.peak_records), rate(offer.peak_bytes), shard_limits(shards))));
        }
    }
    let dropped = recent.sum(|m| m.dropped);
    if dropped > 0 {
        let remedy = match &more {
            MoreShards::Add => "Add shards, or allow more retry attempts for short bursts.".to_string(),
            MoreShards::Coming(status, _) => format!(
                "The reshard under way should help ({status}); until it completes, more retry attempts \
                 keep records that would be dropped."),
            MoreShards::NoHelp => "Spread writes over more distinct keys, or allow more retry attempts for \
                                   short bursts."
                .to_string(),
        };
        out.push(finding(Rule::ProducerDrops, Severity::Loss, None, format!(
            "Producers gave up on {} records in the last minute after their last retry: that data never reached \
             the stream. {remedy}",
            count(dropped as f64))));
    }

    // Consumers.
    let ledgers = sim.ledgers();
    let m = sim.metrics();
    let incoming_bytes = recent.sum(|m| m.incoming_bytes) as f64;
    let arrivals = Arrivals {
        total: accepted / secs,
        // A crowded shard takes at most its write limit.
        per_shard: if crowded {
            hottest.min(1.0) * SHARD_WRITE_RECORDS_PER_S as f64
        } else {
            accepted / secs / f64::from(shards.max(1))
        },
        hot: crowded,
        record_bytes: if accepted > 0.0 {
            incoming_bytes / accepted
        } else {
            0.0
        },
    };
    let read_throttled = recent.sum(|m| m.read_throttled);
    let standard = config
        .consumers
        .iter()
        .filter(|c| c.fan_out() == FanOut::Shared)
        .count();
    let shared_read_limit = read_throttled > 0 && standard > 0;
    for (i, c) in config.consumers.iter().enumerate() {
        let Some(now) = m.consumers.get(i) else {
            continue;
        };
        let first_of_consumer = out.len();
        let name = c.name().to_string();
        let age = now.iterator_age_ms as f64;
        let growth = recent.age_growth(i);
        let faster = match &more {
            MoreShards::Add => "make the consumer faster or add shards".to_string(),
            MoreShards::Coming(status, _) => {
                format!(
                    "make the consumer faster; the reshard under way spreads the load ({status})"
                )
            }
            MoreShards::NoHelp => "make the consumer faster".to_string(),
        };
        let expired_recent = recent.consumer_sum(i, |t| t.expired);
        let expired_total = ledgers.get(i).map_or(0, |l| l.ledger.expired);
        if expired_recent > 0 {
            out.push(finding(Rule::RecordsExpired, Severity::Loss, Some(name.clone()), format!(
                "{name}: {} records expired unread in the last minute ({} in all): its iterator age reached the \
                 {} retention. More retention only delays this; {faster}.",
                count(expired_recent as f64), count(expired_total as f64), hours(retention_ms))));
        } else if age >= 0.5 * retention_ms {
            let when = if growth > 0.0 {
                format!(
                    "records will expire in about {}",
                    hours((retention_ms - age) / growth)
                )
            } else {
                "it is not growing right now".to_string()
            };
            out.push(finding(
                Rule::IteratorAgeNearRetention,
                Severity::Warning,
                Some(name.clone()),
                format!(
                    "{name}: iterator age is {} of {} retention — {when}; {faster}.",
                    hours(age),
                    hours(retention_ms)
                ),
            ));
        }
        let waiting = age > 60_000.0 && growth >= 0.0;
        match c {
            ConsumerConfig::Lambda(l) => {
                // Failing invocations come first: while a batch fails, the shard waits
                // behind it whatever the concurrency.
                let errors = recent.consumer_sum(i, |t| u64::from(t.errors));
                if errors > 0 {
                    let timeouts = recent.consumer_sum(i, |t| u64::from(t.timeouts));
                    let invocations = recent.consumer_sum(i, |t| u64::from(t.invocations));
                    let skipped = recent.consumer_sum(i, |t| t.skipped);
                    let severity = if skipped > 0 {
                        Severity::Loss
                    } else {
                        Severity::Warning
                    };
                    out.push(finding(
                        Rule::LambdaErrors,
                        severity,
                        Some(name.clone()),
                        lambda_errors(&name, l, errors, timeouts, invocations, skipped),
                    ));
                }
                let cap = config.lambda_concurrency_cap(l, shards);
                let processed = recent.consumer_sum(i, |t| t.processed) as f64 / secs;
                // Throttled in a pool other functions draw on too, it reaches its own cap
                // only while they leave room: the pool is the limit (said below).
                let pool_shared = l.reserved_concurrency.is_none()
                    && recent.consumer_sum(i, |t| u64::from(t.throttles)) > 0
                    && config.consumers.iter().any(|o| match o {
                        ConsumerConfig::Lambda(o) => {
                            o.reserved_concurrency.is_none() && o.name != l.name
                        }
                        ConsumerConfig::Kcl(_) => false,
                    });
                let concurrency = recent.recent_concurrency(i).max(now.concurrency);
                if waiting && concurrency >= cap && cap > 0 && !pool_shared {
                    if let Some(message) = lambda_capped(
                        &name,
                        l,
                        config,
                        shards,
                        concurrency,
                        processed,
                        &arrivals,
                        &more,
                    ) {
                        out.push(finding(
                            Rule::LambdaConcurrencyCapped,
                            Severity::Warning,
                            Some(name.clone()),
                            message,
                        ));
                    }
                }
            }
            ConsumerConfig::Kcl(k) => {
                // Tasks beyond the shard count have nothing to lease. (During a reshard
                // every task may be idle for a moment, until shard sync finds the children.)
                let spare = now.concurrency.saturating_sub(shards).min(now.idle_tasks);
                if spare > 0 {
                    let remedy = match &more {
                        MoreShards::Add => "Remove tasks or add shards.".to_string(),
                        MoreShards::Coming(status, to) if *to >= now.concurrency => format!(
                            "They get leases once the reshard under way completes ({status})."
                        ),
                        MoreShards::Coming(status, _) => format!(
                            "Remove tasks; even after the reshard under way ({status}) some stay idle."
                        ),
                        MoreShards::NoHelp => "Remove tasks.".to_string(),
                    };
                    out.push(finding(Rule::EcsTasksIdle, Severity::Warning, Some(name.clone()), format!(
                        "{name}: {} of {} tasks hold no lease — KCL runs one processor per shard, so tasks beyond \
                         the shard count sit idle. {remedy}",
                        spare, now.concurrency)));
                }
                if now.unread_shards > 0 && spare == 0 {
                    if let Some(message) = shards_unread(&name, k, now.concurrency, shards) {
                        out.push(finding(
                            Rule::ShardsUnread,
                            Severity::Warning,
                            Some(name.clone()),
                            message,
                        ));
                    }
                }
                let capacity = f64::from(now.concurrency) * k.records_per_sec_per_task;
                let rate = recent.consumer_sum(i, |t| t.processed) as f64 / secs;
                if waiting && capacity > 0.0 && rate >= 0.95 * capacity {
                    out.push(finding(Rule::EcsSaturated, Severity::Warning, Some(name.clone()), format!(
                        "{name}: its {} tasks are saturated, processing {} of {} records/s while records wait; \
                         add tasks or enable autoscaling.",
                        now.concurrency, per_s(rate), per_s(capacity))));
                }
            }
        }
        // Whatever else was said, a consumer that falls further behind, or whose
        // invocations Lambda throttles, gets a finding naming the likeliest cause.
        let explained = out[first_of_consumer..].iter().any(|f| {
            matches!(
                f.rule,
                Rule::LambdaConcurrencyCapped
                    | Rule::LambdaErrors
                    | Rule::EcsSaturated
                    | Rule::ShardsUnread
            )
        }) || (shared_read_limit
            && c.fan_out() == FanOut::Shared
            && recent.consumer_sum(i, |t| u64::from(t.read_throttled)) > 0);
        let slack_ms = match c {
            ConsumerConfig::Lambda(l) => f64::from(l.batch_window_s) * 1_000.0,
            ConsumerConfig::Kcl(k) => 2.0 * f64::from(k.poll_interval_ms),
        };
        let behind = age > 60_000.0 + slack_ms && growth > 0.0;
        let throttles = recent.consumer_sum(i, |t| u64::from(t.throttles));
        if !explained && (behind || throttles > 0) {
            let lag = Lag {
                age_ms: age,
                growth,
                processed: recent.consumer_sum(i, |t| t.processed) as f64 / secs,
                throttles,
                behind,
            };
            out.push(falling_behind(
                c, config, sim, now, &lag, &arrivals, shards, &faster,
            ));
        }
    }
    if shared_read_limit {
        let written_bytes = recent.sum(|m| m.incoming_bytes) as f64 / secs;
        out.push(finding(
            Rule::SharedReadSaturated,
            Severity::Warning,
            None,
            shared_reads(read_throttled, standard, written_bytes, shards, &more),
        ));
    }
    if let Some(r) = resharding {
        let wait = if r.waiting_ms > 0 {
            format!(
                " The limit of {} UpdateShardCount calls per 24 h is reached, so about {} of that is waiting \
                 for the next call.",
                config.stream.max_reshards_per_day,
                hours(r.waiting_ms as f64)
            )
        } else {
            String::new()
        };
        out.push(finding(
            Rule::Resharding,
            Severity::Ok,
            None,
            format!(
                "Resharding {} → {} (UpdateShardCount, at most doubling or halving per step): about {} to go. \
                 Writes and reads go on meanwhile.{wait}",
                r.from,
                r.to,
                hours(r.left_ms as f64)
            ),
        ));
    }
    if out.is_empty() {
        // Every consumer that falls behind or is throttled has a finding above, so here
        // none does.
        let worst = m
            .consumers
            .iter()
            .map(|c| c.iterator_age_ms)
            .max()
            .unwrap_or(0);
        out.push(finding(
            Rule::Healthy,
            Severity::Ok,
            None,
            format!(
                "Healthy: no write, read or Lambda throttling, no loss; every consumer is within {} of the \
                 newest record.",
                hours(worst.max(1_000) as f64)
            ),
        ));
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// The shard count write throttling calls for, or the reshard that already brings it.
/// `lead` starts the sentence that recommends shards.
/// `by_keys` is the count the producers' keys need, where known.
fn sizing_advice(
    more: &MoreShards,
    shards: u32,
    offer: &Offered,
    by_keys: Option<u32>,
    lead: &str,
) -> String {
    let needed = shards_for(offer.peak_records, offer.peak_bytes).max(by_keys.unwrap_or(0));
    match more {
        MoreShards::Coming(status, target) if *target >= needed => {
            format!("The reshard under way takes this load once it completes ({status}).")
        }
        MoreShards::Coming(status, _) => format!(
            "The reshard under way is not enough ({status}): this load needs about {needed} shards, so raise \
             the target to {needed}."
        ),
        MoreShards::NoHelp => {
            "A hot partition key does not cool with more shards; spread writes over more distinct keys."
                .to_string()
        }
        MoreShards::Add if needed > shards => {
            format!("{lead} add shards (about {needed}).")
        }
        MoreShards::Add => format!(
            "That fits {} if spread evenly, so the throttling comes from partition keys that crowd some \
             shards, or from retries piling up: spread writes over more distinct keys, or add a shard for \
             headroom.",
            plural(u64::from(shards), "shard", "shards")
        ),
    }
}

/// Records arriving at the stream in the last minute.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Arrivals {
    /// Records/s over all shards.
    total: f64,
    /// Records/s at one shard: the mean, or the hot shard's.
    per_shard: f64,
    /// Whether one shard is hot.
    hot: bool,
    /// Mean bytes per record.
    record_bytes: f64,
}

/// A Lambda function at its concurrency cap and too slow for what arrives: what sets
/// the cap, what one batch costs, and what would process faster. `None` when the
/// function at its cap could keep up (then something else holds it back).
#[allow(clippy::too_many_arguments)]
fn lambda_capped(
    name: &str,
    l: &LambdaConfig,
    config: &Config,
    shards: u32,
    concurrency: u32,
    processed: f64,
    arrivals: &Arrivals,
    more: &MoreShards,
) -> Option<String> {
    let by_shards = shards * l.parallelization_factor;
    let cap = config.lambda_concurrency_cap(l, shards);
    // A batch holds at most what fits in the invocation payload.
    let fits = (PAYLOAD_BYTES as f64 / arrivals.record_bytes.max(1.0))
        .floor()
        .max(1.0) as u64;
    let batch = u64::from(l.batch_size).min(fits);
    let batch_ms = invocation_ms(l, batch);
    let per_batch = batch as f64 * 1_000.0 / batch_ms as f64;
    let payload = if batch < u64::from(l.batch_size) {
        " (as many as fit in the 6 MB payload)"
    } else {
        ""
    };
    let cost = format!(
        "A batch of {} records{payload} takes {} ({} ms + {} × {} ms)",
        count(batch as f64),
        hours(batch_ms as f64),
        l.invocation_overhead_ms,
        count(batch as f64),
        l.ms_per_record
    );
    // Within a tenth of what arrives counts as too slow: batches rarely start back to back.
    if cap >= by_shards {
        let per_shard = per_batch * f64::from(l.parallelization_factor);
        if per_shard >= 1.1 * arrivals.per_shard {
            return None;
        }
        // A function processing well below what its batches would give is held back by
        // something else (failing batches, say): the cap is not what limits it.
        let claimed = if arrivals.hot {
            per_shard
        } else {
            per_shard * f64::from(shards)
        };
        if processed < 0.8 * claimed {
            return None;
        }
        let pf = if l.parallelization_factor < 10 {
            format!(
                "a faster function or a higher parallelization factor (now {}, at most 10)",
                l.parallelization_factor
            )
        } else {
            "a faster function".to_string()
        };
        let shards_clause = match more {
            MoreShards::Add => ", or add shards".to_string(),
            MoreShards::Coming(status, _) => {
                format!("; the reshard under way adds concurrency too ({status})")
            }
            MoreShards::NoHelp => String::new(),
        };
        let arriving = if arrivals.hot {
            format!(
                "up to {} records/s arrive at the hot shard",
                per_s(arrivals.per_shard)
            )
        } else {
            format!("{} records/s arrive per shard", per_s(arrivals.per_shard))
        };
        Some(format!(
            "{name}: {concurrency} concurrent executions, the cap set by shards × parallelization factor = \
             {by_shards}. {cost}, so each shard is processed at up to {} records/s while {arriving}: \
             use {pf}{shards_clause}.",
            per_s(per_shard)
        ))
    } else {
        let most = per_batch * f64::from(cap);
        if most >= 1.1 * arrivals.total || processed < 0.8 * most {
            return None;
        }
        let why = if l.reserved_concurrency.is_some() {
            format!("its reserved concurrency of {cap}; raise it")
        } else {
            format!(
                "the account's unreserved concurrency ({cap}, what reservations leave of \
                 account.lambda_concurrency); ask for a higher account limit or reserve concurrency for it"
            )
        };
        Some(format!(
            "{name}: {concurrency} concurrent executions, the cap set by {why}, or use a faster function. \
             {cost}, so {cap} batches at a time process at most {} records/s while {} arrive.",
            per_s(most),
            per_s(arrivals.total)
        ))
    }
}

/// How far a consumer lags and how it fares over the last minute.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Lag {
    /// Iterator age now, ms.
    age_ms: f64,
    /// Iterator age growth, seconds per second.
    growth: f64,
    /// Records processed per second.
    processed: f64,
    /// Lambda invocations throttled by the concurrency limit.
    throttles: u64,
    /// Whether the iterator age is above a minute and growing.
    behind: bool,
}

/// A consumer falling behind, or throttled by Lambda, that no other rule explains: the
/// cause its settings and numbers support best, and the remedy.
#[allow(clippy::too_many_arguments)]
fn falling_behind(
    c: &ConsumerConfig,
    config: &Config,
    sim: &Simulation,
    now: &ConsumerTick,
    lag: &Lag,
    arrivals: &Arrivals,
    shards: u32,
    faster: &str,
) -> Finding {
    let name = c.name();
    let head = format!(
        "{name} is falling behind: its iterator age is {} and grew {:.2} s every second over the last \
         minute, processing {} of {} records/s",
        hours(lag.age_ms),
        lag.growth,
        per_s(lag.processed),
        per_s(arrivals.total)
    );
    let arriving = if arrivals.hot {
        format!(
            "up to {} records/s arrive at the busiest shard",
            per_s(arrivals.per_shard)
        )
    } else {
        format!("{} records/s arrive per shard", per_s(arrivals.per_shard))
    };
    let rule = if lag.behind {
        Rule::FallingBehind
    } else {
        Rule::LambdaThrottled
    };
    let lead = if lag.behind {
        format!("{head}. ")
    } else {
        format!("{name}: ")
    };
    let message = match c {
        ConsumerConfig::Lambda(l) => {
            let by_shards = shards * l.parallelization_factor;
            if l.reserved_concurrency == Some(0) {
                format!(
                    "{name}: its reserved concurrency is 0, so the function never runs: nothing is processed \
                     and every record waits until the retention removes it (iterator age {}). Remove the \
                     reservation, or reserve at least {by_shards} (shards × parallelization factor).",
                    hours(lag.age_ms)
                )
            } else if lag.throttles > 0 {
                let throttled = format!(
                    "Lambda throttled {} in the last minute",
                    plural(lag.throttles, "invocation", "invocations")
                );
                match l.reserved_concurrency {
                    Some(r) => format!(
                        "{lead}{throttled}: its reserved concurrency of {r} is both its share and its cap, \
                         below the {by_shards} concurrent batches its shards × parallelization factor would \
                         run. Raise the reservation to {by_shards}, or use a faster function."
                    ),
                    None => {
                        let pool = config.unreserved_concurrency();
                        let reserved = config.account.lambda_concurrency - pool;
                        let others: Vec<&str> = config
                            .consumers
                            .iter()
                            .filter_map(|o| match o {
                                ConsumerConfig::Lambda(o)
                                    if o.reserved_concurrency.is_none() && o.name != l.name =>
                                {
                                    Some(o.name.as_str())
                                }
                                _ => None,
                            })
                            .collect();
                        let sharing = if others.is_empty() {
                            String::new()
                        } else {
                            let used = sim
                                .metrics()
                                .unreserved_concurrency
                                .saturating_sub(now.concurrency);
                            format!(
                                " {name} shares it with {}, which held {used} of the {pool} at the last \
                                 second while {name} held {}.",
                                others.join(", "),
                                now.concurrency
                            )
                        };
                        format!(
                            "{lead}{throttled}: it has no reservation, so it runs in the account's unreserved \
                             concurrency — functions without a reservation share what reservations leave of \
                             account.lambda_concurrency ({} − {reserved} reserved = {pool}).{sharing} It \
                             would run up to {by_shards} concurrent batches (shards × parallelization \
                             factor). Reserve about {by_shards} for it (reservations must leave \
                             {UNRESERVED_MIN} unreserved, so account.lambda_concurrency of at least {}), or \
                             raise account.lambda_concurrency.",
                            config.account.lambda_concurrency,
                            count(f64::from(reserved + by_shards + UNRESERVED_MIN))
                        )
                    }
                }
            } else {
                format!("{lead}{arriving}; {faster}.")
            }
        }
        ConsumerConfig::Kcl(k) => {
            let capacity = k.records_per_sec_per_task;
            let per_call =
                f64::from(k.max_records_per_call) * 1_000.0 / f64::from(k.poll_interval_ms.max(1));
            let leases = super::kcl::assign_leases(
                shards as usize,
                now.concurrency,
                k.max_leases_per_worker,
            );
            let mut held = vec![0u32; now.concurrency as usize];
            for w in leases.iter().flatten() {
                held[*w as usize] += 1;
            }
            let most = held.iter().copied().max().unwrap_or(0);
            let fewest = held.iter().copied().min().unwrap_or(0);
            let r = arrivals.per_shard;
            if k.fan_out == FanOut::Shared && per_call < arrivals.per_shard {
                let need = (arrivals.per_shard * f64::from(k.poll_interval_ms) / 1_000.0 * 1.2)
                    .ceil()
                    .min(10_000.0);
                let remedy = if need < 10_000.0 {
                    format!(
                        "Raise max_records_per_call to at least {} (at most 10,000), or poll more often \
                         (a lower poll_interval_ms, not below 200)",
                        count(need)
                    )
                } else {
                    "Raise max_records_per_call to 10,000 and poll more often (a lower \
                     poll_interval_ms, not below 200)"
                        .to_string()
                };
                format!(
                    "{lead}Each shard's processor makes one GetRecords call per poll, of at most \
                     max_records_per_call = {} records every {} ms (poll_interval_ms): that reads at most {} \
                     records/s per shard while {arriving}. {remedy}.",
                    count(f64::from(k.max_records_per_call)),
                    count(f64::from(k.poll_interval_ms)),
                    per_s(per_call)
                )
            } else if most > fewest
                && f64::from(most) * r > capacity
                && f64::from(fewest) * r <= capacity
            {
                let busy = held.iter().filter(|&&h| h == most).count() as u64;
                let who = if busy == 1 {
                    format!(
                        "one of its {} holds {most} of the {shards} leases",
                        plural(u64::from(now.concurrency), "task", "tasks")
                    )
                } else {
                    format!(
                        "{busy} of its {} tasks hold {most} of the {shards} leases each",
                        now.concurrency
                    )
                };
                let per_task = (capacity / r.max(1e-9)).floor().max(1.0) as u32;
                let tasks = shards.div_ceil(per_task);
                format!(
                    "{lead}KCL balances leases by count, so {who} and needs {} records/s for its capacity of \
                     {} records/s, while others hold {fewest}. Run {} (at most {per_task} {} each), or \
                     raise records_per_sec_per_task to at least {}.",
                    per_s(f64::from(most) * r),
                    per_s(capacity),
                    plural(u64::from(tasks), "task", "tasks"),
                    if per_task == 1 { "lease" } else { "leases" },
                    per_s(f64::from(most) * r)
                )
            } else {
                format!("{lead}{arriving}; {faster}.")
            }
        }
    };
    finding(rule, Severity::Warning, Some(name.to_string()), message)
}

/// Failed Lambda invocations: timeouts name the timeout and what a batch takes; other
/// errors name the retries that hold the shard.
fn lambda_errors(
    name: &str,
    l: &LambdaConfig,
    errors: u64,
    timeouts: u64,
    invocations: u64,
    skipped: u64,
) -> String {
    let given_up = if skipped > 0 {
        format!(
            " {} records were given up (skipped) in the last minute.",
            count(skipped as f64)
        )
    } else {
        String::new()
    };
    if timeouts > 0 {
        let batch = u64::from(l.batch_size);
        let others = if errors > timeouts {
            format!(" and {} more failed", count((errors - timeouts) as f64))
        } else {
            String::new()
        };
        return format!(
            "{name}: {} timed out in the last minute{others}: the function's timeout is {} s and a full batch \
             of {} records takes about {} ({} ms + {} × {} ms). Use a smaller batch, a faster function or a \
             longer timeout (at most 900 s); a timed-out batch is retried like any failed one.{given_up}",
            plural(timeouts, "invocation", "invocations"),
            l.timeout_s,
            count(batch as f64),
            hours(invocation_ms(l, batch) as f64),
            l.invocation_overhead_ms,
            count(batch as f64),
            l.ms_per_record
        );
    }
    let forever = l.max_retry_attempts < 0 && l.max_record_age_s < 0;
    let policy = if forever {
        "with the default settings it retries until the records expire".to_string()
    } else {
        let mut limits = Vec::new();
        if l.max_retry_attempts >= 0 {
            limits.push(format!(
                "after {}",
                plural(l.max_retry_attempts as u64, "retry", "retries")
            ));
        }
        if l.max_record_age_s >= 0 {
            limits.push(format!(
                "once its records are {} old",
                hours(l.max_record_age_s as f64 * 1_000.0)
            ));
        }
        format!("it gives a batch up {}", limits.join(" or "))
    };
    let mut remedies = Vec::new();
    if forever {
        remedies.push(
            "set max_retry_attempts or max_record_age_s so a failing batch cannot hold the shard",
        );
    }
    if !l.bisect_on_error {
        remedies.push("turn on bisect_on_error to split a failing batch and isolate bad records");
    }
    remedies.push(
        "send what is given up to an on-failure destination (SQS, SNS or S3) to replay it later",
    );
    let remedy = match remedies.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{}, and {last}", rest.join(", ")),
        None => String::new(),
    };
    let mut remedy_chars = remedy.chars();
    let remedy = match remedy_chars.next() {
        Some(first) => first.to_uppercase().chain(remedy_chars).collect::<String>(),
        None => remedy,
    };
    let retried = if l.bisect_on_error {
        "Lambda splits a failed batch in halves and retries them, down to the failing records (a split uses \
         no retry attempt)"
    } else {
        "Lambda retries a failed batch whole"
    };
    format!(
        "{name}: {} of {} invocations failed in the last minute. {retried}, and the shard's later records wait \
         behind it; {policy}.{given_up} {remedy}.",
        count(errors as f64),
        count(invocations.max(errors) as f64)
    )
}

/// KCL shards nobody reads: every task is at its lease cap, or no task runs. Children
/// waiting for their parents during a reshard are not unread: they are next in line.
fn shards_unread(name: &str, k: &KclConfig, running: u32, shards: u32) -> Option<String> {
    if running == 0 {
        let start = if k.autoscaling.enabled {
            "raise the autoscaling minimum above 0"
        } else {
            "start tasks"
        };
        return Some(format!(
            "{name}: no task is running, so none of its {shards} shards is read and records wait until they \
             expire; {start}."
        ));
    }
    let cap = k.max_leases_per_worker?;
    let held = running.saturating_mul(cap);
    (held < shards).then(|| {
        format!(
            "{name}: {} have no reader: {} × {} each hold {held} of {shards} shards (max leases per worker), \
             and their records wait until they expire. Add tasks, raise the lease cap or enable autoscaling.",
            plural(u64::from(shards - held), "shard", "shards"),
            plural(u64::from(running), "task", "tasks"),
            plural(u64::from(cap), "lease", "leases")
        )
    })
}

/// Throttled GetRecords calls: too many bytes for the shared 2 MiB/s per shard, or too
/// many calls for its 5 per second.
fn shared_reads(
    read_throttled: u64,
    standard: usize,
    written_bytes: f64,
    shards: u32,
    more: &MoreShards,
) -> String {
    let who = if standard == 1 {
        "the one standard consumer".to_string()
    } else {
        format!("{standard} standard consumers")
    };
    let per_shard = written_bytes / f64::from(shards.max(1));
    let demand = per_shard * standard as f64;
    let head = format!(
        "GetRecords calls were throttled {} times in the last minute (ReadProvisionedThroughputExceeded)",
        count(read_throttled as f64)
    );
    if demand > READ_BYTES_PER_S as f64 {
        let needed = (written_bytes * standard as f64 / READ_BYTES_PER_S as f64).ceil() as u64;
        let shards_clause = match more {
            MoreShards::Add => format!(", or add shards (about {needed})"),
            MoreShards::Coming(status, _) => {
                format!("; the reshard under way also helps ({status})")
            }
            MoreShards::NoHelp => String::new(),
        };
        format!(
            "{head}: each standard consumer reads everything written, {} per shard, so {who} need {} per shard, \
             more than the 2 MiB/s they share. Move some consumers to enhanced fan-out (2 MiB/s per shard each)\
             {shards_clause}.",
            rate(per_shard),
            rate(demand)
        )
    } else {
        let remedy = if standard == 1 {
            "give it enhanced fan-out, or let it poll less often"
        } else {
            "use fewer standard consumers, or move some to enhanced fan-out"
        };
        format!(
            "{head}: {who} read {} per shard, within the shared 2 MiB/s, so the limit reached is 5 calls/s per \
             shard (or a large read paid back over the next seconds): {remedy}.",
            rate(demand)
        )
    }
}

fn finding(rule: Rule, severity: Severity, consumer: Option<String>, message: String) -> Finding {
    Finding {
        rule,
        severity,
        consumer,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One second of 1,000 write attempts, 10 % throttled in minutes 0 and 1 of every 15.
    fn tick(s: u64) -> TickMetrics {
        let minute = (s - 1) / 60;
        let throttled = if minute % 15 < 2 { 100 } else { 0 };
        TickMetrics {
            t_ms: s * 1_000,
            incoming_records: 1_000 - throttled,
            write_throttled: throttled,
            consumers: vec![ConsumerTick::default()],
            ..TickMetrics::default()
        }
    }

    #[test]
    fn recent_keeps_a_minute_of_ticks_and_an_hour_of_minutes_in_bounded_memory() {
        let mut recent = Recent::default();
        let mut capacity = (0, 0, 0);
        for s in 1..=3 * 3_600 {
            recent.add(&tick(s), 1);
            if s == 2 * 3_600 {
                capacity = (
                    recent.stream.capacity(),
                    recent.consumers[0].capacity(),
                    recent.minutes.capacity(),
                );
            }
        }
        assert_eq!(recent.stream.len(), 60);
        assert_eq!(recent.minutes.len(), HOUR_MINUTES);
        // The third hour allocated nothing.
        assert_eq!(
            capacity,
            (
                recent.stream.capacity(),
                recent.consumers[0].capacity(),
                recent.minutes.capacity()
            )
        );
        // Minutes 120, 121, 135, 136, 150, 151, 165 and 166 were throttled: 4 bursts.
        let hour = recent.hour();
        assert_eq!(hour.minutes, 60);
        assert_eq!(hour.bursts, 4);
        assert_eq!(hour.throttled_s, 8 * 60);
        assert_eq!(hour.throttled, 8 * 60 * 100);
        assert_eq!(hour.attempts, 3_600 * 1_000);
        // Half a minute later the hour holds 59 full minutes and the half under way.
        for s in 3 * 3_600 + 1..=3 * 3_600 + 30 {
            recent.add(&tick(s), 1);
        }
        let hour = recent.hour();
        assert_eq!(hour.minutes, 60);
        assert_eq!(hour.attempts, 59 * 60 * 1_000 + 30 * 1_000);
        // A tick from the start again is a new run.
        recent.add(&tick(1), 1);
        assert_eq!(recent.stream.len(), 1);
        assert_eq!(recent.hour().minutes, 1);
    }

    #[test]
    fn the_zipf_total_matches_key_popularity_and_its_tail_estimate_holds() {
        // key_popularity normalises by the same total: its top share is 1 / total.
        for (n, skew) in [
            (1_000, 1.2),
            (50, 2.0),
            (7, 0.0),
            (200_000, 1.0),
            (300_000, 0.8),
        ] {
            let top = crate::model::routing::key_popularity(n, skew)[0];
            let total = zipf_total(n, skew);
            assert!(
                (top * total - 1.0).abs() < 1e-6,
                "{n} {skew}: {}",
                top * total
            );
        }
        assert!((2_400.0 / zipf_total(1_000, 1.2) - 554.0).abs() < 1.0);
    }

    #[test]
    fn shards_are_sized_by_records_and_by_bytes() {
        assert_eq!(shards_for(1_000.0, 1_000.0 * 25.0 * 1_024.0), 25);
        assert_eq!(shards_for(3_000.0, 3_000.0 * 100.0), 3);
        assert_eq!(shards_for(2_000.0, 2.0 * 1_048_576.0), 2);
        assert_eq!(shards_for(0.0, 0.0), 1);
    }
}
