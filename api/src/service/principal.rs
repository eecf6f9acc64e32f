//! The signed-in caller of a request, as the principal cache holds it.

use std::sync::Arc;

use shared::dto::{Role, Scope};
use uuid::Uuid;

use crate::error::{Error, Result};

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A person signed in: the account and the session of the access token.
    Session { account_id: Uuid, session_id: Uuid },
    /// An API key of the organization: a non-owner admin limited to its scopes.
    ApiKey { key_id: Uuid, scopes: Arc<[Scope]> },
}

/// The signed-in caller of a request: who, in which organization, with which role. Handlers
/// that need the whole account load it; most only need these.
#[derive(Debug, Clone)]
pub struct Principal {
    pub org: Option<Uuid>,
    pub role: Role,
    pub credential: Credential,
}

impl Principal {
    pub fn org(&self) -> Option<Uuid> {
        self.org
    }

    /// The signed-in account; `None` for an API key.
    pub fn account_id(&self) -> Option<Uuid> {
        match self.credential {
            Credential::Session { account_id, .. } => Some(account_id),
            Credential::ApiKey { .. } => None,
        }
    }

    /// The signed-in account, for what only a person may do (403 for an API key).
    pub fn account(&self) -> Result<Uuid> {
        self.account_id()
            .ok_or_else(|| Error::forbidden("an API key cannot do this; sign in"))
    }

    pub fn session_id(&self) -> Option<Uuid> {
        match self.credential {
            Credential::Session { session_id, .. } => Some(session_id),
            Credential::ApiKey { .. } => None,
        }
    }

    /// The key's scopes; `None` for a person, who is limited by their role only.
    pub fn scopes(&self) -> Option<&[Scope]> {
        match &self.credential {
            Credential::Session { .. } => None,
            Credential::ApiKey { scopes, .. } => Some(scopes),
        }
    }

    /// The scopes of `needed` this caller lacks (none for a person).
    pub fn missing(&self, needed: &[Scope]) -> Vec<Scope> {
        match self.scopes() {
            None => vec![],
            Some(held) => needed
                .iter()
                .copied()
                .filter(|s| !held.contains(s))
                .collect(),
        }
    }

    /// 403 `forbidden` naming every scope of `needed` an API key lacks.
    pub fn require(&self, needed: &[Scope]) -> Result<()> {
        let missing = self.missing(needed);
        if missing.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        Err(
            Error::forbidden(format!("this API key lacks the scope {}", names.join(", ")))
                .with(|x| x.missing_scope = Some(missing)),
        )
    }

    /// The actor of audit events: `account:<id>`, `operator:<id>` or `api_key:<id>`.
    pub fn actor(&self) -> String {
        match (&self.credential, self.role) {
            (Credential::ApiKey { key_id, .. }, _) => format!("api_key:{key_id}"),
            (Credential::Session { account_id, .. }, Role::Operator) => {
                format!("operator:{account_id}")
            }
            (Credential::Session { account_id, .. }, _) => format!("account:{account_id}"),
        }
    }
}
