//! Accounts (admin).

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use chrono::NaiveDate;
use serde_json::Value;
use shared::dto::{
    Account, AccountPatch, AccountStatus, CreateAccountRequest, Page, SetPasswordRequest,
};
use shared::value::{
    CountryCode, EmailAddress, ExternalEmail, Invalid, Password, PhoneNumber, Username,
    parse_birthdate, parse_name, parse_text,
};
use uuid::Uuid;

use super::extract::{Admin, parse_id};
use super::input::{Form, Patch, Query, present, read_limited};
use super::{QueryPairs, created};
use crate::error::{Error, Result};
use crate::service::Services;
use crate::service::accounts::{
    self, AccountUpdate, ListFilter, NewAccount, PersonalPatch, PostalPatch,
};
use crate::service::audit::Ctx;
use crate::service::cache::AccountView;
use crate::service::{aliases, photo, subscriptions};

const PERSONAL: &[&str] = &[
    "external_email",
    "mobile_phone",
    "postal_address",
    "birthdate",
];
const POSTAL: &[&str] = &["street", "postal_code", "city", "region", "country"];

fn text(max: usize) -> impl Fn(&str) -> Result<String, Invalid> {
    move |s| parse_text(s, max).map(Option::unwrap_or_default)
}

/// The `personal` member of a create request or merge patch; a birthdate may not be after
/// `today`.
pub fn personal(f: &mut Form<'_>, today: NaiveDate) -> Patch<PersonalPatch> {
    f.nested("personal", PERSONAL, |p| PersonalPatch {
        external_email: p.patch("external_email", ExternalEmail::parse),
        mobile_phone: p.patch("mobile_phone", PhoneNumber::parse),
        postal_address: p.nested("postal_address", POSTAL, |a| PostalPatch {
            street: a.patch("street", text(200)),
            postal_code: a.patch("postal_code", text(20)),
            city: a.patch("city", text(100)),
            region: a.patch("region", text(100)),
            country: a.patch("country", CountryCode::parse),
        }),
        birthdate: p.patch("birthdate", |s| parse_birthdate(s, today)),
    })
}

pub fn personal_or_clear(p: Patch<PersonalPatch>) -> PersonalPatch {
    match p {
        Patch::Absent => PersonalPatch::default(),
        Patch::Clear => PersonalPatch::clear_all(),
        Patch::Set(p) => p,
    }
}

/// The account `raw_id` of the admin's organization (404 for any other).
async fn found(s: &Services, admin: &Admin, raw_id: &str) -> Result<std::sync::Arc<AccountView>> {
    accounts::view_in(s, admin.org, parse_id(raw_id, "account")?).await
}

/// The organization's accounts sorted by username. `q` is a case-insensitive prefix match on
/// first name, last name, username and every address of the account.
#[utoipa::path(
    tag = "accounts",
    params(
        ("q" = Option<String>, Query, description = "Prefix of a first name, last name, username or address"),
        ("status" = Option<AccountStatus>, Query, description = "Only active or only disabled accounts"),
        ("plan" = Option<String>, Query, description = "Only accounts on this plan"),
        ("group_id" = Option<Uuid>, Query, description = "Only members of this group"),
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "One page of accounts", body = Page<Account>)),
    security(("bearer" = []))
)]
#[get("/accounts")]
pub async fn list_accounts(
    s: web::Data<Services>,
    admin: Admin,
    query: QueryPairs,
) -> Result<HttpResponse> {
    let mut q = Query::new(
        &query,
        &["q", "status", "plan", "group_id", "limit", "cursor"],
    );
    let (limit, cursor) = q.page();
    let filter = ListFilter {
        q: q.get("q", |v| Ok(v.to_owned())),
        status: q.get("status", |v| {
            AccountStatus::parse(v).ok_or_else(|| Invalid("must be active or disabled".into()))
        }),
        plan: q.get("plan", |v| Ok(v.to_owned())),
        group_id: q.get("group_id", |v| {
            Uuid::parse_str(v).map_err(|_| Invalid("must be a UUID".into()))
        }),
    };
    q.finish()?;
    let page = accounts::list(&s, admin.org, filter, limit, cursor.as_deref()).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates an account. Its primary address is `<username>@<provider domain>` until the
/// organization has verified domains of its own.
#[utoipa::path(
    tag = "accounts",
    request_body = CreateAccountRequest,
    responses(
        (status = 201, description = "Created", body = Account, headers(("Location" = String, description = "The new account"))),
        (status = 402, description = "`credit_insufficient`: the plan's first period is not covered (`missing_cents`)", body = shared::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`username_taken` or `address_taken`", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/accounts")]
pub async fn create_account(
    s: web::Data<Services>,
    admin: Admin,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(
        &body,
        &[
            "first_name",
            "last_name",
            "username",
            "email",
            "password",
            "plan",
            "personal",
        ],
    );
    let first = f.required("first_name", |v| parse_name(v, 100));
    let last = f.required("last_name", |v| parse_name(v, 100));
    let username = f.required("username", Username::parse);
    let email = f.required("email", EmailAddress::parse);
    let password = f.required("password", Password::parse);
    let plan = f.optional("plan", |v| Ok(v.trim().to_lowercase()));
    let personal = personal_or_clear(personal(&mut f, admin.auth.ctx.now.date_naive()));
    f.finish()?;
    let new = NewAccount {
        first_name: present(first)?,
        last_name: present(last)?,
        username: present(username)?,
        email: present(email)?,
        password: present(password)?,
        plan,
        personal,
    };
    let account =
        accounts::create(&s, &admin.auth.ctx, &admin.auth.principal, admin.org, new).await?;
    Ok(created(
        format!("/api/v1/accounts/{}", account.id),
        &account,
    ))
}

#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    responses((status = 200, description = "The account", body = Account)),
    security(("bearer" = []))
)]
#[get("/accounts/{id}")]
pub async fn get_account(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let view = accounts::view_in(&s, admin.org, parse_id(&id, "account")?).await?;
    Ok(HttpResponse::Ok()
        .content_type(mime::APPLICATION_JSON)
        .body(view.json()))
}

/// Merge patch of names and personal data (`null` clears a field).
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    request_body(content = AccountPatch, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The updated account", body = Account)),
    security(("bearer" = []))
)]
#[patch("/accounts/{id}")]
pub async fn patch_account(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let id = found(&s, &admin, &id).await?.id;
    let mut f = Form::new(
        &body,
        &["first_name", "last_name", "personal", "current_password"],
    );
    let first_name = f.patch_required("first_name", |v| parse_name(v, 100));
    let last_name = f.patch_required("last_name", |v| parse_name(v, 100));
    let personal = personal_or_clear(personal(&mut f, admin.auth.ctx.now.date_naive()));
    let current_password = f.optional("current_password", |v| Ok(v.to_owned()));
    f.finish()?;
    let update = AccountUpdate {
        first_name,
        last_name,
        personal,
        by_self: Some(id) == admin.auth.principal.account_id(),
        current_password,
    };
    let account = accounts::update(&s, &admin.auth.ctx, id, admin.org, update).await?;
    Ok(HttpResponse::Ok().json(account))
}

/// Deletes a disabled account for good; its addresses become free and the unused value of
/// its subscription goes back to the credit.
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    responses(
        (status = 200, description = "Deleted", body = shared::dto::DeleteAccountResponse),
        (status = 409, description = "`account_not_disabled` or `owner_protected`", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/accounts/{id}")]
pub async fn delete_account(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "account")?;
    let (refunded_cents, balance_cents) =
        accounts::delete(&s, &admin.auth.ctx, admin.org, id).await?;
    Ok(HttpResponse::Ok().json(shared::dto::DeleteAccountResponse {
        refunded_cents,
        balance_cents,
    }))
}

/// Sets a new password chosen by the admin; the account's sessions are revoked.
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    request_body = SetPasswordRequest,
    responses((status = 204, description = "Password set")),
    security(("bearer" = []))
)]
#[post("/accounts/{id}/password")]
pub async fn set_password(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "account")?;
    let mut f = Form::new(&body, &["new_password", "current_password"]);
    let password = f.required("new_password", Password::parse);
    let current = f.optional("current_password", |v| Ok(v.to_owned()));
    f.finish()?;
    let (ctx, caller) = (&admin.auth.ctx, &admin.auth.principal);
    let password = present(password)?;
    accounts::set_password_by_admin(
        &s,
        ctx,
        admin.org,
        id,
        caller,
        &password,
        current.as_deref(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn set_status(
    s: &Services,
    admin: &Admin,
    id: &str,
    status: AccountStatus,
) -> Result<HttpResponse> {
    let id = parse_id(id, "account")?;
    let account = accounts::set_status(s, &admin.auth.ctx, admin.org, id, status).await?;
    Ok(HttpResponse::Ok().json(account))
}

/// Disables an account: no more sign-in (live sessions end at once), incoming mail refused.
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    responses(
        (status = 200, description = "Disabled", body = Account),
        (status = 409, description = "`owner_protected`", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/accounts/{id}/disable")]
pub async fn disable_account(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    set_status(&s, &admin, &id, AccountStatus::Disabled).await
}

#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    responses((status = 200, description = "Enabled", body = Account)),
    security(("bearer" = []))
)]
#[post("/accounts/{id}/enable")]
pub async fn enable_account(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    set_status(&s, &admin, &id, AccountStatus::Active).await
}

/// Stores a photo: PNG or JPEG by content, at most 1 MiB and 4096×4096 pixels; kept at most
/// 512×512, re-encoded without metadata.
pub async fn store_photo(
    s: &Services,
    ctx: &Ctx,
    account: Uuid,
    org: Option<Uuid>,
    req: &actix_web::HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let declared = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if declared != "image/png" && declared != "image/jpeg" {
        return Err(Error::new(
            shared::ErrorCode::UnsupportedMediaType,
            "send the photo as image/png or image/jpeg",
        ));
    }
    let bytes = read_limited(payload, super::limits::PHOTO).await?;
    let (image, content_type) = s.photos.process(bytes.to_vec()).await?;
    photo::set(s, ctx, account, org, image, content_type).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn serve_photo(s: &Services, account: Uuid) -> Result<HttpResponse> {
    let (content_type, bytes) = photo::get(s, account).await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "private, no-cache"))
        .body(bytes))
}

#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    request_body(content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg")), description = "At most 1 MiB and 4096×4096 pixels"),
    responses(
        (status = 204, description = "Stored"),
        (status = 413, description = "Over 1 MiB", body = shared::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a PNG or JPEG", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/accounts/{id}/photo")]
pub async fn put_photo(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
    req: actix_web::HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let account = found(&s, &admin, &id).await?;
    store_photo(
        &s,
        &admin.auth.ctx,
        account.id,
        account.organization_id,
        &req,
        payload,
    )
    .await
}

#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    responses((status = 200, description = "The photo, at most 512×512", content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg")))),
    security(("bearer" = []))
)]
#[get("/accounts/{id}/photo")]
pub async fn get_photo(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let account = found(&s, &admin, &id).await?;
    serve_photo(&s, account.id).await
}

#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    responses((status = 204, description = "Deleted")),
    security(("bearer" = []))
)]
#[delete("/accounts/{id}/photo")]
pub async fn delete_photo(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let account = found(&s, &admin, &id).await?;
    photo::delete(&s, &admin.auth.ctx, account.id, account.organization_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What changing the account's plan would do now: refund, charge, resulting balance.
#[utoipa::path(
    tag = "accounts",
    params(
        ("id" = Uuid, Path, description = "Account id"),
        ("plan" = String, Query, description = "The plan to quote"),
    ),
    responses((status = 200, description = "The quote; nothing changed", body = shared::dto::SubscriptionQuote)),
    security(("bearer" = []))
)]
#[get("/accounts/{id}/subscription/quote")]
pub async fn quote_subscription(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
    query: QueryPairs,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "account")?;
    let mut q = Query::new(&query, &["plan"]);
    let plan = q.get("plan", |v| Ok(v.trim().to_lowercase()));
    if plan.is_none() {
        return Err(Error::field("plan", "is required"));
    }
    q.finish()?;
    let quote = subscriptions::quote(&s, &admin.auth.ctx, admin.org, id, &present(plan)?).await?;
    Ok(HttpResponse::Ok().json(quote))
}

/// Changes the account's plan now: the unused value of the current period is refunded pro
/// rata to the second, a full period of the new plan is charged, in one transaction.
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    request_body = shared::dto::SubscriptionChangeRequest,
    responses(
        (status = 200, description = "Changed (or already on that plan: zero amounts)", body = shared::dto::SubscriptionChange),
        (status = 402, description = "`credit_insufficient` (`missing_cents`)", body = shared::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`limit_reached` (an owner's downgrade below usage, or free accounts) or `aliases_over_limit`", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/accounts/{id}/subscription")]
pub async fn change_subscription(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "account")?;
    let mut f = Form::new(&body, &["plan"]);
    let plan = f.required("plan", |v| Ok(v.trim().to_lowercase()));
    f.finish()?;
    let changed =
        subscriptions::change(&s, &admin.auth.ctx, admin.org, id, &present(plan)?).await?;
    Ok(HttpResponse::Ok().json(changed))
}

/// The account's aliases.
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    responses((status = 200, description = "Aliases, by address", body = Page<shared::dto::Alias>)),
    security(("bearer" = []))
)]
#[get("/accounts/{id}/aliases")]
pub async fn list_aliases(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "account")?;
    let items = aliases::list(&s, admin.org, id).await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: None,
    }))
}

/// Adds an alias, within the limit of the account's plan.
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Account id")),
    request_body = shared::dto::AliasRequest,
    responses(
        (status = 201, description = "Added", body = shared::dto::Alias),
        (status = 409, description = "`address_taken`, or `limit_reached` with `cap: aliases`", body = shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/accounts/{id}/aliases")]
pub async fn add_alias(
    s: web::Data<Services>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let id = parse_id(&id, "account")?;
    let mut f = Form::new(&body, &["address"]);
    let address = f.required("address", EmailAddress::parse);
    f.finish()?;
    let alias = aliases::add(&s, &admin.auth.ctx, admin.org, id, &present(address)?).await?;
    let location = format!("/api/v1/accounts/{id}/aliases/{}", alias.address);
    Ok(created(location, &alias))
}

/// Removes an alias; the path segment is percent-decoded and normalized before matching.
#[utoipa::path(
    tag = "accounts",
    params(
        ("id" = Uuid, Path, description = "Account id"),
        ("address" = String, Path, description = "The alias"),
    ),
    responses((status = 204, description = "Removed")),
    security(("bearer" = []))
)]
#[delete("/accounts/{id}/aliases/{address}")]
pub async fn delete_alias(
    s: web::Data<Services>,
    admin: Admin,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let id = parse_id(&path.0, "account")?;
    let address = EmailAddress::parse(&path.1).map_err(|_| Error::not_found("alias"))?;
    aliases::remove(&s, &admin.auth.ctx, admin.org, id, &address).await?;
    Ok(HttpResponse::NoContent().finish())
}
