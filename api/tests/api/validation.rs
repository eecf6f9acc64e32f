use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn malformed_input_is_a_clear_4xx_problem() {
    let app = spawn_app().await;
    let owner = app.paid_signup("strict").await.access_token;
    let raw = |body: &'static str, ct: &'static str| {
        app.client
            .post(app.url("/api/v1/accounts"))
            .bearer_auth(&owner)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    expect_problem(
        raw("{not json", "application/json").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_problem(
        raw("{}", "text/plain").await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    expect_problem(
        raw("[1, 2]", "application/json").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let huge = format!("{{\"first_name\": \"{}\"}}", "x".repeat(100_000));
    let res = app
        .client
        .post(app.url("/api/v1/accounts"))
        .bearer_auth(&owner)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    // Every bad field is named at once: wrong types, unknown fields, invalid values, missing.
    let body = json!({"first_name": 42, "last_name": "", "username": "a..b", "email": "nope", "password": "short",
                      "nickname": "x", "personal": {"mobile_phone": "12345", "postal_address": {"country": "XX"}, "shoe_size": 44}});
    let problem = expect_problem(
        app.post("/api/v1/accounts", Some(&owner), &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    for field in [
        "first_name",
        "last_name",
        "username",
        "email",
        "password",
        "nickname",
        "personal.mobile_phone",
        "personal.postal_address.country",
        "personal.shoe_size",
    ] {
        assert!(
            problem.field_message(field).is_some(),
            "{field} not reported: {problem:?}"
        );
    }
    let problem = expect_problem(
        app.post("/api/v1/accounts", Some(&owner), &json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors.len(), 5, "{problem:?}");

    // Path ids that are not UUIDs are 404, like unknown ids.
    expect_problem(
        app.get("/api/v1/accounts/not-a-uuid", &owner).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_problem(
        app.get(
            &format!("/api/v1/accounts/{}", uuid::Uuid::new_v4()),
            &owner,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_problem(
        app.get("/api/v1/no-such-route", &owner).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers().get("x-request-id").unwrap(), "trace-123");
    let res = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert!(res.headers().get("x-request-id").is_some());
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}
