//! Accounts and the plan catalog, as an organization's admin sees them.

use gloo_net::http::Request;
use shared::dto::{Account, CreateAccountRequest, Page, Plan};
use shared::{ErrorCode, Problem};

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
