//! The page's words about the run as it goes: the speed reached, the status line, the
//! diagnosis list and the scenario's lesson.

use super::actions::{Action, Button};
use super::app::App;
use crate::format::thousands;
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

/// The status line: the last problem to show, else resharding under way, else nothing.
pub fn status_line(app: &App) -> String {
    app.notice
        .clone()
        .or_else(|| {
            app.sim
                .reshard_progress()
                .map(crate::teach::reshard::status)
        })
        .unwrap_or_default()
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
    fn the_status_line_puts_a_notice_first() {
        let mut app = App::new(Config::default()).expect("valid");
        assert_eq!(status_line(&app), "");
        app.set("stream.shards", &4.into()).expect("4 shards");
        let resharding = status_line(&app);
        assert!(!resharding.is_empty());
        app.notice = Some("That did not work".into());
        assert_eq!(status_line(&app), "That did not work");
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
