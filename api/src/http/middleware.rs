//! Middleware: the request span and request ids (tracing-actix-web's `TracingLogger` with
//! [`RequestSpan`], then [`request_id`]); Idempotency-Key replay.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};
use chrono::Duration;
use shared::{ErrorCode, Problem};
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;

use super::extract::RequestId;
use super::limits;
use crate::auth::token::hmac_sha256_hex;
use crate::error::{Error, PROBLEM_JSON};
use crate::service::Services;
use crate::service::idempotency::{self, Answer, KEEP_HOURS, Row};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Set by a handler whose answer carries a secret: such answers are never stored for replay.
pub const NO_STORE: HeaderName = HeaderName::from_static("x-postwarden-no-store");

/// The root span of every request, opened by tracing-actix-web's `TracingLogger` (the outermost
/// middleware): `request{request_id method path status}`. It gives the request its id (the
/// client's `X-Request-Id` when it is sane, else a random v4 UUID: request ids need not sort)
/// and puts it into the request's extensions ([`RequestId`]). Every line logged while the
/// request is served is written inside the span, so names its id; the span's own line, written
/// when it closes (once the answer's body is sent), is the request line, with the time taken
/// (`time.busy` + `time.idle`). Nothing else of the request is kept: no other header, no body,
/// no query string (they can carry tokens and passwords). Below `info` the span is off, and
/// costs next to nothing.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(req: &ServiceRequest) -> Span {
        let id = match req
            .headers()
            .get(&REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .filter(|v| is_safe_request_id(v))
        {
            Some(id) => id.to_owned(),
            // The id TracingLogger drew for the request (a v4 UUID): no second draw.
            None => req
                .extensions()
                .get::<tracing_actix_web::RequestId>()
                .map_or_else(uuid::Uuid::new_v4, |id| **id)
                .to_string(),
        };
        let span = tracing::info_span!(
            "request",
            request_id = %id,
            method = %req.method(),
            path = %req.path(),
            status = tracing::field::Empty,
        );
        req.extensions_mut().insert(RequestId(id));
        span
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(res) => res.status(),
            Err(e) => e.as_response_error().status_code(),
        };
        span.record("status", status.as_u16());
    }
}

/// Puts the request id given by [`RequestSpan`] on every answer: the `X-Request-Id` header,
/// and the `request_id` member of every problem+json body, wherever the problem was made (a
/// handler, an extractor's error handler, a middleware). Other bodies are not touched. An error
/// returned by an inner middleware (the idempotency one, on a database error) is made its answer
/// here, inside the request span, so that it gets both as well.
pub async fn request_id<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let id = req
        .extensions()
        .get::<RequestId>()
        .and_then(|id| HeaderValue::from_str(&id.0).ok());
    let Some(id) = id else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    match next.call(req).await {
        Ok(mut res) if !is_problem(res.response()) => {
            res.headers_mut().insert(REQUEST_ID, id);
            Ok(res.map_into_left_body())
        }
        Ok(res) => {
            let (req, response) = res.into_parts();
            let response = with_request_id(response, id);
            Ok(ServiceResponse::new(req, response).map_into_right_body())
        }
        Err(e) => {
            let response = with_request_id(e.error_response(), id);
            Err(actix_web::error::InternalError::from_response(e, response).into())
        }
    }
}

fn is_problem<B>(response: &HttpResponse<B>) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes())
}

/// A problem answer with the request id in its header and in its body. Problems are built in
/// memory: a body that is not (none is) is left as it is.
fn with_request_id<B: MessageBody + 'static>(
    response: HttpResponse<B>,
    id: HeaderValue,
) -> HttpResponse<BoxBody> {
    let mut response = response.map_body(|_, body| match body.try_into_bytes() {
        Ok(bytes) => BoxBody::new(problem_with_request_id(bytes, id.to_str().unwrap_or(""))),
        Err(body) => body.boxed(),
    });
    response.headers_mut().insert(REQUEST_ID, id);
    response
}

fn problem_with_request_id(body: Bytes, id: &str) -> Bytes {
    let Ok(mut problem) = serde_json::from_slice::<Problem>(&body) else {
        return body;
    };
    problem.request_id = Some(id.to_owned());
    serde_json::to_vec(&problem).map_or(body, Bytes::from)
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
        Some(token) => {
            let ip = super::extract::context(req.request(), &s).client_ip;
            crate::service::sessions::authenticate(&s, token, now, ip.as_deref())
                .await
                .ok()
        }
        None => None,
    };
    let Some(principal) = principal else {
        return next.call(req).await;
    };
    // Keys are scoped to the caller: an account, an operator or an API key.
    let scope = principal.actor();
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
    let db: &Services = &s;

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

    /// The log lines written through [`crate::telemetry::builder`], read back.
    #[derive(Clone, Default)]
    struct Lines(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Lines {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    /// A handler failing inside, and a middleware failing as the idempotency one does on a
    /// database error: both answers carry the request id, and so do the lines they log.
    #[actix_web::test]
    async fn every_line_and_every_problem_of_a_request_name_its_id() {
        use actix_web::middleware::from_fn;
        use actix_web::{App, test};

        async fn failing(
            req: ServiceRequest,
            next: Next<BoxBody>,
        ) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
            if req.path() == "/middleware" {
                return Err(Error::Internal(anyhow::anyhow!("the middleware broke")).into());
            }
            next.call(req).await
        }

        let lines = Lines::default();
        let writer = lines.clone();
        let subscriber = crate::telemetry::builder("info", move || writer.clone())
            .with_ansi(false)
            .finish();
        let _log = tracing::subscriber::set_default(subscriber);
        let app = test::init_service(
            App::new()
                .wrap(from_fn(failing))
                .wrap(from_fn(request_id))
                .wrap(tracing_actix_web::TracingLogger::<RequestSpan>::new())
                .route(
                    "/handler",
                    web::get().to(|| async {
                        Err::<HttpResponse, _>(Error::Internal(anyhow::anyhow!("the disk broke")))
                    }),
                )
                .route(
                    "/ok",
                    web::get().to(|| async { HttpResponse::Ok().body("ok") }),
                ),
        )
        .await;
        for (path, id, cause) in [
            ("/handler", "trace-1", "the disk broke"),
            ("/middleware", "trace-2", "the middleware broke"),
        ] {
            let req = test::TestRequest::get()
                .uri(&format!("{path}?token=secret-in-query"))
                .insert_header(("x-request-id", id))
                .insert_header(("authorization", "Bearer secret-in-header"))
                .to_request();
            let res = match test::try_call_service(&app, req).await {
                Ok(res) => res.map_into_boxed_body(),
                // An inner middleware's error: the server makes the answer from it.
                Err(e) => ServiceResponse::new(
                    test::TestRequest::default().to_http_request(),
                    e.error_response(),
                ),
            };
            assert_eq!(res.status(), 500, "{path}");
            assert_eq!(res.headers().get(&REQUEST_ID).unwrap(), id, "{path}");
            let problem: Problem = test::read_body_json(res).await;
            assert_eq!(problem.code, ErrorCode::Internal);
            assert_eq!(problem.request_id.as_deref(), Some(id), "{path}");

            let text = lines.text();
            let line = |needle: &str| {
                text.lines()
                    .find(|l| l.contains(needle))
                    .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
                    .to_owned()
            };
            let error = line(cause);
            assert!(error.contains("ERROR"), "{error}");
            assert!(error.contains(&format!("request_id={id} ")), "{error}");
            let request = line(&format!(
                "request_id={id} method=GET path={path} status=500"
            ));
            assert!(request.contains("close time.busy="), "{request}");
        }

        // A successful answer: its body untouched, its id generated (the client's is not sane).
        let req = test::TestRequest::get()
            .uri("/ok")
            .insert_header(("x-request-id", "not sane"))
            .to_request();
        let res = test::call_service(&app, req).await;
        let id = res.headers().get(&REQUEST_ID).unwrap().to_str().unwrap();
        let id = uuid::Uuid::parse_str(id).unwrap();
        assert_eq!(id.get_version_num(), 4);
        assert_eq!(test::read_body(res).await, "ok");
        let text = lines.text();
        assert!(text.contains(&format!("request_id={id} method=GET path=/ok status=200")));
        assert_eq!(
            text.lines().filter(|l| l.contains(" INFO ")).count(),
            3,
            "{text}"
        );
        assert!(
            !text.contains("secret") && !text.contains("not sane"),
            "{text}"
        );
    }
}
