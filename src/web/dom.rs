//! Small helpers over `web_sys` for building and sizing page elements.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlCanvasElement, Window};

use crate::playground::menus::{Binding, Menu};
use crate::playground::{Button, Knob, Setting, Toggle};

/// The global window, or an error outside a browser.
pub fn window() -> Result<Window, JsValue> {
    web_sys::window().ok_or_else(|| JsValue::from_str("no global window"))
}

/// The current document, or an error outside a browser.
pub fn document() -> Result<Document, JsValue> {
    window()?
        .document()
        .ok_or_else(|| JsValue::from_str("the window has no document"))
}

/// Creates a `tag` element with class `class` (none when empty) as the last child of `parent`.
pub fn append(
    document: &Document,
    parent: &Element,
    tag: &str,
    class: &str,
) -> Result<Element, JsValue> {
    let element = document.create_element(tag)?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    parent.append_child(&element)?;
    Ok(element)
}

/// The laid-out CSS size of `canvas` (a layout read: call it on mount and resize only).
pub fn css_size(canvas: &HtmlCanvasElement) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    let width = if rect.width() >= 1.0 {
        rect.width()
    } else {
        640.0
    };
    let height = if rect.height() >= 1.0 {
        rect.height()
    } else {
        320.0
    };
    (width, height)
}

/// Device pixels per CSS pixel.
pub fn pixel_ratio() -> Result<f64, JsValue> {
    let ratio = window()?.device_pixel_ratio();
    Ok(if ratio.is_finite() && ratio > 0.0 {
        ratio
    } else {
        1.0
    })
}

/// Gives the canvas one backing pixel per device pixel of its CSS size `css`.
pub fn size_canvas(canvas: &HtmlCanvasElement, css: (f64, f64), ratio: f64) {
    let width = (css.0 * ratio).round() as u32;
    let height = (css.1 * ratio).round() as u32;
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
}

/// Whether the reader's system asks for a dark colour scheme.
pub fn prefers_dark() -> Result<bool, JsValue> {
    matches_media("(prefers-color-scheme: dark)")
}

/// Whether the user asks for less motion (then nothing starts moving by itself).
pub fn prefers_reduced_motion() -> Result<bool, JsValue> {
    matches_media("(prefers-reduced-motion: reduce)")
}

fn matches_media(query: &str) -> Result<bool, JsValue> {
    Ok(window()?
        .match_media(query)?
        .is_some_and(|list| list.matches()))
}

/// Milliseconds from the page's high-resolution clock (0 where there is none).
pub fn now_ms() -> f64 {
    thread_local! {
        /// Looked up once: crossing into JS for the window on every call costs.
        static PERFORMANCE: Option<web_sys::Performance> =
            web_sys::window().and_then(|w| w.performance());
    }
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
}

#[wasm_bindgen]
extern "C" {
    /// Puts the mark `name` on the page's performance timeline (ms since navigation
    /// start, read by `make bench-web`).
    #[wasm_bindgen(js_namespace = performance)]
    pub fn mark(name: &str);
}

/// The banner over the charts, appended to `parent`: its message (a polite live
/// region, always in the page so screen readers hear what arrives) and a Dismiss
/// button; quiet (visually hidden, the button too) while it has nothing to say.
pub fn banner(document: &Document, parent: &Element) -> Result<Banner, JsValue> {
    let root = append(document, parent, "div", "banner quiet")?;
    let message = append(document, &root, "p", "message")?;
    message.set_attribute("role", "status")?;
    let dismiss = append(document, &root, "button", "dismiss")?;
    dismiss.set_attribute("type", "button")?;
    dismiss.set_attribute("data-dismiss", "")?;
    dismiss.set_attribute("hidden", "")?;
    dismiss.set_text_content(Some("Dismiss"));
    Ok(Banner {
        root,
        message,
        dismiss,
    })
}

/// The banner's elements (see [`banner`]).
pub struct Banner {
    root: Element,
    message: Element,
    dismiss: Element,
}

impl Banner {
    /// Shows `text`, or goes quiet for `None`; writes to the page only what changed
    /// (it runs every frame).
    pub fn show(&self, text: Option<&str>) -> Result<(), JsValue> {
        set_text(&self.message, text.unwrap_or_default());
        let quiet = text.is_none();
        if self.root.class_list().contains("quiet") != quiet {
            self.root.class_list().toggle_with_force("quiet", quiet)?;
            self.dismiss.toggle_attribute_with_force("hidden", quiet)?;
        }
        Ok(())
    }
}

/// A `<section>` with a heading, appended to `parent`.
pub fn section(document: &Document, parent: &Element, title: &str) -> Result<Element, JsValue> {
    let section = append(document, parent, "section", "group")?;
    let heading = append(document, &section, "h2", "")?;
    heading.set_text_content(Some(title));
    Ok(section)
}

/// A `<button type=button>` carrying its action in `data-action`.
pub fn button(document: &Document, parent: &Element, spec: &Button) -> Result<Element, JsValue> {
    let button = append(document, parent, "button", spec.class)?;
    button.set_attribute("type", "button")?;
    button.set_attribute("data-action", &spec.action.to_string())?;
    button.set_text_content(Some(&spec.text));
    if let Some(label) = &spec.aria_label {
        button.set_attribute("aria-label", label)?;
    }
    Ok(button)
}

/// A `div.control` holding a `<label for=id>`; the control itself goes in next.
pub fn labelled(
    document: &Document,
    parent: &Element,
    id: &str,
    label: &str,
) -> Result<Element, JsValue> {
    let field = append(document, parent, "div", "control")?;
    let l = append(document, &field, "label", "")?;
    l.set_attribute("for", id)?;
    l.set_text_content(Some(label));
    Ok(field)
}

/// A labelled `<select>` with its options and help line, bound to a page control
/// (`data-ui`) or a settings path (`data-select`).
pub fn select(document: &Document, parent: &Element, menu: &Menu) -> Result<Element, JsValue> {
    let field = labelled(document, parent, menu.id, menu.label)?;
    let select = append(document, &field, "select", "")?;
    select.set_id(menu.id);
    match menu.binding {
        Binding::Ui(ui) => select.set_attribute("data-ui", ui.name())?,
        Binding::Setting(path) => select.set_attribute("data-select", path)?,
    }
    fill_options(document, &select, menu)?;
    help(document, &select, menu.help)?;
    Ok(select)
}

/// Replaces the options of `select` with `menu`'s, its choice selected.
pub fn fill_options(document: &Document, select: &Element, menu: &Menu) -> Result<(), JsValue> {
    select.set_text_content(None);
    for (value, text) in &menu.options {
        let option = append(document, select, "option", "")?;
        option.set_attribute("value", value)?;
        option.set_text_content(Some(text));
        if *value == menu.selected {
            option.set_attribute("selected", "")?;
        }
    }
    select
        .unchecked_ref::<web_sys::HtmlSelectElement>()
        .set_value(&menu.selected);
    Ok(())
}

/// Adds a help line under `control` (in its field) and links it for screen readers.
pub fn help(document: &Document, control: &Element, text: &str) -> Result<(), JsValue> {
    let Some(field) = control.parent_element() else {
        return Ok(());
    };
    let small = append(document, &field, "small", "help")?;
    let id = format!("{}-help", control.id());
    small.set_id(&id);
    super::terms::fill(&small, text)?;
    control.set_attribute("aria-describedby", &id)
}

/// A labelled stepped slider for `knob`, at `setting`, with its read-out and help;
/// `registry` is its index among the playground's knobs (its `data-knob`).
pub fn slider(
    document: &Document,
    parent: &Element,
    knob: &Knob,
    setting: &Setting,
    registry: usize,
) -> Result<Element, JsValue> {
    let id = knob.element_id();
    let field = labelled(document, parent, &id, knob.label)?;
    let out = append(document, &field, "output", "readout")?;
    out.set_attribute("for", &id)?;
    out.set_text_content(Some(&setting.shown));
    let input = append(document, &field, "input", "")?;
    input.set_id(&id);
    input.set_attribute("type", "range")?;
    input.set_attribute("min", "0")?;
    input.set_attribute("max", &knob.values.len().saturating_sub(1).to_string())?;
    input.set_attribute("step", "1")?;
    input.set_attribute("value", &setting.index.to_string())?;
    input.set_attribute("data-knob", &registry.to_string())?;
    input.set_attribute("aria-valuetext", &setting.shown)?;
    help(document, &input, knob.help)?;
    Ok(input)
}

/// The prefix for the element ids of a new playground: `kp` for the first in the
/// document, `kp2`, `kp3`… for the next, so labels never point into another one.
pub fn id_prefix(document: &Document) -> Result<String, JsValue> {
    let mut n = 1;
    loop {
        let prefix = if n == 1 {
            "kp".to_string()
        } else {
            format!("kp{n}")
        };
        if document
            .query_selector(&format!("[id^='{prefix}-']"))?
            .is_none()
        {
            return Ok(prefix);
        }
        n += 1;
    }
}

/// Renames the `kp-…` ids under `root` (and the `for` and `aria-describedby`
/// references to them) to `{prefix}-…`.
pub fn scope_ids(root: &Element, prefix: &str) -> Result<(), JsValue> {
    if prefix == "kp" {
        return Ok(());
    }
    let found = root.query_selector_all("[id^='kp-'], [for^='kp-'], [aria-describedby^='kp-']")?;
    for i in 0..found.length() {
        let Some(element) = found.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        for name in ["id", "for", "aria-describedby"] {
            if let Some(rest) = element
                .get_attribute(name)
                .and_then(|v| v.strip_prefix("kp-").map(str::to_string))
            {
                element.set_attribute(name, &format!("{prefix}-{rest}"))?;
            }
        }
    }
    Ok(())
}

/// Sets `element`'s text to `text` unless it already reads so (no DOM write, no
/// style recalculation, for text refreshed every frame).
pub fn set_text(element: &Element, text: &str) {
    if element.text_content().as_deref() != Some(text) {
        element.set_text_content(Some(text));
    }
}

/// Shows `shown` as a slider's value: its `aria-valuetext` and the `<output>` beside it.
pub fn show_value(input: &Element, shown: &str) -> Result<(), JsValue> {
    input.set_attribute("aria-valuetext", shown)?;
    if let Some(out) = input
        .parent_element()
        .and_then(|p| p.query_selector("output").ok().flatten())
    {
        out.set_text_content(Some(shown));
    }
    Ok(())
}

/// A labelled checkbox writing the toggle's JSON `on` or `off` to its settings path.
pub fn toggle(
    document: &Document,
    parent: &Element,
    toggle: &Toggle,
    checked: bool,
) -> Result<Element, JsValue> {
    let field = append(document, parent, "label", "toggle")?;
    let input = append(document, &field, "input", "")?;
    input.set_attribute("type", "checkbox")?;
    input.set_attribute("data-toggle", &toggle.path)?;
    input.set_attribute("data-on", toggle.on)?;
    input.set_attribute("data-off", toggle.off)?;
    if checked {
        input.set_attribute("checked", "")?;
    }
    let text = append(document, &field, "span", "")?;
    text.set_text_content(Some(&toggle.label));
    Ok(input)
}
