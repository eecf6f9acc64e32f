//! A person's photo: shown (fetched with the bearer token, so through an object URL), chosen
//! with a preview, uploaded with the file's own content type, removed. Serves both `/me` and
//! an admin's view of an account.

use leptos::html::Input;
use leptos::prelude::*;
use web_sys::{Blob, File, Url, js_sys};

use crate::api::{self, ClientError, Profile};
use crate::components::form_state::failure_of;
use crate::components::outcome::{Outcome, busy, key_text};
use crate::i18n::use_i18n;

/// The server's limit on a photo's size.
const MAX_BYTES: f64 = 1024.0 * 1024.0;

/// Whether a chosen file may be sent: PNG or JPEG, at most 1 MiB. `Err` is an i18n key.
pub fn check_photo(content_type: &str, size: f64) -> Result<(), &'static str> {
    if content_type != "image/png" && content_type != "image/jpeg" {
        return Err("users.photo.wrong_type");
    }
    if size > MAX_BYTES {
        return Err("users.photo.too_big");
    }
    Ok(())
}

fn object_url(blob: &Blob) -> Option<String> {
    Url::create_object_url_with_blob(blob).ok()
}

fn bytes_url(bytes: &[u8]) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    object_url(&Blob::new_with_u8_array_sequence(&parts).ok()?)
}

fn revoke(url: Option<String>) {
    if let Some(url) = url {
        let _ = Url::revoke_object_url(&url);
    }
}

/// Replaces the object URL held by `slot`, freeing the old one.
fn replace_url(slot: RwSignal<Option<String>>, url: Option<String>) {
    revoke(slot.try_get_untracked().flatten());
    slot.set(url);
}

/// What the section asks of the server.
#[derive(Clone)]
enum Op {
    Load,
    Upload(File),
    Remove,
}

/// The "Photo" section. `name` is the person's name, for the image's text alternative.
#[component]
pub fn PhotoEditor(
    profile: Profile,
    has_photo: bool,
    #[prop(into)] name: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let stored = RwSignal::new(None::<String>);
    let preview = RwSignal::new(None::<String>);
    let local_error = RwSignal::new(None::<&'static str>);
    let done = RwSignal::new(None::<&'static str>);
    let input = NodeRef::<Input>::new();
    let chosen = move || -> Option<File> { input.get_untracked()?.files()?.get(0) };

    // One action for loading, uploading and removing: they never run at once.
    let act = Action::new_local(move |op: &Op| {
        let op = op.clone();
        async move {
            let message = match op {
                Op::Load => None,
                Op::Upload(file) => {
                    api::authorized(move |token| api::put_photo(token, profile, file.clone()))
                        .await?;
                    Some("users.photo.uploaded")
                }
                Op::Remove => {
                    api::authorized(move |token| api::delete_photo(token, profile)).await?;
                    replace_url(stored, None);
                    done.set(Some("users.photo.removed"));
                    return Ok(());
                }
            };
            // Shown as the server keeps it (resized), fetched with the bearer token.
            let bytes = api::authorized(move |token| api::photo(token, profile)).await?;
            replace_url(stored, bytes_url(&bytes));
            if message.is_some() {
                replace_url(preview, None);
                if let Some(input) = input.get_untracked() {
                    input.set_value("");
                }
                done.set(message);
            }
            Ok::<(), ClientError>(())
        }
    });
    if has_photo {
        act.dispatch_local(Op::Load);
    }
    on_cleanup(move || {
        revoke(stored.try_get_untracked().flatten());
        revoke(preview.try_get_untracked().flatten());
    });

    let pending = act.pending();
    let loading = Signal::derive(move || {
        pending.get() && act.input().with(|op| matches!(op, Some(Op::Load)))
    });
    let on_change = move |_| {
        replace_url(preview, None);
        local_error.set(None);
        done.set(None);
        if let Some(file) = chosen() {
            match check_photo(&file.type_(), file.size()) {
                Ok(()) => replace_url(preview, object_url(&file)),
                Err(key) => local_error.set(Some(key)),
            }
        }
    };
    let on_upload = move |_| {
        done.set(None);
        match chosen() {
            None => local_error.set(Some("users.photo.choose_first")),
            Some(file) => match check_photo(&file.type_(), file.size()) {
                Ok(()) => {
                    act.dispatch_local(Op::Upload(file));
                }
                Err(key) => local_error.set(Some(key)),
            },
        }
    };
    let on_remove = move |_| {
        done.set(None);
        act.dispatch_local(Op::Remove);
    };
    let alt = Signal::derive(move || {
        if preview.with(Option::is_some) {
            i18n.t("users.photo.preview").to_owned()
        } else {
            crate::i18n::fill(i18n.t("users.photo.of"), &[("name", &name.get())])
        }
    });
    let src = Signal::derive(move || preview.get().or_else(|| stored.get()));
    let empty = Signal::derive(move || {
        let key = if loading.get() {
            "loading"
        } else {
            "users.photo.none"
        };
        src.with(Option::is_none).then(|| i18n.t(key).to_owned())
    });
    let local_text = key_text(local_error);

    view! {
        <section class="panel" aria-labelledby="photo-heading">
            <h2 id="photo-heading">{i18n.tr("users.photo.title")}</h2>
            <Show when=move || src.with(Option::is_some) fallback=move || view! { <p>{empty}</p> }>
                <figure class="photo">
                    <img src=src alt=alt />
                </figure>
            </Show>
            <div class="field">
                <label for="photo-file">{i18n.tr("users.photo.choose")}</label>
                <input
                    id="photo-file"
                    name="photo"
                    type="file"
                    accept="image/png,image/jpeg"
                    aria-describedby="photo-hint photo-error"
                    node_ref=input
                    on:change=on_change
                />
                <p id="photo-hint" class="hint">{i18n.tr("users.photo.hint")}</p>
                <p id="photo-error" class="field-error" aria-live="polite">{local_text}</p>
            </div>
            <div class="actions">
                <button type="button" aria-busy=busy(pending) disabled=pending on:click=on_upload>
                    {i18n.tr("users.photo.upload")}
                </button>
                <Show when=move || stored.with(Option::is_some)>
                    <button type="button" class="secondary" disabled=pending on:click=on_remove>
                        {i18n.tr("users.photo.remove")}
                    </button>
                </Show>
            </div>
            <Outcome failure=failure_of(act) done=key_text(done) />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_small_png_and_jpeg_are_sent() {
        assert_eq!(check_photo("image/png", 1000.0), Ok(()));
        assert_eq!(check_photo("image/jpeg", MAX_BYTES), Ok(()));
        assert_eq!(
            check_photo("image/gif", 10.0),
            Err("users.photo.wrong_type")
        );
        assert_eq!(
            check_photo("image/png", MAX_BYTES + 1.0),
            Err("users.photo.too_big")
        );
    }
}
