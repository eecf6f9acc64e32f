use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::dto::{Account, LoginResponse, Page};

use crate::helpers::*;

#[tokio::test]
async fn a_retry_with_the_same_key_replays_the_first_answer() {
    let app = spawn_app().await;
    let owner = app.paid_signup("retry").await.access_token;
    let send = |username: &str, key: &str| {
        app.client
            .post(app.url("/api/v1/accounts"))
            .bearer_auth(&owner)
            .header("idempotency-key", key)
            .json(&new_account(username))
            .send()
    };
    let first: Account =
        expect_json(send("olga", "key-1").await.unwrap(), StatusCode::CREATED).await;
    let res = send("olga", "key-1").await.unwrap();
    assert_eq!(
        res.headers().get("location").unwrap().to_str().unwrap(),
        format!("/api/v1/accounts/{}", first.id)
    );
    let replay: Account = expect_json(res, StatusCode::CREATED).await;
    assert_eq!(replay.id, first.id);
    expect_problem(
        send("otto", "key-1").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
    // A failed attempt is not stored: the same key may be retried once the cause is gone.
    expect_problem(
        send("olga", "key-2").await.unwrap(),
        StatusCode::CONFLICT,
        "username_taken",
    )
    .await;
    let page: Page<Account> =
        expect_json(app.get("/api/v1/accounts", &owner).await, StatusCode::OK).await;
    assert_eq!(page.items.len(), 2, "created once");
}

#[tokio::test]
async fn a_key_belongs_to_its_caller_and_is_checked_after_authentication() {
    let app = spawn_app().await;
    let owner = app.paid_signup("keys").await.access_token;
    app.create_account(&owner, "ugo").await;
    let user = app.login_ok("ugo").await.access_token;
    let group = json!({"name": "Sales"});
    let post = |token: &str, path: &str, body: Option<&Value>| {
        let mut req = app
            .client
            .post(app.url(path))
            .bearer_auth(token)
            .header("idempotency-key", "shared-key");
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send()
    };
    let res = post(&owner, "/api/v1/groups", Some(&group)).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    // Another member of the organization, same key and body: the handler answers, no replay.
    expect_problem(
        post(&user, "/api/v1/groups", Some(&group)).await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // A stored answer is never replayed to a session that has ended since.
    let session = app.login_ok("ugo").await.access_token;
    let first = post(&session, "/api/v1/auth/logout", None).await.unwrap();
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    expect_problem(
        post(&session, "/api/v1/auth/logout", None).await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn a_body_past_the_limit_is_a_413_problem_with_a_key_too() {
    let app = spawn_app().await;
    let owner = app.paid_signup("large").await.access_token;
    let big = json!({"name": "Big", "description": "x".repeat(70 * 1024)});
    for key in [None, Some("big-1")] {
        let mut req = app
            .client
            .post(app.url("/api/v1/groups"))
            .bearer_auth(&owner)
            .json(&big);
        if let Some(key) = key {
            req = req.header("idempotency-key", key);
        }
        let problem = expect_problem(
            req.send().await.unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        )
        .await;
        assert!(problem.detail.contains("64 KiB"), "{problem:?}");
    }
}

#[tokio::test]
async fn a_claim_left_by_a_request_that_died_may_be_retried_after_a_minute() {
    use api::store::entities::idempotency_key;
    use sea_orm::{ActiveModelTrait, Set};

    let app = spawn_app().await;
    let signup = app.paid_signup("dead").await;
    // What a process killed in the middle of the request leaves behind: an unanswered claim.
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    idempotency_key::ActiveModel {
        scope: Set(format!("account:{}", signup.account.id)),
        key: Set("dead-key".into()),
        request_hash: Set("whatever the dead request was".into()),
        status_code: Set(0),
        location: Set(None),
        response_body: Set(String::new()),
        created_at: Set(app.clock.now()),
    }
    .insert(&db)
    .await
    .unwrap();
    db.close().await.unwrap();
    let send = || {
        app.client
            .post(app.url("/api/v1/groups"))
            .bearer_auth(&signup.access_token)
            .header("idempotency-key", "dead-key")
            .json(&json!({"name": "Retried"}))
            .send()
    };
    expect_problem(send().await.unwrap(), StatusCode::CONFLICT, "conflict").await;
    app.clock.advance(chrono::Duration::seconds(59));
    expect_problem(send().await.unwrap(), StatusCode::CONFLICT, "conflict").await;
    app.clock.advance(chrono::Duration::seconds(1));
    let created = send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created.headers()["location"].clone();
    let replay = send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(
        replay.headers()["location"],
        location,
        "the retry is now the stored answer"
    );
}

#[tokio::test]
async fn an_answer_carrying_a_secret_is_not_kept_and_its_retry_is_a_conflict() {
    let app = spawn_app().await;
    let owner = app.paid_signup("secret").await.access_token;
    let login = json!({"login": "secret", "password": PASSWORD});
    let send = || {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .bearer_auth(&owner)
            .header("idempotency-key", "login-1")
            .json(&login)
            .send()
    };
    let first: LoginResponse = expect_json(send().await.unwrap(), StatusCode::OK).await;
    assert!(!first.access_token.is_empty());
    let problem = expect_problem(send().await.unwrap(), StatusCode::CONFLICT, "conflict").await;
    assert!(!problem.detail.contains(&first.access_token));
    assert!(problem.detail.contains("secret"), "{problem:?}");
}
