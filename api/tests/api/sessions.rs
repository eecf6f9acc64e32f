use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{LoginResponse, Me, Role, TokenPair};

use crate::helpers::*;

#[tokio::test]
async fn signup_login_by_username_or_address_and_me() {
    let app = spawn_app().await;
    let signup = app.signup("alice").await;
    assert_eq!(
        signup.account.email.as_deref(),
        Some("alice@postwarden.test")
    );
    assert_eq!(signup.account.role, Role::Admin);
    assert!(signup.account.is_owner);
    assert_eq!(signup.account.plan.as_deref(), Some("free"));
    assert_eq!(signup.organization.owner_account_id, signup.account.id);
    assert_eq!(signup.organization.owner_username, signup.account.username);
    assert_eq!(signup.token_type, "Bearer");
    assert_eq!(signup.expires_in, 900);

    for login in ["alice", "ALICE", "Alice@Postwarden.Test"] {
        let session = app.login_ok(login).await;
        assert_eq!(session.account.id, signup.account.id);
        let me: Me = expect_json(
            app.get("/api/v1/me", &session.access_token).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(me.account.username, "alice");
        assert_eq!(me.organization.map(|o| o.name), Some("alice Org".into()));
    }
}

#[tokio::test]
async fn bad_logins_get_one_answer_and_each_client_is_throttled() {
    let app = spawn_with(Options {
        env: vec![("POSTWARDEN_LOGIN_MAX_FAILURES", "2".into())],
        ..Default::default()
    })
    .await;
    app.signup("bob").await;
    let unknown = expect_problem(
        app.login("nobody", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let wrong = expect_problem(
        app.login("bob", "Wrong-password-1").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_eq!(
        unknown.detail, wrong.detail,
        "unknown users and wrong passwords look the same"
    );
    // Three failures from this client address: it is locked out too, whatever the login.
    let res = app.login("carl", PASSWORD).await;
    assert!(res.headers().get("retry-after").is_some());
    expect_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn failed_logins_of_one_account_are_throttled_whatever_the_client_or_login() {
    let app = spawn_with(Options {
        env: vec![("POSTWARDEN_LOGIN_MAX_FAILURES", "3".into())],
        ..Default::default()
    })
    .await;
    app.signup("bob").await;
    // Three wrong passwords from three clients, by username and by address: one account.
    for (n, login) in [(2, "bob"), (3, "Bob@postwarden.test"), (4, "BOB")] {
        expect_problem(
            app.login_from(n, login, "Wrong-password-1").await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    // The account's window is full: even the right password, from a fourth client, waits. No
    // client address has reached its own limit, so this is the account's limit alone.
    let res = app.login_from(5, "bob", PASSWORD).await;
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        retry, 900,
        "the window started at the first failure, this instant"
    );
    expect_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let owner = app.login_from(6, "operator", PASSWORD).await;
    let operator: LoginResponse = expect_json(owner, StatusCode::OK).await;
    let page: shared::dto::Page<shared::dto::AuditEvent> = expect_json(
        app.get(
            "/api/v1/audit-events?action=session.login_throttled",
            &operator.access_token,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page.items.len(), 1, "throttled attempts are audited");
    assert_eq!(page.items[0].client_ip.as_deref(), Some("127.0.0.5"));
}

#[tokio::test]
async fn one_client_address_is_throttled_alone() {
    let app = spawn_with(Options {
        env: vec![("POSTWARDEN_LOGIN_MAX_FAILURES", "3".into())],
        ..Default::default()
    })
    .await;
    app.signup("bob").await;
    for login in ["anna", "carl", "dora"] {
        expect_problem(
            app.login_from(7, login, "Wrong-password-1").await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    // That client is locked out, whatever the login; bob from elsewhere is not.
    expect_problem(
        app.login_from(7, "bob", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
    expect_json::<LoginResponse>(app.login_from(8, "bob", PASSWORD).await, StatusCode::OK).await;
    // Good sign-ins do not use up a client's attempts.
    for _ in 0..5 {
        expect_json::<LoginResponse>(app.login_from(9, "bob", PASSWORD).await, StatusCode::OK)
            .await;
    }
}

#[tokio::test]
async fn parallel_guesses_get_no_more_tries_than_the_limit() {
    let app = spawn_with(Options {
        env: vec![("POSTWARDEN_LOGIN_MAX_FAILURES", "3".into())],
        ..Default::default()
    })
    .await;
    app.signup("target").await;
    // Twenty guesses at once, from twenty clients: the account's limit holds for all of them.
    let guesses = (0..20u8).map(|n| app.login_from(20 + n, "target", "Wrong-password-1"));
    let answers = futures_util::future::join_all(guesses).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, refused), (3, 17), "{statuses:?}");
}

#[tokio::test]
async fn refresh_rotates_and_logout_revokes() {
    let app = spawn_app().await;
    let signup = app.signup("carol").await;
    let pair: TokenPair = expect_json(
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refresh_token": signup.refresh_token}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_ne!(pair.refresh_token, signup.refresh_token);
    assert_eq!(
        app.get("/api/v1/me", &pair.access_token).await.status(),
        StatusCode::OK
    );

    assert_eq!(
        app.post_empty("/api/v1/auth/logout", &pair.access_token)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    expect_problem(
        app.get("/api/v1/me", &pair.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // The access token issued before the refresh belongs to the same session.
    expect_problem(
        app.get("/api/v1/me", &signup.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_problem(
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refresh_token": pair.refresh_token}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": token}),
    )
    .await
}

#[tokio::test]
async fn a_reused_refresh_token_ends_the_whole_session() {
    let app = spawn_app().await;
    let signup = app.signup("reuse").await;
    let other = app.login_ok("reuse").await;
    let pair: TokenPair =
        expect_json(refresh(&app, &signup.refresh_token).await, StatusCode::OK).await;
    // The spent token again: somebody holds a copy. Its whole session ends, for both holders.
    expect_problem(
        refresh(&app, &signup.refresh_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
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
    // The account's other sessions are not touched.
    let events: shared::dto::Page<shared::dto::AuditEvent> = expect_json(
        app.get(
            "/api/v1/audit-events?action=session.refresh_reused",
            &other.access_token,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(events.items.len(), 1);
    assert_eq!(
        events.items[0].target.as_deref(),
        Some(format!("account:{}", signup.account.id).as_str())
    );
    // A token that was never issued revokes nothing.
    expect_problem(
        refresh(&app, "not-a-token").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/me", &other.access_token).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn concurrent_refreshes_with_one_token_let_one_win() {
    let app = spawn_app().await;
    let signup = app.signup("racer").await;
    let answers =
        futures_util::future::join_all((0..8).map(|_| refresh(&app, &signup.refresh_token))).await;
    let mut winners = Vec::new();
    for res in answers {
        match res.status() {
            StatusCode::OK => winners.push(res.json::<TokenPair>().await.unwrap()),
            StatusCode::UNAUTHORIZED => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(winners.len(), 1, "one rotation of one token");
    // The others spent a spent token: the session is over, the winner's pair included.
    expect_problem(
        refresh(&app, &winners[0].refresh_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn password_change_requires_current_and_revokes_other_sessions() {
    let app = spawn_app().await;
    let first = app.signup("dave").await;
    let second = app.login_ok("dave").await;
    let res = app
        .post(
            "/api/v1/me/password",
            Some(&second.access_token),
            &json!({"current_password": "Not-it-123", "new_password": "Another-pass-7"}),
        )
        .await;
    let problem = expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(problem.field_message("current_password").is_some());
    let res = app
        .post(
            "/api/v1/me/password",
            Some(&second.access_token),
            &json!({"current_password": PASSWORD, "new_password": "Another-pass-7"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", &second.access_token).await.status(),
        StatusCode::OK,
        "the caller's own session stays"
    );
    expect_problem(
        app.get("/api/v1/me", &first.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_problem(
        app.login("dave", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let _: LoginResponse =
        expect_json(app.login("dave", "Another-pass-7").await, StatusCode::OK).await;
}

#[tokio::test]
async fn password_reset_by_mail_is_single_use_and_revokes_sessions() {
    let app = spawn_with(Options {
        smtp: true,
        ..Default::default()
    })
    .await;
    let signup = app.signup("erin").await;
    // Unknown logins get the same 202, and no mail leaves.
    assert_eq!(
        app.post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"login": "ghost"})
        )
        .await
        .status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        app.post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"login": "erin"})
        )
        .await
        .status(),
        StatusCode::ACCEPTED
    );
    let mail = app.mails.wait_for(1).await;
    assert_eq!(app.mails.count(), 1, "{:?}", app.mails);
    assert!(mail.contains("To: erin@example.net"), "{mail}");
    let token = app.reset_token_in(&mail);
    assert!(token.len() >= 22, "at least 128 bits: {token}");

    let weak = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": token, "new_password": "short"}),
        )
        .await;
    expect_problem(weak, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let ok = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": token, "new_password": "Brand-new-pass-1"}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    let again = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": token, "new_password": "Brand-new-pass-2"}),
        )
        .await;
    expect_problem(again, StatusCode::UNPROCESSABLE_ENTITY, "invalid_token").await;
    expect_problem(
        app.get("/api/v1/me", &signup.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let _: LoginResponse =
        expect_json(app.login("erin", "Brand-new-pass-1").await, StatusCode::OK).await;
}

#[tokio::test]
async fn password_reset_without_smtp_writes_to_the_outbox() {
    let app = spawn_app().await;
    app.signup("fred").await;
    assert_eq!(
        app.post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"login": "fred"})
        )
        .await
        .status(),
        StatusCode::ACCEPTED
    );
    let outbox = app.data_dir.path().join("outbox");
    for _ in 0..100 {
        if std::fs::read_dir(&outbox).map(|d| d.count()).unwrap_or(0) == 1 {
            let file = std::fs::read_dir(&outbox)
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path();
            assert_eq!(file.extension().and_then(|e| e.to_str()), Some("eml"));
            assert!(
                std::fs::read_to_string(file)
                    .unwrap()
                    .contains("/reset-password?token=")
            );
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no .eml in the outbox");
}

#[tokio::test]
async fn signup_can_be_turned_off() {
    let app = spawn_with(Options {
        env: vec![("POSTWARDEN_SIGNUP", "false".into())],
        ..Default::default()
    })
    .await;
    let res = app.post("/api/v1/signup", None, &json!({"organization_name": "X", "first_name": "A", "last_name": "B", "username": "xavier", "password": PASSWORD})).await;
    expect_problem(res, StatusCode::FORBIDDEN, "signup_disabled").await;
}

#[tokio::test]
async fn reserved_and_taken_usernames_are_refused_at_signup() {
    let app = spawn_app().await;
    app.signup("gina").await;
    let body = |u: &str| json!({"organization_name": "X", "first_name": "A", "last_name": "B", "username": u, "password": PASSWORD});
    expect_problem(
        app.post("/api/v1/signup", None, &body("GINA")).await,
        StatusCode::CONFLICT,
        "username_taken",
    )
    .await;
    expect_problem(
        app.post("/api/v1/signup", None, &body("postmaster")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "address_reserved",
    )
    .await;
}

async fn login_via_proxy(
    app: &TestApp,
    forwarded_for: &str,
    login: &str,
    password: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn failed_login_addresses(app: &TestApp) -> Vec<Option<String>> {
    let operator = app.operator_token().await;
    let page: shared::dto::Page<shared::dto::AuditEvent> = expect_json(
        app.get(
            "/api/v1/audit-events?action=session.login_failed",
            &operator,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    page.items.into_iter().map(|e| e.client_ip).collect()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_counts_apart() {
    let app = spawn_with(Options {
        env: vec![
            ("POSTWARDEN_TRUSTED_PROXIES", "127.0.0.0/8, ::1".into()),
            ("POSTWARDEN_LOGIN_MAX_FAILURES", "2".into()),
        ],
        ..Default::default()
    })
    .await;
    // A forged hop on the left is the client's own writing; the proxy's is the last one.
    let first = "6.6.6.6, 198.51.100.1";
    for login in ["ghost1", "ghost2"] {
        expect_problem(
            login_via_proxy(&app, first, login, "Wrong-pass-123").await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    expect_problem(
        login_via_proxy(&app, "198.51.100.1", "ghost3", "Wrong-pass-123").await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
    // Another client behind the same proxy is not locked out.
    expect_problem(
        login_via_proxy(&app, "198.51.100.2", "ghost4", "Wrong-pass-123").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let addresses = failed_login_addresses(&app).await;
    assert_eq!(
        addresses,
        [
            Some("198.51.100.2".to_owned()),
            Some("198.51.100.1".to_owned()),
            Some("198.51.100.1".to_owned()),
        ]
    );
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_for_is_ignored() {
    let app = spawn_app().await;
    expect_problem(
        login_via_proxy(&app, "198.51.100.1", "ghost", "Wrong-pass-123").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_eq!(
        failed_login_addresses(&app).await,
        [Some("127.0.0.1".to_owned())]
    );
}

#[tokio::test]
async fn sign_ups_are_throttled_per_client_address() {
    let app = spawn_app().await;
    let body = |n: usize| {
        json!({"organization_name": format!("Org {n}"), "first_name": "Owner", "last_name": "Many",
               "username": format!("many{n}"), "password": PASSWORD})
    };
    let from_two = TestApp::client_from(2);
    for n in 0..10 {
        let res = from_two
            .post(app.url("/api/v1/signup"))
            .json(&body(n))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "sign-up {n}");
    }
    let res = from_two
        .post(app.url("/api/v1/signup"))
        .json(&body(10))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["retry-after"], "3600");
    expect_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Nothing was created by the refused one; another address is not affected.
    expect_problem(
        app.login("many10", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let other = TestApp::client_from(3)
        .post(app.url("/api/v1/signup"))
        .json(&body(11))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::CREATED);
    // An hour later the address may sign up again.
    app.clock.advance(chrono::Duration::hours(1));
    let later = from_two
        .post(app.url("/api/v1/signup"))
        .json(&body(10))
        .send()
        .await
        .unwrap();
    assert_eq!(later.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_reset_request_is_answered_before_its_work_is_done() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = spawn_with(Options {
        smtp: true,
        ..Default::default()
    })
    .await;
    app.signup("slow").await;
    // The tables the request writes are locked by another process: the answer does not wait.
    let other = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let txn = other.begin().await.unwrap();
    let lock = if app.database_url.starts_with("postgres") {
        "LOCK TABLE password_resets IN EXCLUSIVE MODE"
    } else {
        "UPDATE secrets SET value = value WHERE 0 = 1"
    };
    txn.execute_unprepared(lock).await.unwrap();
    for login in ["slow", "nobody"] {
        let res = app
            .post(
                "/api/v1/auth/password-reset",
                None,
                &json!({"login": login}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::ACCEPTED, "{login}");
    }
    assert_eq!(app.mails.count(), 0, "the mail waits for the lock");
    txn.rollback().await.unwrap();
    other.close().await.unwrap();
    let mail = app.mails.wait_for(1).await;
    assert!(mail.contains("/reset-password?token="), "{mail}");
}
