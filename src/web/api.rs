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

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::{message, mount_with, Page};
use crate::model::Config;
use crate::playground::embed::{preset_config, step_count, EmbedOptions};
use crate::share::url;

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
            let config = preset_config(&name).map_err(|e| error("mount", e))?;
            (config, Some(name))
        } else {
            // Read as a settings file is: the same checks and the same messages.
            let text = json("mount", "the config", config)?.to_string();
            let config =
                Config::from_json(&text).map_err(|e| error("mount", format!("config: {e}")))?;
            (config, None)
        };
        let options = if options.is_undefined() || options.is_null() {
            EmbedOptions::default()
        } else {
            // Through JSON text, so unknown fields are refused rather than ignored.
            let text = json("mount", "options", options)?.to_string();
            EmbedOptions::from_json(&text).map_err(|e| error("mount", e))?
        };
        let view = options.view().map_err(|e| error("mount", e))?;
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
            None
        } else {
            Some(
                n.as_f64()
                    .ok_or_else(|| error("step", "n must be a number of ticks"))?,
            )
        };
        let n = step_count(n).map_err(|e| error("step", e))?;
        page.step(n).map_err(|e| error("step", message(&e)))
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
