//! What the page does when the reader edits a control or clicks a button: the
//! delegated handlers, the share and export buttons, settings files and scenarios.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::inner::Inner;
use super::{dom, export};
use crate::model::Config;
use crate::playground::actions::json_value;
use crate::playground::cloudwatch::{parse_period, parse_stat};
use crate::playground::layout::watched_chart;
use crate::playground::menus::{parse_speed, parse_window, scenario};
use crate::playground::status::after_action;
use crate::playground::ChartId;
use crate::playground::{Action, UiControl};

/// Moves the keyboard focus to `element`, if there is one.
fn focus(element: Option<Element>) -> Result<(), JsValue> {
    match element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        Some(e) => e.focus(),
        None => Ok(()),
    }
}

impl Inner {
    /// Handles `input` on a slider (while it moves) and `change` on every other control
    /// (browsers fire both for most controls: each edit is handled once).
    pub fn on_edit(self: &Rc<Self>, target: &Element, kind: &str) -> Result<(), JsValue> {
        let knob = target.get_attribute("data-knob");
        if knob.is_some() != (kind == "input") {
            return Ok(());
        }
        let edited = match &knob {
            Some(i) => i
                .parse::<usize>()
                .ok()
                .and_then(|i| self.knobs.borrow().get(i).map(|k| k.path.clone())),
            None => target
                .get_attribute("data-toggle")
                .or_else(|| target.get_attribute("data-select")),
        };
        let result = if let Some(index) = knob {
            let (path, value, shown) = {
                let knobs = self.knobs.borrow();
                let knob = index
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| knobs.get(i))
                    .ok_or_else(|| format!("slider {index:?} is not one of this playground's"))?;
                let position = target.unchecked_ref::<HtmlInputElement>().value_as_number();
                let value = knob.value_at(position)?;
                (knob.path.clone(), knob.to_json(value)?, (knob.show)(value))
            };
            dom::show_value(target, &shown)?;
            self.app.borrow_mut().set(&path, &value)
        } else if let Some(path) = target.get_attribute("data-toggle") {
            let input: &HtmlInputElement = target.unchecked_ref();
            let which = if input.checked() {
                "data-on"
            } else {
                "data-off"
            };
            let value = json_value(&path, target.get_attribute(which).as_deref())?;
            self.app.borrow_mut().set(&path, &value)
        } else if let Some(path) = target.get_attribute("data-select") {
            let select: &HtmlSelectElement = target.unchecked_ref();
            let value = json_value(&path, Some(&select.value()))?;
            self.app.borrow_mut().set(&path, &value)
        } else {
            let ui = target
                .get_attribute("data-ui")
                .ok_or("a control with no data attribute changed")?;
            let chosen = || target.unchecked_ref::<HtmlSelectElement>().value();
            match ui.parse::<UiControl>()? {
                UiControl::Speed => parse_speed(&chosen()).map(|s| self.app.borrow_mut().speed = s),
                UiControl::Window => {
                    parse_window(&chosen()).map(|w| self.app.borrow_mut().window_s = w)
                }
                UiControl::Preset => return self.load_preset(&chosen()),
                UiControl::Import => {
                    self.import(target.unchecked_ref::<HtmlInputElement>().clone());
                    return Ok(());
                }
                UiControl::Period => parse_period(&chosen()).map(|(p, shards)| {
                    let view = &mut self.app.borrow_mut().view;
                    (view.period_s, view.shards) = (p, shards);
                }),
                UiControl::Stat => {
                    parse_stat(&chosen()).map(|s| self.app.borrow_mut().view.stat = s)
                }
                UiControl::Truth => {
                    let on = target.unchecked_ref::<HtmlInputElement>().checked();
                    self.app.borrow_mut().view.truth = on;
                    Ok(())
                }
                UiControl::Alarm => return self.add_alarm(),
                UiControl::PauseAtCheckpoints => {
                    let on = target.unchecked_ref::<HtmlInputElement>().checked();
                    self.app.borrow_mut().guide.pause = on;
                    Ok(())
                }
            }
        };
        let worked = result.is_ok();
        self.app.borrow_mut().notice = result.err();
        if !worked {
            // A refused edit: the control goes back to the setting as it stays.
            self.sync_controls()?;
        }
        self.write_hash();
        self.owed_draws.set(self.ui.canvases.len());
        if let (true, Some(path)) = (worked, edited) {
            self.show_chart_for(&path)?;
        }
        self.update_text(true)
    }

    /// Adds the alarm written in the new-alarm field and empties it; a line that is not
    /// an alarm is shown in the banner and stays in the field to be corrected.
    fn add_alarm(&self) -> Result<(), JsValue> {
        let Some(field) = self.root.query_selector("[data-ui=alarm]")? else {
            return Ok(());
        };
        let input: &HtmlInputElement = field.unchecked_ref();
        let text = input.value();
        if text.trim().is_empty() {
            return Ok(());
        }
        let result = self.app.borrow_mut().add_alarm(&text);
        if result.is_ok() {
            input.set_value("");
        }
        self.app.borrow_mut().notice = result.err().map(|e| format!("New alarm: {e}"));
        self.update_text(true)
    }

    /// Where the charts are a strip wider than the screen (a phone), scrolls it to the
    /// chart that shows what editing `path` changes. The layout is read only when the
    /// edit concerns another chart than the last one (a slider fires on every step).
    fn show_chart_for(&self, path: &str) -> Result<(), JsValue> {
        match watched_chart(path) {
            Some(id) => self.scroll_strip_to(id).map(|_| ()),
            None => Ok(()),
        }
    }

    /// Where the charts are a strip wider than the screen (a phone), scrolls it to chart
    /// `id` and returns the strip; `None` where the charts are not a strip.
    pub(super) fn scroll_strip_to(&self, id: ChartId) -> Result<Option<Element>, JsValue> {
        let Some(strip) = self.root.query_selector(".charts")? else {
            return Ok(None);
        };
        if strip.scroll_width() <= strip.client_width() {
            return Ok(None);
        }
        if strip.get_attribute("data-showing").as_deref() != Some(id.name()) {
            strip.set_attribute("data-showing", id.name())?;
            // The strip is sticky, so it is its figures' offset parent.
            if let Some(figure) = strip
                .query_selector(&format!("#chart-{id}"))?
                .and_then(|f| f.dyn_into::<HtmlElement>().ok())
            {
                strip.set_scroll_left(figure.offset_left());
            }
        }
        Ok(Some(strip))
    }

    /// Handles a click on a button with a `data-action`; a click anywhere else does
    /// nothing.
    pub fn on_click(self: &Rc<Self>, target: &Element) -> Result<(), JsValue> {
        if target.closest("[data-dismiss]")?.is_some() {
            self.app.borrow_mut().notice = None;
            self.update_text(true)?;
            // The button hides: focus goes to the charts the message was about.
            return focus(self.root.query_selector(".charts")?);
        }
        let Some(button) = target.closest("[data-action]")? else {
            return Ok(());
        };
        let action: Action = button
            .get_attribute("data-action")
            .unwrap_or_default()
            .parse()?;
        if action.is_export() {
            return self.export(&action);
        }
        if action == Action::Play {
            let (playing, waiting) = {
                let app = self.app.borrow();
                (app.playing, app.guide.waiting)
            };
            if waiting {
                // Play at a checkpoint runs on, as Continue does.
                return self.run_on();
            }
            self.set_playing(!playing);
            return self.update_text(true);
        }
        if action == Action::Continue {
            return self.run_on();
        }
        if action == Action::AddAlarm {
            return self.add_alarm();
        }
        let removed_at = match &action {
            Action::Remove(name) => self.panels.borrow().iter().position(|p| &p.name == name),
            _ => None,
        };
        let result = self.app.borrow_mut().act(&action);
        let notice = match result {
            Ok(()) => after_action(&action, &self.app.borrow()),
            Err(e) => Some(e),
        };
        self.app.borrow_mut().notice = notice;
        self.settings_changed()?;
        match action {
            Action::Fix | Action::Replay | Action::Reset => self.after_lesson_action(&action)?,
            Action::Step => self.follow_lesson()?,
            _ => {}
        }
        match removed_at {
            Some(i) => self.focus_after_removal(i),
            None => Ok(()),
        }
    }

    /// Runs on from the checkpoint the lesson waits at.
    fn run_on(&self) -> Result<(), JsValue> {
        self.app.borrow_mut().continue_lesson();
        self.last_frame.set(None);
        self.show_lesson()?;
        self.update_text(true)
    }

    /// After the consumer panel at `index` went: focus the panel that took its place
    /// (or the one before it, when it was the last), by its legend; with none left,
    /// the first Add button. So the keyboard does not fall back to the page's top.
    fn focus_after_removal(&self, index: usize) -> Result<(), JsValue> {
        let Some(ui) = self.ui.controls.get() else {
            return Ok(());
        };
        let legends = ui.consumer_list.query_selector_all("fieldset > legend")?;
        let count = legends.length() as usize;
        let legend = (count > 0)
            .then(|| legends.item(index.min(count - 1) as u32))
            .flatten()
            .and_then(|n| n.dyn_into::<Element>().ok());
        if let Some(legend) = legend {
            // A legend is not focusable by itself; -1 keeps it out of the tab order.
            legend.set_attribute("tabindex", "-1")?;
            return focus(Some(legend));
        }
        focus(self.root.query_selector("[data-action^='add-']")?)
    }

    /// Handles the share and export buttons.
    fn export(self: &Rc<Self>, action: &Action) -> Result<(), JsValue> {
        match action {
            Action::CopyLink => {
                let link = self.link()?;
                let inner = Rc::clone(self);
                wasm_bindgen_futures::spawn_local(async move {
                    let said = match export::copy(&link).await {
                        Ok(()) => "Link copied: it opens these settings at this speed.",
                        Err(_) => "The browser did not allow copying; the address bar holds the same link.",
                    };
                    inner.share_say(said);
                });
            }
            Action::SeriesCsv => {
                let app = self.app.borrow();
                let name = if app.view.cloudwatch() {
                    "kinesis-playground-cloudwatch.csv"
                } else {
                    "kinesis-playground-series.csv"
                };
                export::download_text(name, "text/csv", &app.series_csv())?;
            }
            Action::ConfigJson => {
                let text = self.app.borrow().sim.config().to_json();
                export::download_text("kinesis-playground-config.json", "application/json", &text)?;
            }
            Action::Png(id) => {
                let (_, canvas) = self
                    .ui
                    .canvases
                    .iter()
                    .find(|(c, _)| c == id)
                    .ok_or_else(|| format!("the {id} chart is not on this page"))?;
                export::download_png(&format!("kinesis-playground-{id}.png"), canvas)?;
            }
            other => return Err(format!("{other} is not an export").into()),
        }
        Ok(())
    }

    /// Reads the config file chosen in `input` and runs it from time 0; a bad file is
    /// reported with the field at fault and changes nothing.
    fn import(self: &Rc<Self>, input: HtmlInputElement) {
        let inner = Rc::clone(self);
        wasm_bindgen_futures::spawn_local(async move {
            let said = match export::chosen_file_text(&input).await {
                Ok(None) => return,
                Ok(Some((name, text))) => match Config::from_json(&text) {
                    Ok(config) => match inner.start_from(config, None) {
                        Ok(()) => format!("Loaded {name}: its settings run from time 0."),
                        Err(_) => format!("{name} was loaded but could not be drawn."),
                    },
                    Err(e) => format!("{name} was not loaded: {e}"),
                },
                Err(_) => "The file could not be read.".to_string(),
            };
            // Choosing the same file again must fire `change` again.
            input.set_value("");
            // Over the charts, beside the run it replaced (or left alone).
            inner.app.borrow_mut().notice = Some(said);
            if let Err(e) = inner.update_text(true) {
                web_sys::console::error_1(&e);
            }
        });
    }

    /// Says `text` beside the share buttons (only the full page has them).
    fn share_say(&self, text: &str) {
        if let Some(note) = self.ui.controls.get().and_then(|c| c.share_note.as_ref()) {
            note.set_text_content(Some(text));
        }
    }

    /// This page's address with the hash of the current settings.
    fn link(&self) -> Result<String, JsValue> {
        let location = dom::window()?.location();
        Ok(format!(
            "{}{}{}#{}",
            location.origin()?,
            location.pathname()?,
            location.search()?,
            self.app.borrow().link_hash()
        ))
    }

    /// Puts the current settings in the address bar's hash, so the link reproduces them
    /// (only on the playground page: a widget or a page using the API keeps its own; a
    /// widget puts them in its link to the full playground).
    pub fn write_hash(&self) {
        let hash = self.app.borrow().link_hash();
        if self.view.owns_hash {
            if let Ok(history) = dom::window().and_then(|w| w.history()) {
                let _ =
                    history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{hash}")));
            }
        } else if let Ok(Some(link)) = self.root.query_selector("a.open-full") {
            let _ = link.set_attribute("href", &format!("index.html#{hash}"));
        }
    }

    /// Starts the preset called `name` (or keeps the settings for ""), paused at time 0.
    fn load_preset(&self, name: &str) -> Result<(), JsValue> {
        match scenario(name)? {
            Some(p) => self.start_from(p.config, Some(p.name.to_string())),
            None => {
                self.app.borrow_mut().preset = None;
                self.show_lesson()?;
                self.write_hash();
                Ok(())
            }
        }
    }

    /// Runs `config` from time 0, paused, as preset `preset` (or the reader's own
    /// settings): the menu, lesson, controls, link and charts follow.
    fn start_from(&self, config: Config, preset: Option<String>) -> Result<(), JsValue> {
        {
            let mut app = self.app.borrow_mut();
            app.playing = false;
            match app.restart(config) {
                Ok(()) => app.preset = preset,
                Err(e) => app.notice = Some(e),
            }
        }
        self.announcer.borrow_mut().reset();
        self.show_lesson()?;
        self.settings_changed()
    }
}
