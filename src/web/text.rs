//! The page's text beside the charts: the clock and status every frame; the summary,
//! diagnosis, cost and alarms when a round of charts starts.

use wasm_bindgen::prelude::*;

use super::dom;
use super::inner::Inner;
use crate::format::day_clock;
use crate::playground::actions::play_label;
use crate::playground::alarms::alarms_html;
use crate::playground::status::{banner, severity_class, speed_note, status_line};
use crate::playground::App;
use crate::teach::diagnose;
use crate::teach::summary::summary;

/// Least wall time between two rewrites of the text for a round's start while time
/// runs, ms.
const ROUND_TEXT_MS: f64 = 500.0;

impl Inner {
    /// The summary is rewritten when a round starts (`starts`, at frame time `now`), so
    /// it describes the moment the round's charts end at, and so are the diagnosis, cost
    /// and alarms, but while time runs for at most one round every [`ROUND_TEXT_MS`]:
    /// they take milliseconds to rewrite, and a round starts every few frames. (Every
    /// change rewrites them all, by its handler.) The clock and status are written every
    /// frame.
    pub(super) fn round_text(&self, starts: bool, now: f64) -> Result<(), JsValue> {
        let playing = self.app.borrow().playing;
        let all = starts && (!playing || now - self.round_text_at.get() >= ROUND_TEXT_MS);
        if all {
            self.round_text_at.set(now);
        } else if starts {
            let app = self.app.borrow();
            self.ui.summary.set_text_content(Some(&summary(&app.sim)));
        }
        self.update_text(all)
    }

    /// The clock and status (each written only when it changed); with `all`, the
    /// summary, the diagnosis (announcing a finding that appeared), the cost and the
    /// alarms too.
    pub fn update_text(&self, all: bool) -> Result<(), JsValue> {
        let app = self.app.borrow();
        let ui = self.ui.controls.get();
        if let Some(ui) = ui {
            let seconds = app.sim.now_ms() / 1_000;
            dom::set_text(&ui.clock, &day_clock(seconds));
            dom::set_text(&ui.play, play_label(app.playing));
            if let Some(note) = &ui.speed_note {
                dom::set_text(note, &speed_note(&app));
            }
            dom::set_text(&ui.status, &status_line(&app));
        }
        self.ui.banner.show(banner(&app))?;
        if all {
            self.ui.summary.set_text_content(Some(&summary(&app.sim)));
            if let Some(news) = self.show_diagnosis(&app)? {
                self.announce(&news)?;
            }
            if let Some(cost) = ui.and_then(|ui| ui.cost.as_ref()) {
                let (width, ratio) = (self.cost_width.get(), self.ratio.get());
                super::cost::show(cost, &app, width, ratio, self.dark.get())?;
            }
            if let Some(alarms) = ui.and_then(|ui| ui.alarms.as_ref()) {
                alarms.set_inner_html(&alarms_html(&app));
            }
        }
        Ok(())
    }

    /// One list item per finding, worst first, marked by severity (a compact view
    /// lists the worst only); returns what the live region should say, if anything
    /// changed.
    fn show_diagnosis(&self, app: &App) -> Result<Option<String>, JsValue> {
        let document = dom::document()?;
        let list = &self.ui.diagnosis;
        list.set_inner_html("");
        let all = diagnose(&app.sim, &app.recent);
        let shown = if self.view.compact { 1 } else { all.len() };
        for f in all.iter().take(shown) {
            let item = dom::append(&document, list, "li", severity_class(f.severity))?;
            super::terms::fill(&item, &f.message)?;
        }
        Ok(self.announcer.borrow_mut().findings(&all[..shown]))
    }
}
