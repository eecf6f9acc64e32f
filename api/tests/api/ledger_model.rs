//! A property test over the money operations, through HTTP: arbitrary sequences of top-ups,
//! adjustments, account creations, plan changes, deletions and renewals, with arbitrary amounts
//! and times, from a fixed seed on the server's fixed clock. An oracle predicts every answer's
//! status and the balance after it from SPEC §2's rules (prices, full-period charges, pro-rata
//! refunds, anchored renewals, the fall-back to free), so a server that refuses everything, or
//! books a wrong amount, fails. After every step: the balance is the predicted one and equals
//! the sum of the ledger, is never negative, and no account ever got back more than it paid.

use std::collections::HashMap;

use api::service::periods;
use chrono::{DateTime, Utc};
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
use shared::dto::BillingPeriod;

use proptest::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::dto::{Account, Credit, LedgerEntry, LedgerKind, Page, TopUp};
use uuid::Uuid;

use crate::helpers::*;

const PLANS: [&str; 4] = ["free", "entry", "pro", "ultra"];
/// SPEC §2's monthly prices, in the order of `PLANS`.
const PRICES: [i64; 4] = [0, 350, 750, 2500];
/// SPEC §2's caps of an owner on each plan: (accounts, free accounts).
const CAPS: [(usize, usize); 4] = [(1, 1), (25, 5), (250, 25), (1000, 100)];
/// The seed of the operation sequences: the same 32 cases on every run.
const SEED: [u8; 32] = *b"postwarden ledger model, seed 01";
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

/// A paid period: start, end, what was paid, and the chain's anchor.
#[derive(Debug, Clone, Copy)]
struct Period {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    paid: i64,
    anchor: DateTime<Utc>,
}

/// What the oracle knows of one account's subscription.
#[derive(Debug, Clone)]
struct Sub {
    id: Uuid,
    /// An index into `PLANS`.
    plan: usize,
    /// The current period; `None` on free.
    period: Option<Period>,
}

impl Sub {
    fn start(id: Uuid, plan: usize, now: DateTime<Utc>) -> Self {
        let period = (PRICES[plan] > 0).then(|| Period {
            start: now,
            end: periods::period_end(now, BillingPeriod::Monthly),
            paid: PRICES[plan],
            anchor: now,
        });
        Self { id, plan, period }
    }

    fn unused(&self, now: DateTime<Utc>) -> i64 {
        self.period
            .map_or(0, |p| periods::refund(p.paid, p.start, p.end, now))
    }
}

/// The oracle: the balance and every subscription, moved by SPEC §2's rules.
#[derive(Debug, Default)]
struct Oracle {
    balance: i64,
    /// The owner first.
    subs: Vec<Sub>,
}

impl Oracle {
    /// The owner's plan's caps, and how many accounts (and free ones) there are.
    fn usage(&self) -> ((usize, usize), usize, usize) {
        let free = self.subs.iter().filter(|s| s.plan == 0).count();
        (CAPS[self.subs[0].plan], self.subs.len(), free)
    }

    fn sub(&mut self, id: Uuid) -> &mut Sub {
        self.subs
            .iter_mut()
            .find(|s| s.id == id)
            .expect("known account")
    }

    /// One renewal pass at `now`: accounts in order of period end (then id), each catching up
    /// period by period; short of credit, it falls back to free.
    fn renew(&mut self, now: DateTime<Utc>) {
        let mut due: Vec<(DateTime<Utc>, Uuid)> = self
            .subs
            .iter()
            .filter_map(|s| s.period.map(|p| (p.end, s.id)))
            .filter(|(end, _)| *end <= now)
            .collect();
        due.sort();
        for (_, id) in due {
            let mut balance = self.balance;
            let sub = self.sub(id);
            while let Some(Period { end, anchor, .. }) = sub.period.filter(|p| p.end <= now) {
                let price = PRICES[sub.plan];
                if balance < price {
                    (sub.plan, sub.period) = (0, None);
                    break;
                }
                balance -= price;
                let next = periods::next_end(anchor, end, BillingPeriod::Monthly);
                sub.period = Some(Period {
                    start: end,
                    end: next,
                    paid: price,
                    anchor,
                });
            }
            self.balance = balance;
        }
    }
}

struct Model {
    app: TestApp,
    owner: String,
    operator: String,
    org: Uuid,
    accounts: Vec<Uuid>,
    created: usize,
    oracle: Oracle,
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
                self.oracle.balance += amount;
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
                let covered = self.oracle.balance + amount >= 0;
                let expected = if covered {
                    self.oracle.balance += amount;
                    StatusCode::CREATED
                } else {
                    StatusCode::PAYMENT_REQUIRED
                };
                assert_eq!(status, expected, "adjust {amount}");
            }
            Op::Create(plan) => {
                self.created += 1;
                let mut body = new_account(&format!("member{}", self.created));
                body["plan"] = json!(PLANS[plan]);
                let res = app.post("/api/v1/accounts", Some(&self.owner), &body).await;
                let ((cap_accounts, cap_free), total, free) = self.oracle.usage();
                if total >= cap_accounts || (plan == 0 && free >= cap_free) {
                    expect_problem(res, StatusCode::CONFLICT, "limit_reached").await;
                    return;
                }
                if self.oracle.balance < PRICES[plan] {
                    expect_problem(res, StatusCode::PAYMENT_REQUIRED, "credit_insufficient").await;
                    return;
                }
                let id = expect_json::<Account>(res, StatusCode::CREATED).await.id;
                self.accounts.push(id);
                self.oracle.balance -= PRICES[plan];
                self.oracle.subs.push(Sub::start(id, plan, app.clock.now()));
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
                let now = app.clock.now();
                let sub = self.oracle.sub(id).clone();
                let ((_, cap_free), _, free) = self.oracle.usage();
                let after = self.oracle.balance + sub.unused(now) - PRICES[plan];
                if sub.plan == plan {
                    assert_eq!(
                        res.status(),
                        StatusCode::OK,
                        "the same plan changes nothing"
                    );
                } else if plan == 0 && free + 1 > cap_free {
                    expect_problem(res, StatusCode::CONFLICT, "limit_reached").await;
                } else if after < 0 {
                    expect_problem(res, StatusCode::PAYMENT_REQUIRED, "credit_insufficient").await;
                } else {
                    assert_eq!(res.status(), StatusCode::OK, "change to {}", PLANS[plan]);
                    self.oracle.balance = after;
                    *self.oracle.sub(id) = Sub::start(id, plan, now);
                }
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
                let refund = self.oracle.sub(id).unused(app.clock.now());
                self.oracle.balance += refund;
                self.oracle.subs.retain(|s| s.id != id);
            }
            Op::Renew(days) => {
                // Time passes for the server too: what follows happens after the renewals (a
                // second later, not in the same instant as another process's writes), with new
                // sessions (the old tokens have expired meanwhile).
                let at = app.clock.advance(chrono::Duration::days(days));
                app.renew(at).await;
                self.oracle.renew(at);
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
        assert_eq!(
            credit.balance_cents, self.oracle.balance,
            "the balance the oracle predicts: {:?}",
            self.oracle
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
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &SEED));
    let strategy = proptest::collection::vec(op(), 1..14);
    let outcome = runner.run(&strategy, |ops| {
        rt.block_on(async {
            let app = spawn_app().await;
            let signup = app.paid_signup_with("model", 750).await;
            let operator = app.operator_token().await;
            // The owner was moved to pro (750 a month) with exactly that credit.
            let oracle = Oracle {
                balance: 0,
                subs: vec![Sub::start(signup.account.id, 2, app.clock.now())],
            };
            let mut model = Model {
                owner: signup.access_token,
                org: signup.organization.id,
                operator,
                app,
                accounts: vec![],
                created: 0,
                oracle,
            };
            model.check().await;
            for op in &ops {
                model.apply(op).await;
                model.check().await;
            }
        });
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
