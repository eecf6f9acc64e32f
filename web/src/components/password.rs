//! A new password's field: "Generate a password" (from the browser's cryptographic random
//! source), the generated password shown in the field so that it can be copied, and a strength
//! hint as the person types.

use leptos::prelude::*;
use shared::value::Password;

use crate::components::outcome::invalid;
use crate::i18n::use_i18n;

/// Characters of generated passwords: no look-alikes (`0 O o 1 l I`), nothing that needs quoting.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789-_.!?%+=";
/// 16 characters of a 64-character alphabet: 96 bits.
const GENERATED_LEN: usize = 16;

/// How hard a password is to guess, roughly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// Refused by the server's rule.
    Refused,
    Weak,
    Fair,
    Strong,
}

impl Strength {
    fn key(self) -> &'static str {
        match self {
            Strength::Refused => "users.password.refused",
            Strength::Weak => "users.password.weak",
            Strength::Fair => "users.password.fair",
            Strength::Strong => "users.password.strong",
        }
    }
}

/// The strength of `password` (`None` when empty): the bits of a random string of its length
/// over the character kinds it uses, counting a character that repeats the one before it as
/// half. Under 60 bits is weak, under 80 fair.
pub fn strength(password: &str) -> Option<Strength> {
    if password.is_empty() {
        return None;
    }
    if Password::parse(password).is_err() {
        return Some(Strength::Refused);
    }
    let (mut lower, mut upper, mut digit, mut other) = (false, false, false, false);
    let mut length = 0.0_f64;
    let mut previous = None;
    for c in password.chars() {
        if c.is_lowercase() {
            lower = true;
        } else if c.is_uppercase() {
            upper = true;
        } else if c.is_numeric() {
            digit = true;
        } else {
            other = true;
        }
        length += if previous == Some(c) { 0.5 } else { 1.0 };
        previous = Some(c);
    }
    let pool: f64 = [(lower, 26.0), (upper, 26.0), (digit, 10.0), (other, 33.0)]
        .iter()
        .filter(|(used, _)| *used)
        .map(|(_, size)| size)
        .sum();
    let bits = length * pool.log2();
    Some(if bits < 60.0 {
        Strength::Weak
    } else if bits < 80.0 {
        Strength::Fair
    } else {
        Strength::Strong
    })
}

/// A password of `len` characters of [`ALPHABET`] from random bytes, each byte used at most
/// once; `None` when the bytes run out. The alphabet has 64 characters, so every byte maps to
/// one without bias.
pub fn password_from(random: &[u8], len: usize) -> Option<String> {
    let password: String = random
        .iter()
        .take(len)
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    (password.chars().count() == len).then_some(password)
}

/// A new random password the server accepts, from the browser's `crypto.getRandomValues`.
fn generate() -> Option<String> {
    let crypto = web_sys::window()?.crypto().ok()?;
    for _ in 0..8 {
        let mut bytes = [0_u8; GENERATED_LEN];
        crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
        let password = password_from(&bytes, GENERATED_LEN)?;
        if Password::parse(&password).is_ok() {
            return Some(password);
        }
    }
    None
}

/// The field of a new password with its generator and strength hint. `label` is an i18n key;
/// `autofocus` for a page that is only this form (the mailed reset link's).
#[component]
pub fn NewPasswordField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    // Shown as text once generated, so that it can be read and copied.
    let shown = RwSignal::new(false);
    let generated = RwSignal::new(None::<bool>);
    let hint_id = format!("{id}-hint");
    let strength_id = format!("{id}-strength");
    let error_id = format!("{id}-error");
    let described_by = format!("{hint_id} {strength_id} {error_id}");
    let on_generate = move |_| match generate() {
        Some(password) => {
            value.set(password);
            shown.set(true);
            generated.set(Some(true));
        }
        None => generated.set(Some(false)),
    };
    let strength_text = Signal::derive(move || {
        let strength = value.with(|v| strength(v))?;
        Some(format!(
            "{} {}",
            i18n.t("users.password.strength"),
            i18n.t(strength.key())
        ))
    });
    let generated_text = Signal::derive(move || {
        let key = match generated.get()? {
            true => "users.password.generated",
            false => "users.password.no_random",
        };
        Some(i18n.t(key).to_owned())
    });
    let kind = Signal::derive(move || if shown.get() { "text" } else { "password" });
    view! {
        <div class="field">
            <label for=id>{i18n.tr(label)}</label>
            <div class="password-row">
                <input
                    id=id
                    name=name
                    type=kind
                    autocomplete="new-password"
                    spellcheck="false"
                    autofocus=autofocus
                    aria-invalid=invalid(error)
                    aria-describedby=described_by
                    bind:value=value
                />
                <button type="button" class="secondary" on:click=on_generate>
                    {i18n.tr("users.password.generate")}
                </button>
            </div>
            <p id=hint_id class="hint">{i18n.tr("password.hint")}</p>
            <p id=strength_id class="hint" aria-live="polite">{strength_text}</p>
            <p class="status" role="status">{generated_text}</p>
            <p id=error_id class="field-error" aria-live="polite">{error}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_use_every_byte_once() {
        let bytes: Vec<u8> = (0..=255).collect();
        let password = password_from(&bytes, 16).unwrap();
        assert_eq!(password, "ABCDEFGHJKLMNPQR");
        assert_eq!(password_from(&bytes[..3], 16), None);
        assert_eq!(ALPHABET.len(), 64);
        assert_eq!(password_from(&[63, 127, 255], 3).unwrap(), "===");
    }

    #[test]
    fn strength_grows_with_length_and_kinds() {
        assert_eq!(strength(""), None);
        assert_eq!(strength("abcdefghij"), Some(Strength::Refused));
        assert_eq!(strength("abcdefghi1"), Some(Strength::Weak));
        assert_eq!(strength("Abcdefghijk1"), Some(Strength::Fair));
        assert_eq!(strength("x7-Kq9!mZt2_Wp4e"), Some(Strength::Strong));
        // A run of one character counts little.
        assert_eq!(strength("Aaaaaaaaaaaaaaaaaaa1"), Some(Strength::Fair));
    }
}
