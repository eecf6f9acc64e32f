//! Groups (admin).

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use serde_json::Value;
use shared::dto::{Account, CreateGroupRequest, Group, GroupPatch, Page};
use shared::value::{EmailAddress, parse_name, parse_text};

use super::created;
use super::extract::{Admin, parse_id};
use super::input::{Form, PageQuery, present};
use crate::error::Result;
use crate::service::{Services, groups};

fn description(v: &str) -> Result<String, shared::value::Invalid> {
    parse_text(v, 500).map(Option::unwrap_or_default)
}

#[utoipa::path(
    tag = "groups",
    params(
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "Groups, by name", body = Page<Group>)),
    security(("bearer" = []))
)]
#[get("/groups")]
pub async fn list_groups(
    s: web::Data<Services>,
    admin: Admin,
    page: PageQuery,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(groups::list(&s, admin.org, page.limit, page.cursor()).await?))
}

/// Creates a group; its name is unique in the organization (409 `conflict`), its optional
/// address follows the address rules.
#[utoipa::path(
    tag = "groups",
    request_body = CreateGroupRequest,
    responses(
        (status = 201, description = "Created", body = Group),
        (status = 409, description = "`conflict` (name) or `address_taken`", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/groups")]
pub async fn create_group(
    s: web::Data<Services>,
    admin: Admin,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["name", "description", "email"]);
    let name = f.required("name", |v| parse_name(v, 100));
    let description = f.optional("description", description).unwrap_or_default();
    let email = f.optional("email", EmailAddress::parse);
    f.finish()?;
    let group = groups::create(
        &s,
        &admin.auth.ctx,
        admin.org,
        present(name)?,
        description,
        email,
    )
    .await?;
    Ok(created(format!("/api/v1/groups/{}", group.id), &group))
}

#[utoipa::path(
    tag = "groups",
    params(("id" = Uuid, Path, description = "Group id")),
    responses((status = 200, description = "The group", body = Group)),
    security(("bearer" = []))
)]
#[get("/groups/{id}")]
pub async fn get_group(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "group")?;
    Ok(HttpResponse::Ok().json(groups::get(&s, admin.org, id).await?))
}

/// Merge patch: `name`, `description`, `email` (`null` removes the address).
#[utoipa::path(
    tag = "groups",
    params(("id" = Uuid, Path, description = "Group id")),
    request_body(content = GroupPatch, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The group", body = Group)),
    security(("bearer" = []))
)]
#[patch("/groups/{id}")]
pub async fn patch_group(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "group")?;
    groups::get(&s, admin.org, id).await?;
    let mut f = Form::new(&body, &["name", "description", "email"]);
    let name = f.patch_required("name", |v| parse_name(v, 100));
    let description = f.patch("description", description);
    let email = f.patch("email", EmailAddress::parse);
    f.finish()?;
    let group =
        groups::update(&s, &admin.auth.ctx, admin.org, id, name, description, email).await?;
    Ok(HttpResponse::Ok().json(group))
}

/// Deletes the group and its memberships and address; its accounts stay.
#[utoipa::path(
    tag = "groups",
    params(("id" = Uuid, Path, description = "Group id")),
    responses((status = 204, description = "Deleted")),
    security(("bearer" = []))
)]
#[delete("/groups/{id}")]
pub async fn delete_group(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "group")?;
    groups::delete(&s, &admin.auth.ctx, admin.org, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    tag = "groups",
    params(
        ("id" = Uuid, Path, description = "Group id"),
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "Members, by username", body = Page<Account>)),
    security(("bearer" = []))
)]
#[get("/groups/{id}/members")]
pub async fn list_members(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
    page: PageQuery,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "group")?;
    Ok(HttpResponse::Ok()
        .json(groups::members(&s, admin.org, id, page.limit, page.cursor()).await?))
}

async fn set_member(
    s: &Services,
    admin: &Admin,
    path: &(String, String),
    member: bool,
) -> Result<HttpResponse> {
    let id = parse_id(&path.0, "group")?;
    let account = parse_id(&path.1, "account")?;
    groups::set_member(s, &admin.auth.ctx, admin.org, id, account, member).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds an account of the organization to the group (idempotent).
#[utoipa::path(
    tag = "groups",
    params(("id" = Uuid, Path, description = "Group id"), ("account_id" = Uuid, Path, description = "Account id")),
    responses((status = 204, description = "A member")),
    security(("bearer" = []))
)]
#[put("/groups/{id}/members/{account_id}")]
pub async fn add_member(
    s: web::Data<Services>,
    admin: Admin,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    set_member(&s, &admin, &path, true).await
}

/// Removes an account from the group (idempotent).
#[utoipa::path(
    tag = "groups",
    params(("id" = Uuid, Path, description = "Group id"), ("account_id" = Uuid, Path, description = "Account id")),
    responses((status = 204, description = "Not a member")),
    security(("bearer" = []))
)]
#[delete("/groups/{id}/members/{account_id}")]
pub async fn remove_member(
    s: web::Data<Services>,
    admin: Admin,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    set_member(&s, &admin, &path, false).await
}
