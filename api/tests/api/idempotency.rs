use reqwest::StatusCode;
use shared::dto::{Account, Page};

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
