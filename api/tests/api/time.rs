//! Every rule with a time in it, on the server's clock: token and session expiry, reset links,
//! throttle windows, `since` filters and the order of what happened in the same instant. The
//! clock is moved by the test, never by sleeping.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{AuditEvent, LedgerEntry, Page, TokenPair};

use crate::helpers::*;

async fn refresh(app: &TestApp, refresh_token: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": refresh_token}),
    )
    .await
}

#[tokio::test]
async fn access_tokens_and_sessions_expire_by_the_servers_clock() {
    let app = spawn_app().await;
    let signup = app.signup("timely").await;
    // 15 minutes, plus five seconds' leeway for clocks a little apart.
    app.clock.advance(Duration::seconds(900 + 5));
    assert_eq!(
        app.get("/api/v1/me", &signup.access_token).await.status(),
        StatusCode::OK
    );
    app.clock.advance(Duration::seconds(1));
    expect_problem(
        app.get("/api/v1/me", &signup.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // The session lives on: its refresh token gives a new access token.
    let pair: TokenPair =
        expect_json(refresh(&app, &signup.refresh_token).await, StatusCode::OK).await;
    assert_eq!(
        app.get("/api/v1/me", &pair.access_token).await.status(),
        StatusCode::OK
    );
    // Thirty days after sign-in the session itself has ended, refreshed or not.
    app.clock
        .set(start_time() + Duration::days(30) - Duration::seconds(1));
    let pair: TokenPair =
        expect_json(refresh(&app, &pair.refresh_token).await, StatusCode::OK).await;
    app.clock.advance(Duration::seconds(1));
    expect_problem(
        refresh(&app, &pair.refresh_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_problem(
        app.get("/api/v1/me", &pair.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn a_locked_login_opens_again_when_its_window_ends() {
    let app = spawn_with(Options {
        env: vec![("POSTWARDEN_LOGIN_MAX_FAILURES", "3".into())],
        ..Default::default()
    })
    .await;
    app.signup("patient").await;
    for _ in 0..3 {
        expect_problem(
            app.login("patient", "Wrong-password-1").await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    let retry_after = |res: &reqwest::Response| -> i64 {
        res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    // The window (900 s by default) started with the first failure, at this very instant.
    let res = app.login("patient", PASSWORD).await;
    assert_eq!(retry_after(&res), 900);
    let problem = expect_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(problem.extra.retry_after, Some(900));
    app.clock.advance(Duration::seconds(899));
    let res = app.login("patient", PASSWORD).await;
    assert_eq!(retry_after(&res), 1);
    expect_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    app.clock.advance(Duration::seconds(1));
    app.login_ok("patient").await;
}

#[tokio::test]
async fn a_reset_link_works_for_thirty_minutes() {
    let app = spawn_with(Options {
        smtp: true,
        ..Default::default()
    })
    .await;
    app.signup("forgetful").await;
    let confirm = |token: String, password: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/password-reset/confirm",
                None,
                &json!({"token": token, "new_password": password}),
            )
            .await
        }
    };
    let body = json!({"login": "forgetful"});
    let ask = || app.post("/api/v1/auth/password-reset", None, &body);
    assert_eq!(ask().await.status(), StatusCode::ACCEPTED);
    let late = app.reset_token_in(&app.mails.wait_for(1).await);
    app.clock.advance(Duration::minutes(30));
    expect_problem(
        confirm(late, "Brand-new-pass-1").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_token",
    )
    .await;
    assert_eq!(ask().await.status(), StatusCode::ACCEPTED);
    let in_time = app.reset_token_in(&app.mails.wait_for(2).await);
    app.clock
        .advance(Duration::minutes(30) - Duration::seconds(1));
    assert_eq!(
        confirm(in_time, "Brand-new-pass-2").await.status(),
        StatusCode::NO_CONTENT
    );
    expect_json::<shared::dto::LoginResponse>(
        app.login("forgetful", "Brand-new-pass-2").await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn since_filters_include_their_instant_and_nothing_before() {
    let app = spawn_app().await;
    let signup = app.signup("filtered").await;
    app.credit(signup.organization.id, 100).await;
    let boundary = app.clock.advance(Duration::seconds(1));
    app.credit(signup.organization.id, 200).await;
    app.clock.advance(Duration::days(40));
    app.credit(signup.organization.id, 300).await;
    // A new session: the sign-up's has expired meanwhile.
    let owner = app.login_ok("filtered").await.access_token;
    let since = boundary.to_rfc3339().replace('+', "%2B");
    let page: Page<LedgerEntry> = expect_json(
        app.get(
            &format!("/api/v1/credit/transactions?since={since}"),
            &owner,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let amounts: Vec<i64> = page.items.iter().map(|e| e.amount_cents).collect();
    assert_eq!(amounts, [300, 200], "newest first, from the boundary on");
    assert_eq!(page.items[1].created_at, boundary);
    let events: Page<AuditEvent> = expect_json(
        app.get(
            &format!("/api/v1/audit-events?action=credit.adjusted&since={since}"),
            &owner,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(events.items.len(), 2, "{events:?}");
    assert!(events.items.iter().all(|e| e.at >= boundary));
}

#[tokio::test]
async fn what_happens_in_one_instant_keeps_its_order_across_pages() {
    let app = spawn_app().await;
    let signup = app.signup("instant").await;
    // Seven entries at the same time to the nanosecond: the clock does not move.
    for amount in 1..=7 {
        app.credit(signup.organization.id, amount).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/credit/transactions?limit=3&cursor={c}"),
            None => "/api/v1/credit/transactions?limit=3".to_owned(),
        };
        let page: Page<LedgerEntry> =
            expect_json(app.get(&path, &signup.access_token).await, StatusCode::OK).await;
        assert!(page.items.iter().all(|e| e.created_at == start_time()));
        seen.extend(page.items.iter().map(|e| e.amount_cents));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, [7, 6, 5, 4, 3, 2, 1], "newest first, each once");
}
