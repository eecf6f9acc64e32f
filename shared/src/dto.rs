//! Request and answer bodies of the HTTP API (API.md). Requests carry raw strings; the server
//! parses them with [`crate::value`] and reports every bad field at once.
//!
//! The enums the server stores in a column are also sea-orm active enums with the `db` feature
//! (the server's only): the stored value is the JSON one (`snake_case`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "db", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(
    feature = "db",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum Role {
    Operator,
    Admin,
    User,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "db", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(
    feature = "db",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum AccountStatus {
    Active,
    Disabled,
}

impl AccountStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Disabled => "disabled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [AccountStatus::Active, AccountStatus::Disabled]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "db", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(
    feature = "db",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum BillingPeriod {
    Monthly,
    Yearly,
}

impl BillingPeriod {
    pub const fn as_str(self) -> &'static str {
        match self {
            BillingPeriod::Monthly => "monthly",
            BillingPeriod::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [BillingPeriod::Monthly, BillingPeriod::Yearly]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// One page of a list: `next_cursor` is null on the last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

// ---------------------------------------------------------------- sign-up and sessions

#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SignupRequest {
    pub organization_name: String,
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_email: Option<String>,
}

debug_redacting!(SignupRequest { organization_name, first_name, last_name, username, external_email } secret { password });

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SignupResponse {
    pub organization: Organization,
    pub account: Account,
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub refresh_token: String,
}

debug_redacting!(SignupResponse { organization, account, token_type, expires_in } secret { access_token, refresh_token });

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginRequest {
    /// Username or primary address, case-insensitive.
    pub login: String,
    pub password: String,
}

debug_redacting!(LoginRequest { login } secret { password });

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub refresh_token: String,
    pub account: Account,
}

debug_redacting!(LoginResponse { token_type, expires_in, account } secret { access_token, refresh_token });

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

debug_redacting!(RefreshRequest {  } secret { refresh_token });

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TokenPair {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub refresh_token: String,
}

debug_redacting!(TokenPair { token_type, expires_in } secret { access_token, refresh_token });

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordResetRequest {
    /// Username or primary address.
    pub login: String,
}

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordResetConfirm {
    pub token: String,
    pub new_password: String,
}

debug_redacting!(PasswordResetConfirm {  } secret { token, new_password });

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

debug_redacting!(ChangePasswordRequest {  } secret { current_password, new_password });

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SetPasswordRequest {
    pub new_password: String,
    /// Required when the account is the caller's own (as for `/me/password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_password: Option<String>,
}

debug_redacting!(SetPasswordRequest {  } secret { new_password, current_password });

// ---------------------------------------------------------------- accounts

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Account {
    pub id: Uuid,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    /// Primary address; null for operators, who have no mailbox.
    pub email: Option<String>,
    pub aliases: Vec<String>,
    pub role: Role,
    pub status: AccountStatus,
    /// Plan code; null for operators.
    pub plan: Option<String>,
    pub subscription: Option<Subscription>,
    pub personal: Personal,
    pub groups: Vec<GroupRef>,
    pub organization_id: Option<Uuid>,
    /// Whether this account is its organization's owner.
    pub is_owner: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// The current subscription period. Period fields are null on a free plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Subscription {
    pub plan: String,
    pub period_start: Option<DateTime<Utc>>,
    pub period_end: Option<DateTime<Utc>>,
    pub paid_cents: i64,
    pub renews_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Personal {
    pub external_email: Option<String>,
    /// E.164, like `+393331234567`.
    pub mobile_phone: Option<String>,
    pub postal_address: PostalAddress,
    pub birthdate: Option<NaiveDate>,
    pub has_photo: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PostalAddress {
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2, uppercase.
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GroupRef {
    pub id: Uuid,
    pub name: String,
}

/// Personal data as sent in a create request or a merge patch: every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PersonalInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_address: Option<PostalAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthdate: Option<String>,
}

#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateAccountRequest {
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    /// Primary address: for now on the provider domain, `<username>@<provider domain>`.
    pub email: String,
    pub password: String,
    /// Plan code, `free` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal: Option<PersonalInput>,
}

debug_redacting!(CreateAccountRequest { first_name, last_name, username, email, plan, personal } secret { password });

/// A merge patch (RFC 7396) of an account: absent fields stay, `null` clears. Admins may patch
/// names and personal data; `/me` accepts only `personal`.
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AccountPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal: Option<PersonalInput>,
    /// Required beside a change of one's own `personal.external_email` (where reset links go).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_password: Option<String>,
}

debug_redacting!(AccountPatch { first_name, last_name, personal } secret { current_password });

/// The answer of `GET /me`: the caller's account with its organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    #[serde(flatten)]
    pub account: Account,
    pub organization: Option<OrganizationRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OrganizationRef {
    pub id: Uuid,
    pub name: String,
}

// ---------------------------------------------------------------- organizations and plans

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Caps {
    pub accounts: i64,
    pub free_accounts: i64,
    pub domains: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Credit {
    pub balance_cents: i64,
    /// ISO 4217.
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub owner_account_id: Uuid,
    /// The owner's username, so that lists of organizations can name them.
    pub owner_username: String,
    /// The owner's plan, which sets the caps.
    pub plan: String,
    /// The plan of an account whose creation names none (the API, the CLI's import, SCIM);
    /// `free` unless changed.
    pub provisioning_plan: String,
    pub billing_period: BillingPeriod,
    pub caps: Caps,
    pub usage: Caps,
    pub credit: Credit,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Plan {
    pub code: String,
    pub name: String,
    pub monthly_price_cents: i64,
    pub yearly_price_cents: i64,
    pub max_aliases: i64,
    pub storage_mb: i64,
    /// What the plan allows an organization when its owner holds it.
    pub caps: Caps,
    pub is_free: bool,
}

#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OwnerInput {
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_email: Option<String>,
}

debug_redacting!(OwnerInput { first_name, last_name, username, external_email } secret { password });

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateOrganizationRequest {
    pub organization_name: String,
    pub owner: OwnerInput,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateOrganizationResponse {
    pub organization: Organization,
    pub account: Account,
}

// ---------------------------------------------------------------- audit

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// Who acted: `account:<id>`, `operator:<id>`, `anonymous`, `system:renewal`.
    pub actor: String,
    /// What happened, dotted: `account.created`, `session.login_failed`, …
    pub action: String,
    /// What it happened to: `account:<id>`, `organization:<id>`, …
    pub target: Option<String>,
    pub organization_id: Option<Uuid>,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeleteAccountResponse {
    /// The unused value of the subscription, back to the credit.
    pub refunded_cents: i64,
    pub balance_cents: i64,
}

// ---------------------------------------------------------------- credit

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "db", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(
    feature = "db",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum LedgerKind {
    TopUp,
    Charge,
    Refund,
    Renewal,
    Adjustment,
}

impl LedgerKind {
    pub const ALL: [LedgerKind; 5] = [
        LedgerKind::TopUp,
        LedgerKind::Charge,
        LedgerKind::Refund,
        LedgerKind::Renewal,
        LedgerKind::Adjustment,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            LedgerKind::TopUp => "top_up",
            LedgerKind::Charge => "charge",
            LedgerKind::Refund => "refund",
            LedgerKind::Renewal => "renewal",
            LedgerKind::Adjustment => "adjustment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One immutable entry of an organization's credit ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LedgerEntry {
    pub id: Uuid,
    pub kind: LedgerKind,
    /// Signed: positive credits, negative debits.
    pub amount_cents: i64,
    pub balance_after_cents: i64,
    pub account_id: Option<Uuid>,
    /// The username of `account_id` while the account exists (beyond API.md: so that a ledger
    /// can name its accounts without asking for each).
    #[serde(default)]
    pub account_username: Option<String>,
    pub plan: Option<String>,
    pub period_start: Option<DateTime<Utc>>,
    pub period_end: Option<DateTime<Utc>>,
    pub memo: String,
    pub actor: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "db", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(
    feature = "db",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum TopUpStatus {
    Pending,
    Credited,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TopUp {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// The organization's name, so that lists across organizations (operators) can show it.
    pub organization_name: String,
    pub amount_cents: i64,
    /// The organization's currency (ISO 4217), the unit of `amount_cents`.
    pub currency: String,
    pub status: TopUpStatus,
    /// The payment provider's id, once paid through the webhook.
    pub payment_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub credited_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TopUpRequest {
    /// 1 to 10,000,000.
    pub amount_cents: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AdjustmentRequest {
    /// Signed; a negative adjustment may not take the balance below zero.
    pub amount_cents: i64,
    pub memo: String,
}

/// The payment provider's notification, signed with `Postwarden-Signature: t=<unix>,v1=<hex>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PaymentNotification {
    pub payment_id: String,
    pub top_up_id: Uuid,
    pub amount_cents: i64,
    /// Only `succeeded` credits anything.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookAnswer {
    pub top_up: TopUp,
    /// False when this payment had already been credited.
    pub credited_now: bool,
}

// ---------------------------------------------------------------- subscriptions and plans

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubscriptionChangeRequest {
    /// The new plan's code.
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubscriptionChange {
    pub subscription: Subscription,
    /// The unused value of the previous period, back to the credit.
    pub refunded_cents: i64,
    /// A full period of the new plan.
    pub charged_cents: i64,
    pub balance_cents: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubscriptionQuote {
    pub refund_cents: i64,
    pub charge_cents: i64,
    pub balance_after_cents: i64,
    /// Whether the credit covers the change.
    pub covered: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OrganizationPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period: Option<BillingPeriod>,
    /// A plan code of the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_plan: Option<String>,
}

/// A plan as an operator writes it (`PUT /operator/plans/{code}`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanUpdate {
    pub name: String,
    pub monthly_price_cents: i64,
    pub max_aliases: i64,
    pub storage_mb: i64,
    pub caps: Caps,
}

// ---------------------------------------------------------------- aliases and groups

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Alias {
    pub address: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AliasRequest {
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Group {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// The group's distribution address, if it has one.
    pub email: Option<String>,
    pub member_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateGroupRequest {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A merge patch of a group: `email: null` removes its address.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GroupPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

// ---------------------------------------------------------------- domains

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "db", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(
    feature = "db",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum DomainStatus {
    Pending,
    Verified,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DnsRecordStatus {
    Ok,
    Missing,
    Wrong,
    Unchecked,
}

/// A record to publish, with its live status after a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DnsRecord {
    /// `verification`, `mx`, `spf`, `dkim` or `dmarc`.
    pub purpose: String,
    /// `TXT` or `MX`.
    #[serde(rename = "type")]
    pub record_type: String,
    pub host: String,
    /// For MX: `<preference> <host>`.
    pub value: String,
    pub status: DnsRecordStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Domain {
    pub id: Uuid,
    /// Lowercase; internationalized names in punycode.
    pub name: String,
    pub status: DomainStatus,
    /// The TXT record that proves ownership.
    pub verification: DomainVerification,
    pub dns_records: Vec<DnsRecord>,
    pub verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DomainRequest {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DomainVerification {
    /// Always `TXT`.
    pub record_type: String,
    /// The domain's apex.
    pub host: String,
    /// `postwarden-verification=<token>`.
    pub value: String,
}

// ---------------------------------------------------------------- mail routing

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RouteAction {
    Deliver,
    Expand,
    Reject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RouteReason {
    UnknownAddress,
    UnknownDomain,
    AccountDisabled,
    Reserved,
}

/// Where mail for an address goes (SPEC §8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MailRoute {
    pub action: RouteAction,
    /// Primary addresses of the mailboxes (the abuse desk's address for abuse@).
    pub mailboxes: Vec<String>,
    pub reason: Option<RouteReason>,
}

// ---------------------------------------------------------------- the outbox (operators)

/// Where a mail of the outbox stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "db", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(
    feature = "db",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum OutboxStatus {
    /// Waiting for its first or next attempt.
    Queued,
    Sent,
    /// Not delivered within 24 hours; kept for the operator.
    Failed,
}

impl OutboxStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Queued, Self::Sent, Self::Failed]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A mail Postwarden sends, as the outbox holds it (never its body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutboxMail {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// What an API key may do (API.md, "API keys"). Every route's need is one table on the server
/// (`api/src/http/scopes.rs`), which the checks, the OpenAPI document and the docs all read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub enum Scope {
    #[serde(rename = "accounts:read")]
    AccountsRead,
    #[serde(rename = "accounts:write")]
    AccountsWrite,
    #[serde(rename = "billing:write")]
    BillingWrite,
    #[serde(rename = "credit:read")]
    CreditRead,
    #[serde(rename = "domains:read")]
    DomainsRead,
    #[serde(rename = "domains:write")]
    DomainsWrite,
    #[serde(rename = "groups:read")]
    GroupsRead,
    #[serde(rename = "groups:write")]
    GroupsWrite,
    #[serde(rename = "audit:read")]
    AuditRead,
    #[serde(rename = "scim")]
    Scim,
}

impl Scope {
    pub const ALL: [Self; 10] = [
        Self::AccountsRead,
        Self::AccountsWrite,
        Self::BillingWrite,
        Self::CreditRead,
        Self::DomainsRead,
        Self::DomainsWrite,
        Self::GroupsRead,
        Self::GroupsWrite,
        Self::AuditRead,
        Self::Scim,
    ];

    /// The scope's name in the API (`accounts:read`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AccountsRead => "accounts:read",
            Self::AccountsWrite => "accounts:write",
            Self::BillingWrite => "billing:write",
            Self::CreditRead => "credit:read",
            Self::DomainsRead => "domains:read",
            Self::DomainsWrite => "domains:write",
            Self::GroupsRead => "groups:read",
            Self::GroupsWrite => "groups:write",
            Self::AuditRead => "audit:read",
            Self::Scim => "scim",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, crate::value::Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|s| s.as_str()).collect();
                crate::value::Invalid(format!("must be one of {}", names.join(", ")))
            })
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An API key as listed: everything but its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    /// Sorted, without repetitions.
    pub scopes: Vec<Scope>,
    /// The first 12 characters of the secret (`pwk_` and 8 more), to tell keys apart.
    pub prefix: String,
    /// After this instant the key is refused (401); `null`: it does not expire.
    pub expires_at: Option<DateTime<Utc>>,
    /// The networks (CIDR) the key may be used from; `null`: any.
    pub allowed_networks: Option<Vec<String>>,
    pub created_at: DateTime<Utc>,
    /// The administrator who made it (kept as an id when they are demoted or deleted).
    pub created_by: Uuid,
    /// Recorded at the first use, then at most once a minute.
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<String>,
}

/// The answer to a creation: the key and, this once only, its secret.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKey,
    /// `pwk_` and 43 characters of base64url (256 random bits). Shown only in this answer.
    pub secret: String,
}

debug_redacting!(CreatedApiKey { key } secret { secret });

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(example = json!({"name": "HR sync", "scopes": ["accounts:read", "accounts:write"], "allowed_networks": ["203.0.113.0/24"]}))
)]
pub struct CreateApiKeyRequest {
    /// 1 to 100 characters.
    pub name: String,
    /// At least one.
    pub scopes: Vec<Scope>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// At least one CIDR when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_networks: Option<Vec<String>>,
}
