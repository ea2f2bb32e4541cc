//! The playground's state: the running simulation (whose settings are the only copy
//! the page keeps), its metric history and the clock that decides how many ticks run
//! per animation frame.

use serde_json::Value;

use super::actions::Action;
use super::clock::CapFit;
use super::cloudwatch::MetricsView;
use super::consumers::ConsumerKind;
use super::lesson::Guide;
use super::marks::{push_mark, setting_label, Focus, Mark, Seen};
use super::menus::{DEFAULT_SPEED, DEFAULT_WINDOW_S};
use super::records::{smooth, Records, Whole};
use super::round::Round;
use crate::format::day_clock;
use crate::model::alarm::{recommended, AlarmSet};
use crate::model::diagnosis::Recent;
use crate::model::path::set_path;
use crate::model::shard_history::ShardHistory;
use crate::model::store::SeriesStore;
use crate::model::{Config, ConsumerConfig, Simulation};
use crate::share::{report, url};
use crate::teach::presets;

/// Wall milliseconds a whole frame (model ticks plus drawing) should stay under.
pub const FRAME_BUDGET_MS: f64 = 7.0;

/// Ticks one replay may span on the page: least, most, at first.
pub(super) const REPLAY_CAP_LEAST: u64 = 16;
pub(super) const REPLAY_CAP_MOST: u64 = 1 << 16;
const REPLAY_CAP_START: u64 = 256;

/// Everything the page shows, and the simulation behind it.
pub struct App {
    /// The running simulation. Its settings (`sim.config()`) are what the controls show:
    /// edits and scripted events both change them there, and nowhere else.
    pub sim: Simulation,
    /// Stream-level metric history.
    pub stream: SeriesStore,
    /// Per consumer, in the order of `sim.config().consumers`: its metric history.
    pub consumers: Vec<SeriesStore>,
    /// Name and kind of the consumer each history in `consumers` belongs to.
    consumer_keys: Vec<(String, ConsumerKind)>,
    /// Counts the times a tick changed the settings (a scripted event): the page
    /// moves its controls when this moves.
    pub scripted_changes: u64,
    /// Scripted events the histories and controls have followed.
    events_seen: usize,
    /// Smoothed write utilisation per open shard.
    pub utilisation: Vec<f64>,
    /// The last minute, as the diagnosis rules read it.
    pub recent: Recent,
    /// Whether time is running.
    pub playing: bool,
    /// Asked speed, simulated seconds per wall second.
    pub speed: u32,
    /// Simulated seconds owed to the clock but not yet run.
    pub(super) owed_s: f64,
    /// Most ticks one replay may span (see [`App::advance`]).
    pub(super) replay_cap: u64,
    /// How the cap is fitted to the frame's budget (see [`App::fit_replay`]).
    pub(super) cap_fit: CapFit,
    /// Speed reached recently (simulated seconds per wall second), smoothed.
    pub reached: f64,
    /// Visible window in simulated seconds (`None` = the whole run).
    pub window_s: Option<u64>,
    /// How the charts show metrics: each second, or as CloudWatch would.
    pub view: MetricsView,
    /// Shard-level (enhanced monitoring) history, from the first time the view asked
    /// for it.
    pub shard_history: Option<ShardHistory>,
    /// CloudWatch alarms on the run: those a team should have for the settings it
    /// started with, and the learner's.
    pub alarms: AlarmSet,
    /// The last problem to show the reader, if any.
    pub notice: Option<String>,
    /// The preset the run started from, if any (its lesson and fix are shown).
    pub preset: Option<String>,
    /// Changes to the run so far, oldest first (drawn on the charts).
    pub marks: Vec<Mark>,
    /// The line a lesson asks the learner to look at, if any (drawn emphasised).
    pub focus: Option<Focus>,
    /// Where the run stands in its preset's lesson: checkpoints, pause, fix.
    pub guide: Guide,
    /// Which chart the page draws next and the moment the current round ends at.
    pub round: Round,
    /// What the run looked like after the last tick, to notice what changed.
    pub(super) seen: Seen,
}

/// The page's records of `$app`'s run (see [`Records`]).
macro_rules! records {
    ($app:ident) => {
        Records {
            stream: &mut $app.stream,
            recent: &mut $app.recent,
            consumers: &mut $app.consumers,
            alarms: &mut $app.alarms,
            marks: &mut $app.marks,
            tick_s: u64::from($app.sim.config().tick_s),
        }
    };
}

/// A consumer's history: its metrics, the concurrency cap as it was, and CloudWatch's
/// view of them with the busiest second of the lines the charts draw per second.
fn consumer_store(tick_ms: u64) -> SeriesStore {
    SeriesStore::consumer(tick_ms)
        .with_held(&[CAP_COLUMN])
        .watched(&["processed", "bytes_read", "oldest_unprocessed_age_ms"])
}

/// The names of `config`'s consumers, in order.
pub(super) fn names(config: &Config) -> Vec<String> {
    config
        .consumers
        .iter()
        .map(|c| c.name().to_string())
        .collect()
}

/// Column of the stream history that holds the retention, hours, at each moment.
pub const RETENTION_COLUMN: &str = "retention_hours";
/// Column of a consumer's history that holds its Lambda concurrency cap at each moment.
pub const CAP_COLUMN: &str = "concurrency_cap";

/// Name and kind of every consumer of `config`, in order.
fn consumer_keys(config: &Config) -> Vec<(String, ConsumerKind)> {
    config
        .consumers
        .iter()
        .map(|c| (c.name().to_string(), c.consumer_kind()))
        .collect()
}

/// Whether consumer `c` is the one called `name` of kind `kind`.
fn is(c: &ConsumerConfig, (name, kind): &(String, ConsumerKind)) -> bool {
    name == c.name() && *kind == c.consumer_kind()
}

impl App {
    /// A paused playground running `config`.
    pub fn new(config: Config) -> Result<App, String> {
        let sim = Simulation::new(config).map_err(|e| e.to_string())?;
        let open = sim.open_shards() as usize;
        let config = sim.config();
        let tick_ms = u64::from(config.tick_s) * 1_000;
        let consumers = config
            .consumers
            .iter()
            .map(|_| consumer_store(tick_ms))
            .collect();
        let alarms = AlarmSet::new(recommended(config), &names(config));
        let seen = Seen {
            reshard_step: sim.reshard_step(),
            on_demand_step: sim.on_demand_step(),
            open_shards: sim.open_shards(),
            tasks: vec![None; config.consumers.len()],
        };
        let mut app = App {
            stream: SeriesStore::new(&[], tick_ms)
                .with_held(&[RETENTION_COLUMN])
                .watched(&["produced", "dropped_by_producer"]),
            consumers,
            consumer_keys: consumer_keys(config),
            scripted_changes: 0,
            events_seen: 0,
            sim,
            // Every open shard is drawn from time 0, idle until writes arrive.
            utilisation: vec![0.0; open],
            recent: Recent::default(),
            playing: false,
            speed: DEFAULT_SPEED,
            owed_s: 0.0,
            replay_cap: REPLAY_CAP_START,
            cap_fit: CapFit::default(),
            reached: 0.0,
            window_s: DEFAULT_WINDOW_S,
            view: MetricsView::default(),
            shard_history: None,
            alarms,
            notice: None,
            preset: None,
            marks: Vec::new(),
            focus: None,
            guide: Guide::default(),
            round: Round::default(),
            seen,
        };
        app.hold_limits();
        Ok(app)
    }

    /// Runs `config` from time 0, keeping the speed, window, play state and preset. A
    /// config that does not validate changes nothing.
    pub fn restart(&mut self, config: Config) -> Result<(), String> {
        let fresh = App::new(config)?;
        let (playing, speed, window_s) = (self.playing, self.speed, self.window_s);
        let preset = self.preset.take();
        let guide = self.guide.restarted();
        // The new settings' recommended alarms and the learner's own, evaluated afresh
        // from time 0.
        let old = recommended(self.sim.config());
        let mut specs = recommended(fresh.sim.config());
        let own = self.alarms.alarms().iter().map(|a| a.spec());
        specs.extend(own.filter(|s| !old.contains(s)).cloned());
        let alarms = AlarmSet::new(specs, &names(fresh.sim.config()));
        *self = App {
            playing,
            speed,
            window_s,
            view: self.view,
            alarms,
            preset,
            guide,
            ..fresh
        };
        Ok(())
    }

    /// Restarts from the settings the simulation runs now (scripted changes included).
    pub fn reset(&mut self) -> Result<(), String> {
        self.restart(self.sim.config().clone())
    }

    /// Records `label` as a change at the current simulated time (a change of the same
    /// setting at the same moment replaces it: see [`push_mark`]).
    pub fn mark(&mut self, label: impl Into<String>) {
        let t_ms = self.sim.now_ms();
        push_mark(
            &mut self.marks,
            Mark {
                t_ms,
                label: label.into(),
            },
        );
    }

    /// Sets `path` to `value` in the running simulation (no reset), and marks it.
    pub fn set(&mut self, path: &str, value: &Value) -> Result<(), String> {
        let next = set_path(self.sim.config(), path, value).map_err(|e| e.to_string())?;
        self.apply(next)?;
        self.mark(setting_label(path, value));
        Ok(())
    }

    /// Runs with new settings; consumer histories follow the consumers by name.
    pub fn apply(&mut self, next: Config) -> Result<(), String> {
        self.sim.apply(next).map_err(|e| e.to_string())?;
        self.follow_consumers();
        self.hold_limits();
        Ok(())
    }

    /// Matches the histories to the simulation's consumers by name and kind: a kept
    /// consumer keeps its history, a new (or replaced) one starts empty, a removed
    /// one's history is dropped.
    fn follow_consumers(&mut self) {
        let config = self.sim.config();
        let same = self.consumer_keys.len() == config.consumers.len()
            && self
                .consumer_keys
                .iter()
                .zip(&config.consumers)
                .all(|(key, c)| is(c, key));
        if same {
            return;
        }
        let tick_ms = u64::from(config.tick_s) * 1_000;
        let mut old: Vec<Option<SeriesStore>> = std::mem::take(&mut self.consumers)
            .into_iter()
            .map(Some)
            .collect();
        for c in &config.consumers {
            let found = self.consumer_keys.iter().position(|key| is(c, key));
            let store = found.and_then(|i| old.get_mut(i).and_then(Option::take));
            self.consumers
                .push(store.unwrap_or_else(|| consumer_store(tick_ms)));
        }
        for (name, _) in &self.consumer_keys {
            if !config.consumers.iter().any(|c| c.name() == name) {
                push_mark(
                    &mut self.marks,
                    Mark {
                        t_ms: self.sim.now_ms(),
                        label: format!("{name} removed"),
                    },
                );
            }
        }
        for c in &config.consumers {
            if !self.consumer_keys.iter().any(|(name, _)| name == c.name()) {
                push_mark(
                    &mut self.marks,
                    Mark {
                        t_ms: self.sim.now_ms(),
                        label: format!("{} added", c.name()),
                    },
                );
            }
        }
        self.seen.tasks = vec![None; config.consumers.len()];
        self.consumer_keys = consumer_keys(config);
    }

    /// Adds a consumer of `kind` with default settings and a fresh name.
    pub fn add_consumer(&mut self, kind: ConsumerKind) -> Result<(), String> {
        let mut next = self.sim.config().clone();
        next.consumers
            .push(kind.new_consumer(kind.fresh_name(&next)));
        self.apply(next)
    }

    /// Removes the consumer called `name`; an error when there is none.
    pub fn remove_consumer(&mut self, name: &str) -> Result<(), String> {
        let mut next = self.sim.config().clone();
        let before = next.consumers.len();
        next.consumers.retain(|c| c.name() != name);
        if next.consumers.len() == before {
            return Err(format!("there is no consumer called {name:?}"));
        }
        self.apply(next)
    }

    /// Applies the fix of the scenario the run started from; an error when it has none.
    pub fn fix(&mut self) -> Result<(), String> {
        let preset = self
            .preset
            .as_deref()
            .and_then(presets::find)
            .filter(|p| !p.fix_label.is_empty())
            .ok_or("no scenario with a fix is loaded")?;
        let fixed = preset.fixed(self.sim.config()).map_err(|e| e.to_string())?;
        self.apply(fixed)?;
        self.mark("Fix");
        self.guide.fixed = true;
        self.guide.waiting = false;
        self.focus = None;
        Ok(())
    }

    /// Runs the loaded scenario again from time 0 as it was written, without the fix
    /// or any other edit; its checkpoints are looked for again.
    pub fn replay(&mut self) -> Result<(), String> {
        let preset = self
            .preset
            .as_deref()
            .and_then(presets::find)
            .ok_or("no scenario is loaded")?;
        self.restart(preset.config)
    }

    /// Runs on from the checkpoint the run paused at.
    pub fn continue_lesson(&mut self) {
        self.guide.waiting = false;
        self.playing = true;
    }

    /// Does what a button that changes the run does: play or pause, step, reset, fix,
    /// add or remove a consumer. Exports leave the run alone and are an error here.
    pub fn act(&mut self, action: &Action) -> Result<(), String> {
        match action {
            Action::Play => {
                self.playing = !self.playing;
                Ok(())
            }
            Action::Step => {
                self.step();
                Ok(())
            }
            Action::Reset => self.reset(),
            Action::Fix => self.fix(),
            Action::Replay => self.replay(),
            Action::Continue => {
                self.continue_lesson();
                Ok(())
            }
            Action::Add(kind) => self.add_consumer(*kind),
            Action::Remove(name) => self.remove_consumer(name),
            Action::AddAlarm => Err("an alarm is added from its text (add_alarm)".into()),
            Action::RemoveAlarm(i) => {
                self.alarms.remove(*i);
                Ok(())
            }
            Action::CopyLink | Action::SeriesCsv | Action::ConfigJson | Action::Png(_) => {
                Err(format!("{action} changes nothing in the run"))
            }
        }
    }

    /// The link hash (without `#`) that reproduces the settings, scenario, speed and
    /// chart window (left out when it is the default).
    pub fn link_hash(&self) -> String {
        url::encode(&url::UrlState {
            preset: self.preset.clone(),
            config: self.sim.config().clone(),
            speed: Some(self.speed),
            window: (self.window_s != DEFAULT_WINDOW_S).then_some(self.window_s),
        })
    }

    /// The run's numbers now as JSON (`report::snapshot`), with clock, play and speed.
    pub fn snapshot(&self) -> Value {
        let mut out = report::snapshot(&self.sim, &self.recent);
        if let Value::Object(map) = &mut out {
            map.insert("clock".into(), day_clock(self.sim.now_ms() / 1_000).into());
            map.insert("playing".into(), self.playing.into());
            map.insert("speed".into(), self.speed.into());
        }
        out
    }

    /// Runs one tick, worked out, and records it (the Step button).
    pub fn step(&mut self) {
        self.tick(0);
    }

    /// Runs one tick of `ahead` to run now and records it, replaying up to `replay_cap`
    /// (none if `ahead` is 0 or the lesson may pause); scripted events move
    /// `scripted_changes`. Natively, a replay begun here is run to its end and recorded
    /// (its repeated periods at once) when nothing else reads each of its ticks: no
    /// shard history and no lesson checkpoint to look for (`record_rest`). Returns the
    /// ticks run.
    pub fn tick(&mut self, ahead: u64) -> u64 {
        if self.view.shards && self.shard_history.is_none() {
            self.sim.watch_shards();
            self.shard_history = Some(ShardHistory::default());
        }
        if ahead == 0 {
            self.sim.step();
        } else if self.guide.may_pause(self.preset.as_deref()) {
            self.sim.step_within(1);
        } else {
            // At least a period, so that replays go on (and are timed) whatever the cap.
            let period = self.sim.known_period().unwrap_or(0);
            self.sim.step_within(ahead.min(self.replay_cap.max(period)));
        }
        if self.sim.events_applied() != self.events_seen {
            self.mark_events(self.events_seen, self.sim.events_applied());
            self.events_seen = self.sim.events_applied();
            self.follow_consumers();
            self.hold_limits();
            self.scripted_changes += 1;
        }
        self.notice_control_plane();
        let names = self.sim.config().consumers.iter().map(ConsumerConfig::name);
        records!(self).add(self.sim.metrics(), names);
        if let Some(history) = &mut self.shard_history {
            let seconds = f64::from(self.sim.config().tick_s);
            history.add(self.sim.now_ms(), self.sim.shard_metrics(), seconds);
        }
        smooth(&mut self.utilisation, self.sim.shard_utilisation());
        self.follow_lesson();
        1 + self.record_rest()
    }

    /// Runs the rest of a replay the last tick began and records it, its repeated
    /// periods at once, when nothing else reads each of its ticks (no shard history, no
    /// lesson checkpoint to look for); returns the ticks run.
    fn record_rest(&mut self) -> u64 {
        let left = self.sim.replay_left();
        if left == 0 || self.shard_history.is_some() || !self.guide.idle(self.preset.as_deref()) {
            return 0;
        }
        let mut whole = Whole {
            records: records!(self),
            utilisation: &mut self.utilisation,
            names: Vec::new(),
        };
        self.sim.run_ticks_into(left, &mut whole);
        left
    }
}
