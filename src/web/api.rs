//! The JavaScript interface: one handle per mounted playground.
//!
//! ```js
//! const p = Playground.mount(document.querySelector("#lab"), "scenario-1", { compact: true });
//! p.set("stream.shards", 4);
//! p.step(3600);
//! await p.run(30 * 86400);
//! console.log(p.snapshot().consumers[0].expired);
//! p.destroy();
//! ```
//!
//! Every argument is checked: a bad one throws a JavaScript `Error` whose message names
//! the method and what was wrong. An element holds one playground: mounting another
//! into it destroys the first.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use serde_json::Value;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::{dom, message, mount_with, Page};
use crate::model::Config;
use crate::playground::embed::{preset_config, run_count, step_count, EmbedOptions, SLICE_MS};
use crate::share::url;

/// Where a mounted page lives; empty once destroyed.
type Slot = Rc<RefCell<Option<Page>>>;
/// An element and the slot of the playground mounted in it.
type Mount = (Element, Weak<RefCell<Option<Page>>>);

thread_local! {
    /// Every element a playground was mounted into through the interface, with its page.
    static MOUNTED: RefCell<Vec<Mount>> =
        const { RefCell::new(Vec::new()) };
}

/// Destroys whatever playground `root` holds (mounted through the interface or by the
/// page's own start), and forgets destroyed ones.
fn release(root: &Element) {
    super::release_started(root);
    MOUNTED.with(|mounted| {
        mounted.borrow_mut().retain(|(element, slot)| {
            let Some(slot) = slot.upgrade() else {
                return false;
            };
            let Ok(mut page) = slot.try_borrow_mut() else {
                return true;
            };
            if JsValue::from(element) == JsValue::from(root) {
                page.take();
            }
            page.is_some()
        });
    });
}

/// A playground mounted in an element of the page.
#[wasm_bindgen]
pub struct Playground {
    slot: Slot,
}

fn error(method: &str, message: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("Playground.{method}: {message}"))
}

/// `value` as JSON, or why it cannot be: read through `JSON.stringify`, so what JSON
/// has no place for (functions, `undefined` fields) is left out as it leaves it out.
fn json(method: &str, what: &str, value: JsValue) -> Result<Value, JsError> {
    let not_json = |why: String| error(method, format!("{what} is not plain JSON data{why}"));
    let text = js_sys::JSON::stringify(&value)
        .map_err(|e| not_json(format!(" ({})", message(&e))))?
        .as_string()
        .ok_or_else(|| not_json(String::new()))?;
    serde_json::from_str(&text).map_err(|e| not_json(format!(" ({e})")))
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
        release(&root);
        let page =
            mount_with(&root, config.clone(), view).map_err(|e| error("mount", message(&e)))?;
        let state = url::UrlState {
            preset,
            config,
            speed: options.speed,
            window: options.window,
        };
        let started = page
            .restore(Some(&state), None)
            .and_then(|()| page.animate())
            .and_then(|()| page.set_playing(options.autoplay));
        started.map_err(|e| error("mount", message(&e)))?;
        let slot = Rc::new(RefCell::new(Some(page)));
        MOUNTED.with(|m| m.borrow_mut().push((root, Rc::downgrade(&slot))));
        Ok(Playground { slot })
    }

    /// Calls `f` with the page, or says it was destroyed.
    fn with<T>(
        &self,
        method: &str,
        f: impl FnOnce(&Page) -> Result<T, JsError>,
    ) -> Result<T, JsError> {
        let slot = self
            .slot
            .try_borrow()
            .map_err(|_| error(method, "the playground is busy"))?;
        let page = slot
            .as_ref()
            .ok_or_else(|| error(method, "this playground was destroyed"))?;
        f(page)
    }

    /// Sets a setting by dotted path (`"stream.shards"`, `"consumers.ecs.tasks"`) in the
    /// running simulation, as a slider would.
    pub fn set(&self, path: JsValue, value: JsValue) -> Result<(), JsError> {
        self.with("set", |page| {
            let path = path
                .as_string()
                .ok_or_else(|| error("set", "the path must be a string like \"stream.shards\""))?;
            if value.is_undefined() {
                return Err(error("set", format!("{path}: a value is needed")));
            }
            let value = json("set", "the value", value)?;
            page.set_value(&path, &value).map_err(|e| error("set", e))
        })
    }

    /// Starts time.
    pub fn play(&self) -> Result<(), JsError> {
        self.with("play", |page| {
            page.set_playing(true)
                .map_err(|e| error("play", message(&e)))
        })
    }

    /// Stops time.
    pub fn pause(&self) -> Result<(), JsError> {
        self.with("pause", |page| {
            page.set_playing(false)
                .map_err(|e| error("pause", message(&e)))
        })
    }

    /// Runs `n` ticks (1 when left out) at once and redraws. At most
    /// [`STEP_WORK`](crate::playground::embed::STEP_WORK) shard-ticks run in one call,
    /// so the page never stops answering for long; more is an error that names `run`.
    pub fn step(&self, n: JsValue) -> Result<(), JsError> {
        self.with("step", |page| {
            let n = if n.is_undefined() {
                None
            } else {
                Some(
                    n.as_f64()
                        .ok_or_else(|| error("step", "n must be a number of ticks"))?,
                )
            };
            let n = step_count(n, page.open_shards()).map_err(|e| error("step", e))?;
            page.step(n).map_err(|e| error("step", message(&e)))
        })
    }

    /// Runs `n` ticks in slices of about 10 ms, one slice an animation frame, so the page
    /// keeps answering; the charts follow as it goes. Returns a Promise that resolves
    /// once all have run, or rejects when the playground is destroyed first.
    pub fn run(&self, n: JsValue) -> Result<js_sys::Promise, JsError> {
        let n = n
            .as_f64()
            .ok_or_else(|| error("run", "n must be a number of ticks"))?;
        let n = run_count(n).map_err(|e| error("run", e))?;
        self.with("run", |_| Ok(()))?;
        let slot = Rc::clone(&self.slot);
        Ok(js_sys::Promise::new(&mut |resolve, reject| {
            slice(Rc::clone(&slot), n, resolve, reject);
        }))
    }

    /// The current numbers as a plain object: totals, per-consumer ledgers, the last
    /// tick's rates (`now`), the diagnosis, the spend rate and the clock.
    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        self.with("snapshot", |page| {
            js_sys::JSON::parse(&page.snapshot().to_string())
                .map_err(|e| error("snapshot", message(&e)))
        })
    }

    /// The current settings as a plain object (what `mount` accepts).
    pub fn config(&self) -> Result<JsValue, JsError> {
        // Through the JSON text the page already writes (a second serializer of the whole
        // settings type would add kilobytes to the module for nothing).
        self.with("config", |page| {
            js_sys::JSON::parse(&page.config_json()).map_err(|e| error("config", message(&e)))
        })
    }

    /// Stops the playground (its frame loop, listeners and any `run` under way) and
    /// empties its element. Later calls throw; a second `destroy` does nothing.
    pub fn destroy(&mut self) {
        let Ok(mut slot) = self.slot.try_borrow_mut() else {
            return;
        };
        if let Some(page) = slot.take() {
            let root = page.root().clone();
            drop(page);
            root.set_inner_html("");
            let _ = root.class_list().remove_1("compact");
        }
    }
}

/// One slice of a `run`: up to [`SLICE_MS`] of ticks in the next animation frame, then
/// the next slice, until `left` ticks have run (`resolve`) or the page is gone (`reject`).
fn slice(slot: Slot, left: u64, resolve: js_sys::Function, reject: js_sys::Function) {
    let refuse = reject.clone();
    let frame = Closure::once_into_js(move |_: f64| {
        let step = slot.try_borrow().ok().and_then(|page| {
            let page = page.as_ref()?;
            let ran = page.run_for(left, SLICE_MS);
            Some(ran.and_then(|ran| {
                if ran >= left {
                    page.step(0).map(|()| 0)
                } else {
                    Ok(left - ran)
                }
            }))
        });
        match step {
            Some(Ok(0)) => {
                let _ = resolve.call0(&JsValue::NULL);
            }
            Some(Ok(left)) => slice(slot, left, resolve, reject),
            Some(Err(e)) => {
                let _ = reject.call1(&JsValue::NULL, &error("run", message(&e)).into());
            }
            None => {
                let destroyed = error("run", "this playground was destroyed before the run ended");
                let _ = reject.call1(&JsValue::NULL, &destroyed.into());
            }
        }
    });
    if let Err(e) = dom::window().and_then(|w| w.request_animation_frame(frame.unchecked_ref())) {
        let _ = refuse.call1(&JsValue::NULL, &e);
    }
}
