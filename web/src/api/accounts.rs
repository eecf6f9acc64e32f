//! Accounts and the plan catalog, as an organization's admin sees them: an account's password,
//! subscription, status and aliases, and what Add a user needs to know of the organization
//! (its verified domains, its billing period and credit).

use gloo_net::http::Request;
use shared::dto::{
    Account, AccountStatus, Alias, AliasRequest, CreateAccountRequest, DeleteAccountResponse,
    Domain, DomainStatus, Organization, Page, Plan, SetPasswordRequest, SubscriptionChange,
    SubscriptionChangeRequest, SubscriptionQuote,
};
use shared::{ErrorCode, Problem};
use uuid::Uuid;

use super::{ClientError, bearer, build, json, looks_like_uuid, send, url, with_json};

/// `GET /accounts?q=&cursor=`: one page of the organization's accounts, by username. An empty
/// `q` lists everyone.
pub async fn accounts(
    access_token: String,
    q: String,
    cursor: Option<String>,
) -> Result<Page<Account>, ClientError> {
    let mut query: Vec<(&str, &str)> = Vec::new();
    let q = q.trim();
    if !q.is_empty() {
        query.push(("q", q));
    }
    if let Some(cursor) = cursor.as_deref() {
        query.push(("cursor", cursor));
    }
    let builder = Request::get(&url("/accounts")).query(query);
    let response = send(build(bearer(builder, &access_token))?).await?;
    json(response).await
}

/// `GET /accounts/{id}`. An id that is not a UUID is answered `not_found` without asking.
pub async fn account(access_token: String, id: String) -> Result<Account, ClientError> {
    if !looks_like_uuid(&id) {
        return Err(ClientError::Problem {
            problem: Box::new(Problem::new(ErrorCode::NotFound, "No such account.")),
            retry_after: None,
        });
    }
    let builder = Request::get(&url(&format!("/accounts/{id}")));
    let response = send(build(bearer(builder, &access_token))?).await?;
    json(response).await
}

/// `POST /accounts` → 201 the created account.
pub async fn create_account(
    access_token: String,
    request: CreateAccountRequest,
) -> Result<Account, ClientError> {
    let builder = bearer(Request::post(&url("/accounts")), &access_token);
    let response = send(with_json(builder, &request)?).await?;
    json(response).await
}

/// `GET /plans`: the catalog, cheapest first.
pub async fn plans(access_token: String) -> Result<Vec<Plan>, ClientError> {
    let response = send(build(bearer(Request::get(&url("/plans")), &access_token))?).await?;
    json::<Page<Plan>>(response).await.map(|page| page.items)
}

fn account_url(id: Uuid, rest: &str) -> String {
    url(&format!("/accounts/{id}{rest}"))
}

/// `POST /accounts/{id}/password` → 204: the account's sessions end.
pub async fn set_account_password(
    access_token: String,
    id: Uuid,
    new_password: String,
) -> Result<(), ClientError> {
    let builder = bearer(Request::post(&account_url(id, "/password")), &access_token);
    send(with_json(builder, &SetPasswordRequest { new_password })?).await?;
    Ok(())
}

/// `GET /accounts/{id}/subscription/quote?plan=`: what changing to `plan` would do now.
pub async fn subscription_quote(
    access_token: String,
    id: Uuid,
    plan: String,
) -> Result<SubscriptionQuote, ClientError> {
    let builder = Request::get(&account_url(id, "/subscription/quote")).query([("plan", plan)]);
    let response = send(build(bearer(builder, &access_token))?).await?;
    json(response).await
}

/// `PUT /accounts/{id}/subscription`: changes the plan now.
pub async fn change_subscription(
    access_token: String,
    id: Uuid,
    plan: String,
) -> Result<SubscriptionChange, ClientError> {
    let builder = bearer(
        Request::put(&account_url(id, "/subscription")),
        &access_token,
    );
    let response = send(with_json(builder, &SubscriptionChangeRequest { plan })?).await?;
    json(response).await
}

/// `POST /accounts/{id}/disable` or `/enable` → the account with its new status.
pub async fn set_account_status(
    access_token: String,
    id: Uuid,
    status: AccountStatus,
) -> Result<Account, ClientError> {
    let action = match status {
        AccountStatus::Active => "/enable",
        AccountStatus::Disabled => "/disable",
    };
    let builder = Request::post(&account_url(id, action));
    let response = send(build(bearer(builder, &access_token))?).await?;
    json(response).await
}

/// `DELETE /accounts/{id}`: only a disabled account; answers the refund and the new balance.
pub async fn delete_account(
    access_token: String,
    id: Uuid,
) -> Result<DeleteAccountResponse, ClientError> {
    let builder = Request::delete(&account_url(id, ""));
    let response = send(build(bearer(builder, &access_token))?).await?;
    json(response).await
}

/// `GET /accounts/{id}/aliases`: all of them (the server sends one page).
pub async fn aliases(access_token: String, id: Uuid) -> Result<Vec<Alias>, ClientError> {
    let builder = Request::get(&account_url(id, "/aliases"));
    let response = send(build(bearer(builder, &access_token))?).await?;
    json::<Page<Alias>>(response).await.map(|page| page.items)
}

/// `POST /accounts/{id}/aliases` → 201 the alias.
pub async fn add_alias(
    access_token: String,
    id: Uuid,
    address: String,
) -> Result<Alias, ClientError> {
    let builder = bearer(Request::post(&account_url(id, "/aliases")), &access_token);
    let response = send(with_json(builder, &AliasRequest { address })?).await?;
    json(response).await
}

/// `DELETE /accounts/{id}/aliases/{address}` → 204.
pub async fn delete_alias(
    access_token: String,
    id: Uuid,
    address: String,
) -> Result<(), ClientError> {
    let path = format!("/aliases/{}", encode_segment(&address));
    let builder = Request::delete(&account_url(id, &path));
    send(build(bearer(builder, &access_token))?).await?;
    Ok(())
}

/// Percent-encodes what a path segment may not hold as is.
fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~@+".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The names of the organization's verified domains (`GET /domains`, every page), by name:
/// where new addresses may go besides the provider domain.
pub async fn verified_domain_names(access_token: String) -> Result<Vec<String>, ClientError> {
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("limit", "200".to_owned())];
        if let Some(cursor) = cursor.take() {
            query.push(("cursor", cursor));
        }
        let builder = Request::get(&url("/domains")).query(query);
        let response = send(build(bearer(builder, &access_token))?).await?;
        let page: Page<Domain> = json(response).await?;
        names.extend(
            page.items
                .into_iter()
                .filter(|d| d.status == DomainStatus::Verified)
                .map(|d| d.name),
        );
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(names),
        }
    }
}

/// `GET /organization`: the caller's organization, with its billing period and credit.
pub async fn own_organization(access_token: String) -> Result<Organization, ClientError> {
    let response = send(build(bearer(
        Request::get(&url("/organization")),
        &access_token,
    ))?)
    .await?;
    json(response).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_segments_are_encoded() {
        assert_eq!(
            encode_segment("sales+eu@example.org"),
            "sales+eu@example.org"
        );
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
    }
}
