//! The JavaScript interface: one handle per mounted playground.
//!
//! ```js
//! const p = Playground.mount(document.querySelector("#lab"), "scenario-1", { compact: true });
//! p.set("stream.shards", 4);
//! p.step(3600);
//! console.log(p.snapshot().consumers[0].expired);
//! p.destroy();
//! ```
//!
//! Every argument is checked: a bad one throws a JavaScript `Error` whose message names
//! the method and what was wrong.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::view::{self, View};
use super::{message, mount_with, Page};
use crate::model::{presets, Config};
use crate::share::url;

/// Most ticks one `step` call runs (about 11.6 simulated days at 1 s ticks).
pub const MAX_STEP: u32 = 1_000_000;

/// What `mount`'s third argument may say.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// The compact widget instead of the whole playground.
    #[serde(default)]
    compact: bool,
    /// Chart ids to show.
    charts: Option<Vec<String>>,
    /// Control keys to show.
    controls: Option<Vec<String>>,
    /// Simulated seconds per real second.
    speed: Option<u32>,
    /// Start running at once.
    #[serde(default)]
    autoplay: bool,
}

/// A playground mounted in an element of the page.
#[wasm_bindgen]
pub struct Playground {
    page: Option<Page>,
}

fn error(method: &str, message: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("Playground.{method}: {message}"))
}

/// `value` as JSON, or why it cannot be.
fn json(method: &str, what: &str, value: JsValue) -> Result<Value, JsError> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| error(method, format!("{what} is not plain JSON data ({e})")))
}

/// Checks `names` against `known`.
fn check_names(what: &str, names: &[String], known: &[impl AsRef<str>]) -> Result<(), JsError> {
    let known: Vec<&str> = known.iter().map(AsRef::as_ref).collect();
    match names.iter().find(|n| !known.contains(&n.as_str())) {
        Some(bad) => Err(error(
            "mount",
            format!("options.{what}: {bad:?} is not one of {}", known.join(", ")),
        )),
        None => Ok(()),
    }
}

#[wasm_bindgen]
impl Playground {
    /// Builds a playground inside `element` (its content is replaced). `config` is a
    /// settings object (as `kinesis-sim` reads), a preset name, or `undefined` for the
    /// defaults. `options`: `{compact, charts, controls, speed, autoplay}`.
    pub fn mount(
        element: JsValue,
        config: JsValue,
        options: JsValue,
    ) -> Result<Playground, JsError> {
        let root: Element = element
            .dyn_into()
            .map_err(|_| error("mount", "the first argument must be a DOM element"))?;
        let (config, preset) = if config.is_undefined() || config.is_null() {
            (Config::default(), None)
        } else if let Some(name) = config.as_string() {
            let preset = presets::find(&name).ok_or_else(|| {
                let names: Vec<&str> = presets::all().iter().map(|p| p.name).collect();
                error(
                    "mount",
                    format!("{name:?} is not a preset; use one of {}", names.join(", ")),
                )
            })?;
            (preset.config, Some(name))
        } else {
            // Read as a settings file is: the same checks and the same messages.
            let text = json("mount", "the config", config)?.to_string();
            let config =
                Config::from_json(&text).map_err(|e| error("mount", format!("config: {e}")))?;
            (config, None)
        };
        let options: Options = if options.is_undefined() || options.is_null() {
            Options::default()
        } else {
            // Through JSON text, so unknown fields are refused rather than ignored.
            let text = json("mount", "options", options)?.to_string();
            serde_json::from_str(&text).map_err(|e| error("mount", format!("options: {e}")))?
        };
        if let Some(charts) = &options.charts {
            check_names("charts", charts, &view::chart_ids())?;
        }
        if let Some(controls) = &options.controls {
            check_names("controls", controls, &view::control_keys())?;
        }
        if let Some(speed) = options.speed {
            url::check_speed(speed).map_err(|e| error("mount", format!("options.{e}")))?;
        }
        let mut view = if options.compact {
            View::widget(options.charts, options.controls)
        } else {
            let mut full = View::full();
            if let Some(charts) = options.charts {
                full.charts = charts;
            }
            full.controls = options.controls;
            full
        };
        view.owns_hash = false;
        view.links_full = false;
        let page =
            mount_with(&root, config.clone(), view).map_err(|e| error("mount", message(&e)))?;
        let state = url::UrlState {
            preset,
            config,
            speed: options.speed,
        };
        page.restore(Some(&state), None)
            .map_err(|e| error("mount", message(&e)))?;
        page.animate().map_err(|e| error("mount", message(&e)))?;
        page.set_playing(options.autoplay)
            .map_err(|e| error("mount", message(&e)))?;
        Ok(Playground { page: Some(page) })
    }

    fn page(&self, method: &str) -> Result<&Page, JsError> {
        self.page
            .as_ref()
            .ok_or_else(|| error(method, "this playground was destroyed"))
    }

    /// Sets a setting by dotted path (`"stream.shards"`, `"consumers.ecs.tasks"`) in the
    /// running simulation, as a slider would.
    pub fn set(&self, path: JsValue, value: JsValue) -> Result<(), JsError> {
        let page = self.page("set")?;
        let path = path
            .as_string()
            .ok_or_else(|| error("set", "the path must be a string like \"stream.shards\""))?;
        if value.is_undefined() {
            return Err(error("set", format!("{path}: a value is needed")));
        }
        let value = json("set", "the value", value)?;
        page.set_value(&path, &value).map_err(|e| error("set", e))
    }

    /// Starts time.
    pub fn play(&self) -> Result<(), JsError> {
        self.page("play")?
            .set_playing(true)
            .map_err(|e| error("play", message(&e)))
    }

    /// Stops time.
    pub fn pause(&self) -> Result<(), JsError> {
        self.page("pause")?
            .set_playing(false)
            .map_err(|e| error("pause", message(&e)))
    }

    /// Runs `n` ticks (1 when left out) at once and redraws.
    pub fn step(&self, n: JsValue) -> Result<(), JsError> {
        let page = self.page("step")?;
        let n = if n.is_undefined() {
            1.0
        } else {
            n.as_f64()
                .ok_or_else(|| error("step", "n must be a number of ticks"))?
        };
        if !(n.fract() == 0.0 && (0.0..=f64::from(MAX_STEP)).contains(&n)) {
            return Err(error(
                "step",
                format!("n must be a whole number of ticks from 0 to {MAX_STEP}, not {n}"),
            ));
        }
        page.step(n as u32).map_err(|e| error("step", message(&e)))
    }

    /// The current numbers as a plain object: totals, per-consumer ledgers, the last
    /// tick's rates (`now`), the diagnosis, the spend rate and the clock.
    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        self.page("snapshot")?
            .snapshot()
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| error("snapshot", e))
    }

    /// The current settings as a plain object (what `mount` accepts).
    pub fn config(&self) -> Result<JsValue, JsError> {
        // Through the JSON text the page already writes (a second serializer of the whole
        // settings type would add kilobytes to the module for nothing).
        js_sys::JSON::parse(&self.page("config")?.config_json())
            .map_err(|e| error("config", message(&e)))
    }

    /// Stops the playground and empties its element. Later calls throw.
    pub fn destroy(&mut self) {
        if let Some(page) = self.page.take() {
            page.root().set_inner_html("");
        }
    }
}
