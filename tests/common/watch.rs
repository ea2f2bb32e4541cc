//! The laws every run obeys at every tick, whatever its settings, checked as it goes.
//!
//! [`Watch`] follows a simulation tick by tick (and through each `apply`) and keeps its
//! own sums of the per-tick metrics, so it can hold the simulation to:
//! - both ledgers: `produced = accepted + dropped_by_producer + pending_retry`, and per
//!   consumer `accepted = processed + expired + skipped + behind`, removed ones included;
//! - per-tick metrics that add up to the totals and to each consumer's ledger;
//! - iterator ages within the retention plus a tick;
//! - the write limits (1,000 records/s per open shard; 1 MiB/s plus one record);
//! - reservations, task and lease counts, and spend that only grows and is never NaN.

use kinesis_playground::model::config::ConsumerKind;
use kinesis_playground::model::cost::Spend;
use kinesis_playground::model::{Config, ConsumerConfig, OnFailure, Simulation};

/// A shard's write limits.
const RECORDS_PER_S: u64 = 1_000;
const BYTES_PER_S: u64 = 1_048_576;

/// What the watch has seen of one consumer since it joined.
#[derive(Debug, Clone)]
struct Track {
    name: String,
    kind: ConsumerKind,
    accepted: u64,
    processed: u64,
    expired: u64,
    skipped: u64,
    max_age_ms: u64,
    most: u32,
    removed_at_s: Option<u64>,
}

impl Track {
    fn new(c: &ConsumerConfig) -> Track {
        Track {
            name: c.name().to_string(),
            kind: c.consumer_kind(),
            accepted: 0,
            processed: 0,
            expired: 0,
            skipped: 0,
            max_age_ms: 0,
            // A KCL fleet starts with its tasks running; a function with nothing running.
            most: match c {
                ConsumerConfig::Kcl(k) => k.tasks,
                ConsumerConfig::Lambda(_) => 0,
            },
            removed_at_s: None,
        }
    }
}

/// Sums of the per-tick stream metrics since the start.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    produced: u64,
    incoming: u64,
    throttled: u64,
    dropped: u64,
    read_throttled: u64,
}

/// Follows one simulation; call [`Watch::applied`] after each `apply` and
/// [`Watch::stepped`] after each `step`.
#[derive(Debug, Clone)]
pub struct Watch {
    tick_ms: u64,
    last_ms: u64,
    sums: Sums,
    running: Vec<Track>,
    removed: Vec<Track>,
    spend: Spend,
    /// Shards held at the end of the last tick.
    live: u32,
    /// Open shards at the end of the last tick (a change means a reshard step completed).
    open: u32,
}

/// `Err(message)` unless `ok`.
fn check(ok: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(message())
    }
}

impl Watch {
    /// Starts watching `sim`, which has not run yet.
    pub fn new(sim: &Simulation) -> Watch {
        let now = sim.now_ms();
        Watch {
            tick_ms: u64::from(sim.config().tick_s) * 1_000,
            last_ms: now,
            sums: Sums::default(),
            running: sim.config().consumers.iter().map(Track::new).collect(),
            removed: Vec::new(),
            spend: sim.spend(),
            live: sim.live_shards() as u32,
            open: sim.open_shards(),
        }
    }

    /// Follows the consumers through an `apply`: kept ones by name and kind, the others
    /// removed now; new ones join now. The ledgers must still balance.
    pub fn applied(&mut self, sim: &Simulation) -> Result<(), String> {
        let now = sim.now_ms();
        let mut old: Vec<Option<Track>> = self.running.drain(..).map(Some).collect();
        for c in &sim.config().consumers {
            let kept = old
                .iter_mut()
                .find_map(|t| t.take_if(|t| t.name == c.name() && t.kind == c.consumer_kind()));
            self.running.push(kept.unwrap_or_else(|| Track::new(c)));
        }
        for mut gone in old.into_iter().flatten() {
            gone.removed_at_s = Some(now / 1_000);
            self.removed.push(gone);
        }
        self.ledgers(sim, false)
    }

    /// Checks the tick `sim` just ran, and everything since the start.
    pub fn stepped(&mut self, sim: &Simulation) -> Result<(), String> {
        let m = sim.metrics();
        let at = m.t_ms;
        check(
            at == self.last_ms + self.tick_ms && at == sim.now_ms(),
            || format!("tick ended at {at} ms after {} ms", self.last_ms),
        )?;
        self.last_ms = at;
        let s = &mut self.sums;
        s.produced += m.produced;
        s.incoming += m.incoming_records;
        s.throttled += m.write_throttled;
        s.dropped += m.dropped_by_producer;
        s.read_throttled += m.read_throttled;
        let t = sim.totals();
        let summed = [
            s.produced,
            s.incoming,
            s.throttled,
            s.dropped,
            s.read_throttled,
        ];
        let totals = [
            t.produced,
            t.accepted,
            t.throttled,
            t.dropped_by_producer,
            t.read_throttled,
        ];
        check(summed == totals, || {
            format!("at {at} ms the ticks sum to {summed:?}, the totals are {totals:?}")
        })?;
        check(m.pending_retry == sim.pending_retry(), || {
            format!(
                "at {at} ms pending_retry {} vs {}",
                m.pending_retry,
                sim.pending_retry()
            )
        })?;
        self.stream(sim)?;
        self.consumers(sim)?;
        self.ledgers(sim, true)?;
        self.live = m.live_shards;
        self.open = m.open_shards;
        self.money(sim)
    }

    /// Shards, the write limits and utilisation of the last tick.
    fn stream(&self, sim: &Simulation) -> Result<(), String> {
        let m = sim.metrics();
        let at = m.t_ms;
        let open = u64::from(m.open_shards);
        let seconds = self.tick_ms / 1_000;
        check(
            open >= 1 && open == u64::from(sim.open_shards()) && m.open_shards <= m.live_shards,
            || format!("at {at} ms {open} open of {} live shards", m.live_shards),
        )?;
        check(m.incoming_records <= open * RECORDS_PER_S * seconds, || {
            format!(
                "at {at} ms {} records into {open} shards",
                m.incoming_records
            )
        })?;
        let largest = sim.producer_largest_record_bytes().max().unwrap_or(0);
        let byte_cap = open * (BYTES_PER_S * seconds + largest);
        check(m.incoming_bytes <= byte_cap, || {
            format!("at {at} ms {} bytes into {open} shards", m.incoming_bytes)
        })?;
        // Each Kinesis record holds at least one user record; without aggregation one.
        let packed = m.user_records_put >= m.incoming_records
            && m.kinesis_records_put == m.incoming_records
            && (sim.aggregates() || m.user_records_put == m.incoming_records);
        check(packed, || {
            format!(
                "at {at} ms {} user records in {} Kinesis records",
                m.user_records_put, m.incoming_records
            )
        })?;
        let utilisation = sim.shard_utilisation();
        let most = 1.0 + largest as f64 / (BYTES_PER_S * seconds) as f64;
        check(utilisation.len() as u64 == open, || {
            format!(
                "at {at} ms {} utilisations for {open} shards",
                utilisation.len()
            )
        })?;
        check(
            utilisation
                .iter()
                .all(|u| u.is_finite() && (0.0..=most).contains(u))
                && m.max_shard_utilisation == utilisation.iter().copied().fold(0.0, f64::max),
            || {
                format!(
                    "at {at} ms utilisation {utilisation:?}, max {}",
                    m.max_shard_utilisation
                )
            },
        )
    }

    /// Each running consumer's tick against its settings, the retention and its sums.
    fn consumers(&mut self, sim: &Simulation) -> Result<(), String> {
        let m = sim.metrics();
        let at = m.t_ms;
        let config = sim.config();
        let retention_ms = u64::from(config.stream.retention_hours) * 3_600_000;
        check(
            m.consumers.len() == self.running.len() && config.consumers.len() == self.running.len(),
            || {
                format!(
                    "at {at} ms {} consumer ticks for {} consumers",
                    m.consumers.len(),
                    self.running.len()
                )
            },
        )?;
        let mut oldest = 0;
        for ((track, tick), c) in self
            .running
            .iter_mut()
            .zip(&m.consumers)
            .zip(&config.consumers)
        {
            let name = &track.name;
            let age = tick.iterator_age_ms;
            oldest = oldest.max(age);
            // Not within the consumer's own lifetime: a consumer that joins a running
            // stream may meet records whose arrival times a merged log segment spreads
            // back before it joined.
            check(age <= retention_ms + self.tick_ms && age <= at, || {
                format!(
                    "at {at} ms {name}'s iterator age {age} ms exceeds the retention \
                     ({retention_ms} ms) plus a tick"
                )
            })?;
            track.accepted += m.incoming_records;
            track.processed += tick.processed;
            track.expired += tick.expired;
            track.skipped += tick.skipped;
            track.max_age_ms = track.max_age_ms.max(age);
            track.most = track.most.max(tick.concurrency);
            check(
                tick.unread_shards <= m.live_shards && tick.timeouts <= tick.errors,
                || format!("at {at} ms {name}: {tick:?}"),
            )?;
            match c {
                ConsumerConfig::Lambda(l) => {
                    // Slots of every shard read this tick: those held before it, and the
                    // new ones when a reshard step completed in it (retention may have
                    // dropped finished ones since).
                    let opened = if m.open_shards == self.open {
                        0
                    } else {
                        m.open_shards
                    };
                    let slots = (self.live + opened) * l.parallelization_factor;
                    let cap = l.reserved_concurrency.unwrap_or(u32::MAX).min(slots);
                    check(tick.concurrency <= cap && tick.idle_tasks == 0, || {
                        format!(
                            "at {at} ms {name} runs {} of {cap}: {tick:?}",
                            tick.concurrency
                        )
                    })?;
                    // Records given up are dropped, or delivered when a destination is
                    // set; IteratorAge has a datapoint exactly when a batch was sent.
                    let (dropped, delivered) = match l.on_failure {
                        OnFailure::None => (tick.skipped, 0),
                        _ => (0, tick.skipped),
                    };
                    check(
                        (tick.dropped, tick.to_destination) == (dropped, delivered)
                            && tick.batch_age_ms.is_some() == (tick.invocations > 0),
                        || format!("at {at} ms {name}'s event source mapping: {tick:?}"),
                    )?;
                }
                ConsumerConfig::Kcl(_) => {
                    check(
                        tick.idle_tasks <= tick.concurrency
                            && tick.invocations == 0
                            && tick.dropped + tick.to_destination + tick.skipped == 0,
                        || format!("at {at} ms {name}: {tick:?}"),
                    )?;
                }
            }
        }
        check(
            m.get_records_iterator_age_ms.is_some() == (m.get_records_calls > 0)
                && m.get_records_latency_ms.is_some()
                    == (m.get_records_calls + m.read_throttled > 0),
            || format!("at {at} ms GetRecords datapoints without calls: {m:?}"),
        )?;
        check(m.iterator_age_ms == oldest, || {
            format!(
                "at {at} ms stream iterator age {} vs consumers' {oldest}",
                m.iterator_age_ms
            )
        })
    }

    /// Both ledgers balance; each consumer's ledger is the sum of its ticks (and, right
    /// after a tick, ends as that tick does).
    fn ledgers(&self, sim: &Simulation, after_tick: bool) -> Result<(), String> {
        let at = sim.now_ms();
        let t = sim.totals();
        let pending = sim.pending_retry();
        check(
            t.produced == t.accepted + t.dropped_by_producer + pending,
            || format!("at {at} ms the producer ledger does not balance: {t:?}, {pending} pending"),
        )?;
        let reports = sim.ledgers();
        let tracks: Vec<&Track> = self.running.iter().chain(&self.removed).collect();
        check(reports.len() == tracks.len(), || {
            format!(
                "at {at} ms {} ledgers for {} consumers",
                reports.len(),
                tracks.len()
            )
        })?;
        for (r, track) in reports.iter().zip(tracks) {
            let l = r.ledger;
            check(
                l.accepted == l.processed + l.expired + l.skipped + r.behind,
                || format!("at {at} ms {}'s ledger does not balance: {r:?}", r.name),
            )?;
            let sums = [
                track.accepted,
                track.processed,
                track.expired,
                track.skipped,
            ];
            let most = match (r.max_concurrency, r.max_tasks) {
                (Some(n), None) | (None, Some(n)) => n,
                _ => u32::MAX,
            };
            let same = r.name == track.name
                && r.kind == track.kind
                && [l.accepted, l.processed, l.expired, l.skipped] == sums
                && r.max_iterator_age_ms == track.max_age_ms
                && most == track.most
                && r.removed_at_s == track.removed_at_s;
            check(same, || {
                format!("at {at} ms {r:?} is not what its ticks add up to: {track:?}")
            })?;
        }
        let m = sim.metrics();
        for (r, tick) in reports.iter().zip(&m.consumers).filter(|_| after_tick) {
            check(
                r.behind == tick.behind && r.final_iterator_age_ms == tick.iterator_age_ms,
                || format!("at {at} ms {r:?} vs its last tick {tick:?}"),
            )?;
        }
        Ok(())
    }

    /// Spend only grows and the hourly rate is a finite, non-negative number.
    fn money(&mut self, sim: &Simulation) -> Result<(), String> {
        let at = sim.now_ms();
        let spend = sim.spend();
        let grew = spend
            .items()
            .iter()
            .zip(self.spend.items())
            .all(|(now, before)| now.is_finite() && *now >= before);
        check(grew, || {
            format!("at {at} ms spend went from {:?} to {spend:?}", self.spend)
        })?;
        self.spend = spend;
        let rate = sim.cost_per_hour();
        check(
            rate.items().iter().all(|r| r.is_finite() && *r >= 0.0),
            || format!("at {at} ms cost rate {rate:?}"),
        )
    }
}

/// A simulation checked by a [`Watch`] at every tick: it panics with the law broken.
pub struct Watched {
    sim: Simulation,
    watch: Watch,
}

impl Watched {
    /// A watched simulation of `config`.
    pub fn new(config: Config) -> Watched {
        let sim = Simulation::new(config).expect("valid config");
        let watch = Watch::new(&sim);
        Watched { sim, watch }
    }

    /// One tick, checked.
    pub fn step(&mut self) {
        self.sim.step();
        if let Err(broken) = self.watch.stepped(&self.sim) {
            panic!("{broken}");
        }
    }

    /// The whole ticks that fit in `seconds`, each checked.
    pub fn run_for(&mut self, seconds: u64) {
        let end = self.sim.now_ms() + seconds * 1_000;
        let tick_ms = u64::from(self.sim.config().tick_s) * 1_000;
        while self.sim.now_ms() + tick_ms <= end {
            self.step();
        }
    }
}

impl std::ops::Deref for Watched {
    type Target = Simulation;

    fn deref(&self) -> &Simulation {
        &self.sim
    }
}
