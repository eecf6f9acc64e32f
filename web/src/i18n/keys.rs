//! Texts of API keys.

pub static EN: &[(&str, &str)] = &[
    ("nav.api_keys", "API keys"),
    (
        "keys.intro",
        "A key lets a program (an HR system, a script, an identity provider) manage the organization without anyone's password. It acts as an administrator limited to the scopes you choose, and stops working the moment you revoke it.",
    ),
    ("keys.caption", "The organization's API keys"),
    ("keys.empty", "No API keys yet."),
    ("keys.name", "Name"),
    ("keys.prefix", "Starts with"),
    ("keys.scopes", "Scopes"),
    ("keys.expires", "Expires"),
    ("keys.last_used", "Last used"),
    ("keys.actions", "Actions"),
    ("keys.never", "Never"),
    ("keys.unused", "Not used yet"),
    ("keys.create", "Create a key"),
    ("keys.creating", "Creating the key…"),
    ("keys.expires_field", "Expires on (optional)"),
    (
        "keys.expires_hint",
        "The key stops working at the start of that day (UTC).",
    ),
    ("keys.invalid_date", "Must be a date."),
    ("keys.networks", "Allowed networks (optional)"),
    (
        "keys.networks_hint",
        "Networks the key may be used from, separated by commas, like 203.0.113.0/24. Empty: any.",
    ),
    ("keys.no_scope", "Choose at least one scope."),
    ("keys.secret_title", "The key “{name}” is ready"),
    (
        "keys.secret_once",
        "Copy its secret now and keep it safe: it is shown only this once. If it is lost, revoke the key and create another.",
    ),
    ("keys.copy", "Copy the secret"),
    ("keys.revoke", "Revoke…"),
    (
        "keys.revoke_confirm",
        "Revoke the key “{name}”? Programs using it stop working at once.",
    ),
    ("keys.revoke_yes", "Yes, revoke it"),
    ("keys.revoking", "Revoking the key…"),
    ("keys.not_found", "This key no longer exists."),
    (
        "keys.scope.accounts_read",
        "read users, their aliases and photos, plans",
    ),
    (
        "keys.scope.accounts_write",
        "create, edit, disable and delete users (free plan), their aliases, photos and passwords",
    ),
    (
        "keys.scope.billing_write",
        "paid plans (with the scope above) and top-up requests",
    ),
    (
        "keys.scope.credit_read",
        "read the credit, its transactions and top-ups",
    ),
    (
        "keys.scope.domains_read",
        "read email domains and mail routing",
    ),
    (
        "keys.scope.domains_write",
        "add, verify, check and remove email domains",
    ),
    ("keys.scope.groups_read", "read groups and their members"),
    (
        "keys.scope.groups_write",
        "create, edit and delete groups, add and remove members",
    ),
    ("keys.scope.audit_read", "read the audit log"),
    (
        "keys.scope.scim",
        "provisioning from an identity provider (SCIM)",
    ),
];

pub static IT: &[(&str, &str)] = &[
    ("nav.api_keys", "Chiavi API"),
    (
        "keys.intro",
        "Una chiave permette a un programma (un sistema HR, uno script, un provider di identità) di gestire l'organizzazione senza la password di nessuno. Agisce come un amministratore limitato agli ambiti che scegli, e smette di funzionare appena la revochi.",
    ),
    ("keys.caption", "Le chiavi API dell'organizzazione"),
    ("keys.empty", "Nessuna chiave API."),
    ("keys.name", "Nome"),
    ("keys.prefix", "Inizia con"),
    ("keys.scopes", "Ambiti"),
    ("keys.expires", "Scadenza"),
    ("keys.last_used", "Ultimo uso"),
    ("keys.actions", "Azioni"),
    ("keys.never", "Mai"),
    ("keys.unused", "Mai usata"),
    ("keys.create", "Crea una chiave"),
    ("keys.creating", "Creazione della chiave…"),
    ("keys.expires_field", "Scade il (facoltativo)"),
    (
        "keys.expires_hint",
        "La chiave smette di funzionare all'inizio di quel giorno (UTC).",
    ),
    ("keys.invalid_date", "Deve essere una data."),
    ("keys.networks", "Reti consentite (facoltativo)"),
    (
        "keys.networks_hint",
        "Le reti da cui la chiave può essere usata, separate da virgole, come 203.0.113.0/24. Vuoto: qualsiasi.",
    ),
    ("keys.no_scope", "Scegli almeno un ambito."),
    ("keys.secret_title", "La chiave “{name}” è pronta"),
    (
        "keys.secret_once",
        "Copia ora il suo segreto e custodiscilo: viene mostrato solo questa volta. Se lo perdi, revoca la chiave e creane un'altra.",
    ),
    ("keys.copy", "Copia il segreto"),
    ("keys.revoke", "Revoca…"),
    (
        "keys.revoke_confirm",
        "Revocare la chiave “{name}”? I programmi che la usano smettono subito di funzionare.",
    ),
    ("keys.revoke_yes", "Sì, revocala"),
    ("keys.revoking", "Revoca della chiave…"),
    ("keys.not_found", "Questa chiave non esiste più."),
    (
        "keys.scope.accounts_read",
        "leggere utenti, alias e foto, piani",
    ),
    (
        "keys.scope.accounts_write",
        "creare, modificare, disattivare ed eliminare utenti (piano gratuito), i loro alias, foto e password",
    ),
    (
        "keys.scope.billing_write",
        "piani a pagamento (con l'ambito sopra) e richieste di ricarica",
    ),
    (
        "keys.scope.credit_read",
        "leggere il credito, i movimenti e le ricariche",
    ),
    (
        "keys.scope.domains_read",
        "leggere i domini email e l'instradamento della posta",
    ),
    (
        "keys.scope.domains_write",
        "aggiungere, verificare, controllare e rimuovere domini email",
    ),
    ("keys.scope.groups_read", "leggere i gruppi e i loro membri"),
    (
        "keys.scope.groups_write",
        "creare, modificare ed eliminare gruppi, aggiungere e togliere membri",
    ),
    ("keys.scope.audit_read", "leggere il registro attività"),
    (
        "keys.scope.scim",
        "provisioning da un provider di identità (SCIM)",
    ),
];
