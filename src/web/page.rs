//! [`Page`]: the handle of a mounted playground, what tests, `start` and the JS
//! interface hold. Dropping it stops the animation and removes its listeners.

use std::cell::Cell;
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event};

use super::inner::{FrameCallback, Inner};
use super::{dom, message};
use crate::playground::ReplayClock;
use crate::share::url;

/// An event handler.
pub(super) type Handler = Closure<dyn FnMut(Event)>;
/// An event listener and what it is attached to, kept to remove it again.
pub(super) type Listener = (web_sys::EventTarget, &'static str, Handler);

/// The mounted playground. Dropping it stops the animation and removes its listeners.
pub struct Page {
    pub(super) inner: Rc<Inner>,
    pub(super) listeners: Vec<Listener>,
    pub(super) on_resize: Handler,
    /// The widget's height reporter, kept to disconnect it.
    pub(super) resize_observer: Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>,
    /// The animation frame requested last, cancelled when the page is dropped (a frame
    /// already asked for would otherwise call a freed callback).
    pub(super) frame_id: Rc<Cell<Option<i32>>>,
}

impl Drop for Page {
    fn drop(&mut self) {
        self.inner.stopped.set(true);
        if let (Some(id), Ok(window)) = (self.frame_id.take(), dom::window()) {
            let _ = window.cancel_animation_frame(id);
        }
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

    /// Whether this is the compact widget.
    pub fn is_compact(&self) -> bool {
        self.inner.view.compact
    }

    /// The running simulation's current settings, as JSON.
    pub fn config_json(&self) -> String {
        self.inner.app.borrow().sim.config().to_json()
    }

    /// The metric history as the Series CSV button saves it.
    pub fn series_csv(&self) -> String {
        self.inner.app.borrow().series_csv()
    }

    /// Open shards now.
    pub fn open_shards(&self) -> u32 {
        self.inner.app.borrow().sim.open_shards()
    }

    /// Simulated time, ms.
    pub fn now_ms(&self) -> u64 {
        self.inner.app.borrow().sim.now_ms()
    }

    /// Runs `ticks` model ticks and redraws everything.
    pub fn step(&self, ticks: u32) -> Result<(), JsValue> {
        {
            let mut app = self.inner.app.borrow_mut();
            let mut ran = 0;
            while ran < u64::from(ticks) {
                ran += app.tick(u64::from(ticks) - ran);
            }
        }
        self.inner.follow_run()?;
        self.inner.redraw_all()
    }

    /// Runs up to `ticks` model ticks for at most about `budget_ms` of wall time (at
    /// least one tick when any is asked for) and returns how many ran. The charts are
    /// owed a redraw, which the frame loop pays one chart a frame.
    pub fn run_for(&self, ticks: u64, budget_ms: f64) -> Result<u64, JsValue> {
        let started = dom::now_ms();
        let mut clock = ReplayClock::new(|| dom::now_ms() - started, budget_ms);
        let (mut ran, mut look_at) = (0, 32);
        {
            let mut app = self.inner.app.borrow_mut();
            while ran < ticks {
                ran += app.timed_tick(ticks - ran, &mut clock);
                // A replay under way is finished first (see `App::advance`).
                if ran >= look_at && !app.sim.replaying() {
                    look_at = ran + 32;
                    if clock.elapsed_ms() > budget_ms {
                        break;
                    }
                }
            }
        }
        self.inner.follow_run()?;
        self.inner.owed_draws.set(self.inner.ui.canvases.len());
        self.inner.update_text(true)?;
        Ok(ran)
    }

    /// Loads the settings, preset, speed and window of `state` (a link), from time 0
    /// and paused, as opening the link would; controls, lesson and charts follow.
    pub fn load(&self, state: &url::UrlState) -> Result<(), JsValue> {
        {
            let mut app = self.inner.app.borrow_mut();
            app.playing = false;
            app.restart(state.config.clone())
                .map_err(|e| JsValue::from_str(&e))?;
        }
        self.restore(Some(state), None)?;
        self.inner.settings_changed()
    }

    /// The link hash (without `#`) of the run as it is now.
    pub fn link_hash(&self) -> String {
        self.inner.app.borrow().link_hash()
    }

    /// One animation frame at time `now_ms` (what the browser's clock would pass).
    pub fn frame(&self, now_ms: f64) -> Result<(), JsValue> {
        self.inner.frame(now_ms)
    }

    /// Takes the preset, speed and chart window a link named, and shows `notice` (a
    /// rejected link).
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
                if let Some(window) = s.window {
                    app.window_s = window;
                }
            }
            app.notice = notice;
        }
        self.inner.show_run()?;
        self.inner.update_text(true)
    }

    /// Sets how long a frame may take (model ticks plus drawing), in ms. Tests lift it so
    /// the ticks a frame runs depend on the speed alone, not on the machine.
    pub fn set_frame_budget_ms(&self, ms: f64) {
        self.inner.frame_budget_ms.set(ms);
    }

    /// Starts or stops time.
    pub fn set_playing(&self, playing: bool) -> Result<(), JsValue> {
        self.inner.set_playing(playing);
        self.inner.update_text(true)
    }

    /// Shows `text` in the status line until the next edit.
    pub fn say(&self, text: &str) -> Result<(), JsValue> {
        self.inner.app.borrow_mut().notice = Some(text.to_string());
        self.inner.update_text(true)
    }

    /// Sets config path `path` to `value` in the running simulation and moves the
    /// controls to match; the error says why a value was refused.
    pub fn set_value(&self, path: &str, value: &Value) -> Result<(), String> {
        self.inner.app.borrow_mut().set(path, value)?;
        self.inner.settings_changed().map_err(|e| message(&e))
    }

    /// The run's numbers now, as plain JSON (see `App::snapshot`).
    pub fn snapshot(&self) -> Value {
        self.inner.app.borrow().snapshot()
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
        let frame_id = Rc::clone(&self.frame_id);
        let tick: FrameCallback = Closure::new(move |now: f64| {
            frame_id.set(None);
            if inner.stopped.get() {
                return;
            }
            if let Err(e) = inner.frame(now) {
                web_sys::console::error_1(&e);
            }
            if let Some(cb) = inner.raf.borrow().as_ref() {
                let id = dom::window()
                    .and_then(|w| w.request_animation_frame(cb.as_ref().unchecked_ref()));
                frame_id.set(id.ok());
            }
        });
        let id = dom::window()?.request_animation_frame(tick.as_ref().unchecked_ref())?;
        self.frame_id.set(Some(id));
        *self.inner.raf.borrow_mut() = Some(tick);
        Ok(())
    }
}
