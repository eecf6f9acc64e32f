//! Operator routes: organizations across the platform.

use actix_web::{HttpResponse, get, post, web};
use serde_json::Value;
use shared::dto::{CreateOrganizationRequest, CreateOrganizationResponse, Organization, Page};
use shared::value::{ExternalEmail, Password, Username, parse_name};

use super::extract::Operator;
use super::input::{Form, Query, present};
use super::{QueryPairs, created};
use crate::error::Result;
use crate::service::accounts::{self, NewOrganization};
use crate::service::{Services, organizations};

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
    query: QueryPairs,
) -> Result<HttpResponse> {
    let mut q = Query::new(&query, &["limit", "cursor"]);
    let (limit, cursor) = q.page();
    q.finish()?;
    Ok(HttpResponse::Ok().json(organizations::list(s.db.read(), limit, cursor.as_deref()).await?))
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
    let (org, account) = accounts::create_organization(&s, &op.0.ctx, new).await?;
    let id = org.id;
    let body = CreateOrganizationResponse {
        organization: organizations::dto(s.db.read(), org).await?,
        account: accounts::dto(s.db.read(), account).await?,
    };
    Ok(created(
        format!("/api/v1/operator/organizations/{id}"),
        &body,
    ))
}
