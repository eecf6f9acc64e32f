//! Audit events: who did what to what, when, from where. Insert only.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::Value;
use shared::dto::{AuditEvent, Page};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::Result;
pub use crate::store::audit::Filter;
use crate::store::audit::{self as rows, Row};
use crate::store::pagination::{cut, decode_cursor};

/// Who is acting, and from where: carried from the request into every service call.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// `account:<id>`, `operator:<id>`, `anonymous`, `system:<job>`.
    pub actor: String,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    /// The time of the whole operation, from `clock`.
    pub now: DateTime<Utc>,
    /// The server's clock, which also stamps new ids.
    pub clock: Clock,
}

impl Ctx {
    /// A job's or a command's context (`system:<job>`), now.
    pub fn system(actor: &str, clock: &Clock) -> Self {
        Self {
            actor: actor.to_owned(),
            request_id: None,
            client_ip: None,
            now: clock.now(),
            clock: clock.clone(),
        }
    }

    /// A new id stamped with this context's time ([`Clock::uuid_v7`]).
    pub fn new_id(&self) -> Uuid {
        self.clock.uuid_v7(self.now)
    }

    pub fn with_actor(&self, actor: String) -> Self {
        Self {
            actor,
            ..self.clone()
        }
    }
}

/// What an audit event records, stored (and answered) as its dotted name: `account.created`.
/// The names are part of the API (the `action` filter, alerts built on them): never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    OrganizationCreated,
    /// Its name or billing period changed.
    OrganizationUpdated,
    OperatorCreated,
    AccountCreated,
    /// Names or personal data changed.
    AccountUpdated,
    AccountDisabled,
    AccountEnabled,
    AccountDeleted,
    /// By the account itself, with its current password.
    AccountPasswordChanged,
    /// By an admin.
    AccountPasswordSet,
    /// A reset link was queued for the account's recovery address.
    AccountPasswordResetRequested,
    /// A new password through a reset link.
    AccountPasswordReset,
    AccountPhotoSet,
    AccountPhotoDeleted,
    AliasAdded,
    AliasRemoved,
    GroupCreated,
    GroupUpdated,
    GroupDeleted,
    GroupMemberAdded,
    GroupMemberRemoved,
    ApiKeyCreated,
    ApiKeyRevoked,
    DomainAdded,
    DomainVerified,
    DomainDeleted,
    SessionLogin,
    SessionLoginFailed,
    /// A sign-in refused by the throttle, before its password was checked.
    SessionLoginThrottled,
    SessionLogout,
    /// A spent refresh token was presented again: the session is revoked.
    SessionRefreshReused,
    /// A sign-up refused by the throttle.
    SignupThrottled,
    SubscriptionChanged,
    SubscriptionRenewed,
    /// A renewal the credit did not cover: the account is now on the free plan.
    SubscriptionRenewalFailed,
    CreditTopUpRequested,
    CreditTopUpCredited,
    /// An operator's adjustment of the balance.
    CreditAdjusted,
    CreditLowReminderSent,
    PlanUpdated,
}

impl AuditAction {
    pub const fn as_str(self) -> &'static str {
        use AuditAction::*;
        match self {
            OrganizationCreated => "organization.created",
            OrganizationUpdated => "organization.updated",
            OperatorCreated => "operator.created",
            AccountCreated => "account.created",
            AccountUpdated => "account.updated",
            AccountDisabled => "account.disabled",
            AccountEnabled => "account.enabled",
            AccountDeleted => "account.deleted",
            AccountPasswordChanged => "account.password_changed",
            AccountPasswordSet => "account.password_set",
            AccountPasswordResetRequested => "account.password_reset_requested",
            AccountPasswordReset => "account.password_reset",
            AccountPhotoSet => "account.photo_set",
            AccountPhotoDeleted => "account.photo_deleted",
            AliasAdded => "alias.added",
            AliasRemoved => "alias.removed",
            GroupCreated => "group.created",
            GroupUpdated => "group.updated",
            GroupDeleted => "group.deleted",
            GroupMemberAdded => "group.member_added",
            GroupMemberRemoved => "group.member_removed",
            ApiKeyCreated => "api_key.created",
            ApiKeyRevoked => "api_key.revoked",
            DomainAdded => "domain.added",
            DomainVerified => "domain.verified",
            DomainDeleted => "domain.deleted",
            SessionLogin => "session.login",
            SessionLoginFailed => "session.login_failed",
            SessionLoginThrottled => "session.login_throttled",
            SessionLogout => "session.logout",
            SessionRefreshReused => "session.refresh_reused",
            SignupThrottled => "signup.throttled",
            SubscriptionChanged => "subscription.changed",
            SubscriptionRenewed => "subscription.renewed",
            SubscriptionRenewalFailed => "subscription.renewal_failed",
            CreditTopUpRequested => "credit.top_up_requested",
            CreditTopUpCredited => "credit.top_up_credited",
            CreditAdjusted => "credit.adjusted",
            CreditLowReminderSent => "credit.low_reminder_sent",
            PlanUpdated => "plan.updated",
        }
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Writes one audit event, in the caller's transaction.
pub async fn record(
    db: &impl ConnectionTrait,
    ctx: &Ctx,
    organization_id: Option<Uuid>,
    action: AuditAction,
    target: Option<String>,
    details: Value,
) -> Result<()> {
    rows::insert(
        db,
        Row {
            id: ctx.new_id(),
            at: ctx.now,
            organization_id,
            actor: ctx.actor.clone(),
            action: action.as_str().to_owned(),
            target,
            request_id: ctx.request_id.clone(),
            client_ip: ctx.client_ip.clone(),
            details,
        },
    )
    .await
}

/// Newest first; the cursor is the last event's id (UUIDv7 ids sort by time).
pub async fn list(
    s: &super::Services,
    filter: Filter,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<AuditEvent>> {
    let before: Option<Uuid> = cursor.map(decode_cursor).transpose()?;
    let found = rows::list(s.db.read(), filter, limit + 1, before).await?;
    let (rows, next_cursor) = cut(found, limit, |r| r.id);
    let items = rows
        .into_iter()
        .map(|r| AuditEvent {
            id: r.id,
            at: r.at,
            actor: r.actor,
            action: r.action,
            target: r.target,
            organization_id: r.organization_id,
            request_id: r.request_id,
            client_ip: r.client_ip,
            details: r.details,
        })
        .collect();
    Ok(Page { items, next_cursor })
}
