//! Which losses no alarm caught.
//!
//! Records are lost three ways: producers drop them after throttling (they never reach
//! the stream), retention removes them before a consumer processed them (`expired`), or
//! a Lambda function gives up on them (`skipped`: retries or record age used up). An
//! alarm *watches* a loss when its metric can tell of it: the write metrics
//! (`WriteProvisionedThroughputExceeded`, `PutRecords.*`, `Incoming*`) for producer
//! drops; the stream's `GetRecords.IteratorAgeMilliseconds` or any of the consumer's
//! own metrics for its expired records; any of the consumer's own metrics for records
//! it gave up on. An alarm *caught* a loss when it was in ALARM at some moment from
//! [`LEAD_MS`] before the loss began to the last tick that lost a record of that kind:
//! an alarm that fired and cleared long before warned of something else, one in ALARM
//! while the loss went on (or just before it began) called someone in time to look.
//! A watched alarm that never got there, and a loss no alarm watches, are uncaught.

use super::spec::Target;
use super::{Alarm, AlarmState};
use crate::model::TickMetrics;

/// How long before a loss began an alarm in ALARM still counts as catching it: 1 h.
pub const LEAD_MS: u64 = 3_600_000;

/// How records were lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LossKind {
    /// Dropped by producers after throttling: never written.
    DroppedByProducer,
    /// Removed by retention before the consumer processed them.
    Expired,
    /// Given up on by a Lambda function (retries or record age used up).
    Skipped,
}

/// A loss no alarm caught.
#[derive(Debug, Clone, PartialEq)]
pub struct UncaughtLoss {
    /// How the records were lost.
    pub kind: LossKind,
    /// The consumer that lost them (`None` for producer drops).
    pub consumer: Option<String>,
    /// Records lost so far.
    pub records: u64,
    /// The first and last tick that lost some, ms (tick ends).
    pub first_ms: u64,
    /// See `first_ms`.
    pub last_ms: u64,
    /// Whether the consumer had shards it did not read in a tick that lost records.
    pub unread: bool,
    /// Indexes of the alarms that watch this loss (none of them caught it).
    pub watchers: Vec<usize>,
}

/// One kind of loss followed through the run.
#[derive(Debug, Clone)]
struct Tracker {
    kind: LossKind,
    consumer: Option<String>,
    records: u64,
    first_ms: Option<u64>,
    last_ms: u64,
    unread: bool,
    /// Caught from before the loss began.
    early: bool,
    /// The first tick at or after the loss began with a watching alarm in ALARM.
    alarmed_ms: Option<u64>,
}

impl Tracker {
    fn new(kind: LossKind, consumer: Option<String>) -> Self {
        Tracker {
            kind,
            consumer,
            records: 0,
            first_ms: None,
            last_ms: 0,
            unread: false,
            early: false,
            alarmed_ms: None,
        }
    }

    fn caught(&self) -> bool {
        self.early || self.alarmed_ms.is_some_and(|t| t <= self.last_ms)
    }
}

/// Whether an alarm on `target` watches a loss of `kind` by `consumer`.
pub fn watches(target: &Target<'_>, kind: LossKind, consumer: Option<&str>) -> bool {
    match (target, kind) {
        (Target::Stream(m), LossKind::DroppedByProducer) => {
            m.starts_with("PutRecords.")
                || m.starts_with("Incoming")
                || *m == "WriteProvisionedThroughputExceeded"
        }
        (Target::Stream(m), LossKind::Expired) => *m == "GetRecords.IteratorAgeMilliseconds",
        (Target::Consumer(c, _), LossKind::Expired | LossKind::Skipped) => Some(*c) == consumer,
        _ => false,
    }
}

/// The losses of a run and the alarms' last moments in ALARM.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    trackers: Vec<Tracker>,
    /// Per alarm: the last tick end it was in ALARM.
    last_alarm_ms: Vec<Option<u64>>,
}

impl Coverage {
    /// Forgets alarm `i` (removed): the others keep their last moments in ALARM.
    pub fn forget(&mut self, i: usize) {
        if i < self.last_alarm_ms.len() {
            self.last_alarm_ms.remove(i);
        }
    }

    /// Adds the tick `m`, whose consumers are `names`, after the alarms took it.
    pub fn add(&mut self, m: &TickMetrics, names: &[&str], alarms: &[Alarm]) {
        let t = m.t_ms;
        self.last_alarm_ms.resize(alarms.len(), None);
        for (last, a) in self.last_alarm_ms.iter_mut().zip(alarms) {
            if a.state() == AlarmState::Alarm {
                *last = Some(t);
            }
        }
        if self.trackers.is_empty() {
            self.trackers
                .push(Tracker::new(LossKind::DroppedByProducer, None));
        }
        for (c, name) in m.consumers.iter().zip(names) {
            for (kind, lost) in [
                (LossKind::Expired, c.expired),
                (LossKind::Skipped, c.skipped),
            ] {
                let at = self.tracker(kind, Some(name));
                let tr = &mut self.trackers[at];
                tr.unread |= lost > 0 && c.unread_shards > 0;
                self.note(at, lost, t, alarms);
            }
        }
        self.note(0, m.dropped_by_producer, t, alarms);
    }

    /// The tracker of `kind` for `consumer`, added when new.
    fn tracker(&mut self, kind: LossKind, consumer: Option<&str>) -> usize {
        let found = self
            .trackers
            .iter()
            .position(|t| t.kind == kind && t.consumer.as_deref() == consumer);
        found.unwrap_or_else(|| {
            self.trackers
                .push(Tracker::new(kind, consumer.map(str::to_string)));
            self.trackers.len() - 1
        })
    }

    /// Counts `lost` records of tracker `at` in the tick ending at `t`.
    fn note(&mut self, at: usize, lost: u64, t: u64, alarms: &[Alarm]) {
        let tr = &mut self.trackers[at];
        let watching = |i: usize| {
            alarms[i]
                .spec()
                .target()
                .is_ok_and(|target| watches(&target, tr.kind, tr.consumer.as_deref()))
        };
        if lost > 0 {
            if tr.first_ms.is_none() {
                tr.first_ms = Some(t);
                tr.early = (0..alarms.len()).any(|i| {
                    watching(i) && self.last_alarm_ms[i].is_some_and(|a| a + LEAD_MS >= t)
                });
            }
            tr.records += lost;
            tr.last_ms = t;
        }
        if tr.first_ms.is_some() && tr.alarmed_ms.is_none() {
            let now =
                (0..alarms.len()).any(|i| watching(i) && alarms[i].state() == AlarmState::Alarm);
            if now {
                tr.alarmed_ms = Some(t);
            }
        }
    }

    /// The losses no watching alarm caught, in the order they began.
    pub fn uncaught(&self, alarms: &[Alarm]) -> Vec<UncaughtLoss> {
        let mut out: Vec<UncaughtLoss> = self
            .trackers
            .iter()
            .filter(|t| t.records > 0 && !t.caught())
            .map(|t| UncaughtLoss {
                kind: t.kind,
                consumer: t.consumer.clone(),
                records: t.records,
                first_ms: t.first_ms.unwrap_or_default(),
                last_ms: t.last_ms,
                unread: t.unread,
                watchers: (0..alarms.len())
                    .filter(|&i| {
                        alarms[i]
                            .spec()
                            .target()
                            .is_ok_and(|target| watches(&target, t.kind, t.consumer.as_deref()))
                    })
                    .collect(),
            })
            .collect();
        crate::model::order::sort_by_key(&mut out, |l| l.first_ms);
        out
    }
}
