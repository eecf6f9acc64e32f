//! Middleware: request ids and request logging; Idempotency-Key replay.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};
use chrono::Duration;
use shared::ErrorCode;

use super::extract::RequestId;
use super::limits;
use crate::auth::token::hmac_sha256_hex;
use crate::error::Error;
use crate::service::Services;
use crate::store::idempotency::{self, Answer, KEEP_HOURS, Row};

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
        // Random (a thread-local generator, no lock): request ids need not sort.
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    // The request line is built only when it will be written (not at `warn`).
    let line = tracing::enabled!(tracing::Level::INFO).then(|| {
        (
            req.method().clone(),
            req.path().to_owned(),
            std::time::Instant::now(),
        )
    });
    let mut res = next.call(req).await?;
    if let Some((method, path, started)) = line {
        let status = res.status().as_u16();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(request_id = %id, %method, %path, status, ms = format!("{ms:.1}"), "request");
    }
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

/// A claim still unanswered after this long belongs to a request that died (a crash, a kill):
/// a retry may run.
const STALE_CLAIM_SECS: i64 = 60;
/// The status stored for a request that succeeded with an answer carrying a secret (never kept).
const SECRET_ANSWERED: i32 = -1;

fn replay(row: &Row) -> HttpResponse {
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
/// replayed to a retry by the same caller with the same key and body; another body with the same
/// key is 422 `idempotency_key_reused`; a retry while the first is still running is 409
/// `conflict`, until the claim is a minute old (its request died with its process) and may run
/// again. Keys belong to the authenticated caller (the account), checked before any replay: a
/// revoked session or another member of the organization never gets a stored answer. Failed
/// attempts are not stored (they changed nothing); answers carrying a secret are not kept, and a
/// retry of such a request is 409 `conflict`.
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
    let (Some(key), Some(s)) = (key, req.app_data::<web::Data<Services>>().cloned()) else {
        return next.call(req).await;
    };
    let now = s.clock.now();
    // The caller, authenticated as the handler will (a live session, an active account);
    // anybody else goes on to the handler, which answers for itself.
    let principal = match super::extract::bearer(req.request()) {
        Some(token) => crate::service::sessions::authenticate(&s, token, now)
            .await
            .ok(),
        None => None,
    };
    let Some(principal) = principal else {
        return next.call(req).await;
    };
    let scope = format!("account:{}", principal.account_id);
    if key.is_empty() || key.len() > 255 {
        let e = Error::field("Idempotency-Key", "must be 1 to 255 characters");
        return Ok(req.into_response(e.error_response()));
    }
    let mut req = req;
    let body = match super::input::read_limited(req.extract::<web::Payload>().await?, limits::JSON)
        .await
    {
        Ok(body) => body,
        Err(e) => return Ok(req.into_response(e.error_response())),
    };
    // Keyed with a server secret: the stored fingerprint of a body carrying a password cannot
    // be brute-forced by whoever reads the database alone.
    let head = format!("{} {}?{}\n", req.method(), req.path(), req.query_string());
    let request_hash = hmac_sha256_hex(s.data_key.as_bytes(), &[head.as_bytes(), &body]);
    let db = &s.db;

    if let Some(row) = idempotency::find(db, &scope, &key).await.map_err(fail)? {
        let kept = row.created_at + Duration::hours(KEEP_HOURS) > now;
        let died =
            row.status_code == 0 && row.created_at + Duration::seconds(STALE_CLAIM_SECS) <= now;
        if kept && !died {
            let answer = if row.status_code == 0 {
                Error::new(
                    ErrorCode::Conflict,
                    "a request with this Idempotency-Key is still running",
                )
                .error_response()
            } else if row.request_hash != request_hash {
                Error::new(
                    ErrorCode::IdempotencyKeyReused,
                    "this Idempotency-Key was used with another request",
                )
                .error_response()
            } else if row.status_code == SECRET_ANSWERED {
                Error::new(
                    ErrorCode::Conflict,
                    "a request with this Idempotency-Key succeeded; its answer carried a secret \
                     and is not kept",
                )
                .error_response()
            } else {
                replay(&row)
            };
            return Ok(req.into_response(answer));
        }
        // Expired, or a claim whose request died unanswered: forget it, the key is new.
        idempotency::forget_row(db, &row).await.map_err(fail)?;
    }
    // Claim the key before running the request, so a concurrent retry cannot run it twice.
    let claimed = idempotency::claim(db, &scope, &key, request_hash, now)
        .await
        .map_err(fail)?;
    if !claimed {
        let answer = Error::new(
            ErrorCode::Conflict,
            "a request with this Idempotency-Key is still running",
        )
        .error_response();
        return Ok(req.into_response(answer));
    }

    req.set_payload(actix_web::dev::Payload::from(body));
    let res = next.call(req).await;
    let forget = || idempotency::forget(db, &scope, &key);
    let mut res = match res {
        Ok(res) => res,
        Err(e) => {
            forget().await.map_err(fail)?;
            return Err(e);
        }
    };
    let secret = res.headers_mut().remove(&NO_STORE).next().is_some();
    if !res.status().is_success() {
        forget().await.map_err(fail)?;
        return Ok(res);
    }
    if secret {
        // Done, but the answer is not kept: the key stays used (SECRET_ANSWERED), so a retry
        // creates nothing twice and is told so.
        let answer = Answer {
            status: SECRET_ANSWERED,
            location: None,
            body: String::new(),
        };
        idempotency::answer(db, &scope, &key, answer)
            .await
            .map_err(fail)?;
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
    let answer = Answer {
        status: i32::from(status),
        location,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    idempotency::answer(db, &scope, &key, answer)
        .await
        .map_err(fail)?;
    let response = head.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(http_req, response))
}

/// A database error, as the answer it makes (500, or 503 when the database cannot answer now).
fn fail(e: impl Into<Error>) -> actix_web::Error {
    e.into().into()
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
