//! Findings about writes: a hot or crowded shard, throttling in the last minute or in
//! bursts over the last hour, and records producers gave up on.

use crate::model::config::FaultAction;
use crate::model::sim::{Simulation, SHARD_WRITE_BYTES_PER_S, SHARD_WRITE_RECORDS_PER_S};

use super::load::{busiest_key, hot_key, keyed_traffic, offered, shards_for, shards_for_keys};
use super::recent::THROTTLED_SHARE;
use super::{reshard, Finding, Recent, Rule, Severity};
use super::{
    Aggregate, Cause, CrowdedKeys, Crowding, MoreShards, Offered, PeakNow, ProducerDrops,
    ReshardProgress, Sizing, ThrottledLately, ThrottledNow,
};

/// What the consumer rules need to know of the writes.
pub(super) struct Writes {
    /// Whether adding shards is fitting advice.
    pub(super) more: MoreShards,
    /// Whether one shard is at its limit while the others have room.
    pub(super) crowded: bool,
    /// The busiest shard's write utilisation.
    pub(super) hottest: f64,
    /// Records accepted in the last minute.
    pub(super) accepted: u64,
    /// The reshard under way, if any.
    pub(super) resharding: Option<ReshardProgress>,
}

/// Records producers gave up on in the last minute, if any.
fn producer_drops(
    recent: &Recent,
    more: MoreShards,
    aggregate: Option<Aggregate>,
    out: &mut Vec<Finding>,
) {
    let dropped = recent.sum(|m| m.dropped);
    if dropped > 0 {
        out.push(Finding::stream(
            Rule::ProducerDrops,
            Severity::Loss,
            Cause::ProducerDrops(ProducerDrops {
                dropped,
                more,
                aggregate,
            }),
        ));
    }
}

/// The largest user record, data plus key, that counts as small: a quarter of the bytes
/// a shard takes per record at its records limit (1 MiB/s ÷ 1,000 records/s ÷ 4, 262 B).
/// At the records limit such records use at most a quarter of the shard's bytes, so KPL
/// aggregation lets a shard carry at least about four times as many.
pub const SMALL_RECORD_BYTES: u64 = SHARD_WRITE_BYTES_PER_S / SHARD_WRITE_RECORDS_PER_S / 4;

/// What KPL aggregation would do for the load offered over the last `span_ms` as it is
/// sent now (`known` when the caller has it already), when it is worth saying: records average at most [`SMALL_RECORD_BYTES`], the records limit
/// rather than the bytes limit decides the shard count, and packed (by the model's own
/// rule, each producer's settings with aggregation on) the load needs fewer shards.
fn aggregate(sim: &Simulation, span_ms: u64, known: Option<Offered>) -> Option<Aggregate> {
    let (from_ms, to_ms) = (sim.now_ms().saturating_sub(span_ms), sim.now_ms());
    let plain = known.unwrap_or_else(|| offered(sim, from_ms, to_ms, false));
    let record = plain.bytes_per_s / plain.user_records_per_s.max(f64::MIN_POSITIVE);
    let by_records = shards_for(plain.peak_records_per_s, 0.0);
    let by_bytes = shards_for(0.0, plain.peak_bytes_per_s);
    if plain.records_per_s < plain.user_records_per_s
        || record > SMALL_RECORD_BYTES as f64
        || by_records <= by_bytes
    {
        return None;
    }
    let packed = offered(sim, from_ms, to_ms, true);
    let shards = shards_for(packed.peak_records_per_s, packed.peak_bytes_per_s);
    (shards < by_records).then(|| Aggregate {
        record_bytes: record.round() as u64,
        kinesis_records_per_s: packed.peak_records_per_s.round() as u64,
        shards,
    })
}

/// The put fault in force now, if any (the strongest of those that overlap).
fn put_fault(sim: &Simulation) -> Option<MoreShards> {
    let now_ms = sim.now_ms();
    sim.fault_spans()
        .iter()
        .filter(|f| f.action == FaultAction::ThrottlePut)
        .filter(|f| f.start_ms <= now_ms && now_ms < f.end_ms)
        .max_by_key(|f| f.percent)
        .map(|f| MoreShards::Fault {
            percent: f.percent,
            left_ms: f.end_ms - now_ms,
        })
}

/// Pushes the findings about writes onto `out`; returns what the consumer rules need.
pub(super) fn findings(sim: &Simulation, recent: &Recent, out: &mut Vec<Finding>) -> Writes {
    let config = sim.config();
    let shards = sim.open_shards();
    let now_ms = sim.now_ms();
    let tick_ms = u64::from(config.tick_s).max(1) * 1_000;

    let util = sim.shard_utilisation();
    let (hottest, others, crowded) = crowding_of(util);

    // Writes in the last minute.
    let throttled_count = recent.sum(|m| m.throttled);
    let accepted_count = recent.sum(|m| m.incoming);
    let (throttled, attempts) = (
        throttled_count as f64,
        (throttled_count + accepted_count) as f64,
    );
    let window_ms = recent.ticks() as u64 * tick_ms;
    let offer = offered(sim, now_ms.saturating_sub(window_ms), now_ms, false);
    let throttling_now = attempts > 0.0 && throttled / attempts > THROTTLED_SHARE;
    let hour = recent.hour();

    // Key by key: a single key over a shard's limit is a hot key no shard count cools;
    // keys that merely crowd a shard spread over more shards.
    let any_throttling = throttling_now || hour.bursts > 0;
    let span_ms = if throttling_now {
        window_ms
    } else {
        hour.minutes as u64 * 60_000
    };
    let keyed = if crowded && any_throttling {
        keyed_traffic(sim, now_ms.saturating_sub(span_ms), now_ms)
    } else {
        Vec::new()
    };
    let busiest = busiest_key(&keyed);
    let hot = crowded && hot_key(&keyed);
    // Only where keys visibly crowd a shard: a plain overload is sized by the totals.
    let by_keys = if keyed.is_empty() || hot {
        None
    } else {
        shards_for_keys(
            &keyed,
            shards_for(offer.peak_records_per_s, offer.peak_bytes_per_s),
        )
    };
    let resharding = reshard::progress(sim)
        .or_else(|| reshard::on_demand_forecast(sim, offer.records_per_s, offer.bytes_per_s));
    let more = put_fault(sim).unwrap_or(match resharding {
        _ if hot => MoreShards::NoHelp,
        Some(r) if r.to_shards > r.from_shards => MoreShards::Coming(r),
        _ => MoreShards::Add,
    });
    // Over the span the keys are read for: the last minute's load is in hand already.
    let aggregate = any_throttling
        .then(|| aggregate(sim, span_ms, throttling_now.then_some(offer)))
        .flatten();
    // The shard count write throttling calls for; `by_keys` is what the keys need.
    let sizing = |offer: &Offered| Sizing {
        more,
        open_shards: shards,
        needed_shards: shards_for(offer.peak_records_per_s, offer.peak_bytes_per_s)
            .max(by_keys.unwrap_or(0)),
        aggregate,
    };
    let crowding = || Crowding {
        other_shards: util.len() - 1,
        others_utilisation: others,
        busiest: busiest.clone(),
    };
    if throttling_now {
        let (rule, cause) = if hot {
            (Rule::HotShard, Cause::HotKey(crowding()))
        } else if crowded {
            let cause = CrowdedKeys {
                crowding: crowding(),
                sizing: sizing(&offer),
            };
            (Rule::HotShard, Cause::CrowdedKeys(cause))
        } else {
            let cause = ThrottledNow {
                throttled: throttled_count,
                accepted: accepted_count,
                offered: offer,
                sizing: sizing(&offer),
                window_s: recent.seconds().round() as u64,
            };
            (Rule::WriteThrottling, Cause::ThrottledNow(cause))
        };
        out.push(Finding::stream(rule, Severity::Warning, cause));
    } else if hour.bursts > 0 {
        let now = Counts {
            throttled: throttled_count,
            accepted: accepted_count,
        };
        let (severity, cause) = throttled_lately(sim, &hour, now, hot, &sizing);
        out.push(Finding::stream(
            Rule::WriteThrottling,
            severity,
            Cause::ThrottledLately(cause),
        ));
    }
    producer_drops(recent, more, aggregate, out);
    Writes {
        more,
        crowded,
        hottest,
        accepted: accepted_count,
        resharding,
    }
}

/// Write attempts in the last minute: throttled and accepted.
#[derive(Debug, Clone, Copy)]
struct Counts {
    throttled: u64,
    accepted: u64,
}

/// Throttling in the last hour's bursts though none now: whether the stream as it is
/// now would take that peak, and how bad it was.
fn throttled_lately(
    sim: &Simulation,
    hour: &super::recent::HourSummary,
    counts: Counts,
    hot: bool,
    sizing: &dyn Fn(&Offered) -> Sizing,
) -> (Severity, ThrottledLately) {
    let shards = sim.open_shards();
    let now_ms = sim.now_ms();
    let util = sim.shard_utilisation();
    let hottest = util.iter().copied().fold(0.0, f64::max);
    let span_ms = hour.minutes as u64 * 60_000;
    let offer = offered(sim, now_ms.saturating_sub(span_ms), now_ms, false);
    // Would the stream as it is now take that peak? More shards, or writes spread
    // over more keys since, may have settled it.
    let mean = util.iter().sum::<f64>() / util.len().max(1) as f64;
    let crowding = if mean > 0.0 { hottest / mean } else { 1.0 };
    let per_shard = f64::from(shards.max(1));
    let busiest = crowding
        * (offer.peak_records_per_s / (per_shard * SHARD_WRITE_RECORDS_PER_S as f64))
            .max(offer.peak_bytes_per_s / (per_shard * SHARD_WRITE_BYTES_PER_S as f64));
    let fixed = !hot && busiest < 1.0;
    let now = if !fixed {
        PeakNow::Throttled(sizing(&offer))
    } else if hour.shards_then < shards {
        PeakNow::MoreShards {
            shards_then: hour.shards_then,
        }
    } else {
        PeakNow::SpreadEvenly {
            busiest_utilisation: busiest,
        }
    };
    let severity = if hour.dropped > 0 {
        Severity::Loss
    } else if fixed {
        Severity::Ok
    } else {
        Severity::Warning
    };
    let cause = ThrottledLately {
        now_throttled: counts.throttled,
        now_accepted: counts.accepted,
        minutes: hour.minutes,
        bursts: hour.bursts,
        throttled_s: hour.throttled_s,
        throttled: hour.throttled,
        attempts: hour.attempts,
        dropped: hour.dropped,
        offered: offer,
        open_shards: shards,
        now,
    };
    (severity, cause)
}

/// The busiest shard's write utilisation, the others' mean, and whether partition keys
/// crowd one shard (at its limit while the others have room).
fn crowding_of(util: &[f64]) -> (f64, f64, bool) {
    let hottest = util.iter().copied().fold(0.0, f64::max);
    let others = if util.len() > 1 {
        (util.iter().sum::<f64>() - hottest) / (util.len() - 1) as f64
    } else {
        hottest
    };
    (
        hottest,
        others,
        util.len() > 1 && hottest >= 0.95 && others < 0.6,
    )
}
