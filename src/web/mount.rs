//! Building a playground into an element: its sections, controls and canvases as the
//! view asks, and the listeners that delegate its events.

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, HtmlCanvasElement};

use super::dom;
use super::inner::{add_knob, Inner, Ui};
use super::page::{Handler, Listener, Page};
use crate::model::Config;
use crate::playground::actions::{
    add_alarm_button, add_buttons, png_button, share_buttons, time_buttons,
};
use crate::playground::alarms::{ALARM_EXAMPLE, ALARM_HELP};
use crate::playground::cloudwatch::{period_menu, stat_menu, TRUTH_LABEL};
use crate::playground::consumers::{producer_toggle, AGGREGATION_HELP};
use crate::playground::cost::{price_lines, PRICES_TITLE};
use crate::playground::knobs::{account_knobs, kpl_knobs, producer_knobs, stream_knobs};
use crate::playground::menus::{mode_menu, scenario_menu, shape_menu, speed_menu, window_menu};
use crate::playground::{App, ChartId, Knob, UiControl, View, FRAME_BUDGET_MS};

/// Builds the playground page for `config` inside `root` and draws it once (paused).
pub fn mount(root: &Element, config: Config) -> Result<Page, JsValue> {
    mount_with(root, config, View::full())
}

/// Builds the parts of the playground `view` asks for inside `root`, for `config`, and
/// draws it once (paused).
pub fn mount_with(root: &Element, config: Config, view: View) -> Result<Page, JsValue> {
    let page = begin(root, config, view)?;
    page.inner.build_rest()?;
    page.inner.measure()?;
    page.inner.redraw_all()?;
    Ok(page)
}

/// Builds in `root` what the first chart needs: the stage (messages, charts, findings)
/// beside an empty controls column, so the page lays the charts out at their final
/// size, and the listeners. `Inner::build_rest` builds the controls.
pub(super) fn begin(root: &Element, config: Config, view: View) -> Result<Page, JsValue> {
    let mut app = App::new(config).map_err(|e| JsValue::from_str(&e))?;
    // Checkpoints pause the full page; a widget shows the question only.
    app.guide.enabled = !view.compact;
    let document = dom::document()?;
    root.set_inner_html("");
    let ids = dom::id_prefix(&document)?;
    super::terms::prepare(&document, root, &ids)?;
    root.class_list()
        .toggle_with_force("compact", view.compact)?;
    let column = dom::append(&document, root, "div", "controls")?;
    // The run's side: messages, charts and findings (beside the controls, and kept in
    // view while they scroll).
    let stage = dom::append(&document, root, "div", "stage")?;
    let banner = dom::banner(&document, &stage)?;
    let status_area = dom::append(&document, &stage, "div", "summary")?;
    // The live region says what changed; the summary and diagnosis are read on demand.
    let announce = dom::append(&document, &stage, "div", "announce")?;
    announce.set_attribute("role", "status")?;
    let diagnosis = dom::append(&document, &status_area, "ul", "diagnosis")?;
    diagnosis.set_attribute("aria-label", "diagnosis")?;
    let summary = dom::append(&document, &status_area, "p", "numbers")?;
    let mut captions = Vec::new();
    let canvases = build_charts(&document, &stage, &view, &mut captions)?;

    let inner = Rc::new(Inner {
        root: root.clone(),
        view,
        ids,
        app: RefCell::new(app),
        ui: Ui {
            column,
            controls: OnceCell::new(),
            banner,
            diagnosis,
            summary,
            announce,
            canvases,
            captions,
        },
        knobs: RefCell::new(Vec::new()),
        owed_draws: Cell::new(0),
        panels: RefCell::new(Vec::new()),
        seen_changes: Cell::new(0),
        last_frame: Cell::new(None),
        last_draw_ms: Cell::new(3.0),
        frame_budget_ms: Cell::new(FRAME_BUDGET_MS),
        sizes: RefCell::new(Vec::new()),
        cost_width: Cell::new(0.0),
        ratio: Cell::new(1.0),
        dark: Cell::new(false),
        round_text_at: Cell::new(f64::NEG_INFINITY),
        announcer: RefCell::new(Default::default()),
        stopped: Cell::new(false),
        raf: RefCell::new(None),
    });
    let (listeners, on_resize) = listen(root, &inner)?;
    Ok(Page {
        inner,
        listeners,
        on_resize,
        resize_observer: None,
        frame_id: Rc::default(),
    })
}

impl Inner {
    /// Draws the first chart as the page lays it out now (its text alternative comes
    /// with the first round of every chart), and marks `first-chart` on the performance
    /// timeline.
    pub(super) fn draw_first(&self) -> Result<(), JsValue> {
        self.measure()?;
        if !self.ui.canvases.is_empty() {
            self.draw_turn(0, false)?;
            dom::mark("first-chart");
        }
        Ok(())
    }

    /// Builds the controls column, the consumer panels and the charts' captions; draws
    /// nothing. The charts are measured again beside them by the next frame (see
    /// `Inner::frame`) or by `mount_with`.
    pub(super) fn build_rest(&self) -> Result<(), JsValue> {
        let document = dom::document()?;
        let (controls, knobs) = {
            let app = self.app.borrow();
            build_controls(&document, &self.ui.column, &self.view, &app)?
        };
        *self.knobs.borrow_mut() = knobs;
        for ((id, _), caption) in self.ui.canvases.iter().zip(&self.ui.captions) {
            super::terms::fill(caption, id.help())?;
            if !self.view.compact {
                dom::button(&document, caption, &png_button(*id))?;
            }
        }
        // Built once: a second call finds them set and changes nothing.
        let _ = self.ui.controls.set(controls);
        self.build_consumers()?;
        dom::scope_ids(&self.root, &self.ids)?;
        self.sizes.borrow_mut().clear();
        Ok(())
    }

    /// Brings the controls and the lesson to the run as it is, and owes every chart a
    /// redraw (the frame that starts their round rewrites the text).
    pub(super) fn show_run(&self) -> Result<(), JsValue> {
        self.owed_draws.set(self.ui.canvases.len());
        self.sync_controls()?;
        if !self.view.owns_hash {
            self.write_hash();
        }
        self.show_lesson()
    }
}

/// The elements of the controls column the page updates.
pub(super) struct Controls {
    /// The simulated clock.
    pub clock: Element,
    /// The Play / Pause button.
    pub play: Element,
    /// The line that says what speed is reached (the full page only).
    pub speed_note: Option<Element>,
    /// The scenario's lesson box.
    pub lesson: Element,
    /// The status line beside the shard slider: resharding and its waits.
    pub status: Element,
    /// Where the consumer panels go.
    pub consumer_list: Element,
    /// The cost panel (the full page only).
    pub cost: Option<Element>,
    /// The alarms and the losses none caught (the full page only).
    pub alarms: Option<Element>,
    /// The line beside the share buttons (the full page only).
    pub share_note: Option<Element>,
}

/// The controls column `controls`: scenario (or the widget's lesson), time, producers,
/// stream, consumers, cost and sharing, as `view` asks; returns its elements and its
/// sliders.
fn build_controls(
    document: &Document,
    controls: &Element,
    view: &View,
    app: &App,
) -> Result<(Controls, Vec<Knob>), JsValue> {
    let lesson = if view.compact {
        dom::append(document, controls, "div", "lesson")?
    } else {
        scenario_section(document, controls, app)?
    };
    let time = dom::section(document, controls, "Time")?;
    let clock = dom::append(document, &time, "p", "clock")?;
    clock.set_attribute("aria-label", "simulated time")?;
    let buttons = dom::append(document, &time, "div", "buttons")?;
    let [play, step, reset] = time_buttons();
    let play = dom::button(document, &buttons, &play)?;
    dom::button(document, &buttons, &step)?;
    dom::button(document, &buttons, &reset)?;
    let speed_note = if view.compact {
        None
    } else {
        Some(time_menus(document, &time, app)?)
    };

    let mut knobs = Vec::new();
    let config = app.sim.config();
    producers_section(document, controls, view, config, &mut knobs)?;
    let stream_knobs = shown(view, stream_knobs());
    let stream = if stream_knobs.is_empty() {
        time.clone()
    } else {
        dom::section(document, controls, "Stream")?
    };
    if view.shows("stream.mode") {
        dom::select(document, &stream, &mode_menu(config))?;
    }
    for knob in stream_knobs {
        add_knob(document, &stream, config, &mut knobs, knob)?;
    }
    let status = dom::append(document, &stream, "p", "status")?;
    status.set_attribute("role", "status")?;

    let consumers = if view.compact {
        dom::append(document, controls, "div", "")?
    } else {
        dom::section(document, controls, "Consumers")?
    };
    for knob in shown(view, account_knobs()) {
        add_knob(document, &consumers, config, &mut knobs, knob)?;
    }
    let consumer_list = dom::append(document, &consumers, "div", "consumer-list")?;
    let (alarms, cost, share_note) = if view.compact {
        if view.links_full {
            open_full_link(document, controls)?;
        }
        (None, None, None)
    } else {
        let adders = dom::append(document, &consumers, "div", "buttons")?;
        for add in add_buttons() {
            dom::button(document, &adders, &add)?;
        }
        (
            Some(alarms_section(document, controls)?),
            Some(cost_section(document, controls)?),
            Some(share_section(document, controls)?),
        )
    };
    if !view.compact {
        super::terms::glossary(document, controls)?;
    }
    let parts = Controls {
        clock,
        play,
        speed_note,
        lesson,
        status,
        consumer_list,
        cost,
        alarms,
        share_note,
    };
    Ok((parts, knobs))
}

/// The producers' section, as `view` asks: sliders, traffic shape menu, the
/// aggregation checkbox and its sliders; none when it shows none of them.
fn producers_section(
    document: &Document,
    controls: &Element,
    view: &View,
    config: &Config,
    knobs: &mut Vec<Knob>,
) -> Result<(), JsValue> {
    let producer_knobs = shown(view, producer_knobs());
    let kpl_knobs = shown(view, kpl_knobs());
    if !producer_knobs.is_empty()
        || !kpl_knobs.is_empty()
        || view.shows("shape")
        || view.shows("aggregation")
    {
        let producers = dom::section(document, controls, "Producers")?;
        for knob in producer_knobs {
            add_knob(document, &producers, config, knobs, knob)?;
        }
        if view.shows("shape") {
            dom::select(document, &producers, &shape_menu(config))?;
        }
        if let Some(toggle) = producer_toggle(view) {
            let input = dom::toggle(document, &producers, &toggle, toggle.is_on(config))?;
            // The help goes under the checkbox's label, not inside it (its name).
            let help = dom::append(document, &producers, "small", "help")?;
            help.set_id("kp-aggregation-help");
            super::terms::fill(&help, AGGREGATION_HELP)?;
            input.set_attribute("aria-describedby", "kp-aggregation-help")?;
        }
        for knob in kpl_knobs {
            add_knob(document, &producers, config, knobs, knob)?;
        }
    }
    Ok(())
}

/// The sliders of `list` that `view` shows.
fn shown(view: &View, list: Vec<Knob>) -> Vec<Knob> {
    list.into_iter().filter(|k| view.shows(&k.path)).collect()
}

/// Hides an element from sight but not from screen readers.
const VISUALLY_HIDDEN: &str = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0";

/// One figure per chart `view` asks for: canvas, text alternative and caption (empty:
/// its words and, on the full page, a PNG button come with the controls; each caption
/// is added to `captions`), in a named region that scrolls by keyboard where it
/// overflows (a phone's chart strip). No chart area at all when it asks for none.
fn build_charts(
    document: &Document,
    parent: &Element,
    view: &View,
    captions: &mut Vec<Element>,
) -> Result<Vec<(ChartId, HtmlCanvasElement)>, JsValue> {
    let chart_area = dom::append(document, parent, "div", "charts")?;
    chart_area.set_attribute("role", "region")?;
    chart_area.set_attribute("aria-label", "Charts")?;
    chart_area.set_attribute("tabindex", "0")?;
    let mut canvases = Vec::new();
    for &id in &view.charts {
        let figure = dom::append(document, &chart_area, "figure", "chart")?;
        figure.set_id(&format!("chart-{id}"));
        let canvas: HtmlCanvasElement = dom::append(document, &figure, "canvas", "")?.dyn_into()?;
        canvas.set_attribute("role", "img")?;
        canvas.set_attribute("aria-label", id.title())?;
        // Its text alternative: the values it shows, rewritten every few seconds (not a
        // live region), visually hidden.
        let text = dom::append(document, &figure, "p", "chart-text")?;
        text.set_id(&format!("kp-chart-{id}-text"));
        text.set_attribute("style", VISUALLY_HIDDEN)?;
        canvas.set_attribute("aria-describedby", &format!("kp-chart-{id}-text"))?;
        // Its caption is written with the controls (see `Inner::build_rest`).
        captions.push(dom::append(document, &figure, "figcaption", "")?);
        canvases.push((id, canvas));
    }
    if canvases.is_empty() {
        chart_area.remove();
    }
    Ok(canvases)
}

/// One `input`, one `change` and one `click` listener on `root`, and the window's
/// `resize`, all handled by `inner`.
fn listen(root: &Element, inner: &Rc<Inner>) -> Result<(Vec<Listener>, Handler), JsValue> {
    let mut listeners = Vec::new();
    for kind in ["input", "change"] {
        let handler = Rc::clone(inner);
        let closure: Handler = Closure::new(move |e: Event| {
            if let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                if let Err(err) = handler.on_edit(&target, kind) {
                    handler.report(&err);
                }
            }
        });
        root.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())?;
        listeners.push((root.clone().into(), kind, closure));
    }
    let handler = Rc::clone(inner);
    let click: Handler = Closure::new(move |e: Event| {
        if let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
            if let Err(err) = handler.on_click(&target) {
                handler.report(&err);
            }
        }
    });
    root.add_event_listener_with_callback("click", click.as_ref().unchecked_ref())?;
    listeners.push((root.clone().into(), "click", click));
    listeners.extend(super::terms::listen(root)?);
    let handler = Rc::clone(inner);
    let on_resize: Handler = Closure::new(move |_: Event| refit(&handler));
    dom::window()?
        .add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref())?;
    // Charts follow a light/dark switch while the page is open.
    if let Some(scheme) = dom::window()?.match_media("(prefers-color-scheme: dark)")? {
        let handler = Rc::clone(inner);
        let on_scheme: Handler = Closure::new(move |_: Event| refit(&handler));
        scheme.add_event_listener_with_callback("change", on_scheme.as_ref().unchecked_ref())?;
        listeners.push((scheme.into(), "change", on_scheme));
    }
    Ok((listeners, on_resize))
}

/// Measures the canvases and the colour scheme again and redraws every chart (after a
/// resize or a light/dark switch). One copy for both listeners.
#[inline(never)]
fn refit(inner: &Inner) {
    if let Err(err) = inner.measure().and_then(|()| inner.redraw_all()) {
        web_sys::console::error_1(&err);
    }
}

/// The scenario menu and the box its lesson goes in (returned).
fn scenario_section(document: &Document, parent: &Element, app: &App) -> Result<Element, JsValue> {
    let scenarios = dom::section(document, parent, "Scenario")?;
    dom::select(document, &scenarios, &scenario_menu(app.preset.as_deref()))?;
    dom::append(document, &scenarios, "div", "lesson")
}

/// The speed and chart-window menus; returns the line that says what speed is reached.
fn time_menus(document: &Document, time: &Element, app: &App) -> Result<Element, JsValue> {
    dom::select(document, time, &speed_menu(app.speed))?;
    let speed_note = dom::append(document, time, "p", "note")?;
    dom::select(document, time, &window_menu(app.window_s))?;
    dom::select(document, time, &period_menu(&app.view))?;
    dom::select(document, time, &stat_menu(&app.view))?;
    let label = dom::append(document, time, "label", "toggle")?;
    let input = dom::append(document, &label, "input", "")?;
    input.set_attribute("type", "checkbox")?;
    input.set_attribute("data-ui", UiControl::Truth.name())?;
    let text = dom::append(document, &label, "span", "")?;
    text.set_text_content(Some(TRUTH_LABEL));
    Ok(speed_note)
}

/// The alarms panel and the field that adds one; returns the panel's list.
fn alarms_section(document: &Document, parent: &Element) -> Result<Element, JsValue> {
    let section = dom::section(document, parent, "CloudWatch alarms")?;
    let list = dom::append(document, &section, "div", "alarms")?;
    let field = dom::labelled(document, &section, "kp-alarm", "New alarm")?;
    let input = dom::append(document, &field, "input", "")?;
    input.set_id("kp-alarm");
    input.set_attribute("type", "text")?;
    input.set_attribute("spellcheck", "false")?;
    input.set_attribute("placeholder", ALARM_EXAMPLE)?;
    input.set_attribute("data-ui", UiControl::Alarm.name())?;
    dom::help(document, &input, ALARM_HELP)?;
    dom::button(document, &section, &add_alarm_button())?;
    Ok(list)
}

/// The cost panel, the chart of each mode's monthly bill and the list of prices behind
/// them; returns the section holding them.
fn cost_section(document: &Document, parent: &Element) -> Result<Element, JsValue> {
    let cost_section = dom::section(document, parent, "Cost")?;
    dom::append(document, &cost_section, "div", "cost")?;
    let chart = dom::append(document, &cost_section, "canvas", "mode-chart")?;
    chart.set_attribute("role", "img")?;
    chart.set_attribute(
        "aria-label",
        "A month's stream bill in each capacity mode against steady throughput, for this \
         run's record size, consumers and retention; where two lines cross is marked",
    )?;
    let prices = dom::append(document, &cost_section, "details", "prices")?;
    let prices_title = dom::append(document, &prices, "summary", "")?;
    prices_title.set_text_content(Some(PRICES_TITLE));
    let list = dom::append(document, &prices, "ul", "")?;
    for line in price_lines() {
        let item = dom::append(document, &list, "li", "")?;
        item.set_text_content(Some(&line));
    }
    Ok(cost_section)
}

/// Copy link, downloads and config import; returns the line that reports on them.
fn share_section(document: &Document, parent: &Element) -> Result<Element, JsValue> {
    let share = dom::section(document, parent, "Share and export")?;
    let buttons = dom::append(document, &share, "div", "buttons")?;
    for button in share_buttons() {
        dom::button(document, &buttons, &button)?;
    }
    let field = dom::labelled(document, &share, "kp-import", "Import settings (JSON)")?;
    let input = dom::append(document, &field, "input", "")?;
    input.set_id("kp-import");
    input.set_attribute("type", "file")?;
    input.set_attribute("accept", "application/json,.json")?;
    input.set_attribute("data-ui", UiControl::Import.name())?;
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
fn open_full_link(document: &Document, parent: &Element) -> Result<(), JsValue> {
    let link = dom::append(document, parent, "a", "open-full")?;
    link.set_attribute("href", "index.html")?;
    link.set_attribute("target", "_blank")?;
    link.set_attribute("rel", "noopener")?;
    link.set_text_content(Some("Open in the full playground ↗"));
    Ok(())
}
