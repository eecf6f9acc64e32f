//! Texts of Users: the list, Add a user, a user's details and actions, and Your account.

pub static EN: &[(&str, &str)] = &[
    // The list
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
    ("users.address", "Address"),
    ("users.plan", "Plan"),
    ("users.status", "Status"),
    ("users.groups", "Groups"),
    ("users.empty", "No users match."),
    ("users.load_more", "Load more"),
    ("users.back", "Back to users"),
    ("users.deleted", "The account {username} was deleted."),
    (
        "users.deleted_refund",
        "{refunded} went back to the credit, whose balance is now {balance}.",
    ),
    (
        "users.deleted_no_refund",
        "Nothing was refunded; the credit's balance is {balance}.",
    ),
    ("users.top_up", "Top up the credit"),
    ("users.save", "Save"),
    ("users.saving", "Saving…"),
    ("users.first_name", "First name"),
    ("users.last_name", "Last name"),
    // Plans and prices
    ("users.plan.free", "free"),
    ("users.plan.per_month", "{price} a month"),
    ("users.plan.per_year", "{price} a year"),
    ("users.period.month", "month"),
    ("users.period.year", "year"),
    // Add a user
    ("users.new.address", "Address"),
    ("users.new.domain", "Domain"),
    (
        "users.new.address_hint",
        "The part before @; empty, it is the username. The address will be {address}.",
    ),
    (
        "users.new.provider_local",
        "On {domain} the address is the username: leave this empty or type the username.",
    ),
    (
        "users.new.domains_failed",
        "The organization's domains could not be loaded; only the provider domain is offered.",
    ),
    ("users.new.password", "Password"),
    ("users.new.pending", "Adding the user…"),
    (
        "users.new.plans_failed",
        "The plans could not be loaded; the free plan will be used.",
    ),
    (
        "users.new.credit_failed",
        "The credit could not be loaded, so the cost is not shown.",
    ),
    (
        "users.new.cost_free",
        "The free plan takes nothing from the credit.",
    ),
    (
        "users.new.cost",
        "The first {period} takes {price} from the credit: the balance goes from {balance} to {after}.",
    ),
    (
        "users.new.cost_missing",
        "The first {period} costs {price}, but the credit holds {balance}: {missing} more is needed.",
    ),
    // New passwords
    ("users.password.new", "New password"),
    ("users.password.set", "Set the new password"),
    ("users.password.generate", "Generate a password"),
    (
        "users.password.generated",
        "A password was generated and is shown in the field: copy it now to give it to the person.",
    ),
    (
        "users.password.no_random",
        "This browser cannot generate a password; please type one.",
    ),
    ("users.password.strength", "Strength:"),
    ("users.password.refused", "not accepted yet."),
    ("users.password.weak", "weak."),
    ("users.password.fair", "fair."),
    ("users.password.strong", "strong."),
    (
        "users.password.set_done",
        "The new password is set and the user's sessions have ended. Tell the user the new password.",
    ),
    // User details
    ("users.detail.title", "User details"),
    ("users.detail.email", "Primary address"),
    ("users.detail.renews", "Renews on"),
    ("users.detail.owner", "Organization owner"),
    ("users.detail.created", "Created"),
    ("users.detail.created_now", "The user {username} was added."),
    ("users.detail.no_groups", "Not in any group."),
    (
        "users.detail.not_found",
        "There is no such user in your organization.",
    ),
    // More details
    ("users.personal.title", "More details"),
    (
        "users.personal.intro",
        "Optional. An external email lets the person reset their password.",
    ),
    ("users.personal.external_email", "External email"),
    ("users.personal.current_password", "Your current password"),
    (
        "users.personal.current_password_hint",
        "Reset links go to the external email, so changing yours needs your password.",
    ),
    (
        "users.personal.external_email_hint",
        "An address outside Postwarden, like name@example.org.",
    ),
    ("users.personal.mobile_phone", "Mobile phone"),
    (
        "users.personal.mobile_phone_hint",
        "International form, like +39 333 123 4567.",
    ),
    ("users.personal.postal_address", "Postal address"),
    ("users.personal.street", "Street"),
    ("users.personal.postal_code", "Postal code"),
    ("users.personal.city", "City"),
    ("users.personal.region", "Region"),
    ("users.personal.country", "Country"),
    (
        "users.personal.country_hint",
        "The two-letter code, like IT or FR.",
    ),
    ("users.personal.birthdate", "Birthdate"),
    ("users.personal.saved", "Saved."),
    (
        "users.personal.unchanged",
        "Nothing to save: no field was changed.",
    ),
    (
        "users.invalid.phone",
        "Must be in international form: + then the country code and number.",
    ),
    (
        "users.invalid.country",
        "Must be a two-letter country code, like IT or FR.",
    ),
    (
        "users.invalid.birthdate",
        "Must be a real date in the past, after 1900.",
    ),
    (
        "users.invalid.text",
        "Too long, or holds control characters.",
    ),
    // Photo
    ("users.photo.title", "Photo"),
    ("users.photo.choose", "Choose a photo"),
    ("users.photo.hint", "PNG or JPEG, at most 1 MiB."),
    ("users.photo.upload", "Upload photo"),
    ("users.photo.remove", "Remove photo"),
    ("users.photo.none", "No photo yet."),
    ("users.photo.of", "Photo of {name}"),
    ("users.photo.preview", "Preview of the chosen photo"),
    (
        "users.photo.choose_first",
        "Choose a PNG or JPEG file first.",
    ),
    (
        "users.photo.wrong_type",
        "The photo must be a PNG or JPEG image.",
    ),
    ("users.photo.too_big", "The photo must be at most 1 MiB."),
    ("users.photo.uploaded", "The photo is saved."),
    ("users.photo.removed", "The photo is removed."),
    // Change subscription
    (
        "users.subscription.plans_failed",
        "The plans could not be loaded.",
    ),
    ("users.subscription.current", "This is the current plan."),
    (
        "users.subscription.quote_failed",
        "What the change would cost could not be worked out.",
    ),
    ("users.subscription.refund", "Refund of the unused period"),
    ("users.subscription.charge", "Charge for a full period"),
    (
        "users.subscription.balance_after",
        "Credit after the change",
    ),
    (
        "users.subscription.covered",
        "The credit covers the change.",
    ),
    ("users.subscription.missing", "Missing from the credit"),
    (
        "users.subscription.not_covered",
        "The credit does not cover the change.",
    ),
    (
        "users.subscription.changed",
        "The subscription is now {plan}: {refunded} refunded, {charged} charged; the credit's balance is {balance}.",
    ),
    // Aliases
    ("users.aliases.title", "Aliases"),
    ("users.aliases.count", "{count} / {max} aliases used."),
    ("users.aliases.none", "No aliases yet."),
    ("users.aliases.alias", "Alias"),
    ("users.aliases.delete", "Delete alias"),
    (
        "users.aliases.hint",
        "A full address, or only the part before @ for an address on {domain}.",
    ),
    ("users.aliases.added", "Alias {address} added."),
    ("users.aliases.deleted", "Alias {address} deleted."),
    // Disable, enable, delete
    ("users.danger.title", "Account status"),
    (
        "users.danger.owner",
        "The organization's owner cannot be disabled or deleted.",
    ),
    (
        "users.danger.disable_text",
        "A disabled user can no longer sign in (their sessions end at once) and incoming mail is refused. It can be undone.",
    ),
    (
        "users.danger.disabled_text",
        "This account is disabled. Enable it again, or delete it for good.",
    ),
    (
        "users.danger.disabled",
        "The account is disabled: the user can no longer sign in and incoming mail is refused.",
    ),
    ("users.danger.enabled", "The account is enabled again."),
    (
        "users.danger.confirm_title",
        "Delete the account {username}?",
    ),
    (
        "users.danger.cannot_undo",
        "This cannot be undone: the account and its data are removed, and its addresses become free.",
    ),
    (
        "users.danger.refund",
        "The unused part of its subscription, {refund}, goes back to the credit: the balance will be {balance}.",
    ),
    (
        "users.danger.no_refund",
        "Nothing is refunded (no unused paid period): the balance stays {balance}.",
    ),
    (
        "users.danger.refund_unknown",
        "The refund could not be worked out in advance; the server computes it at deletion and it is shown afterwards.",
    ),
    ("users.danger.confirm", "Yes, delete the account"),
    ("users.danger.keep", "Keep the account"),
    // Problems of account actions
    (
        "users.problem.owner_protected",
        "The organization's owner cannot be disabled or deleted.",
    ),
    (
        "users.problem.not_disabled",
        "Only a disabled account can be deleted: disable it first.",
    ),
    (
        "users.problem.aliases_over_limit",
        "The account has more aliases than that plan allows: delete some first.",
    ),
    // Your account
    ("users.me.title", "Your account"),
    ("users.me.signed_in_as", "Signed in as"),
    ("users.me.role", "Role"),
    ("users.me.organization", "Organization"),
    ("users.me.email", "Primary address"),
    ("users.me.no_mailbox", "None (operators have no mailbox)"),
    ("users.me.password_title", "Change your password"),
    ("users.me.current_password", "Current password"),
    (
        "users.me.wrong_current",
        "This is not your current password.",
    ),
    (
        "users.me.password_changed",
        "Your password is changed. Your other sessions have ended; this one goes on.",
    ),
];

pub static IT: &[(&str, &str)] = &[
    // The list
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
    ("users.address", "Indirizzo"),
    ("users.plan", "Piano"),
    ("users.status", "Stato"),
    ("users.groups", "Gruppi"),
    ("users.empty", "Nessun utente corrisponde."),
    ("users.load_more", "Carica altri"),
    ("users.back", "Torna agli utenti"),
    ("users.deleted", "L'account {username} è stato eliminato."),
    (
        "users.deleted_refund",
        "{refunded} sono tornati al credito, il cui saldo ora è {balance}.",
    ),
    (
        "users.deleted_no_refund",
        "Non è stato rimborsato nulla; il saldo del credito è {balance}.",
    ),
    ("users.top_up", "Ricarica il credito"),
    ("users.save", "Salva"),
    ("users.saving", "Salvataggio in corso…"),
    ("users.first_name", "Nome"),
    ("users.last_name", "Cognome"),
    // Plans and prices
    ("users.plan.free", "gratuito"),
    ("users.plan.per_month", "{price} al mese"),
    ("users.plan.per_year", "{price} all'anno"),
    ("users.period.month", "mese"),
    ("users.period.year", "anno"),
    // Add a user
    ("users.new.address", "Indirizzo"),
    ("users.new.domain", "Dominio"),
    (
        "users.new.address_hint",
        "La parte prima di @; se vuota, è il nome utente. L'indirizzo sarà {address}.",
    ),
    (
        "users.new.provider_local",
        "Su {domain} l'indirizzo è il nome utente: lascia vuoto o scrivi il nome utente.",
    ),
    (
        "users.new.domains_failed",
        "Non è stato possibile caricare i domini dell'organizzazione; è proposto solo il dominio del fornitore.",
    ),
    ("users.new.password", "Password"),
    ("users.new.pending", "Aggiunta dell'utente in corso…"),
    (
        "users.new.plans_failed",
        "Non è stato possibile caricare i piani; verrà usato il piano gratuito.",
    ),
    (
        "users.new.credit_failed",
        "Non è stato possibile caricare il credito, quindi il costo non è mostrato.",
    ),
    (
        "users.new.cost_free",
        "Il piano gratuito non prende nulla dal credito.",
    ),
    (
        "users.new.cost",
        "Il primo {period} prende {price} dal credito: il saldo passa da {balance} a {after}.",
    ),
    (
        "users.new.cost_missing",
        "Il primo {period} costa {price}, ma il credito è di {balance}: mancano {missing}.",
    ),
    // New passwords
    ("users.password.new", "Nuova password"),
    ("users.password.set", "Imposta la nuova password"),
    ("users.password.generate", "Genera una password"),
    (
        "users.password.generated",
        "È stata generata una password, visibile nel campo: copiala ora per comunicarla alla persona.",
    ),
    (
        "users.password.no_random",
        "Questo browser non può generare una password; scrivine una.",
    ),
    ("users.password.strength", "Robustezza:"),
    ("users.password.refused", "non ancora accettata."),
    ("users.password.weak", "debole."),
    ("users.password.fair", "discreta."),
    ("users.password.strong", "forte."),
    (
        "users.password.set_done",
        "La nuova password è impostata e le sessioni dell'utente sono terminate. Comunica all'utente la nuova password.",
    ),
    // User details
    ("users.detail.title", "Dettagli dell'utente"),
    ("users.detail.email", "Indirizzo principale"),
    ("users.detail.renews", "Si rinnova il"),
    ("users.detail.owner", "Titolare dell'organizzazione"),
    ("users.detail.created", "Creato"),
    (
        "users.detail.created_now",
        "L'utente {username} è stato aggiunto.",
    ),
    ("users.detail.no_groups", "Non è in alcun gruppo."),
    (
        "users.detail.not_found",
        "Questo utente non esiste nella tua organizzazione.",
    ),
    // More details
    ("users.personal.title", "Altri dettagli"),
    (
        "users.personal.intro",
        "Facoltativi. Un'email esterna permette alla persona di reimpostare la password.",
    ),
    ("users.personal.external_email", "Email esterna"),
    ("users.personal.current_password", "La tua password attuale"),
    (
        "users.personal.current_password_hint",
        "I link per reimpostare la password arrivano all'email esterna: per cambiarla serve la tua password.",
    ),
    (
        "users.personal.external_email_hint",
        "Un indirizzo esterno a Postwarden, come nome@esempio.it.",
    ),
    ("users.personal.mobile_phone", "Cellulare"),
    (
        "users.personal.mobile_phone_hint",
        "In forma internazionale, come +39 333 123 4567.",
    ),
    ("users.personal.postal_address", "Indirizzo postale"),
    ("users.personal.street", "Via"),
    ("users.personal.postal_code", "CAP"),
    ("users.personal.city", "Città"),
    ("users.personal.region", "Regione"),
    ("users.personal.country", "Paese"),
    (
        "users.personal.country_hint",
        "Il codice di due lettere, come IT o FR.",
    ),
    ("users.personal.birthdate", "Data di nascita"),
    ("users.personal.saved", "Salvato."),
    (
        "users.personal.unchanged",
        "Niente da salvare: nessun campo è stato cambiato.",
    ),
    (
        "users.invalid.phone",
        "Deve essere in forma internazionale: + seguito dal prefisso del paese e dal numero.",
    ),
    (
        "users.invalid.country",
        "Deve essere un codice di paese di due lettere, come IT o FR.",
    ),
    (
        "users.invalid.birthdate",
        "Deve essere una data reale nel passato, dopo il 1900.",
    ),
    (
        "users.invalid.text",
        "Troppo lungo, o contiene caratteri di controllo.",
    ),
    // Photo
    ("users.photo.title", "Foto"),
    ("users.photo.choose", "Scegli una foto"),
    ("users.photo.hint", "PNG o JPEG, al massimo 1 MiB."),
    ("users.photo.upload", "Carica la foto"),
    ("users.photo.remove", "Rimuovi la foto"),
    ("users.photo.none", "Ancora nessuna foto."),
    ("users.photo.of", "Foto di {name}"),
    ("users.photo.preview", "Anteprima della foto scelta"),
    (
        "users.photo.choose_first",
        "Scegli prima un file PNG o JPEG.",
    ),
    (
        "users.photo.wrong_type",
        "La foto deve essere un'immagine PNG o JPEG.",
    ),
    (
        "users.photo.too_big",
        "La foto deve essere al massimo di 1 MiB.",
    ),
    ("users.photo.uploaded", "La foto è salvata."),
    ("users.photo.removed", "La foto è rimossa."),
    // Change subscription
    (
        "users.subscription.plans_failed",
        "Non è stato possibile caricare i piani.",
    ),
    ("users.subscription.current", "È il piano attuale."),
    (
        "users.subscription.quote_failed",
        "Non è stato possibile calcolare il costo del cambio.",
    ),
    (
        "users.subscription.refund",
        "Rimborso del periodo non usato",
    ),
    ("users.subscription.charge", "Addebito di un periodo intero"),
    ("users.subscription.balance_after", "Credito dopo il cambio"),
    ("users.subscription.covered", "Il credito copre il cambio."),
    ("users.subscription.missing", "Manca al credito"),
    (
        "users.subscription.not_covered",
        "Il credito non copre il cambio.",
    ),
    (
        "users.subscription.changed",
        "L'abbonamento ora è {plan}: rimborsati {refunded}, addebitati {charged}; il saldo del credito è {balance}.",
    ),
    // Aliases
    ("users.aliases.title", "Alias"),
    ("users.aliases.count", "{count} / {max} alias usati."),
    ("users.aliases.none", "Ancora nessun alias."),
    ("users.aliases.alias", "Alias"),
    ("users.aliases.delete", "Elimina l'alias"),
    (
        "users.aliases.hint",
        "Un indirizzo completo, o solo la parte prima di @ per un indirizzo su {domain}.",
    ),
    ("users.aliases.added", "Alias {address} aggiunto."),
    ("users.aliases.deleted", "Alias {address} eliminato."),
    // Disable, enable, delete
    ("users.danger.title", "Stato dell'account"),
    (
        "users.danger.owner",
        "Il titolare dell'organizzazione non può essere disabilitato né eliminato.",
    ),
    (
        "users.danger.disable_text",
        "Un utente disabilitato non può più accedere (le sue sessioni terminano subito) e la posta in arrivo viene rifiutata. Si può annullare.",
    ),
    (
        "users.danger.disabled_text",
        "Questo account è disabilitato. Riabilitalo, o eliminalo definitivamente.",
    ),
    (
        "users.danger.disabled",
        "L'account è disabilitato: l'utente non può più accedere e la posta in arrivo viene rifiutata.",
    ),
    ("users.danger.enabled", "L'account è di nuovo abilitato."),
    (
        "users.danger.confirm_title",
        "Eliminare l'account {username}?",
    ),
    (
        "users.danger.cannot_undo",
        "Attenzione: questa operazione non può essere annullata. L'account e i suoi dati vengono rimossi e i suoi indirizzi tornano liberi.",
    ),
    (
        "users.danger.refund",
        "Il valore non ancora utilizzato dell'abbonamento, {refund}, verrà aggiunto al credito: il saldo sarà {balance}.",
    ),
    (
        "users.danger.no_refund",
        "Non viene rimborsato nulla (nessun periodo pagato non usato): il saldo resta {balance}.",
    ),
    (
        "users.danger.refund_unknown",
        "Non è stato possibile calcolare il rimborso in anticipo; il server lo calcola all'eliminazione e viene mostrato dopo.",
    ),
    ("users.danger.confirm", "Sì, elimina l'account"),
    ("users.danger.keep", "Mantieni l'account"),
    // Problems of account actions
    (
        "users.problem.owner_protected",
        "Il titolare dell'organizzazione non può essere disabilitato né eliminato.",
    ),
    (
        "users.problem.not_disabled",
        "Si può eliminare solo un account disabilitato: disabilitalo prima.",
    ),
    (
        "users.problem.aliases_over_limit",
        "L'account ha più alias di quanti ne permetta quel piano: eliminane prima qualcuno.",
    ),
    // Your account
    ("users.me.title", "Il tuo account"),
    ("users.me.signed_in_as", "Accesso effettuato come"),
    ("users.me.role", "Ruolo"),
    ("users.me.organization", "Organizzazione"),
    ("users.me.email", "Indirizzo principale"),
    (
        "users.me.no_mailbox",
        "Nessuno (gli operatori non hanno casella)",
    ),
    ("users.me.password_title", "Cambia la tua password"),
    ("users.me.current_password", "Password attuale"),
    (
        "users.me.wrong_current",
        "Questa non è la tua password attuale.",
    ),
    (
        "users.me.password_changed",
        "La password è cambiata. Le altre sessioni sono terminate; questa continua.",
    ),
];
