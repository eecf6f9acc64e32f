use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::dto::{
    Account, AuditEvent, Credit, LedgerEntry, LedgerKind, Organization, Page, SubscriptionChange,
    SubscriptionQuote,
};

use crate::helpers::*;

async fn balance(app: &TestApp, token: &str) -> i64 {
    let credit: Credit = expect_json(app.get("/api/v1/credit", token).await, StatusCode::OK).await;
    credit.balance_cents
}

async fn ledger_sum(app: &TestApp, token: &str) -> i64 {
    let page: Page<LedgerEntry> = expect_json(
        app.get("/api/v1/credit/transactions?limit=200", token)
            .await,
        StatusCode::OK,
    )
    .await;
    page.items.iter().map(|e| e.amount_cents).sum()
}

fn with_plan(username: &str, plan: &str) -> serde_json::Value {
    let mut body = new_account(username);
    body["plan"] = json!(plan);
    body
}

async fn change(app: &TestApp, token: &str, account: uuid::Uuid, plan: &str) -> reqwest::Response {
    app.send(
        Method::PUT,
        &format!("/api/v1/accounts/{account}/subscription"),
        Some(token),
        Some(&json!({"plan": plan})),
    )
    .await
}

#[tokio::test]
async fn the_owners_plan_sets_the_caps() {
    let app = spawn_app().await;
    let signup = app.signup("capped").await;
    let owner = signup.access_token.clone();
    // A new organization's owner is on free: no room for anybody else.
    let problem = expect_problem(
        app.post("/api/v1/accounts", Some(&owner), &new_account("first"))
            .await,
        StatusCode::CONFLICT,
        "limit_reached",
    )
    .await;
    assert_eq!(problem.extra.get("cap"), Some(&json!("accounts")));
    // Top up and upgrade the owner to entry (25 accounts, 5 of them free).
    app.credit(signup.organization.id, 350).await;
    let upgraded: SubscriptionChange = expect_json(
        change(&app, &owner, signup.account.id, "entry").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            upgraded.refunded_cents,
            upgraded.charged_cents,
            upgraded.balance_cents
        ),
        (0, 350, 0)
    );
    assert_eq!(upgraded.subscription.plan, "entry");
    assert!(upgraded.subscription.period_end.is_some());
    for i in 0..5 {
        app.create_account(&owner, &format!("free{i}")).await;
    }
    let problem = expect_problem(
        app.post("/api/v1/accounts", Some(&owner), &new_account("free5"))
            .await,
        StatusCode::CONFLICT,
        "limit_reached",
    )
    .await;
    assert_eq!(problem.extra.get("cap"), Some(&json!("free_accounts")));
    let org: Organization = expect_json(
        app.get("/api/v1/organization", &owner).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (org.plan.as_str(), org.caps.accounts, org.caps.free_accounts),
        ("entry", 25, 5)
    );
    assert_eq!((org.usage.accounts, org.usage.free_accounts), (6, 5));
    // The owner cannot go back to free while five free accounts use the caps.
    let problem = expect_problem(
        change(&app, &owner, signup.account.id, "free").await,
        StatusCode::CONFLICT,
        "limit_reached",
    )
    .await;
    assert_eq!(problem.extra.get("cap"), Some(&json!("accounts")));
    assert_eq!(
        balance(&app, &owner).await,
        0,
        "a refused change moves no money"
    );
}

#[tokio::test]
async fn paid_accounts_are_charged_changed_pro_rata_and_refunded_on_deletion() {
    let app = spawn_app().await;
    let signup = app.paid_signup_with("payroll", 750 + 1000).await;
    let owner = signup.access_token;
    // Entry costs 350: charged at creation.
    let res = app
        .post(
            "/api/v1/accounts",
            Some(&owner),
            &with_plan("paid", "entry"),
        )
        .await;
    let paid: Account = expect_json(res, StatusCode::CREATED).await;
    let sub = paid.subscription.clone().unwrap();
    assert_eq!((sub.plan.as_str(), sub.paid_cents), ("entry", 350));
    assert_eq!(balance(&app, &owner).await, 650);
    // Not covered: nothing created, the missing amount named.
    let problem = expect_problem(
        app.post(
            "/api/v1/accounts",
            Some(&owner),
            &with_plan("ultra1", "ultra"),
        )
        .await,
        StatusCode::PAYMENT_REQUIRED,
        "credit_insufficient",
    )
    .await;
    assert_eq!(problem.extra.get("missing_cents"), Some(&json!(2500 - 650)));
    let page: Page<Account> = expect_json(
        app.get("/api/v1/accounts?q=ultra1", &owner).await,
        StatusCode::OK,
    )
    .await;
    assert!(page.items.is_empty());

    // Quote, then change entry → pro: nearly all of 350 back, 750 charged.
    let quote: SubscriptionQuote = expect_json(
        app.get(
            &format!("/api/v1/accounts/{}/subscription/quote?plan=pro", paid.id),
            &owner,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        quote.refund_cents >= 349 && quote.refund_cents <= 350,
        "{quote:?}"
    );
    assert_eq!(quote.charge_cents, 750);
    assert_eq!(quote.covered, 650 + quote.refund_cents >= 750);
    let changed: SubscriptionChange =
        expect_json(change(&app, &owner, paid.id, "pro").await, StatusCode::OK).await;
    assert!(changed.refunded_cents >= 349 && changed.refunded_cents <= 350);
    assert_eq!(changed.charged_cents, 750);
    assert_eq!(changed.balance_cents, 650 + changed.refunded_cents - 750);
    assert_eq!(balance(&app, &owner).await, changed.balance_cents);
    // The same plan again changes nothing.
    let same: SubscriptionChange =
        expect_json(change(&app, &owner, paid.id, "pro").await, StatusCode::OK).await;
    assert_eq!(
        (same.refunded_cents, same.charged_cents, same.balance_cents),
        (0, 0, changed.balance_cents)
    );
    // Too expensive: 402 and nothing moved.
    expect_problem(
        change(&app, &owner, paid.id, "ultra").await,
        StatusCode::PAYMENT_REQUIRED,
        "credit_insufficient",
    )
    .await;
    assert_eq!(balance(&app, &owner).await, changed.balance_cents);
    expect_problem(
        change(&app, &owner, paid.id, "gold").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    // Users never change their own subscription.
    let user = app.login_ok("paid").await.access_token;
    expect_problem(
        change(&app, &user, paid.id, "free").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // The ledger names the account of each of its entries while the account exists.
    let of_paid = |page: &Page<LedgerEntry>| -> Vec<Option<String>> {
        page.items
            .iter()
            .filter(|e| e.account_id == Some(paid.id))
            .map(|e| e.account_username.clone())
            .collect()
    };
    let page: Page<LedgerEntry> = expect_json(
        app.get("/api/v1/credit/transactions", &owner).await,
        StatusCode::OK,
    )
    .await;
    let named = of_paid(&page);
    assert!(named.len() >= 2, "{page:?}");
    assert!(
        named.iter().all(|u| u.as_deref() == Some("paid")),
        "{named:?}"
    );

    // Deleting refunds the unused value.
    app.post_empty(&format!("/api/v1/accounts/{}/disable", paid.id), &owner)
        .await
        .error_for_status()
        .unwrap();
    let before = balance(&app, &owner).await;
    let deleted: shared::dto::DeleteAccountResponse = expect_json(
        app.delete(&format!("/api/v1/accounts/{}", paid.id), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        deleted.refunded_cents >= 749 && deleted.refunded_cents <= 750,
        "{deleted:?}"
    );
    assert_eq!(deleted.balance_cents, before + deleted.refunded_cents);
    assert_eq!(
        ledger_sum(&app, &owner).await,
        deleted.balance_cents,
        "balance == sum of the ledger"
    );
    let kinds: Vec<LedgerKind> = {
        let page: Page<LedgerEntry> = expect_json(
            app.get("/api/v1/credit/transactions", &owner).await,
            StatusCode::OK,
        )
        .await;
        // A deleted account's entries keep its id but no longer name it.
        let named = of_paid(&page);
        assert!(
            named.len() >= 3 && named.iter().all(Option::is_none),
            "{named:?}"
        );
        page.items.iter().map(|e| e.kind).collect()
    };
    assert_eq!(
        kinds.iter().filter(|k| **k == LedgerKind::Refund).count(),
        2
    );
}

#[tokio::test]
async fn concurrent_creations_never_overdraw_the_credit() {
    let app = spawn_app().await;
    // After the owner's upgrade, 1000 remain: room for exactly two entry accounts (350 each).
    let signup = app.paid_signup_with("rush", 750 + 1000).await;
    let owner = signup.access_token;
    let bodies: Vec<_> = (0..8)
        .map(|i| with_plan(&format!("rush{i}"), "entry"))
        .collect();
    let answers = futures_util::future::join_all(
        bodies
            .iter()
            .map(|b| app.post("/api/v1/accounts", Some(&owner), b)),
    )
    .await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        2,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::PAYMENT_REQUIRED)
            .count(),
        6,
        "{statuses:?}"
    );
    assert_eq!(balance(&app, &owner).await, 300);
    assert_eq!(ledger_sum(&app, &owner).await, 300);
    // And parallel upgrades of the owner-free accounts: at most what 300 allows (none).
    let org: Organization = expect_json(
        app.get("/api/v1/organization", &owner).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(org.usage.accounts, 3);
}

#[tokio::test]
async fn renewals_charge_each_period_once_and_fall_back_to_free() {
    let app = spawn_app().await;
    let signup = app.paid_signup_with("renewing", 750 + 350 + 700).await;
    let owner = signup.access_token;
    let account: Account = expect_json(
        app.post(
            "/api/v1/accounts",
            Some(&owner),
            &with_plan("monthly", "entry"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let end = account.subscription.unwrap().period_end.unwrap();
    assert_eq!(balance(&app, &owner).await, 700);

    // Nothing is due yet.
    app.renew(&chrono::Utc::now().to_rfc3339());
    assert_eq!(balance(&app, &owner).await, 700);
    // One period later the account renews (and so does the owner, whose pro costs 750: not
    // covered after entry's 350, so the owner falls back to free).
    let later = (end + chrono::Duration::hours(1)).to_rfc3339();
    app.renew(&later);
    app.renew(&later); // a second pass at the same time charges nothing more
    let renewed: Account = expect_json(
        app.get(&format!("/api/v1/accounts/{}", account.id), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    let sub = renewed.subscription.unwrap();
    assert_eq!(
        sub.period_start,
        Some(end),
        "the next period starts where the last ended"
    );
    let page: Page<LedgerEntry> = expect_json(
        app.get("/api/v1/credit/transactions?kind=renewal", &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    let renewals = page.items;
    assert_eq!(renewals.len(), 1, "{renewals:?}");
    let events: Page<AuditEvent> = expect_json(
        app.get(
            "/api/v1/audit-events?action=subscription.renewal_failed",
            &owner,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let total_renewals_and_fallbacks = renewals.len() + events.items.len();
    assert_eq!(
        total_renewals_and_fallbacks, 2,
        "the owner's and the account's periods both ended"
    );
    assert_eq!(events.items[0].actor, "system:renewal");
    assert_eq!(events.items[0].details["reason"], "credit_insufficient");
    assert_eq!(ledger_sum(&app, &owner).await, balance(&app, &owner).await);

    // Months missed while nothing ran are caught up in order until the credit runs out.
    let far = (end + chrono::Duration::days(400)).to_rfc3339();
    app.renew(&far);
    let renewed: Account = expect_json(
        app.get(&format!("/api/v1/accounts/{}", account.id), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        renewed.plan.as_deref(),
        Some("free"),
        "fell back once the credit ran out"
    );
    assert!(balance(&app, &owner).await < 350);
    assert_eq!(ledger_sum(&app, &owner).await, balance(&app, &owner).await);

    // The owner was told, in the outbox (no SMTP configured for the command).
    let mails: Vec<String> = std::fs::read_dir(app.data_dir.path().join("outbox"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    assert!(
        mails.iter().any(
            |m| m.contains("Subject: A subscription could not be renewed")
                && m.contains("To: renewing@example.net")
        ),
        "{mails:?}"
    );
    assert!(
        mails
            .iter()
            .any(|m| m.contains("Subject: Your Postwarden credit is running low")),
        "{mails:?}"
    );
}

#[tokio::test]
async fn operators_edit_plans_and_admins_change_the_billing_period() {
    let app = spawn_app().await;
    let operator = app.operator_token().await;
    let body = json!({"name": "Entry", "monthly_price_cents": 400, "max_aliases": 12, "storage_mb": 6000,
                      "caps": {"accounts": 30, "free_accounts": 6, "domains": 2}});
    let plan: shared::dto::Plan = expect_json(
        app.send(
            Method::PUT,
            "/api/v1/operator/plans/entry",
            Some(&operator),
            Some(&body),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            plan.monthly_price_cents,
            plan.yearly_price_cents,
            plan.caps.accounts
        ),
        (400, 4800, 30)
    );
    expect_problem(
        app.send(
            Method::PUT,
            "/api/v1/operator/plans/nope",
            Some(&operator),
            Some(&body),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let signup = app.signup("yearly").await;
    let plans: Page<shared::dto::Plan> = expect_json(
        app.get("/api/v1/plans", &signup.access_token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        plans
            .items
            .iter()
            .map(|p| p.code.as_str())
            .collect::<Vec<_>>(),
        ["free", "entry", "pro", "ultra"]
    );
    let org: Organization = expect_json(
        app.patch(
            "/api/v1/organization",
            &signup.access_token,
            &json!({"billing_period": "yearly"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(org.billing_period, shared::dto::BillingPeriod::Yearly);
    expect_problem(
        app.patch(
            "/api/v1/organization",
            &signup.access_token,
            &json!({"billing_period": "weekly"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // A yearly period costs twelve months.
    app.credit(signup.organization.id, 4800).await;
    let changed: SubscriptionChange = expect_json(
        change(&app, &signup.access_token, signup.account.id, "entry").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed.charged_cents, 4800);
    let sub = changed.subscription;
    assert_eq!(
        sub.period_end.unwrap(),
        sub.period_start
            .unwrap()
            .checked_add_months(chrono::Months::new(12))
            .unwrap()
    );
}

#[tokio::test]
async fn two_renewal_processes_at_once_charge_each_period_once() {
    let app = spawn_app().await;
    let signup = app.paid_signup_with("twice", 750 * 13 + 350 * 13).await;
    let owner = signup.access_token;
    let account: Account = expect_json(
        app.post(
            "/api/v1/accounts",
            Some(&owner),
            &with_plan("racer", "entry"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let later = (chrono::Utc::now() + chrono::Duration::days(200)).to_rfc3339();
    // Two operators' passes (or two replicas' jobs) at the same moment, beside the server.
    let mut first = app.renew_command(&later).spawn().unwrap();
    let mut second = app.renew_command(&later).spawn().unwrap();
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());
    let page: Page<LedgerEntry> = expect_json(
        app.get(
            &format!(
                "/api/v1/credit/transactions?kind=renewal&account_id={}&limit=200",
                account.id
            ),
            &owner,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let mut periods: Vec<_> = page
        .items
        .iter()
        .map(|e| (e.period_start.unwrap(), e.period_end.unwrap()))
        .collect();
    periods.sort();
    assert_eq!(
        periods.len(),
        6,
        "about 200 days of monthly periods: {periods:?}"
    );
    for pair in periods.windows(2) {
        assert_eq!(
            pair[0].1, pair[1].0,
            "consecutive periods, none twice: {periods:?}"
        );
    }
    assert_eq!(ledger_sum(&app, &owner).await, balance(&app, &owner).await);
}

#[tokio::test]
async fn concurrent_plan_changes_never_overdraw_the_credit() {
    let app = spawn_app().await;
    let signup = app.paid_signup_with("upgrades", 750 + 1000).await;
    let owner = signup.access_token;
    let mut ids = Vec::new();
    for i in 0..8 {
        ids.push(app.create_account(&owner, &format!("up{i}")).await.id);
    }
    // 1000 left: exactly two free → entry upgrades (350 each) fit.
    let answers =
        futures_util::future::join_all(ids.iter().map(|id| change(&app, &owner, *id, "entry")))
            .await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        2,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::PAYMENT_REQUIRED)
            .count(),
        6,
        "{statuses:?}"
    );
    assert_eq!(balance(&app, &owner).await, 300);
    assert_eq!(ledger_sum(&app, &owner).await, 300);
}
