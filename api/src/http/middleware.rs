//! Middleware: request ids and request logging; Idempotency-Key replay.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};
use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use shared::ErrorCode;

use super::extract::RequestId;
use crate::auth::token::sha256_hex;
use crate::error::{Error, is_unique_violation};
use crate::service::Services;
use crate::store::entities::idempotency_key;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Set by a handler whose answer carries a secret: such answers are never stored for replay.
pub const NO_STORE: HeaderName = HeaderName::from_static("x-postwarden-no-store");

/// Gives every request an id (the client's `X-Request-Id` when it is sane), echoes it on the
/// answer and logs one line per request: never headers, bodies or query strings.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_safe_request_id(v))
        .map_or_else(
            || match req.app_data::<web::Data<Services>>() {
                Some(s) => s.clock.uuid_v7(s.clock.now()).to_string(),
                None => uuid::Uuid::new_v4().to_string(),
            },
            str::to_owned,
        );
    req.extensions_mut().insert(RequestId(id.clone()));
    let (method, path) = (req.method().clone(), req.path().to_owned());
    let started = std::time::Instant::now();
    let mut res = next.call(req).await?;
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(request_id = %id, %method, %path, status, ms = format!("{ms:.1}"), "request");
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(res)
}

/// A client's `X-Request-Id` is kept only as a short token (1–64 of `A-Z a-z 0-9 . _ : -`), so
/// it can go into logs and answers as it is.
fn is_safe_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

const KEEP_HOURS: i64 = 24;

fn replay(row: &idempotency_key::Model) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(row.status_code as u16)
        .unwrap_or(actix_web::http::StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header(("Idempotent-Replayed", "true"));
    if let Some(location) = &row.location {
        response.insert_header((header::LOCATION, location.as_str()));
    }
    if row.response_body.is_empty() {
        response.finish()
    } else {
        response
            .content_type("application/json")
            .body(row.response_body.clone())
    }
}

/// `Idempotency-Key` on authenticated POSTs: the first 2xx answer is stored (for 24 h) and
/// replayed to a retry with the same key and body; another body with the same key is 422
/// `idempotency_key_reused`; a retry while the first is still running is 409 `conflict`.
/// Failed attempts are not stored (they changed nothing), nor answers carrying a secret.
pub async fn idempotency(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() != actix_web::http::Method::POST {
        return next.call(req).await;
    }
    let key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let services = req.app_data::<web::Data<Services>>().cloned();
    let scope = services.as_ref().and_then(|s| {
        let token = super::extract::bearer(req.request())?;
        let claims = s.keys.verify(token, s.clock.now())?;
        Some(claims.org.map_or_else(
            || format!("account:{}", claims.sub),
            |org| format!("org:{org}"),
        ))
    });
    let (Some(key), Some(scope), Some(s)) = (key, scope, services) else {
        return next.call(req).await;
    };
    if key.is_empty() || key.len() > 255 {
        let e = Error::field("Idempotency-Key", "must be 1 to 255 characters");
        return Ok(req.into_response(e.error_response()));
    }
    let mut req = req;
    let body = req.extract::<web::Bytes>().await?;
    let request_hash = sha256_hex(&format!(
        "{} {}?{}\n{}",
        req.method(),
        req.path(),
        req.query_string(),
        String::from_utf8_lossy(&body)
    ));
    let now = s.clock.now();
    let db = s.db.clone();
    let fail = |e: sea_orm::DbErr| actix_web::Error::from(Error::from(e));

    let existing = idempotency_key::Entity::find_by_id((scope.clone(), key.clone()))
        .one(db.read())
        .await
        .map_err(fail)?;
    if let Some(row) = existing {
        if row.created_at + Duration::hours(KEEP_HOURS) > now {
            let answer = if row.request_hash != request_hash {
                Error::new(
                    ErrorCode::IdempotencyKeyReused,
                    "this Idempotency-Key was used with another request",
                )
                .error_response()
            } else if row.status_code == 0 {
                Error::new(
                    ErrorCode::Conflict,
                    "a request with this Idempotency-Key is still running",
                )
                .error_response()
            } else {
                replay(&row)
            };
            return Ok(req.into_response(answer));
        }
        // Expired: forget it and treat the key as new.
        let txn = db.begin().await.map_err(fail)?;
        idempotency_key::Entity::delete_by_id((scope.clone(), key.clone()))
            .exec(&txn)
            .await
            .map_err(fail)?;
        txn.commit().await.map_err(fail)?;
    }
    // Claim the key before running the request, so a concurrent retry cannot run it twice.
    let txn = db.begin().await.map_err(fail)?;
    let claimed = idempotency_key::ActiveModel {
        scope: Set(scope.clone()),
        key: Set(key.clone()),
        request_hash: Set(request_hash),
        status_code: Set(0),
        location: Set(None),
        response_body: Set(String::new()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await;
    match claimed {
        Ok(_) => txn.commit().await.map_err(fail)?,
        Err(e) if is_unique_violation(&e) => {
            let answer = Error::new(
                ErrorCode::Conflict,
                "a request with this Idempotency-Key is still running",
            )
            .error_response();
            return Ok(req.into_response(answer));
        }
        Err(e) => return Err(fail(e)),
    }

    req.set_payload(actix_web::dev::Payload::from(body));
    let res = next.call(req).await;
    let forget = || async {
        let txn = db.begin().await?;
        idempotency_key::Entity::delete_many()
            .filter(idempotency_key::Column::Scope.eq(scope.clone()))
            .filter(idempotency_key::Column::Key.eq(key.clone()))
            .exec(&txn)
            .await?;
        txn.commit().await
    };
    let mut res = match res {
        Ok(res) => res,
        Err(e) => {
            forget().await.map_err(fail)?;
            return Err(e);
        }
    };
    let secret = res.headers_mut().remove(&NO_STORE).next().is_some();
    if !res.status().is_success() || secret {
        forget().await.map_err(fail)?;
        return Ok(res);
    }
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (http_req, response) = res.into_parts();
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?;
    let txn = db.begin().await.map_err(fail)?;
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::StatusCode,
            sea_orm::sea_query::Expr::value(i32::from(status)),
        )
        .col_expr(
            idempotency_key::Column::Location,
            sea_orm::sea_query::Expr::value(location),
        )
        .col_expr(
            idempotency_key::Column::ResponseBody,
            sea_orm::sea_query::Expr::value(String::from_utf8_lossy(&bytes).into_owned()),
        )
        .filter(idempotency_key::Column::Scope.eq(scope.clone()))
        .filter(idempotency_key::Column::Key.eq(key.clone()))
        .exec(&txn)
        .await
        .map_err(fail)?;
    txn.commit().await.map_err(fail)?;
    let response = head.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(http_req, response))
}

/// Deletes idempotency keys older than 24 h.
pub async fn prune_idempotency_keys(s: &Services) -> Result<(), sea_orm::DbErr> {
    let txn = s.db.begin().await?;
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(s.clock.now() - Duration::hours(KEEP_HOURS)))
        .exec(&txn)
        .await?;
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_request_ids_are_kept() {
        for good in ["abc", "01JABC-def_1.2:3", &"a".repeat(64)] {
            assert!(is_safe_request_id(good), "{good}");
        }
        for bad in [
            "",
            "a b",
            "a\tb",
            "<script>",
            "a\"b",
            "é",
            &"a".repeat(65),
            "a/b",
        ] {
            assert!(!is_safe_request_id(bad), "{bad}");
        }
    }
}
