//! English and Italian. Each locale is a static table of key → text; the chosen [`Locale`] is a
//! signal provided through context and remembered in `localStorage`. Keys missing from a table
//! fall back to English, then to the key itself (a unit test keeps both tables in step).

use leptos::prelude::*;

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

    fn table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Locale::En => EN,
            Locale::It => IT,
        }
    }

    /// The text of `key` in this locale.
    pub fn text(self, key: &'static str) -> &'static str {
        lookup(self.table(), key)
            .or_else(|| lookup(EN, key))
            .unwrap_or(key)
    }
}

fn lookup(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
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

static EN: &[(&str, &str)] = &[
    ("language", "Language"),
    ("brand.home", "Postwarden, home"),
    ("nav.label", "Administration"),
    ("nav.users", "Users"),
    ("nav.groups", "Groups"),
    ("nav.domains", "Email domains"),
    ("nav.credit", "Credit"),
    ("nav.me", "Your account"),
    ("sign_out", "Sign out"),
    ("loading", "Loading…"),
    ("try_again", "Try again"),
    ("none", "None"),
    ("not_found.title", "Page not found"),
    ("not_found.text", "There is nothing at this address."),
    ("go_sign_in", "Go to sign in"),
    ("coming.text", "This section is coming soon."),
    // Sign-in
    ("sign_in.title", "Sign in"),
    ("sign_in.login", "Username or email"),
    ("sign_in.password", "Password"),
    ("sign_in.submit", "Sign in"),
    ("sign_in.pending", "Signing in…"),
    ("sign_in.wrong", "Wrong username or password."),
    ("fix_fields", "Please correct the fields below."),
    // Your account
    ("me.title", "Your account"),
    ("me.signed_in_as", "Signed in as"),
    ("me.role", "Role"),
    ("me.organization", "Organization"),
    ("me.email", "Primary email"),
    ("me.no_mailbox", "None (operators have no mailbox)"),
    ("role.operator", "Operator"),
    ("role.admin", "Administrator"),
    ("role.user", "User"),
    // Password reset
    ("reset.title", "Choose a new password"),
    (
        "reset.no_token",
        "This link has no token. Open the link from the email again.",
    ),
    (
        "reset.invalid_link",
        "This link is unknown, used or expired. Ask for a new one.",
    ),
    ("reset.new_password", "New password"),
    ("reset.other_password", "Please choose another password."),
    ("reset.submit", "Set the new password"),
    ("reset.done", "Your password has been changed."),
    ("reset.sign_in", "Sign in with the new password"),
    (
        "password.hint",
        "10 to 128 characters, mixing letters and digits, upper and lower case, or symbols.",
    ),
    // Users
    ("users.title", "Users"),
    ("users.add", "Add a user"),
    ("users.search", "Search users"),
    (
        "users.search_hint",
        "The start of a name, username or address.",
    ),
    ("users.caption", "The organization's users"),
    ("users.name", "Name"),
    ("users.username", "Username"),
    ("users.email", "Email"),
    ("users.plan", "Plan"),
    ("users.status", "Status"),
    ("users.empty", "No users match."),
    ("users.load_more", "Load more"),
    ("users.more_details", "More details"),
    ("status.active", "Active"),
    ("status.disabled", "Disabled"),
    // Add a user
    ("new.first_name", "First name"),
    ("new.last_name", "Last name"),
    ("new.username", "Username"),
    ("new.email", "Email"),
    ("new.password", "Password"),
    ("new.plan", "Plan"),
    ("new.submit", "Add a user"),
    ("new.pending", "Adding the user…"),
    ("new.cancel", "Back to users"),
    (
        "new.plans_failed",
        "The plans could not be loaded; the free plan will be used.",
    ),
    ("new.per_month", "{price} a month"),
    ("new.free", "free"),
    ("invalid.required", "This field is required."),
    (
        "invalid.name",
        "Must be 1 to 100 characters, without control characters.",
    ),
    (
        "invalid.username",
        "Must be 3 to 64 characters: letters a-z, digits, '.', '_' and '-'.",
    ),
    ("invalid.email", "Must look like name@example.org."),
    (
        "invalid.password",
        "Must be 10 to 128 characters, mixing letters and digits, upper and lower case, or symbols.",
    ),
    // User details
    ("detail.title", "User details"),
    ("detail.name", "Name"),
    ("detail.email", "Primary email"),
    ("detail.aliases", "Aliases"),
    ("detail.plan", "Plan"),
    ("detail.renews", "Renews on"),
    ("detail.status", "Status"),
    ("detail.owner", "Organization owner"),
    ("detail.groups", "Groups"),
    ("detail.personal", "Personal data"),
    ("detail.external_email", "External email"),
    ("detail.mobile_phone", "Mobile phone"),
    ("detail.postal_address", "Postal address"),
    ("detail.birthdate", "Birthdate"),
    ("detail.created", "Created"),
    ("detail.back", "Back to users"),
    (
        "detail.not_found",
        "There is no such user in your organization.",
    ),
    ("yes", "Yes"),
    ("no", "No"),
    // Guide wording for actions still to come
    ("action.change_subscription", "Change subscription"),
    ("action.new_password", "New password"),
    ("action.add_alias", "Add an alias"),
    ("action.disable", "Disable account"),
    ("action.enable", "Enable account"),
    ("action.delete", "Delete account"),
    // Problems
    ("problem.network", "Could not reach the server."),
    (
        "problem.unexpected",
        "The server answered unexpectedly (HTTP {status}).",
    ),
    (
        "problem.rate_limited",
        "Too many attempts, try again in a while.",
    ),
    ("problem.forbidden", "Only administrators can do this."),
    ("problem.not_found", "Not found."),
    ("problem.username_taken", "This username is already used."),
    ("problem.address_taken", "This address is already used."),
    ("problem.address_reserved", "This address is reserved."),
    (
        "problem.limit_reached",
        "Your plan's limit would be exceeded ({cap}).",
    ),
    (
        "problem.limit_reached_any",
        "A limit of your plan would be exceeded.",
    ),
    (
        "problem.credit_insufficient",
        "The credit is not enough: {missing} more is needed.",
    ),
    (
        "problem.credit_insufficient_any",
        "The credit does not cover this plan.",
    ),
    (
        "problem.domain_not_verified",
        "The address's domain is not verified yet.",
    ),
    ("cap.accounts", "users"),
    ("cap.free_accounts", "free users"),
    ("cap.domains", "domains"),
    ("cap.aliases", "aliases"),
];

static IT: &[(&str, &str)] = &[
    ("language", "Lingua"),
    ("brand.home", "Postwarden, home"),
    ("nav.label", "Amministrazione"),
    ("nav.users", "Utenti"),
    ("nav.groups", "Gruppi"),
    ("nav.domains", "Domini email"),
    ("nav.credit", "Credito"),
    ("nav.me", "Il tuo account"),
    ("sign_out", "Esci"),
    ("loading", "Caricamento…"),
    ("try_again", "Riprova"),
    ("none", "Nessuno"),
    ("not_found.title", "Pagina non trovata"),
    ("not_found.text", "Non c'è niente a questo indirizzo."),
    ("go_sign_in", "Vai all'accesso"),
    ("coming.text", "Questa sezione arriverà presto."),
    // Sign-in
    ("sign_in.title", "Accedi"),
    ("sign_in.login", "Nome utente o email"),
    ("sign_in.password", "Password"),
    ("sign_in.submit", "Accedi"),
    ("sign_in.pending", "Accesso in corso…"),
    ("sign_in.wrong", "Nome utente o password errati."),
    ("fix_fields", "Correggi i campi qui sotto."),
    // Your account
    ("me.title", "Il tuo account"),
    ("me.signed_in_as", "Accesso effettuato come"),
    ("me.role", "Ruolo"),
    ("me.organization", "Organizzazione"),
    ("me.email", "Email principale"),
    ("me.no_mailbox", "Nessuna (gli operatori non hanno casella)"),
    ("role.operator", "Operatore"),
    ("role.admin", "Amministratore"),
    ("role.user", "Utente"),
    // Password reset
    ("reset.title", "Scegli una nuova password"),
    (
        "reset.no_token",
        "Questo link non contiene un token. Apri di nuovo il link dall'email.",
    ),
    (
        "reset.invalid_link",
        "Questo link è sconosciuto, già usato o scaduto. Chiedine uno nuovo.",
    ),
    ("reset.new_password", "Nuova password"),
    ("reset.other_password", "Scegli un'altra password."),
    ("reset.submit", "Imposta la nuova password"),
    ("reset.done", "La password è stata cambiata."),
    ("reset.sign_in", "Accedi con la nuova password"),
    (
        "password.hint",
        "Da 10 a 128 caratteri, mescolando lettere e cifre, maiuscole e minuscole, o simboli.",
    ),
    // Users
    ("users.title", "Utenti"),
    ("users.add", "Aggiungi un utente"),
    ("users.search", "Cerca utenti"),
    (
        "users.search_hint",
        "L'inizio di un nome, di un nome utente o di un indirizzo.",
    ),
    ("users.caption", "Gli utenti dell'organizzazione"),
    ("users.name", "Nome"),
    ("users.username", "Nome utente"),
    ("users.email", "Email"),
    ("users.plan", "Piano"),
    ("users.status", "Stato"),
    ("users.empty", "Nessun utente corrisponde."),
    ("users.load_more", "Carica altri"),
    ("users.more_details", "Più dettagli"),
    ("status.active", "Attivo"),
    ("status.disabled", "Disabilitato"),
    // Add a user
    ("new.first_name", "Nome"),
    ("new.last_name", "Cognome"),
    ("new.username", "Nome utente"),
    ("new.email", "Email"),
    ("new.password", "Password"),
    ("new.plan", "Piano"),
    ("new.submit", "Aggiungi un utente"),
    ("new.pending", "Aggiunta dell'utente in corso…"),
    ("new.cancel", "Torna agli utenti"),
    (
        "new.plans_failed",
        "Non è stato possibile caricare i piani; verrà usato il piano gratuito.",
    ),
    ("new.per_month", "{price} al mese"),
    ("new.free", "gratuito"),
    ("invalid.required", "Questo campo è obbligatorio."),
    (
        "invalid.name",
        "Deve avere da 1 a 100 caratteri, senza caratteri di controllo.",
    ),
    (
        "invalid.username",
        "Deve avere da 3 a 64 caratteri: lettere a-z, cifre, '.', '_' e '-'.",
    ),
    ("invalid.email", "Deve avere la forma nome@esempio.it."),
    (
        "invalid.password",
        "Deve avere da 10 a 128 caratteri, mescolando lettere e cifre, maiuscole e minuscole, o simboli.",
    ),
    // User details
    ("detail.title", "Dettagli dell'utente"),
    ("detail.name", "Nome"),
    ("detail.email", "Email principale"),
    ("detail.aliases", "Alias"),
    ("detail.plan", "Piano"),
    ("detail.renews", "Si rinnova il"),
    ("detail.status", "Stato"),
    ("detail.owner", "Titolare dell'organizzazione"),
    ("detail.groups", "Gruppi"),
    ("detail.personal", "Dati personali"),
    ("detail.external_email", "Email esterna"),
    ("detail.mobile_phone", "Cellulare"),
    ("detail.postal_address", "Indirizzo postale"),
    ("detail.birthdate", "Data di nascita"),
    ("detail.created", "Creato"),
    ("detail.back", "Torna agli utenti"),
    (
        "detail.not_found",
        "Questo utente non esiste nella tua organizzazione.",
    ),
    ("yes", "Sì"),
    ("no", "No"),
    // Guide wording for actions still to come
    ("action.change_subscription", "Cambia abbonamento"),
    ("action.new_password", "Nuova password"),
    ("action.add_alias", "Aggiungi un alias"),
    ("action.disable", "Disabilita account"),
    ("action.enable", "Abilita un account"),
    ("action.delete", "Elimina account"),
    // Problems
    ("problem.network", "Impossibile raggiungere il server."),
    (
        "problem.unexpected",
        "Il server ha risposto in modo inatteso (HTTP {status}).",
    ),
    (
        "problem.rate_limited",
        "Troppi tentativi, riprova tra un po'.",
    ),
    (
        "problem.forbidden",
        "Solo gli amministratori possono farlo.",
    ),
    ("problem.not_found", "Non trovato."),
    ("problem.username_taken", "Questo nome utente è già usato."),
    ("problem.address_taken", "Questo indirizzo è già usato."),
    ("problem.address_reserved", "Questo indirizzo è riservato."),
    (
        "problem.limit_reached",
        "Si supererebbe un limite del tuo piano ({cap}).",
    ),
    (
        "problem.limit_reached_any",
        "Si supererebbe un limite del tuo piano.",
    ),
    (
        "problem.credit_insufficient",
        "Il credito non basta: mancano {missing}.",
    ),
    (
        "problem.credit_insufficient_any",
        "Il credito non copre questo piano.",
    ),
    (
        "problem.domain_not_verified",
        "Il dominio dell'indirizzo non è ancora verificato.",
    ),
    ("cap.accounts", "utenti"),
    ("cap.free_accounts", "utenti gratuiti"),
    ("cap.domains", "domini"),
    ("cap.aliases", "alias"),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(table: &[(&'static str, &str)]) -> BTreeSet<&'static str> {
        table.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn both_locales_have_the_same_keys() {
        let en = keys(EN);
        let it = keys(IT);
        assert_eq!(en.len(), EN.len(), "a key is repeated in EN");
        assert_eq!(it.len(), IT.len(), "a key is repeated in IT");
        let only_en: Vec<_> = en.difference(&it).collect();
        let only_it: Vec<_> = it.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in IT: {only_en:?}");
        assert!(only_it.is_empty(), "missing in EN: {only_it:?}");
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
