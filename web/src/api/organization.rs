//! The organization, its credit (balance, top-ups, ledger), the audit log and public sign-up.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use shared::dto::{
    AuditEvent, Credit, Domain, LedgerEntry, Organization, OrganizationPatch, Page, SignupRequest,
    TopUp, TopUpRequest,
};

use super::{ClientError, bearer, build, json, send, url, with_json};
use crate::session::Tokens;

/// `POST /signup` → 201 the new organization, its owner and the owner's session, of which only
/// the tokens are read (the dashboard loads the rest).
pub async fn signup(request: &SignupRequest) -> Result<Tokens, ClientError> {
    let response = send(with_json(Request::post(&url("/signup")), request)?).await?;
    json(response).await
}

/// `GET /organization`: name, plan, billing period, caps, usage and credit.
pub async fn organization(access_token: String) -> Result<Organization, ClientError> {
    get(&access_token, "/organization", Vec::new()).await
}

/// `PATCH /organization`: a new name and/or billing period.
pub async fn update_organization(
    access_token: String,
    patch: OrganizationPatch,
) -> Result<Organization, ClientError> {
    let builder = bearer(Request::patch(&url("/organization")), &access_token);
    json(send(with_json(builder, &patch)?).await?).await
}

/// `GET /credit`: the balance.
pub async fn credit(access_token: String) -> Result<Credit, ClientError> {
    get(&access_token, "/credit", Vec::new()).await
}

/// `GET /credit/top-ups?cursor=`: the organization's top-ups, newest first.
pub async fn credit_top_ups(
    access_token: String,
    cursor: Option<String>,
) -> Result<Page<TopUp>, ClientError> {
    get(&access_token, "/credit/top-ups", filters(&[], cursor)).await
}

/// `POST /credit/top-ups` → 201 the pending top-up.
pub async fn request_top_up(access_token: String, amount_cents: i64) -> Result<TopUp, ClientError> {
    let builder = bearer(Request::post(&url("/credit/top-ups")), &access_token);
    json(send(with_json(builder, &TopUpRequest { amount_cents })?).await?).await
}

/// The ledger's filters, as query parameters (`kind`, `account_id`, `since`).
pub type LedgerQuery = Vec<(&'static str, String)>;

/// `GET /credit/transactions?kind=&account_id=&since=&cursor=`: ledger entries, newest first.
pub async fn credit_transactions(
    access_token: String,
    query: LedgerQuery,
    cursor: Option<String>,
) -> Result<Page<LedgerEntry>, ClientError> {
    let query = filters(&query, cursor);
    get(&access_token, "/credit/transactions", query).await
}

/// `GET /audit-events?action=&actor=&target=&since=&cursor=`: events, newest first (an
/// operator's cover every organization).
pub async fn audit_events(
    access_token: String,
    query: Vec<(&'static str, String)>,
    cursor: Option<String>,
) -> Result<Page<AuditEvent>, ClientError> {
    get(&access_token, "/audit-events", filters(&query, cursor)).await
}

/// `GET /domains?limit=200`: the first 200 domains by name, enough for the dashboard's summary.
pub async fn organization_domains(access_token: String) -> Result<Page<Domain>, ClientError> {
    let query = vec![("limit", "200".to_owned())];
    get(&access_token, "/domains", query).await
}

/// The non-empty filters, then the cursor.
fn filters(
    pairs: &[(&'static str, String)],
    cursor: Option<String>,
) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = pairs
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| (*name, value.trim().to_owned()))
        .collect();
    if let Some(cursor) = cursor {
        out.push(("cursor", cursor));
    }
    out
}

async fn get<T: DeserializeOwned>(
    access_token: &str,
    path: &str,
    query: Vec<(&'static str, String)>,
) -> Result<T, ClientError> {
    let builder = Request::get(&url(path)).query(query.iter().map(|(k, v)| (*k, v.as_str())));
    json(send(build(bearer(builder, access_token))?).await?).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filters_are_left_out() {
        let query = filters(
            &[("kind", "top_up".into()), ("account_id", "  ".into())],
            Some("abc".into()),
        );
        assert_eq!(
            query,
            vec![("kind", "top_up".to_owned()), ("cursor", "abc".to_owned())]
        );
        assert!(filters(&[], None).is_empty());
    }
}
