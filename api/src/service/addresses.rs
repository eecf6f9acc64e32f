//! The address rules of SPEC §6 shared by primary addresses, aliases and group addresses:
//! the domain is the provider's or one the organization verified; role names are reserved on
//! the provider domain and `abuse@` everywhere; an address exists once on the whole platform,
//! and on the provider domain addresses and usernames share one namespace.

use sea_orm::ConnectionTrait;
use shared::ErrorCode;
use shared::dto::DomainStatus;
use shared::value::{EmailAddress, base_local_part, is_reserved_local_part};
use uuid::Uuid;

use super::Services;
use crate::error::{Error, Result, is_unique_violation};
pub use crate::store::addresses::Owner;
use crate::store::{accounts, addresses, domains};

/// Refuses an address that breaks a rule or is taken; `field` names it in the answer. Returns
/// the organization's domain the address is on (`None` on the provider domain).
pub async fn check_available(
    db: &impl ConnectionTrait,
    s: &Services,
    org: Uuid,
    field: &str,
    addr: &EmailAddress,
) -> Result<Option<Uuid>> {
    let provider = &s.config.provider_domain;
    let on_provider = addr.domain() == provider;
    let domain_id = if on_provider {
        if is_reserved_local_part(addr.local_part()) {
            return Err(
                Error::new(ErrorCode::AddressReserved, format!("{addr} is reserved")).about(field),
            );
        }
        None
    } else {
        let Some(domain) = domains::held(db, org, addr.domain()).await? else {
            return Err(Error::field(
                field,
                format!("must be on {provider} or on one of the organization's verified domains"),
            ));
        };
        if domain.status != DomainStatus::Verified {
            return Err(Error::new(
                ErrorCode::DomainNotVerified,
                format!(
                    "{} is not verified yet: publish its TXT record and verify it first",
                    domain.name
                ),
            )
            .about(field));
        }
        // abuse@ belongs to the provider on every domain, with any +tag too (SPEC §6).
        if base_local_part(addr.local_part()) == "abuse" {
            return Err(Error::new(
                ErrorCode::AddressReserved,
                format!("{addr} belongs to the provider's abuse desk"),
            )
            .about(field));
        }
        Some(domain.id)
    };
    let username_clash = on_provider
        && accounts::by_username(db, addr.local_part())
            .await?
            .is_some();
    if username_clash || addresses::exists(db, addr.as_str()).await? {
        return Err(Error::new(
            ErrorCode::AddressTaken,
            format!("{addr} is already used"),
        ));
    }
    Ok(domain_id)
}

/// Stores a checked address; one taken meanwhile is 409 `address_taken`.
pub async fn insert(
    db: &impl ConnectionTrait,
    org: Uuid,
    addr: &EmailAddress,
    owner: Owner,
    domain_id: Option<Uuid>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<addresses::Row> {
    addresses::insert(db, org, addr.as_str(), owner, domain_id, now)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                Error::new(ErrorCode::AddressTaken, format!("{addr} is already used"))
            } else {
                e.into()
            }
        })
}
