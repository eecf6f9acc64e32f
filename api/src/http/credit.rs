//! Credit (admin): balance, ledger, top-ups; and the payment provider's webhook.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde_json::Value;
use shared::dto::{
    Credit, LedgerEntry, LedgerKind, Page, PaymentNotification, TopUp, TopUpRequest, WebhookAnswer,
};
use shared::value::Invalid;
use shared::{ErrorCode, FieldError};
use uuid::Uuid;

use super::extract::Admin;
use super::input::{Form, PageQuery, Query, present, read_limited, rfc3339};
use super::{QueryPairs, created};
use crate::error::{Error, Result};
use crate::service::credit::{self, LedgerFilter, Payment};
use crate::service::{Services, payments};

/// The organization's balance.
#[utoipa::path(tag = "credit", responses((status = 200, description = "The balance", body = Credit)), security(("bearer" = [])))]
#[get("/credit")]
pub async fn get_credit(s: web::Data<Services>, admin: Admin) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(credit::balance(&s, admin.org).await?))
}

/// Ledger entries, newest first.
#[utoipa::path(
    tag = "credit",
    params(
        ("kind" = Option<LedgerKind>, Query, description = "Only entries of this kind"),
        ("account_id" = Option<Uuid>, Query, description = "Only entries about this account"),
        ("since" = Option<DateTime<Utc>>, Query, description = "RFC 3339; entries at or after it"),
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "Ledger entries", body = Page<LedgerEntry>)),
    security(("bearer" = []))
)]
#[get("/credit/transactions")]
pub async fn list_transactions(
    s: web::Data<Services>,
    admin: Admin,
    query: QueryPairs,
) -> Result<HttpResponse> {
    let mut q = Query::new(&query, &["kind", "account_id", "since", "limit", "cursor"]);
    let (limit, cursor) = q.page();
    let filter = LedgerFilter {
        kind: q.get("kind", |v| {
            LedgerKind::parse(v).ok_or_else(|| {
                Invalid("must be top_up, charge, refund, renewal or adjustment".into())
            })
        }),
        account_id: q.get("account_id", |v| {
            Uuid::parse_str(v).map_err(|_| Invalid("must be a UUID".into()))
        }),
        since: q.get("since", rfc3339),
    };
    q.finish()?;
    Ok(HttpResponse::Ok()
        .json(credit::transactions(&s, admin.org, filter, limit, cursor.as_deref()).await?))
}

/// Asks for a top-up; it is credited once paid (operator confirmation or payment webhook).
#[utoipa::path(
    tag = "credit",
    request_body = TopUpRequest,
    responses((status = 201, description = "Pending top-up", body = TopUp)),
    security(("bearer" = []))
)]
#[post("/credit/top-ups")]
pub async fn request_top_up(
    s: web::Data<Services>,
    admin: Admin,
    body: web::Json<Value>,
) -> Result<HttpResponse> {
    let mut f = Form::new(&body, &["amount_cents"]);
    let amount = f.required_int("amount_cents", 1, 10_000_000);
    f.finish()?;
    let top_up = credit::request_top_up(&s, &admin.auth.ctx, admin.org, present(amount)?).await?;
    Ok(created(
        format!("/api/v1/credit/top-ups/{}", top_up.id),
        &top_up,
    ))
}

/// The organization's top-ups, newest first.
#[utoipa::path(
    tag = "credit",
    params(
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "Top-ups", body = Page<TopUp>)),
    security(("bearer" = []))
)]
#[get("/credit/top-ups")]
pub async fn list_top_ups(
    s: web::Data<Services>,
    admin: Admin,
    page: PageQuery,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(credit::top_ups(&s, Some(admin.org), None, page.limit, page.cursor()).await?))
}

/// The payment provider's notification, signed with `Postwarden-Signature`. Each payment id is
/// credited once however often it is delivered; a top-up is credited once whichever path comes
/// first.
#[utoipa::path(
    tag = "credit",
    request_body = PaymentNotification,
    params(("Postwarden-Signature" = String, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\">")),
    responses(
        (status = 200, description = "Credited now or before", body = WebhookAnswer),
        (status = 401, description = "`unauthorized`: bad signature or stale timestamp", body = shared::Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no webhook secret is configured", body = shared::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: unknown top-up or a different amount", body = shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/payments/webhook")]
pub async fn payment_webhook(
    s: web::Data<Services>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let Some(secret) = s.config.payment_webhook_secret.clone() else {
        return Err(Error::not_found("payment webhook"));
    };
    let body = read_limited(payload, super::limits::WEBHOOK).await?;
    let header = req
        .headers()
        .get("postwarden-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let now = s.clock.now();
    payments::verify(secret.0.as_bytes(), header, &body, now.timestamp())
        .map_err(|e| Error::unauthorized(e.to_string()))?;
    let value: Value = serde_json::from_slice(&body).map_err(|e| {
        Error::new(
            ErrorCode::BadRequest,
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    let mut f = Form::new(
        &value,
        &["payment_id", "top_up_id", "amount_cents", "status"],
    );
    let payment_id = f.required("payment_id", |v| {
        if v.is_empty() || v.len() > 255 {
            Err(Invalid("must be 1 to 255 characters".into()))
        } else {
            Ok(v.to_owned())
        }
    });
    let top_up_id = f.required("top_up_id", |v| {
        Uuid::parse_str(v).map_err(|_| Invalid("must be a UUID".into()))
    });
    let amount = f.required_int("amount_cents", 1, 10_000_000);
    let status = f.required("status", |v| Ok(v.to_owned()));
    f.finish()?;
    if present(status)? != "succeeded" {
        return Err(Error::validation(vec![FieldError::new(
            "status",
            "only succeeded payments are credited",
        )]));
    }
    let ctx = super::extract::context(&req, &s).with_actor("system:payments".into());
    let payment = Payment::Provider {
        payment_id: present(payment_id)?,
        amount_cents: present(amount)?,
    };
    let (top_up, credited_now) =
        credit::credit_top_up(&s, &ctx, None, present(top_up_id)?, payment).await?;
    Ok(HttpResponse::Ok().json(WebhookAnswer {
        top_up,
        credited_now,
    }))
}
