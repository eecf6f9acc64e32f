//! A labelled text input with its hint and its error message beside it.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// `label` and `hint` are i18n keys. The error slot is a polite live region, and the input
/// points at it (and at the hint) with `aria-describedby`.
#[component]
pub fn TextField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] placeholder: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field">
            <label for=id>{i18n.tr(label)}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                spellcheck="false"
                placeholder=move || placeholder.map(|p| p.get())
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by
                bind:value=value
            />
            {hint.map(|key| view! { <p id=hint_id class="hint">{i18n.tr(key)}</p> })}
            <p id=error_id class="field-error" aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}
