//! Groups.

pub mod detail;
pub mod list;
mod members;

use leptos::prelude::*;
use serde_json::{Map, Value};
use shared::ErrorCode;
use shared::dto::Group;
use shared::value::{parse_name, parse_text};

use crate::api::ClientError;
use crate::components::field::TextField;
use crate::components::form_state::{Field, FormState, check_address, verdict};
use crate::components::problem::problem_text;
use crate::i18n::Locale;

/// The longest group name and description the server accepts.
const NAME_MAX: usize = 100;
const DESCRIPTION_MAX: usize = 500;

pub(crate) fn check_name(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, parse_name(value, NAME_MAX), "invalid.name")
}

pub(crate) fn check_description(locale: Locale, value: &str) -> Result<(), String> {
    verdict(
        locale,
        parse_text(value, DESCRIPTION_MAX),
        "groups.invalid_description",
    )
}

/// The field of a group form a problem code is about, when the server does not say.
pub(crate) fn field_of_code(code: ErrorCode) -> Option<&'static str> {
    match code {
        ErrorCode::Conflict => Some("name"),
        ErrorCode::AddressTaken | ErrorCode::AddressReserved | ErrorCode::DomainNotVerified => {
            Some("email")
        }
        _ => None,
    }
}

/// The name, description and address that both "Create a group" and a group's page edit.
#[derive(Clone, Copy)]
pub struct GroupFields {
    pub name: RwSignal<String>,
    pub description: RwSignal<String>,
    pub email: RwSignal<String>,
}

impl GroupFields {
    pub fn new(name: String, description: String, email: String) -> Self {
        Self {
            name: RwSignal::new(name),
            description: RwSignal::new(description),
            email: RwSignal::new(email),
        }
    }

    /// The fields with their server names, checks and rules: name (required), description,
    /// email.
    pub fn fields(self) -> [Field; 3] {
        [
            Field::new("name", self.name, check_name).required(),
            Field::new("description", self.description, check_description),
            Field::new("email", self.email, check_address),
        ]
    }

    /// (name, description, email) as typed.
    pub fn values(self) -> (String, String, String) {
        (
            self.name.get_untracked(),
            self.description.get_untracked(),
            self.email.get_untracked(),
        )
    }
}

/// The three labelled fields, each with its message beside it.
#[component]
pub fn GroupFieldsView(fields: GroupFields, form: FormState) -> impl IntoView {
    let [name, description, email] = fields.fields();
    let name_error = form.message(name);
    let description_error = form.message(description);
    let email_error = form.message(email);
    view! {
        <TextField
            id="group-name"
            name="name"
            label="groups.name"
            value=fields.name
            error=name_error
        />
        <TextField
            id="group-description"
            name="description"
            label="groups.description"
            hint="groups.description_hint"
            value=fields.description
            error=description_error
        />
        <TextField
            id="group-email"
            name="email"
            label="groups.address"
            kind="email"
            hint="groups.address_hint"
            value=fields.email
            error=email_error
        />
    }
}

/// A failed group call in words.
pub(crate) fn explain(locale: Locale, error: &ClientError) -> String {
    match error.code() {
        Some(ErrorCode::Conflict) => locale.text("groups.name_taken").to_owned(),
        Some(ErrorCode::NotFound) => locale.text("groups.not_found").to_owned(),
        _ => problem_text(locale, error),
    }
}

/// The merge patch from `group` to what the form holds: only the fields that changed; a
/// cleared description or address is `null`. Empty when nothing changed.
pub(crate) fn group_patch(
    group: &Group,
    name: &str,
    description: &str,
    email: &str,
) -> Map<String, Value> {
    let mut patch = Map::new();
    let cleared = |text: &str| {
        if text.is_empty() {
            Value::Null
        } else {
            Value::String(text.to_owned())
        }
    };
    let name = name.trim();
    if name != group.name {
        patch.insert("name".into(), Value::String(name.to_owned()));
    }
    let description = description.trim();
    if description != group.description.trim() {
        patch.insert("description".into(), cleared(description));
    }
    let email = email.trim();
    let current = group.email.as_deref().unwrap_or_default();
    if !email.eq_ignore_ascii_case(current) {
        patch.insert("email".into(), cleared(email));
    }
    patch
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde_json::json;
    use shared::Problem;
    use uuid::Uuid;

    use super::*;

    fn group() -> Group {
        Group {
            id: Uuid::nil(),
            name: "Sales".into(),
            description: "The sales team".into(),
            email: Some("sales@example.org".into()),
            member_count: 2,
            created_at: Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 0).unwrap(),
            updated_at: Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 0).unwrap(),
        }
    }

    #[test]
    fn patch_holds_only_what_changed() {
        let g = group();
        assert!(group_patch(&g, " Sales ", "The sales team", "Sales@Example.org").is_empty());
        assert_eq!(
            Value::Object(group_patch(
                &g,
                "Sales EU",
                "The sales team",
                "sales@example.org"
            )),
            json!({"name": "Sales EU"})
        );
        assert_eq!(
            Value::Object(group_patch(&g, "Sales", " ", "")),
            json!({"description": null, "email": null})
        );
        assert_eq!(
            Value::Object(group_patch(
                &g,
                "Sales",
                "The sales team",
                "team@example.org"
            )),
            json!({"email": "team@example.org"})
        );
    }

    #[test]
    fn problems_are_told_beside_their_field() {
        assert_eq!(field_of_code(ErrorCode::Conflict), Some("name"));
        assert_eq!(field_of_code(ErrorCode::AddressTaken), Some("email"));
        let conflict = ClientError::Problem {
            problem: Box::new(Problem::new(ErrorCode::Conflict, "x")),
            retry_after: None,
        };
        assert_eq!(
            explain(Locale::It, &conflict),
            "Esiste già un gruppo con questo nome."
        );
        assert!(check_description(Locale::En, "").is_ok());
        assert!(check_name(Locale::En, " ").is_err());
        assert!(check_address(Locale::En, "sales@").is_err());
    }
}
