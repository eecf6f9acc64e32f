//! A database that cannot answer in time: 503 `unavailable` with `Retry-After`, nothing half
//! done, and everything back once it answers again.

use reqwest::StatusCode;
use shared::dto::{Account, Page};

use crate::helpers::*;

#[tokio::test]
async fn a_write_that_cannot_take_its_lock_in_time_is_503_and_changes_nothing() {
    let app = spawn_app().await;
    let signup = app.paid_signup("locked").await;
    let owner = signup.access_token.clone();
    // Another process holds the lock the creation needs: SQLite's write lock, or the
    // organization's row on PostgreSQL (waited for until `lock_timeout`).
    let lock = app.hold_lock(signup.organization.id).await;

    let res = app
        .post("/api/v1/accounts", Some(&owner), &new_account("waits"))
        .await;
    assert_eq!(res.headers()["retry-after"], "2");
    expect_problem(res, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;

    lock.release().await;
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
