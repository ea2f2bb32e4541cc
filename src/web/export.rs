//! Files out (CSV, PNG, JSON downloads), files in (a config JSON), and the clipboard.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, HtmlInputElement, Url};

use super::dom;

/// Offers `text` as a download called `name` of type `mime`.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let clicked = click_link(name, &url);
    Url::revoke_object_url(&url)?;
    clicked
}

/// Offers the picture on `canvas` as a PNG download called `name`.
pub fn download_png(name: &str, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
    click_link(name, &canvas.to_data_url_with_type("image/png")?)
}

/// A detached `<a download>` clicked once: the browser saves `href` as `name`.
fn click_link(name: &str, href: &str) -> Result<(), JsValue> {
    let a: HtmlAnchorElement = dom::document()?.create_element("a")?.dyn_into()?;
    a.set_href(href);
    a.set_download(name);
    a.click();
    Ok(())
}

/// The text of the file chosen in `input`, if one was.
pub async fn chosen_file_text(
    input: &HtmlInputElement,
) -> Result<Option<(String, String)>, JsValue> {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return Ok(None);
    };
    let text = JsFuture::from(file.text()).await?;
    Ok(Some((file.name(), text.as_string().unwrap_or_default())))
}

/// Puts `text` on the clipboard; an error when the browser refuses.
pub async fn copy(text: &str) -> Result<(), JsValue> {
    let clipboard = dom::window()?.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.map(|_| ())
}
