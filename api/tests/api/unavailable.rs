//! A database that cannot answer in time: 503 `unavailable` with `Retry-After`, nothing half
//! done, and everything back once it answers again.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, TransactionTrait};
use shared::dto::{Account, Page};

use crate::helpers::*;

#[tokio::test]
async fn a_write_that_cannot_take_its_lock_in_time_is_503_and_changes_nothing() {
    let app = spawn_app().await;
    let signup = app.paid_signup("locked").await;
    let owner = signup.access_token.clone();
    // Another process holds the lock the creation needs: SQLite's write lock, or the
    // organization's row on PostgreSQL (waited for until `lock_timeout`).
    let other = Database::connect(&app.database_url).await.unwrap();
    let txn = other.begin().await.unwrap();
    let hold = if app.database_url.starts_with("postgres") {
        format!(
            "SELECT id FROM organizations WHERE id = '{}' FOR UPDATE",
            signup.organization.id
        )
    } else {
        "UPDATE secrets SET value = value WHERE 0 = 1".to_owned()
    };
    txn.execute_unprepared(&hold).await.unwrap();

    let res = app
        .post("/api/v1/accounts", Some(&owner), &new_account("waits"))
        .await;
    assert_eq!(res.headers()["retry-after"], "2");
    expect_problem(res, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;

    txn.rollback().await.unwrap();
    other.close().await.unwrap();
    let page: Page<Account> =
        expect_json(app.get("/api/v1/accounts", &owner).await, StatusCode::OK).await;
    assert_eq!(page.items.len(), 1, "nothing was created");
    let created: Account = expect_json(
        app.post("/api/v1/accounts", Some(&owner), &new_account("waits"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created.username, "waits");
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
}
