//! The guided lesson in the page: the note on the checkpoint reached (with Continue),
//! the chart it points at highlighted and scrolled into view, what the fix changed
//! (with Replay the failure), the pause checkbox, and the live region that announces
//! these changes of state.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlInputElement};

use super::dom;
use super::inner::Inner;
use crate::playground::lesson::{
    after_fix, checkpoint_announcement, checkpoint_note, offers_pause, PAUSE_LABEL,
};
use crate::playground::{Action, App, ChartId, UiControl};

/// The class a highlighted chart's `figure` carries.
const FOCUS_CLASS: &str = "lesson-focus";

/// Announcements the live region keeps (older ones are removed).
const KEPT_ANNOUNCEMENTS: u32 = 3;

impl Inner {
    /// The lesson box's guided part, after the question: the checkpoint note or what
    /// the fix changed. Also highlights the chart the note points at (or none).
    pub(super) fn show_guide(
        &self,
        document: &Document,
        box_: &Element,
        app: &App,
    ) -> Result<(), JsValue> {
        let note = checkpoint_note(app);
        if let Some(note) = &note {
            let block = dom::append(document, box_, "div", "checkpoint")?;
            let heading = dom::append(document, &block, "p", "checkpoint-heading")?;
            heading.set_text_content(Some(&note.heading));
            let text = dom::append(document, &block, "p", "notice")?;
            text.set_text_content(Some(note.text));
            let look = dom::append(document, &block, "p", "look-at")?;
            look.set_text_content(Some(&note.look_at));
            if let Some(button) = &note.continue_button {
                dom::button(document, &block, button)?;
            }
        }
        if let Some(fixed) = after_fix(app) {
            let block = dom::append(document, box_, "div", "after-fix")?;
            let changed = dom::append(document, &block, "p", "changed")?;
            changed.set_text_content(Some(fixed.changed));
            let watch = dom::append(document, &block, "p", "watch-next")?;
            watch.set_text_content(Some(&fixed.watch));
            dom::button(document, &block, &fixed.replay)?;
        }
        self.highlight(note.and_then(|n| n.chart))
    }

    /// The pause checkbox, at the end of the lesson box, when the scenario has
    /// checkpoints.
    pub(super) fn show_pause_toggle(
        &self,
        document: &Document,
        box_: &Element,
        app: &App,
    ) -> Result<(), JsValue> {
        if !offers_pause(app) {
            return Ok(());
        }
        let label = dom::append(document, box_, "label", "toggle pause-checkpoints")?;
        let input = dom::append(document, &label, "input", "")?;
        input.set_attribute("type", "checkbox")?;
        input.set_attribute("data-ui", UiControl::PauseAtCheckpoints.name())?;
        input
            .unchecked_ref::<HtmlInputElement>()
            .set_checked(app.guide.pause);
        let text = dom::append(document, &label, "span", "")?;
        text.set_text_content(Some(PAUSE_LABEL));
        Ok(())
    }

    /// Marks the figure of `chart` (and no other) as the one to look at.
    fn highlight(&self, chart: Option<ChartId>) -> Result<(), JsValue> {
        for (id, canvas) in &self.ui.canvases {
            if let Some(figure) = canvas.closest("figure")? {
                figure
                    .class_list()
                    .toggle_with_force(FOCUS_CLASS, Some(*id) == chart)?;
            }
        }
        Ok(())
    }

    /// After ticks: when the run reached a checkpoint, the lesson box says what to
    /// notice, the chart is highlighted and brought into view, and the live region
    /// says so.
    pub(super) fn follow_lesson(&self) -> Result<(), JsValue> {
        let Some((reached, paused)) = ({
            let mut app = self.app.borrow_mut();
            let reached = app.guide.take_fresh();
            reached.map(|r| (r, app.guide.waiting))
        }) else {
            return Ok(());
        };
        if paused {
            self.last_frame.set(None);
            // A fresh round: the charts end at the checkpoint's moment, as the text does.
            self.owed_draws.set(self.ui.canvases.len());
        }
        self.show_lesson()?;
        let strip = match reached.chart() {
            Some(id) => self.scroll_strip_to(id)?,
            None => None,
        };
        match strip {
            // A phone: the chart is in the strip at the top; the lesson's words must not
            // sit under it.
            Some(strip) => {
                if let Some(ui) = self.ui.controls.get() {
                    let note = ui.lesson.query_selector(".checkpoint")?;
                    show_below(note.as_ref().unwrap_or(&ui.lesson), &strip)?;
                }
            }
            None => {
                if let Some((_, canvas)) = self
                    .ui
                    .canvases
                    .iter()
                    .find(|(id, _)| Some(*id) == reached.chart())
                {
                    if let Some(figure) = canvas.closest("figure")? {
                        scroll_into_view_if_needed(&figure)?;
                    }
                }
            }
        }
        self.announce(&checkpoint_announcement(&reached, paused))
    }

    /// What the page does after a lesson button (Continue, Fix, Replay) or Play while
    /// the run waits at a checkpoint: the lesson box follows, and the live region says
    /// what changed.
    pub(super) fn after_lesson_action(&self, action: &Action) -> Result<(), JsValue> {
        let said = {
            let app = self.app.borrow();
            match action {
                Action::Fix => after_fix(&app).map(|f| format!("Fix applied. {}", f.changed)),
                Action::Replay => {
                    Some("Replaying the failure from the start, without the fix.".to_string())
                }
                _ => None,
            }
        };
        if matches!(action, Action::Replay) {
            self.announcer.borrow_mut().reset();
        }
        self.show_lesson()?;
        match said {
            Some(text) => self.announce(&text),
            None => Ok(()),
        }
    }

    /// Says `text` in the live region: a new paragraph, so a screen reader reads it
    /// once; the oldest go when more than a few are kept.
    pub(super) fn announce(&self, text: &str) -> Result<(), JsValue> {
        let region = &self.ui.announce;
        let document = dom::document()?;
        let line = dom::append(&document, region, "p", "")?;
        line.set_text_content(Some(text));
        while region.child_element_count() > KEPT_ANNOUNCEMENTS {
            if let Some(first) = region.first_element_child() {
                first.remove();
            }
        }
        Ok(())
    }
}

/// Scrolls the window so that the top of `element` shows just below `strip` (a sticky
/// chart strip) when it is under the strip or below the window.
fn show_below(element: &Element, strip: &Element) -> Result<(), JsValue> {
    let window = dom::window()?;
    let height = window.inner_height()?.as_f64().unwrap_or(f64::INFINITY);
    let top = strip.get_bounding_client_rect().bottom();
    let rect = element.get_bounding_client_rect();
    if rect.top() < top || rect.top() > height - 80.0 {
        window.scroll_by_with_x_and_y(0.0, rect.top() - top - 8.0);
    }
    Ok(())
}

/// Scrolls `element` into the window when any part of it is outside (a layout read,
/// only when a checkpoint is reached).
fn scroll_into_view_if_needed(element: &Element) -> Result<(), JsValue> {
    let rect = element.get_bounding_client_rect();
    let height = dom::window()?
        .inner_height()?
        .as_f64()
        .unwrap_or(f64::INFINITY);
    if rect.top() < 0.0 {
        element.scroll_into_view_with_bool(true);
    } else if rect.bottom() > height {
        element.scroll_into_view_with_bool(rect.height() > height);
    }
    Ok(())
}
