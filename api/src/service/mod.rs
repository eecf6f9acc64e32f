//! The rules of SPEC.md, unaware of HTTP. Each multi-step change runs in one transaction and
//! writes its audit event in that same transaction.

pub mod accounts;
pub mod addresses;
pub mod aliases;
pub mod api_keys;
pub mod audit;
pub mod cache;
pub mod changes;
pub mod credit;
pub mod crypto;
pub mod dns;
pub mod domains;
pub mod groups;
pub mod idempotency;
pub mod mail;
pub mod organizations;
pub mod outbox;
pub mod payments;
pub mod periods;
pub mod photo;
pub mod principal;
pub mod routing;
pub mod secrets;
pub mod sessions;
pub mod subscriptions;

use std::sync::Arc;

use crate::auth::password::Hasher;
use crate::auth::token::Keys;
use crate::clock::Clock;
use crate::config::Config;
use crate::store::db::Db;
use crate::store::throttle::Limits;

/// Everything a service needs: the database, the settings and the credentials machinery.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub config: Arc<Config>,
    pub hasher: Hasher,
    /// Photo decoding, bounded like the hasher.
    pub photos: photo::Decoder,
    pub keys: Keys,
    pub mailer: mail::Mailer,
    /// Wakes the outbox worker when a mail is queued.
    pub outbox: outbox::Signal,
    pub dns: dns::Dns,
    /// The data-encryption key (DKIM private keys at rest).
    pub data_key: String,
    pub login_limits: Limits,
    /// Base of links in mails (`POSTWARDEN_PUBLIC_URL`, else the bound address).
    pub public_url: String,
    /// The only source of the current time (see [`crate::clock`]).
    pub clock: Clock,
    /// Principals and account views, kept current by the change signal.
    pub caches: Arc<cache::Caches>,
}

impl Services {
    /// Whether the database answers (one round trip): the readiness probe.
    pub async fn ready(&self) -> bool {
        self.db.ping().await
    }
}
