//! What a form says about its fields: this side's check as the person types, then the server's
//! word about a field, which stands until that field is changed, and a summary alert.

use leptos::prelude::*;
use shared::ErrorCode;

use crate::api::ClientError;
use crate::i18n::{Locale, use_i18n};

pub use super::form_state::{Check, failure_of, local_message, sentence};

/// Whether an action's last run succeeded (and it is not running again).
pub fn success_of<I: 'static>(action: Action<I, Result<(), ClientError>>) -> Signal<bool> {
    let pending = action.pending();
    let value = action.value();
    Signal::derive(move || !pending.get() && matches!(value.get(), Some(Ok(()))))
}

/// Whether a problem without field errors is about `field`: the server names it in a `field`
/// member, or the form knows which field the problem's code is about.
pub fn names_field(
    error: &ClientError,
    field: &str,
    field_of_code: fn(ErrorCode) -> Option<&'static str>,
) -> bool {
    let Some(problem) = error.problem() else {
        return false;
    };
    let named = problem.extra.get("field").and_then(|v| v.as_str());
    named == Some(field) || (named.is_none() && field_of_code(problem.code) == Some(field))
}

/// A field as it was sent: its name, its value then, and the field.
type Sent = (&'static str, String, RwSignal<String>);

/// One form's feedback.
#[derive(Clone, Copy)]
pub struct FormFeedback {
    /// Whether the person tried to send the form (empty required fields are judged from then).
    pub tried: RwSignal<bool>,
    /// Each field as it was sent: (name, value then, the field now).
    sent: RwSignal<Vec<Sent>>,
    failure: Signal<Option<ClientError>>,
    explain: fn(Locale, &ClientError) -> String,
    field_of_code: fn(ErrorCode) -> Option<&'static str>,
}

impl FormFeedback {
    /// `explain` puts a failure in words; `field_of_code` names the field a problem code is
    /// about when the server does not say.
    pub fn new(
        failure: Signal<Option<ClientError>>,
        explain: fn(Locale, &ClientError) -> String,
        field_of_code: fn(ErrorCode) -> Option<&'static str>,
    ) -> Self {
        Self {
            tried: RwSignal::new(false),
            sent: RwSignal::new(Vec::new()),
            failure,
            explain,
            field_of_code,
        }
    }

    /// Remembers what each field held as the form is sent.
    pub fn sending(self, fields: &[(&'static str, RwSignal<String>)]) {
        let sent = fields
            .iter()
            .map(|&(name, value)| (name, value.get_untracked(), value))
            .collect();
        self.sent.set(sent);
    }

    /// What the server said about `field`, while it still holds what was sent (tracked).
    pub fn server_message(self, locale: Locale, field: &'static str, now: &str) -> Option<String> {
        let unchanged = self
            .sent
            .with(|sent| sent.iter().any(|(f, v, _)| *f == field && v == now));
        if !unchanged {
            return None;
        }
        let error = self.failure.get()?;
        error
            .field_message(field)
            .map(|m| sentence(&m))
            .or_else(|| {
                names_field(&error, field, self.field_of_code)
                    .then(|| (self.explain)(locale, &error))
            })
    }

    /// The message beside a field: this side's check, else the server's word.
    pub fn field(
        self,
        field: &'static str,
        value: RwSignal<String>,
        required: bool,
        check: Check,
        rule_key: &'static str,
    ) -> Signal<Option<String>> {
        let i18n = use_i18n();
        Signal::derive(move || {
            let locale = i18n.locale.get();
            let now = value.get();
            local_message(locale, &now, self.tried.get(), required, check, rule_key)
                .or_else(|| self.server_message(locale, field, &now))
        })
    }

    /// The alert above the form: "correct the fields" while a field the server named still
    /// holds what was sent, nothing once they all changed, else the failure in words.
    pub fn summary(self, locale: Locale) -> Option<String> {
        let error = self.failure.get()?;
        let named: Vec<bool> = self.sent.with(|sent| {
            sent.iter()
                .filter(|(field, _, _)| {
                    error.field_message(field).is_some()
                        || names_field(&error, field, self.field_of_code)
                })
                .map(|(_, then, now)| now.with(|now| now == then))
                .collect()
        });
        if named.is_empty() {
            return Some((self.explain)(locale, &error));
        }
        named
            .contains(&true)
            .then(|| locale.text("fix_fields").to_owned())
    }

    /// Whether the server refused the session (render `ToSignIn`).
    pub fn signed_out(self) -> bool {
        self.failure.get().is_some_and(|e| e.is_unauthorized())
    }
}

#[cfg(test)]
mod tests {
    use shared::Problem;

    use super::*;

    fn check_domain(value: &str) -> Result<(), String> {
        shared::value::DomainName::parse(value)
            .map(drop)
            .map_err(|e| e.0)
    }

    #[test]
    fn fields_are_judged_as_typed() {
        assert_eq!(
            local_message(Locale::En, "", false, true, check_domain, "x"),
            None
        );
        assert_eq!(
            local_message(Locale::It, " ", true, true, check_domain, "x").as_deref(),
            Some("Questo campo è obbligatorio.")
        );
        assert_eq!(
            local_message(Locale::En, "", true, false, check_domain, "x"),
            None
        );
        assert_eq!(
            local_message(Locale::En, "localhost", false, true, check_domain, "x").as_deref(),
            Some("Must have at least two labels, like example.org.")
        );
        assert_eq!(
            local_message(Locale::En, "Esempio.IT", false, true, check_domain, "x"),
            None
        );
    }

    #[test]
    fn problems_name_their_field() {
        let no_code = |_| None;
        let email_code = |code| (code == ErrorCode::AddressTaken).then_some("email");
        let named = ClientError::Problem {
            problem: Box::new(Problem::new(ErrorCode::Conflict, "x").with("field", "name")),
            retry_after: None,
        };
        assert!(names_field(&named, "name", no_code));
        assert!(!names_field(&named, "email", email_code));
        let taken = ClientError::Problem {
            problem: Box::new(Problem::new(ErrorCode::AddressTaken, "x")),
            retry_after: None,
        };
        assert!(names_field(&taken, "email", email_code));
        assert!(!names_field(&taken, "email", no_code));
        assert!(!names_field(
            &ClientError::Network("x".into()),
            "name",
            no_code
        ));
    }
}
