//! What happened to a run, and when: the page draws each mark as a thin vertical line
//! with a short label on every time chart, so a change and its effect sit side by side.

use serde_json::Value;

use super::app::{App, CAP_COLUMN, RETENTION_COLUMN};
use super::knobs;
use crate::format::{count, thousands};
use crate::model::ConsumerConfig;

/// Marks a run keeps; past this the oldest go.
pub const MAX_MARKS: usize = 300;

/// One change to the run at one simulated moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Simulated time of the change, ms.
    pub t_ms: u64,
    /// What changed, in a few words ("shards → 4", "Fix", "reshard done").
    pub label: String,
}

impl Mark {
    /// What the mark is about: the label before its arrow ("shards" of "shards → 4").
    fn subject(&self) -> &str {
        self.label.split(" → ").next().unwrap_or_default()
    }
}

/// A line of a chart to look at: the chart and the line's legend label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    /// The chart.
    pub chart: super::ChartId,
    /// The legend label of the line on it.
    pub line: String,
}

/// Adds `mark` to `marks`: a mark of the same subject at the same moment (a slider
/// dragged across several values) is replaced, and past [`MAX_MARKS`] the oldest go.
pub fn push_mark(marks: &mut Vec<Mark>, mark: Mark) {
    let same = marks
        .iter()
        .rposition(|m| m.t_ms == mark.t_ms && m.subject() == mark.subject());
    match same {
        Some(i) => marks[i] = mark,
        None => marks.push(mark),
    }
    if marks.len() > MAX_MARKS {
        let extra = marks.len() - MAX_MARKS;
        marks.drain(..extra);
    }
}

/// Short names of settings, by the last part of their path.
const SHORT: &[(&str, &str)] = &[
    ("shards", "shards"),
    ("retention_hours", "retention"),
    ("tasks", "tasks"),
    ("ms_per_record", "time/record"),
    ("parallelization_factor", "PF"),
    ("records_per_sec", "rate"),
    ("records_per_sec_per_task", "rate per task"),
    ("batch_size", "batch"),
    ("reserved_concurrency", "reserved"),
    ("lambda_concurrency", "account concurrency"),
    ("fan_out", "fan-out"),
    ("record_bytes", "record size"),
    ("max_retry_attempts", "retries"),
    ("max_record_age_s", "max record age"),
    ("bisect_on_error", "bisect"),
    ("autoscaling", "autoscaling"),
    ("error_rate", "errors"),
    ("poison_rate", "poison"),
    ("timeout_s", "timeout"),
    ("poll_interval_ms", "poll"),
    ("max_attempts", "put attempts"),
    ("distinct_keys", "keys"),
    ("key_skew", "key skew"),
    ("max_leases_per_worker", "leases/task"),
];

/// A short label for setting `path` changed to `value`: "shards → 4",
/// "time/record → 1 ms", "poison → 0.1 %", "fan-out → enhanced". A number reads as the
/// slider of the setting shows it.
pub fn setting_label(path: &str, value: &Value) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    let name = SHORT
        .iter()
        .find(|(key, _)| *key == last)
        .map_or_else(|| last.replace('_', " "), |(_, n)| (*n).to_string());
    let shown = match value {
        Value::Null => "none".to_string(),
        Value::Bool(on) => if *on { "on" } else { "off" }.to_string(),
        Value::String(text) => text.clone(),
        Value::Number(n) => {
            let slider = knobs::every_kind()
                .into_iter()
                .find(|k| k.path.rsplit('.').next() == Some(last));
            match (slider, n.as_f64()) {
                // Without the slider's aside: "7 days", not "7 days (168 h)".
                (Some(k), Some(v)) => {
                    let full = (k.show)(v);
                    full.split(" (").next().unwrap_or(&full).to_string()
                }
                _ => n.as_u64().map_or_else(|| n.to_string(), thousands),
            }
        }
        Value::Array(_) | Value::Object(_) => return format!("{name} changed"),
    };
    format!("{name} → {shown}")
}

/// The label of a scripted event that set `edits`: each setting's label, joined.
pub fn event_label<'a>(edits: impl IntoIterator<Item = (&'a String, &'a Value)>) -> String {
    let labels: Vec<String> = edits
        .into_iter()
        .map(|(path, value)| setting_label(path, value))
        .collect();
    if labels.is_empty() {
        "event".to_string()
    } else {
        labels.join(", ")
    }
}

/// What the run looked like after the last tick: changes from it become marks.
#[derive(Debug, Clone, Default)]
pub(super) struct Seen {
    /// The UpdateShardCount step under way.
    pub(super) reshard_step: Option<(u32, u64)>,
    /// The on-demand scaling step under way.
    pub(super) on_demand_step: Option<(u32, u64)>,
    /// Open shards.
    pub(super) open_shards: u32,
    /// Running tasks of each consumer (KCL only; `None` until its first tick).
    pub(super) tasks: Vec<Option<u32>>,
}

impl App {
    /// Writes the limits as they are now into the histories' held columns: the
    /// retention, and each Lambda function's concurrency cap (shards × parallelization
    /// factor, or what it may run).
    pub(super) fn hold_limits(&mut self) {
        let config = self.sim.config();
        let shards = self.sim.open_shards();
        self.stream
            .hold(RETENTION_COLUMN, f64::from(config.stream.retention_hours));
        for (c, store) in config.consumers.iter().zip(&mut self.consumers) {
            let cap = match c {
                ConsumerConfig::Lambda(l) => f64::from(config.lambda_concurrency_cap(l, shards)),
                ConsumerConfig::Kcl(_) => f64::NAN,
            };
            store.hold(CAP_COLUMN, cap);
        }
    }

    /// Marks the scripted events `from..to` (in the order the run meets them) by what
    /// they set (a fault alone is marked by its span).
    pub(super) fn mark_events(&mut self, from: usize, to: usize) {
        let events = &self.sim.config().events;
        let mut order: Vec<usize> = (0..events.len()).collect();
        crate::model::order::sort_by_key(&mut order, |&i| events[i].at_s);
        let labels: Vec<(u64, String)> = order
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .filter(|&&i| !events[i].set.is_empty())
            .map(|&i| (events[i].at_s * 1_000, event_label(&events[i].set)))
            .collect();
        for (t_ms, label) in labels {
            self.mark_at(t_ms, label);
        }
    }

    /// Records `label` at simulated time `t_ms` (no later than now).
    fn mark_at(&mut self, t_ms: u64, label: String) {
        let t_ms = t_ms.min(self.sim.now_ms());
        push_mark(&mut self.marks, Mark { t_ms, label });
    }

    /// Marks what the control plane did in the last tick: a reshard step starting, the
    /// open shard count changing, a consumer's running task count moving (autoscaling,
    /// tasks starting or stopping). A few integer compares a tick.
    pub(super) fn notice_control_plane(&mut self) {
        let now_ms = self.sim.now_ms();
        let step = self.sim.reshard_step();
        let before = self.seen.reshard_step;
        let open = self.sim.open_shards();
        if open != self.seen.open_shards {
            self.seen.open_shards = open;
            // A step completes at the time it was due.
            let done = before.map_or(now_ms, |(_, done_ms)| done_ms);
            self.mark_at(
                done,
                format!("{} open", count(u64::from(open), "shard", "shards")),
            );
            self.hold_limits();
            if self.sim.capacity_mode().on_demand() {
                // On demand the stream sets its own shard count: the slider follows it.
                self.scripted_changes += 1;
            }
        }
        let scaling = self.sim.on_demand_step();
        if scaling != self.seen.on_demand_step {
            self.seen.on_demand_step = scaling;
            if let Some((to, _)) = scaling {
                let label = format!("scaling → {}", count(u64::from(to), "shard", "shards"));
                self.mark_at(now_ms, label);
            }
        }
        if step != before {
            self.seen.reshard_step = step;
            if let Some((target, _)) = step {
                let started = self.sim.reshard_starts().last().unwrap_or(now_ms);
                self.mark_at(
                    started,
                    format!(
                        "resharding → {}",
                        count(u64::from(target), "shard", "shards")
                    ),
                );
            }
        }
        let mut moved = Vec::new();
        let ticks = &self.sim.metrics().consumers;
        for ((c, tick), seen) in self
            .sim
            .config()
            .consumers
            .iter()
            .zip(ticks)
            .zip(&mut self.seen.tasks)
        {
            if !matches!(c, ConsumerConfig::Kcl(_)) {
                continue;
            }
            let now = tick.concurrency;
            if seen.is_some_and(|before| before != now) {
                moved.push(format!(
                    "{}: {}",
                    c.name(),
                    count(u64::from(now), "task", "tasks")
                ));
            }
            *seen = Some(now);
        }
        for label in moved {
            self.mark(label);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short_and_name_the_value() {
        let label = |path: &str, v: Value| setting_label(path, &v);
        let got: Vec<String> = vec![
            label("stream.shards", 4.into()),
            label("consumers.lambda.ms_per_record", 1.into()),
            label("consumers.lambda.ms_per_record", 3.8.into()),
            label("stream.retention_hours", 168.into()),
            label("consumers.fn.fan_out", "enhanced".into()),
            label("consumers.fn.reserved_concurrency", Value::Null),
            label("producers.p.records_per_sec", 5000.into()),
            label("producers.p.record_bytes", 1024.into()),
            label("consumers.fn.poison_rate", 0.001.into()),
            label("consumers.fn.error_rate", 0.2.into()),
            label("consumers.fn.max_retry_attempts", (-1).into()),
            label("consumers.fn.max_record_age_s", 60.into()),
            label("consumers.ecs.poll_interval_ms", 5000.into()),
            label("seed", 7.into()),
        ];
        assert_eq!(
            got,
            [
                "shards → 4",
                "time/record → 1 ms",
                "time/record → 3.8 ms",
                "retention → 7 days",
                "fan-out → enhanced",
                "reserved → none",
                "rate → 5,000 records/s",
                "record size → 1 KiB",
                "poison → 0.1 %",
                "errors → 20 %",
                "retries → unlimited",
                "max record age → 1 min",
                "poll → 5,000 ms",
                "seed → 7"
            ]
        );
    }

    #[test]
    fn a_drag_replaces_its_mark_and_the_list_stays_bounded() {
        let mut marks = Vec::new();
        let at = |t_ms, label: &str| Mark {
            t_ms,
            label: label.into(),
        };
        push_mark(&mut marks, at(5_000, "shards → 3"));
        push_mark(&mut marks, at(5_000, "tasks → 2"));
        push_mark(&mut marks, at(5_000, "shards → 4"));
        assert_eq!(marks, [at(5_000, "shards → 4"), at(5_000, "tasks → 2")]);
        push_mark(&mut marks, at(6_000, "shards → 5"));
        assert_eq!(marks.len(), 3);
        for t in 0..1_000 {
            push_mark(&mut marks, at(10_000 + t, "Fix"));
        }
        assert_eq!(marks.len(), MAX_MARKS);
        assert_eq!(marks[0].t_ms, 10_000 + 1_000 - MAX_MARKS as u64);
    }
}
