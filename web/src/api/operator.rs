//! The provider operator's calls: organizations, top-ups to confirm, the plan catalog.

use gloo_net::http::Request;
use shared::dto::{
    AdjustmentRequest, CreateOrganizationRequest, CreateOrganizationResponse, LedgerEntry,
    Organization, Page, Plan, PlanUpdate, TopUp, TopUpStatus,
};
use shared::{ErrorCode, Problem};
use uuid::Uuid;

use super::{ClientError, bearer, build, json, send, url, with_json};

/// `GET /operator/organizations?limit=&cursor=`: one page, oldest first.
pub async fn operator_organizations(
    access_token: String,
    limit: Option<u32>,
    cursor: Option<String>,
) -> Result<Page<Organization>, ClientError> {
    let limit = limit.map(|l| l.to_string());
    let mut query: Vec<(&str, &str)> = Vec::new();
    if let Some(limit) = limit.as_deref() {
        query.push(("limit", limit));
    }
    if let Some(cursor) = cursor.as_deref() {
        query.push(("cursor", cursor));
    }
    let builder = Request::get(&url("/operator/organizations")).query(query);
    let response = send(build(bearer(builder, &access_token))?).await?;
    json(response).await
}

/// `POST /operator/organizations` → 201 the organization and its owner.
pub async fn operator_create_organization(
    access_token: String,
    request: CreateOrganizationRequest,
) -> Result<CreateOrganizationResponse, ClientError> {
    let builder = bearer(
        Request::post(&url("/operator/organizations")),
        &access_token,
    );
    let response = send(with_json(builder, &request)?).await?;
    json(response).await
}

/// `POST /operator/organizations/{id}/credit/adjustments` → 201 the ledger entry.
pub async fn operator_adjust_credit(
    access_token: String,
    organization: Uuid,
    request: AdjustmentRequest,
) -> Result<LedgerEntry, ClientError> {
    let path = format!("/operator/organizations/{organization}/credit/adjustments");
    let builder = bearer(Request::post(&url(&path)), &access_token);
    let response = send(with_json(builder, &request)?).await?;
    json(response).await
}

/// `GET /operator/top-ups?status=&cursor=`: top-ups of every organization, newest first;
/// `None` lists them whatever their status.
pub async fn operator_top_ups(
    access_token: String,
    status: Option<TopUpStatus>,
    cursor: Option<String>,
) -> Result<Page<TopUp>, ClientError> {
    let mut query: Vec<(&str, &str)> = Vec::new();
    match status {
        Some(TopUpStatus::Pending) => query.push(("status", "pending")),
        Some(TopUpStatus::Credited) => query.push(("status", "credited")),
        None => {}
    }
    if let Some(cursor) = cursor.as_deref() {
        query.push(("cursor", cursor));
    }
    let builder = Request::get(&url("/operator/top-ups")).query(query);
    let response = send(build(bearer(builder, &access_token))?).await?;
    json(response).await
}

/// `POST /operator/organizations/{org}/top-ups/{id}/confirm` → 200 the credited top-up (also
/// when it was already credited).
pub async fn operator_confirm_top_up(
    access_token: String,
    organization: Uuid,
    top_up: Uuid,
) -> Result<TopUp, ClientError> {
    let path = format!("/operator/organizations/{organization}/top-ups/{top_up}/confirm");
    let response = send(build(bearer(Request::post(&url(&path)), &access_token))?).await?;
    json(response).await
}

/// `PUT /operator/plans/{code}` → 200 the plan as saved (its yearly price computed by the
/// server). A code with characters no plan code has is answered `not_found` without asking.
pub async fn operator_update_plan(
    access_token: String,
    code: String,
    update: PlanUpdate,
) -> Result<Plan, ClientError> {
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if code.is_empty() || !code.chars().all(plain) {
        return Err(ClientError::Problem {
            problem: Box::new(Problem::new(ErrorCode::NotFound, "No such plan.")),
            retry_after: None,
        });
    }
    let builder = bearer(
        Request::put(&url(&format!("/operator/plans/{code}"))),
        &access_token,
    );
    let response = send(with_json(builder, &update)?).await?;
    json(response).await
}
