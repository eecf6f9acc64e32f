//! A person's photo: shown (fetched with the bearer token, so through an object URL), chosen
//! with a preview, uploaded with the file's own content type, removed. Serves both `/me` and
//! an admin's view of an account.

use leptos::html::Input;
use leptos::prelude::*;
use web_sys::{Blob, File, Url, js_sys};

use crate::api::{self, ClientError, Profile};
use crate::components::account_problem::account_problem_text;
use crate::components::to_sign_in::ToSignIn;
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

    let load = Action::new_local(move |_: &()| async move {
        let bytes = api::authorized(move |token| api::photo(token, profile)).await?;
        replace_url(stored, bytes_url(&bytes));
        Ok::<(), ClientError>(())
    });
    if has_photo {
        load.dispatch(());
    }
    let upload = Action::new_local(move |file: &File| {
        let file = file.clone();
        async move {
            api::authorized(move |token| api::put_photo(token, profile, file.clone())).await?;
            // The server keeps a resized copy: show that one.
            let bytes = api::authorized(move |token| api::photo(token, profile)).await?;
            replace_url(stored, bytes_url(&bytes));
            replace_url(preview, None);
            if let Some(input) = input.get_untracked() {
                input.set_value("");
            }
            done.set(Some("users.photo.uploaded"));
            Ok::<(), ClientError>(())
        }
    });
    let remove = Action::new_local(move |_: &()| async move {
        api::authorized(move |token| api::delete_photo(token, profile)).await?;
        replace_url(stored, None);
        done.set(Some("users.photo.removed"));
        Ok::<(), ClientError>(())
    });
    on_cleanup(move || {
        revoke(stored.try_get_untracked().flatten());
        revoke(preview.try_get_untracked().flatten());
    });

    let busy = move || upload.pending().get() || remove.pending().get();
    let failure = move || {
        if busy() {
            return None;
        }
        [
            upload.value().get(),
            remove.value().get(),
            load.value().get(),
        ]
        .into_iter()
        .flatten()
        .find_map(Result::err)
    };
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
                    upload.dispatch_local(file);
                }
                Err(key) => local_error.set(Some(key)),
            },
        }
    };
    let picture = move || {
        if let Some(url) = preview.get() {
            let alt = i18n.t("users.photo.preview");
            return view! {
                <figure class="photo">
                    <img src=url alt=alt />
                    <figcaption>{alt}</figcaption>
                </figure>
            }
            .into_any();
        }
        match stored.get() {
            Some(url) => {
                let alt =
                    move || crate::i18n::fill(i18n.t("users.photo.of"), &[("name", &name.get())]);
                view! {
                    <figure class="photo">
                        <img src=url alt=alt />
                    </figure>
                }
                .into_any()
            }
            None if load.pending().get() => {
                view! { <p role="status">{i18n.tr("loading")}</p> }.into_any()
            }
            None => view! { <p>{i18n.tr("users.photo.none")}</p> }.into_any(),
        }
    };

    view! {
        <section class="panel" aria-labelledby="photo-heading">
            <h2 id="photo-heading">{i18n.tr("users.photo.title")}</h2>
            {picture}
            <div class="field">
                <label for="photo-file">{i18n.tr("users.photo.choose")}</label>
                <input
                    id="photo-file"
                    name="photo"
                    type="file"
                    accept="image/png,image/jpeg"
                    aria-describedby="photo-hint photo-error"
                    aria-invalid=move || local_error.get().map(|_| "true")
                    node_ref=input
                    on:change=on_change
                />
                <p id="photo-hint" class="hint">{i18n.tr("users.photo.hint")}</p>
                <p id="photo-error" class="field-error" aria-live="polite">
                    {move || local_error.get().map(|key| i18n.t(key))}
                </p>
            </div>
            <div class="actions">
                <button
                    type="button"
                    aria-busy=move || upload.pending().get().then_some("true")
                    disabled=busy
                    on:click=on_upload
                >
                    {i18n.tr("users.photo.upload")}
                </button>
                <Show when=move || stored.get().is_some()>
                    <button
                        type="button"
                        class="secondary"
                        aria-busy=move || remove.pending().get().then_some("true")
                        disabled=busy
                        on:click=move |_| {
                            done.set(None);
                            remove.dispatch(());
                        }
                    >
                        {i18n.tr("users.photo.remove")}
                    </button>
                </Show>
            </div>
            <p class="error" role="alert">
                {move || {
                    failure()
                        .filter(|e| !e.is_unauthorized())
                        .map(|e| account_problem_text(i18n.locale.get(), &e))
                }}
            </p>
            <p class="status" role="status">{move || done.get().map(|key| i18n.t(key))}</p>
            <Show when=move || failure().is_some_and(|e| e.is_unauthorized())>
                <ToSignIn />
            </Show>
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
