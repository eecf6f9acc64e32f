//! API keys (API.md, "API keys"): made and revoked by admins, shown once, limited by scopes
//! from the route table, by expiry and networks; a key is a non-owner admin.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::dto::{Account, ApiKey, AuditEvent, CreatedApiKey, Page, Scope};

use crate::helpers::*;
use api::http::scopes::{Access, ROUTES};

async fn make_key(app: &TestApp, token: &str, body: Value) -> CreatedApiKey {
    let res = app.post("/api/v1/api-keys", Some(token), &body).await;
    expect_json(res, StatusCode::CREATED).await
}

async fn key_with(app: &TestApp, token: &str, scopes: &[Scope]) -> String {
    let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    make_key(app, token, json!({"name": "test", "scopes": names}))
        .await
        .secret
}

#[tokio::test]
async fn a_key_is_shown_once_listed_without_its_secret_and_revoked_at_once() {
    let app = spawn_app().await;
    let admin = app.signup("keyowner").await.access_token;
    let res = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            &json!({"name": "HR sync", "scopes": ["accounts:read", "accounts:read", "groups:read"]}),
        )
        .await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let created: CreatedApiKey = expect_json(res, StatusCode::CREATED).await;
    assert!(created.secret.starts_with("pwk_") && created.secret.len() >= 4 + 22);
    assert_eq!(created.key.prefix, created.secret[..12]);
    assert_eq!(
        created.key.scopes,
        vec![Scope::AccountsRead, Scope::GroupsRead]
    );
    assert_eq!(location, format!("/api/v1/api-keys/{}", created.key.id));
    assert_eq!(created.key.last_used_at, None);

    let listed = app.get("/api/v1/api-keys", &admin).await;
    let text = listed.text().await.unwrap();
    assert!(
        !text.contains(&created.secret) && !text.contains("secret"),
        "{text}"
    );
    let page: Page<ApiKey> = serde_json::from_str(&text).unwrap();
    assert_eq!(page.items, vec![created.key.clone()]);

    // The key works, and its first use is recorded.
    let key = created.secret.clone();
    expect_json::<Page<Account>>(app.get("/api/v1/accounts", &key).await, StatusCode::OK).await;
    let path = format!("/api/v1/api-keys/{}", created.key.id);
    let seen: ApiKey = expect_json(app.get(&path, &admin).await, StatusCode::OK).await;
    assert_eq!(seen.last_used_at, Some(app.clock.now()));
    assert_eq!(seen.last_used_ip.as_deref(), Some("127.0.0.1"));

    // Revoked: refused on the very next request, gone from the list.
    assert_eq!(
        app.delete(&path, &admin).await.status(),
        StatusCode::NO_CONTENT
    );
    expect_problem(
        app.get("/api/v1/accounts", &key).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_problem(
        app.get(&path, &admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_problem(
        app.delete(&path, &admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let page: Page<ApiKey> =
        expect_json(app.get("/api/v1/api-keys", &admin).await, StatusCode::OK).await;
    assert!(page.items.is_empty());
}

/// Every route of the table, with a key lacking what it needs (403 naming exactly that) and
/// with a key holding only what it needs (anything but 403). Routes a key may never use are
/// refused even with every scope.
#[tokio::test]
async fn every_route_checks_the_scopes_of_the_route_table() {
    let app = spawn_app().await;
    let admin = app.paid_signup("matrix").await.access_token;
    let all = key_with(&app, &admin, &Scope::ALL).await;
    let some_id = uuid::Uuid::new_v4().to_string();
    let mut checked = 0;
    for (method, path, access) in ROUTES {
        let path = path
            .replace("{id}", &some_id)
            .replace("{account_id}", &some_id)
            .replace("{top_up_id}", &some_id)
            .replace("{address}", "someone%40example.com")
            .replace("{code}", "pro");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let body = (method != Method::GET && method != Method::DELETE).then(|| json!({}));
        match access {
            Access::Public => continue,
            Access::Session => {
                let res = app
                    .send(method.clone(), &path, Some(&all), body.as_ref())
                    .await;
                let problem = expect_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
                assert_eq!(problem.extra.missing_scope, None, "{method} {path}");
            }
            Access::Key(needed) => {
                let others: Vec<Scope> = Scope::ALL
                    .into_iter()
                    .filter(|s| !needed.contains(s))
                    .collect();
                let lacking = key_with(&app, &admin, &others).await;
                let res = app
                    .send(method.clone(), &path, Some(&lacking), body.as_ref())
                    .await;
                let problem = expect_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
                let mut want = needed.to_vec();
                want.sort();
                assert_eq!(problem.extra.missing_scope, Some(want), "{method} {path}");

                let exact = key_with(&app, &admin, needed).await;
                let res = app
                    .send(method.clone(), &path, Some(&exact), body.as_ref())
                    .await;
                assert_ne!(res.status(), StatusCode::FORBIDDEN, "{method} {path}");
                assert_ne!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
            }
        }
        checked += 1;
    }
    assert!(checked > 50, "the table was walked: {checked} routes");
}

#[tokio::test]
async fn a_key_is_a_non_owner_admin_of_its_own_organization() {
    let app = spawn_app().await;
    let owner = app.paid_signup("nonowner").await;
    let admin = owner.access_token.clone();
    let user = app.create_account(&admin, "keyuser").await;
    let writer = key_with(&app, &admin, &[Scope::AccountsWrite, Scope::AccountsRead]).await;

    // Never an administrator's password; a user's, yes.
    let body = json!({"new_password": "Another pass 123"});
    let res = app
        .post(
            &format!("/api/v1/accounts/{}/password", owner.account.id),
            Some(&writer),
            &body,
        )
        .await;
    expect_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .post(
            &format!("/api/v1/accounts/{}/password", user.id),
            Some(&writer),
            &body,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    // A paid plan needs billing:write too; free does not.
    let mut paid = new_account("paiduser");
    paid["plan"] = json!("pro");
    let res = app.post("/api/v1/accounts", Some(&writer), &paid).await;
    let problem = expect_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(problem.extra.missing_scope, Some(vec![Scope::BillingWrite]));
    let made: Account = expect_json(
        app.post("/api/v1/accounts", Some(&writer), &new_account("freeuser"))
            .await,
        StatusCode::CREATED,
    )
    .await;

    // Audited as the key.
    let keys: Page<ApiKey> =
        expect_json(app.get("/api/v1/api-keys", &admin).await, StatusCode::OK).await;
    let actor = format!("api_key:{}", keys.items[0].id);
    let events: Page<AuditEvent> = expect_json(
        app.get(&format!("/api/v1/audit-events?actor={actor}"), &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        events.items.iter().any(|e| e.action == "account.created"
            && e.target.as_deref() == Some(&*format!("account:{}", made.id))),
        "{events:?}"
    );

    // Another organization's ids are 404, as for its admins.
    let other = app.paid_signup("otherorg").await;
    let res = app
        .get(&format!("/api/v1/accounts/{}", other.account.id), &writer)
        .await;
    expect_problem(res, StatusCode::NOT_FOUND, "not_found").await;

    // Keys cannot make keys.
    let res = app
        .post(
            "/api/v1/api-keys",
            Some(&writer),
            &json!({"name": "x", "scopes": ["scim"]}),
        )
        .await;
    expect_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn expired_keys_and_keys_from_other_networks_are_refused() {
    let app = spawn_app().await;
    let admin = app.signup("netkeys").await.access_token;
    let expires = app.clock.now() + Duration::hours(1);
    let expiring = make_key(
        &app,
        &admin,
        json!({"name": "short", "scopes": ["accounts:read"], "expires_at": expires}),
    )
    .await;
    assert_eq!(expiring.key.expires_at, Some(expires));
    let fenced = make_key(
        &app,
        &admin,
        json!({"name": "fenced", "scopes": ["accounts:read"], "allowed_networks": ["127.0.0.2/32"]}),
    )
    .await;
    assert_eq!(
        app.get("/api/v1/accounts", &expiring.secret).await.status(),
        StatusCode::OK
    );
    app.clock.advance(Duration::hours(1));
    expect_problem(
        app.get("/api/v1/accounts", &expiring.secret).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;

    assert_eq!(
        fenced.key.allowed_networks,
        Some(vec!["127.0.0.2/32".to_owned()])
    );
    expect_problem(
        app.get("/api/v1/accounts", &fenced.secret).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let res = TestApp::client_from(2)
        .get(app.url("/api/v1/accounts"))
        .bearer_auth(&fenced.secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_key_request_is_checked_field_by_field() {
    let app = spawn_app().await;
    let admin = app.signup("keyform").await.access_token;
    let res = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            &json!({"name": "", "scopes": ["accounts:read", "everything"],
                    "allowed_networks": ["10.0.0.0/33"], "expires_at": "tomorrow", "extra": 1}),
        )
        .await;
    let problem = expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    for field in [
        "name",
        "scopes[1]",
        "allowed_networks[0]",
        "expires_at",
        "extra",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    let res = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            &json!({"name": "none", "scopes": []}),
        )
        .await;
    expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let past = app.clock.now() - Duration::seconds(1);
    let res = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            &json!({"name": "past", "scopes": ["scim"], "expires_at": past}),
        )
        .await;
    expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn idempotency_keys_are_scoped_to_the_api_key() {
    let app = spawn_app().await;
    let admin = app.paid_signup("idemkeys").await.access_token;
    let key = key_with(&app, &admin, &[Scope::AccountsWrite]).await;
    let send = |token: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/accounts"))
                .bearer_auth(token)
                .header("Idempotency-Key", "row-7")
                .json(&new_account("idemuser"))
                .send()
                .await
                .unwrap()
        }
    };
    let first: Account = expect_json(send(key.clone()).await, StatusCode::CREATED).await;
    let again: Account = expect_json(send(key.clone()).await, StatusCode::CREATED).await;
    assert_eq!(first.id, again.id);
    // The same Idempotency-Key from the admin's session is another caller's: a new attempt.
    expect_problem(send(admin).await, StatusCode::CONFLICT, "username_taken").await;
}

#[tokio::test]
async fn a_key_creation_retried_with_its_idempotency_key_is_a_conflict_never_a_second_secret() {
    let app = spawn_app().await;
    let admin = app.signup("idemsecret").await.access_token;
    let send = || {
        app.client
            .post(app.url("/api/v1/api-keys"))
            .bearer_auth(&admin)
            .header("Idempotency-Key", "make-key-1")
            .json(&json!({"name": "once", "scopes": ["accounts:read"]}))
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.headers()["cache-control"], "no-store");
    expect_json::<CreatedApiKey>(first, StatusCode::CREATED).await;
    expect_problem(send().await.unwrap(), StatusCode::CONFLICT, "conflict").await;
    let page: Page<ApiKey> =
        expect_json(app.get("/api/v1/api-keys", &admin).await, StatusCode::OK).await;
    assert_eq!(page.items.len(), 1);
}
