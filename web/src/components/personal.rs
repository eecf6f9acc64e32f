//! "More details": a person's names (admins only) and personal data (external email, mobile
//! phone, postal address, birthdate), saved as a merge patch of the fields that changed. Serves
//! both `/me` and an admin's view of an account.

use chrono::Utc;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{Account, AccountPatch, PersonalInput, PostalAddress};
use shared::value::{CountryCode, PhoneNumber, parse_birthdate, parse_text};

use crate::api::{self, ClientError, Profile};
use crate::components::field::TextField;
use crate::components::form_state::{
    Field, FormState, check_external_email, check_name, failure_of, no_code_field, verdict,
};
use crate::components::outcome::{Done, busy};
use crate::i18n::{Locale, use_i18n};

fn check_phone(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, PhoneNumber::parse(value), "users.invalid.phone")
}

fn check_country(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, CountryCode::parse(value), "users.invalid.country")
}

fn check_birthdate(locale: Locale, value: &str) -> Result<(), String> {
    // In the browser, the person's own today; the server checks again against its clock.
    #[allow(clippy::disallowed_methods)]
    let today = Utc::now().date_naive();
    verdict(
        locale,
        parse_birthdate(value, today),
        "users.invalid.birthdate",
    )
}

fn check_street(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, parse_text(value, 200), "users.invalid.text")
}

fn check_postal_code(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, parse_text(value, 20), "users.invalid.text")
}

fn check_place(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, parse_text(value, 100), "users.invalid.text")
}

/// What the form holds, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonalValues {
    pub first_name: String,
    pub last_name: String,
    pub external_email: String,
    pub mobile_phone: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub region: String,
    pub country: String,
    /// `YYYY-MM-DD`, as a date input gives it.
    pub birthdate: String,
}

impl PersonalValues {
    pub fn of(account: &Account) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let personal = &account.personal;
        let postal = &personal.postal_address;
        Self {
            first_name: account.first_name.clone(),
            last_name: account.last_name.clone(),
            external_email: text(&personal.external_email),
            mobile_phone: text(&personal.mobile_phone),
            street: text(&postal.street),
            postal_code: text(&postal.postal_code),
            city: text(&postal.city),
            region: text(&postal.region),
            country: text(&postal.country),
            birthdate: personal
                .birthdate
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        }
    }

    /// The merge patch from `before` to these values: only what changed, an emptied field as
    /// `""` (which the server takes as clearing it), the postal address whole when any part of
    /// it changed. `None` when nothing changed.
    pub fn patch(&self, before: &Self, with_names: bool) -> Option<AccountPatch> {
        let changed = |now: &String, then: &String| {
            (now.trim() != then.trim()).then(|| now.trim().to_owned())
        };
        let postal_changed = [
            (&self.street, &before.street),
            (&self.postal_code, &before.postal_code),
            (&self.city, &before.city),
            (&self.region, &before.region),
            (&self.country, &before.country),
        ]
        .iter()
        .any(|(now, then)| now.trim() != then.trim());
        let whole = |v: &String| Some(v.trim().to_owned());
        let personal = PersonalInput {
            external_email: changed(&self.external_email, &before.external_email),
            mobile_phone: changed(&self.mobile_phone, &before.mobile_phone),
            postal_address: postal_changed.then(|| PostalAddress {
                street: whole(&self.street),
                postal_code: whole(&self.postal_code),
                city: whole(&self.city),
                region: whole(&self.region),
                country: whole(&self.country),
            }),
            birthdate: changed(&self.birthdate, &before.birthdate),
        };
        let patch = AccountPatch {
            first_name: changed(&self.first_name, &before.first_name).filter(|_| with_names),
            last_name: changed(&self.last_name, &before.last_name).filter(|_| with_names),
            personal: (personal != PersonalInput::default()).then_some(personal),
            current_password: None,
        };
        (patch.first_name.is_some() || patch.last_name.is_some() || patch.personal.is_some())
            .then_some(patch)
    }
}

/// Where a field's value lives in [`PersonalValues`].
type Slot = fn(&mut PersonalValues) -> &mut String;

/// One signal per field of the form.
#[derive(Clone, Copy)]
struct Inputs {
    first_name: RwSignal<String>,
    last_name: RwSignal<String>,
    external_email: RwSignal<String>,
    mobile_phone: RwSignal<String>,
    street: RwSignal<String>,
    postal_code: RwSignal<String>,
    city: RwSignal<String>,
    region: RwSignal<String>,
    country: RwSignal<String>,
    birthdate: RwSignal<String>,
}

impl Inputs {
    fn new(values: PersonalValues) -> Self {
        Self {
            first_name: RwSignal::new(values.first_name),
            last_name: RwSignal::new(values.last_name),
            external_email: RwSignal::new(values.external_email),
            mobile_phone: RwSignal::new(values.mobile_phone),
            street: RwSignal::new(values.street),
            postal_code: RwSignal::new(values.postal_code),
            city: RwSignal::new(values.city),
            region: RwSignal::new(values.region),
            country: RwSignal::new(values.country),
            birthdate: RwSignal::new(values.birthdate),
        }
    }

    fn pairs(self) -> [(RwSignal<String>, Slot); 10] {
        [
            (self.first_name, |v| &mut v.first_name),
            (self.last_name, |v| &mut v.last_name),
            (self.external_email, |v| &mut v.external_email),
            (self.mobile_phone, |v| &mut v.mobile_phone),
            (self.street, |v| &mut v.street),
            (self.postal_code, |v| &mut v.postal_code),
            (self.city, |v| &mut v.city),
            (self.region, |v| &mut v.region),
            (self.country, |v| &mut v.country),
            (self.birthdate, |v| &mut v.birthdate),
        ]
    }

    fn values(self) -> PersonalValues {
        let mut values = PersonalValues::default();
        for (signal, slot) in self.pairs() {
            *slot(&mut values) = signal.get_untracked();
        }
        values
    }

    fn set(self, mut values: PersonalValues) {
        for (signal, slot) in self.pairs() {
            signal.set(std::mem::take(slot(&mut values)));
        }
    }

    /// The fields this side checks, with the server's names for them.
    fn fields(self, with_names: bool) -> Vec<Field> {
        let mut fields = Vec::with_capacity(10);
        if with_names {
            fields.push(Field::new("first_name", self.first_name, check_name).required());
            fields.push(Field::new("last_name", self.last_name, check_name).required());
        }
        fields.extend([
            Field::new(
                "personal.external_email",
                self.external_email,
                check_external_email,
            ),
            Field::new("personal.mobile_phone", self.mobile_phone, check_phone),
            Field::new("personal.postal_address.street", self.street, check_street),
            Field::new(
                "personal.postal_address.postal_code",
                self.postal_code,
                check_postal_code,
            ),
            Field::new("personal.postal_address.city", self.city, check_place),
            Field::new("personal.postal_address.region", self.region, check_place),
            Field::new(
                "personal.postal_address.country",
                self.country,
                check_country,
            ),
            Field::new("personal.birthdate", self.birthdate, check_birthdate),
        ]);
        fields
    }
}

/// The server checks the current password itself.
fn check_nothing(_: Locale, _: &str) -> Result<(), String> {
    Ok(())
}

/// The "More details" form. `account` is updated with the server's answer once saved; names
/// are offered only `with_names` (admins; `/me` accepts personal data only). On one's `own`
/// account, a change of the external email (where reset links go) asks for the current
/// password too.
#[component]
pub fn PersonalForm(
    profile: Profile,
    account: RwSignal<Account>,
    with_names: bool,
    #[prop(into)] own: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let before = RwSignal::new(PersonalValues::of(&account.get_untracked()));
    let inputs = Inputs::new(before.get_untracked());
    let current_password = RwSignal::new(String::new());
    let asks_password = Signal::derive(move || {
        own.get()
            && inputs.external_email.with(|now| now.trim().to_owned())
                != before.with(|b| b.external_email.trim().to_owned())
    });
    let outcome = RwSignal::new(None::<&'static str>);
    let save = Action::new_local(move |patch: &AccountPatch| {
        let patch = patch.clone();
        async move {
            let updated =
                api::authorized(move |token| api::update_profile(token, profile, patch.clone()))
                    .await?;
            // The server's way of writing them (an E.164 phone, an uppercase country).
            let values = PersonalValues::of(&updated);
            before.set(values.clone());
            inputs.set(values);
            current_password.set(String::new());
            account.set(updated);
            outcome.set(Some("users.personal.saved"));
            Ok::<(), ClientError>(())
        }
    });
    let pending = save.pending();
    let state = FormState::new(failure_of(save), no_code_field);
    let password_field = Field::new("current_password", current_password, check_nothing);
    let mut all = inputs.fields(true);
    all.push(password_field);
    let message = |i: usize| state.message(all[i]);
    let current_password_error = message(10);
    let status = Signal::derive(move || {
        if pending.get() {
            Some(i18n.t("users.saving").to_owned())
        } else {
            outcome.get().map(|key| i18n.t(key).to_owned())
        }
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        outcome.set(None);
        let mut fields = inputs.fields(with_names);
        if asks_password.get_untracked() {
            fields.push(password_field);
        }
        if pending.get_untracked() || !state.ready(&fields) {
            return;
        }
        match inputs.values().patch(&before.get_untracked(), with_names) {
            Some(mut patch) => {
                if asks_password.get_untracked() {
                    patch.current_password = Some(current_password.get_untracked());
                }
                save.dispatch(patch);
            }
            None => outcome.set(Some("users.personal.unchanged")),
        }
    };
    let names = with_names.then(|| {
        view! {
            <TextField
                id="first-name"
                name="first_name"
                label="users.first_name"
                value=inputs.first_name
                error=message(0)
            />
            <TextField
                id="last-name"
                name="last_name"
                label="users.last_name"
                value=inputs.last_name
                error=message(1)
            />
        }
    });

    view! {
        <section class="panel" aria-labelledby="personal-heading">
            <h2 id="personal-heading">{i18n.tr("users.personal.title")}</h2>
            <p class="hint">{i18n.tr("users.personal.intro")}</p>
            <form on:submit=on_submit novalidate>
                <p class="error" role="alert">{state.summary()}</p>
                {names}
                <TextField
                    id="external-email"
                    name="external_email"
                    label="users.personal.external_email"
                    kind="email"
                    hint="users.personal.external_email_hint"
                    value=inputs.external_email
                    error=message(2)
                />
                <Show when=move || asks_password.get()>
                    <TextField
                        id="current-password-recovery"
                        name="current_password"
                        label="users.personal.current_password"
                        kind="password"
                        autocomplete="current-password"
                        hint="users.personal.current_password_hint"
                        value=current_password
                        error=current_password_error
                    />
                </Show>
                <TextField
                    id="mobile-phone"
                    name="mobile_phone"
                    label="users.personal.mobile_phone"
                    kind="tel"
                    hint="users.personal.mobile_phone_hint"
                    value=inputs.mobile_phone
                    error=message(3)
                />
                <fieldset>
                    <legend>{i18n.tr("users.personal.postal_address")}</legend>
                    <TextField
                        id="street"
                        name="street"
                        label="users.personal.street"
                        value=inputs.street
                        error=message(4)
                    />
                    <TextField
                        id="postal-code"
                        name="postal_code"
                        label="users.personal.postal_code"
                        value=inputs.postal_code
                        error=message(5)
                    />
                    <TextField
                        id="city"
                        name="city"
                        label="users.personal.city"
                        value=inputs.city
                        error=message(6)
                    />
                    <TextField
                        id="region"
                        name="region"
                        label="users.personal.region"
                        value=inputs.region
                        error=message(7)
                    />
                    <TextField
                        id="country"
                        name="country"
                        label="users.personal.country"
                        hint="users.personal.country_hint"
                        value=inputs.country
                        error=message(8)
                    />
                </fieldset>
                <TextField
                    id="birthdate"
                    name="birthdate"
                    label="users.personal.birthdate"
                    kind="date"
                    value=inputs.birthdate
                    error=message(9)
                />
                <div class="actions">
                    <button type="submit" aria-busy=busy(pending)>
                        {i18n.tr("users.save")}
                    </button>
                </div>
                <Done failure=state.failure_signal() done=status />
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> PersonalValues {
        PersonalValues {
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            external_email: "ada@example.org".into(),
            city: "London".into(),
            country: "GB".into(),
            ..PersonalValues::default()
        }
    }

    #[test]
    fn nothing_changed_is_no_patch() {
        assert!(values().patch(&values(), true).is_none());
        let mut spaced = values();
        spaced.city = " London ".into();
        assert!(spaced.patch(&values(), true).is_none());
    }

    #[test]
    fn only_changed_fields_are_sent_and_emptied_ones_clear() {
        let mut now = values();
        now.external_email = String::new();
        now.mobile_phone = "+39 333 123 4567".into();
        let patch = now.patch(&values(), true).unwrap();
        let json = serde_json::to_value(&patch).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"personal": {"external_email": "", "mobile_phone": "+39 333 123 4567"}})
        );
    }

    #[test]
    fn the_postal_address_goes_whole() {
        let mut now = values();
        now.street = "1 Main St".into();
        let json = serde_json::to_value(now.patch(&values(), false).unwrap()).unwrap();
        assert_eq!(
            json["personal"]["postal_address"],
            serde_json::json!({"street": "1 Main St", "postal_code": "", "city": "London", "region": "", "country": "GB"})
        );
    }

    #[test]
    fn names_only_when_allowed() {
        let mut now = values();
        now.first_name = "Augusta".into();
        assert!(now.patch(&values(), false).is_none());
        let json = serde_json::to_value(now.patch(&values(), true).unwrap()).unwrap();
        assert_eq!(json, serde_json::json!({"first_name": "Augusta"}));
    }
}
