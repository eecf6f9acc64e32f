//! Texts of the operator's screens: organizations, top-ups, plans.

pub static EN: &[(&str, &str)] = &[
    (
        "operator.forbidden",
        "Only the provider's operators can open this screen.",
    ),
    ("operator.actions", "Actions"),
    ("operator.cancel", "Cancel"),
    ("operator.invalid_zero", "Must not be zero."),
    (
        "operator.invalid_whole",
        "Must be a whole number from {min} to {max}.",
    ),
    (
        "operator.invalid_memo",
        "Must be 1 to 500 characters, without control characters.",
    ),
    // Organizations
    ("operator.orgs.caption", "Every organization, oldest first"),
    ("operator.orgs.name", "Name"),
    ("operator.orgs.owner", "Owner"),
    ("operator.orgs.plan", "Plan"),
    ("operator.orgs.balance", "Credit balance"),
    ("operator.orgs.created", "Created"),
    ("operator.orgs.empty", "There are no organizations yet."),
    // Create an organization
    ("operator.create.title", "Create an organization"),
    ("operator.create.name", "Organization name"),
    ("operator.create.external", "External email (optional)"),
    (
        "operator.create.external_hint",
        "Where the owner's password reset links are sent.",
    ),
    ("operator.create.submit", "Create an organization"),
    ("operator.create.pending", "Creating the organization…"),
    (
        "operator.create.done",
        "Organization {name} created. Its owner signs in as {username}.",
    ),
    // Credit adjustment
    ("operator.adjust.title", "Credit adjustment"),
    ("operator.adjust.open", "Adjust credit"),
    ("operator.adjust.open_for", "Adjust credit for {name}"),
    (
        "operator.adjust.close_for",
        "Cancel the credit adjustment for {name}",
    ),
    ("operator.adjust.amount", "Amount"),
    (
        "operator.adjust.amount_hint",
        "Signed, like 12.50 or -5,00: a positive amount adds credit, a negative one takes it off.",
    ),
    ("operator.adjust.memo", "Memo"),
    (
        "operator.adjust.memo_hint",
        "Why: it is kept in the organization's ledger.",
    ),
    ("operator.adjust.submit", "Adjust credit"),
    ("operator.adjust.pending", "Adjusting the credit…"),
    (
        "operator.adjust.done",
        "Credit of {name} adjusted by {amount}: the balance is now {balance}.",
    ),
    (
        "operator.adjust.insufficient",
        "The balance may not go below zero: this would take the credit of {name} {missing} below zero (its balance is {balance}).",
    ),
    // Top-ups
    (
        "operator.top_ups.caption",
        "Top-ups of every organization, newest first",
    ),
    ("operator.top_ups.show", "Status"),
    ("operator.top_ups.show_pending", "Pending"),
    ("operator.top_ups.show_credited", "Credited"),
    ("operator.top_ups.show_all", "All"),
    ("operator.top_ups.organization", "Organization"),
    ("operator.top_ups.amount", "Amount"),
    ("operator.top_ups.requested", "Requested at"),
    ("operator.top_ups.status", "Status"),
    ("operator.top_ups.pending", "Pending"),
    ("operator.top_ups.credited", "Credited"),
    ("operator.top_ups.confirm", "Confirm"),
    (
        "operator.top_ups.confirm_for",
        "Confirm top-up of {amount} for {organization}",
    ),
    ("operator.top_ups.confirming", "Confirming the top-up…"),
    (
        "operator.top_ups.done",
        "Top-up of {amount} for {organization} confirmed: the credit was added.",
    ),
    ("operator.top_ups.empty", "No top-ups to show."),
    // Plans
    ("operator.plans.caption", "The plan catalog, cheapest first"),
    ("operator.plans.code", "Code"),
    ("operator.plans.name", "Name"),
    ("operator.plans.monthly", "Monthly price"),
    ("operator.plans.yearly", "Yearly price"),
    ("operator.plans.aliases", "Max aliases"),
    ("operator.plans.storage", "Storage (MB)"),
    ("operator.plans.caps", "Caps"),
    (
        "operator.plans.caps_text",
        "users: {accounts}, free: {free}, domains: {domains}",
    ),
    ("operator.plans.empty", "The catalog is empty."),
    ("operator.plans.edit", "Edit"),
    ("operator.plans.edit_for", "Edit plan {name}"),
    (
        "operator.plans.price_hint",
        "Like 4.50 or 4,50; 0 makes the plan free. The yearly price follows from it.",
    ),
    ("operator.plans.cap_accounts", "Maximum users"),
    ("operator.plans.cap_free", "Maximum free users"),
    ("operator.plans.cap_domains", "Maximum domains"),
    ("operator.plans.save", "Save"),
    ("operator.plans.saving", "Saving the plan…"),
    ("operator.plans.done", "Plan {name} saved."),
];

pub static IT: &[(&str, &str)] = &[
    (
        "operator.forbidden",
        "Solo gli operatori del fornitore possono aprire questa schermata.",
    ),
    ("operator.actions", "Azioni"),
    ("operator.cancel", "Annulla"),
    ("operator.invalid_zero", "Non deve essere zero."),
    (
        "operator.invalid_whole",
        "Deve essere un numero intero da {min} a {max}.",
    ),
    (
        "operator.invalid_memo",
        "Deve avere da 1 a 500 caratteri, senza caratteri di controllo.",
    ),
    // Organizations
    (
        "operator.orgs.caption",
        "Tutte le organizzazioni, dalla più vecchia",
    ),
    ("operator.orgs.name", "Nome"),
    ("operator.orgs.owner", "Titolare"),
    ("operator.orgs.plan", "Piano"),
    ("operator.orgs.balance", "Saldo del credito"),
    ("operator.orgs.created", "Creata"),
    ("operator.orgs.empty", "Non ci sono ancora organizzazioni."),
    // Create an organization
    ("operator.create.title", "Crea un'organizzazione"),
    ("operator.create.name", "Nome dell'organizzazione"),
    ("operator.create.external", "Email esterna (facoltativa)"),
    (
        "operator.create.external_hint",
        "Dove vengono inviati al titolare i link per reimpostare la password.",
    ),
    ("operator.create.submit", "Crea un'organizzazione"),
    (
        "operator.create.pending",
        "Creazione dell'organizzazione in corso…",
    ),
    (
        "operator.create.done",
        "Organizzazione {name} creata. Il titolare accede come {username}.",
    ),
    // Credit adjustment
    ("operator.adjust.title", "Rettifica del credito"),
    ("operator.adjust.open", "Rettifica il credito"),
    ("operator.adjust.open_for", "Rettifica il credito di {name}"),
    (
        "operator.adjust.close_for",
        "Annulla la rettifica del credito di {name}",
    ),
    ("operator.adjust.amount", "Importo"),
    (
        "operator.adjust.amount_hint",
        "Con segno, come 12,50 o -5.00: un importo positivo aggiunge credito, uno negativo lo toglie.",
    ),
    ("operator.adjust.memo", "Causale"),
    (
        "operator.adjust.memo_hint",
        "Il motivo: resta nel registro dei movimenti dell'organizzazione.",
    ),
    ("operator.adjust.submit", "Rettifica il credito"),
    ("operator.adjust.pending", "Rettifica del credito in corso…"),
    (
        "operator.adjust.done",
        "Credito di {name} rettificato di {amount}: il saldo ora è {balance}.",
    ),
    (
        "operator.adjust.insufficient",
        "Il saldo non può scendere sotto zero: il credito di {name} andrebbe sotto zero di {missing} (il saldo è {balance}).",
    ),
    // Top-ups
    (
        "operator.top_ups.caption",
        "Ricariche di tutte le organizzazioni, dalla più recente",
    ),
    ("operator.top_ups.show", "Stato"),
    ("operator.top_ups.show_pending", "In attesa"),
    ("operator.top_ups.show_credited", "Accreditate"),
    ("operator.top_ups.show_all", "Tutte"),
    ("operator.top_ups.organization", "Organizzazione"),
    ("operator.top_ups.amount", "Importo"),
    ("operator.top_ups.requested", "Richiesta il"),
    ("operator.top_ups.status", "Stato"),
    ("operator.top_ups.pending", "In attesa"),
    ("operator.top_ups.credited", "Accreditata"),
    ("operator.top_ups.confirm", "Conferma"),
    (
        "operator.top_ups.confirm_for",
        "Conferma la ricarica di {amount} per {organization}",
    ),
    (
        "operator.top_ups.confirming",
        "Conferma della ricarica in corso…",
    ),
    (
        "operator.top_ups.done",
        "Ricarica di {amount} per {organization} confermata: il credito è stato aggiunto.",
    ),
    ("operator.top_ups.empty", "Nessuna ricarica da mostrare."),
    // Plans
    (
        "operator.plans.caption",
        "Il catalogo dei piani, dal più economico",
    ),
    ("operator.plans.code", "Codice"),
    ("operator.plans.name", "Nome"),
    ("operator.plans.monthly", "Prezzo mensile"),
    ("operator.plans.yearly", "Prezzo annuale"),
    ("operator.plans.aliases", "Alias massimi"),
    ("operator.plans.storage", "Spazio (MB)"),
    ("operator.plans.caps", "Limiti"),
    (
        "operator.plans.caps_text",
        "utenti: {accounts}, gratuiti: {free}, domini: {domains}",
    ),
    ("operator.plans.empty", "Il catalogo è vuoto."),
    ("operator.plans.edit", "Modifica"),
    ("operator.plans.edit_for", "Modifica il piano {name}"),
    (
        "operator.plans.price_hint",
        "Come 4,50 o 4.50; 0 rende il piano gratuito. Il prezzo annuale ne deriva.",
    ),
    ("operator.plans.cap_accounts", "Utenti massimi"),
    ("operator.plans.cap_free", "Utenti gratuiti massimi"),
    ("operator.plans.cap_domains", "Domini massimi"),
    ("operator.plans.save", "Salva"),
    ("operator.plans.saving", "Salvataggio del piano in corso…"),
    ("operator.plans.done", "Piano {name} salvato."),
];
