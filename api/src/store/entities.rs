//! sea-orm entities, one module per table of the foundation migration. Columns holding one of a
//! few values are active enums (the `shared` ones, and [`address::AddressKind`]), stored as the
//! same strings as their JSON.

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}
        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod plan {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "plans")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub name: String,
        pub monthly_price_cents: i64,
        pub max_aliases: i64,
        pub storage_mb: i64,
        pub cap_accounts: i64,
        pub cap_free_accounts: i64,
        pub cap_domains: i64,
        pub is_free: bool,
    }
    no_relations!();
}

pub mod organization {
    use sea_orm::entity::prelude::*;
    use shared::dto::BillingPeriod;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "organizations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub owner_account_id: Option<Uuid>,
        pub billing_period: BillingPeriod,
        pub balance_cents: i64,
        pub currency: String,
        pub status: String,
        pub created_at: DateTimeUtc,
        pub low_credit_reminded_at: Option<DateTimeUtc>,
        /// The plan of an account whose creation names none.
        pub provisioning_plan: String,
    }
    no_relations!();
}

pub mod account {
    use sea_orm::entity::prelude::*;
    use shared::dto::{AccountStatus, Role};

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "accounts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Option<Uuid>,
        pub role: Role,
        pub username: String,
        pub first_name: String,
        pub last_name: String,
        pub first_name_lc: String,
        pub last_name_lc: String,
        pub status: AccountStatus,
        pub plan_code: Option<String>,
        pub period_start: Option<DateTimeUtc>,
        pub period_end: Option<DateTimeUtc>,
        pub period_paid_cents: i64,
        /// The start of the first period of the current chain (SPEC §2): renewals count
        /// calendar months from it.
        pub period_anchor: Option<DateTimeUtc>,
        pub password_hash: String,
        pub external_email: Option<String>,
        pub mobile_phone: Option<String>,
        pub street: Option<String>,
        pub postal_code: Option<String>,
        pub city: Option<String>,
        pub region: Option<String>,
        pub country: Option<String>,
        pub birthdate: Option<Date>,
        pub has_photo: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub disabled_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod address {
    use sea_orm::entity::prelude::*;

    /// What an address is: an account's primary address or one of its aliases, or a group's.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
    #[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
    pub enum AddressKind {
        Primary,
        Alias,
        Group,
    }

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "addresses")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub address: String,
        pub organization_id: Uuid,
        pub kind: AddressKind,
        pub account_id: Option<Uuid>,
        pub group_id: Option<Uuid>,
        pub domain_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub account_id: Uuid,
        pub refresh_hash: String,
        /// The refresh token before the last rotation: presented again, it revokes the session.
        pub previous_refresh_hash: Option<String>,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
        pub client_ip: Option<String>,
    }
    no_relations!();
}

pub mod password_reset {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_resets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub account_id: Uuid,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod idempotency_key {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "idempotency_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub scope: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub request_hash: String,
        pub status_code: i32,
        pub location: Option<String>,
        pub response_body: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod audit_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub at: DateTimeUtc,
        pub organization_id: Option<Uuid>,
        pub actor: String,
        pub action: String,
        pub target: Option<String>,
        pub request_id: Option<String>,
        pub client_ip: Option<String>,
        pub details: Json,
    }
    no_relations!();
}

pub mod login_throttle {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_throttle")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub failures: i32,
        pub window_start: DateTimeUtc,
    }
    no_relations!();
}

pub mod secret {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "secrets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub value: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod outbox {
    use sea_orm::entity::prelude::*;
    use shared::dto::OutboxStatus;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub recipient: String,
        pub subject: String,
        pub body_sealed: String,
        pub message_id: String,
        pub status: OutboxStatus,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub lease_until: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod account_photo {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "account_photos")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: Uuid,
        pub content_type: String,
        pub bytes: Vec<u8>,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod ledger_entry {
    use sea_orm::entity::prelude::*;
    use shared::dto::LedgerKind;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "ledger_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Uuid,
        pub kind: LedgerKind,
        pub amount_cents: i64,
        pub balance_after_cents: i64,
        pub account_id: Option<Uuid>,
        pub plan_code: Option<String>,
        pub period_start: Option<DateTimeUtc>,
        pub period_end: Option<DateTimeUtc>,
        pub event_key: String,
        pub actor: String,
        pub memo: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod top_up {
    use sea_orm::entity::prelude::*;
    use shared::dto::TopUpStatus;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "top_ups")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Uuid,
        pub amount_cents: i64,
        pub status: TopUpStatus,
        pub payment_id: Option<String>,
        pub requested_by: String,
        pub created_at: DateTimeUtc,
        pub credited_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod group {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "groups")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Uuid,
        pub name: String,
        pub name_lc: String,
        pub description: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod group_member {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "group_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub group_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: Uuid,
        pub organization_id: Uuid,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod domain {
    use sea_orm::entity::prelude::*;
    use shared::dto::DomainStatus;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "domains")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Uuid,
        pub name: String,
        pub status: DomainStatus,
        pub verification_token: String,
        pub verified_at: Option<DateTimeUtc>,
        pub dkim_selector: String,
        pub dkim_public: String,
        pub dkim_private_encrypted: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

#[cfg(test)]
mod tests {
    use sea_orm::ActiveEnum;
    use shared::dto::{
        AccountStatus, BillingPeriod, DomainStatus, LedgerKind, OutboxStatus, Role, TopUpStatus,
    };

    use super::address::AddressKind;

    fn stored<E: ActiveEnum<Value = String>>() -> Vec<String> {
        E::iter().map(|v| v.to_value()).collect()
    }

    /// The strings the columns held (and their CHECK constraints allow) before they were typed.
    #[test]
    fn enum_columns_store_the_strings_of_the_migrations() {
        assert_eq!(stored::<Role>(), ["operator", "admin", "user"]);
        assert_eq!(stored::<AccountStatus>(), ["active", "disabled"]);
        assert_eq!(stored::<BillingPeriod>(), ["monthly", "yearly"]);
        assert_eq!(stored::<AddressKind>(), ["primary", "alias", "group"]);
        assert_eq!(
            stored::<LedgerKind>(),
            ["top_up", "charge", "refund", "renewal", "adjustment"]
        );
        assert_eq!(stored::<TopUpStatus>(), ["pending", "credited"]);
        assert_eq!(stored::<DomainStatus>(), ["pending", "verified"]);
        assert_eq!(stored::<OutboxStatus>(), ["queued", "sent", "failed"]);
    }
}

pub mod api_key {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Uuid,
        pub name: String,
        /// Scope names separated by single spaces, sorted.
        pub scopes: String,
        /// SHA-256 of the secret, lowercase hex.
        pub secret_hash: String,
        pub prefix: String,
        pub expires_at: Option<DateTimeUtc>,
        /// CIDRs separated by commas; `None`: any network.
        pub allowed_networks: Option<String>,
        pub created_at: DateTimeUtc,
        pub created_by: Uuid,
        pub last_used_at: Option<DateTimeUtc>,
        pub last_used_ip: Option<String>,
    }
    no_relations!();
}
