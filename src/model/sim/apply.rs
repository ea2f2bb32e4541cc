//! Changes to a running simulation: new settings (`apply`, also how scripted events
//! land), consumers joining, and the shards an UpdateShardCount step opens.

use super::state::{Consumer, Cursor, Fleet, Reader};
use super::{ConsumerReport, Simulation};
use crate::model::carry::Carry;
use crate::model::config::{Config, ConsumerConfig};
use crate::model::error::ConfigError;
use crate::model::path::set_paths;
use crate::model::producer::{Producer, RetryQueue};
use crate::model::routing::EvenLayout;

impl Simulation {
    /// Replaces the settings of the running simulation (no reset): shard count changes go
    /// through UpdateShardCount steps, consumers and producers are matched by name.
    /// The tick length cannot change during a run.
    pub fn apply(&mut self, config: Config) -> Result<(), ConfigError> {
        config.validate_fields()?;
        if config.tick_s != self.config.tick_s {
            return Err(ConfigError::new(
                "tick_s",
                format!(
                    "cannot change during a run (it is {} s; start a new run)",
                    self.config.tick_s
                ),
            ));
        }
        self.check_mode_change(&config)?;
        self.check_events_to_come(&config)?;
        self.apply_unchecked(config);
        Ok(())
    }

    /// Refuses settings on which a scripted event still to come could no longer apply
    /// (it names a consumer or producer the edit removes, or sets a value the edit made
    /// invalid): the error names the event and what it would break.
    fn check_events_to_come(&self, config: &Config) -> Result<(), ConfigError> {
        let mut state = Config {
            events: Vec::new(),
            ..config.clone()
        };
        let mut switches: Vec<u64> = self.mode_switches().collect();
        if self.config.stream.mode.on_demand() != config.stream.mode.on_demand() {
            switches.push(self.now_ms);
        }
        for &(_, i) in &self.events[self.next_event..] {
            let event = &self.config.events[i];
            let edits = event.set.iter().map(|(p, v)| (p.as_str(), v));
            let before = state.stream.clone();
            let broken = |err: ConfigError| ConfigError {
                message: format!(
                    "{} (the event at {} s could no longer apply)",
                    err.message, event.at_s
                ),
                ..err.under(&format!("events[{i}].set"))
            };
            state = set_paths(&state, edits).map_err(broken)?;
            let at_ms = event.at_s * 1_000;
            if let Some(err) =
                before.refuse_change(&state.stream, &mut switches.iter().copied(), at_ms)
            {
                return Err(broken(err));
            }
            if before.mode.on_demand() != state.stream.mode.on_demand() {
                switches.push(at_ms);
            }
        }
        Ok(())
    }

    /// Applies settings already known to keep every scripted event still to come valid.
    pub(super) fn apply_unchecked(&mut self, config: Config) {
        self.restart_search();
        self.apply_mode(&config);
        self.reshard.target = config.stream.shards;
        self.apply_producers(&config);
        self.apply_consumers(&config);
        let events = std::mem::take(&mut self.config.events);
        self.config = Config { events, ..config };
    }

    /// Producers matched by name keep their retries and carried fractions; the retries of
    /// those that go are dropped.
    fn apply_producers(&mut self, config: &Config) {
        let layout = self.topology.layout();
        let mut old: Vec<Option<Producer>> = std::mem::take(&mut self.producers)
            .into_iter()
            .map(Some)
            .collect();
        let mut mapping = Vec::new();
        for p in &config.producers {
            let found = old
                .iter()
                .position(|o| o.as_ref().is_some_and(|o| o.config.name == p.name));
            match found.and_then(|i| old[i].take().map(|o| (i, o))) {
                Some((i, mut producer)) => {
                    producer.reconfigure(p.clone(), &layout);
                    self.producers.push(producer);
                    mapping.push(Some(i));
                }
                None => {
                    self.producers.push(Producer::new(p.clone(), &layout));
                    mapping.push(None);
                }
            }
        }
        for shard in self.topology.shards_mut() {
            let mut carry = Vec::with_capacity(mapping.len());
            let mut retries = Vec::with_capacity(mapping.len());
            for m in &mapping {
                match m {
                    Some(i) => {
                        carry.push(shard.carry[*i]);
                        retries.push(std::mem::take(&mut shard.retries[*i]));
                    }
                    None => {
                        carry.push(Carry::default());
                        retries.push(RetryQueue::default());
                    }
                }
            }
            // Retries of removed producers are lost with them: dropped now, and in the
            // metrics of the tick under way (or the next one).
            let lost: u64 = shard.retries.iter_mut().map(RetryQueue::clear).sum();
            self.totals.dropped_by_producer += lost;
            self.drops_unticked += lost;
            shard.carry = carry;
            shard.retries = retries;
        }
    }

    /// Consumers matched by name and kind keep their cursors and ledgers; new ones start
    /// at LATEST; those that go keep their line in the run's summary.
    fn apply_consumers(&mut self, config: &Config) {
        // Each consumer's line as it is now, kept for those that go.
        let mut before: Vec<Option<ConsumerReport>> =
            self.ledgers().into_iter().map(Some).collect();
        let (old, readers) = self.topology.take_consumers();
        let mut old: Vec<Option<Consumer>> = old.into_iter().map(Some).collect();
        let mut readers: Vec<Vec<Option<Reader>>> = readers
            .into_iter()
            .map(|rs| rs.into_iter().map(Some).collect())
            .collect();
        for c in &config.consumers {
            let found = old.iter().position(|o| {
                o.as_ref().is_some_and(|o| {
                    o.config.name() == c.name() && o.config.consumer_kind() == c.consumer_kind()
                })
            });
            match found.and_then(|i| old[i].take().map(|o| (i, o))) {
                Some((i, mut consumer)) => {
                    match (&mut consumer.fleet, c) {
                        (Fleet::Kcl(fleet), ConsumerConfig::Kcl(k)) => {
                            if k.tasks != fleet.desired && !k.autoscaling.enabled {
                                fleet.set_desired(k.tasks, self.now_ms, k);
                            }
                            fleet.dirty = true;
                        }
                        (Fleet::Lambda { .. }, ConsumerConfig::Lambda(l)) => {
                            for shard in &mut readers {
                                if let Some(Some(Reader {
                                    cursor: Cursor::Lambda(ls),
                                    ..
                                })) = shard.get_mut(i)
                                {
                                    ls.resize(l.parallelization_factor);
                                }
                            }
                        }
                        _ => {}
                    }
                    consumer.config = c.clone();
                    let kept = readers
                        .iter_mut()
                        .filter_map(|rs| rs.get_mut(i).and_then(Option::take))
                        .collect();
                    self.topology.push_consumer(consumer, kept);
                }
                // A consumer added to a running stream starts at LATEST.
                None => self.add_consumer(c.clone(), true),
            }
        }
        let now_s = self.now_ms / 1_000;
        for (i, gone) in old.iter().enumerate() {
            if let (Some(_), Some(mut report)) = (gone, before[i].take()) {
                report.removed_at_s = Some(now_s);
                self.removed.push(report);
            }
        }
    }

    /// Adds consumer `c` reading every shard from its newest record (`latest`) or its
    /// oldest (TRIM_HORIZON).
    pub(super) fn add_consumer(&mut self, c: ConsumerConfig, latest: bool) {
        let index = self.topology.consumers().len();
        let readers = self
            .topology
            .shards()
            .iter()
            .map(|shard| {
                let from = if latest {
                    shard.log.end_seq()
                } else {
                    shard.log.start_seq()
                };
                Reader::new(&c, from, true)
            })
            .collect();
        let consumer = Consumer::new(&c, self.config.seed, index, self.now_ms);
        self.topology.push_consumer(consumer, readers);
    }

    /// Closes the open shards and opens `layout`'s; producers route over the new layout
    /// and KCL applications reassign their leases.
    pub(super) fn create_shards(&mut self, layout: EvenLayout) {
        self.topology.reshard(layout, self.producers.len());
        for p in &mut self.producers {
            p.relayout(&layout);
        }
        for c in self.topology.consumers_mut() {
            c.leases_changed();
        }
    }
}
