//! A property test over the money operations, through HTTP: arbitrary sequences of top-ups,
//! adjustments, account creations, plan changes, deletions and renewals, with arbitrary amounts
//! and times. After every step: the balance equals the sum of the ledger, is never negative, and
//! no account ever got back more than it paid.

use std::collections::HashMap;

use proptest::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::dto::{Account, Credit, LedgerEntry, LedgerKind, Page, TopUp};
use uuid::Uuid;

use crate::helpers::*;

const PLANS: [&str; 4] = ["free", "entry", "pro", "ultra"];
pub const CASES: u32 = 32;

#[derive(Debug, Clone)]
enum Op {
    TopUp(i64),
    Adjust(i64),
    Create(usize),
    Change(usize, usize),
    Delete(usize),
    Renew(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1i64..5_000).prop_map(Op::TopUp),
        (-3_000i64..3_000)
            .prop_filter("non-zero", |a| *a != 0)
            .prop_map(Op::Adjust),
        (0usize..4).prop_map(Op::Create),
        (0usize..8, 0usize..4).prop_map(|(a, p)| Op::Change(a, p)),
        (0usize..8).prop_map(Op::Delete),
        (1i64..120).prop_map(Op::Renew),
    ]
}

struct Model {
    app: TestApp,
    owner: String,
    operator: String,
    org: Uuid,
    accounts: Vec<Uuid>,
    created: usize,
}

impl Model {
    async fn apply(&mut self, op: &Op) {
        let app = &self.app;
        match *op {
            Op::TopUp(amount) => {
                let top_up: TopUp = expect_json(
                    app.post(
                        "/api/v1/credit/top-ups",
                        Some(&self.owner),
                        &json!({"amount_cents": amount}),
                    )
                    .await,
                    StatusCode::CREATED,
                )
                .await;
                let path = format!(
                    "/api/v1/operator/organizations/{}/top-ups/{}/confirm",
                    self.org, top_up.id
                );
                assert_eq!(
                    app.post_empty(&path, &self.operator).await.status(),
                    StatusCode::OK
                );
            }
            Op::Adjust(amount) => {
                let path = format!(
                    "/api/v1/operator/organizations/{}/credit/adjustments",
                    self.org
                );
                let status = app
                    .post(
                        &path,
                        Some(&self.operator),
                        &json!({"amount_cents": amount, "memo": "model"}),
                    )
                    .await
                    .status();
                assert!(
                    status == StatusCode::CREATED || status == StatusCode::PAYMENT_REQUIRED,
                    "{status}"
                );
            }
            Op::Create(plan) => {
                self.created += 1;
                let mut body = new_account(&format!("member{}", self.created));
                body["plan"] = json!(PLANS[plan]);
                let res = app.post("/api/v1/accounts", Some(&self.owner), &body).await;
                match res.status() {
                    StatusCode::CREATED => self
                        .accounts
                        .push(expect_json::<Account>(res, StatusCode::CREATED).await.id),
                    StatusCode::PAYMENT_REQUIRED | StatusCode::CONFLICT => {}
                    other => panic!("create: {other} {}", res.text().await.unwrap_or_default()),
                }
            }
            Op::Change(i, plan) => {
                let Some(id) = self.accounts.get(i % self.accounts.len().max(1)).copied() else {
                    return;
                };
                let path = format!("/api/v1/accounts/{id}/subscription");
                let res = app
                    .send(
                        Method::PUT,
                        &path,
                        Some(&self.owner),
                        Some(&json!({"plan": PLANS[plan]})),
                    )
                    .await;
                let status = res.status();
                assert!(
                    matches!(status.as_u16(), 200 | 402 | 409),
                    "change: {status} {}",
                    res.text().await.unwrap_or_default()
                );
            }
            Op::Delete(i) => {
                if self.accounts.is_empty() {
                    return;
                }
                let id = self.accounts.remove(i % self.accounts.len());
                app.post_empty(&format!("/api/v1/accounts/{id}/disable"), &self.owner)
                    .await
                    .error_for_status()
                    .unwrap();
                assert_eq!(
                    app.delete(&format!("/api/v1/accounts/{id}"), &self.owner)
                        .await
                        .status(),
                    StatusCode::OK
                );
            }
            Op::Renew(days) => {
                // Time passes for the server too: what follows happens after the renewals (a
                // second later, not in the same instant as another process's writes), with new
                // sessions (the old tokens have expired meanwhile).
                app.renew(app.clock.advance(chrono::Duration::days(days)));
                app.clock.advance(chrono::Duration::seconds(1));
                self.owner = app.login_ok("model").await.access_token;
                self.operator = app.operator_token().await;
            }
        }
    }

    async fn check(&self) {
        let credit: Credit = expect_json(
            self.app.get("/api/v1/credit", &self.owner).await,
            StatusCode::OK,
        )
        .await;
        let mut entries: Vec<LedgerEntry> = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/credit/transactions?limit=200&cursor={c}"),
                None => "/api/v1/credit/transactions?limit=200".into(),
            };
            let page: Page<LedgerEntry> =
                expect_json(self.app.get(&path, &self.owner).await, StatusCode::OK).await;
            entries.extend(page.items);
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        entries.reverse();
        let mut running = 0i64;
        let mut paid: HashMap<Uuid, i64> = HashMap::new();
        let mut refunded: HashMap<Uuid, i64> = HashMap::new();
        for e in &entries {
            running += e.amount_cents;
            assert_eq!(e.balance_after_cents, running, "running balance of {e:?}");
            assert!(running >= 0);
            if let Some(account) = e.account_id {
                match e.kind {
                    LedgerKind::Charge | LedgerKind::Renewal => {
                        *paid.entry(account).or_default() -= e.amount_cents
                    }
                    LedgerKind::Refund => *refunded.entry(account).or_default() += e.amount_cents,
                    _ => {}
                }
            }
        }
        assert_eq!(
            credit.balance_cents, running,
            "balance == sum of the ledger"
        );
        for (account, back) in refunded {
            assert!(
                back <= paid.get(&account).copied().unwrap_or(0),
                "account {account} got back more than it paid"
            );
        }
    }
}

#[test]
fn the_ledger_holds_under_arbitrary_operations() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(ops in proptest::collection::vec(op(), 1..14))| {
        rt.block_on(async {
            let app = spawn_app().await;
            let signup = app.paid_signup_with("model", 750).await;
            let operator = app.operator_token().await;
            let mut model = Model { owner: signup.access_token, org: signup.organization.id, operator, app, accounts: vec![], created: 0 };
            model.check().await;
            for op in &ops {
                model.apply(op).await;
                model.check().await;
            }
        });
    });
}
