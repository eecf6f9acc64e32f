//! The signed-in caller of a request, as the principal cache holds it.

use shared::dto::Role;
use uuid::Uuid;

/// The signed-in caller of a request: who, in which organization, with which role. Handlers
/// that need the whole account load it; most only need these.
#[derive(Debug, Clone)]
pub struct Principal {
    pub account_id: Uuid,
    pub org: Option<Uuid>,
    pub role: Role,
    pub session_id: Uuid,
}

impl Principal {
    pub fn org(&self) -> Option<Uuid> {
        self.org
    }

    pub fn actor(&self) -> String {
        match self.role {
            Role::Operator => format!("operator:{}", self.account_id),
            _ => format!("account:{}", self.account_id),
        }
    }
}
