//! Domains (admin).

use actix_web::{HttpResponse, delete, get, post, web};
use serde_json::Value;
use shared::dto::{Domain, DomainRequest, Page};
use shared::value::DomainName;

use super::created;
use super::extract::{Admin, parse_id};
use super::input::{Form, PageQuery, present};
use crate::error::Result;
use crate::service::{Services, domains};

#[utoipa::path(
    tag = "domains",
    params(
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "Domains, by name", body = Page<Domain>)),
    security(("bearer" = []))
)]
#[get("/domains")]
pub async fn list_domains(
    s: web::Data<Services>,
    admin: Admin,
    page: PageQuery,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(domains::list(&s, admin.org, page.limit, page.cursor()).await?))
}

/// Adds a domain: lowercased, internationalized names in punycode; pending until verified.
#[utoipa::path(
    tag = "domains",
    request_body = DomainRequest,
    responses(
        (status = 201, description = "Added, with the records to publish", body = Domain),
        (status = 409, description = "`conflict` (already held), `domain_taken` (verified elsewhere) or `limit_reached` (`cap: domains`)", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/domains")]
pub async fn add_domain(
    s: web::Data<Services>,
    admin: Admin,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["name"]);
    let name = f.required("name", DomainName::parse);
    f.finish()?;
    let domain = domains::add(&s, &admin.auth.ctx, admin.org, &present(name)?).await?;
    Ok(created(format!("/api/v1/domains/{}", domain.id), &domain))
}

#[utoipa::path(
    tag = "domains",
    params(("id" = Uuid, Path, description = "Domain id")),
    responses((status = 200, description = "The domain and the records to publish", body = Domain)),
    security(("bearer" = []))
)]
#[get("/domains/{id}")]
pub async fn get_domain(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "domain")?;
    Ok(HttpResponse::Ok().json(domains::get(&s, admin.org, id).await?))
}

/// Looks up `postwarden-verification=<token>` in a TXT record at the apex, over real DNS.
#[utoipa::path(
    tag = "domains",
    params(("id" = Uuid, Path, description = "Domain id")),
    responses(
        (status = 200, description = "Verified", body = Domain),
        (status = 409, description = "`domain_not_verified` (`found`: the TXT values seen) or `domain_taken`", body = shared::Problem, content_type = "application/problem+json"),
        (status = 503, description = "`dns_unavailable`", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/domains/{id}/verify")]
pub async fn verify_domain(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "domain")?;
    Ok(HttpResponse::Ok().json(domains::verify(&s, &admin.auth.ctx, admin.org, id).await?))
}

/// Re-queries every record to publish and reports its status.
#[utoipa::path(
    tag = "domains",
    params(("id" = Uuid, Path, description = "Domain id")),
    responses(
        (status = 200, description = "The domain with each record's status", body = Domain),
        (status = 503, description = "`dns_unavailable`", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/domains/{id}/check")]
pub async fn check_domain(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "domain")?;
    Ok(HttpResponse::Ok().json(domains::check(&s, admin.org, id).await?))
}

#[utoipa::path(
    tag = "domains",
    params(("id" = Uuid, Path, description = "Domain id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "`domain_in_use` (`address_count`)", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/domains/{id}")]
pub async fn delete_domain(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "domain")?;
    domains::delete(&s, &admin.auth.ctx, admin.org, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
