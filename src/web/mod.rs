//! The page: controls, the animation clock and the charts, around one running simulation.
//!
//! This is the only module that names browser types. Events are delegated: one `input`,
//! one `change` and one `click` listener on the root find the control by its data
//! attributes, edit the running config through a dotted path, and mark charts owed.
//! Each animation frame runs as many model ticks as the speed asks (within a time
//! budget) and redraws one chart, round-robin, so no frame blocks the page.

mod api;
mod app;
mod canvas;
mod charts;
mod controls;
mod dom;
mod export;
mod view;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};

use crate::chart::{draw_shard_strip, draw_time_chart, Theme};
use crate::format::{day_clock, duration_ms, thousands};
use crate::model::cost::{Price, HOURS_PER_MONTH, PRICES};
use crate::model::diagnosis::{diagnose, Severity};
use crate::model::{presets, Config, ConsumerConfig};
use crate::share::{report, url, url::SPEEDS};
pub use api::Playground;
use app::{App, FRAME_BUDGET_MS};
pub use controls::{every_knob, Knob};
pub use view::View;

thread_local! {
    /// The page mounted by [`start`], kept alive for the lifetime of the document.
    static MOUNTED: RefCell<Option<Page>> = const { RefCell::new(None) };
}

/// Entry point: mounts the playground into `#playground`, or the compact widget into
/// `#widget`, when the document has one.
///
/// Other documents (tests, pages using [`Playground`]) have neither, so this does nothing.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let document = dom::document()?;
    let hash = dom::window()?.location().hash().unwrap_or_default();
    let hash = if hash.len() > 1 { hash } else { String::new() };
    let (root, view, decoded, autoplay) =
        if let Some(root) = document.get_element_by_id("playground") {
            let decoded = (!hash.is_empty()).then(|| url::decode(&hash));
            (root, View::full(), decoded, false)
        } else if let Some(root) = document.get_element_by_id("widget") {
            let charts = view::chart_ids();
            match url::decode_widget(&hash, &charts, &view::control_keys()) {
                Ok((state, options)) => (
                    root,
                    View::widget(options.charts, options.controls),
                    Some(Ok(state)),
                    options.autoplay,
                ),
                Err(e) => (root, View::widget(None, None), Some(Err(e)), false),
            }
        } else {
            return Ok(());
        };
    // Settings come from the link's hash when it has any; a bad one is reported, not fatal.
    let (state, notice) = match decoded {
        Some(Ok(state)) => (Some(state), None),
        Some(Err(e)) => (
            None,
            Some(format!("The link's settings were not used: {e}")),
        ),
        None => (None, None),
    };
    let config = state
        .as_ref()
        .map_or_else(Config::default, |s| s.config.clone());
    let mut page = mount_with(&root, config, view)?;
    page.restore(state.as_ref(), notice)?;
    if autoplay {
        if dom::prefers_reduced_motion()? {
            page.say("Paused because your system asks for reduced motion: press Play to run.")?;
        } else {
            page.set_playing(true)?;
        }
    }
    if page.inner.view.compact {
        page.report_height()?;
    }
    page.animate()?;
    MOUNTED.with(|m| *m.borrow_mut() = Some(page));
    Ok(())
}

/// The animation-frame callback.
type FrameCallback = Closure<dyn FnMut(f64)>;
/// An event listener and what it is attached to, kept to remove it again.
type Listener = (Element, &'static str, Closure<dyn FnMut(Event)>);

/// The elements the page updates.
struct Ui {
    clock: Element,
    diagnosis: Element,
    lesson: Element,
    cost: Option<Element>,
    speed_note: Option<Element>,
    status: Element,
    share_note: Option<Element>,
    summary: Element,
    consumer_list: Element,
    play: Element,
    canvases: Vec<(&'static str, HtmlCanvasElement)>,
}

/// State shared by the event handlers and the animation loop.
struct Inner {
    root: Element,
    view: View,
    /// Prefix of this playground's element ids (see `dom::id_prefix`).
    ids: String,
    app: RefCell<App>,
    ui: Ui,
    knobs: RefCell<Vec<Knob>>,
    next_chart: Cell<usize>,
    /// The consumers the panels were built for (see `consumer_list`).
    panels: RefCell<Vec<(String, &'static str)>>,
    /// `App::scripted_changes` when the controls last followed the settings.
    seen_changes: Cell<u64>,
    /// Charts still to redraw (round-robin, one a frame) since the last change.
    owed_draws: Cell<usize>,
    last_frame: Cell<Option<f64>>,
    last_draw_ms: Cell<f64>,
    frame_budget_ms: Cell<f64>,
    sizes: RefCell<Vec<(f64, f64)>>,
    ratio: Cell<f64>,
    dark: Cell<bool>,
    last_summary: Cell<f64>,
    stopped: Cell<bool>,
    raf: RefCell<Option<FrameCallback>>,
}

/// The mounted playground. Dropping it stops the animation and removes its listeners.
pub struct Page {
    inner: Rc<Inner>,
    listeners: Vec<Listener>,
    on_resize: Closure<dyn FnMut(Event)>,
    /// The widget's height reporter, kept to disconnect it.
    resize_observer: Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>,
}

impl Drop for Page {
    fn drop(&mut self) {
        self.inner.stopped.set(true);
        self.inner.raf.borrow_mut().take();
        for (target, kind, closure) in &self.listeners {
            let _ =
                target.remove_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
        }
        if let Ok(window) = dom::window() {
            let _ = window.remove_event_listener_with_callback(
                "resize",
                self.on_resize.as_ref().unchecked_ref(),
            );
        }
        if let Some((observer, _)) = &self.resize_observer {
            observer.disconnect();
        }
    }
}

impl Page {
    /// The root element the page was mounted into.
    pub fn root(&self) -> &Element {
        &self.inner.root
    }

    /// The running simulation's current settings, as JSON.
    pub fn config_json(&self) -> String {
        self.inner.app.borrow().sim.config().to_json()
    }

    /// The metric history as the Series CSV button saves it.
    pub fn series_csv(&self) -> String {
        series_csv(&self.inner.app.borrow())
    }

    /// Simulated time, ms.
    pub fn now_ms(&self) -> u64 {
        self.inner.app.borrow().sim.now_ms()
    }

    /// Runs `ticks` model ticks and redraws everything.
    pub fn step(&self, ticks: u32) -> Result<(), JsValue> {
        {
            let mut app = self.inner.app.borrow_mut();
            for _ in 0..ticks {
                app.step();
            }
        }
        self.inner.follow_run()?;
        self.inner.redraw_all()
    }

    /// One animation frame at time `now_ms` (what the browser's clock would pass).
    pub fn frame(&self, now_ms: f64) -> Result<(), JsValue> {
        self.inner.frame(now_ms)
    }

    /// Takes the preset and speed a link named, and shows `notice` (a rejected link).
    pub fn restore(
        &self,
        state: Option<&url::UrlState>,
        notice: Option<String>,
    ) -> Result<(), JsValue> {
        {
            let mut app = self.inner.app.borrow_mut();
            if let Some(s) = state {
                app.preset = s.preset.clone();
                if let Some(speed) = s.speed {
                    app.speed = speed;
                }
            }
            app.notice = notice;
        }
        self.inner.sync_controls()?;
        if !self.inner.view.owns_hash {
            self.inner.write_hash();
        }
        self.inner.show_lesson()?;
        self.inner.update_text(f64::INFINITY)
    }

    /// Sets how long a frame may take (model ticks plus drawing), in ms. Tests lift it so
    /// the ticks a frame runs depend on the speed alone, not on the machine.
    pub fn set_frame_budget_ms(&self, ms: f64) {
        self.inner.frame_budget_ms.set(ms);
    }

    /// Starts or stops time.
    pub fn set_playing(&self, playing: bool) -> Result<(), JsValue> {
        self.inner.set_playing(playing);
        self.inner.update_text(f64::INFINITY)
    }

    /// Shows `text` in the status line until the next edit.
    pub fn say(&self, text: &str) -> Result<(), JsValue> {
        self.inner.app.borrow_mut().notice = Some(text.to_string());
        self.inner.update_text(f64::INFINITY)
    }

    /// Sets config path `path` to `value` in the running simulation and moves the
    /// controls to match; the error says why a value was refused.
    pub fn set_value(&self, path: &str, value: &Value) -> Result<(), String> {
        self.inner.app.borrow_mut().set(path, value)?;
        self.inner.settings_changed().map_err(|e| message(&e))
    }

    /// The run's numbers now, as plain JSON (see `report::snapshot`), with the clock.
    pub fn snapshot(&self) -> Value {
        let app = self.inner.app.borrow();
        let mut out = report::snapshot(&app.sim, &app.recent);
        if let Value::Object(map) = &mut out {
            map.insert("clock".into(), day_clock(app.sim.now_ms() / 1_000).into());
            map.insert("playing".into(), app.playing.into());
            map.insert("speed".into(), app.speed.into());
        }
        out
    }

    /// Posts the document's height to the parent window whenever it changes, as
    /// `{"type": "kinesis-playground:height", "height": <CSS px>}`. Nothing when the
    /// document is not in a frame.
    pub fn report_height(&mut self) -> Result<(), JsValue> {
        let window = dom::window()?;
        let Some(parent) = window.parent()? else {
            return Ok(());
        };
        if JsValue::from(&parent) == JsValue::from(&window) {
            return Ok(());
        }
        let Some(html) = dom::document()?.document_element() else {
            return Ok(());
        };
        let observed = html.clone();
        let last = Cell::new(f64::NAN);
        let send: Closure<dyn FnMut()> = Closure::new(move || {
            let height = html.get_bounding_client_rect().height().ceil();
            if height == last.get() {
                return;
            }
            last.set(height);
            let message = format!(r#"{{"type":"kinesis-playground:height","height":{height}}}"#);
            if let Ok(message) = js_sys::JSON::parse(&message) {
                // The height is not a secret: any embedding page may read it.
                let _ = parent.post_message(&message, "*");
            }
        });
        let observer = web_sys::ResizeObserver::new(send.as_ref().unchecked_ref())?;
        observer.observe(&observed);
        self.resize_observer = Some((observer, send));
        Ok(())
    }

    /// Starts the animation loop (the page calls this; tests drive frames themselves).
    pub fn animate(&self) -> Result<(), JsValue> {
        let inner = Rc::clone(&self.inner);
        let tick: FrameCallback = Closure::new(move |now: f64| {
            if inner.stopped.get() {
                return;
            }
            if let Err(e) = inner.frame(now) {
                web_sys::console::error_1(&e);
            }
            if let Some(cb) = inner.raf.borrow().as_ref() {
                let _ = dom::window()
                    .and_then(|w| w.request_animation_frame(cb.as_ref().unchecked_ref()));
            }
        });
        dom::window()?.request_animation_frame(tick.as_ref().unchecked_ref())?;
        *self.inner.raf.borrow_mut() = Some(tick);
        Ok(())
    }
}

impl Inner {
    /// Shows a failed action in the status line (and the console, for developers).
    fn report(&self, err: &JsValue) {
        web_sys::console::error_1(err);
        self.app.borrow_mut().notice = Some(format!("That did not work: {}", message(err)));
        let _ = self.update_text(f64::INFINITY);
    }

    /// Starts or stops time; the next frame measures wall time afresh.
    fn set_playing(&self, playing: bool) {
        self.app.borrow_mut().playing = playing;
        self.last_frame.set(None);
    }

    fn frame(&self, now: f64) -> Result<(), JsValue> {
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
        if ran > 0 {
            self.owed_draws.set(n);
        }
        // Draw before touching text, so drawing never waits for a layout the text caused.
        if self.owed_draws.get() > 0 {
            let i = self.next_chart.get() % n;
            let before = dom::now_ms();
            self.draw(i)?;
            // Charts differ in cost: remember the dearest recent one, decaying slowly.
            let cost = dom::now_ms() - before;
            self.last_draw_ms
                .set(cost.max(0.95 * self.last_draw_ms.get()));
            self.next_chart.set(i + 1);
            self.owed_draws.set(self.owed_draws.get() - 1);
        }
        if ran > 0 {
            self.follow_run()?;
        }
        self.update_text(now)?;
        // The frame's own cost (model ticks + drawing), for the frame-time benchmark.
        let cost = dom::now_ms() - started;
        self.root
            .set_attribute("data-frame-ms", &format!("{cost:.3}"))?;
        Ok(())
    }

    fn redraw_all(&self) -> Result<(), JsValue> {
        for i in 0..self.ui.canvases.len() {
            self.draw(i)?;
        }
        self.owed_draws.set(0);
        self.update_text(f64::INFINITY)
    }

    /// Reads the canvases' laid-out sizes and the colour scheme (layout reads, so only
    /// on mount and resize, never per frame).
    fn measure(&self) -> Result<(), JsValue> {
        let sizes = self
            .ui
            .canvases
            .iter()
            .map(|(_, c)| dom::css_size(c))
            .collect();
        *self.sizes.borrow_mut() = sizes;
        self.ratio.set(dom::pixel_ratio()?);
        self.dark.set(dom::prefers_dark()?);
        Ok(())
    }

    fn draw(&self, i: usize) -> Result<(), JsValue> {
        let (id, canvas) = &self.ui.canvases[i];
        let css = self
            .sizes
            .borrow()
            .get(i)
            .copied()
            .unwrap_or((640.0, 320.0));
        let scale = self.ratio.get();
        dom::size_canvas(canvas, css, scale);
        let theme = if self.dark.get() {
            Theme::DARK
        } else {
            Theme::LIGHT
        }
        .scaled(scale);
        let backend = canvas::Canvas::new(canvas)
            .ok_or_else(|| JsValue::from_str("a chart canvas has no 2D context"))?;
        let root = backend.into_drawing_area();
        let app = self.app.borrow();
        let drawn = if *id == "shards" {
            draw_shard_strip(&root, &app.utilisation, &theme)
        } else {
            draw_time_chart(&root, &charts::build(&app, id), &theme)
        };
        drawn.map_err(|e| JsValue::from_str(&format!("drawing {id} failed: {e}")))
    }

    /// The clock every frame (written only when it changed); the screen-reader summary
    /// at most every 2 s.
    fn update_text(&self, now: f64) -> Result<(), JsValue> {
        let app = self.app.borrow();
        let seconds = app.sim.now_ms() / 1_000;
        dom::set_text(&self.ui.clock, &day_clock(seconds));
        dom::set_text(&self.ui.play, if app.playing { "Pause" } else { "Play" });
        let note = if app.playing && app.reached > 0.0 && app.reached < 0.9 * f64::from(app.speed) {
            format!(
                "this machine reaches about {}×",
                thousands(app.reached.round() as u64)
            )
        } else {
            String::new()
        };
        if let Some(speed_note) = &self.ui.speed_note {
            dom::set_text(speed_note, &note);
        }
        let status = app
            .notice
            .clone()
            .or_else(|| app.sim.reshard_status())
            .unwrap_or_default();
        dom::set_text(&self.ui.status, &status);
        if now.is_infinite() || now - self.last_summary.get() >= 2_000.0 {
            self.last_summary
                .set(if now.is_infinite() { 0.0 } else { now });
            self.ui.summary.set_text_content(Some(&summary(&app)));
            self.show_diagnosis(&app)?;
            self.show_cost(&app);
        }
        Ok(())
    }

    /// The last minute's spend rate per hour and per month, by line item.
    fn show_cost(&self, app: &App) {
        let Some(cost) = &self.ui.cost else {
            return;
        };
        let rate = app.sim.cost_per_hour();
        let rows = [
            ("Shards", rate.shards),
            ("PUT payload units", rate.put_units),
            ("Retention beyond 24 h", rate.retention),
            ("Enhanced fan-out", rate.enhanced_fan_out),
            ("Lambda", rate.lambda),
            ("Fargate (ECS)", rate.fargate),
        ];
        let mut text = format!(
            "<p class=\"total\">${:.3} per hour · ${:.0} per month</p><table><tbody>",
            rate.total(),
            rate.total() * HOURS_PER_MONTH
        );
        for (item, usd) in rows {
            text.push_str(&format!(
                "<tr><th scope=\"row\">{item}</th><td>${usd:.4}/h</td><td>${:.2}/month</td></tr>",
                usd * HOURS_PER_MONTH
            ));
        }
        text.push_str("</tbody></table><p class=\"note\">Rate over the last simulated minute.</p>");
        cost.set_inner_html(&text);
    }

    /// One list item per finding, worst first, marked by severity.
    fn show_diagnosis(&self, app: &App) -> Result<(), JsValue> {
        let document = dom::document()?;
        let list = &self.ui.diagnosis;
        list.set_inner_html("");
        // The widget has room for the worst finding only.
        let shown = if self.view.compact { 1 } else { usize::MAX };
        for finding in diagnose(&app.sim, &app.recent).into_iter().take(shown) {
            let severity = match finding.severity {
                Severity::Ok => "ok",
                Severity::Warning => "warning",
                Severity::Loss => "loss",
            };
            let item = dom::append(&document, list, "li", severity)?;
            item.set_text_content(Some(&finding.message));
        }
        Ok(())
    }

    /// Handles `input` on a slider (while it moves) and `change` on every other control
    /// (browsers fire both for most controls: each edit is handled once).
    fn on_edit(self: &Rc<Self>, target: &Element, kind: &str) -> Result<(), JsValue> {
        let knob = target.get_attribute("data-knob");
        if knob.is_some() != (kind == "input") {
            return Ok(());
        }
        let ui = target.get_attribute("data-ui").unwrap_or_default();
        let result = if let Some(index) = knob {
            let input: &HtmlInputElement = target.unchecked_ref();
            let knobs = self.knobs.borrow();
            let Some(knob) = index.parse::<usize>().ok().and_then(|i| knobs.get(i)) else {
                return Ok(());
            };
            let step = input.value_as_number();
            let step = if step.is_finite() {
                step.max(0.0) as usize
            } else {
                0
            };
            let value = knob.values[step.min(knob.values.len() - 1)];
            dom::show_value(target, &(knob.show)(value))?;
            self.app
                .borrow_mut()
                .set(&knob.path, &(knob.to_json)(value))
        } else if let Some(path) = target.get_attribute("data-toggle") {
            let input: &HtmlInputElement = target.unchecked_ref();
            let which = if input.checked() {
                "data-on"
            } else {
                "data-off"
            };
            let value = json_attr(target, which);
            self.app.borrow_mut().set(&path, &value)
        } else if let Some(path) = target.get_attribute("data-select") {
            let select: &HtmlSelectElement = target.unchecked_ref();
            let value = serde_json::from_str(&select.value()).unwrap_or(Value::Null);
            self.app.borrow_mut().set(&path, &value)
        } else {
            // A select's or an input's current value.
            let value = js_sys::Reflect::get(target, &JsValue::from_str("value"))?
                .as_string()
                .unwrap_or_default();
            match ui.as_str() {
                "speed" => {
                    self.app.borrow_mut().speed = value.parse().unwrap_or(3_600);
                    Ok(())
                }
                "preset" => return self.load_preset(&value),
                // "all" (the whole run) is no number of seconds.
                "window" => {
                    self.app.borrow_mut().window_s = value.parse().ok();
                    Ok(())
                }
                "import" => {
                    self.import(target.unchecked_ref::<HtmlInputElement>().clone());
                    return Ok(());
                }
                _ => return Ok(()),
            }
        };
        self.app.borrow_mut().notice = result.err();
        self.write_hash();
        self.owed_draws.set(self.ui.canvases.len());
        self.update_text(f64::INFINITY)
    }

    /// Handles a click on a button with a `data-action`.
    fn on_click(self: &Rc<Self>, target: &Element) -> Result<(), JsValue> {
        let Some(button) = target.closest("[data-action]")? else {
            return Ok(());
        };
        let action = button.get_attribute("data-action").unwrap_or_default();
        if self.export(&action)? {
            return Ok(());
        }
        if action == "play" {
            let playing = self.app.borrow().playing;
            self.set_playing(!playing);
            return self.update_text(f64::INFINITY);
        }
        let result = {
            let mut app = self.app.borrow_mut();
            match action.as_str() {
                "step" => {
                    app.step();
                    Ok(())
                }
                "reset" => app.reset(),
                "fix" => match app.preset.as_deref().and_then(presets::find) {
                    Some(p) => p
                        .fixed(app.sim.config())
                        .map_err(|e| e.to_string())
                        .and_then(|c| app.apply(c)),
                    None => Ok(()),
                },
                "add-lambda" => app.add_consumer(true),
                "add-ecs" => app.add_consumer(false),
                other => match other.strip_prefix("remove:") {
                    Some(name) => app.remove_consumer(name),
                    None => Ok(()),
                },
            }
        };
        self.app.borrow_mut().notice = result.err();
        self.settings_changed()
    }

    /// The consumers as their panels show them: name and kind, in order.
    fn consumer_list(&self) -> Vec<(String, &'static str)> {
        let app = self.app.borrow();
        app.sim
            .config()
            .consumers
            .iter()
            .map(|c| (c.name().to_string(), c.kind()))
            .collect()
    }

    /// After the settings changed: rebuilds the consumer panels if consumers came, went
    /// or changed kind, moves the controls to the new values, updates the link, redraws.
    fn settings_changed(&self) -> Result<(), JsValue> {
        self.follow_settings()?;
        self.redraw_all()
    }

    /// Panels, controls and link show the simulation's settings as they are now.
    fn follow_settings(&self) -> Result<(), JsValue> {
        let changes = self.app.borrow().scripted_changes;
        self.seen_changes.set(changes);
        if *self.panels.borrow() != self.consumer_list() {
            self.build_consumers()?;
        }
        self.sync_controls()?;
        self.write_hash();
        Ok(())
    }

    /// After ticks: when a scripted event changed the settings, the controls follow
    /// them as after an edit (one integer compared per frame otherwise).
    fn follow_run(&self) -> Result<(), JsValue> {
        if self.app.borrow().scripted_changes == self.seen_changes.get() {
            return Ok(());
        }
        self.follow_settings()
    }

    /// Handles the share and export buttons; `false` for any other action.
    fn export(self: &Rc<Self>, action: &str) -> Result<bool, JsValue> {
        match action {
            "copy-link" => {
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
            "csv" => {
                let text = series_csv(&self.app.borrow());
                export::download_text("kinesis-playground-series.csv", "text/csv", &text)?;
            }
            "config-json" => {
                let text = self.app.borrow().sim.config().to_json();
                export::download_text("kinesis-playground-config.json", "application/json", &text)?;
            }
            other => {
                let Some(id) = other.strip_prefix("png:") else {
                    return Ok(false);
                };
                if let Some((_, canvas)) = self.ui.canvases.iter().find(|(c, _)| *c == id) {
                    export::download_png(&format!("kinesis-playground-{id}.png"), canvas)?;
                }
            }
        }
        Ok(true)
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
            inner.share_say(&said);
        });
    }

    /// Says `text` beside the share buttons (only the full page has them).
    fn share_say(&self, text: &str) {
        if let Some(note) = &self.ui.share_note {
            note.set_text_content(Some(text));
        }
    }

    /// The hash that reproduces the current settings and speed.
    fn link_hash(&self) -> String {
        let app = self.app.borrow();
        url::encode(&url::UrlState {
            preset: app.preset.clone(),
            config: app.sim.config().clone(),
            speed: Some(app.speed),
        })
    }

    /// This page's address with the hash of the current settings.
    fn link(&self) -> Result<String, JsValue> {
        let location = dom::window()?.location();
        Ok(format!(
            "{}{}{}#{}",
            location.origin()?,
            location.pathname()?,
            location.search()?,
            self.link_hash()
        ))
    }

    /// Puts the current settings in the address bar's hash, so the link reproduces them
    /// (only on the playground page: a widget or a page using the API keeps its own; a
    /// widget puts them in its link to the full playground).
    fn write_hash(&self) {
        let hash = self.link_hash();
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
        match presets::find(name) {
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
        self.show_lesson()?;
        self.settings_changed()
    }

    /// The chosen preset's question, what to watch, explanation and fix button.
    fn show_lesson(&self) -> Result<(), JsValue> {
        let document = dom::document()?;
        let box_ = &self.ui.lesson;
        box_.set_inner_html("");
        let app = self.app.borrow();
        let Some(p) = app.preset.as_deref().and_then(presets::find) else {
            return Ok(());
        };
        let question = dom::append(&document, box_, "p", "question")?;
        question.set_text_content(Some(p.question));
        if self.view.compact {
            return Ok(());
        }
        let watch = dom::append(&document, box_, "p", "watch")?;
        watch.set_text_content(Some(&format!("Watch: {}", p.watch)));
        let details = dom::append(&document, box_, "details", "")?;
        let summary = dom::append(&document, &details, "summary", "")?;
        summary.set_text_content(Some("Explanation"));
        let text = dom::append(&document, &details, "p", "")?;
        text.set_text_content(Some(p.explanation));
        if !p.fix_label.is_empty() {
            let fix = dom::button(&document, box_, &format!("Fix it: {}", p.fix_label), "fix")?;
            fix.set_class_name("fix");
        }
        Ok(())
    }

    /// Moves every slider, toggle and menu to what the current settings say.
    fn sync_controls(&self) -> Result<(), JsValue> {
        let app = self.app.borrow();
        let menus = [
            ("[data-ui=speed]", app.speed.to_string()),
            ("[data-ui=preset]", app.preset.clone().unwrap_or_default()),
        ];
        for (selector, value) in menus {
            if let Some(select) = self.root.query_selector(selector)? {
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
            let current = knob.current(app.sim.config());
            input
                .unchecked_ref::<HtmlInputElement>()
                .set_value(&knob.index_of(current).to_string());
            // The slider sits on the nearest step; the read-out says the exact value.
            dom::show_value(&input, &(knob.show)(current))?;
        }
        let toggles = self.root.query_selector_all("[data-toggle]")?;
        for i in 0..toggles.length() {
            let Some(toggle) = toggles.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let path = toggle.get_attribute("data-toggle").unwrap_or_default();
            let now = crate::model::path::get_path(app.sim.config(), &path).ok();
            let on = now.is_some() && now == Some(json_attr(&toggle, "data-on"));
            toggle.unchecked_ref::<HtmlInputElement>().set_checked(on);
        }
        if let Some(shape) = self
            .root
            .query_selector("[data-select='producers.0.shape']")?
        {
            let kind = crate::model::path::get_path(app.sim.config(), "producers.0.shape.type")
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let select: &HtmlSelectElement = shape.unchecked_ref();
            for i in 0..select.length() {
                if let Some(option) = select.item(i) {
                    let value = option.get_attribute("value").unwrap_or_default();
                    if value.contains(&format!("\"{kind}\"")) {
                        select.set_selected_index(i as i32);
                    }
                }
            }
        }
        Ok(())
    }

    /// Rebuilds the consumer panels and the knob registry.
    fn build_consumers(&self) -> Result<(), JsValue> {
        *self.panels.borrow_mut() = self.consumer_list();
        let document = dom::document()?;
        let list = &self.ui.consumer_list;
        list.set_inner_html("");
        let mut knobs = self.knobs.borrow_mut();
        knobs.retain(|k| !k.path.starts_with("consumers."));
        let app = self.app.borrow();
        let view = &self.view;
        for c in &app.sim.config().consumers {
            let specs: Vec<Knob> = controls::consumer_knobs(c)
                .into_iter()
                .filter(|k| view.shows(&k.path))
                .collect();
            let autoscaling = matches!(c, ConsumerConfig::Kcl(_)) && view.shows("autoscaling");
            let bisect = matches!(c, ConsumerConfig::Lambda(_)) && view.shows("bisect_on_error");
            if view.compact && specs.is_empty() && !view.shows("fan_out") && !autoscaling && !bisect
            {
                continue;
            }
            let panel = dom::append(&document, list, "fieldset", "consumer")?;
            let legend = dom::append(&document, &panel, "legend", "")?;
            let kind = match c {
                ConsumerConfig::Lambda(_) => "Lambda",
                ConsumerConfig::Kcl(_) => "ECS (KCL)",
            };
            legend.set_text_content(Some(&format!("{kind}: {}", c.name())));
            if !view.compact {
                let remove = dom::button(
                    &document,
                    &panel,
                    &format!("Remove {}", c.name()),
                    &format!("remove:{}", c.name()),
                )?;
                remove.set_class_name("remove");
            }
            for knob in specs {
                add_knob(&document, &panel, app.sim.config(), &mut knobs, knob)?;
            }
            if view.shows("fan_out") {
                let fan_out = format!("consumers.{}.fan_out", c.name());
                let on = c.fan_out() == crate::model::FanOut::Enhanced;
                dom::toggle(
                    &document,
                    &panel,
                    "Enhanced fan-out (own 2 MiB/s per shard)",
                    &fan_out,
                    "\"enhanced\"",
                    "\"shared\"",
                    on,
                )?;
            }
            if let (ConsumerConfig::Lambda(l), true) = (c, bisect) {
                let path = format!("consumers.{}.bisect_on_error", c.name());
                dom::toggle(
                    &document,
                    &panel,
                    "Split a failing batch in two (bisect on error)",
                    &path,
                    "true",
                    "false",
                    l.bisect_on_error,
                )?;
            }
            if let (ConsumerConfig::Kcl(k), true) = (c, autoscaling) {
                let path = format!("consumers.{}.autoscaling.enabled", c.name());
                dom::toggle(
                    &document,
                    &panel,
                    "Autoscaling (target 800 records/s per task)",
                    &path,
                    "true",
                    "false",
                    k.autoscaling.enabled,
                )?;
            }
        }
        dom::scope_ids(list, &self.ids)
    }
}

/// The text of a JS error value (an `Error`'s message, a string, or its JSON form).
pub(crate) fn message(err: &JsValue) -> String {
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    err.as_string()
        .or_else(|| js_sys::JSON::stringify(err).ok().map(String::from))
        .unwrap_or_else(|| "unknown error".into())
}

fn json_attr(element: &Element, name: &str) -> Value {
    element
        .get_attribute(name)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null)
}

/// Adds a slider for `knob` showing its current value in `config`, and registers it.
fn add_knob(
    document: &web_sys::Document,
    parent: &Element,
    config: &Config,
    knobs: &mut Vec<Knob>,
    knob: Knob,
) -> Result<(), JsValue> {
    let current = knob.current(config);
    let index = knob.index_of(current);
    let id = format!("kp-{}", knob.path.replace('.', "-"));
    dom::slider(
        document,
        parent,
        &id,
        knob.label,
        knob.help,
        knob.values.len(),
        index,
        &(knob.show)(current),
        knobs.len(),
    )?;
    knobs.push(knob);
    Ok(())
}

/// The metric history as CSV, with each consumer's columns under its name.
fn series_csv(app: &App) -> String {
    let consumers: Vec<(&str, &crate::model::store::SeriesStore)> = app
        .sim
        .config()
        .consumers
        .iter()
        .map(ConsumerConfig::name)
        .zip(&app.consumers)
        .collect();
    crate::share::csv::series(&app.stream, &consumers, 0)
}

/// The key numbers in one paragraph, for screen readers.
fn summary(app: &App) -> String {
    let m = app.sim.metrics();
    let t = app.sim.totals();
    let tick_s = f64::from(app.sim.config().tick_s);
    let mut parts = vec![format!(
        "At {}, {} shards take {} records/s; {} records/s are throttled; producers dropped {} records so far.",
        day_clock(app.sim.now_ms() / 1_000),
        app.sim.open_shards(),
        thousands((m.incoming_records as f64 / tick_s) as u64),
        thousands((m.write_throttled as f64 / tick_s) as u64),
        thousands(t.dropped_by_producer),
    )];
    for r in app.sim.ledgers() {
        parts.push(format!(
            "{}: iterator age {}, {} records expired, {} skipped.",
            r.name,
            duration_ms(r.final_iterator_age_ms as f64),
            thousands(r.ledger.expired),
            thousands(r.ledger.skipped),
        ));
    }
    parts.join(" ")
}

/// Builds the playground page for `config` inside `root` and draws it once (paused).
pub fn mount(root: &Element, config: Config) -> Result<Page, JsValue> {
    mount_with(root, config, View::full())
}

/// Builds the parts of the playground `view` asks for inside `root`, for `config`, and
/// draws it once (paused).
pub fn mount_with(root: &Element, config: Config, view: View) -> Result<Page, JsValue> {
    let app = App::new(config).map_err(|e| JsValue::from_str(&e))?;
    let document = dom::document()?;
    root.set_inner_html("");
    let ids = dom::id_prefix(&document)?;
    root.class_list()
        .toggle_with_force("compact", view.compact)?;
    let controls = dom::append(&document, root, "div", "controls")?;

    let lesson = if view.compact {
        dom::append(&document, &controls, "div", "lesson")?
    } else {
        scenario_section(&document, &controls)?
    };

    let time = dom::section(&document, &controls, "Time")?;
    let clock = dom::append(&document, &time, "p", "clock")?;
    clock.set_attribute("aria-label", "simulated time")?;
    let buttons = dom::append(&document, &time, "div", "buttons")?;
    let play = dom::button(&document, &buttons, "Play", "play")?;
    dom::button(&document, &buttons, "Step", "step")?;
    dom::button(&document, &buttons, "Reset", "reset")?;
    let speed_note = if view.compact {
        None
    } else {
        Some(time_menus(&document, &time, app.speed)?)
    };

    let mut knobs = Vec::new();
    let producer_knobs: Vec<Knob> = controls::producer_knobs()
        .into_iter()
        .filter(|k| view.shows(&k.path))
        .collect();
    if !producer_knobs.is_empty() || view.shows("shape") {
        let producers = dom::section(&document, &controls, "Producers")?;
        for knob in producer_knobs {
            add_knob(&document, &producers, app.sim.config(), &mut knobs, knob)?;
        }
        if view.shows("shape") {
            shape_menu(&document, &producers)?;
        }
    }

    let stream_knobs: Vec<Knob> = controls::stream_knobs()
        .into_iter()
        .filter(|k| view.shows(&k.path))
        .collect();
    let stream = if stream_knobs.is_empty() {
        time.clone()
    } else {
        dom::section(&document, &controls, "Stream")?
    };
    for knob in stream_knobs {
        add_knob(&document, &stream, app.sim.config(), &mut knobs, knob)?;
    }
    let status = dom::append(&document, &stream, "p", "status")?;
    status.set_attribute("role", "status")?;

    let consumers = if view.compact {
        dom::append(&document, &controls, "div", "")?
    } else {
        dom::section(&document, &controls, "Consumers")?
    };
    for knob in controls::account_knobs() {
        if view.shows(&knob.path) {
            add_knob(&document, &consumers, app.sim.config(), &mut knobs, knob)?;
        }
    }
    let consumer_list = dom::append(&document, &consumers, "div", "consumer-list")?;
    let (cost, share_note) = if view.compact {
        if view.links_full {
            open_full_link(&document, &controls)?;
        }
        (None, None)
    } else {
        let adders = dom::append(&document, &consumers, "div", "buttons")?;
        dom::button(&document, &adders, "Add Lambda", "add-lambda")?;
        dom::button(&document, &adders, "Add ECS", "add-ecs")?;
        (
            Some(cost_section(&document, &controls)?),
            Some(share_section(&document, &controls)?),
        )
    };

    let chart_area = dom::append(&document, root, "div", "charts")?;
    let mut canvases = Vec::new();
    for id in &view.charts {
        let Some((id, title, help)) = charts::CHARTS.iter().find(|(c, _, _)| c == id) else {
            continue;
        };
        let figure = dom::append(&document, &chart_area, "figure", "chart")?;
        figure.set_id(&format!("chart-{id}"));
        let canvas: HtmlCanvasElement =
            dom::append(&document, &figure, "canvas", "")?.dyn_into()?;
        canvas.set_attribute("role", "img")?;
        canvas.set_attribute("aria-label", title)?;
        let caption = dom::append(&document, &figure, "figcaption", "")?;
        caption.set_text_content(Some(help));
        if !view.compact {
            let png = dom::button(&document, &caption, "PNG", &format!("png:{id}"))?;
            png.set_class_name("png");
            png.set_attribute("aria-label", &format!("Download the {title} chart as PNG"))?;
        }
        canvases.push((*id, canvas));
    }
    if canvases.is_empty() {
        chart_area.remove();
    }
    let status_area = dom::append(&document, root, "div", "summary")?;
    status_area.set_attribute("aria-live", "polite")?;
    let diagnosis = dom::append(&document, &status_area, "ul", "diagnosis")?;
    diagnosis.set_attribute("aria-label", "diagnosis")?;
    let summary_el = dom::append(&document, &status_area, "p", "numbers")?;

    let inner = Rc::new(Inner {
        root: root.clone(),
        view,
        ids,
        app: RefCell::new(app),
        ui: Ui {
            clock,
            diagnosis,
            lesson,
            cost,
            speed_note,
            status,
            share_note,
            summary: summary_el,
            consumer_list,
            play,
            canvases,
        },
        knobs: RefCell::new(knobs),
        next_chart: Cell::new(0),
        owed_draws: Cell::new(0),
        panels: RefCell::new(Vec::new()),
        seen_changes: Cell::new(0),
        last_frame: Cell::new(None),
        last_draw_ms: Cell::new(3.0),
        frame_budget_ms: Cell::new(FRAME_BUDGET_MS),
        sizes: RefCell::new(Vec::new()),
        ratio: Cell::new(1.0),
        dark: Cell::new(false),
        last_summary: Cell::new(f64::NEG_INFINITY),
        stopped: Cell::new(false),
        raf: RefCell::new(None),
    });
    inner.build_consumers()?;
    dom::scope_ids(root, &inner.ids)?;
    inner.measure()?;
    inner.redraw_all()?;

    let mut listeners = Vec::new();
    for kind in ["input", "change"] {
        let handler = Rc::clone(&inner);
        let closure: Closure<dyn FnMut(Event)> = Closure::new(move |e: Event| {
            if let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                if let Err(err) = handler.on_edit(&target, kind) {
                    handler.report(&err);
                }
            }
        });
        root.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())?;
        listeners.push((root.clone(), kind, closure));
    }
    let handler = Rc::clone(&inner);
    let click: Closure<dyn FnMut(Event)> = Closure::new(move |e: Event| {
        if let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
            if let Err(err) = handler.on_click(&target) {
                handler.report(&err);
            }
        }
    });
    root.add_event_listener_with_callback("click", click.as_ref().unchecked_ref())?;
    listeners.push((root.clone(), "click", click));
    let handler = Rc::clone(&inner);
    let on_resize: Closure<dyn FnMut(Event)> = Closure::new(move |_: Event| {
        if let Err(err) = handler.measure().and_then(|()| handler.redraw_all()) {
            web_sys::console::error_1(&err);
        }
    });
    dom::window()?
        .add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref())?;
    Ok(Page {
        inner,
        listeners,
        on_resize,
        resize_observer: None,
    })
}

/// The scenario menu and the box its lesson goes in (returned).
fn scenario_section(document: &web_sys::Document, parent: &Element) -> Result<Element, JsValue> {
    let scenarios = dom::section(document, parent, "Scenario")?;
    let mut choices = vec![(String::new(), "your own settings".to_string())];
    choices.extend(
        presets::all()
            .iter()
            .map(|p| (p.name.to_string(), p.title.to_string())),
    );
    let preset_menu = dom::select(
        document,
        &scenarios,
        "kp-preset",
        "Start from",
        "preset",
        &choices,
        "",
    )?;
    dom::help(
        document,
        &preset_menu,
        "A scenario to start from, with its question and a fix; or keep your own settings.",
    )?;
    dom::append(document, &scenarios, "div", "lesson")
}

/// The speed and chart-window menus; returns the line that says what speed is reached.
fn time_menus(
    document: &web_sys::Document,
    time: &Element,
    speed: u32,
) -> Result<Element, JsValue> {
    let speeds: Vec<(String, String)> = SPEEDS
        .iter()
        .map(|s| (s.to_string(), format!("{}×", thousands(u64::from(*s)))))
        .collect();
    let speed_menu = dom::select(
        document,
        time,
        "kp-speed",
        "Speed",
        "speed",
        &speeds,
        &speed.to_string(),
    )?;
    dom::help(
        document,
        &speed_menu,
        "Simulated seconds per real second; 86,400× runs a day per second.",
    )?;
    let speed_note = dom::append(document, time, "p", "note")?;
    let windows = [
        ("900", "last 15 min"),
        ("21600", "last 6 h"),
        ("172800", "last 2 days"),
        ("all", "whole run"),
    ]
    .map(|(v, l)| (v.to_string(), l.to_string()));
    let window_menu = dom::select(
        document,
        time,
        "kp-window",
        "Chart window",
        "window",
        &windows,
        "21600",
    )?;
    dom::help(
        document,
        &window_menu,
        "How much simulated time the charts show.",
    )?;
    Ok(speed_note)
}

/// The traffic shape menu of the first producer.
fn shape_menu(document: &web_sys::Document, producers: &Element) -> Result<(), JsValue> {
    let shapes = [
        (r#"{"type":"constant"}"#, "constant"),
        (
            r#"{"type":"daily","peak_hour":14,"trough":0.3}"#,
            "daily cycle",
        ),
        (
            r#"{"type":"surge","every_s":3600,"duration_s":300,"multiplier":3}"#,
            "surge ×3, 5 min an hour",
        ),
    ]
    .map(|(v, l)| (v.to_string(), l.to_string()));
    let shape = dom::select(
        document,
        producers,
        "kp-shape",
        "Traffic shape",
        "",
        &shapes,
        &shapes[0].0,
    )?;
    dom::help(document, &shape, "Constant, a daily cycle, or hourly surges: bursts above the write limit are throttled and retried.")?;
    shape.set_attribute("data-select", "producers.0.shape")
}

/// The cost panel and the list of prices behind it; returns the panel.
fn cost_section(document: &web_sys::Document, parent: &Element) -> Result<Element, JsValue> {
    let cost_section = dom::section(document, parent, "Cost")?;
    let cost = dom::append(document, &cost_section, "div", "cost")?;
    let prices = dom::append(document, &cost_section, "details", "prices")?;
    let prices_title = dom::append(document, &prices, "summary", "")?;
    prices_title.set_text_content(Some("Prices used (us-east-1)"));
    let list = dom::append(document, &prices, "ul", "")?;
    for price in price_list() {
        let item = dom::append(document, &list, "li", "")?;
        item.set_text_content(Some(&format!(
            "${} per {} — {}, {}",
            price.usd, price.unit, price.source, price.date
        )));
    }
    Ok(cost)
}

/// Copy link, downloads and config import; returns the line that reports on them.
fn share_section(document: &web_sys::Document, parent: &Element) -> Result<Element, JsValue> {
    let share = dom::section(document, parent, "Share and export")?;
    let buttons = dom::append(document, &share, "div", "buttons")?;
    dom::button(document, &buttons, "Copy link", "copy-link")?;
    dom::button(document, &buttons, "Series CSV", "csv")?
        .set_attribute("aria-label", "Download the metric series as CSV")?;
    dom::button(document, &buttons, "Config JSON", "config-json")?
        .set_attribute("aria-label", "Download the settings as JSON")?;
    let field = dom::labelled(document, &share, "kp-import", "Import settings (JSON)")?;
    let input = dom::append(document, &field, "input", "")?;
    input.set_id("kp-import");
    input.set_attribute("type", "file")?;
    input.set_attribute("accept", "application/json,.json")?;
    input.set_attribute("data-ui", "import")?;
    dom::help(
        document,
        &input,
        "A settings file like the one Config JSON saves (or kinesis-sim reads); it runs from time 0.",
    )?;
    let note = dom::append(document, &share, "p", "note")?;
    note.set_attribute("role", "status")?;
    Ok(note)
}

/// The widget's way out: the same settings on the full playground page, in a new tab.
fn open_full_link(document: &web_sys::Document, parent: &Element) -> Result<(), JsValue> {
    let link = dom::append(document, parent, "a", "open-full")?;
    link.set_attribute("href", "index.html")?;
    link.set_attribute("target", "_blank")?;
    link.set_attribute("rel", "noopener")?;
    link.set_text_content(Some("Open in the full playground ↗"));
    Ok(())
}

/// Every price the cost model uses, for the page's list.
fn price_list() -> [Price; 10] {
    let p = PRICES;
    [
        p.shard_hour,
        p.put_million_units,
        p.extended_retention_shard_hour,
        p.long_term_gb_month,
        p.efo_consumer_shard_hour,
        p.efo_gb,
        p.lambda_gb_second,
        p.lambda_million_requests,
        p.fargate_vcpu_hour,
        p.fargate_gb_hour,
    ]
}
