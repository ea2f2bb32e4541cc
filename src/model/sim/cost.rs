//! What the run costs: each tick's usage metered, by the mode the stream was in, and
//! priced when asked — the run's own bill, its hourly rate over the last minute, and
//! what the same usage costs in each capacity mode.

use super::state::Fleet;
use super::Simulation;
use crate::model::config::{CapacityMode, ConsumerConfig, FanOut};
use crate::model::cost::{Meter, Spend, ADVANTAGE_COMMITMENT_MIBPS, PRICES};

/// What a run has used, by the mode it was in at the time. While every tick has been in
/// one mode, that mode's share is the whole meter, added up once rather than twice
/// (the same additions in the same order: the same numbers).
#[derive(Debug, Clone, Default)]
pub(super) struct ByMode {
    /// Each mode's share, except a sole mode's.
    parts: [Meter; 3],
    modes: Modes,
}

/// The modes a run's ticks were metered in.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Modes {
    /// None yet.
    #[default]
    Unmetered,
    /// Every tick in this one: its share is the whole meter.
    Sole(usize),
    /// More than one: each share is in `parts`.
    Several,
}

impl ByMode {
    /// Adds a tick's usage `tick` in `mode`; `whole` is the whole meter before it.
    fn add(&mut self, mode: usize, tick: &Meter, whole: &Meter) {
        match self.modes {
            Modes::Unmetered => self.modes = Modes::Sole(mode),
            Modes::Sole(m) if m == mode => {}
            Modes::Sole(m) => {
                self.parts[m] = *whole;
                self.modes = Modes::Several;
                self.parts[mode] = self.parts[mode].plus(tick);
            }
            Modes::Several => self.parts[mode] = self.parts[mode].plus(tick),
        }
    }

    /// What was used in `mode`, given the whole meter `whole`.
    fn get(&self, mode: usize, whole: &Meter) -> Meter {
        if self.modes == Modes::Sole(mode) {
            *whole
        } else {
            self.parts[mode]
        }
    }
}

/// Ages at which retention is billed as extended (24 h) and long-term (7 days), ms.
const EXTENDED_MS: u64 = 24 * 3_600_000;
const LONG_TERM_MS: u64 = 168 * 3_600_000;

impl Simulation {
    /// Meters this tick's usage (refreshing retained bytes by age each minute).
    pub(super) fn accrue_cost(&mut self, end: u64) {
        let (tick, read) = self.tick_meter();
        self.add_meter(end, &tick, read, true);
    }

    /// What this tick used apart from retained bytes and the minute's commitment (both
    /// [`Simulation::add_meter`]'s), and the bytes consumers read through GetRecords
    /// and fan-out: the same for every tick of a replayed period as for the recorded one.
    pub(super) fn tick_meter(&self) -> (Meter, u64) {
        let retention_h = self.config.stream.retention_hours;
        let hours = self.tick_ms as f64 / 3_600_000.0;
        let shards = f64::from(self.topology.layout().shards());
        let (put_units, od_bytes) = self.billed_now;
        let mut tick = Meter {
            hours,
            shard_hours: shards * hours,
            put_units: put_units as f64,
            od_in_bytes: od_bytes as f64,
            extended_shard_hours: if retention_h > 24 {
                shards * hours
            } else {
                0.0
            },
            ..Meter::default()
        };
        let mut read = 0;
        for c in self.topology.consumers() {
            let bytes = c.tick.bytes_read as f64;
            read += c.tick.bytes_read;
            if c.config.fan_out() == FanOut::Enhanced {
                tick.efo_consumer_shard_hours += shards * hours;
                tick.efo_bytes += bytes;
            } else {
                tick.shared_out_bytes += bytes;
            }
            if c.tick.iterator_age_ms > LONG_TERM_MS {
                tick.long_term_read_bytes += bytes;
            }
            match (&c.config, &c.fleet) {
                (ConsumerConfig::Lambda(l), _) => {
                    tick.lambda_gb_seconds +=
                        c.tick.busy_ms as f64 / 1_000.0 * f64::from(l.memory_mb) / 1_024.0;
                    tick.lambda_requests += f64::from(c.tick.invocations);
                }
                (ConsumerConfig::Kcl(k), Fleet::Kcl(f)) => {
                    tick.vcpu_hours += f64::from(f.running) * k.vcpu * hours;
                    tick.memory_gb_hours += f64::from(f.running) * k.memory_gb * hours;
                }
                _ => {}
            }
        }
        (tick, read)
    }

    /// Adds a tick's usage `tick` ([`Simulation::tick_meter`]) ending at `end`, with
    /// `read` bytes read: the bytes retained by age (refreshed each minute) and, each
    /// minute, what its data fell short of Advantage's commitment. `window` keeps the
    /// tick in the last minute's window for [`Simulation::cost_per_hour`] (a replay
    /// leaves out the ticks that cannot end up in it).
    pub(super) fn add_meter(&mut self, end: u64, tick: &Meter, read: u64, window: bool) {
        let minute_end = end.is_multiple_of(60_000);
        if minute_end {
            self.held_bytes = if self.config.stream.retention_hours > 24 {
                let (mut day, mut week) = (0, 0);
                for s in self.topology.shards() {
                    day += s.log.bytes_before(end.saturating_sub(EXTENDED_MS));
                    week += s.log.bytes_before(end.saturating_sub(LONG_TERM_MS));
                }
                (day - week, week)
            } else {
                (0, 0)
            };
        }
        // Advantage's commitment is settled each minute: what the minute's data in and
        // out fell short of 25 MiB/s each.
        self.minute_bytes.0 += self.billed_now.1;
        self.minute_bytes.1 += read;
        if minute_end || self.held_bytes != (0, 0) {
            let mut tick = *tick;
            tick.extended_byte_hours = self.held_bytes.0 as f64 * tick.hours;
            tick.long_term_byte_hours = self.held_bytes.1 as f64 * tick.hours;
            if minute_end {
                let committed = ADVANTAGE_COMMITMENT_MIBPS * 1_048_576.0 * 60.0;
                let (written, read) = std::mem::take(&mut self.minute_bytes);
                tick.commitment_in_short_bytes = (committed - written as f64).max(0.0);
                tick.commitment_out_short_bytes = (committed - read as f64).max(0.0);
            }
            self.add_usage(end, &tick, window);
        } else {
            self.add_usage(end, tick, window);
        }
    }

    /// Adds a tick's whole usage to the run's meters.
    fn add_usage(&mut self, end: u64, tick: &Meter, window: bool) {
        let mode = self.config.stream.mode as usize;
        self.used.add(mode, tick, &self.meter);
        self.meter.add(tick);
        if window {
            self.meter_window.push_back((end, self.meter));
        }
        while self
            .meter_window
            .front()
            .is_some_and(|&(t, _)| t + 60_000 < end)
        {
            self.meter_window.pop_front();
        }
    }

    /// Dollars spent since the start, by line item: each stretch billed in the mode the
    /// stream was in.
    pub fn spend(&self) -> Spend {
        let mut total = Spend::default();
        for mode in CapacityMode::ALL {
            let part = self
                .used
                .get(mode as usize, &self.meter)
                .price(mode, &PRICES);
            total = total.plus(&part);
        }
        total
    }

    /// What the run's usage so far costs billed wholly in each mode, in
    /// [`CapacityMode::ALL`]'s order: the same shards, traffic, reads, retention and
    /// consumers (a provisioned stream with the shards the run had).
    pub fn cost_by_mode(&self) -> [Spend; 3] {
        CapacityMode::ALL.map(|mode| self.meter.price(mode, &PRICES))
    }

    /// Everything the run has used so far, in billable units.
    pub fn meter(&self) -> Meter {
        self.meter
    }

    /// Current cost rate in dollars per hour in the mode in use, by line item (over the
    /// last minute).
    pub fn cost_per_hour(&self) -> Spend {
        let mode = self.config.stream.mode;
        match (self.meter_window.front(), self.meter_window.back()) {
            (Some(&(t0, first)), Some(&(t1, last))) if t1 > t0 => last
                .since(&first)
                .price(mode, &PRICES)
                .scaled(3_600_000.0 / (t1 - t0) as f64),
            // Too early for a window: the first tick's usage scaled to an hour.
            (_, Some(&(t1, last))) if t1 > 0 => {
                last.price(mode, &PRICES).scaled(3_600_000.0 / t1 as f64)
            }
            _ => Spend::default(),
        }
    }
}
