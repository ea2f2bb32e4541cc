//! Terms in the page's words: each is a button that opens its definition in the
//! playground's one popover (a toggletip: a `role=status` box, so the definition is
//! read out as it appears), and the glossary section lists them all.
//!
//! The popover's state lives in the page: the term shown is the root's `data-term-open`
//! and its button's `aria-expanded`; the term last focused is the root's `data-term-focus`.
//! So text rebuilt while a term is open or focused (the diagnosis, every two seconds)
//! hands both to the same term in the new text.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, HtmlElement};

use super::dom;
use super::page::{Handler, Listener};
use crate::teach::glossary::{list_html, marked, TERMS};

/// The root's attribute naming its popover's id (term buttons' `aria-controls`).
const POP: &str = "data-term-pop";
/// The root's attribute holding the index of the term shown ("" when none).
const OPEN: &str = "data-term-open";
/// The root's attribute holding the index of the term last focused ("" when none).
const FOCUS: &str = "data-term-focus";
/// The button of the term shown.
const SHOWN: &str = "button.term[aria-expanded=true]";
/// The space kept between the popover, its term and the viewport's edges, CSS px.
const GAP: f64 = 6.0;

/// Creates the popover of the playground in `root` (ids prefixed `ids`); call it
/// before any text is filled, so terms know which popover they control.
pub fn prepare(document: &Document, root: &Element, ids: &str) -> Result<(), JsValue> {
    let id = format!("{ids}-term-pop");
    root.set_attribute(POP, &id)?;
    let pop = dom::append(document, root, "div", "term-pop")?;
    pop.set_id(&id);
    pop.set_attribute("role", "status")
}

/// Writes `text` into `element` (replacing what it held), the first occurrence of each
/// term a button that opens its definition.
pub fn fill(element: &Element, text: &str) -> Result<(), JsValue> {
    let root = element.closest("[data-term-pop]")?;
    let pop = root.as_ref().and_then(|r| r.get_attribute(POP));
    element.set_inner_html(&marked(text, pop.as_deref().unwrap_or_default()));
    match root {
        Some(root) => follow(&root, element),
        None => Ok(()),
    }
}

/// After `element`'s text was rebuilt: when it held the term shown (or focused), its
/// button of the same term takes the old one's place.
fn follow(root: &Element, element: &Element) -> Result<(), JsValue> {
    let same = |attr: &str| -> Result<Option<Element>, JsValue> {
        match root.get_attribute(attr).filter(|i| !i.is_empty()) {
            Some(i) => element.query_selector(&format!("[data-term='{i}']")),
            None => Ok(None),
        }
    };
    if let (Some(button), None) = (same(OPEN)?, root.query_selector(SHOWN)?) {
        button.set_attribute("aria-expanded", "true")?;
        if let Some(pop) = popover(root)? {
            place(root, &pop, &button)?;
        }
    }
    if let Some(button) = same(FOCUS)? {
        if dom::document()?.query_selector(":focus")?.is_none() {
            button.unchecked_ref::<HtmlElement>().focus()?;
        }
    }
    Ok(())
}

/// The popover of the playground in `root`.
fn popover(root: &Element) -> Result<Option<Element>, JsValue> {
    root.query_selector(":scope > .term-pop")
}

/// Shows term `button`'s definition beside it, or hides it when it is the one shown.
fn toggle(root: &Element, button: &Element) -> Result<(), JsValue> {
    let shown = button.get_attribute("aria-expanded").as_deref() == Some("true");
    close(root, false)?;
    let index = button.get_attribute("data-term").unwrap_or_default();
    let term = index.parse::<usize>().ok().and_then(|i| TERMS.get(i));
    let (Some(term), Some(pop), false) = (term, popover(root)?, shown) else {
        return Ok(());
    };
    pop.set_inner_html(&format!(
        "<p class=\"term-bubble\"><b>{}</b> {}</p>",
        term.name, term.definition
    ));
    root.set_attribute(OPEN, &index)?;
    button.set_attribute("aria-expanded", "true")?;
    place(root, &pop, button)
}

/// Hides the definition shown, if any; `refocus` puts focus back on its term.
fn close(root: &Element, refocus: bool) -> Result<(), JsValue> {
    root.set_attribute(OPEN, "")?;
    if let Some(pop) = popover(root)? {
        pop.set_text_content(None);
    }
    if let Some(button) = root.query_selector(SHOWN)? {
        button.set_attribute("aria-expanded", "false")?;
        if refocus {
            button.unchecked_ref::<HtmlElement>().focus()?;
        }
    }
    Ok(())
}

/// Puts the popover under its term (above it when there is no room below), inside the
/// viewport. Layout reads: only when a definition opens or its text is rebuilt.
fn place(root: &Element, pop: &Element, button: &Element) -> Result<(), JsValue> {
    let (width, height) = dom::document()?
        .document_element()
        .map_or((0, 0), |html| (html.client_width(), html.client_height()));
    pop.set_attribute("style", "")?;
    let (term, origin, size) = (
        button.get_bounding_client_rect(),
        root.get_bounding_client_rect(),
        pop.get_bounding_client_rect(),
    );
    let x = term
        .left()
        .min(f64::from(width) - size.width() - GAP)
        .max(GAP);
    let above = term.top() - GAP - size.height();
    let below = term.bottom() + GAP;
    let y = if below + size.height() > f64::from(height) - GAP && above >= GAP {
        above
    } else {
        below
    };
    let (left, top) = ((x - origin.left()) as i32, (y - origin.top()) as i32);
    pop.set_attribute("style", &format!("left:{left}px;top:{top}px"))
}

/// The glossary section: every term and its definition, folded, in a `<dl>`.
pub fn glossary(document: &Document, parent: &Element) -> Result<(), JsValue> {
    let section = dom::section(document, parent, "Glossary")?;
    let details = dom::append(document, &section, "details", "glossary")?;
    let summary = dom::append(document, &details, "summary", "")?;
    summary.set_text_content(Some("Every AWS term the page uses"));
    dom::append(document, &details, "dl", "")?.set_inner_html(&list_html());
    Ok(())
}

/// The listeners that open and close definitions: a click on a term in `root`; a
/// press outside it, Escape, or focus moving elsewhere in the document.
pub fn listen(root: &Element) -> Result<Vec<Listener>, JsValue> {
    let html = dom::document()?
        .document_element()
        .ok_or_else(|| JsValue::from_str("the document has no root element"))?;
    let targets = [
        (root.clone(), "click"),
        (html.clone(), "pointerdown"),
        (html.clone(), "keydown"),
        (html, "focusin"),
    ];
    let mut listeners = Vec::new();
    for (target, kind) in targets {
        let mine = root.clone();
        let handler: Handler = Closure::new(move |e: Event| {
            if let Err(err) = on_event(&mine, kind, &e) {
                web_sys::console::error_1(&err);
            }
        });
        target.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref())?;
        listeners.push((target.into(), kind, handler));
    }
    Ok(listeners)
}

/// Handles event `e` of `kind` for the playground in `root`.
fn on_event(root: &Element, kind: &str, e: &Event) -> Result<(), JsValue> {
    let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return Ok(());
    };
    let pop = root.get_attribute(POP);
    // A term of this playground, or this playground's popover.
    let term = target
        .closest("button.term")?
        .filter(|b| b.get_attribute("aria-controls") == pop);
    let inside = target
        .closest(".term-pop")?
        .is_some_and(|p| Some(p.id()) == pop);
    let open = root.get_attribute(OPEN).is_some_and(|i| !i.is_empty());
    match kind {
        "click" => {
            if let Some(button) = term {
                toggle(root, &button)?;
            }
        }
        "pointerdown" if term.is_none() && !inside => {
            root.set_attribute(FOCUS, "")?;
            if open {
                close(root, false)?;
            }
        }
        "keydown" if open => {
            let key = js_sys::Reflect::get(e, &JsValue::from_str("key"))?;
            if key.as_string().as_deref() == Some("Escape") {
                close(root, true)?;
            }
        }
        "focusin" => {
            let index = term.as_ref().and_then(|b| b.get_attribute("data-term"));
            root.set_attribute(FOCUS, index.as_deref().unwrap_or_default())?;
            let anchor =
                term.is_some_and(|b| b.get_attribute("aria-expanded").as_deref() == Some("true"));
            if open && !anchor && !inside {
                close(root, false)?;
            }
        }
        _ => {}
    }
    Ok(())
}
