//! Who may call each route: the one table the checks ([`super::extract::Auth`]), the OpenAPI
//! document's `security` entries ([`super::openapi`]) and the docs' scope table all read
//! (API.md, "API keys"). A test keeps it equal to the routes the server registers.
//!
//! Rules that depend on the request beyond its route are checked by the services: a paid plan
//! at creation needs `billing:write` too, and a key never sets an administrator's password.

use shared::dto::Scope::{self, *};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: no bearer token is read.
    Public,
    /// A signed-in person only (a session); API keys get 403.
    Session,
    /// A session, or an API key holding every one of these scopes.
    Key(&'static [Scope]),
}

/// `(method, path as registered, access)` for every route of the API.
pub const ROUTES: &[(&str, &str, Access)] = &[
    ("GET", "/healthz", Access::Public),
    ("GET", "/readyz", Access::Public),
    ("POST", "/api/v1/signup", Access::Public),
    ("POST", "/api/v1/auth/login", Access::Public),
    ("POST", "/api/v1/auth/refresh", Access::Public),
    ("POST", "/api/v1/auth/logout", Access::Session),
    ("POST", "/api/v1/auth/password-reset", Access::Public),
    (
        "POST",
        "/api/v1/auth/password-reset/confirm",
        Access::Public,
    ),
    ("POST", "/api/v1/payments/webhook", Access::Public),
    ("GET", "/api/v1/me", Access::Session),
    ("PATCH", "/api/v1/me", Access::Session),
    ("POST", "/api/v1/me/password", Access::Session),
    ("GET", "/api/v1/me/photo", Access::Session),
    ("PUT", "/api/v1/me/photo", Access::Session),
    ("DELETE", "/api/v1/me/photo", Access::Session),
    ("GET", "/api/v1/organization", Access::Key(&[AccountsRead])),
    ("PATCH", "/api/v1/organization", Access::Session),
    ("GET", "/api/v1/plans", Access::Key(&[AccountsRead])),
    ("GET", "/api/v1/accounts", Access::Key(&[AccountsRead])),
    ("POST", "/api/v1/accounts", Access::Key(&[AccountsWrite])),
    ("GET", "/api/v1/accounts/{id}", Access::Key(&[AccountsRead])),
    (
        "PATCH",
        "/api/v1/accounts/{id}",
        Access::Key(&[AccountsWrite]),
    ),
    (
        "DELETE",
        "/api/v1/accounts/{id}",
        Access::Key(&[AccountsWrite]),
    ),
    (
        "POST",
        "/api/v1/accounts/{id}/password",
        Access::Key(&[AccountsWrite]),
    ),
    (
        "POST",
        "/api/v1/accounts/{id}/disable",
        Access::Key(&[AccountsWrite]),
    ),
    (
        "POST",
        "/api/v1/accounts/{id}/enable",
        Access::Key(&[AccountsWrite]),
    ),
    (
        "GET",
        "/api/v1/accounts/{id}/photo",
        Access::Key(&[AccountsRead]),
    ),
    (
        "PUT",
        "/api/v1/accounts/{id}/photo",
        Access::Key(&[AccountsWrite]),
    ),
    (
        "DELETE",
        "/api/v1/accounts/{id}/photo",
        Access::Key(&[AccountsWrite]),
    ),
    (
        "GET",
        "/api/v1/accounts/{id}/subscription/quote",
        Access::Key(&[AccountsRead]),
    ),
    (
        "PUT",
        "/api/v1/accounts/{id}/subscription",
        Access::Key(&[AccountsWrite, BillingWrite]),
    ),
    (
        "GET",
        "/api/v1/accounts/{id}/aliases",
        Access::Key(&[AccountsRead]),
    ),
    (
        "POST",
        "/api/v1/accounts/{id}/aliases",
        Access::Key(&[AccountsWrite]),
    ),
    (
        "DELETE",
        "/api/v1/accounts/{id}/aliases/{address}",
        Access::Key(&[AccountsWrite]),
    ),
    ("GET", "/api/v1/credit", Access::Key(&[CreditRead])),
    (
        "GET",
        "/api/v1/credit/transactions",
        Access::Key(&[CreditRead]),
    ),
    ("GET", "/api/v1/credit/top-ups", Access::Key(&[CreditRead])),
    (
        "POST",
        "/api/v1/credit/top-ups",
        Access::Key(&[BillingWrite]),
    ),
    ("GET", "/api/v1/domains", Access::Key(&[DomainsRead])),
    ("POST", "/api/v1/domains", Access::Key(&[DomainsWrite])),
    ("GET", "/api/v1/domains/{id}", Access::Key(&[DomainsRead])),
    (
        "POST",
        "/api/v1/domains/{id}/verify",
        Access::Key(&[DomainsWrite]),
    ),
    (
        "POST",
        "/api/v1/domains/{id}/check",
        Access::Key(&[DomainsWrite]),
    ),
    (
        "DELETE",
        "/api/v1/domains/{id}",
        Access::Key(&[DomainsWrite]),
    ),
    ("GET", "/api/v1/mail/route", Access::Key(&[DomainsRead])),
    ("GET", "/api/v1/groups", Access::Key(&[GroupsRead])),
    ("POST", "/api/v1/groups", Access::Key(&[GroupsWrite])),
    ("GET", "/api/v1/groups/{id}", Access::Key(&[GroupsRead])),
    ("PATCH", "/api/v1/groups/{id}", Access::Key(&[GroupsWrite])),
    ("DELETE", "/api/v1/groups/{id}", Access::Key(&[GroupsWrite])),
    (
        "GET",
        "/api/v1/groups/{id}/members",
        Access::Key(&[GroupsRead]),
    ),
    (
        "PUT",
        "/api/v1/groups/{id}/members/{account_id}",
        Access::Key(&[GroupsWrite]),
    ),
    (
        "DELETE",
        "/api/v1/groups/{id}/members/{account_id}",
        Access::Key(&[GroupsWrite]),
    ),
    ("GET", "/api/v1/audit-events", Access::Key(&[AuditRead])),
    ("GET", "/api/v1/api-keys", Access::Session),
    ("POST", "/api/v1/api-keys", Access::Session),
    ("GET", "/api/v1/api-keys/{id}", Access::Session),
    ("DELETE", "/api/v1/api-keys/{id}", Access::Session),
    ("GET", "/api/v1/operator/organizations", Access::Session),
    ("POST", "/api/v1/operator/organizations", Access::Session),
    ("GET", "/api/v1/operator/top-ups", Access::Session),
    ("GET", "/api/v1/operator/outbox", Access::Session),
    (
        "POST",
        "/api/v1/operator/organizations/{id}/top-ups/{top_up_id}/confirm",
        Access::Session,
    ),
    (
        "POST",
        "/api/v1/operator/organizations/{id}/credit/adjustments",
        Access::Session,
    ),
    ("PUT", "/api/v1/operator/plans/{code}", Access::Session),
];

/// The access of the route `path` (as registered, `{id}` and all) with `method`.
pub fn access(method: &str, path: &str) -> Option<Access> {
    ROUTES
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map(|(_, _, a)| *a)
}

/// `GET /accounts, …` for the routes whose access passes `pick`.
fn listed(pick: impl Fn(&Access) -> bool) -> String {
    ROUTES
        .iter()
        .filter(|(_, _, access)| pick(access))
        .map(|(m, p, _)| format!("`{m} {}`", p.trim_start_matches("/api/v1")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The docs' table of scopes: for every scope, the routes a key needs it for.
pub fn markdown() -> String {
    let mut out = String::from("| scope | routes |\n| --- | --- |\n");
    for scope in Scope::ALL {
        let routes = listed(|a| matches!(a, Access::Key(needed) if needed.contains(&scope)));
        let routes = if routes.is_empty() {
            "(SCIM, `/scim/v2`)".to_owned()
        } else {
            routes
        };
        out.push_str(&format!("| `{scope}` | {routes} |\n"));
    }
    let never = listed(|a| *a == Access::Session);
    out.push_str(&format!("| (no key) | {never} |\n"));
    out
}
