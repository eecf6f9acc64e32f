//! API keys (admins signed in; a key cannot manage keys: the route table says so).

use actix_web::{HttpResponse, delete, get, post, web};
use ipnet::IpNet;
use serde_json::Value;
use shared::dto::{ApiKey, CreateApiKeyRequest, CreatedApiKey, Page, Scope};
use shared::value::{Invalid, parse_name};

use super::extract::{Admin, parse_id};
use super::input::{Form, PageQuery, present, rfc3339};
use super::secret_json;
use crate::error::Result;
use crate::service::Services;
use crate::service::api_keys::{self, NewKey};

/// A network in CIDR notation or a bare address, stored truncated (`10.1.2.3/8` → `10.0.0.0/8`).
fn network(raw: &str) -> Result<IpNet, Invalid> {
    crate::config::network(raw.trim())
        .map(|n| n.trunc())
        .ok_or_else(|| Invalid("must be a network in CIDR notation, such as 203.0.113.0/24".into()))
}

/// Makes a key. Its `secret` is in this answer only; the key acts as a non-owner admin of the
/// organization, limited to its scopes.
#[utoipa::path(
    tag = "api-keys",
    request_body = CreateApiKeyRequest,
    responses((status = 201, description = "The key, with its secret shown this once", body = CreatedApiKey)),
    security(("bearer" = []))
)]
#[post("/api-keys")]
pub async fn create_api_key(
    s: web::Data<Services>,
    admin: Admin,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["name", "scopes", "expires_at", "allowed_networks"]);
    let name = f.required("name", |v| parse_name(v, 100));
    let scopes = f.list("scopes", true, Scope::parse);
    let expires_at = f.optional("expires_at", rfc3339);
    let allowed_networks = f.list("allowed_networks", false, network);
    f.finish()?;
    let key = api_keys::create(
        &s,
        &admin.auth.ctx,
        admin.org,
        admin.auth.principal.account()?,
        NewKey {
            name: present(name)?,
            scopes: present(scopes)?,
            expires_at,
            allowed_networks,
        },
    )
    .await?;
    let mut answer = HttpResponse::Created();
    answer.insert_header((
        actix_web::http::header::LOCATION,
        format!("/api/v1/api-keys/{}", key.key.id),
    ));
    Ok(secret_json(answer, &key))
}

#[utoipa::path(
    tag = "api-keys",
    params(
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "The organization's keys, newest first", body = Page<ApiKey>)),
    security(("bearer" = []))
)]
#[get("/api-keys")]
pub async fn list_api_keys(
    s: web::Data<Services>,
    admin: Admin,
    page: PageQuery,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(api_keys::list(&s, admin.org, page.limit, page.cursor()).await?))
}

#[utoipa::path(
    tag = "api-keys",
    params(("id" = Uuid, Path, description = "API key id")),
    responses((status = 200, description = "The key (never its secret)", body = ApiKey)),
    security(("bearer" = []))
)]
#[get("/api-keys/{id}")]
pub async fn get_api_key(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "API key")?;
    Ok(HttpResponse::Ok().json(api_keys::get(&s, admin.org, id).await?))
}

/// Revokes the key: it stops working at once and leaves the list.
#[utoipa::path(
    tag = "api-keys",
    params(("id" = Uuid, Path, description = "API key id")),
    responses((status = 204, description = "Revoked")),
    security(("bearer" = []))
)]
#[delete("/api-keys/{id}")]
pub async fn revoke_api_key(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "API key")?;
    api_keys::revoke(&s, &admin.auth.ctx, admin.org, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
