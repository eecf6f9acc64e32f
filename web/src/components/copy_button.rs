//! A "Copy" button that puts a text on the clipboard and says whether it worked.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use web_sys::js_sys::{Promise, Reflect};

use crate::i18n::use_i18n;

/// What became of the last copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    Yes,
    No,
}

/// Shows "Copy"; `label` is its accessible name (what is copied, e.g. "Copy the verification
/// value"). Beside it, a status says "Copied", or an alert says that copying failed.
#[component]
pub fn CopyButton(text: String, #[prop(into)] label: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<Copied>);
    let on_click = move |_| {
        copied.set(None);
        match write_text(&text) {
            Some(promise) => {
                // One function for both outcomes, so that it is called (and freed) exactly once:
                // writeText fulfils with `undefined` and rejects with an exception.
                let settle = Closure::once(move |outcome: JsValue| {
                    copied.set(Some(if outcome.is_undefined() {
                        Copied::Yes
                    } else {
                        Copied::No
                    }));
                });
                let _ = promise.then2(&settle, &settle);
                drop(settle.into_js_value());
            }
            None => copied.set(Some(Copied::No)),
        }
    };
    view! {
        <span class="copy">
            <button type="button" class="secondary small" aria-label=label on:click=on_click>
                {i18n.tr("domains.copy")}
            </button>
            <span class="status" role="status">
                {move || (copied.get() == Some(Copied::Yes)).then(|| i18n.t("domains.copied"))}
            </span>
            <span class="error" role="alert">
                {move || (copied.get() == Some(Copied::No)).then(|| i18n.t("domains.copy_failed"))}
            </span>
        </span>
    }
}

/// `navigator.clipboard.writeText(text)`, or `None` where the browser offers no clipboard (pages
/// not served over HTTPS or from localhost).
fn write_text(text: &str) -> Option<Promise> {
    let navigator = web_sys::window()?.navigator();
    let clipboard = Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok()?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return None;
    }
    Some(
        clipboard
            .unchecked_into::<web_sys::Clipboard>()
            .write_text(text),
    )
}
