//! ECS tasks running the Kinesis Client Library: leases, workers and their capacity.
//!
//! Each running task is one worker. Every shard the application knows of is a lease;
//! leases are spread over workers by count (each worker takes at most
//! `ceil(leases / workers)`, capped by `max_leases_per_worker`), one record processor per
//! lease. Each processor's GetRecords calls (one per `poll_interval_ms`, up to
//! `max_records_per_call` each) fill a buffer of up to [`PREFETCH_CALLS`] calls' worth;
//! the worker's processing capacity is shared by its leases' buffered records. New shards
//! are found by the periodic shard sync and processed only after their parents are finished.

use super::carry::Carry;
use super::config::KclConfig;
use super::reads::CallStats;

/// Calls' worth of records a processor's prefetch buffer holds (KCL's polling retrieval
/// keeps up to three fetched batches waiting).
pub const PREFETCH_CALLS: u64 = 3;

/// Records one task can process in a tick of `tick_ms` at most.
pub fn tick_capacity(config: &KclConfig, tick_ms: u64) -> u64 {
    (config.records_per_sec_per_task * tick_ms as f64 / 1_000.0).ceil() as u64
}

/// Records a lease's buffer holds at most: a few calls' worth beyond `share`, what the
/// processor can take off it in a tick.
pub fn buffer_limit(config: &KclConfig, share: u64) -> u64 {
    PREFETCH_CALLS * u64::from(config.max_records_per_call) + share
}

/// The KCL application's state for one shard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct KclShard {
    /// Next record to process (the checkpoint).
    pub pos: u64,
    /// End of the records fetched and waiting for the processor (`pos..fetched_end`).
    pub fetched_end: u64,
    /// Milliseconds accumulated towards the next poll.
    pub poll_acc_ms: u64,
    /// Whether shard sync has found this shard (a lease exists).
    pub known: bool,
    /// The worker holding the lease, if any.
    pub worker: Option<u32>,
    /// User records already processed of the Kinesis record at `pos` (KPL
    /// aggregation: the processor works through a Kinesis record's user records).
    pub part: u64,
    /// What this lease's GetRecords calls came to in the tick (the shard's own
    /// allowance counts the other consumers' calls): kept apart so that a replay can
    /// work out one application's reads while it replays the others'.
    pub calls: CallStats,
}

impl KclShard {
    /// Starts reading at `from`; `known` says whether the lease already exists.
    pub fn starting_at(from: u64, known: bool) -> Self {
        KclShard {
            pos: from,
            fetched_end: from,
            known,
            ..KclShard::default()
        }
    }

    /// The same lease `dseq` records later (wrapping): see `LambdaShard::shift`.
    pub fn shift(&mut self, dseq: u64) {
        self.pos = self.pos.wrapping_add(dseq);
        self.fetched_end = self.fetched_end.wrapping_add(dseq);
    }

    /// GetRecords calls this shard's processor makes during a tick of `tick_ms`.
    pub fn polls(&mut self, tick_ms: u64, interval_ms: u32) -> u32 {
        self.poll_acc_ms += tick_ms;
        let interval = u64::from(interval_ms.max(1));
        // At most tick / 200 ms polls: counting beats dividing on this hot path.
        let mut polls = 0;
        while self.poll_acc_ms >= interval {
            self.poll_acc_ms -= interval;
            polls += 1;
        }
        polls
    }
}

/// The task fleet of one KCL application.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KclFleet {
    /// Tasks running (workers).
    pub running: u32,
    /// Start-up completion times of tasks being started, ms.
    pub starting: Vec<u64>,
    /// Tasks asked for (running + starting after scale-in).
    pub desired: u32,
    /// Time of the last autoscaling action, ms.
    pub last_scale_ms: Option<u64>,
    /// Fractional records of capacity carried per worker.
    pub carry: Vec<Carry>,
    /// Whether leases must be reassigned.
    pub dirty: bool,
    /// Most tasks ever running.
    pub max_running: u32,
    /// When the next shard sync runs, simulated ms.
    pub next_sync_ms: u64,
    /// Minutes in a row the incoming rate stayed clearly below the target.
    pub low_minutes: u32,
    /// The highest incoming rate of those minutes, records/s.
    pub low_peak: f64,
}

/// Minutes in a row below the scale-in threshold before tasks are removed (the low
/// alarm of target tracking waits 15 datapoints of a minute).
pub const SCALE_IN_MINUTES: u32 = 15;
/// Relative excess over a whole number of tasks still counted as on target.
pub const ON_TARGET: f64 = 1e-3;
/// Share of the target under which a minute counts towards scaling in.
pub const SCALE_IN_BELOW: f64 = 0.9;

/// Working buffers of one KCL application's tick: filled and used within it, carrying
/// nothing to the next, and shared by all applications (kept to avoid allocating).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KclScratch {
    /// Per worker: (shard index, records fetched and waiting) of its readable leases.
    pub work: Vec<Vec<(usize, u64)>>,
    /// Per worker: leases held.
    pub held: Vec<u32>,
    /// Demands of one worker's leases.
    pub demands: Vec<u64>,
    /// Records the worker's capacity grants each of those leases.
    pub grants: Vec<u64>,
}

impl KclFleet {
    /// A fleet with `config.tasks` already running.
    pub fn new(config: &KclConfig) -> Self {
        KclFleet {
            running: config.tasks,
            desired: config.tasks,
            max_running: config.tasks,
            dirty: true,
            ..KclFleet::default()
        }
    }

    /// Asks for `tasks` tasks at `now_ms`: extra ones start after `task_start_s`,
    /// surplus ones stop at once.
    pub fn set_desired(&mut self, tasks: u32, now_ms: u64, config: &KclConfig) {
        self.desired = tasks;
        let have = self.running + self.starting.len() as u32;
        if tasks > have {
            let ready = now_ms + u64::from(config.task_start_s) * 1_000;
            self.starting.extend((have..tasks).map(|_| ready));
        } else {
            let mut surplus = have - tasks;
            while surplus > 0 && self.starting.pop().is_some() {
                surplus -= 1;
            }
            self.running -= surplus.min(self.running);
            self.dirty = true;
        }
    }

    /// Moves tasks whose start-up finished by `now_ms` into the running set.
    pub fn start_ready(&mut self, now_ms: u64) {
        let before = self.starting.len();
        self.starting.retain(|&ready| ready > now_ms);
        let started = (before - self.starting.len()) as u32;
        if started > 0 {
            self.running += started;
            self.max_running = self.max_running.max(self.running);
            self.dirty = true;
        }
    }

    /// Target tracking, evaluated once a minute on the last minute's incoming rate,
    /// the way Application Auto Scaling's two alarms work: scale out as soon as a minute
    /// is above the target per task (to the count that brings it back to the target);
    /// scale in only after [`SCALE_IN_MINUTES`] minutes in a row below
    /// [`SCALE_IN_BELOW`] × the target, and then to the count the highest of those
    /// minutes needs. Both wait for the cooldown after any change.
    pub fn autoscale(&mut self, config: &KclConfig, records_per_s: f64, now_ms: u64) {
        let a = &config.autoscaling;
        if !a.enabled {
            return;
        }
        let tasks = f64::from(self.desired.max(1));
        // Whole tasks for a rate. A minute within 0.1 % of a whole number of tasks counts
        // as on target: integer record counts wobble by a record or two per minute.
        let needed = |rate: f64| {
            libm::ceil(rate / a.target_records_per_task / (1.0 + ON_TARGET)).max(0.0) as u32
        };
        if self.desired > 0 && records_per_s < SCALE_IN_BELOW * a.target_records_per_task * tasks {
            self.low_minutes += 1;
            self.low_peak = self.low_peak.max(records_per_s);
        } else {
            self.low_minutes = 0;
            self.low_peak = 0.0;
        }
        let cooled = self
            .last_scale_ms
            .is_none_or(|t| now_ms >= t + u64::from(a.cooldown_s) * 1_000);
        let wanted = if needed(records_per_s) > self.desired || self.desired < a.min_tasks {
            needed(records_per_s)
        } else if self.low_minutes >= SCALE_IN_MINUTES || self.desired > a.max_tasks {
            needed(self.low_peak)
        } else {
            self.desired
        };
        let wanted = wanted.clamp(a.min_tasks, a.max_tasks);
        if wanted != self.desired && cooled {
            self.set_desired(wanted, now_ms, config);
            self.last_scale_ms = Some(now_ms);
            self.low_minutes = 0;
            self.low_peak = 0.0;
        }
    }
}

/// Worker for each of `leases` leases (in lease order) with `workers` workers: balanced
/// by count, each worker at most `ceil(leases / workers)` and at most `cap`. Leases
/// beyond what the workers may hold get `None` and are not read.
pub fn assign_leases(leases: usize, workers: u32, cap: Option<u32>) -> Vec<Option<u32>> {
    if workers == 0 {
        return vec![None; leases];
    }
    let per_worker = leases.div_ceil(workers as usize);
    let per_worker = cap.map_or(per_worker, |c| per_worker.min(c as usize));
    let held = (per_worker * workers as usize).min(leases);
    (0..leases)
        .map(|i| (i < held).then_some((i % workers as usize) as u32))
        .collect()
}

/// Shares `capacity` between `demands` max-min fairly: equal shares, and what a small
/// demand leaves goes to the others. Writes the grants; returns their sum.
pub fn water_fill(demands: &[u64], capacity: u64, grants: &mut Vec<u64>) -> u64 {
    grants.clear();
    let wanted: u64 = demands.iter().sum();
    if wanted <= capacity {
        grants.extend_from_slice(demands);
        return wanted;
    }
    grants.resize(demands.len(), 0);
    let mut left = capacity;
    // Rounds of equal shares among the demands still open; no allocation (this runs
    // every tick for a saturated worker).
    loop {
        let open = demands
            .iter()
            .zip(grants.iter())
            .filter(|(d, g)| g < d)
            .count() as u64;
        if open == 0 || left == 0 {
            break;
        }
        let share = (left / open).max(1);
        for (d, g) in demands.iter().zip(grants.iter_mut()) {
            if left == 0 {
                break;
            }
            if *g < *d {
                let give = (d - *g).min(share).min(left);
                *g += give;
                left -= give;
            }
        }
    }
    capacity - left
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leases_balance_by_count_and_respect_the_cap() {
        assert_eq!(
            assign_leases(4, 2, None),
            vec![Some(0), Some(1), Some(0), Some(1)]
        );
        assert_eq!(assign_leases(2, 4, None), vec![Some(0), Some(1)]);
        let capped = assign_leases(10, 2, Some(1));
        assert_eq!(capped.iter().filter(|w| w.is_some()).count(), 2);
        assert_eq!(assign_leases(3, 0, None), vec![None; 3]);
    }

    #[test]
    fn water_fill_gives_small_demands_their_due_and_splits_the_rest() {
        let mut g = Vec::new();
        assert_eq!(water_fill(&[100, 1_000, 1_000], 1_000, &mut g), 1_000);
        assert_eq!(g, vec![100, 450, 450]);
        assert_eq!(water_fill(&[10, 20], 1_000, &mut g), 30);
        assert_eq!(g, vec![10, 20]);
        assert_eq!(water_fill(&[5, 5, 5], 2, &mut g), 2);
        assert_eq!(g.iter().sum::<u64>(), 2);
    }
}
