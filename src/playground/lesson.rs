//! Following a preset's lesson as the run goes: which checkpoint comes next, whether
//! the run reached it, whether the page waits for the learner, and whether the fix is
//! applied. One condition is checked per tick, the next checkpoint's, so checkpoints
//! are reached in order even when a frame runs many ticks.

use super::actions::{Action, Button};
use super::app::App;
use super::charts::ChartId;
use super::marks::Focus;
use crate::format::day_clock;
use crate::model::Simulation;
use crate::teach::checkpoints::{self, Checkpoint, Condition};
use crate::teach::presets;

/// A checkpoint the run reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    /// Its place in the preset's list (0-based).
    pub index: usize,
    /// How many checkpoints the preset has.
    pub of: usize,
    /// Simulated time it was reached, ms.
    pub t_ms: u64,
    /// The checkpoint.
    pub checkpoint: &'static Checkpoint,
}

impl Reached {
    /// The chart to look at.
    pub fn chart(&self) -> Option<ChartId> {
        self.checkpoint.chart.parse().ok()
    }

    /// The chart and line to draw emphasised (`None` for a chart without lines).
    pub fn focus(&self) -> Option<Focus> {
        Some(Focus {
            chart: self.chart()?,
            line: self.checkpoint.line?.to_string(),
        })
    }
}

/// Where the run stands in its preset's lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    /// Whether the run pauses at each checkpoint (the learner's choice, on by default).
    pub pause: bool,
    /// Whether checkpoints are followed at all (the full page; a widget does not).
    pub enabled: bool,
    /// The next checkpoint to look for.
    next: usize,
    /// Records counted toward the next checkpoint's `…Since` condition.
    tally: u64,
    /// The last checkpoint reached.
    pub reached: Option<Reached>,
    /// Whether the run is paused at `reached`, waiting for Continue.
    pub waiting: bool,
    /// Whether the preset's fix was applied (checkpoints are no longer looked for).
    pub fixed: bool,
    /// A checkpoint was reached that the page has not shown yet.
    fresh: bool,
}

impl Default for Guide {
    fn default() -> Self {
        Guide {
            pause: true,
            enabled: true,
            next: 0,
            tally: 0,
            reached: None,
            waiting: false,
            fixed: false,
            fresh: false,
        }
    }
}

impl Guide {
    /// The same preferences, at the start of a run.
    pub fn restarted(&self) -> Guide {
        Guide {
            pause: self.pause,
            enabled: self.enabled,
            ..Guide::default()
        }
    }

    /// Whether the run of preset `preset` may pause at its next checkpoint.
    pub fn may_pause(&self, preset: Option<&str>) -> bool {
        self.pause
            && self.enabled
            && !self.fixed
            && preset.is_some_and(|p| self.next < checkpoints::for_preset(p).len())
    }

    /// Whether [`Guide::check`] has nothing to look for in a run of preset `preset`.
    pub fn idle(&self, preset: Option<&str>) -> bool {
        !self.enabled
            || self.fixed
            || preset.is_none_or(|p| self.next >= checkpoints::for_preset(p).len())
    }

    /// After a tick of `sim`, running preset `preset`: whether the next checkpoint was
    /// reached (then it is recorded in `reached` and counted as not yet shown).
    pub fn check(&mut self, preset: Option<&str>, sim: &Simulation) -> bool {
        if !self.enabled || self.fixed {
            return false;
        }
        let list = preset.map_or(&[][..], checkpoints::for_preset);
        let Some(checkpoint) = list.get(self.next) else {
            return false;
        };
        if !holds(checkpoint.condition, sim, &mut self.tally) {
            return false;
        }
        self.reached = Some(Reached {
            index: self.next,
            of: list.len(),
            t_ms: sim.now_ms(),
            checkpoint,
        });
        self.next += 1;
        self.tally = 0;
        self.fresh = true;
        true
    }

    /// The checkpoint reached since the last call, if any (for the page to show once).
    pub fn take_fresh(&mut self) -> Option<Reached> {
        std::mem::take(&mut self.fresh)
            .then_some(self.reached)
            .flatten()
    }
}

/// Consumer `name`'s numbers in the last tick.
fn consumer_tick<'a>(
    sim: &'a Simulation,
    name: &str,
) -> Option<&'a crate::model::consumer::ConsumerTick> {
    let i = sim
        .config()
        .consumers
        .iter()
        .position(|c| c.name() == name)?;
    sim.metrics().consumers.get(i)
}

/// Whether `condition` holds after the last tick of `sim`; `tally` carries the counts of
/// the `…Since` conditions from tick to tick.
fn holds(condition: Condition, sim: &Simulation, tally: &mut u64) -> bool {
    // Called every tick: each arm reads only what it needs.
    let retention_ms = || u64::from(sim.config().stream.retention_hours) * 3_600_000;
    match condition {
        Condition::AgeAtLeast { consumer, ms } => {
            consumer_tick(sim, consumer).is_some_and(|c| c.iterator_age_ms >= ms)
        }
        Condition::AgeAtRetention { consumer } => {
            consumer_tick(sim, consumer).is_some_and(|c| c.iterator_age_ms >= retention_ms())
        }
        Condition::ProcessedSince { consumer, records } => {
            *tally += consumer_tick(sim, consumer).map_or(0, |c| c.processed);
            *tally >= records
        }
        Condition::ExpiredSince { consumer, records } => {
            *tally += consumer_tick(sim, consumer).map_or(0, |c| c.expired);
            *tally >= records
        }
        Condition::FirstWriteThrottle => sim.totals().throttled > 0,
        Condition::FirstProducerDrop => sim.totals().dropped_by_producer > 0,
        Condition::RetriesSettled => {
            let m = sim.metrics();
            sim.totals().throttled > 0 && m.pending_retry == 0 && m.write_throttled == 0
        }
        Condition::ShardsOpen(n) => sim.open_shards() == n && sim.reshard_progress().is_none(),
        Condition::RetentionPassed => sim.now_ms() >= retention_ms(),
    }
}

/// The checkbox that lets the learner run through checkpoints without stopping.
pub const PAUSE_LABEL: &str = "Pause at each checkpoint";

/// What the lesson box says about the last checkpoint reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointNote {
    /// "Checkpoint 2 of 4 · day 1 · 00:20:00".
    pub heading: String,
    /// What to notice.
    pub text: &'static str,
    /// "Look at: …": the chart and line.
    pub look_at: String,
    /// The chart to highlight.
    pub chart: Option<ChartId>,
    /// The Continue button, while the run waits at this checkpoint.
    pub continue_button: Option<Button>,
}

/// What the lesson box says once the fix is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterFix {
    /// What changed.
    pub changed: &'static str,
    /// "Watch now: …".
    pub watch: String,
    /// The button that runs the failure again from the start.
    pub replay: Button,
}

/// The note on the last checkpoint `app` reached, unless the fix has been applied since.
pub fn checkpoint_note(app: &App) -> Option<CheckpointNote> {
    let guide = &app.guide;
    let r = guide.reached.filter(|_| !guide.fixed)?;
    let chart = r.chart();
    let title = chart.map_or(r.checkpoint.chart, ChartId::title);
    let look_at = match r.checkpoint.line {
        Some(line) => format!("Look at: the {title} chart, line “{line}”."),
        None => format!("Look at: the {title} chart."),
    };
    Some(CheckpointNote {
        heading: format!(
            "Checkpoint {} of {} · {}",
            r.index + 1,
            r.of,
            day_clock(r.t_ms / 1_000)
        ),
        text: r.checkpoint.notice,
        look_at,
        chart,
        continue_button: guide.waiting.then(|| Button {
            text: "Continue".into(),
            action: Action::Continue,
            aria_label: None,
            class: "continue",
        }),
    })
}

/// What changed and what to watch, once the loaded scenario's fix is applied.
pub fn after_fix(app: &App) -> Option<AfterFix> {
    if !app.guide.fixed {
        return None;
    }
    let p = presets::find(app.preset.as_deref()?)?;
    Some(AfterFix {
        changed: p.after_fix,
        watch: format!("Watch now: {}", p.watch_after_fix),
        replay: Button {
            text: "Replay the failure".into(),
            action: Action::Replay,
            aria_label: Some(
                "Replay the failure: run the scenario again from the start, without the fix".into(),
            ),
            class: "replay",
        },
    })
}

/// Whether the lesson box offers the pause checkbox: a scenario with checkpoints is
/// loaded on a page that follows them.
pub fn offers_pause(app: &App) -> bool {
    app.guide.enabled
        && app
            .preset
            .as_deref()
            .is_some_and(|p| !checkpoints::for_preset(p).is_empty())
}

/// What the live region says when checkpoint `r` is reached.
pub fn checkpoint_announcement(r: &Reached, paused: bool) -> String {
    let then = if paused {
        " Paused: Continue runs on."
    } else {
        ""
    };
    format!(
        "Checkpoint {} of {} at {}: {}{then}",
        r.index + 1,
        r.of,
        day_clock(r.t_ms / 1_000),
        r.checkpoint.notice
    )
}

impl super::App {
    /// After a tick, at the lesson's next checkpoint: points at its line; may pause.
    pub(super) fn follow_lesson(&mut self) {
        if !self.guide.check(self.preset.as_deref(), &self.sim) {
            return;
        }
        self.focus = self.guide.reached.and_then(|r| r.focus());
        if self.guide.pause {
            self.playing = false;
            self.guide.waiting = true;
        }
    }
}
