//! The caller's organization and the plan catalog.

use actix_web::{HttpResponse, get, web};
use shared::dto::{Organization, Page, Plan};

use super::extract::{Admin, AdminOrOperator};
use crate::error::Result;
use crate::service::{Services, organizations};

/// The organization with its caps (set by the owner's plan), usage and credit.
#[utoipa::path(tag = "organization", responses((status = 200, description = "The organization", body = Organization)), security(("bearer" = [])))]
#[get("/organization")]
pub async fn get_organization(s: web::Data<Services>, admin: Admin) -> Result<HttpResponse> {
    let org = organizations::find(s.db.read(), admin.org).await?;
    Ok(HttpResponse::Ok().json(organizations::dto(s.db.read(), org).await?))
}

/// The plan catalog, cheapest first.
#[utoipa::path(tag = "organization", responses((status = 200, description = "Every plan", body = Page<Plan>)), security(("bearer" = [])))]
#[get("/plans")]
pub async fn list_plans(s: web::Data<Services>, _caller: AdminOrOperator) -> Result<HttpResponse> {
    let items = organizations::plans(s.db.read(), s.config.yearly_discount_percent).await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: None,
    }))
}
