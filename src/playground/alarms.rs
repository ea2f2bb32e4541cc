//! The alarms panel: each CloudWatch alarm of the run with its state, when it last
//! changed and why, and the losses no alarm caught.

use super::app::App;
use super::marks::{push_mark, Mark};
use crate::format::day_clock;
use crate::model::alarm::{AlarmSet, AlarmSpec, AlarmState};
use crate::model::metrics::TickMetrics;
use crate::teach::alarms::uncaught;
use crate::teach::glossary;

/// The help line under the new-alarm field.
pub const ALARM_HELP: &str = "Metric, statistic, period, comparison, threshold, M/N datapoints, missing data (missing, ignore, breaching or notBreaching). It starts at the next whole period.";

/// What the new-alarm field shows before anything is typed.
pub const ALARM_EXAMPLE: &str = "IncomingRecords Sum 1m > 60000 2/3 notBreaching";

impl App {
    /// Adds the alarm written as `text` (see [`AlarmSpec`]): it evaluates from now on.
    pub fn add_alarm(&mut self, text: &str) -> Result<(), String> {
        let spec: AlarmSpec = text.trim().parse()?;
        spec.fits(self.sim.config())?;
        self.alarms.push(spec, self.sim.now_ms());
        Ok(())
    }
}

/// The panel's list as HTML: one item per alarm (state, spec, since when and why, a
/// remove button), then a sentence per loss no alarm caught.
pub fn alarms_html(app: &App) -> String {
    let alarms = app.alarms.alarms();
    let mut html = String::from("<ul>");
    for (i, alarm) in alarms.iter().enumerate() {
        let state = alarm.state();
        let spec = escape(&alarm.spec().to_string());
        let since = alarm.transitions().last().map_or(String::new(), |t| {
            format!(
                " since {} <span class=\"reason\">{}</span>",
                day_clock(t.t_ms / 1_000),
                escape(&t.reason)
            )
        });
        html.push_str(&format!(
            "<li class=\"{}\"><b>{}</b> <code>{spec}</code>{since} <button type=\"button\" data-action=\"remove-alarm:{i}\" aria-label=\"Remove the alarm {spec}\">Remove</button></li>",
            class(state),
            state.name(),
        ));
    }
    html.push_str("</ul>");
    for sentence in uncaught(&app.alarms.uncaught(), alarms) {
        html.push_str(&format!("<p class=\"uncaught\">{}</p>", escape(&sentence)));
    }
    html
}

/// The CSS class of an alarm in `state`.
fn class(state: AlarmState) -> &'static str {
    match state {
        AlarmState::Ok => "ok",
        AlarmState::Alarm => "alarm",
        AlarmState::InsufficientData => "insufficient",
    }
}

/// `text` with the characters HTML gives a meaning escaped.
fn escape(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    glossary::escape(&mut html, text);
    html
}

/// Feeds tick `m`, whose consumers are called `names`, to `alarms`, and marks each one
/// that went to ALARM.
pub(super) fn note_alarms<'a>(
    alarms: &mut AlarmSet,
    marks: &mut Vec<Mark>,
    m: &TickMetrics,
    names: impl IntoIterator<Item = &'a str>,
) {
    alarms.add(m, names);
    let t_ms = m.t_ms;
    let fired: Vec<String> = alarms
        .alarms()
        .iter()
        .filter(|a| {
            a.transitions()
                .last()
                .is_some_and(|t| t.t_ms == t_ms && t.to == AlarmState::Alarm)
        })
        .map(|a| format!("ALARM {}", a.spec().metric))
        .collect();
    for label in fired {
        push_mark(marks, Mark { t_ms, label });
    }
}
