//! Every problem answer names its request: `request_id` in the body is the `X-Request-Id` of
//! the answer, the client's when it is sane, else one the server made.

use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::json;
use shared::Problem;

use crate::helpers::*;

/// The problem of an answer, checked to carry the answer's request id; and that id.
async fn problem_with_id(res: Response, status: StatusCode, code: &str) -> (Problem, String) {
    let header = res
        .headers()
        .get("x-request-id")
        .expect("an X-Request-Id header")
        .to_str()
        .unwrap()
        .to_owned();
    let problem = expect_problem(res, status, code).await;
    assert_eq!(
        problem.request_id.as_deref(),
        Some(header.as_str()),
        "{problem:?}"
    );
    (problem, header)
}

/// Sends the request three times: with a sane id of the client (kept), with none and with an
/// insane one (both replaced by a v4 UUID of the server's).
async fn check(request: impl Fn() -> RequestBuilder, status: StatusCode, code: &str) {
    let res = request()
        .header("x-request-id", "client-id.1")
        .send()
        .await
        .unwrap();
    let (_, id) = problem_with_id(res, status, code).await;
    assert_eq!(id, "client-id.1");
    for sent in [None, Some("no spaces allowed"), Some("<script>")] {
        let mut req = request();
        if let Some(sent) = sent {
            req = req.header("x-request-id", sent);
        }
        let (_, id) = problem_with_id(req.send().await.unwrap(), status, code).await;
        let uuid = uuid::Uuid::parse_str(&id).unwrap_or_else(|_| panic!("{id} is not a UUID"));
        assert_eq!(uuid.get_version_num(), 4, "{id}");
    }
}

#[tokio::test]
async fn problems_carry_the_request_id_of_their_answer() {
    let app = spawn_app().await;
    // 404: an unknown route, and a path id that is not a UUID (the path extractor's handler).
    check(
        || app.client.get(app.url("/api/v1/no-such-route")),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let owner = app.paid_signup("ids").await.access_token;
    check(
        || {
            app.client
                .get(app.url("/api/v1/accounts/not-a-uuid"))
                .bearer_auth(&owner)
        },
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // 401: no token, and a token that is not one.
    check(
        || app.client.get(app.url("/api/v1/me")),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    check(
        || app.client.get(app.url("/api/v1/me")).bearer_auth("nope"),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // 422: the fields of a body, every one named.
    check(
        || {
            app.client
                .post(app.url("/api/v1/accounts"))
                .bearer_auth(&owner)
                .json(&json!({}))
        },
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // 400 and 415: the JSON extractor's handler.
    check(
        || {
            app.client
                .post(app.url("/api/v1/accounts"))
                .bearer_auth(&owner)
                .header("content-type", "application/json")
                .body("{not json")
        },
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    check(
        || {
            app.client
                .post(app.url("/api/v1/accounts"))
                .bearer_auth(&owner)
                .header("content-type", "text/plain")
                .body("{}")
        },
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    // 422 from the idempotency middleware, with its field error intact.
    let res = app
        .client
        .post(app.url("/api/v1/accounts"))
        .bearer_auth(&owner)
        .header("idempotency-key", "k".repeat(256))
        .header("x-request-id", "too-long-key")
        .json(&new_account("never"))
        .send()
        .await
        .unwrap();
    let (problem, id) =
        problem_with_id(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(id, "too-long-key");
    assert!(
        problem.field_message("Idempotency-Key").is_some(),
        "{problem:?}"
    );
}

#[tokio::test]
async fn other_answers_keep_their_body() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "health-1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-request-id"], "health-1");
    let body = res.text().await.unwrap();
    assert!(
        !body.contains("request_id") && !body.contains("health-1"),
        "{body}"
    );
}

/// A database that cannot answer: the 503 names its request too, also when it is the
/// idempotency middleware (claiming the key, on SQLite), not a handler, that meets it.
#[tokio::test]
async fn an_unavailable_answer_carries_the_request_id() {
    let app = spawn_app().await;
    let signup = app.paid_signup("busy").await;
    let owner = signup.access_token.clone();
    let lock = app.hold_lock(signup.organization.id).await;
    let res = app
        .client
        .post(app.url("/api/v1/accounts"))
        .bearer_auth(&owner)
        .header("x-request-id", "busy-1")
        .header("idempotency-key", "busy-key")
        .json(&new_account("waits"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["retry-after"], "2");
    let (_, id) = problem_with_id(res, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    assert_eq!(id, "busy-1");
    lock.release().await;
}
