use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::dto::{Account, Alias, Group, Page};

use crate::helpers::*;

async fn paid_account(app: &TestApp, owner: &str, username: &str, plan: &str) -> Account {
    let mut body = new_account(username);
    body["plan"] = json!(plan);
    expect_json(
        app.post("/api/v1/accounts", Some(owner), &body).await,
        StatusCode::CREATED,
    )
    .await
}

#[tokio::test]
async fn aliases_follow_the_address_rules_and_the_plan_limit() {
    let app = spawn_app().await;
    let owner = app.paid_signup("aliasing").await.access_token;
    let free = app.create_account(&owner, "freebie").await;
    let (app, owner) = (&app, &owner);
    let add = |id: uuid::Uuid, address: &str| {
        let body = json!({"address": address});
        let path = format!("/api/v1/accounts/{id}/aliases");
        async move { app.post(&path, Some(owner), &body).await }
    };
    let problem = expect_problem(
        add(free.id, "freebie.alias@postwarden.test").await,
        StatusCode::CONFLICT,
        "limit_reached",
    )
    .await;
    assert_eq!(problem.extra.cap, Some(shared::Cap::Aliases));

    let mario = paid_account(app, owner, "mario", "entry").await;
    let res = add(mario.id, " Mario.Rossi@Postwarden.TEST ").await;
    assert_eq!(
        res.headers().get("location").unwrap(),
        &format!(
            "/api/v1/accounts/{}/aliases/mario.rossi@postwarden.test",
            mario.id
        )
    );
    let alias: Alias = expect_json(res, StatusCode::CREATED).await;
    assert_eq!(alias.address, "mario.rossi@postwarden.test");
    expect_problem(
        add(mario.id, "mario.rossi@postwarden.test").await,
        StatusCode::CONFLICT,
        "address_taken",
    )
    .await;
    expect_problem(
        add(mario.id, "freebie@postwarden.test").await,
        StatusCode::CONFLICT,
        "address_taken",
    )
    .await;
    expect_problem(
        add(mario.id, "operator@postwarden.test").await,
        StatusCode::CONFLICT,
        "address_taken",
    )
    .await;
    for reserved in [
        "abuse@postwarden.test",
        "abuse+x@postwarden.test",
        "postmaster+x@postwarden.test",
    ] {
        expect_problem(
            add(mario.id, reserved).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "address_reserved",
        )
        .await;
    }
    expect_problem(
        add(mario.id, "support@postwarden.test").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "address_reserved",
    )
    .await;
    let problem = expect_problem(
        add(mario.id, "mario@example.org").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(problem.field_message("address").is_some());
    expect_problem(
        add(mario.id, "not an address").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let list: Page<Alias> = expect_json(
        app.get(&format!("/api/v1/accounts/{}/aliases", mario.id), owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list.items, vec![alias.clone()]);
    assert_eq!(list.next_cursor, None);
    let found: Page<Account> = expect_json(
        app.get("/api/v1/accounts?q=mario.ro", owner).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        found.items.iter().map(|a| a.id).collect::<Vec<_>>(),
        [mario.id]
    );
    assert_eq!(found.items[0].aliases, ["mario.rossi@postwarden.test"]);
    // The alias's local part is now taken as a username too (one namespace on the provider domain).
    expect_problem(
        app.post("/api/v1/accounts", Some(owner), &new_account("mario.rossi"))
            .await,
        StatusCode::CONFLICT,
        "username_taken",
    )
    .await;
    // A plan with fewer aliases than the account holds is refused.
    let downgrade = app
        .send(
            Method::PUT,
            &format!("/api/v1/accounts/{}/subscription", mario.id),
            Some(owner),
            Some(&json!({"plan": "free"})),
        )
        .await;
    expect_problem(downgrade, StatusCode::CONFLICT, "aliases_over_limit").await;

    // Percent-encoded and differently cased path segments match.
    let path = format!(
        "/api/v1/accounts/{}/aliases/Mario.Rossi%40postwarden.test",
        mario.id
    );
    assert_eq!(
        app.delete(&path, owner).await.status(),
        StatusCode::NO_CONTENT
    );
    expect_problem(
        app.delete(&path, owner).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // The address is free again.
    expect_json::<Alias>(
        add(mario.id, "mario.rossi@postwarden.test").await,
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn groups_hold_members_of_their_organization() {
    let app = spawn_app().await;
    let owner = app.paid_signup("teams").await.access_token;
    let anna = app.create_account(&owner, "anna").await;
    let bruno = app.create_account(&owner, "bruno").await;
    let res = app.post("/api/v1/groups", Some(&owner), &json!({"name": "Sales", "description": "The sales team", "email": "sales@postwarden.test"})).await;
    let sales: Group = expect_json(res, StatusCode::CREATED).await;
    assert_eq!(
        (sales.email.as_deref(), sales.member_count),
        (Some("sales@postwarden.test"), 0)
    );
    expect_problem(
        app.post("/api/v1/groups", Some(&owner), &json!({"name": "SALES"}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    expect_problem(
        app.post(
            "/api/v1/groups",
            Some(&owner),
            &json!({"name": "Other", "email": "anna@postwarden.test"}),
        )
        .await,
        StatusCode::CONFLICT,
        "address_taken",
    )
    .await;
    expect_problem(
        app.post(
            "/api/v1/groups",
            Some(&owner),
            &json!({"name": "Abuse", "email": "abuse@postwarden.test"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "address_reserved",
    )
    .await;
    let support: Group = expect_json(
        app.post("/api/v1/groups", Some(&owner), &json!({"name": "Support"}))
            .await,
        StatusCode::CREATED,
    )
    .await;

    let member = |g: uuid::Uuid, a: uuid::Uuid| format!("/api/v1/groups/{g}/members/{a}");
    for _ in 0..2 {
        assert_eq!(
            app.send(Method::PUT, &member(sales.id, anna.id), Some(&owner), None)
                .await
                .status(),
            StatusCode::NO_CONTENT
        );
    }
    app.send(Method::PUT, &member(sales.id, bruno.id), Some(&owner), None)
        .await
        .error_for_status()
        .unwrap();
    app.send(
        Method::PUT,
        &member(support.id, anna.id),
        Some(&owner),
        None,
    )
    .await
    .error_for_status()
    .unwrap();
    let got: Group = expect_json(
        app.get(&format!("/api/v1/groups/{}", sales.id), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(got.member_count, 2);
    let members: Page<Account> = expect_json(
        app.get(&format!("/api/v1/groups/{}/members", sales.id), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        members
            .items
            .iter()
            .map(|a| a.username.as_str())
            .collect::<Vec<_>>(),
        ["anna", "bruno"]
    );
    let filtered: Page<Account> = expect_json(
        app.get(&format!("/api/v1/accounts?group_id={}", support.id), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        filtered
            .items
            .iter()
            .map(|a| a.username.as_str())
            .collect::<Vec<_>>(),
        ["anna"]
    );
    assert_eq!(
        filtered.items[0]
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        ["Sales", "Support"]
    );
    let groups: Page<Group> =
        expect_json(app.get("/api/v1/groups", &owner).await, StatusCode::OK).await;
    assert_eq!(
        groups
            .items
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        ["Sales", "Support"]
    );

    // Merge patch: rename, drop the address.
    let patched: Group = expect_json(
        app.patch(
            &format!("/api/v1/groups/{}", sales.id),
            &owner,
            &json!({"name": "Vendite", "email": null}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            patched.name.as_str(),
            patched.email,
            patched.description.as_str()
        ),
        ("Vendite", None, "The sales team")
    );
    expect_problem(
        app.patch(
            &format!("/api/v1/groups/{}", sales.id),
            &owner,
            &json!({"name": "support"}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // Removing is idempotent; deleting a group keeps its accounts.
    for _ in 0..2 {
        assert_eq!(
            app.delete(&member(sales.id, bruno.id), &owner)
                .await
                .status(),
            StatusCode::NO_CONTENT
        );
    }
    assert_eq!(
        app.delete(&format!("/api/v1/groups/{}", support.id), &owner)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    expect_problem(
        app.get(&format!("/api/v1/groups/{}", support.id), &owner)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let anna_now: Account = expect_json(
        app.get(&format!("/api/v1/accounts/{}", anna.id), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        anna_now
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        ["Vendite"]
    );

    // Deleting a member account removes its memberships.
    app.post_empty(&format!("/api/v1/accounts/{}/disable", anna.id), &owner)
        .await
        .error_for_status()
        .unwrap();
    app.delete(&format!("/api/v1/accounts/{}", anna.id), &owner)
        .await
        .error_for_status()
        .unwrap();
    let got: Group = expect_json(
        app.get(&format!("/api/v1/groups/{}", sales.id), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(got.member_count, 0);

    // Another organization sees none of it, and cannot add its accounts.
    let other = app.paid_signup("outsider").await.access_token;
    let stranger = app.create_account(&other, "stranger").await;
    expect_problem(
        app.send(
            Method::PUT,
            &member(sales.id, stranger.id),
            Some(&owner),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for (method, path) in [
        (Method::GET, format!("/api/v1/groups/{}", sales.id)),
        (Method::PATCH, format!("/api/v1/groups/{}", sales.id)),
        (Method::DELETE, format!("/api/v1/groups/{}", sales.id)),
        (Method::GET, format!("/api/v1/groups/{}/members", sales.id)),
        (Method::PUT, member(sales.id, stranger.id)),
        (Method::DELETE, member(sales.id, stranger.id)),
        (
            Method::GET,
            format!("/api/v1/accounts/{}/aliases", bruno.id),
        ),
        (
            Method::POST,
            format!("/api/v1/accounts/{}/aliases", bruno.id),
        ),
        (
            Method::DELETE,
            format!("/api/v1/accounts/{}/aliases/x%40postwarden.test", bruno.id),
        ),
    ] {
        let body = match method {
            Method::PATCH => Some(json!({"name": "x"})),
            Method::POST => Some(json!({"address": "x1@postwarden.test"})),
            _ => None,
        };
        expect_problem(
            app.send(method.clone(), &path, Some(&other), body.as_ref())
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let theirs: Page<Group> =
        expect_json(app.get("/api/v1/groups", &other).await, StatusCode::OK).await;
    assert!(theirs.items.is_empty());
}
