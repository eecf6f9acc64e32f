//! Self-service: any signed-in account reads and updates its own personal data, password and
//! photo.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use serde_json::Value;
use shared::dto::{AccountPatch, ChangePasswordRequest, Me};
use shared::value::{Invalid, Password};

use super::accounts::{personal, personal_or_clear, serve_photo, store_photo};
use super::extract::Auth;
use super::input::{Form, present};
use crate::error::Result;
use crate::service::accounts::{self, AccountUpdate};
use crate::service::{Services, photo, sessions};

/// The caller's account, with role and organization.
#[utoipa::path(tag = "me", responses((status = 200, description = "The caller", body = Me)), security(("bearer" = [])))]
#[get("/me")]
pub async fn get_me(s: web::Data<Services>, auth: Auth) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::me(&s, auth.principal.account()?).await?))
}

/// Merge patch of the caller's personal data; any other field is 422.
#[utoipa::path(
    tag = "me",
    request_body(content = AccountPatch, content_type = "application/merge-patch+json", description = "Only `personal`"),
    responses((status = 200, description = "The caller, updated", body = Me)),
    security(("bearer" = []))
)]
#[patch("/me")]
pub async fn patch_me(
    s: web::Data<Services>,
    auth: Auth,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["personal", "current_password"]);
    let personal = personal_or_clear(personal(&mut f, auth.ctx.now.date_naive()));
    let current_password = f.optional("current_password", |v| Ok(v.to_owned()));
    f.finish()?;
    match auth.principal.org {
        Some(org) => {
            let update = AccountUpdate {
                personal,
                by_self: true,
                current_password,
                ..AccountUpdate::default()
            };
            accounts::update(&s, &auth.ctx, auth.principal.account()?, org, update).await?;
        }
        // Operators have no personal data to keep.
        None => {
            return Err(crate::error::Error::forbidden(
                "operators have no personal data",
            ));
        }
    }
    Ok(HttpResponse::Ok().json(accounts::me(&s, auth.principal.account()?).await?))
}

/// Changes the caller's password; the current one is required; other sessions are revoked.
#[utoipa::path(
    tag = "me",
    request_body = ChangePasswordRequest,
    responses((status = 204, description = "Password changed")),
    security(("bearer" = []))
)]
#[post("/me/password")]
pub async fn change_password(
    s: web::Data<Services>,
    auth: Auth,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["current_password", "new_password"]);
    let current = f.required("current_password", |v| Ok::<_, Invalid>(v.to_owned()));
    let new = f.required("new_password", Password::parse);
    f.finish()?;
    sessions::change_password(
        &s,
        &auth.ctx,
        &auth.principal,
        &present(current)?,
        &present(new)?,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    tag = "me",
    request_body(content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg")), description = "At most 1 MiB and 4096×4096 pixels"),
    responses(
        (status = 204, description = "Stored"),
        (status = 413, description = "Over 1 MiB", body = shared::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a PNG or JPEG", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/me/photo")]
pub async fn put_photo(
    s: web::Data<Services>,
    auth: Auth,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse> {
    store_photo(
        &s,
        &auth.ctx,
        auth.principal.account()?,
        auth.principal.org,
        &req,
        payload,
    )
    .await
}

#[utoipa::path(
    tag = "me",
    responses((status = 200, description = "The photo, at most 512×512", content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg")))),
    security(("bearer" = []))
)]
#[get("/me/photo")]
pub async fn get_photo(s: web::Data<Services>, auth: Auth) -> Result<HttpResponse> {
    serve_photo(&s, auth.principal.account()?).await
}

#[utoipa::path(tag = "me", responses((status = 204, description = "Deleted")), security(("bearer" = [])))]
#[delete("/me/photo")]
pub async fn delete_photo(s: web::Data<Services>, auth: Auth) -> Result<HttpResponse> {
    photo::delete(&s, &auth.ctx, auth.principal.account()?, auth.principal.org).await?;
    Ok(HttpResponse::NoContent().finish())
}
