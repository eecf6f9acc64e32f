//! The address rules of SPEC §6 shared by primary addresses, aliases and group addresses:
//! the domain is the provider's (or, with domains, one the organization verified); role names
//! are reserved on the provider domain; an address exists once on the whole platform, and on
//! the provider domain addresses and usernames share one namespace.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use shared::ErrorCode;
use shared::value::{EmailAddress, is_reserved_local_part};
use uuid::Uuid;

use super::Services;
use crate::error::{Error, Result, is_unique_violation};
use crate::store::entities::{account, address};

/// What an address points at.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Alias(Uuid),
    Group(Uuid),
}

/// Refuses an address that breaks a rule or is taken; `field` names it in a 422.
pub async fn check_available(
    db: &impl ConnectionTrait,
    s: &Services,
    field: &str,
    addr: &EmailAddress,
) -> Result<()> {
    let provider = &s.config.provider_domain;
    if addr.domain() != provider {
        return Err(Error::field(
            field,
            format!("must be on {provider} or on one of the organization's verified domains"),
        ));
    }
    if is_reserved_local_part(addr.local_part()) {
        return Err(
            Error::new(ErrorCode::AddressReserved, format!("{addr} is reserved"))
                .with("field", field),
        );
    }
    let taken = address::Entity::find_by_id(addr.to_string())
        .one(db)
        .await?
        .is_some()
        || account::Entity::find()
            .filter(account::Column::Username.eq(addr.local_part()))
            .one(db)
            .await?
            .is_some();
    if taken {
        return Err(Error::new(
            ErrorCode::AddressTaken,
            format!("{addr} is already used"),
        ));
    }
    Ok(())
}

/// Stores a checked address for an alias or a group.
pub async fn insert(
    db: &impl ConnectionTrait,
    org: Uuid,
    addr: &EmailAddress,
    owner: Owner,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<address::Model> {
    let (kind, account_id, group_id) = match owner {
        Owner::Alias(account) => ("alias", Some(account), None),
        Owner::Group(group) => ("group", None, Some(group)),
    };
    address::ActiveModel {
        address: Set(addr.to_string()),
        organization_id: Set(org),
        kind: Set(kind.to_owned()),
        account_id: Set(account_id),
        group_id: Set(group_id),
        domain_id: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            Error::new(ErrorCode::AddressTaken, format!("{addr} is already used"))
        } else {
            e.into()
        }
    })
}
