//! Subscriptions (SPEC §2, §4): caps set by the owner's plan, paid periods charged from the
//! credit, immediate plan changes with pro-rata refunds, refunds on deletion, and renewals that
//! chain periods and catch up missed ones. Every function takes the current time from `ctx`.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;
use shared::dto::{LedgerKind, Role, SubscriptionChange, SubscriptionQuote};
use shared::{Cap, ErrorCode};
use uuid::Uuid;

use super::Services;
use super::audit::{self, AuditAction, Ctx};
use super::credit::{self, Movement};
use super::periods;
use crate::error::{Error, Result};
use crate::store::accounts::{self, Row as Account};
use crate::store::db::Txn;
use crate::store::organizations::{self, Row as Organization};
use crate::store::plans::{self, FREE as FREE_PLAN, Row as Plan};
use crate::store::{addresses, domains};

/// The plan `code` of the catalog; 422 naming `plan` when there is none.
pub async fn plan(db: &impl ConnectionTrait, code: &str) -> Result<Plan> {
    plans::find(db, code)
        .await?
        .ok_or_else(|| Error::field("plan", format!("{code} is not a plan of the catalog")))
}

/// The organization's usage: accounts, accounts on a free plan, domains.
pub async fn usage(db: &impl ConnectionTrait, org: Uuid) -> Result<(i64, i64, i64)> {
    let (total, free) = accounts::counts(db, org).await?;
    Ok((total, free, domains::count(db, org).await?))
}

/// The plan of the organization's owner, which sets the caps.
pub async fn owner_plan(db: &impl ConnectionTrait, org: &Organization) -> Result<Plan> {
    let owner = org
        .owner_account_id
        .ok_or_else(|| anyhow::anyhow!("organization {} has no owner", org.id))?;
    let owner = accounts::find(db, owner)
        .await?
        .ok_or_else(|| anyhow::anyhow!("owner missing"))?;
    plan(db, owner.plan_code.as_deref().unwrap_or(FREE_PLAN)).await
}

fn limit_reached(cap: Cap, limit: i64) -> Error {
    let what = cap.as_str().replace('_', " ");
    Error::limit_reached(
        cap,
        limit,
        format!("the plan of the organization's owner allows {limit} {what}"),
    )
}

/// Refuses a new account past the caps (call with the organization locked).
pub async fn check_new_account(txn: &Txn, org: &Organization, new_plan: &Plan) -> Result<()> {
    let caps = owner_plan(txn, org).await?;
    let (total, free, _) = usage(txn, org.id).await?;
    if total >= caps.cap_accounts {
        return Err(limit_reached(Cap::Accounts, caps.cap_accounts));
    }
    if new_plan.is_free && free >= caps.cap_free_accounts {
        return Err(limit_reached(Cap::FreeAccounts, caps.cap_free_accounts));
    }
    Ok(())
}

/// Charges the first period of `plan` for a new account and sets its period fields.
pub async fn start(
    txn: &Txn,
    ctx: &Ctx,
    org: &mut Organization,
    model: &mut Account,
    plan: &Plan,
    discount_percent: u8,
) -> Result<i64> {
    model.plan_code = Some(plan.code.clone());
    if plan.is_free || plan.monthly_price_cents == 0 {
        clear_period(model);
        return Ok(0);
    }
    let period = org.billing_period;
    let price = periods::period_price(plan.monthly_price_cents, period, discount_percent);
    let end = periods::period_end(ctx.now, period);
    let movement = Movement {
        kind: LedgerKind::Charge,
        amount_cents: -price,
        event_key: format!("charge:{}", ctx.new_id()),
        account_id: Some(model.id),
        plan: Some(plan.code.clone()),
        period: Some((ctx.now, end)),
        memo: format!("{} for {}", plan.name, model.username),
    };
    credit::book(txn, ctx, org, movement).await?;
    (
        model.period_start,
        model.period_end,
        model.period_paid_cents,
        model.period_anchor,
    ) = (Some(ctx.now), Some(end), price, Some(ctx.now));
    Ok(price)
}

/// No period: a free plan, or a fall-back to it.
fn clear_period(model: &mut Account) {
    (
        model.period_start,
        model.period_end,
        model.period_paid_cents,
        model.period_anchor,
    ) = (None, None, 0, None);
}

/// The unused value of the account's current period at `now`.
pub fn unused_value(model: &Account, now: DateTime<Utc>) -> i64 {
    match (model.period_start, model.period_end) {
        (Some(start), Some(end)) => periods::refund(model.period_paid_cents, start, end, now),
        _ => 0,
    }
}

/// Refunds the unused value of the current period (on a change or a deletion).
pub async fn refund_unused(
    txn: &Txn,
    ctx: &Ctx,
    org: &mut Organization,
    model: &Account,
    memo: &str,
) -> Result<i64> {
    let refund = unused_value(model, ctx.now);
    if refund > 0 {
        let movement = Movement {
            kind: LedgerKind::Refund,
            amount_cents: refund,
            event_key: format!("refund:{}", ctx.new_id()),
            account_id: Some(model.id),
            plan: model.plan_code.clone(),
            period: model.period_start.zip(model.period_end),
            memo: memo.to_owned(),
        };
        credit::book(txn, ctx, org, movement).await?;
    }
    Ok(refund)
}

/// The checks a change must pass before money moves: caps for the owner's downgrade and for
/// free accounts, and the new plan's alias limit.
async fn check_change(txn: &Txn, org: &Organization, model: &Account, new: &Plan) -> Result<()> {
    let current = plan(txn, model.plan_code.as_deref().unwrap_or(FREE_PLAN)).await?;
    let (total, free, domains) = usage(txn, org.id).await?;
    if org.owner_account_id == Some(model.id) {
        let free_after = free - i64::from(current.is_free) + i64::from(new.is_free);
        for (cap, used, limit) in [
            (Cap::Accounts, total, new.cap_accounts),
            (Cap::FreeAccounts, free_after, new.cap_free_accounts),
            (Cap::Domains, domains, new.cap_domains),
        ] {
            if used > limit {
                return Err(limit_reached(cap, limit));
            }
        }
    } else if new.is_free && !current.is_free {
        let caps = owner_plan(txn, org).await?;
        if free + 1 > caps.cap_free_accounts {
            return Err(limit_reached(Cap::FreeAccounts, caps.cap_free_accounts));
        }
    }
    let aliases = addresses::alias_count(txn, model.id).await?;
    if aliases > new.max_aliases {
        return Err(Error::new(
            ErrorCode::AliasesOverLimit,
            format!(
                "the account has {aliases} aliases and {} allows {}",
                new.code, new.max_aliases
            ),
        )
        .with(|x| {
            x.alias_count = Some(aliases);
            x.max_aliases = Some(new.max_aliases);
        }));
    }
    Ok(())
}

/// What changing to `new_plan` would do now, changing nothing.
pub async fn quote(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    account_id: Uuid,
    new_plan: &str,
) -> Result<SubscriptionQuote> {
    let db = s.db.read();
    let org = organizations::get(db, org).await?;
    let model = accounts::get_in(db, org.id, account_id).await?;
    let new = plan(db, new_plan).await?;
    if model.plan_code.as_deref() == Some(new.code.as_str()) {
        return Ok(SubscriptionQuote {
            refund_cents: 0,
            charge_cents: 0,
            balance_after_cents: org.balance_cents,
            covered: true,
        });
    }
    let refund = unused_value(&model, ctx.now);
    let charge = if new.is_free {
        0
    } else {
        periods::period_price(
            new.monthly_price_cents,
            org.billing_period,
            s.config.yearly_discount_percent,
        )
    };
    let after = org
        .balance_cents
        .saturating_add(refund)
        .saturating_sub(charge);
    Ok(SubscriptionQuote {
        refund_cents: refund,
        charge_cents: charge,
        balance_after_cents: after.max(0),
        covered: after >= 0,
    })
}

/// Changes an account's plan now: refund of the unused value, charge of a full period of the
/// new plan, in one transaction; the same plan again changes nothing.
pub async fn change(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    account_id: Uuid,
    new_plan: &str,
) -> Result<SubscriptionChange> {
    let txn = s.db.begin().await?;
    let mut organization = organizations::lock(&txn, org).await?;
    let mut model = accounts::get_in(&txn, org, account_id).await?;
    let new = plan(&txn, new_plan).await?;
    let changed = |account: &Account, refunded_cents, charged_cents, balance_cents| {
        Ok(SubscriptionChange {
            subscription: accounts::subscription(account)
                .ok_or_else(|| anyhow::anyhow!("an account without a plan"))?,
            refunded_cents,
            charged_cents,
            balance_cents,
        })
    };
    if model.plan_code.as_deref() == Some(new.code.as_str()) {
        return changed(&model, 0, 0, organization.balance_cents);
    }
    check_change(&txn, &organization, &model, &new).await?;
    let old_plan = model.plan_code.clone();
    let refunded = refund_unused(
        &txn,
        ctx,
        &mut organization,
        &model,
        &format!(
            "unused part of {} for {}",
            old_plan.as_deref().unwrap_or(FREE_PLAN),
            model.username
        ),
    )
    .await?;
    let charged = start(
        &txn,
        ctx,
        &mut organization,
        &mut model,
        &new,
        s.config.yearly_discount_percent,
    )
    .await?;
    model.updated_at = ctx.now;
    let saved = accounts::update(&txn, model, ctx.now).await?;
    let details = json!({"from": old_plan, "to": new.code, "refunded_cents": refunded, "charged_cents": charged});
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::SubscriptionChanged,
        Some(format!("account:{account_id}")),
        details,
    )
    .await?;
    txn.commit().await?;
    changed(&saved, refunded, charged, organization.balance_cents)
}

/// Whether `role` may change subscriptions: admins (the owner included, which is how caps
/// grow); a user never changes their own.
pub fn may_change(role: Role) -> bool {
    role == Role::Admin
}

/// One renewal pass: every period that ended by `ctx.now` is charged, once, in order, from the
/// previous period's end to the next whole month from the chain's anchor (SPEC §2); with too
/// little credit the account falls back to the free plan.
/// Each account renews in its own transaction: one that fails (logged, counted) is left as it
/// was and the pass goes on with the others; the next pass tries it again.
pub async fn renew_due(s: &Services, ctx: &Ctx) -> Result<RenewalPass> {
    let due = accounts::period_ending_by(s.db.read(), ctx.now).await?;
    let mut pass = RenewalPass::default();
    for candidate in due {
        let Some(org) = candidate.organization_id else {
            continue;
        };
        let (c, f) = match renew_account(s, ctx, org, candidate.id).await {
            Ok(renewed) => renewed,
            Err(e) => {
                tracing::error!(account = %candidate.id, error = %e, "renewal failed");
                pass.failed += 1;
                continue;
            }
        };
        pass.charged += c;
        pass.fell_back += f;
    }
    remind_low_credit(s, ctx).await?;
    Ok(pass)
}

/// What one renewal pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RenewalPass {
    /// Periods charged.
    pub charged: u64,
    /// Accounts that fell back to the free plan.
    pub fell_back: u64,
    /// Accounts whose renewal failed (left unchanged, tried again by the next pass).
    pub failed: u64,
}

/// Queues a mail to the owner of `org` (external address, else their mailbox) in `txn`.
async fn notify_owner(
    txn: &Txn,
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    subject: &str,
    text: String,
) -> Result<()> {
    let organization = organizations::get(txn, org).await?;
    let Some(owner_id) = organization.owner_account_id else {
        tracing::warn!(%org, "the organization has no owner to notify");
        return Ok(());
    };
    let owner = accounts::get(txn, owner_id).await?;
    let mailbox = addresses::primary_of(txn, owner_id).await?;
    let Some(to) = owner.external_email.or(mailbox) else {
        tracing::warn!(%org, "the owner has no address to notify");
        return Ok(());
    };
    let body = format!("Hello {},\n\n{text}\n-- Postwarden\n", owner.first_name);
    super::outbox::enqueue(txn, s, ctx, &to, subject, body).await
}

/// Reminds owners whose credit no longer covers the renewals due in the next 30 days, at most
/// once a week while it stays short.
async fn remind_low_credit(s: &Services, ctx: &Ctx) -> Result<()> {
    let horizon = ctx.now + chrono::Duration::days(30);
    let upcoming = accounts::period_ending_by(s.db.read(), horizon).await?;
    let mut due: std::collections::BTreeMap<Uuid, Vec<Account>> = Default::default();
    for a in upcoming {
        if let Some(org) = a.organization_id {
            due.entry(org).or_default().push(a);
        }
    }
    for (org, accounts) in due {
        let txn = s.db.begin().await?;
        let organization = organizations::lock(&txn, org).await?;
        let period = organization.billing_period;
        let mut cost = 0i64;
        for a in &accounts {
            let p = plan(&txn, a.plan_code.as_deref().unwrap_or(FREE_PLAN)).await?;
            cost = cost.saturating_add(periods::period_price(
                p.monthly_price_cents,
                period,
                s.config.yearly_discount_percent,
            ));
        }
        let recently = organization
            .low_credit_reminded_at
            .is_some_and(|t| t > ctx.now - chrono::Duration::days(7));
        if organization.balance_cents >= cost || recently {
            continue;
        }
        let balance = organization.balance_cents;
        organizations::reminded(&txn, org, ctx.now).await?;
        let details = json!({"balance_cents": balance, "next_30_days_cents": cost});
        let target = Some(format!("organization:{org}"));
        audit::record(
            &txn,
            ctx,
            Some(org),
            AuditAction::CreditLowReminderSent,
            target,
            details,
        )
        .await?;
        let text = format!(
            "Your credit ({balance} cents) no longer covers the subscriptions that renew in the \
             next 30 days ({cost} cents). Top up your credit so that no account falls back to the \
             free plan.\n"
        );
        notify_owner(
            &txn,
            s,
            ctx,
            org,
            "Your Postwarden credit is running low",
            text,
        )
        .await?;
        txn.commit().await?;
    }
    Ok(())
}

async fn renew_account(s: &Services, ctx: &Ctx, org: Uuid, account_id: Uuid) -> Result<(u64, u64)> {
    let txn = s.db.begin().await?;
    let mut organization = organizations::lock(&txn, org).await?;
    // Re-read under the lock: another process may have renewed it meanwhile.
    let Some(mut model) = accounts::find(&txn, account_id).await? else {
        return Ok((0, 0));
    };
    let mut charged = 0;
    let mut fell_back = 0;
    while let (Some(end), Some(code)) = (model.period_end, model.plan_code.clone()) {
        if end > ctx.now {
            break;
        }
        let plan = plan(&txn, &code).await?;
        let period = organization.billing_period;
        let price = periods::period_price(
            plan.monthly_price_cents,
            period,
            s.config.yearly_discount_percent,
        );
        let anchor = model.period_anchor.or(model.period_start).unwrap_or(end);
        let next_end = periods::next_end(anchor, end, period);
        let movement = Movement {
            kind: LedgerKind::Renewal,
            amount_cents: -price,
            event_key: format!("renewal:{}:{}", model.id, end.timestamp()),
            account_id: Some(model.id),
            plan: Some(code.clone()),
            period: Some((end, next_end)),
            memo: format!("{} for {}", plan.name, model.username),
        };
        match credit::book(&txn, ctx, &mut organization, movement).await {
            Ok(booked) => {
                (
                    model.period_start,
                    model.period_end,
                    model.period_paid_cents,
                ) = (Some(end), Some(next_end), price);
                charged += 1;
                if booked.is_some() {
                    let details = json!({"plan": code, "charged_cents": price, "period_start": end, "period_end": next_end});
                    let target = Some(format!("account:{account_id}"));
                    audit::record(
                        &txn,
                        ctx,
                        Some(org),
                        AuditAction::SubscriptionRenewed,
                        target,
                        details,
                    )
                    .await?;
                }
            }
            Err(e) if e.code() == ErrorCode::CreditInsufficient => {
                model.plan_code = Some(FREE_PLAN.to_owned());
                clear_period(&mut model);
                fell_back += 1;
                let details = json!({"plan": code, "reason": "credit_insufficient", "price_cents": price, "balance_cents": organization.balance_cents});
                audit::record(
                    &txn,
                    ctx,
                    Some(org),
                    AuditAction::SubscriptionRenewalFailed,
                    Some(format!("account:{account_id}")),
                    details,
                )
                .await?;
            }
            Err(e) => return Err(e),
        }
    }
    if charged + fell_back > 0 {
        model.updated_at = ctx.now;
        let username = model.username.clone();
        accounts::update(&txn, model, ctx.now).await?;
        if fell_back > 0 {
            let text = format!(
                "The credit of your organization did not cover the renewal of {username}'s \
                 subscription, so the account is now on the free plan. Its extra aliases stay, \
                 but none can be added. Top up your credit and change the subscription to \
                 restore it.\n"
            );
            notify_owner(
                &txn,
                s,
                ctx,
                org,
                "A subscription could not be renewed",
                text,
            )
            .await?;
        }
        txn.commit().await?;
    }
    Ok((charged, fell_back))
}
