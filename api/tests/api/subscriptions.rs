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
    assert_eq!(problem.extra.cap, Some(shared::Cap::Accounts));
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
    assert_eq!(problem.extra.cap, Some(shared::Cap::FreeAccounts));
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
    assert_eq!(problem.extra.cap, Some(shared::Cap::Accounts));
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
    assert_eq!(problem.extra.missing_cents, Some(2500 - 650));
    let page: Page<Account> = expect_json(
        app.get("/api/v1/accounts?q=ultra1", &owner).await,
        StatusCode::OK,
    )
    .await;
    assert!(page.items.is_empty());

    // Ten days into its 30-day period (Apr 14 → May 14), a quote, then the change entry → pro:
    // floor(350 × 20/30) = 233 back, 750 charged.
    app.clock.advance(chrono::Duration::days(10));
    let owner = app.login_ok("payroll").await.access_token;
    let quote: SubscriptionQuote = expect_json(
        app.get(
            &format!("/api/v1/accounts/{}/subscription/quote?plan=pro", paid.id),
            &owner,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        quote,
        SubscriptionQuote {
            refund_cents: 233,
            charge_cents: 750,
            balance_after_cents: 650 + 233 - 750,
            covered: true,
        }
    );
    let changed: SubscriptionChange =
        expect_json(change(&app, &owner, paid.id, "pro").await, StatusCode::OK).await;
    assert_eq!(
        (
            changed.refunded_cents,
            changed.charged_cents,
            changed.balance_cents
        ),
        (233, 750, 133)
    );
    assert_eq!(
        changed.subscription.period_start,
        Some(app.clock.now()),
        "the new plan's period starts at the change"
    );
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

    // Deleting six days into pro's 30-day period (Apr 24 → May 24) refunds
    // floor(750 × 24/30) = 600.
    app.clock.advance(chrono::Duration::days(6));
    let owner = app.login_ok("payroll").await.access_token;
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
    assert_eq!(before, 133);
    assert_eq!(
        (deleted.refunded_cents, deleted.balance_cents),
        (600, 733),
        "{deleted:?}"
    );
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

/// The mails the server wrote out (no SMTP server is configured for it), once its outbox
/// worker has delivered everything queued (the renewal command queues them).
async fn outbox(app: &TestApp) -> Vec<String> {
    app.wait_outbox_delivered().await;
    let Ok(dir) = std::fs::read_dir(app.data_dir.path().join("outbox")) else {
        return Vec::new();
    };
    dir.map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect()
}

async fn events(app: &TestApp, token: &str, action: &str) -> Vec<AuditEvent> {
    let page: Page<AuditEvent> = expect_json(
        app.get(&format!("/api/v1/audit-events?action={action}"), token)
            .await,
        StatusCode::OK,
    )
    .await;
    page.items
}

#[tokio::test]
async fn renewals_charge_each_period_once_and_fall_back_to_free() {
    // Signed up on the 31st, late in the day: February is short, and March is long again.
    let start = at(2027, 1, 31, 23, 59, 30);
    let app = spawn_with(Options {
        start: Some(start),
        ..Default::default()
    })
    .await;
    let signup = app.paid_signup_with("renewing", 750 + 350 + 700).await;
    let owner = signup.access_token.clone();
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
    let sub = account.subscription.unwrap();
    let feb_end = at(2027, 2, 28, 23, 59, 30);
    assert_eq!(
        (sub.period_start, sub.period_end),
        (Some(start), Some(feb_end))
    );
    assert_eq!(balance(&app, &owner).await, 700);

    // Nothing is due yet; but the owner's pro (750) and the entry account (350) both renew
    // within 30 days, and 700 does not cover them: the owner is reminded, once.
    app.renew(start).await;
    assert_eq!(balance(&app, &owner).await, 700);
    let reminders = events(&app, &owner, "credit.low_reminder_sent").await;
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert_eq!(reminders[0].details["balance_cents"], 700);
    assert_eq!(reminders[0].details["next_30_days_cents"], 750 + 350);
    let low = |mails: &[String]| {
        mails
            .iter()
            .filter(|m| m.contains("Subject: Your Postwarden credit is running low"))
            .count()
    };
    assert_eq!(low(&outbox(&app).await), 1);
    app.renew(start + chrono::Duration::days(6)).await;
    assert_eq!(low(&outbox(&app).await), 1, "at most one reminder a week");

    // The periods end on Feb 28: the entry account renews (350), the owner's pro does not fit
    // what is left and falls back to free. A second pass at the same time charges nothing more.
    let just_after = feb_end + chrono::Duration::seconds(1);
    app.renew(just_after).await;
    app.renew(just_after).await;
    let renewed: Account = expect_json(
        app.get(&format!("/api/v1/accounts/{}", account.id), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    let sub = renewed.subscription.unwrap();
    assert_eq!(
        (sub.period_start, sub.period_end, sub.paid_cents),
        (Some(feb_end), Some(at(2027, 3, 31, 23, 59, 30)), 350),
        "the next period starts where the last ended and ends on the anchor's day, the 31st"
    );
    assert_eq!(balance(&app, &owner).await, 350);
    let page: Page<LedgerEntry> = expect_json(
        app.get("/api/v1/credit/transactions?kind=renewal", &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page.items.len(), 1, "{:?}", page.items);
    assert_eq!(
        (page.items[0].amount_cents, page.items[0].account_id),
        (-350, Some(account.id))
    );
    let failed = events(&app, &owner, "subscription.renewal_failed").await;
    assert_eq!(failed.len(), 1, "the owner's pro: {failed:?}");
    assert_eq!(failed[0].actor, "system:renewal");
    assert_eq!(
        failed[0].target.as_deref(),
        Some(format!("account:{}", signup.account.id).as_str())
    );
    assert_eq!(failed[0].details["reason"], "credit_insufficient");
    assert_eq!(failed[0].at, just_after);
    assert_eq!(ledger_sum(&app, &owner).await, 350);
    let mails = outbox(&app).await;
    assert!(
        mails.iter().any(
            |m| m.contains("Subject: A subscription could not be renewed")
                && m.contains("To: renewing@example.net")
        ),
        "{mails:?}"
    );

    // A year missed while nothing ran is caught up in order until the credit runs out: Mar 31
    // is paid (350 → 0), Apr 30 is not, and the account falls back to free.
    app.renew(start + chrono::Duration::days(400)).await;
    let renewed: Account = expect_json(
        app.get(&format!("/api/v1/accounts/{}", account.id), &owner)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renewed.plan.as_deref(), Some("free"));
    assert_eq!(balance(&app, &owner).await, 0);
    assert_eq!(ledger_sum(&app, &owner).await, 0);
    let page: Page<LedgerEntry> = expect_json(
        app.get("/api/v1/credit/transactions?kind=renewal", &owner)
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
        periods,
        [
            (feb_end, at(2027, 3, 31, 23, 59, 30)),
            (at(2027, 3, 31, 23, 59, 30), at(2027, 4, 30, 23, 59, 30)),
        ]
    );
    assert_eq!(
        events(&app, &owner, "subscription.renewal_failed")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn the_background_job_renews_at_the_servers_time() {
    let app = spawn_with(Options {
        env: vec![("POSTWARDEN_RENEWAL_INTERVAL_SECS", "1".into())],
        ..Default::default()
    })
    .await;
    let signup = app.paid_signup_with("background", 750 + 350 + 350).await;
    let owner = signup.access_token;
    let account: Account = expect_json(
        app.post(
            "/api/v1/accounts",
            Some(&owner),
            &with_plan("tick", "entry"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let end = account.subscription.unwrap().period_end.unwrap();
    // The job's passes at the start time find nothing due; then the server's clock (not the
    // machine's) moves past the period's end, and the next pass renews it.
    app.clock.set(end);
    let owner = app.login_ok("background").await.access_token;
    let mut renewals = Vec::new();
    for _ in 0..100 {
        let page: Page<LedgerEntry> = expect_json(
            app.get(
                &format!(
                    "/api/v1/credit/transactions?kind=renewal&account_id={}",
                    account.id
                ),
                &owner,
            )
            .await,
            StatusCode::OK,
        )
        .await;
        renewals = page.items;
        if !renewals.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(renewals.len(), 1, "renewed by the job within 10 s");
    assert_eq!(
        (renewals[0].period_start, renewals[0].created_at),
        (Some(end), end)
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
    let start = at(2027, 1, 31, 10, 0, 0);
    let app = spawn_with(Options {
        start: Some(start),
        ..Default::default()
    })
    .await;
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
    let later = app.clock.now() + chrono::Duration::days(200);
    // Two operators' passes (or two replicas' jobs) at the same moment, beside the server.
    let mut first = app.renew_command(later).spawn().unwrap();
    let mut second = app.renew_command(later).spawn().unwrap();
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
    // 200 days from Jan 31: six renewals, consecutive, none twice, each ending on the anchor's
    // day or the last day of a shorter month.
    let ends = [
        at(2027, 2, 28, 10, 0, 0),
        at(2027, 3, 31, 10, 0, 0),
        at(2027, 4, 30, 10, 0, 0),
        at(2027, 5, 31, 10, 0, 0),
        at(2027, 6, 30, 10, 0, 0),
        at(2027, 7, 31, 10, 0, 0),
        at(2027, 8, 31, 10, 0, 0),
    ];
    let expected: Vec<_> = ends.windows(2).map(|w| (w[0], w[1])).collect();
    assert_eq!(periods, expected);
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

/// Makes every update of `username`'s renewal fail in the database, as a broken row would.
async fn refuse_renewals_of(app: &TestApp, username: &str) -> sea_orm::DatabaseConnection {
    use sea_orm::ConnectionTrait;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let sql = if app.database_url.starts_with("postgres") {
        format!(
            "CREATE FUNCTION refuse_renewal() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_renewal BEFORE UPDATE OF period_end ON accounts FOR EACH ROW \
             WHEN (OLD.username = '{username}') EXECUTE FUNCTION refuse_renewal();"
        )
    } else {
        format!(
            "CREATE TRIGGER refuse_renewal BEFORE UPDATE OF period_end ON accounts \
             WHEN OLD.username = '{username}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
        )
    };
    db.execute_unprepared(&sql).await.unwrap();
    db
}

#[tokio::test]
async fn one_failing_account_does_not_stop_the_renewal_pass() {
    use sea_orm::ConnectionTrait;
    let start = at(2027, 3, 10, 9, 0, 0);
    let app = spawn_with(Options {
        start: Some(start),
        ..Default::default()
    })
    .await;
    let signup = app.paid_signup_with("partly", 350 * 20).await;
    let owner = signup.access_token;
    let mut ids = Vec::new();
    for username in ["broken", "fine"] {
        let account: Account = expect_json(
            app.post(
                "/api/v1/accounts",
                Some(&owner),
                &with_plan(username, "entry"),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        ids.push(account.id);
    }
    let renewals = |id: uuid::Uuid| {
        let app = &app;
        let owner = &owner;
        async move {
            let page: Page<LedgerEntry> = expect_json(
                app.get(
                    &format!("/api/v1/credit/transactions?kind=renewal&account_id={id}"),
                    owner,
                )
                .await,
                StatusCode::OK,
            )
            .await;
            page.items.len()
        }
    };
    let db = refuse_renewals_of(&app, "broken").await;
    let next = at(2027, 4, 10, 9, 0, 0);
    let out = app.renew_command(next).output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a pass with a failure says so: {log}"
    );
    // The owner and "fine" renewed; "broken" was left as it was.
    assert!(
        log.contains("2 periods charged") && log.contains("1 failed"),
        "{log}"
    );
    assert_eq!((renewals(ids[0]).await, renewals(ids[1]).await), (0, 1));
    assert_eq!(ledger_sum(&app, &owner).await, balance(&app, &owner).await);

    // Once the cause is gone, the next pass renews what was left.
    let drop = if app.database_url.starts_with("postgres") {
        "DROP TRIGGER refuse_renewal ON accounts"
    } else {
        "DROP TRIGGER refuse_renewal"
    };
    db.execute_unprepared(drop).await.unwrap();
    let log = app.renew(next).await;
    assert!(
        log.contains("1 periods charged") && log.contains("0 failed"),
        "{log}"
    );
    assert_eq!((renewals(ids[0]).await, renewals(ids[1]).await), (1, 1));
    assert_eq!(ledger_sum(&app, &owner).await, balance(&app, &owner).await);
}
