use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::dto::{Credit, LedgerEntry, LedgerKind, Page, TopUp, TopUpStatus, WebhookAnswer};

use crate::helpers::*;

const SECRET: &str = "whsec_integration";

async fn ledger(app: &TestApp, token: &str) -> Vec<LedgerEntry> {
    let page: Page<LedgerEntry> = expect_json(
        app.get("/api/v1/credit/transactions?limit=200", token)
            .await,
        StatusCode::OK,
    )
    .await;
    page.items
}

/// The ledger invariant: the balance equals the sum of the entries, and each entry's
/// `balance_after_cents` is the running sum.
async fn assert_ledger_sums(app: &TestApp, token: &str) -> i64 {
    let credit: Credit = expect_json(app.get("/api/v1/credit", token).await, StatusCode::OK).await;
    let mut entries = ledger(app, token).await;
    entries.reverse();
    let mut running = 0;
    for e in &entries {
        running += e.amount_cents;
        assert_eq!(e.balance_after_cents, running, "{e:?}");
        assert!(running >= 0);
    }
    assert_eq!(credit.balance_cents, running);
    running
}

async fn request_top_up(app: &TestApp, token: &str, amount: i64) -> TopUp {
    expect_json(
        app.post(
            "/api/v1/credit/top-ups",
            Some(token),
            &json!({"amount_cents": amount}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

#[tokio::test]
async fn operators_confirm_top_ups_once() {
    let app = spawn_app().await;
    let signup = app.signup("payer").await;
    let admin = signup.access_token;
    let org = signup.organization.id;
    let operator = app.operator_token().await;

    let top_up = request_top_up(&app, &admin, 5000).await;
    assert_eq!(
        (top_up.status, top_up.credited_at),
        (TopUpStatus::Pending, None)
    );
    let pending: Page<TopUp> = expect_json(
        app.get("/api/v1/operator/top-ups?status=pending", &operator)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        pending.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [top_up.id]
    );
    // Lists across organizations name each top-up's organization and its currency.
    assert_eq!(
        (
            pending.items[0].organization_name.as_str(),
            pending.items[0].currency.as_str()
        ),
        (signup.organization.name.as_str(), "EUR")
    );

    let path = format!(
        "/api/v1/operator/organizations/{org}/top-ups/{}/confirm",
        top_up.id
    );
    let credited: TopUp = expect_json(app.post_empty(&path, &operator).await, StatusCode::OK).await;
    assert_eq!(credited.status, TopUpStatus::Credited);
    assert_eq!(credited.organization_name, signup.organization.name);
    let again: TopUp = expect_json(app.post_empty(&path, &operator).await, StatusCode::OK).await;
    assert_eq!(
        again.credited_at, credited.credited_at,
        "confirming twice changes nothing"
    );
    assert_eq!(assert_ledger_sums(&app, &admin).await, 5000);
    let entries = ledger(&app, &admin).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].kind, LedgerKind::TopUp);

    let pending: Page<TopUp> = expect_json(
        app.get("/api/v1/operator/top-ups?status=pending", &operator)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(pending.items.is_empty());
    let mine: Page<TopUp> = expect_json(
        app.get("/api/v1/credit/top-ups", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine.items[0].status, TopUpStatus::Credited);

    // Admins cannot confirm; another organization's id in the path is 404.
    expect_problem(
        app.post_empty(&path, &admin).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let other = app.signup("other").await;
    let wrong = format!(
        "/api/v1/operator/organizations/{}/top-ups/{}/confirm",
        other.organization.id, top_up.id
    );
    expect_problem(
        app.post_empty(&wrong, &operator).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let theirs: Page<TopUp> = expect_json(
        app.get("/api/v1/credit/top-ups", &other.access_token).await,
        StatusCode::OK,
    )
    .await;
    assert!(theirs.items.is_empty());
    for bad in [
        json!({"amount_cents": 0}),
        json!({"amount_cents": 10_000_001}),
        json!({"amount_cents": "5"}),
        json!({}),
    ] {
        expect_problem(
            app.post("/api/v1/credit/top-ups", Some(&admin), &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
}

async fn webhook(app: &TestApp, body: &Value, t: i64, secret: &str) -> reqwest::Response {
    let raw = serde_json::to_vec(body).unwrap();
    let signature = api::service::payments::sign(secret.as_bytes(), &raw, t);
    app.client
        .post(app.url("/api/v1/payments/webhook"))
        .header("content-type", "application/json")
        .header("postwarden-signature", signature)
        .body(raw)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_payment_webhook_credits_each_payment_once() {
    let app = spawn_with(Options {
        env: vec![("POSTWARDEN_PAYMENT_WEBHOOK_SECRET", SECRET.into())],
        ..Default::default()
    })
    .await;
    let signup = app.signup("webpay").await;
    let admin = signup.access_token;
    let top_up = request_top_up(&app, &admin, 2500).await;
    let now = app.clock.now().timestamp();
    let body = json!({"payment_id": "pay_123", "top_up_id": top_up.id, "amount_cents": 2500, "status": "succeeded"});

    expect_problem(
        webhook(&app, &body, now, "wrong-secret").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_problem(
        webhook(&app, &body, now - 301, SECRET).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let unsigned = app
        .client
        .post(app.url("/api/v1/payments/webhook"))
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_problem(unsigned, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let mut wrong_amount = body.clone();
    wrong_amount["amount_cents"] = json!(2499);
    expect_problem(
        webhook(&app, &wrong_amount, now, SECRET).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let mut unknown = body.clone();
    unknown["top_up_id"] = json!(uuid::Uuid::new_v4());
    expect_problem(
        webhook(&app, &unknown, now, SECRET).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        assert_ledger_sums(&app, &admin).await,
        0,
        "nothing credited by refused calls"
    );

    // The provider repeats itself, concurrently: exactly one credit.
    let deliveries = (0..8).map(|_| webhook(&app, &body, now, SECRET));
    let answers = futures_util::future::join_all(deliveries).await;
    let mut credited_now = 0;
    for res in answers {
        let answer: WebhookAnswer = expect_json(res, StatusCode::OK).await;
        assert_eq!(answer.top_up.status, TopUpStatus::Credited);
        credited_now += usize::from(answer.credited_now);
    }
    assert_eq!(credited_now, 1);
    assert_eq!(assert_ledger_sums(&app, &admin).await, 2500);
    // The operator path afterwards changes nothing either.
    let operator = app.operator_token().await;
    let path = format!(
        "/api/v1/operator/organizations/{}/top-ups/{}/confirm",
        signup.organization.id, top_up.id
    );
    expect_json::<TopUp>(app.post_empty(&path, &operator).await, StatusCode::OK).await;
    assert_eq!(assert_ledger_sums(&app, &admin).await, 2500);
    assert_eq!(ledger(&app, &admin).await.len(), 1);
    // The same payment id cannot pay another top-up.
    let second = request_top_up(&app, &admin, 2500).await;
    let mut reuse = body.clone();
    reuse["top_up_id"] = json!(second.id);
    expect_problem(
        webhook(&app, &reuse, now, SECRET).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn without_a_secret_the_webhook_does_not_exist() {
    let app = spawn_app().await;
    let res = webhook(&app, &json!({}), app.clock.now().timestamp(), SECRET).await;
    expect_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn adjustments_never_take_the_balance_below_zero_even_concurrently() {
    let app = spawn_app().await;
    let signup = app.signup("adjusted").await;
    let admin = signup.access_token;
    let operator = app.operator_token().await;
    let path = format!(
        "/api/v1/operator/organizations/{}/credit/adjustments",
        signup.organization.id
    );
    let entry: LedgerEntry = expect_json(
        app.post(
            &path,
            Some(&operator),
            &json!({"amount_cents": 1000, "memo": "goodwill"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (entry.kind, entry.balance_after_cents),
        (LedgerKind::Adjustment, 1000)
    );
    let problem = expect_problem(
        app.post(
            &path,
            Some(&operator),
            &json!({"amount_cents": -1500, "memo": "too much"}),
        )
        .await,
        StatusCode::PAYMENT_REQUIRED,
        "credit_insufficient",
    )
    .await;
    assert_eq!(problem.extra.missing_cents, Some(500));
    let problem = expect_problem(
        app.post(&path, Some(&operator), &json!({"amount_cents": 0}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(
        problem.field_message("amount_cents").is_some() && problem.field_message("memo").is_some()
    );

    // Ten debits of 300 against 1000: exactly three fit.
    let bodies: Vec<Value> = (0..10)
        .map(|i| json!({"amount_cents": -300, "memo": format!("debit {i}")}))
        .collect();
    let debits = bodies
        .iter()
        .map(|body| app.post(&path, Some(&operator), body));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(debits)
        .await
        .into_iter()
        .map(|r| r.status())
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::PAYMENT_REQUIRED)
            .count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(assert_ledger_sums(&app, &admin).await, 100);
    let unknown = format!(
        "/api/v1/operator/organizations/{}/credit/adjustments",
        uuid::Uuid::new_v4()
    );
    expect_problem(
        app.post(
            &unknown,
            Some(&operator),
            &json!({"amount_cents": 5, "memo": "x"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let events: Page<shared::dto::AuditEvent> = expect_json(
        app.get("/api/v1/audit-events?action=credit.adjusted", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(events.items.len(), 4);
}
