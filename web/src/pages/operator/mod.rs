//! The operator's screens, and the few pieces they share: the checks of amounts and limits, and
//! small reactive helpers.

pub mod adjust;
pub mod create_org;
pub mod organizations;
pub mod plan_form;
pub mod plans;
pub mod top_ups;

use leptos::prelude::*;
use shared::ErrorCode;
use wasm_bindgen::JsCast;

use crate::api::ClientError;
pub use crate::components::form_state::failure_of;
use crate::components::money_input::{Bounds, parse_amount};
use crate::components::problem::problem_text;
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
