//! The page's words about the run as it goes: the speed reached, the banner over the
//! charts, the status line beside the shard slider, the diagnosis list and the
//! scenario's lesson.

use super::actions::{Action, Button};
use super::app::App;
use crate::format::{count, day_clock, thousands};
use crate::model::diagnosis::reshard_plan;
use crate::model::Simulation;
use crate::teach::presets;
use crate::teach::{diagnose, Severity};

/// What the speed line says: the speed this machine reaches, when time runs and it
/// stays under 90 % of the speed asked; otherwise nothing.
pub fn speed_note(app: &App) -> String {
    if app.playing && app.reached > 0.0 && app.reached < 0.9 * f64::from(app.speed) {
        format!(
            "this machine reaches about {}×",
            thousands(app.reached.round() as u64)
        )
    } else {
        String::new()
    }
}

/// What the banner over the charts says: the last notice (a rejected link, import or
/// edit, or what a button did), until the next edit or until it is dismissed.
pub fn banner(app: &App) -> Option<&str> {
    app.notice.as_deref().filter(|t| !t.is_empty())
}

/// The status line beside the shard slider: the reshard under way and, when one of its
/// steps must wait for UpdateShardCount's daily call limit, when that step runs.
pub fn status_line(app: &App) -> String {
    reshard_line(&app.sim)
}

/// "resharding 2 → 10", and when a step must wait for UpdateShardCount's daily call
/// limit, until when: "resharding 8 → 10 waits for the 24 h call limit (2 calls a
/// day): it runs at day 2 · 00:00:00". Nothing when no reshard is under way.
pub fn reshard_line(sim: &Simulation) -> String {
    let Some(progress) = sim.reshard_progress() else {
        return String::new();
    };
    let going = crate::teach::reshard::status(progress);
    let Some(wait) = reshard_wait(sim) else {
        return going;
    };
    let per_day = count(
        u64::from(sim.config().stream.max_reshards_per_day),
        "call",
        "calls",
    );
    let limit = format!("the 24 h call limit ({per_day} a day)");
    let at = day_clock(wait.at_ms / 1_000);
    if sim.reshard_step().is_none() && wait.shards == progress.open_shards {
        format!("{going} waits for {limit}: it runs at {at}")
    } else {
        let shards = count(u64::from(wait.shards), "shard", "shards");
        format!("{going}: from {shards} on it waits for {limit} until {at}")
    }
}

/// A step of a reshard that must wait for the daily call limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReshardWait {
    /// Open shards while it waits.
    pub shards: u32,
    /// Simulated time it starts, ms.
    pub at_ms: u64,
}

/// The first step of the reshard under way that must wait for the daily
/// UpdateShardCount limit, or `None` when none waits.
pub fn reshard_wait(sim: &Simulation) -> Option<ReshardWait> {
    let (shards, at_ms) = reshard_plan(sim)?.first_wait?;
    Some(ReshardWait { shards, at_ms })
}

/// What a button that changed the run says it did, for the banner (`None`: the change
/// shows for itself). A scenario's fix may say what it changed here too.
pub fn after_action(action: &Action, app: &App) -> Option<String> {
    match action {
        Action::Reset => Some(reset_note(app)),
        _ => None,
    }
}

/// What Reset did: "Reset: the run starts again at day 1 · 00:00:00 with the settings
/// as they are now (10 shards, 2 consumers); the charts start empty."
pub fn reset_note(app: &App) -> String {
    let config = app.sim.config();
    format!(
        "Reset: the run starts again at {} with the settings as they are now ({}, {}); the charts start empty.",
        day_clock(app.sim.now_ms() / 1_000),
        count(u64::from(config.stream.shards), "shard", "shards"),
        count(config.consumers.len() as u64, "consumer", "consumers"),
    )
}

/// One line of the diagnosis list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingLine {
    /// CSS class: `ok`, `warning` or `loss`.
    pub class: &'static str,
    /// Cause and remedy.
    pub text: String,
}

/// The CSS class of a finding's severity.
pub fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Ok => "ok",
        Severity::Warning => "warning",
        Severity::Loss => "loss",
    }
}

/// The diagnosis lines, worst first; a compact view has room for the worst only.
pub fn findings(app: &App, compact: bool) -> Vec<FindingLine> {
    let shown = if compact { 1 } else { usize::MAX };
    diagnose(&app.sim, &app.recent)
        .into_iter()
        .take(shown)
        .map(|f| FindingLine {
            class: severity_class(f.severity),
            text: f.message,
        })
        .collect()
}

/// What the lesson box shows for a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// The question to answer by watching.
    pub question: &'static str,
    /// "Watch: …" (the full page only).
    pub watch: Option<String>,
    /// The answer, folded away (the full page only).
    pub explanation: Option<&'static str>,
    /// The fix button, when the scenario has a fix (the full page only).
    pub fix: Option<Button>,
}

/// The heading of the folded explanation.
pub const EXPLANATION_TITLE: &str = "Explanation";

/// The lesson of scenario `preset` (`None`: no scenario, no lesson); a compact view
/// shows the question only. A name no preset has is an error.
pub fn lesson(preset: Option<&str>, compact: bool) -> Result<Option<Lesson>, String> {
    let Some(name) = preset else {
        return Ok(None);
    };
    let p = presets::find(name).ok_or_else(|| format!("{name:?} is not a scenario"))?;
    let full = !compact;
    Ok(Some(Lesson {
        question: p.question,
        watch: full.then(|| format!("Watch: {}", p.watch)),
        explanation: full.then_some(p.explanation),
        fix: (full && !p.fix_label.is_empty()).then(|| Button {
            text: format!("Fix it: {}", p.fix_label),
            action: Action::Fix,
            aria_label: None,
            class: "fix",
        }),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::StreamConfig;
    use crate::model::Config;

    #[test]
    fn the_speed_note_speaks_only_when_the_machine_falls_behind() {
        let mut app = App::new(Config::default()).expect("valid");
        assert_eq!(speed_note(&app), "");
        app.playing = true;
        app.speed = 86_400;
        app.reached = 20_345.4;
        assert_eq!(speed_note(&app), "this machine reaches about 20,345×");
        app.reached = 0.9 * 86_400.0;
        assert_eq!(speed_note(&app), "");
        app.reached = 20_000.0;
        app.playing = false;
        assert_eq!(speed_note(&app), "");
    }

    #[test]
    fn notices_go_to_the_banner_and_resharding_to_the_status_line() {
        let mut app = App::new(Config::default()).expect("valid");
        assert_eq!((banner(&app), status_line(&app)), (None, String::new()));
        app.set("stream.shards", &4.into()).expect("4 shards");
        assert_eq!(status_line(&app), "resharding 2 → 4");
        app.notice = Some("That did not work".into());
        assert_eq!(banner(&app), Some("That did not work"));
        assert_eq!(status_line(&app), "resharding 2 → 4");
        app.notice = Some(String::new());
        assert_eq!(banner(&app), None);
    }

    /// Scenario settings off the defaults: two reshards a day, 5 min a step, 10 s ticks.
    fn two_calls_a_day() -> App {
        App::new(limits(10, 2, 300)).expect("valid")
    }

    /// Defaults with this tick, daily UpdateShardCount calls and step length.
    fn limits(tick_s: u32, max_reshards_per_day: u32, reshard_step_s: u32) -> Config {
        Config {
            tick_s,
            stream: StreamConfig {
                max_reshards_per_day,
                reshard_step_s,
                ..StreamConfig::default()
            },
            ..Config::default()
        }
    }

    fn run_to(app: &mut App, seconds: u64) {
        while app.sim.now_ms() < seconds * 1_000 {
            app.step();
        }
    }

    #[test]
    fn a_reshard_that_must_wait_for_the_call_limit_says_until_when() {
        let mut app = two_calls_a_day();
        app.set("stream.shards", &10.into()).expect("10 shards");
        // 2 → 4 at 0 s and 4 → 8 at 300 s use the day's two calls; 8 → 10 waits
        // for the first call to leave the rolling 24 h.
        assert_eq!(
            reshard_wait(&app.sim),
            Some(ReshardWait {
                shards: 8,
                at_ms: 86_400_000
            })
        );
        assert_eq!(
            status_line(&app),
            "resharding 2 → 10: from 8 shards on it waits for the 24 h call limit \
             (2 calls a day) until day 2 · 00:00:00"
        );
        run_to(&mut app, 610);
        assert_eq!(app.sim.open_shards(), 8);
        assert_eq!(
            status_line(&app),
            "resharding 8 → 10 waits for the 24 h call limit (2 calls a day): \
             it runs at day 2 · 00:00:00"
        );
        // The model starts that step at the time the line gave, not a tick sooner.
        run_to(&mut app, 86_400);
        assert_eq!(app.sim.reshard_step(), None);
        app.step();
        assert_eq!(app.sim.reshard_step(), Some((10, 86_700_000)));
        assert_eq!(reshard_wait(&app.sim), None);
        assert_eq!(status_line(&app), "resharding 8 → 10");
        run_to(&mut app, 86_710);
        assert_eq!(
            (app.sim.open_shards(), status_line(&app)),
            (10, String::new())
        );
    }

    #[test]
    fn one_call_a_day_waits_from_the_second_step_and_the_time_follows_the_tick() {
        let mut app = App::new(limits(6, 1, 90)).expect("valid");
        run_to(&mut app, 3_601);
        assert_eq!(app.sim.now_ms(), 3_606_000);
        app.set("stream.shards", &1.into()).expect("1 shard");
        app.step();
        // Halving started with the 6 s tick at 01:00:06; its call frees 24 h later.
        assert_eq!(app.sim.reshard_step(), Some((1, 3_696_000)));
        app.set("stream.shards", &4.into()).expect("4 shards");
        assert_eq!(
            status_line(&app),
            "resharding 2 → 4: from 1 shard on it waits for the 24 h call limit \
             (1 call a day) until day 2 · 01:00:06"
        );
    }

    #[test]
    fn the_default_limit_lets_a_long_reshard_run_without_waiting() {
        let mut app = App::new(Config::default()).expect("valid");
        app.set("stream.shards", &1_000.into())
            .expect("1,000 shards");
        // 2 → 4 → … → 512 → 1,000 is nine steps, within ten calls a day.
        assert_eq!(reshard_wait(&app.sim), None);
        assert_eq!(status_line(&app), "resharding 2 → 1,000");
    }

    #[test]
    fn reset_says_what_it_did_and_other_buttons_say_nothing() {
        let mut app = two_calls_a_day();
        app.set("stream.shards", &10.into()).expect("10 shards");
        run_to(&mut app, 600);
        app.reset().expect("reset");
        assert_eq!(
            after_action(&Action::Reset, &app).as_deref(),
            Some(
                "Reset: the run starts again at day 1 · 00:00:00 with the settings as they \
                 are now (10 shards, 1 consumer); the charts start empty."
            )
        );
        assert_eq!(app.sim.open_shards(), 10);
        assert_eq!(after_action(&Action::Step, &app), None);
    }

    #[test]
    fn severities_have_a_class_each() {
        assert_eq!(severity_class(Severity::Ok), "ok");
        assert_eq!(severity_class(Severity::Warning), "warning");
        assert_eq!(severity_class(Severity::Loss), "loss");
    }

    #[test]
    fn a_compact_view_lists_the_worst_finding_only() {
        // Scenario 1's slow function, twice: two consumers fall behind.
        let mut config = presets::find("scenario-1").expect("scenario-1").config;
        let mut twin = config.consumers[0].clone();
        if let crate::model::ConsumerConfig::Lambda(l) = &mut twin {
            l.name = "twin".into();
        }
        config.consumers.push(twin);
        let mut app = App::new(config).expect("valid");
        for _ in 0..600 {
            app.step();
        }
        let all = findings(&app, false);
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all.iter().all(|f| f.class == "warning"), "{all:?}");
        assert!(all[0].text.starts_with("lambda: ") && all[1].text.starts_with("twin: "));
        assert_eq!(findings(&app, true), all[..1]);
    }

    #[test]
    fn lessons_show_the_question_and_on_the_full_page_the_rest() {
        assert_eq!(lesson(None, false), Ok(None));
        let p = presets::find("scenario-1").expect("scenario-1");
        let full = lesson(Some("scenario-1"), false)
            .expect("known")
            .expect("a lesson");
        assert_eq!(full.question, p.question);
        assert_eq!(full.watch, Some(format!("Watch: {}", p.watch)));
        assert_eq!(full.explanation, Some(p.explanation));
        let fix = full.fix.expect("scenario-1 has a fix");
        assert_eq!(fix.text, format!("Fix it: {}", p.fix_label));
        assert_eq!(fix.action, Action::Fix);
        let compact = lesson(Some("scenario-1"), true)
            .expect("known")
            .expect("a lesson");
        assert_eq!(
            (compact.watch, compact.explanation, compact.fix),
            (None, None, None)
        );
        assert_eq!(
            lesson(Some("nope"), false),
            Err("\"nope\" is not a scenario".to_string())
        );
    }
}
