//! Sign-up and sessions.

use actix_web::{HttpResponse, post, web};
use serde_json::Value;
use shared::ErrorCode;
use shared::dto::{
    LoginRequest, LoginResponse, PasswordResetConfirm, PasswordResetRequest, RefreshRequest,
    SignupRequest, SignupResponse, TokenPair,
};
use shared::value::{ExternalEmail, Password, Username, parse_name};

use super::extract::Auth;
use super::input::{Form, present};
use super::secret_json;
use crate::error::{Error, Result};
use crate::service::audit::Ctx;
use crate::service::organizations::NewOrganization;
use crate::service::{Services, organizations, sessions};

fn raw(s: &str) -> Result<String, shared::value::Invalid> {
    Ok(s.to_owned())
}

/// Opens an organization and its owner, who starts on the free plan at
/// `<username>@<provider domain>`, and signs the owner in.
#[utoipa::path(
    tag = "sessions",
    request_body = SignupRequest,
    responses(
        (status = 201, description = "Organization and owner created, owner signed in", body = SignupResponse),
        (status = 403, description = "Public sign-up is turned off (`signup_disabled`)", body = shared::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`username_taken`", body = shared::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this address (10 an hour); see `Retry-After`", body = shared::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/signup")]
pub async fn signup(
    s: web::Data<Services>,
    ctx: Ctx,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    if !s.config.signup {
        return Err(Error::new(
            ErrorCode::SignupDisabled,
            "public sign-up is turned off; ask the provider for an organization",
        ));
    }
    let mut f = Form::new(
        &body,
        &[
            "organization_name",
            "first_name",
            "last_name",
            "username",
            "password",
            "external_email",
        ],
    );
    let name = f.required("organization_name", |v| parse_name(v, 100));
    let first = f.required("first_name", |v| parse_name(v, 100));
    let last = f.required("last_name", |v| parse_name(v, 100));
    let username = f.required("username", Username::parse);
    let password = f.required("password", Password::parse);
    let external = f.optional("external_email", ExternalEmail::parse);
    f.finish()?;
    sessions::count_signup(&s, &ctx).await?;
    let new = NewOrganization {
        name: present(name)?,
        owner_first_name: present(first)?,
        owner_last_name: present(last)?,
        owner_username: present(username)?,
        owner_password: present(password)?,
        owner_external_email: external,
    };
    let (organization, account) = organizations::create(&s, &ctx, new).await?;
    let owner = ctx.with_actor(format!("account:{}", account.id));
    let tokens = sessions::open_for(&s, &owner, account.id, account.organization_id).await?;
    let body = SignupResponse {
        organization,
        account,
        access_token: tokens.access_token,
        token_type: "Bearer".into(),
        expires_in: tokens.expires_in,
        refresh_token: tokens.refresh_token,
    };
    let mut response = HttpResponse::Created();
    response.insert_header((actix_web::http::header::LOCATION, "/api/v1/organization"));
    Ok(secret_json(response, &body))
}

/// Signs in by username or primary address.
#[utoipa::path(
    tag = "sessions",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 401, description = "Wrong login or password (the same answer for unknown users and disabled accounts)", body = shared::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see `Retry-After`", body = shared::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/login")]
pub async fn login(
    s: web::Data<Services>,
    ctx: Ctx,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["login", "password"]);
    let name = f.required("login", raw);
    let password = f.required("password", raw);
    f.finish()?;
    let (account, tokens) = sessions::login(&s, &ctx, &present(name)?, &present(password)?).await?;
    let body = LoginResponse {
        access_token: tokens.access_token,
        token_type: "Bearer".into(),
        expires_in: tokens.expires_in,
        refresh_token: tokens.refresh_token,
        account,
    };
    Ok(secret_json(HttpResponse::Ok(), &body))
}

/// Exchanges a refresh token for a new pair (the old refresh token stops working).
#[utoipa::path(
    tag = "sessions",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenPair),
        (status = 401, description = "Refresh token invalid, used or expired", body = shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    s: web::Data<Services>,
    ctx: Ctx,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["refresh_token"]);
    let token = f.required("refresh_token", raw);
    f.finish()?;
    let tokens = sessions::refresh(&s, &ctx, &present(token)?).await?;
    let body = TokenPair {
        access_token: tokens.access_token,
        token_type: "Bearer".into(),
        expires_in: tokens.expires_in,
        refresh_token: tokens.refresh_token,
    };
    Ok(secret_json(HttpResponse::Ok(), &body))
}

/// Ends the session: its access and refresh tokens stop working at once.
#[utoipa::path(tag = "sessions", responses((status = 204, description = "Signed out")), security(("bearer" = [])))]
#[post("/auth/logout")]
pub async fn logout(s: web::Data<Services>, auth: Auth) -> Result<HttpResponse> {
    sessions::logout(&s, &auth.ctx, &auth.principal).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mails a single-use reset link to the account's external address. Always 202, at once,
/// whether or not the account exists or has an external address, and whether or not throttled:
/// the work runs after the answer.
#[utoipa::path(
    tag = "sessions",
    request_body = PasswordResetRequest,
    responses((status = 202, description = "Accepted; a mail leaves if the account has an external address"))
)]
#[post("/auth/password-reset")]
pub async fn password_reset(
    s: web::Data<Services>,
    ctx: Ctx,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["login"]);
    let name = f.required("login", raw);
    f.finish()?;
    sessions::request_reset_in_background(&s, &ctx, present(name)?);
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password with a reset token; every session of the account is revoked.
#[utoipa::path(
    tag = "sessions",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "Password changed"),
        (status = 422, description = "`invalid_token` (unknown, used or expired) or `validation_failed`", body = shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn password_reset_confirm(
    s: web::Data<Services>,
    ctx: Ctx,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["token", "new_password"]);
    let token = f.required("token", raw);
    let password = f.required("new_password", Password::parse);
    f.finish()?;
    sessions::confirm_reset(&s, &ctx, &present(token)?, &present(password)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
