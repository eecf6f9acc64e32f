//! Accounts and the plan catalog, as an organization's admin sees them: an account's password,
//! subscription, status and aliases, and what Add a user needs to know of the organization
//! (its verified domains, its billing period and credit).

use gloo_net::http::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde_json::Value;
use shared::dto::{
    Account, AccountStatus, Alias, AliasRequest, CreateAccountRequest, DeleteAccountResponse,
    Domain, DomainStatus, Organization, Page, Plan, SetPasswordRequest, SubscriptionChange,
    SubscriptionChangeRequest, SubscriptionQuote,
};
use shared::{ErrorCode, Problem};
use uuid::Uuid;

use super::{ClientError, bearer, build, json, looks_like_uuid, send, url, with_json};

/// Sends one authorized request: `method` on `path` (under the API base, query included), with
/// `body` as JSON when there is one. One function for every call of this area and of `/me`
/// keeps the WebAssembly small.
pub(super) async fn call(
    access_token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<Response, ClientError> {
    let builder = bearer(RequestBuilder::new(&url(path)).method(method), access_token);
    let request = match body {
        Some(body) => with_json(builder, &body)?,
        None => build(builder)?,
    };
    send(request).await
}

/// A request body as JSON (these bodies always serialize).
pub(super) fn body<B: Serialize>(body: &B) -> Option<Value> {
    serde_json::to_value(body).ok()
}

/// Percent-encodes everything but unreserved characters, for a path segment or a query value.
pub(super) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `GET /accounts?q=&cursor=`: one page of the organization's accounts, by username. An empty
/// `q` lists everyone.
pub async fn accounts(
    access_token: String,
    q: String,
    cursor: Option<String>,
) -> Result<Page<Account>, ClientError> {
    let mut query = Vec::new();
    let q = q.trim();
    if !q.is_empty() {
        query.push(format!("q={}", encode(q)));
    }
    if let Some(cursor) = cursor.as_deref() {
        query.push(format!("cursor={}", encode(cursor)));
    }
    let path = format!("/accounts?{}", query.join("&"));
    json(call(&access_token, Method::GET, &path, None).await?).await
}

/// `GET /accounts/{id}`. An id that is not a UUID is answered `not_found` without asking.
pub async fn account(access_token: String, id: String) -> Result<Account, ClientError> {
    if !looks_like_uuid(&id) {
        return Err(ClientError::Problem {
            problem: Box::new(Problem::new(ErrorCode::NotFound, "No such account.")),
            retry_after: None,
        });
    }
    let path = format!("/accounts/{id}");
    json(call(&access_token, Method::GET, &path, None).await?).await
}

/// `POST /accounts` → 201 the created account.
pub async fn create_account(
    access_token: String,
    request: CreateAccountRequest,
) -> Result<Account, ClientError> {
    json(call(&access_token, Method::POST, "/accounts", body(&request)).await?).await
}

/// `GET /plans`: the catalog, cheapest first.
pub async fn plans(access_token: String) -> Result<Vec<Plan>, ClientError> {
    let response = call(&access_token, Method::GET, "/plans", None).await?;
    json::<Page<Plan>>(response).await.map(|page| page.items)
}

/// `POST /accounts/{id}/password` → 204: the account's sessions end.
pub async fn set_account_password(
    access_token: String,
    id: Uuid,
    new_password: String,
) -> Result<(), ClientError> {
    let path = format!("/accounts/{id}/password");
    let request = SetPasswordRequest {
        new_password,
        current_password: None,
    };
    call(&access_token, Method::POST, &path, body(&request)).await?;
    Ok(())
}

/// `GET /accounts/{id}/subscription/quote?plan=`: what changing to `plan` would do now.
pub async fn subscription_quote(
    access_token: String,
    id: Uuid,
    plan: String,
) -> Result<SubscriptionQuote, ClientError> {
    let path = format!("/accounts/{id}/subscription/quote?plan={}", encode(&plan));
    json(call(&access_token, Method::GET, &path, None).await?).await
}

/// `PUT /accounts/{id}/subscription`: changes the plan now.
pub async fn change_subscription(
    access_token: String,
    id: Uuid,
    plan: String,
) -> Result<SubscriptionChange, ClientError> {
    let path = format!("/accounts/{id}/subscription");
    let request = SubscriptionChangeRequest { plan };
    json(call(&access_token, Method::PUT, &path, body(&request)).await?).await
}

/// `POST /accounts/{id}/disable` or `/enable` → the account with its new status.
pub async fn set_account_status(
    access_token: String,
    id: Uuid,
    status: AccountStatus,
) -> Result<Account, ClientError> {
    let action = match status {
        AccountStatus::Active => "enable",
        AccountStatus::Disabled => "disable",
    };
    let path = format!("/accounts/{id}/{action}");
    json(call(&access_token, Method::POST, &path, None).await?).await
}

/// `DELETE /accounts/{id}`: only a disabled account; answers the refund and the new balance.
pub async fn delete_account(
    access_token: String,
    id: Uuid,
) -> Result<DeleteAccountResponse, ClientError> {
    let path = format!("/accounts/{id}");
    json(call(&access_token, Method::DELETE, &path, None).await?).await
}

/// `POST /accounts/{id}/aliases` → 201 the alias.
pub async fn add_alias(
    access_token: String,
    id: Uuid,
    address: String,
) -> Result<Alias, ClientError> {
    let path = format!("/accounts/{id}/aliases");
    let request = AliasRequest { address };
    json(call(&access_token, Method::POST, &path, body(&request)).await?).await
}

/// `DELETE /accounts/{id}/aliases/{address}` → 204.
pub async fn delete_alias(
    access_token: String,
    id: Uuid,
    address: String,
) -> Result<(), ClientError> {
    let path = format!("/accounts/{id}/aliases/{}", encode(&address));
    call(&access_token, Method::DELETE, &path, None).await?;
    Ok(())
}

/// The names of the organization's verified domains (`GET /domains`, every page), by name:
/// where new addresses may go besides the provider domain.
pub async fn verified_domain_names(access_token: String) -> Result<Vec<String>, ClientError> {
    let mut names = Vec::new();
    let mut path = "/domains?limit=200".to_owned();
    loop {
        let response = call(&access_token, Method::GET, &path, None).await?;
        let page: Page<Domain> = json(response).await?;
        names.extend(
            page.items
                .into_iter()
                .filter(|d| d.status == DomainStatus::Verified)
                .map(|d| d.name),
        );
        match page.next_cursor {
            Some(next) => path = format!("/domains?limit=200&cursor={}", encode(&next)),
            None => return Ok(names),
        }
    }
}

/// `GET /organization`: the caller's organization, with its billing period and credit.
pub async fn own_organization(access_token: String) -> Result<Organization, ClientError> {
    json(call(&access_token, Method::GET, "/organization", None).await?).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_query_values_are_encoded() {
        assert_eq!(encode("sales+eu@example.org"), "sales%2Beu%40example.org");
        assert_eq!(encode("a/b c=d"), "a%2Fb%20c%3Dd");
        assert_eq!(encode("ada.l_1-~"), "ada.l_1-~");
    }
}
