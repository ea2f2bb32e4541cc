//! The simulation: one fixed tick at a time, in the order the design lays down.
//!
//! [`Simulation::step`] runs a tick's phases in order, one file each: the control plane
//! (`control`: scripted events, resharding, KCL tasks), the writes and their appends
//! (`writes`), the reads (`reads`), retention (`retention`), the tick's metrics
//! (`metrics`) and its cost (`cost`). Settings changed mid-run go through `apply`; a
//! `Topology` keeps the shards' and consumers' rules; `state` holds the rest of a run.

mod apply;
mod capacity;
mod control;
mod cost;
mod faults;
mod metrics;
mod phase;
mod quiet;
mod reads;
mod repeat;
mod replay;
mod retention;
mod span;
mod state;
mod topology;
mod writes;

use std::collections::VecDeque;

pub use capacity::{shards_for_peak, step_at, NEW_STREAM_SHARDS, SCALE_DELAY_S, WARM_DELAY_S};
pub use control::ReshardProgress;
pub use faults::FaultSpan;
pub use span::TickSink;

use crate::model::config::{Config, ConsumerKind, FanOut};
use crate::model::consumer::{ConsumerTick, Ledger};
use crate::model::cost::Meter;
use crate::model::error::ConfigError;
use crate::model::metrics::{TickMetrics, Totals};
use crate::model::producer::Producer;
use crate::model::reads::CallStats;
use crate::model::rng::Rng;
use crate::model::routing::EvenLayout;
use crate::model::shard_metrics::ShardTick;
use state::{Fleet, Reshard, Scratch};
use topology::Topology;
use writes::ShardWrites;

/// Records per second one shard accepts.
pub const SHARD_WRITE_RECORDS_PER_S: u64 = 1_000;
/// Bytes per second one shard accepts.
pub const SHARD_WRITE_BYTES_PER_S: u64 = 1_048_576;
/// Sub-stream kind for the order in which consumers go each tick.
const RNG_ORDER: u64 = 3;

/// The whole simulated system. Same config and seed ⇒ the same numbers.
#[derive(Debug, Clone)]
pub struct Simulation {
    config: Config,
    tick_ms: u64,
    now_ms: u64,
    /// The shards and the consumers reading them.
    topology: Topology,
    producers: Vec<Producer>,
    reshard: Reshard,
    /// On-demand scaling, warm throughput and mode switches.
    capacity: capacity::Capacity,
    /// Scripted events by time: (due ms, index in `config.events`).
    events: Vec<(u64, usize)>,
    next_event: usize,
    /// Scripted events that could not apply (index and why); empty unless an invariant broke.
    refused_events: Vec<(usize, ConfigError)>,
    totals: Totals,
    metrics: TickMetrics,
    /// Write utilisation of each open shard in the last tick.
    utilisation: Vec<f64>,
    /// What each open shard's writes came to in the last tick, in layout order.
    shard_writes: Vec<ShardWrites>,
    /// Each held shard's enhanced-monitoring numbers for the last tick (the write
    /// metrics' samples are worked out when asked).
    shard_ticks: Vec<ShardTick>,
    /// Whether the shard-level numbers are kept ([`Simulation::watch_shards`]).
    shard_level: bool,
    /// Records accepted in each tick of the last minute (for autoscaling).
    incoming_window: VecDeque<u64>,
    /// What the run has used, by the mode it was in at the time.
    used: cost::ByMode,
    /// What the run has used in all.
    meter: Meter,
    /// The meter at the end of each tick of the last minute (for the hourly rate).
    meter_window: VecDeque<(u64, Meter)>,
    /// Bytes held between 24 h and 7 days old and beyond 7 days, refreshed every minute.
    held_bytes: (u64, u64),
    /// Bytes written and read in the minute under way (for Advantage's commitment).
    minute_bytes: (u64, u64),
    /// PUT payload units and on-demand billed bytes of the last tick's accepted records.
    billed_now: (u64, u64),
    /// User records producers made so far (fractional with aggregation).
    produced_users: f64,
    /// Where the order in which consumers go each tick comes from.
    order_rng: Rng,
    /// Consumers removed by `apply`, with their ledgers as they were then.
    removed: Vec<ConsumerReport>,
    /// Retries lost with producers `apply` removed, not yet in a tick's metrics.
    drops_unticked: u64,
    /// The scripted faults, in start order.
    faults: Vec<FaultSpan>,
    /// Hundredths of a record a put fault has yet to refuse.
    put_fault_carry: u64,
    /// Per-tick working buffers.
    scratch: Scratch,
    /// Ticks [`Simulation::run_ticks`] replayed rather than worked out.
    replayed: u64,
    /// Where `run_ticks`'s search for a repeat stands.
    skip: span::Skip,
}

impl Simulation {
    /// A simulation of `config` at time 0, after validating it.
    pub fn new(config: Config) -> Result<Simulation, ConfigError> {
        config.validate()?;
        let mut config = config;
        if config.stream.mode.on_demand() {
            config.stream.shards = NEW_STREAM_SHARDS;
        }
        let layout = EvenLayout::new(config.stream.shards);
        let producers: Vec<Producer> = config
            .producers
            .iter()
            .map(|p| Producer::new(p.clone(), &layout))
            .collect();
        let mut events: Vec<(u64, usize)> = config
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.at_s * 1_000, i))
            .collect();
        crate::model::order::sort_by_key(&mut events, |&e| e);
        let mut sim = Simulation {
            tick_ms: u64::from(config.tick_s) * 1_000,
            now_ms: 0,
            topology: Topology::new(layout, producers.len()),
            producers,
            reshard: Reshard {
                target: config.stream.shards,
                ..Reshard::default()
            },
            capacity: capacity::Capacity::default(),
            next_event: 0,
            refused_events: Vec::new(),
            totals: Totals::default(),
            metrics: TickMetrics::default(),
            utilisation: Vec::new(),
            shard_writes: Vec::new(),
            shard_ticks: Vec::new(),
            shard_level: false,
            incoming_window: VecDeque::new(),
            used: cost::ByMode::default(),
            meter: Meter::default(),
            meter_window: VecDeque::new(),
            held_bytes: (0, 0),
            minute_bytes: (0, 0),
            billed_now: (0, 0),
            produced_users: 0.0,
            order_rng: Rng::substream(config.seed, RNG_ORDER, 0),
            removed: Vec::new(),
            drops_unticked: 0,
            scratch: Scratch::default(),
            faults: faults::spans(&config, &events),
            events,
            put_fault_carry: 0,
            replayed: 0,
            skip: span::Skip::default(),
            config,
        };
        for c in sim.config.consumers.clone() {
            sim.add_consumer(c, false);
        }
        let warm = sim.config.stream.warm_throughput_mibps;
        sim.capacity.set_warm(warm, 0);
        Ok(sim)
    }

    /// Runs the whole ticks that fit in `seconds` of simulated time: never past it, so
    /// with 10 s ticks `run_for(25)` runs two ticks.
    pub fn run_for(&mut self, seconds: u64) {
        self.run_ticks(seconds.saturating_mul(1_000) / self.tick_ms, |_, _| {});
    }

    /// Advances one tick, phase by phase.
    ///
    /// ```
    /// use kinesis_playground::model::{Config, Simulation};
    ///
    /// // Two shards, 4 producer instances at 250 records/s each, one Lambda consumer.
    /// let mut sim = Simulation::new(Config::default()).unwrap();
    /// sim.step();
    /// assert_eq!(sim.now_ms(), 1_000);
    /// assert_eq!(sim.metrics().incoming_records, 1_000);
    /// ```
    pub fn step(&mut self) {
        self.restart_search();
        self.tick();
    }

    /// [`Simulation::step`]; returns what the tick's writes came to.
    fn tick(&mut self) -> writes::Written {
        let start = self.now_ms;
        let end = start + self.tick_ms;
        // 1. Control plane: scripted events, UpdateShardCount and on-demand scaling
        //    steps, KCL task fleets.
        self.control_plane(start);
        self.start_tick_counters();
        // 2–3. Writes, second by second, each second's accepted records appended.
        let written = self.write(start, end);
        self.capacity
            .note(written.produced_records, written.produced_bytes);
        // 4. Reads.
        self.read(start, end);
        self.note_reads();
        // 5. Retention.
        self.retain(end);
        // 6. Metrics, then what the tick cost.
        self.finish_tick(end, &written);
        self.accrue_cost(end);
        self.now_ms = end;
        self.topology.check();
        written
    }

    /// Ticks so far that [`Simulation::run_ticks`] replayed from a checked period rather
    /// than worked out (their numbers are the same either way).
    pub fn replayed_ticks(&self) -> u64 {
        self.replayed
    }

    /// The current settings (scripted events and `apply` change them).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Simulated time, ms since the start.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// The scripted faults of the run, in start order, past, present and to come.
    pub fn fault_spans(&self) -> &[FaultSpan] {
        &self.faults
    }

    /// The last tick's metrics.
    pub fn metrics(&self) -> &TickMetrics {
        &self.metrics
    }

    /// Totals since the start.
    pub fn totals(&self) -> Totals {
        self.totals_now()
    }

    /// Records waiting in producers' retry buffers.
    pub fn pending_retry(&self) -> u64 {
        self.producers.iter().map(|p| p.pending).sum()
    }

    /// Write utilisation of each open shard in the last tick: the larger of its share
    /// of the records and of the bytes limit. At most 1, plus one record's share of the
    /// byte limit when a single record overdraws it (600 KB records reach about 1.14).
    pub fn shard_utilisation(&self) -> &[f64] {
        self.utilisation_now()
    }

    /// Each held shard's id and what the standard consumers' GetRecords calls on it came
    /// to in the last tick: the shard-level (enhanced monitoring) `IteratorAgeMilliseconds`
    /// and `OutgoingRecords`/`OutgoingBytes` of GetRecords. A shard no call read has no
    /// age (`behind_ms` is `None`).
    pub fn shard_get_records(&self) -> impl Iterator<Item = (u32, CallStats)> + '_ {
        self.topology
            .shards()
            .iter()
            .map(|s| (s.id(), s.call_stats()))
    }

    /// Keeps the shard-level (enhanced monitoring) metrics from the next tick on, as
    /// EnableEnhancedMonitoring does; a run that never reads them does not pay for them.
    pub fn watch_shards(&mut self) {
        self.restart_search();
        self.shard_level = true;
    }

    /// Each shard held in the last tick (open ones and closed parents still read), by
    /// id: its shard-level (enhanced monitoring) metrics for that tick (none before
    /// [`Simulation::watch_shards`]). A shard taken
    /// out by retention at the end of the tick is still there; one no GetRecords call
    /// read has no `iterator_age_ms`. Ask right after [`Simulation::step`]: the samples of
    /// the write metrics (`put_calls`) are worked out from the tick's calls now, at a
    /// cost of producers × seconds per shard, and only then.
    pub fn shard_metrics(&self) -> impl Iterator<Item = ShardTick> + '_ {
        let first_open = self
            .shard_ticks
            .len()
            .saturating_sub(self.shard_writes.len());
        self.shard_ticks.iter().enumerate().map(move |(k, t)| {
            let mut t = *t;
            if t.open && k >= first_open {
                let offered = t.incoming_records + t.write_throttled;
                t.put_calls = writes::shard_put_calls(
                    &self.producers,
                    &self.scratch,
                    k - first_open,
                    offered,
                );
            }
            t
        })
    }

    /// Number of open shards.
    pub fn open_shards(&self) -> u32 {
        self.topology.layout().shards()
    }

    /// Shards held in memory (open plus closed parents still holding records).
    pub fn live_shards(&self) -> usize {
        self.topology.shards().len()
    }

    /// Segments held over all shards (bounded per shard).
    pub fn segments(&self) -> usize {
        self.topology
            .shards()
            .iter()
            .map(|s| s.log.segments())
            .sum()
    }

    /// Each shard's log (open and closed shards, in shard order): the records it
    /// retains as segments.
    pub fn shard_logs(&self) -> impl Iterator<Item = &crate::model::log::ShardLog> + '_ {
        self.topology.shards().iter().map(|s| &s.log)
    }

    /// Scripted events applied so far (they change `config()`).
    pub fn events_applied(&self) -> usize {
        self.next_event
    }

    /// Scripted events that reached their time but could not apply, with the reason.
    /// Always empty: validation replays every event, and [`Simulation::apply`] refuses an
    /// edit that would break one still to come; kept so a broken promise is visible.
    pub fn refused_events(&self) -> &[(usize, ConfigError)] {
        &self.refused_events
    }

    /// Where UpdateShardCount stands while its steps are under way (`None` when idle).
    pub fn reshard_progress(&self) -> Option<ReshardProgress> {
        let open_shards = self.open_shards();
        (self.reshard.target != open_shards || self.reshard.step.is_some()).then_some(
            ReshardProgress {
                open_shards,
                target_shards: self.reshard.target,
            },
        )
    }

    /// The shard count UpdateShardCount is working toward (the open count when idle).
    pub fn reshard_target(&self) -> u32 {
        self.reshard.target
    }

    /// The UpdateShardCount step under way: the shard count it leads to and the
    /// simulated time it completes, ms.
    pub fn reshard_step(&self) -> Option<(u32, u64)> {
        self.reshard.step
    }

    /// Start times (ms) of recent UpdateShardCount steps, oldest first; those older than
    /// 24 h no longer count against the daily limit.
    pub fn reshard_starts(&self) -> impl Iterator<Item = u64> + '_ {
        self.reshard.history.iter().copied()
    }

    /// The producers as the run has them (settings, keys' shares of the open shards,
    /// bytes per record), in config order.
    pub fn producers(&self) -> &[Producer] {
        &self.producers
    }

    /// Bytes one record of each producer counts against the write limit (data plus
    /// mean key length), in config order.
    pub fn producer_record_bytes(&self) -> impl Iterator<Item = u64> + '_ {
        self.producers.iter().map(|p| p.bytes_per_record)
    }

    /// Bytes of the largest Kinesis record each producer may send (a full aggregate
    /// with KPL aggregation, otherwise a user record), in config order.
    pub fn producer_largest_record_bytes(&self) -> impl Iterator<Item = u64> + '_ {
        self.producers
            .iter()
            .map(|p| p.packing(f64::INFINITY).bytes)
    }

    /// Per consumer that ever ran: name, kind and ledger. The running consumers come
    /// first, in config order, then those `apply` removed, in the order they went, each
    /// as it was when removed (with `removed_at_s`).
    pub fn ledgers(&self) -> Vec<ConsumerReport> {
        self.topology
            .consumers()
            .iter()
            .enumerate()
            .map(|(ci, c)| ConsumerReport {
                name: c.config.name().to_string(),
                kind: c.config.consumer_kind(),
                ledger: c.ledger,
                behind: self.behind(ci),
                max_iterator_age_ms: c.max_iterator_age_ms,
                final_iterator_age_ms: c.tick.iterator_age_ms,
                max_concurrency: match &c.fleet {
                    Fleet::Lambda { max_concurrency } => Some(*max_concurrency),
                    Fleet::Kcl(_) => None,
                },
                max_tasks: match &c.fleet {
                    Fleet::Lambda { .. } => None,
                    Fleet::Kcl(f) => Some(f.max_running),
                },
                removed_at_s: None,
                processed_user_records: self.aggregates().then_some(c.ledger.processed_users),
            })
            .chain(self.removed.iter().cloned())
            .collect()
    }

    /// What KPL aggregation does to each producer's records (in config order).
    pub fn aggregation(&self) -> Vec<crate::model::aggregation::Figures> {
        self.producers
            .iter()
            .map(crate::model::aggregation::figures)
            .collect()
    }

    /// Whether KPL aggregation is on for a producer or has packed records in this run.
    pub fn aggregates(&self) -> bool {
        self.config.producers.iter().any(|p| p.aggregation)
            || self.totals.user_records_put != self.totals.accepted
    }

    /// Records in the stream consumer `ci` has not processed yet.
    fn behind(&self, ci: usize) -> u64 {
        self.topology
            .shards()
            .iter()
            .map(|s| s.readers[ci].cursor.unprocessed(s.log.end_seq()))
            .sum()
    }

    /// Each consumer's numbers for the tick start from zero (after the control plane,
    /// which may add or remove consumers).
    fn start_tick_counters(&mut self) {
        self.metrics.consumers.clear();
        for c in self.topology.consumers_mut() {
            c.tick = ConsumerTick {
                kcl: matches!(c.fleet, Fleet::Kcl(_)),
                enhanced: c.config.fan_out() == FanOut::Enhanced,
                ..ConsumerTick::default()
            };
        }
    }
}

/// One consumer's line in a run's summary.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConsumerReport {
    /// Consumer name.
    pub name: String,
    /// A Lambda function or KCL workers (`"lambda"` or `"kcl"` in JSON).
    #[serde(rename = "type")]
    pub kind: ConsumerKind,
    /// Its totals.
    #[serde(flatten)]
    pub ledger: Ledger,
    /// Records in the stream it has not processed yet.
    pub behind: u64,
    /// Highest iterator age seen, ms.
    pub max_iterator_age_ms: u64,
    /// Iterator age at the end, ms.
    pub final_iterator_age_ms: u64,
    /// Lambda: most concurrent executions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<u32>,
    /// KCL: most tasks running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tasks: Option<u32>,
    /// Simulated second at which a scripted event or `apply` removed it (absent while
    /// it runs); its numbers are those of that moment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_at_s: Option<u64>,
    /// User records processed, when producers aggregate (a KCL application or a
    /// de-aggregating function sees these; the ledger counts Kinesis records).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processed_user_records: Option<u64>,
}
