//! Another organization's ids answer exactly like ids that do not exist: 404, on every route
//! that takes an id.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn every_account_route_hides_other_organizations() {
    let app = spawn_app().await;
    let a = app.paid_signup("alpha").await.access_token;
    let b = app.paid_signup("beta").await.access_token;
    let victim = app.create_account(&a, "victim").await;
    // Disabled, so that delete would otherwise succeed.
    app.post_empty(&format!("/api/v1/accounts/{}/disable", victim.id), &a)
        .await
        .error_for_status()
        .unwrap();
    let id = victim.id;
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/accounts/{id}"), None),
        (
            Method::PATCH,
            format!("/api/v1/accounts/{id}"),
            Some(json!({"first_name": "Pwned"})),
        ),
        (Method::DELETE, format!("/api/v1/accounts/{id}"), None),
        (
            Method::POST,
            format!("/api/v1/accounts/{id}/password"),
            Some(json!({"new_password": "Pwned-pass-123"})),
        ),
        (Method::POST, format!("/api/v1/accounts/{id}/disable"), None),
        (Method::POST, format!("/api/v1/accounts/{id}/enable"), None),
        (Method::GET, format!("/api/v1/accounts/{id}/photo"), None),
        (Method::DELETE, format!("/api/v1/accounts/{id}/photo"), None),
        (
            Method::GET,
            format!("/api/v1/accounts/{id}/subscription/quote?plan=entry"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/accounts/{id}/subscription"),
            Some(json!({"plan": "entry"})),
        ),
    ];
    for (method, path, body) in &routes {
        let res = app
            .send(method.clone(), path, Some(&b), body.as_ref())
            .await;
        expect_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    let res = app
        .client
        .put(app.url(&format!("/api/v1/accounts/{id}/photo")))
        .bearer_auth(&b)
        .header("content-type", "image/png")
        .body(vec![0u8; 10])
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::NOT_FOUND, "not_found").await;

    // Lists and audit events show only one's own organization.
    let page: shared::dto::Page<shared::dto::Account> = expect_json(
        app.get("/api/v1/accounts?q=victim", &b).await,
        StatusCode::OK,
    )
    .await;
    assert!(page.items.is_empty());
    let events: shared::dto::Page<shared::dto::AuditEvent> = expect_json(
        app.get("/api/v1/audit-events?limit=200", &b).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        events
            .items
            .iter()
            .all(|e| e.target.as_deref() != Some(&format!("account:{id}")))
    );

    // Nothing changed for the owner of the account.
    let still: shared::dto::Account = expect_json(
        app.get(&format!("/api/v1/accounts/{id}"), &a).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(still.first_name, victim.first_name);
    assert_eq!(still.status, shared::dto::AccountStatus::Disabled);
    assert_eq!(still.plan, victim.plan, "the plan change did not happen");
    // The password change did not happen either: once its own admin enables it, the account
    // signs in with its old password only.
    app.post_empty(&format!("/api/v1/accounts/{id}/enable"), &a)
        .await
        .error_for_status()
        .unwrap();
    expect_problem(
        app.login("victim", "Pwned-pass-123").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    app.login_ok("victim").await;
}

#[tokio::test]
async fn another_organizations_group_is_not_found_as_a_filter_either() {
    let app = spawn_app().await;
    let a = app.paid_signup("gamma").await.access_token;
    let b = app.paid_signup("delta").await.access_token;
    let group: shared::dto::Group = expect_json(
        app.post("/api/v1/groups", Some(&a), &json!({"name": "Secret"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/api/v1/accounts?group_id={}", group.id);
    expect_json::<shared::dto::Page<shared::dto::Account>>(
        app.get(&path, &a).await,
        StatusCode::OK,
    )
    .await;
    expect_problem(app.get(&path, &b).await, StatusCode::NOT_FOUND, "not_found").await;
}
