use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{Account, AccountStatus, AuditEvent, DeleteAccountResponse, Page, Role};

use crate::helpers::*;

#[tokio::test]
async fn create_get_list_and_patch_accounts() {
    let app = spawn_app().await;
    let owner = app.paid_signup("acme").await.access_token;
    let mut body = new_account("mario.rossi");
    body["personal"] = json!({"external_email": "mario@example.net", "mobile_phone": "+39 333 123 4567",
        "postal_address": {"street": "Via Roma 1", "postal_code": "00100", "city": "Roma", "country": "it"}, "birthdate": "1980-05-17"});
    let res = app.post("/api/v1/accounts", Some(&owner), &body).await;
    let location = res
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let created: Account = expect_json(res, StatusCode::CREATED).await;
    assert_eq!(location, format!("/api/v1/accounts/{}", created.id));
    assert_eq!(
        created.email.as_deref(),
        Some("mario.rossi@postwarden.test")
    );
    assert_eq!(
        (created.role, created.status),
        (Role::User, AccountStatus::Active)
    );
    assert_eq!(
        created.personal.mobile_phone.as_deref(),
        Some("+393331234567")
    );
    assert_eq!(
        created.personal.postal_address.country.as_deref(),
        Some("IT")
    );
    assert_eq!(
        created.subscription.as_ref().map(|s| s.plan.as_str()),
        Some("free")
    );

    let fetched: Account = expect_json(app.get(&location, &owner).await, StatusCode::OK).await;
    assert_eq!(fetched, created);

    // Merge patch: names change, null clears, absent fields stay.
    let patched: Account = expect_json(
        app.patch(&location, &owner, &json!({"first_name": "Mario", "personal": {"mobile_phone": null, "postal_address": {"city": "Milano"}}})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(patched.first_name, "Mario");
    assert_eq!(patched.personal.mobile_phone, None);
    assert_eq!(
        patched.personal.postal_address.city.as_deref(),
        Some("Milano")
    );
    assert_eq!(
        patched.personal.postal_address.street.as_deref(),
        Some("Via Roma 1")
    );
    assert_eq!(
        patched.personal.external_email.as_deref(),
        Some("mario@example.net")
    );

    for name in ["anna", "bruno", "carla"] {
        app.create_account(&owner, name).await;
    }
    // Sorted by username, keyset pages.
    let page: Page<Account> = expect_json(
        app.get("/api/v1/accounts?limit=2", &owner).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        page.items
            .iter()
            .map(|a| a.username.as_str())
            .collect::<Vec<_>>(),
        ["acme", "anna"]
    );
    let cursor = page.next_cursor.unwrap();
    let page: Page<Account> = expect_json(
        app.get(&format!("/api/v1/accounts?limit=2&cursor={cursor}"), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        page.items
            .iter()
            .map(|a| a.username.as_str())
            .collect::<Vec<_>>(),
        ["bruno", "carla"]
    );
    let page: Page<Account> = expect_json(
        app.get(
            &format!(
                "/api/v1/accounts?limit=2&cursor={}",
                page.next_cursor.unwrap()
            ),
            &owner,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next_cursor, None);

    // q: case-insensitive prefix of first name, last name, username or address.
    for (q, expected) in [
        ("MAR", vec!["mario.rossi"]),
        ("last%20ca", vec!["carla"]),
        ("bruno%40post", vec!["bruno"]),
        ("zzz", vec![]),
        ("%25", vec![]),
    ] {
        let page: Page<Account> = expect_json(
            app.get(&format!("/api/v1/accounts?q={q}"), &owner).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            page.items
                .iter()
                .map(|a| a.username.as_str())
                .collect::<Vec<_>>(),
            expected,
            "q={q}"
        );
    }
    expect_problem(
        app.get("/api/v1/accounts?limit=0", &owner).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    expect_problem(
        app.get("/api/v1/accounts?status=gone", &owner).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    expect_problem(
        app.get("/api/v1/accounts?cursor=nonsense", &owner).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn usernames_and_addresses_are_checked() {
    let app = spawn_app().await;
    // Enough credit for the owner's own upgrade, nothing more.
    let owner = app.paid_signup_with("shop", 750).await.access_token;
    app.create_account(&owner, "luca").await;
    expect_problem(
        app.post("/api/v1/accounts", Some(&owner), &new_account("Luca"))
            .await,
        StatusCode::CONFLICT,
        "username_taken",
    )
    .await;
    expect_problem(
        app.post("/api/v1/accounts", Some(&owner), &new_account("abuse"))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "address_reserved",
    )
    .await;
    let mut other_domain = new_account("paolo");
    other_domain["email"] = json!("paolo@example.org");
    let problem = expect_problem(
        app.post("/api/v1/accounts", Some(&owner), &other_domain)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(problem.field_message("email").is_some());
    let mut paid = new_account("paola");
    paid["plan"] = json!("pro");
    let problem = expect_problem(
        app.post("/api/v1/accounts", Some(&owner), &paid).await,
        StatusCode::PAYMENT_REQUIRED,
        "credit_insufficient",
    )
    .await;
    assert_eq!(problem.extra.missing_cents, Some(750));
    let mut unknown_plan = new_account("pietro");
    unknown_plan["plan"] = json!("platinum");
    expect_problem(
        app.post("/api/v1/accounts", Some(&owner), &unknown_plan)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // Nothing of the refused attempts was stored.
    let page: Page<Account> =
        expect_json(app.get("/api/v1/accounts", &owner).await, StatusCode::OK).await;
    assert_eq!(page.items.len(), 2);
}

#[tokio::test]
async fn disable_enable_delete_and_owner_protection() {
    let app = spawn_app().await;
    let signup = app.paid_signup("corp").await;
    let owner = signup.access_token;
    let user = app.create_account(&owner, "giulia").await;
    let path = format!("/api/v1/accounts/{}", user.id);
    let session = app.login_ok("giulia").await;

    expect_problem(
        app.delete(&path, &owner).await,
        StatusCode::CONFLICT,
        "account_not_disabled",
    )
    .await;
    let disabled: Account = expect_json(
        app.post_empty(&format!("{path}/disable"), &owner).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(disabled.status, AccountStatus::Disabled);
    assert!(disabled.disabled_at.is_some());
    expect_problem(
        app.get("/api/v1/me", &session.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_problem(
        app.login("giulia", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;

    let enabled: Account = expect_json(
        app.post_empty(&format!("{path}/enable"), &owner).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(enabled.status, AccountStatus::Active);
    app.login_ok("giulia").await;
    expect_json::<Account>(
        app.post_empty(&format!("{path}/disable"), &owner).await,
        StatusCode::OK,
    )
    .await;
    let deleted: DeleteAccountResponse =
        expect_json(app.delete(&path, &owner).await, StatusCode::OK).await;
    assert_eq!(
        deleted,
        DeleteAccountResponse {
            refunded_cents: 0,
            balance_cents: 100_000 - 750
        }
    );
    expect_problem(
        app.get(&path, &owner).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // The username and address are free again.
    app.create_account(&owner, "giulia").await;

    let owner_path = format!("/api/v1/accounts/{}", signup.account.id);
    expect_problem(
        app.post_empty(&format!("{owner_path}/disable"), &owner)
            .await,
        StatusCode::CONFLICT,
        "owner_protected",
    )
    .await;
    expect_problem(
        app.delete(&owner_path, &owner).await,
        StatusCode::CONFLICT,
        "owner_protected",
    )
    .await;

    let events: Page<AuditEvent> = expect_json(
        app.get("/api/v1/audit-events?limit=200", &owner).await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = events.items.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "organization.created",
        "account.created",
        "account.disabled",
        "account.enabled",
        "account.deleted",
        "session.login",
        "session.login_failed",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    let deleted_event = events
        .items
        .iter()
        .find(|e| e.action == "account.deleted")
        .unwrap();
    assert_eq!(
        deleted_event.actor,
        format!("account:{}", signup.account.id)
    );
    assert!(deleted_event.request_id.is_some() && deleted_event.client_ip.is_some());
    let filtered: Page<AuditEvent> = expect_json(
        app.get("/api/v1/audit-events?action=account.disabled", &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        filtered
            .items
            .iter()
            .all(|e| e.action == "account.disabled")
            && filtered.items.len() == 2
    );
}

#[tokio::test]
async fn admin_password_set_revokes_sessions() {
    let app = spawn_app().await;
    let owner = app.paid_signup("firm").await.access_token;
    let user = app.create_account(&owner, "marco").await;
    let session = app.login_ok("marco").await;
    let res = app
        .post(
            &format!("/api/v1/accounts/{}/password", user.id),
            Some(&owner),
            &json!({"new_password": "Fresh-pass-42"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    expect_problem(
        app.get("/api/v1/me", &session.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    app.login("marco", "Fresh-pass-42")
        .await
        .error_for_status()
        .unwrap();
}

#[tokio::test]
async fn roles_are_enforced() {
    let app = spawn_app().await;
    let owner = app.paid_signup("biz").await.access_token;
    app.create_account(&owner, "ugo").await;
    let user = app.login_ok("ugo").await.access_token;
    expect_problem(
        app.get("/api/v1/accounts", &user).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.get("/api/v1/audit-events", &user).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.get("/api/v1/operator/organizations", &owner).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let operator = app.operator_token().await;
    expect_problem(
        app.get("/api/v1/accounts", &operator).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.get("/api/v1/organization", &operator).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.get("/api/v1/accounts", "not-a-token").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn operators_create_and_list_organizations() {
    let app = spawn_app().await;
    let operator = app.operator_token().await;
    let body = json!({"organization_name": "Studio Bianchi", "owner": {"first_name": "Sara", "last_name": "Bianchi", "username": "sara", "password": PASSWORD}});
    let created: shared::dto::CreateOrganizationResponse = expect_json(
        app.post("/api/v1/operator/organizations", Some(&operator), &body)
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created.organization.owner_account_id, created.account.id);
    assert_eq!(
        created.account.email.as_deref(),
        Some("sara@postwarden.test")
    );
    let bad = json!({"organization_name": "X", "owner": {"first_name": "", "username": "s"}});
    let problem = expect_problem(
        app.post("/api/v1/operator/organizations", Some(&operator), &bad)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    for field in [
        "owner.first_name",
        "owner.last_name",
        "owner.username",
        "owner.password",
    ] {
        assert!(
            problem.field_message(field).is_some(),
            "{field}: {problem:?}"
        );
    }
    let list: Page<shared::dto::Organization> = expect_json(
        app.get("/api/v1/operator/organizations", &operator).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].owner_username, "sara");
    // The owner can sign in; operators read audit events across organizations.
    app.login_ok("sara").await;
    let events: Page<AuditEvent> = expect_json(
        app.get("/api/v1/audit-events", &operator).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        events
            .items
            .iter()
            .any(|e| e.action == "organization.created"
                && e.organization_id == Some(created.organization.id))
    );
}

#[tokio::test]
async fn an_account_created_without_a_plan_gets_the_organizations_provisioning_plan() {
    let app = spawn_app().await;
    let owner = app.paid_signup("provisioner").await.access_token;
    let org: shared::dto::Organization = expect_json(
        app.get("/api/v1/organization", &owner).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(org.provisioning_plan, "free");
    let res = app
        .patch(
            "/api/v1/organization",
            &owner,
            &json!({"provisioning_plan": "nope"}),
        )
        .await;
    let problem = expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "provisioning_plan");
    let res = app
        .patch(
            "/api/v1/organization",
            &owner,
            &json!({"provisioning_plan": "Pro"}),
        )
        .await;
    let org: shared::dto::Organization = expect_json(res, StatusCode::OK).await;
    assert_eq!(org.provisioning_plan, "pro");

    let made = app.create_account(&owner, "provisioned").await;
    assert_eq!(made.plan.as_deref(), Some("pro"));
    // A key that may not spend credit cannot create on that plan by leaving it out.
    let key: shared::dto::CreatedApiKey = expect_json(
        app.post(
            "/api/v1/api-keys",
            Some(&owner),
            &json!({"name": "no billing", "scopes": ["accounts:write"]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let res = app
        .post(
            "/api/v1/accounts",
            Some(&key.secret),
            &new_account("viakey"),
        )
        .await;
    let problem = expect_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(
        problem.extra.missing_scope,
        Some(vec![shared::dto::Scope::BillingWrite])
    );
}
