//! What the page records of each tick — every chart's history, the last minute the
//! diagnosis reads, the alarms and the shard strip's smoothed utilisation — and (in
//! `whole`) the rest of a replay taken into them with its repeated periods at once, to
//! the same bits as tick by tick.

use super::alarms::note_alarms;
use super::marks::Mark;
use crate::model::alarm::AlarmSet;
use crate::model::diagnosis::Recent;
use crate::model::metrics::TickMetrics;
use crate::model::store::SeriesStore;

/// The page's records of a run, fed tick by tick.
pub(super) struct Records<'a> {
    pub stream: &'a mut SeriesStore,
    pub recent: &'a mut Recent,
    pub consumers: &'a mut [SeriesStore],
    pub alarms: &'a mut AlarmSet,
    pub marks: &'a mut Vec<Mark>,
    /// Seconds per tick.
    pub tick_s: u64,
}

impl Records<'_> {
    /// Records tick `m`, whose consumers are called `names`.
    pub fn add<'b>(&mut self, m: &TickMetrics, names: impl IntoIterator<Item = &'b str>) {
        self.stream.add(m);
        self.recent.add(m, self.tick_s);
        for (store, tick) in self.consumers.iter_mut().zip(&m.consumers) {
            store.add_consumer(m.t_ms, tick);
        }
        note_alarms(self.alarms, self.marks, m, names);
    }
}

/// Smooths each shard's utilisation `u` towards this tick's `now` (a tenth of the way).
pub(super) fn smooth(u: &mut Vec<f64>, now: &[f64]) {
    if u.len() != now.len() {
        u.clear();
        u.extend_from_slice(now);
    } else {
        for (u, &n) in u.iter_mut().zip(now) {
            *u = 0.9 * *u + 0.1 * n;
        }
    }
}

// The page's records and smoothed utilisation taking a replay's repeated periods at
// once (see `App::record_rest`).
pub(super) use whole::Whole;

mod whole;
