//! The principal and account-view caches: what changes is refused or shown on the very next
//! request of the process that changed it, and within a second on another process on the same
//! database (a real second `postwarden-api serve`), through the change log. These tests wait
//! on wall-clock time, so they run one at a time (`.config/nextest.toml`, group `timing`).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{Account, LoginResponse};

use crate::helpers::*;

/// How long another process may take to see a change (SPEC §10).
const BOUND: Duration = Duration::from_secs(1);

/// A second server on the test app's database, stopped when dropped.
struct Second {
    base: String,
    child: Child,
    client: reqwest::Client,
}

impl Drop for Second {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Second {
    async fn start(app: &TestApp) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_postwarden-api"))
            .arg("serve")
            .env_clear()
            .env("DATABASE_URL", &app.database_url)
            .env("POSTWARDEN_DATA_DIR", app.data_dir.path())
            .env("POSTWARDEN_BIND", format!("127.0.0.1:{port}"))
            .env("POSTWARDEN_LOG", "warn")
            .env("POSTWARDEN_RENEWAL_INTERVAL_SECS", "0")
            .env("POSTWARDEN_WEB_DIR", app.data_dir.path().join("no-web"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a second postwarden-api");
        let second = Self {
            base: format!("http://127.0.0.1:{port}"),
            child,
            client: reqwest::Client::new(),
        };
        for _ in 0..400 {
            let ready = second
                .client
                .get(format!("{}/readyz", second.base))
                .send()
                .await;
            if ready.is_ok_and(|r| r.status() == StatusCode::OK) {
                return second;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the second server did not become ready");
    }

    /// Signs in there (it runs on the machine's clock, not the test's).
    async fn login(&self, login: &str, password: &str) -> String {
        let res = self
            .client
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .unwrap();
        expect_json::<LoginResponse>(res, StatusCode::OK)
            .await
            .access_token
    }

    async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// Asks `path` until `done` holds; fails after [`BOUND`] (plus a little for the request).
    async fn within_bound(
        &self,
        path: &str,
        token: &str,
        what: &str,
        done: impl AsyncFn(reqwest::Response) -> bool,
    ) -> Duration {
        let started = Instant::now();
        loop {
            if done(self.get(path, token).await).await {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < BOUND + Duration::from_millis(200),
                "the second process still did not see {what} after {:?}",
                started.elapsed()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn unauthorized(res: reqwest::Response) -> bool {
    res.status() == StatusCode::UNAUTHORIZED
}

/// An organization with a second account, `member`, signed in; both answers fetched twice, so
/// that they sit in the caches.
async fn warm(app: &TestApp, name: &str) -> (String, Account, String) {
    let owner = app.paid_signup(name).await.access_token;
    let member = app.create_account(&owner, &format!("{name}-member")).await;
    let token = app.login_ok(&format!("{name}-member")).await.access_token;
    for _ in 0..2 {
        assert_eq!(app.get("/api/v1/me", &token).await.status(), StatusCode::OK);
        let path = format!("/api/v1/accounts/{}", member.id);
        assert_eq!(app.get(&path, &owner).await.status(), StatusCode::OK);
    }
    (owner, member, token)
}

#[tokio::test]
async fn a_disable_a_password_change_and_a_logout_take_effect_on_the_next_request() {
    let app = spawn_app().await;

    // Disabled: refused at once, and the admin reads the new status at once.
    let (owner, member, token) = warm(&app, "cachea").await;
    let path = format!("/api/v1/accounts/{}", member.id);
    let res = app.post_empty(&format!("{path}/disable"), &owner).await;
    assert_eq!(res.status(), StatusCode::OK);
    expect_problem(
        app.get("/api/v1/me", &token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let view: Account = expect_json(app.get(&path, &owner).await, StatusCode::OK).await;
    assert_eq!(view.status, shared::dto::AccountStatus::Disabled);

    // A new password set by the admin: the member's sessions end at once.
    let (owner, member, token) = warm(&app, "cacheb").await;
    let res = app
        .post(
            &format!("/api/v1/accounts/{}/password", member.id),
            Some(&owner),
            &json!({"new_password": "Brand-new-pass-5"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", &token).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Signed out: that token is refused at once; another session of the account is not.
    let (_, _, token) = warm(&app, "cachec").await;
    let other = app.login_ok("cachec-member").await.access_token;
    assert_eq!(app.get("/api/v1/me", &other).await.status(), StatusCode::OK);
    let res = app.post_empty("/api/v1/auth/logout", &token).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", &token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/api/v1/me", &other).await.status(), StatusCode::OK);

    // An edit shows on the next read, for the admin and for the account itself.
    let (owner, member, token) = warm(&app, "cached").await;
    let path = format!("/api/v1/accounts/{}", member.id);
    let res = app
        .patch(&path, &owner, &json!({"first_name": "Renamed"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let view: Account = expect_json(app.get(&path, &owner).await, StatusCode::OK).await;
    assert_eq!(view.first_name, "Renamed");
    let me: shared::dto::Me =
        expect_json(app.get("/api/v1/me", &token).await, StatusCode::OK).await;
    assert_eq!(me.account.first_name, "Renamed");
}

#[tokio::test]
async fn another_process_sees_a_disable_a_password_change_and_a_logout_within_a_second() {
    let app = spawn_app().await;
    let owner = app.paid_signup("crossed").await.access_token;
    let mut members = Vec::new();
    for name in ["crossed-a", "crossed-b", "crossed-c"] {
        members.push(app.create_account(&owner, name).await);
    }
    let second = Second::start(&app).await;
    let mut tokens = Vec::new();
    for member in &members {
        let token = second.login(&member.username, PASSWORD).await;
        // Twice: the second answer comes from that process's caches.
        for _ in 0..2 {
            assert_eq!(
                second.get("/api/v1/me", &token).await.status(),
                StatusCode::OK
            );
        }
        tokens.push(token);
    }

    // Disabled here: refused there within the bound.
    let disable = format!("/api/v1/accounts/{}/disable", members[0].id);
    assert_eq!(
        app.post_empty(&disable, &owner).await.status(),
        StatusCode::OK
    );
    let took = second
        .within_bound("/api/v1/me", &tokens[0], "the disable", unauthorized)
        .await;
    eprintln!("disable seen by the second process after {took:?}");

    // A new password here: the sessions there end.
    let res = app
        .post(
            &format!("/api/v1/accounts/{}/password", members[1].id),
            Some(&owner),
            &json!({"new_password": "Brand-new-pass-5"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    second
        .within_bound("/api/v1/me", &tokens[1], "the new password", unauthorized)
        .await;

    // Signed out through this process with that process's token: refused there too.
    let res = app.post_empty("/api/v1/auth/logout", &tokens[2]).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    second
        .within_bound("/api/v1/me", &tokens[2], "the logout", unauthorized)
        .await;

    // An API key revoked here: refused there within the bound (after answering from that
    // process's key cache).
    let res = app
        .post(
            "/api/v1/api-keys",
            Some(&owner),
            &json!({"name": "crossed", "scopes": ["accounts:read"]}),
        )
        .await;
    let key: shared::dto::CreatedApiKey = expect_json(res, StatusCode::CREATED).await;
    for _ in 0..2 {
        assert_eq!(
            second.get("/api/v1/accounts", &key.secret).await.status(),
            StatusCode::OK
        );
    }
    let revoke = format!("/api/v1/api-keys/{}", key.key.id);
    assert_eq!(
        app.delete(&revoke, &owner).await.status(),
        StatusCode::NO_CONTENT
    );
    second
        .within_bound(
            "/api/v1/accounts",
            &key.secret,
            "the revoked key",
            unauthorized,
        )
        .await;

    // An admin's edit here shows in the account view there.
    let admin = second.login("crossed", PASSWORD).await;
    let path = format!("/api/v1/accounts/{}", members[0].id);
    for _ in 0..2 {
        assert_eq!(second.get(&path, &admin).await.status(), StatusCode::OK);
    }
    let res = app
        .patch(&path, &owner, &json!({"first_name": "Elsewhere"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    second
        .within_bound(&path, &admin, "the edit", async |res| {
            res.json::<Account>().await.unwrap().first_name == "Elsewhere"
        })
        .await;
}

#[tokio::test]
async fn a_plan_changed_by_the_renew_command_shows_within_a_second() {
    let start = at(2027, 3, 10, 8, 0, 0);
    let app = spawn_with(Options {
        start: Some(start),
        ..Default::default()
    })
    .await;
    // Enough credit for the owner's first month only: at the renewal the owner falls back to
    // free.
    let owner = app.paid_signup_with("renewer", 750).await;
    let path = format!("/api/v1/accounts/{}", owner.account.id);
    for _ in 0..2 {
        let view: Account =
            expect_json(app.get(&path, &owner.access_token).await, StatusCode::OK).await;
        assert_eq!(view.plan.as_deref(), Some("pro"));
    }
    // Not `app.renew`, which waits for the server to catch up: the bound is what is tested.
    let out = app
        .renew_command(at(2027, 4, 10, 8, 0, 1))
        .output()
        .unwrap();
    assert!(out.status.success());
    let started = Instant::now();
    loop {
        let view: Account =
            expect_json(app.get(&path, &owner.access_token).await, StatusCode::OK).await;
        if view.plan.as_deref() == Some("free") {
            break;
        }
        assert!(
            started.elapsed() < BOUND + Duration::from_millis(200),
            "the renewal's plan change is still not shown after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
