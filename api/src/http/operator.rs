//! Operator routes: organizations across the platform.

use actix_web::{HttpResponse, get, post, put, web};
use serde_json::Value;
use shared::dto::{
    AdjustmentRequest, CreateOrganizationRequest, CreateOrganizationResponse, LedgerEntry,
    Organization, OutboxMail, OutboxStatus, Page, TopUp, TopUpStatus,
};
use shared::value::Invalid;
use shared::value::{ExternalEmail, Password, Username, parse_name};

use super::extract::{Operator, parse_id};
use super::input::{Form, PageQuery, Query, present};
use super::{QueryPairs, created};
use crate::error::Result;
use crate::service::credit::{self, Payment};
use crate::service::organizations::{NewOrganization, PlanEdit};
use crate::service::{Services, organizations, outbox};

#[utoipa::path(
    tag = "operator",
    params(
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "Organizations, oldest first", body = Page<Organization>)),
    security(("bearer" = []))
)]
#[get("/operator/organizations")]
pub async fn list_organizations(
    s: web::Data<Services>,
    _op: Operator,
    page: PageQuery,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(organizations::list(&s, page.limit, page.cursor()).await?))
}

/// Creates an organization with its owner (on the free plan, at `<username>@<provider domain>`).
#[utoipa::path(
    tag = "operator",
    request_body = CreateOrganizationRequest,
    responses(
        (status = 201, description = "Created", body = CreateOrganizationResponse),
        (status = 409, description = "`username_taken`", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/operator/organizations")]
pub async fn create_organization(
    s: web::Data<Services>,
    op: Operator,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["organization_name", "owner"]);
    let name = f.required("organization_name", |v| parse_name(v, 100));
    let owner = f.nested(
        "owner",
        &[
            "first_name",
            "last_name",
            "username",
            "password",
            "external_email",
        ],
        |o| {
            (
                o.required("first_name", |v| parse_name(v, 100)),
                o.required("last_name", |v| parse_name(v, 100)),
                o.required("username", Username::parse),
                o.required("password", Password::parse),
                o.optional("external_email", ExternalEmail::parse),
            )
        },
    );
    let owner = match owner {
        super::input::Patch::Set(owner) => Some(owner),
        _ => {
            f.error("owner", "is required");
            None
        }
    };
    f.finish()?;
    let (first, last, username, password, external) = present(owner)?;
    let new = NewOrganization {
        name: present(name)?,
        owner_first_name: present(first)?,
        owner_last_name: present(last)?,
        owner_username: present(username)?,
        owner_password: present(password)?,
        owner_external_email: external,
    };
    let (organization, account) = organizations::create(&s, &op.0.ctx, new).await?;
    let id = organization.id;
    let body = CreateOrganizationResponse {
        organization,
        account,
    };
    Ok(created(
        format!("/api/v1/operator/organizations/{id}"),
        &body,
    ))
}

/// Top-ups across organizations, newest first.
#[utoipa::path(
    tag = "operator",
    params(
        ("status" = Option<TopUpStatus>, Query, description = "`pending` or `credited`"),
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "Top-ups", body = Page<TopUp>)),
    security(("bearer" = []))
)]
#[get("/operator/top-ups")]
pub async fn list_top_ups(
    s: web::Data<Services>,
    _op: Operator,
    query: QueryPairs,
) -> Result<HttpResponse> {
    let mut q = Query::new(&query, &["status", "limit", "cursor"]);
    let (limit, cursor) = q.page();
    let status = q.get("status", |v| match v {
        "pending" => Ok(TopUpStatus::Pending),
        "credited" => Ok(TopUpStatus::Credited),
        _ => Err(Invalid("must be pending or credited".into())),
    });
    q.finish()?;
    Ok(HttpResponse::Ok().json(credit::top_ups(&s, None, status, limit, cursor.as_deref()).await?))
}

/// Records a received payment: credits the top-up, once (confirming it again changes nothing).
#[utoipa::path(
    tag = "operator",
    params(
        ("id" = Uuid, Path, description = "Organization id"),
        ("top_up_id" = Uuid, Path, description = "Top-up id"),
    ),
    responses((status = 200, description = "The credited top-up", body = TopUp)),
    security(("bearer" = []))
)]
#[post("/operator/organizations/{id}/top-ups/{top_up_id}/confirm")]
pub async fn confirm_top_up(
    s: web::Data<Services>,
    op: Operator,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let org = parse_id(&path.0, "organization")?;
    let id = parse_id(&path.1, "top-up")?;
    let (top_up, _) =
        credit::credit_top_up(&s, &op.0.ctx, Some(org), id, Payment::Operator).await?;
    Ok(HttpResponse::Ok().json(top_up))
}

/// An adjustment of the organization's credit, with a memo; never below zero.
#[utoipa::path(
    tag = "operator",
    params(("id" = Uuid, Path, description = "Organization id")),
    request_body = AdjustmentRequest,
    responses(
        (status = 201, description = "The ledger entry", body = LedgerEntry),
        (status = 402, description = "`credit_insufficient`: the balance would go below zero (`missing_cents`)", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/operator/organizations/{id}/credit/adjustments")]
pub async fn adjust_credit(
    s: web::Data<Services>,
    op: Operator,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let org = parse_id(&id, "organization")?;
    let mut f = Form::new(&body, &["amount_cents", "memo"]);
    let amount = f.required_int("amount_cents", -10_000_000_000, 10_000_000_000);
    let memo = f.required("memo", |v| shared::value::parse_name(v, 500));
    if amount == Some(0) {
        f.error("amount_cents", "must not be zero");
    }
    f.finish()?;
    let entry = credit::adjust(&s, &op.0.ctx, org, present(amount)?, present(memo)?).await?;
    let location = format!("/api/v1/credit/transactions/{}", entry.id);
    Ok(created(location, &entry))
}

/// Edits a plan of the catalog. New prices apply to periods charged from now on; refunds follow
/// what each period actually cost.
#[utoipa::path(
    tag = "operator",
    params(("code" = String, Path, description = "Plan code")),
    request_body = shared::dto::PlanUpdate,
    responses((status = 200, description = "The plan", body = shared::dto::Plan)),
    security(("bearer" = []))
)]
#[put("/operator/plans/{code}")]
pub async fn put_plan(
    s: web::Data<Services>,
    op: Operator,
    code: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(
        &body,
        &[
            "name",
            "monthly_price_cents",
            "max_aliases",
            "storage_mb",
            "caps",
        ],
    );
    let name = f.required("name", |v| parse_name(v, 100));
    let price = f.required_int("monthly_price_cents", 0, 100_000_000);
    let aliases = f.required_int("max_aliases", 0, 10_000);
    let storage = f.required_int("storage_mb", 0, 100_000_000);
    let caps = f.nested("caps", &["accounts", "free_accounts", "domains"], |c| {
        (
            c.required_int("accounts", 1, 10_000_000),
            c.required_int("free_accounts", 0, 10_000_000),
            c.required_int("domains", 0, 1_000_000),
        )
    });
    let caps = match caps {
        super::input::Patch::Set(caps) => Some(caps),
        _ => {
            f.error("caps", "is required");
            None
        }
    };
    f.finish()?;
    let (accounts, free_accounts, domains) = present(caps)?;
    let edit = PlanEdit {
        code: code.trim().to_lowercase(),
        name: present(name)?,
        monthly_price_cents: present(price)?,
        max_aliases: present(aliases)?,
        storage_mb: present(storage)?,
        caps: shared::dto::Caps {
            accounts: present(accounts)?,
            free_accounts: present(free_accounts)?,
            domains: present(domains)?,
        },
    };
    Ok(HttpResponse::Ok().json(organizations::update_plan(&s, &op.0.ctx, edit).await?))
}

/// The mails Postwarden sends, newest first: what is queued, what left, what failed after 24
/// hours of retries (with the last error). Bodies are never shown.
#[utoipa::path(
    tag = "operator",
    params(
        ("status" = Option<OutboxStatus>, Query, description = "`queued`, `sent` or `failed`"),
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "Mails", body = Page<OutboxMail>)),
    security(("bearer" = []))
)]
#[get("/operator/outbox")]
pub async fn list_outbox(
    s: web::Data<Services>,
    _op: Operator,
    query: QueryPairs,
) -> Result<HttpResponse> {
    let mut q = Query::new(&query, &["status", "limit", "cursor"]);
    let (limit, cursor) = q.page();
    let status = q.get("status", |v| {
        OutboxStatus::parse(v).ok_or_else(|| Invalid("must be queued, sent or failed".into()))
    });
    q.finish()?;
    Ok(HttpResponse::Ok().json(outbox::list(&s, status, limit, cursor.as_deref()).await?))
}
