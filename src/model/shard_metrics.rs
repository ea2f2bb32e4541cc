//! Shard-level ("enhanced monitoring") metrics: what CloudWatch counts per shard, with
//! the dimensions StreamName and ShardId, and a period's samples of each shard.
//!
//! [`ShardTick`] is one shard's tick ([`crate::model::Simulation::shard_metrics`]):
//! `IncomingRecords` and `IncomingBytes` count the records the shard accepted,
//! `WriteProvisionedThroughputExceeded` the records it refused; `OutgoingRecords` and
//! `OutgoingBytes` what GetRecords calls returned **and** what enhanced fan-out pushed
//! from it; `ReadProvisionedThroughputExceeded` the GetRecords calls it refused, one
//! sample of 1 or 0 per GetRecords call made on it;
//! `IteratorAgeMilliseconds` the largest `MillisBehindLatest` of the GetRecords calls
//! answered on it, with no datapoint when no call read it.
//!
//! Samples, as for the stream's metrics ([`crate::model::cloudwatch`]): the write
//! metrics take the PutRecords calls that carried records to the shard, the outgoing
//! ones each answered GetRecords call or pushed event, the others one second with a
//! value. A PutRecords call mixes the keys of the records it holds, so in each second
//! every call of a producer carries records to each shard its keys reach, unless the
//! shard gets fewer of that producer's records than it makes calls (then one call per
//! record): `min(calls, records)` per producer and second.

use super::cloudwatch::{Kind, Samples, Statistic};

/// The shard-level metrics, in the order [`ShardTick::samples`] gives them.
pub const SHARD_METRICS: [&str; 7] = [
    "IncomingRecords",
    "IncomingBytes",
    "WriteProvisionedThroughputExceeded",
    "OutgoingRecords",
    "OutgoingBytes",
    "ReadProvisionedThroughputExceeded",
    "IteratorAgeMilliseconds",
];

/// One shard's numbers for one tick, as enhanced monitoring counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShardTick {
    /// The shard's id: `shardId-000000000003` is 3.
    pub shard_id: u32,
    /// Whether the shard takes writes (a closed parent is only read).
    pub open: bool,
    /// `IncomingRecords`: records the shard accepted.
    pub incoming_records: u64,
    /// `IncomingBytes`: their bytes (data plus key).
    pub incoming_bytes: u64,
    /// `WriteProvisionedThroughputExceeded`: records the shard refused.
    pub write_throttled: u64,
    /// PutRecords calls that carried records to the shard: the write metrics' samples.
    pub put_calls: u64,
    /// `OutgoingRecords`: records GetRecords calls returned and enhanced fan-out pushed.
    pub outgoing_records: u64,
    /// `OutgoingBytes`: their bytes.
    pub outgoing_bytes: u64,
    /// GetRecords calls answered plus events pushed: the outgoing metrics' samples.
    pub outgoing_calls: u64,
    /// `ReadProvisionedThroughputExceeded`: GetRecords calls the shard refused.
    pub read_throttled: u64,
    /// GetRecords calls made on the shard, answered or refused: that metric's samples.
    pub get_records_calls: u64,
    /// `IteratorAgeMilliseconds`: the largest `MillisBehindLatest` of the GetRecords
    /// calls answered on the shard; `None` when no call read it.
    pub iterator_age_ms: Option<u64>,
}

impl ShardTick {
    /// Each of [`SHARD_METRICS`]: the tick's value (NaN: no datapoint) and how many
    /// samples carried it (`None`: one a second, see [`Samples::tick`]).
    pub fn samples(&self) -> [(f64, Option<f64>); 7] {
        let put = Some(self.put_calls as f64);
        let out = Some(self.outgoing_calls as f64);
        [
            (self.incoming_records as f64, put),
            (self.incoming_bytes as f64, put),
            (self.write_throttled as f64, put),
            (self.outgoing_records as f64, out),
            (self.outgoing_bytes as f64, out),
            (
                self.read_throttled as f64,
                Some(self.get_records_calls as f64),
            ),
            (self.iterator_age_ms.map_or(f64::NAN, |a| a as f64), None),
        ]
    }
}

/// The open period's samples of every shard seen in it, by shard id. It holds one entry
/// per shard of the period (cleared when the period is taken), so memory does not grow
/// with the run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShardSampler {
    shards: Vec<(u32, [Samples; 7])>,
}

impl ShardSampler {
    /// Adds one tick of `seconds` seconds of every shard.
    pub fn add(&mut self, ticks: impl IntoIterator<Item = ShardTick>, seconds: f64) {
        for tick in ticks {
            let at = match self.shards.binary_search_by_key(&tick.shard_id, |s| s.0) {
                Ok(at) => at,
                Err(at) => {
                    self.shards
                        .insert(at, (tick.shard_id, [Samples::default(); 7]));
                    at
                }
            };
            for (k, (samples, (value, n))) in
                self.shards[at].1.iter_mut().zip(tick.samples()).enumerate()
            {
                // IteratorAgeMilliseconds, the last, is a gauge.
                let kind = Kind::of(SHARD_METRICS[k], k == SHARD_METRICS.len() - 1);
                samples.merge(&Samples::tick(value, n, seconds, kind));
            }
        }
    }

    /// Closes the period: its samples, by shard id, each in [`SHARD_METRICS`] order;
    /// the next period starts empty.
    pub fn take_samples(&mut self) -> Vec<(u32, [Samples; 7])> {
        std::mem::take(&mut self.shards)
    }

    /// Shards held for the open period.
    pub fn held(&self) -> usize {
        self.shards.len()
    }

    /// Closes the period: gives `each` every datapoint (shard id, metric, value of
    /// `stat(metric)`) in shard then [`SHARD_METRICS`] order, leaving out the metrics
    /// without a sample, and starts the next period empty.
    pub fn take(
        &mut self,
        stat: impl Fn(&str) -> Statistic,
        mut each: impl FnMut(u32, &'static str, f64),
    ) {
        for (id, samples) in &self.shards {
            for (metric, s) in SHARD_METRICS.iter().zip(samples) {
                let value = s.get(stat(metric));
                if !value.is_nan() {
                    each(*id, metric, value);
                }
            }
        }
        self.shards.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_gathers_each_shards_samples_and_starts_again_empty() {
        let tick = |id, records, calls, age| ShardTick {
            shard_id: id,
            open: true,
            incoming_records: records,
            incoming_bytes: records * 100,
            put_calls: calls,
            iterator_age_ms: age,
            ..ShardTick::default()
        };
        let mut sampler = ShardSampler::default();
        // Shard 1 before shard 0: datapoints still come by id.
        sampler.add([tick(1, 900, 2, None), tick(0, 300, 1, Some(40))], 1.0);
        sampler.add([tick(0, 500, 1, Some(10)), tick(1, 0, 0, None)], 1.0);
        assert_eq!(sampler.held(), 2);
        let mut got = Vec::new();
        sampler.take(
            |_| Statistic::Maximum,
            |id, metric, v| got.push((id, metric, v)),
        );
        assert_eq!(sampler.held(), 0);
        let of = |id, metric| got.iter().find(|g| g.0 == id && g.1 == metric).map(|g| g.2);
        assert_eq!(of(0, "IncomingRecords"), Some(500.0));
        assert_eq!(of(1, "IncomingRecords"), Some(450.0), "per call");
        assert_eq!(of(0, "IteratorAgeMilliseconds"), Some(40.0));
        assert_eq!(of(1, "IteratorAgeMilliseconds"), None, "no call read it");
        // No GetRecords call and no event: no outgoing datapoint, and no refusal
        // datapoint either (one sample per call).
        assert_eq!(of(0, "OutgoingRecords"), None);
        assert_eq!(of(0, "ReadProvisionedThroughputExceeded"), None);
        assert_eq!(got[0].0, 0);
        // Five calls in a second, two refused: Maximum 1, Minimum 0, Average 0.4.
        let read = ShardTick {
            read_throttled: 2,
            get_records_calls: 5,
            ..tick(2, 0, 0, None)
        };
        sampler.add([read], 1.0);
        let mut got = Vec::new();
        for stat in [Statistic::Maximum, Statistic::Minimum, Statistic::Average] {
            let mut again = sampler.clone();
            again.take(
                |_| stat,
                |_, metric, v| {
                    if metric == "ReadProvisionedThroughputExceeded" {
                        got.push(v);
                    }
                },
            );
        }
        assert_eq!(got, [1.0, 0.0, 0.4]);
    }
}
