//! The state a mounted playground shares between its event handlers and its frame
//! loop, and how it brings the page up to date: frames, drawing, text and controls.

use std::cell::{Cell, OnceCell, RefCell};

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};

use super::mount::Controls;
use super::{canvas, dom, message};
use crate::chart::{draw_shard_strip, draw_time_chart, Theme};
use crate::format::day_clock;
use crate::model::path::get_path;
use crate::model::Config;
use crate::playground::announce::Announcer;
use crate::playground::cloudwatch::{period_value, stat_value};
use crate::playground::consumers::{panels, toggle_is_on, DESTINATIONS, DESTINATION_HELP};
use crate::playground::menus::{mode_menu, shape_menu, window_value, MODE_PATH, SHAPE_PATH};
use crate::playground::status::{lesson, EXPLANATION_TITLE};
use crate::playground::{charts, App, ChartId, Drawing, Knob, Panel, UiControl, View};

/// The animation-frame callback.
pub(super) type FrameCallback = Closure<dyn FnMut(f64)>;

/// The elements the page updates.
pub(super) struct Ui {
    /// The controls column (empty until the controls are built).
    pub column: Element,
    /// The controls' elements, once built (see `Inner::build_rest`).
    pub controls: OnceCell<Controls>,
    /// The banner over the charts: notices (a rejected link or import, what a button
    /// did, a refused edit).
    pub banner: dom::Banner,
    /// The diagnosis list.
    pub diagnosis: Element,
    /// The run's numbers in a sentence (not a live region).
    pub summary: Element,
    /// The live region: a short sentence when the state changes (see `Announcer`).
    pub announce: Element,
    /// Each chart's canvas, in page order.
    pub canvases: Vec<(ChartId, HtmlCanvasElement)>,
    /// Each chart's caption, in the same order (written with the controls).
    pub captions: Vec<Element>,
}

/// State shared by the event handlers and the animation loop.
pub(super) struct Inner {
    /// The element the playground was mounted into.
    pub root: Element,
    /// What this playground shows.
    pub view: View,
    /// Prefix of this playground's element ids (see `dom::id_prefix`).
    pub ids: String,
    /// The simulation, its history and its clock.
    pub app: RefCell<App>,
    /// The elements the page updates.
    pub ui: Ui,
    /// Every slider on the page; a slider's `data-knob` is its index here.
    pub knobs: RefCell<Vec<Knob>>,
    /// The consumer panels as built (rebuilt when the settings call for others).
    pub panels: RefCell<Vec<Panel>>,
    /// `App::scripted_changes` when the controls last followed the settings.
    pub seen_changes: Cell<u64>,
    /// Charts still to redraw (round-robin, one a frame) since the last change.
    pub owed_draws: Cell<usize>,
    /// Browser time of the last frame (`None`: the next frame measures afresh).
    pub last_frame: Cell<Option<f64>>,
    /// What the dearest recent chart took to draw, ms (decaying slowly).
    pub last_draw_ms: Cell<f64>,
    /// How long a frame may take, ms.
    pub frame_budget_ms: Cell<f64>,
    /// Each canvas's laid-out CSS size.
    pub sizes: RefCell<Vec<(f64, f64)>>,
    /// The cost chart's laid-out CSS width (0 while it has none).
    pub cost_width: Cell<f64>,
    /// Device pixels per CSS pixel.
    pub ratio: Cell<f64>,
    /// Whether the reader's system asks for dark colours.
    pub dark: Cell<bool>,
    /// Frame time the text was last rewritten for a round's start.
    pub round_text_at: Cell<f64>,
    /// What the live region has announced of the diagnosis.
    pub announcer: RefCell<Announcer>,
    /// Set when the page is dropped: the frame loop ends.
    pub stopped: Cell<bool>,
    /// The animation-frame callback, kept alive while the loop runs.
    pub raf: RefCell<Option<FrameCallback>>,
}

impl Inner {
    /// Shows a failed action in the banner (and the console, for developers).
    pub fn report(&self, err: &JsValue) {
        web_sys::console::error_1(err);
        self.app.borrow_mut().notice = Some(format!("That did not work: {}", message(err)));
        let _ = self.update_text(true);
    }

    /// Starts or stops time; the next frame measures wall time afresh.
    pub fn set_playing(&self, playing: bool) {
        self.app.borrow_mut().playing = playing;
        self.last_frame.set(None);
    }

    /// One animation frame at browser time `now` (ms).
    pub fn frame(&self, now: f64) -> Result<(), JsValue> {
        if self.ui.controls.get().is_none() {
            // Begun by `start`: the first frame shows the first chart alone; the next
            // builds the controls and writes their lines (the summary, diagnosis, cost
            // and alarms come with the round of every chart, on the frames after).
            if self.last_frame.replace(Some(now)).is_some() {
                self.build_rest()?;
                self.show_run()?;
                self.update_text(true)?;
            }
            return Ok(());
        }
        let started = dom::now_ms();
        let wall = self
            .last_frame
            .replace(Some(now))
            .map_or(0.0, |last| now - last);
        // Model ticks get what drawing (the dearest recent chart) leaves of the frame budget.
        let budget = (self.frame_budget_ms.get() - self.last_draw_ms.get()).max(1.0);
        let ran = self
            .app
            .borrow_mut()
            .advance(wall, budget, || dom::now_ms() - started);
        let n = self.ui.canvases.len();
        // A change asks for a fresh round at once; a round under way is finished, and
        // a new one starts whenever time moved: every chart of a round ends at the
        // moment it started.
        let turn = {
            let mut app = self.app.borrow_mut();
            if n > 0 && self.owed_draws.get() >= n {
                app.round.restart();
            }
            let now_ms = app.sim.now_ms();
            let due = self.owed_draws.get() > 0 || app.round.due(n, now_ms);
            if due {
                app.round.turn(n, now_ms, now)
            } else {
                None
            }
        };
        if self.sizes.borrow().len() != n {
            // The controls were built last frame, so their layout is done: no new one.
            self.measure()?;
        }
        // Draw before touching text, so drawing never waits for a layout the text caused.
        if let Some(turn) = turn {
            let before = dom::now_ms();
            // Paused, a round is rare (after a change) and its text must not lag.
            let paused = !self.app.borrow().playing;
            self.draw_turn(turn.index, turn.describe || paused)?;
            // Charts differ in cost: remember the dearest recent one, decaying slowly.
            let cost = dom::now_ms() - before;
            self.last_draw_ms
                .set(cost.max(0.95 * self.last_draw_ms.get()));
            self.owed_draws.set(self.owed_draws.get().saturating_sub(1));
        }
        if ran > 0 {
            self.follow_run()?;
        }
        self.round_text(turn.is_some_and(|t| t.starts), now)?;
        // The frame's own cost (model ticks + drawing), for the frame-time benchmark.
        let cost = dom::now_ms() - started;
        self.root
            .set_attribute("data-frame-ms", &format!("{cost:.3}"))?;
        Ok(())
    }

    /// Draws every chart now (one round, ending now, text alternatives included) and
    /// refreshes the text.
    pub fn redraw_all(&self) -> Result<(), JsValue> {
        let n = self.ui.canvases.len();
        self.app.borrow_mut().round.restart();
        for _ in 0..n {
            let turn = {
                let mut app = self.app.borrow_mut();
                let now_ms = app.sim.now_ms();
                // A forced round always rewrites the text alternatives.
                app.round.turn(n, now_ms, f64::NEG_INFINITY)
            };
            if let Some(turn) = turn {
                self.draw_turn(turn.index, true)?;
            }
        }
        self.owed_draws.set(0);
        self.update_text(true)
    }

    /// Reads the canvases' laid-out sizes and the colour scheme (layout reads, so only
    /// on mount and resize, never per frame).
    pub fn measure(&self) -> Result<(), JsValue> {
        let sizes = self
            .ui
            .canvases
            .iter()
            .map(|(_, c)| dom::css_size(c))
            .collect();
        *self.sizes.borrow_mut() = sizes;
        let cost = self.ui.controls.get().and_then(|ui| ui.cost.as_ref());
        self.cost_width.set(match cost {
            Some(section) => super::cost::width(section)?,
            None => 0.0,
        });
        self.ratio.set(dom::pixel_ratio()?);
        self.dark.set(dom::prefers_dark()?);
        Ok(())
    }

    /// Draws chart `i` for the current round's moment and, when `describe` is set,
    /// rewrites its text alternative (the element its canvas's `aria-describedby` names).
    pub(super) fn draw_turn(&self, i: usize, describe: bool) -> Result<(), JsValue> {
        let (id, canvas) = &self.ui.canvases[i];
        let css = self
            .sizes
            .borrow()
            .get(i)
            .copied()
            .unwrap_or((640.0, 320.0));
        let scale = self.ratio.get();
        dom::size_canvas(canvas, css, scale);
        let theme = Theme::for_display(self.dark.get(), scale);
        let mut surface = canvas::Canvas::new(canvas)
            .ok_or_else(|| JsValue::from_str("a chart canvas has no 2D context"))?;
        let app = self.app.borrow();
        let moment_ms = app.round.moment_ms();
        let drawing = charts::build_at(&app, *id, moment_ms);
        // The moment the chart ends at, as the clock shows it (for tests and tools); its
        // text alternative's moment is `data-described` (rewritten less often in play).
        canvas.set_attribute("data-until", &day_clock(moment_ms / 1_000))?;
        match &drawing {
            Drawing::Time(chart) => draw_time_chart(&mut surface, chart, &theme),
            Drawing::Strip(utilisation) => draw_shard_strip(&mut surface, utilisation, &theme),
        }
        // An error the canvas reported while drawing (the context's own message).
        surface.finish()?;
        if describe {
            let text = canvas
                .get_attribute("aria-describedby")
                .and_then(|id| self.root.query_selector(&format!("[id='{id}']")).ok()?);
            if let Some(text) = text {
                dom::set_text(&text, &charts::description(&app, *id, moment_ms));
                canvas.set_attribute("data-described", &day_clock(moment_ms / 1_000))?;
            }
        }
        Ok(())
    }

    /// After the settings changed: rebuilds the consumer panels if consumers came, went
    /// or changed kind, moves the controls to the new values, updates the link, redraws.
    pub fn settings_changed(&self) -> Result<(), JsValue> {
        self.follow_settings()?;
        self.redraw_all()
    }

    /// Panels, controls and link show the simulation's settings as they are now.
    fn follow_settings(&self) -> Result<(), JsValue> {
        let changes = self.app.borrow().scripted_changes;
        self.seen_changes.set(changes);
        let wanted = panels(self.app.borrow().sim.config(), &self.view);
        if *self.panels.borrow() != wanted {
            self.build_consumers()?;
        }
        self.sync_controls()?;
        self.write_hash();
        Ok(())
    }

    /// After ticks: when a scripted event changed the settings, the controls follow
    /// them as after an edit (one integer compared per frame otherwise).
    pub fn follow_run(&self) -> Result<(), JsValue> {
        self.follow_lesson()?;
        if self.app.borrow().scripted_changes == self.seen_changes.get() {
            return Ok(());
        }
        self.follow_settings()
    }

    /// The chosen preset's question, what to watch, explanation and fix button.
    pub fn show_lesson(&self) -> Result<(), JsValue> {
        let document = dom::document()?;
        let Some(ui) = self.ui.controls.get() else {
            return Ok(());
        };
        let box_ = &ui.lesson;
        box_.set_inner_html("");
        let app = self.app.borrow();
        let Some(lesson) = lesson(app.preset.as_deref(), self.view.compact)? else {
            return Ok(());
        };
        let question = dom::append(&document, box_, "p", "question")?;
        super::terms::fill(&question, lesson.question)?;
        self.show_guide(&document, box_, &app)?;
        if let Some(watch) = &lesson.watch {
            let p = dom::append(&document, box_, "p", "watch")?;
            super::terms::fill(&p, watch)?;
        }
        if let Some(explanation) = lesson.explanation {
            let details = dom::append(&document, box_, "details", "")?;
            let summary = dom::append(&document, &details, "summary", "")?;
            summary.set_text_content(Some(EXPLANATION_TITLE));
            let text = dom::append(&document, &details, "p", "")?;
            super::terms::fill(&text, explanation)?;
        }
        if let Some(fix) = lesson.fix.as_ref().filter(|_| !app.guide.fixed) {
            dom::button(&document, box_, fix)?;
        }
        self.show_pause_toggle(&document, box_, &app)
    }

    /// Moves every slider, toggle and menu to what the current settings say.
    pub fn sync_controls(&self) -> Result<(), JsValue> {
        let app = self.app.borrow();
        let config = app.sim.config();
        let menus = [
            (UiControl::Speed, app.speed.to_string()),
            (UiControl::Window, window_value(app.window_s)),
            (UiControl::Period, period_value(&app.view)),
            (UiControl::Stat, stat_value(app.view.stat)),
            (UiControl::Preset, app.preset.clone().unwrap_or_default()),
        ];
        for (ui, value) in menus {
            if let Some(select) = self.root.query_selector(&format!("[data-ui={ui}]"))? {
                select
                    .unchecked_ref::<HtmlSelectElement>()
                    .set_value(&value);
            }
        }
        let knobs = self.knobs.borrow();
        for (i, knob) in knobs.iter().enumerate() {
            let Some(input) = self.root.query_selector(&format!("[data-knob='{i}']"))? else {
                continue;
            };
            let setting = knob.setting(config)?;
            input
                .unchecked_ref::<HtmlInputElement>()
                .set_value(&setting.index.to_string());
            // The slider sits on the nearest step; the read-out says the exact value.
            dom::show_value(&input, &setting.shown)?;
        }
        let toggles = self.root.query_selector_all("[data-toggle]")?;
        for i in 0..toggles.length() {
            let Some(toggle) = toggles.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let path = toggle.get_attribute("data-toggle").unwrap_or_default();
            let on = toggle.get_attribute("data-on").unwrap_or_default();
            toggle
                .unchecked_ref::<HtmlInputElement>()
                .set_checked(toggle_is_on(config, &path, &on));
        }
        if let Some(shape) = self
            .root
            .query_selector(&format!("[data-select='{SHAPE_PATH}']"))?
        {
            // Rebuilt, so a shape from a link or a preset is named as it is.
            dom::fill_options(&dom::document()?, &shape, &shape_menu(config))?;
        }
        if let Some(mode) = self
            .root
            .query_selector(&format!("[data-select='{MODE_PATH}']"))?
        {
            dom::fill_options(&dom::document()?, &mode, &mode_menu(config))?;
        }
        Ok(())
    }

    /// Rebuilds the consumer panels and the knob registry.
    pub fn build_consumers(&self) -> Result<(), JsValue> {
        let app = self.app.borrow();
        let config = app.sim.config();
        let built = panels(config, &self.view);
        let document = dom::document()?;
        let Some(ui) = self.ui.controls.get() else {
            return Ok(());
        };
        let list = &ui.consumer_list;
        list.set_inner_html("");
        let mut knobs = self.knobs.borrow_mut();
        knobs.retain(|k| !k.path.starts_with("consumers."));
        for panel in &built {
            let fieldset = dom::append(&document, list, "fieldset", "consumer")?;
            let legend = dom::append(&document, &fieldset, "legend", "")?;
            legend.set_text_content(Some(&panel.legend));
            if let Some(remove) = &panel.remove {
                dom::button(&document, &fieldset, remove)?;
            }
            for knob in panel.knobs(config, &self.view) {
                add_knob(&document, &fieldset, config, &mut knobs, knob)?;
            }
            for toggle in &panel.toggles {
                dom::toggle(&document, &fieldset, toggle, toggle.is_on(config))?;
            }
            if let Some(path) = &panel.destination {
                destination_menu(&document, &fieldset, config, path)?;
            }
        }
        *self.panels.borrow_mut() = built;
        dom::scope_ids(list, &self.ids)
    }
}

/// The on-failure destination menu of the Lambda function whose setting is at `path`.
fn destination_menu(
    document: &web_sys::Document,
    parent: &Element,
    config: &Config,
    path: &str,
) -> Result<(), JsValue> {
    let id = format!("kp-{}", path.replace('.', "-"));
    let field = dom::labelled(document, parent, &id, "On-failure destination")?;
    let select = dom::append(document, &field, "select", "")?;
    select.set_id(&id);
    select.set_attribute("data-select", path)?;
    let now = get_path(config, path)
        .map(|v| v.to_string())
        .unwrap_or_default();
    for (value, text) in DESTINATIONS {
        let option = dom::append(document, &select, "option", "")?;
        option.set_attribute("value", value)?;
        option.set_text_content(Some(text));
        if value == now {
            option.set_attribute("selected", "")?;
        }
    }
    dom::help(document, &select, DESTINATION_HELP)
}

/// Adds a slider for `knob` showing its current value in `config`, and registers it.
pub(super) fn add_knob(
    document: &web_sys::Document,
    parent: &Element,
    config: &Config,
    knobs: &mut Vec<Knob>,
    knob: Knob,
) -> Result<(), JsValue> {
    let setting = knob.setting(config)?;
    dom::slider(document, parent, &knob, &setting, knobs.len())?;
    knobs.push(knob);
    Ok(())
}
