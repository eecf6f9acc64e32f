//! What a form shows beside each field: this side's check as the person types (with the very
//! parsers of `shared`), then the server's word about the field from the last sending, which
//! stands until that field is changed; and the summary above the form.

use leptos::prelude::*;
use shared::ErrorCode;
use shared::value::{EmailAddress, ExternalEmail, Password, Username, parse_name};

use crate::api::ClientError;
use crate::components::outcome::account_problem_text;
use crate::i18n::{I18n, Locale, use_i18n};

/// A field's check of a (non-empty) value: `Err` holds the message to show beside the field, in
/// the locale. Most are a `shared` parser through [`verdict`].
pub type Check = fn(Locale, &str) -> Result<(), String>;

/// A parser's verdict in the locale: English shows the parser's own words, Italian the field's
/// rule (`rule`, an i18n key).
pub fn verdict<T, E: ToString>(
    locale: Locale,
    result: Result<T, E>,
    rule: &'static str,
) -> Result<(), String> {
    result.map(drop).map_err(|why| match locale {
        Locale::En => sentence(&why.to_string()),
        Locale::It => locale.text(rule).to_owned(),
    })
}

/// The message beside a field, judged as the person types: an empty field is judged only once
/// they tried to send the form, and only when it is `required`.
pub fn local_message(
    locale: Locale,
    value: &str,
    tried: bool,
    required: bool,
    check: Check,
) -> Option<String> {
    if value.trim().is_empty() {
        return (tried && required).then(|| locale.text("invalid.required").to_owned());
    }
    check(locale, value).err()
}

/// `must not be empty` → `Must not be empty.`
pub fn sentence(reason: &str) -> String {
    let mut chars = reason.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// One field of a form: the server's name for it (`owner.username` for a nested one), its
/// value, its check and whether it may be left empty.
#[derive(Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub value: RwSignal<String>,
    pub check: Check,
    pub required: bool,
}

impl Field {
    pub fn new(name: &'static str, value: RwSignal<String>, check: Check) -> Self {
        Self {
            name,
            value,
            check,
            required: false,
        }
    }

    /// A field with a value of its own that starts as `text` (editing what exists).
    pub fn holding(name: &'static str, check: Check, text: String) -> Self {
        Self::new(name, RwSignal::new(text), check)
    }

    pub fn required(self) -> Self {
        Self {
            required: true,
            ..self
        }
    }

    /// The value, trimmed; `None` when empty.
    pub fn text(self) -> Option<String> {
        let text = self.value.get_untracked().trim().to_owned();
        (!text.is_empty()).then_some(text)
    }
}

/// The state of one form's messages. `failure` is the last sending's error (none while a
/// sending is pending); `code_field` names the field a problem without field errors is about
/// (`username_taken` → `username`); `explain` puts the other failures in words.
#[derive(Clone, Copy)]
pub struct FormState {
    pub tried: RwSignal<bool>,
    sent: RwSignal<Vec<(&'static str, String)>>,
    failure: Signal<Option<ClientError>>,
    code_field: fn(ErrorCode) -> Option<&'static str>,
    explain: fn(Locale, &ClientError) -> String,
    i18n: I18n,
}

impl FormState {
    pub fn new(
        failure: Signal<Option<ClientError>>,
        code_field: fn(ErrorCode) -> Option<&'static str>,
    ) -> Self {
        Self {
            tried: RwSignal::new(false),
            sent: RwSignal::new(Vec::new()),
            failure,
            code_field,
            explain: account_problem_text,
            i18n: use_i18n(),
        }
    }

    /// Failures put in words by `explain` (an area's own codes) instead of the account texts.
    pub fn explained_by(self, explain: fn(Locale, &ClientError) -> String) -> Self {
        Self { explain, ..self }
    }

    /// Whether the failure is about some field rather than the form as a whole.
    fn about_a_field(self, error: &ClientError) -> bool {
        error.has_field_errors()
            || named_field(error).is_some()
            || error.code().and_then(self.code_field).is_some()
    }

    /// The error of the last sending, if it failed.
    pub fn failure(self) -> Option<ClientError> {
        self.failure.get()
    }

    /// The last sending's error, as a signal for [`Outcome`](super::outcome::Outcome).
    pub fn failure_signal(self) -> Signal<Option<ClientError>> {
        self.failure
    }

    /// Marks the form as tried and says whether every field passes this side's checks; when
    /// they do, remembers what each field held, to keep the server's word beside it.
    pub fn ready(self, fields: &[Field]) -> bool {
        self.tried.set(true);
        let locale = self.i18n.locale.get_untracked();
        let invalid = fields.iter().any(|f| {
            let value = f.value.get_untracked();
            local_message(locale, &value, true, f.required, f.check).is_some()
        });
        if !invalid {
            self.sent.set(
                fields
                    .iter()
                    .map(|f| (f.name, f.value.get_untracked()))
                    .collect(),
            );
        }
        !invalid
    }

    /// Remembers what a field computed from others (an address from its parts) held when sent.
    pub fn remember(self, name: &'static str, value: String) {
        self.sent.update(|sent| sent.push((name, value)));
    }

    /// The server's message about `field`, while the field still holds what was sent.
    pub fn server_message(self, locale: Locale, field: &'static str, now: &str) -> Option<String> {
        let unchanged = self
            .sent
            .with(|s| s.iter().any(|(f, v)| *f == field && v == now));
        if !unchanged {
            return None;
        }
        let error = self.failure()?;
        error.field_message(field).or_else(|| {
            is_about(&error, field, self.code_field).then(|| (self.explain)(locale, &error))
        })
    }

    /// The message beside `field`.
    pub fn message(self, field: Field) -> Signal<Option<String>> {
        Signal::derive(move || {
            let locale = self.i18n.locale.get();
            let now = field.value.get();
            let tried = self.tried.get();
            local_message(locale, &now, tried, field.required, field.check)
                .or_else(|| self.server_message(locale, field.name, &now))
        })
    }

    /// The sentence about the form as a whole: "correct the fields" when the problem is about
    /// fields, else the problem in words. `None` on success, while pending and for a 401 (the
    /// page goes to sign-in instead).
    pub fn summary(self) -> Signal<Option<String>> {
        Signal::derive(move || {
            let error = self.failure().filter(|e| !e.is_unauthorized())?;
            let locale = self.i18n.locale.get();
            Some(if self.about_a_field(&error) {
                locale.text("fix_fields").to_owned()
            } else {
                (self.explain)(locale, &error)
            })
        })
    }

    /// After a success: empties the fields and forgets the last attempt.
    pub fn reset(self, fields: &[Field]) {
        for field in fields {
            field.value.set(String::new());
        }
        self.tried.set(false);
        self.sent.set(Vec::new());
    }

    /// Whether the server refused the session (render `ToSignIn`).
    pub fn signed_out(self) -> bool {
        self.failure
            .with(|f| f.as_ref().is_some_and(ClientError::is_unauthorized))
    }
}

/// The field a problem names in its `field` member (`address_reserved` at sign-up).
fn named_field(error: &ClientError) -> Option<&str> {
    error.problem()?.extra.field.as_deref()
}

/// Whether a problem without field errors is about `field`: the server names it in the
/// problem's `field` member, or the problem's code is about it (`code_field`).
fn is_about(
    error: &ClientError,
    field: &str,
    code_field: fn(ErrorCode) -> Option<&'static str>,
) -> bool {
    match named_field(error) {
        Some(named) => named == field,
        None => error.code().and_then(code_field) == Some(field),
    }
}

/// For forms whose problems all name their fields.
pub fn no_code_field(_: ErrorCode) -> Option<&'static str> {
    None
}

/// Whether an action's last run succeeded (and it is not running again).
pub fn success_of<I: 'static>(action: Action<I, Result<(), ClientError>>) -> Signal<bool> {
    let pending = action.pending();
    let value = action.value();
    Signal::derive(move || !pending.get() && matches!(value.get(), Some(Ok(()))))
}

/// The last result of `action` when it failed, none while it runs again.
pub fn failure_of<I, O>(action: Action<I, Result<O, ClientError>>) -> Signal<Option<ClientError>>
where
    I: 'static,
    O: Clone + 'static,
{
    let pending = action.pending();
    Signal::derive(move || {
        if pending.get() {
            return None;
        }
        action.value().get().and_then(Result::err)
    })
}

// ---------------------------------------------------------------- checks

/// A name: a person's first or last name, an organization's, a plan's (the server's limit: 100
/// characters).
pub fn check_name(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, parse_name(value, 100), "invalid.name")
}

pub fn check_username(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, Username::parse(value), "invalid.username")
}

pub fn check_password(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, Password::parse(value), "invalid.password")
}

/// An address Postwarden hosts (a primary address, an alias, a group's address).
pub fn check_address(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, EmailAddress::parse(value), "invalid.email")
}

/// An address elsewhere (where password-reset links are mailed).
pub fn check_external_email(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, ExternalEmail::parse(value), "invalid.email")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_three(locale: Locale, value: &str) -> Result<(), String> {
        let result = if value.chars().count() == 3 {
            Ok(())
        } else {
            Err("must be 3 characters long")
        };
        verdict(locale, result, "invalid.name")
    }

    #[test]
    fn messages_are_judged_as_typed() {
        assert_eq!(
            local_message(Locale::En, "", false, true, check_three),
            None
        );
        assert_eq!(
            local_message(Locale::En, "", true, true, check_three),
            Some("This field is required.".to_owned())
        );
        assert_eq!(
            local_message(Locale::En, "", true, false, check_three),
            None
        );
        assert_eq!(
            local_message(Locale::En, "ab", false, false, check_three),
            Some("Must be 3 characters long.".to_owned())
        );
        assert_eq!(
            local_message(Locale::It, "ab", false, false, check_three),
            Some("Deve avere da 1 a 100 caratteri, senza caratteri di controllo.".to_owned())
        );
        assert_eq!(
            local_message(Locale::En, "abc", false, true, check_three),
            None
        );
    }

    #[test]
    fn problems_name_their_field() {
        let problem = |code, field: Option<&str>| {
            let mut problem = shared::Problem::new(code, "x");
            if let Some(field) = field {
                problem = problem.with(|x| x.field = Some(field.to_owned()));
            }
            ClientError::Problem {
                problem: Box::new(problem),
                retry_after: None,
            }
        };
        let taken = |code| (code == ErrorCode::UsernameTaken).then_some("username");
        let reserved = problem(ErrorCode::AddressReserved, Some("username"));
        assert!(is_about(&reserved, "username", no_code_field));
        assert!(!is_about(&reserved, "password", taken));
        let used = problem(ErrorCode::UsernameTaken, None);
        assert!(is_about(&used, "username", taken));
        assert!(!is_about(&used, "username", no_code_field));
        assert!(!is_about(
            &ClientError::Network("x".into()),
            "username",
            taken
        ));
    }

    #[test]
    fn shared_checks_speak_the_locale() {
        assert_eq!(check_username(Locale::En, "ada"), Ok(()));
        assert!(check_username(Locale::En, "a b").is_err());
        assert_eq!(
            check_password(Locale::It, "short"),
            Err(Locale::It.text("invalid.password").to_owned())
        );
        assert!(check_address(Locale::En, "ada@example.org").is_ok());
        assert!(check_external_email(Locale::En, "nope").is_err());
    }
}
