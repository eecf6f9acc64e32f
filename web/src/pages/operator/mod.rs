//! The operator's screens, and the few pieces they share: the checks of amounts and limits,
//! lists read page by page ([`Paged`]).

pub mod adjust;
pub mod create_org;
pub mod organizations;
pub mod plan_form;
pub mod plans;
pub mod top_ups;

use std::future::Future;

use leptos::prelude::*;
use shared::ErrorCode;
use wasm_bindgen::JsCast;

use crate::api::ClientError;
pub use crate::components::form_state::failure_of;
use crate::components::money_input::{Bounds, parse_amount};
use crate::components::problem::problem_text;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{I18n, Locale, fill};

/// A failure in words; a refusal says that these screens are the operators'.
pub fn says(locale: Locale, error: &ClientError) -> String {
    match error.code() {
        Some(ErrorCode::Forbidden) => locale.text("operator.forbidden").to_owned(),
        _ => problem_text(locale, error),
    }
}

/// An amount in the locale; without a known currency, the number alone.
pub fn amount(locale: Locale, cents: i64, currency: Option<&str>) -> String {
    locale
        .money(cents, currency.unwrap_or(""))
        .trim()
        .to_owned()
}

/// Moves the keyboard focus to the element with this id, once the page has drawn it (a form
/// that just opened, the button that opened a form that just closed).
pub fn focus_id(id: String) {
    request_animation_frame(move || {
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            // A focus that cannot move leaves it where it was.
            let _ = element.focus();
        }
    });
}

// ---------------------------------------------------------------- checks

/// A credit adjustment, as the server bounds it: signed, up to 100,000,000.00 either way.
pub const ADJUSTMENT: Bounds = Bounds {
    min: -10_000_000_000,
    max: 10_000_000_000,
};

/// A plan's monthly price, as the server bounds it: up to 1,000,000.00.
pub const PRICE: Bounds = Bounds {
    min: 0,
    max: 100_000_000,
};

/// A credit adjustment: an amount in the locale's format, not zero.
pub fn check_adjustment(locale: Locale, text: &str) -> Result<(), String> {
    match parse_amount(locale, text, ADJUSTMENT) {
        Ok(0) => Err(locale.text("operator.invalid_zero").to_owned()),
        Ok(_) => Ok(()),
        Err(refusal) => Err(refusal.message(locale, ADJUSTMENT)),
    }
}

/// A price: an amount in the locale's format, not negative.
pub fn check_price(locale: Locale, text: &str) -> Result<(), String> {
    parse_amount(locale, text, PRICE)
        .map(drop)
        .map_err(|refusal| refusal.message(locale, PRICE))
}

/// A whole number from `MIN` to `MAX`, as the server bounds it.
pub fn check_whole<const MIN: i64, const MAX: i64>(
    locale: Locale,
    text: &str,
) -> Result<(), String> {
    match text.trim().parse::<i64>() {
        Ok(n) if (MIN..=MAX).contains(&n) => Ok(()),
        _ => Err(fill(
            locale.text("operator.invalid_whole"),
            &[("min", &MIN.to_string()), ("max", &MAX.to_string())],
        )),
    }
}

// ---------------------------------------------------------------- lists

/// A list read page by page with "Load more", which can start over (a new filter).
pub struct Paged<T: Send + Sync + 'static> {
    pub rows: RwSignal<Vec<T>>,
    pub next: RwSignal<Option<String>>,
    /// Whether the current list's first page arrived.
    done: RwSignal<bool>,
    /// Changed on starting over, so that a page of the old list is dropped.
    generation: RwSignal<u32>,
    load: Action<Option<String>, Result<(), ClientError>>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Paged<T> {}

impl<T: Send + Sync + 'static> Paged<T> {
    /// `fetch(cursor)` reads one page; `same` tells whether two rows are one (a row already
    /// shown is not added twice). The first page is asked for at once.
    pub fn new<F, Fut>(fetch: F, same: fn(&T, &T) -> bool) -> Self
    where
        F: Fn(Option<String>) -> Fut + 'static,
        Fut: Future<Output = Result<(Vec<T>, Option<String>), ClientError>> + 'static,
    {
        let rows = RwSignal::new(Vec::<T>::new());
        let next = RwSignal::new(None::<String>);
        let done = RwSignal::new(false);
        let generation = RwSignal::new(0_u32);
        let load = Action::new_local(move |cursor: &Option<String>| {
            let asked = generation.get_untracked();
            let page = fetch(cursor.clone());
            async move {
                let (items, cursor) = page.await?;
                if generation.get_untracked() == asked {
                    rows.update(|rows| {
                        for item in items {
                            if !rows.iter().any(|r| same(r, &item)) {
                                rows.push(item);
                            }
                        }
                    });
                    next.set(cursor);
                    done.set(true);
                }
                Ok(())
            }
        });
        load.dispatch(None);
        Self {
            rows,
            next,
            done,
            generation,
            load,
        }
    }

    /// Forgets the rows and reads the first page again.
    pub fn restart(self) {
        self.generation.update(|g| *g = g.wrapping_add(1));
        self.rows.set(Vec::new());
        self.next.set(None);
        self.done.set(false);
        self.load.dispatch(None);
    }

    /// The list's frame (see [`list_frame`]) around `table`.
    pub fn view(self, i18n: I18n, empty: &'static str, table: AnyView) -> AnyView {
        let rows = self.rows;
        let frame = Frame {
            has_rows: Signal::derive(move || rows.with(|r| !r.is_empty())),
            next: self.next,
            done: self.done,
            load: self.load,
            restart: Callback::new(move |()| self.restart()),
        };
        list_frame(i18n, empty, frame, table)
    }
}

/// What [`list_frame`] needs of a [`Paged`] list, whatever its rows.
struct Frame {
    has_rows: Signal<bool>,
    next: RwSignal<Option<String>>,
    done: RwSignal<bool>,
    load: Action<Option<String>, Result<(), ClientError>>,
    restart: Callback<()>,
}

/// Loading state, failure, "Try again" and "Load more" around `table`, which is shown once
/// there are rows; `empty` is the i18n key said when the list is empty. Not generic over the
/// rows, so its code is there once for every list.
fn list_frame(i18n: I18n, empty: &'static str, frame: Frame, table: AnyView) -> AnyView {
    let Frame {
        has_rows,
        next,
        done,
        load,
        restart,
    } = frame;
    let pending = load.pending();
    let failure = failure_of(load);
    let status = Signal::derive(move || {
        if pending.get() && !has_rows.get() {
            Some(i18n.t("loading"))
        } else if done.get() && !has_rows.get() {
            Some(i18n.t(empty))
        } else {
            None
        }
    });
    let signed_out = move || failure.with(|f| f.as_ref().is_some_and(ClientError::is_unauthorized));
    let retry = move || failure.with(Option::is_some) && !done.get();
    view! {
        <Show when=signed_out>
            <ToSignIn />
        </Show>
        <p class="status" role="status">{status}</p>
        <div hidden=Signal::derive(move || !has_rows.get())>{table}</div>
        <p class="error" role="alert">
            {maybe(move || failure.get().map(|e| says(i18n.locale.get(), &e)))}
        </p>
        <Show when=retry>
            <button type="button" on:click=move |_| restart.run(())>
                {i18n.tr("try_again")}
            </button>
        </Show>
        <Show when=move || next.with(Option::is_some)>
            <button
                type="button"
                class="secondary"
                aria-busy=busy(pending)
                disabled=pending
                on:click=move |_| {
                    load.dispatch(next.get_untracked());
                }
            >
                {i18n.tr("users.load_more")}
            </button>
        </Show>
    }
    .into_any()
}

// ---------------------------------------------------------------- reactive texts
//
// Small helpers so that a view slot reads as what it shows: a text, a text that may be absent,
// a busy flag.

/// A reactive text.
pub fn text(f: impl Fn() -> String + Send + Sync + 'static) -> Signal<String> {
    Signal::derive(f)
}

/// A text that is there or not (a status line, an alert).
pub fn maybe(f: impl Fn() -> Option<String> + Send + Sync + 'static) -> Signal<Option<String>> {
    Signal::derive(f)
}

/// `aria-busy="true"` while `pending`.
pub fn busy(pending: Memo<bool>) -> Signal<Option<&'static str>> {
    Signal::derive(move || pending.get().then_some("true"))
}

/// The text of `key` while `pending` (a form's "Saving…").
pub fn while_busy(
    i18n: I18n,
    pending: Memo<bool>,
    key: &'static str,
) -> Signal<Option<&'static str>> {
    Signal::derive(move || pending.get().then(|| i18n.t(key)))
}

/// `aria-expanded`'s value.
pub fn expanded(open: impl Fn() -> bool + Send + Sync + 'static) -> Signal<&'static str> {
    Signal::derive(move || if open() { "true" } else { "false" })
}

/// `fill(key, [(name, value)])` in the current locale.
pub fn filled(i18n: I18n, key: &'static str, name: &'static str, value: String) -> Signal<String> {
    text(move || fill(i18n.t(key), &[(name, &value)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_limits_are_judged_in_the_locale() {
        use crate::components::form_state::local_message;
        assert_eq!(
            local_message(Locale::En, "", false, true, check_price),
            None
        );
        assert_eq!(
            local_message(Locale::It, " ", true, true, check_price),
            Some("Questo campo è obbligatorio.".to_owned())
        );
        assert_eq!(
            local_message(Locale::En, "", true, false, check_price),
            None
        );
        assert_eq!(
            check_price(Locale::En, "-1"),
            Err("Must not be negative.".to_owned())
        );
        assert_eq!(check_price(Locale::It, "1.234,50"), Ok(()));
        assert_eq!(
            check_adjustment(Locale::En, "0,00"),
            Err("Must not be zero.".to_owned())
        );
        assert_eq!(
            check_adjustment(Locale::En, "1.999"),
            Err("Must have at most two decimals.".to_owned())
        );
        assert_eq!(check_adjustment(Locale::En, "-5"), Ok(()));
        assert_eq!(
            check_whole::<1, 10>(Locale::It, "0"),
            Err("Deve essere un numero intero da 1 a 10.".to_owned())
        );
        assert_eq!(check_whole::<1, 10>(Locale::En, " 10 "), Ok(()));
        assert!(check_whole::<1, 10>(Locale::En, "2.5").is_err());
    }

    #[test]
    fn amounts_without_a_currency_are_plain_numbers() {
        assert_eq!(amount(Locale::En, 123_456, None), "1,234.56");
        assert_eq!(amount(Locale::It, -5, None), "-0,05");
        assert_eq!(amount(Locale::En, 500, Some("EUR")), "€5.00");
    }
}
