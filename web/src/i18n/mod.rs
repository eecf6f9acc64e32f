//! English and Italian. Each area of the app keeps its texts in its own module here, as two
//! static tables of key → text (English and Italian); the chosen [`Locale`] is a signal provided
//! through context and remembered in `localStorage`. A key missing from a locale falls back to
//! English, then to the key itself, and a unit test keeps every pair of tables in step.

mod common;
mod directory;
mod keys;
mod money;
mod operator;
mod users;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use leptos::prelude::*;

type Table = [(&'static str, &'static str)];

/// Each area's (English, Italian) tables.
const AREAS: &[(&Table, &Table)] = &[
    (common::EN, common::IT),
    (users::EN, users::IT),
    (directory::EN, directory::IT),
    (money::EN, money::IT),
    (operator::EN, operator::IT),
    (keys::EN, keys::IT),
];

const STORAGE_KEY: &str = "postwarden.locale";

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    It,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::It];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub const fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::It => "it",
        }
    }

    /// The language's own name, for the switch.
    pub const fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::It => "Italiano",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The text of `key` in this locale.
    pub fn text(self, key: &'static str) -> &'static str {
        lookup(self, key)
            .or_else(|| lookup(Locale::En, key))
            .unwrap_or(key)
    }

    /// An amount of money: `1234` cents of EUR is `€12.34` in English and `12,34 €` in Italian.
    /// Currencies without a symbol here are written with their ISO code.
    pub fn money(self, cents: i64, currency: &str) -> String {
        let sign = if cents < 0 { "-" } else { "" };
        let abs = cents.unsigned_abs();
        let (units, hundredths) = (abs / 100, abs % 100);
        let symbol = match currency {
            "EUR" => Some("€"),
            "USD" => Some("$"),
            "GBP" => Some("£"),
            _ => None,
        };
        match (self, symbol) {
            (Locale::En, Some(symbol)) => {
                format!("{sign}{symbol}{}.{hundredths:02}", group(units, ','))
            }
            (Locale::En, None) => format!("{sign}{}.{hundredths:02} {currency}", group(units, ',')),
            (Locale::It, symbol) => format!(
                "{sign}{},{hundredths:02} {}",
                group(units, '.'),
                symbol.unwrap_or(currency)
            ),
        }
    }

    /// A calendar date: `30 Nov 2026` in English, `30/11/2026` in Italian.
    pub fn date(self, date: NaiveDate) -> String {
        match self {
            Locale::En => {
                const MONTHS: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                let month = MONTHS[date.month0() as usize % 12];
                format!("{} {month} {}", date.day(), date.year())
            }
            Locale::It => format!("{:02}/{:02}/{}", date.day(), date.month(), date.year()),
        }
    }

    /// A moment, to the minute, in UTC (the server's clock): `30 Nov 2026, 14:05 UTC`.
    pub fn date_time(self, at: DateTime<Utc>) -> String {
        format!("{}, {} UTC", self.date(at.date_naive()), at.format("%H:%M"))
    }
}

fn lookup(locale: Locale, key: &str) -> Option<&'static str> {
    AREAS.iter().find_map(|(en, it)| {
        let table = match locale {
            Locale::En => en,
            Locale::It => it,
        };
        table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    })
}

/// `1234567` → `1,234,567` (with `,`) or `1.234.567` (with `.`).
fn group(units: u64, separator: char) -> String {
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The locale signal, copied freely into views and closures.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// The text of `key` in the current locale (tracked: re-read when the locale changes).
    pub fn t(self, key: &'static str) -> &'static str {
        self.locale.get().text(key)
    }

    /// A reactive text, to place directly in a view or an attribute.
    pub fn tr(self, key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    pub fn set(self, locale: Locale) {
        self.locale.set(locale);
    }
}

/// Provides the locale (the stored one, else the browser's when it is Italian, else English)
/// and keeps `localStorage` and `<html lang>` in step with it.
pub fn provide_i18n() {
    let locale = RwSignal::new(initial_locale());
    provide_context(I18n { locale });
    Effect::new(move || {
        let locale = locale.get();
        remember(locale);
    });
}

/// The provided locale (English when nothing was provided, as in unit tests).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n {
        locale: RwSignal::new(Locale::En),
    })
}

fn initial_locale() -> Locale {
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Locale::parse(&code));
    stored
        .or_else(|| {
            let language = web_sys::window()?.navigator().language()?;
            language.starts_with("it").then_some(Locale::It)
        })
        .unwrap_or_default()
}

fn remember(locale: Locale) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(storage) = window.local_storage().ok().flatten() {
        // Not being able to remember it only costs choosing again after a reload.
        let _ = storage.set_item(STORAGE_KEY, locale.code());
    }
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", locale.code());
    }
}

/// The language switch of the top bar.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="language">
            <label for="language">{i18n.tr("language")}</label>
            <select
                id="language"
                on:change=move |event| {
                    if let Some(locale) = Locale::parse(&event_target_value(&event)) {
                        i18n.set(locale);
                    }
                }
            >
                {Locale::ALL
                    .into_iter()
                    .map(|locale| {
                        view! {
                            <option
                                value=locale.code()
                                lang=locale.code()
                                selected=move || i18n.locale.get() == locale
                            >
                                {locale.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(table: &[(&'static str, &str)]) -> BTreeSet<&'static str> {
        table.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn both_locales_have_the_same_keys() {
        let mut all = BTreeSet::new();
        for (en_table, it_table) in AREAS {
            let en = keys(en_table);
            let it = keys(it_table);
            assert_eq!(
                en.len(),
                en_table.len(),
                "a key is repeated in an English table"
            );
            assert_eq!(
                it.len(),
                it_table.len(),
                "a key is repeated in an Italian table"
            );
            let only_en: Vec<_> = en.difference(&it).collect();
            let only_it: Vec<_> = it.difference(&en).collect();
            assert!(only_en.is_empty(), "missing in Italian: {only_en:?}");
            assert!(only_it.is_empty(), "missing in English: {only_it:?}");
            for key in en {
                assert!(all.insert(key), "{key} is defined in two areas");
            }
        }
    }

    /// The keys the source looks up: the literal after `tr(`, `t(`, `text(`, the `label=`,
    /// `hint=` and `legend=` attributes of its views and the `label:` and `hint:` fields of its
    /// filter tables.
    fn keys_used_in(source: &str) -> Vec<String> {
        const OPENINGS: [&str; 8] = [
            "tr(\"",
            ".t(\"",
            "text(\"",
            "label=\"",
            "hint=\"",
            "legend=\"",
            "label: \"",
            "hint: Some(\"",
        ];
        let mut found = Vec::new();
        for opening in OPENINGS {
            for (at, _) in source.match_indices(opening) {
                let rest = &source[at + opening.len()..];
                let key = &rest[..rest.find('"').unwrap_or(0)];
                let looks_like_a_key = key.contains('.')
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._".contains(c));
                if looks_like_a_key {
                    found.push(key.to_owned());
                }
            }
        }
        found
    }

    fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }

    #[test]
    fn every_key_the_source_uses_exists() {
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let known: BTreeSet<&str> = AREAS
            .iter()
            .flat_map(|(en, _)| en.iter().map(|(k, _)| *k))
            .collect();
        let mut checked = 0;
        let mut missing = Vec::new();
        for (file, text) in &files {
            for key in keys_used_in(text) {
                if !known.contains(key.as_str()) {
                    missing.push(format!("{file}: {key}"));
                }
                checked += 1;
            }
        }
        assert!(
            missing.is_empty(),
            "keys no table has:\n{}",
            missing.join("\n")
        );
        assert!(
            checked > 300,
            "only {checked} keys found: is the scan broken?"
        );
        assert_eq!(
            keys_used_in(r#"i18n.tr("nav.users") label="users.first_name" text("x")"#),
            ["nav.users", "users.first_name"]
        );
    }

    #[test]
    fn money_and_dates_follow_the_locale() {
        assert_eq!(Locale::En.money(123_456, "EUR"), "€1,234.56");
        assert_eq!(Locale::It.money(123_456, "EUR"), "1.234,56 €");
        assert_eq!(Locale::En.money(-5, "CHF"), "-0.05 CHF");
        assert_eq!(Locale::It.money(100_000_000, "CHF"), "1.000.000,00 CHF");
        let date = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(Locale::En.date(date), "3 Nov 2026");
        assert_eq!(Locale::It.date(date), "03/11/2026");
    }

    #[test]
    fn guide_wording_is_used() {
        assert_eq!(Locale::It.text("users.add"), "Aggiungi un utente");
        assert_eq!(Locale::It.text("action.enable"), "Abilita un account");
        assert_eq!(Locale::En.text("nav.domains"), "Email domains");
        assert_eq!(Locale::parse("it"), Some(Locale::It));
        assert_eq!(Locale::parse("fr"), None);
    }

    #[test]
    fn fill_replaces_placeholders() {
        let text = fill(
            Locale::En.text("problem.credit_insufficient"),
            &[("missing", "€4.00")],
        );
        assert_eq!(text, "The credit is not enough: €4.00 more is needed.");
    }
}
