//! A destructive action that asks first, in the page: the button opens a small region with the
//! question and its own "Yes, …" and "Cancel" buttons.

use leptos::html;
use leptos::prelude::*;

use crate::api::ClientError;
use crate::components::form_state::failure_of;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{Locale, use_i18n};

/// `ask`, `yes` and `pending` are i18n keys; `question` is the filled question. Confirming
/// dispatches `action`; its failure is shown in words by `explain` (a 401 goes to sign-in).
#[component]
pub fn Confirm(
    #[prop(into)] id: String,
    ask: &'static str,
    #[prop(into)] question: Signal<String>,
    yes: &'static str,
    pending_text: &'static str,
    action: Action<(), Result<(), ClientError>>,
    explain: fn(Locale, &ClientError) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let pending = action.pending();
    let failure = failure_of(action);
    let ask_button = NodeRef::<html::Button>::new();
    let yes_button = NodeRef::<html::Button>::new();
    // The question takes the focus when it opens, and gives it back when cancelled.
    Effect::new(move |was_open: Option<bool>| {
        let now = open.get();
        let target = if now {
            yes_button.get()
        } else {
            ask_button.get()
        };
        if was_open.is_some_and(|was| was != now)
            && let Some(button) = target
        {
            let _ = button.focus();
        }
        now
    });
    let question_id = format!("{id}-question");
    let labelled_by = question_id.clone();
    let controls = id.clone();
    view! {
        <div class="confirm-action">
            <button
                type="button"
                class="danger"
                node_ref=ask_button
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=controls
                on:click=move |_| open.set(true)
            >
                {i18n.tr(ask)}
            </button>
            <div id=id class="confirm" role="group" aria-labelledby=labelled_by hidden=move || !open.get()>
                <p id=question_id>{question}</p>
                <div class="actions">
                    <button
                        type="button"
                        class="danger"
                        node_ref=yes_button
                        aria-busy=move || pending.get().then_some("true")
                        disabled=pending
                        on:click=move |_| {
                            action.dispatch(());
                        }
                    >
                        {i18n.tr(yes)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| open.set(false)>
                        {i18n.tr("directory.cancel")}
                    </button>
                </div>
                <p class="status" role="status">
                    {move || pending.get().then(|| i18n.t(pending_text))}
                </p>
            </div>
            <p class="error" role="alert">
                {move || failure.get().map(|e| explain(i18n.locale.get(), &e))}
            </p>
            <Show when=move || failure.get().is_some_and(|e| e.is_unauthorized())>
                <ToSignIn />
            </Show>
        </div>
    }
}
