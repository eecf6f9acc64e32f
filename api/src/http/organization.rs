//! The caller's organization and the plan catalog.

use actix_web::{HttpResponse, get, patch, web};
use serde_json::Value;
use shared::dto::{BillingPeriod, Organization, OrganizationPatch, Page, Plan};
use shared::value::{Invalid, parse_name};

use super::extract::{Admin, AdminOrOperator};
use super::input::Form;
use crate::error::Result;
use crate::service::{Services, organizations};

/// The organization with its caps (set by the owner's plan), usage and credit.
#[utoipa::path(tag = "organization", responses((status = 200, description = "The organization", body = Organization)), security(("bearer" = [])))]
#[get("/organization")]
pub async fn get_organization(s: web::Data<Services>, admin: Admin) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(organizations::get(&s, admin.org).await?))
}

/// The plan catalog, cheapest first.
#[utoipa::path(tag = "organization", responses((status = 200, description = "Every plan", body = Page<Plan>)), security(("bearer" = [])))]
#[get("/plans")]
pub async fn list_plans(s: web::Data<Services>, _caller: AdminOrOperator) -> Result<HttpResponse> {
    let items = organizations::plans(&s).await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: None,
    }))
}

/// Renames the organization or changes its billing period (from each account's next renewal).
#[utoipa::path(
    tag = "organization",
    request_body(content = OrganizationPatch, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The organization", body = Organization)),
    security(("bearer" = []))
)]
#[patch("/organization")]
pub async fn patch_organization(
    s: web::Data<Services>,
    admin: Admin,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["name", "billing_period", "provisioning_plan"]);
    let name = f.patch_required("name", |v| parse_name(v, 100));
    let period = f.patch_required("billing_period", |v| {
        BillingPeriod::parse(v).ok_or_else(|| Invalid("must be monthly or yearly".into()))
    });
    let provisioning_plan = f.patch_required("provisioning_plan", |v| Ok(v.trim().to_lowercase()));
    f.finish()?;
    let org = organizations::update(
        &s,
        &admin.auth.ctx,
        admin.org,
        name,
        period,
        provisioning_plan,
    )
    .await?;
    Ok(HttpResponse::Ok().json(org))
}
