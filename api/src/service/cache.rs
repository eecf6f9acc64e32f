//! What every request asks, kept in memory: the principal behind a session (who, which
//! organization, which role) and the account views admins and users read.
//!
//! Entries are dropped by the changes that make them stale (see [`crate::store::changes`]): at
//! once for a commit of this process, within the poll interval for another process's (at once
//! on PostgreSQL, through `NOTIFY`). The caches are only used while the change log is being
//! read: when it cannot be (a database error, a stalled poller, a command-line process that
//! never polls), every lookup goes to the database: the caches fail closed.
//!
//! A lookup that misses reads the database and fills the entry only if no change was applied
//! meanwhile (a generation counter bumped by every invalidation under the same lock), so a read
//! that raced a change never puts the old value back.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use shared::dto::Account;
use uuid::Uuid;

use super::principal::Principal;
use crate::store::changes::Change;
use crate::store::db::Listener;

/// An account's answer as the cache keeps it: the value, and its JSON serialized once when it
/// was read, so a hit answers without serializing again.
#[derive(Debug)]
pub struct AccountView {
    pub account: Account,
    json: bytes::Bytes,
}

impl AccountView {
    pub fn new(account: Account) -> Self {
        // Serializing a struct of strings and numbers cannot fail; an empty body would be
        // caught by every test that reads an account.
        let json = serde_json::to_vec(&account).unwrap_or_default().into();
        Self { account, json }
    }

    /// The JSON of [`Self::account`].
    pub fn json(&self) -> bytes::Bytes {
        self.json.clone()
    }
}

impl std::ops::Deref for AccountView {
    type Target = Account;

    fn deref(&self) -> &Account {
        &self.account
    }
}

/// How long after the last successful read of the change log the caches are still trusted.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// A bounded map whose fills lose to concurrent invalidations.
pub struct Cache<K, V> {
    inner: RwLock<Inner<K, V>>,
    capacity: usize,
}

struct Inner<K, V> {
    map: HashMap<K, V>,
    generation: u64,
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self {
            inner: RwLock::new(Inner {
                map: HashMap::new(),
                generation: 0,
            }),
            capacity,
        }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        self.read().map.get(key).cloned()
    }

    /// Taken before reading the database for a fill.
    pub fn generation(&self) -> u64 {
        self.read().generation
    }

    /// Stores `value` unless an invalidation happened since `generation` was taken. A full
    /// cache starts over (entries are cheap to rebuild, and this keeps memory bounded).
    pub fn fill(&self, generation: u64, key: K, value: V) {
        let mut inner = self.write();
        if inner.generation != generation {
            return;
        }
        if inner.map.len() >= self.capacity {
            inner.map.clear();
        }
        inner.map.insert(key, value);
    }

    pub fn remove(&self, key: &K) {
        let mut inner = self.write();
        inner.generation += 1;
        inner.map.remove(key);
    }

    pub fn retain(&self, keep: impl FnMut(&K, &mut V) -> bool) {
        let mut inner = self.write();
        inner.generation += 1;
        inner.map.retain(keep);
    }

    pub fn clear(&self) {
        let mut inner = self.write();
        inner.generation += 1;
        inner.map.clear();
    }

    pub fn len(&self) -> usize {
        self.read().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner<K, V>> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner<K, V>> {
        self.inner.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A live session's principal, until the session expires.
#[derive(Debug, Clone)]
pub struct CachedPrincipal {
    pub principal: Principal,
    pub expires_at: DateTime<Utc>,
}

/// An API key as every request with it needs it: its principal and the checks that remain.
#[derive(Debug, Clone)]
pub struct CachedKey {
    pub principal: Principal,
    pub key_id: Uuid,
    pub expires_at: Option<DateTime<Utc>>,
    /// `None`: any network.
    pub networks: Option<Arc<[ipnet::IpNet]>>,
    /// The last use recorded in the database, as far as this process knows.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The caches of one process, and whether they may be trusted.
pub struct Caches {
    /// By session id.
    pub principals: Cache<Uuid, CachedPrincipal>,
    /// By account id.
    pub accounts: Cache<Uuid, Arc<AccountView>>,
    /// API keys by the SHA-256 of their secret. A revocation is a `session` change with the
    /// key's id (kind `session` stands for every bearer credential).
    pub keys: Cache<String, CachedKey>,
    started: Instant,
    /// Milliseconds after `started` of the last successful read of the change log (0: never).
    fresh_at: AtomicU64,
    /// The newest change of the log applied here.
    seen: AtomicI64,
}

impl Default for Caches {
    fn default() -> Self {
        Self {
            principals: Cache::new(100_000),
            accounts: Cache::new(20_000),
            keys: Cache::new(10_000),
            started: Instant::now(),
            fresh_at: AtomicU64::new(0),
            seen: AtomicI64::new(0),
        }
    }
}

impl Caches {
    /// Whether the change log was read recently enough for the caches to be used.
    pub fn trusted(&self) -> bool {
        let at = self.fresh_at.load(Ordering::Acquire);
        at != 0 && self.millis().saturating_sub(at) < FRESH_FOR.as_millis() as u64
    }

    /// The change log was just read completely, up to the change `seen`.
    pub fn mark_fresh(&self, seen: i64) {
        self.seen.fetch_max(seen, Ordering::AcqRel);
        self.fresh_at.store(self.millis().max(1), Ordering::Release);
    }

    /// The newest change of the log this process has applied (0 before the first read).
    pub fn seen(&self) -> i64 {
        self.seen.load(Ordering::Acquire)
    }

    /// The change log could not be read: stop using the caches until it can.
    pub fn mark_stale(&self) {
        self.fresh_at.store(0, Ordering::Release);
    }

    fn millis(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// The principal of a live session, if cached and trusted.
    pub fn principal(&self, session: Uuid, now: DateTime<Utc>) -> Option<Principal> {
        if !self.trusted() {
            return None;
        }
        self.principals
            .get(&session)
            .filter(|p| p.expires_at > now)
            .map(|p| p.principal)
    }

    /// An API key by the hash of its secret, if cached and trusted.
    pub fn key(&self, hash: &str) -> Option<CachedKey> {
        if !self.trusted() {
            return None;
        }
        self.keys.get(&hash.to_owned())
    }

    /// An account's view, if cached and trusted.
    pub fn account(&self, id: Uuid) -> Option<Arc<AccountView>> {
        if !self.trusted() {
            return None;
        }
        self.accounts.get(&id)
    }
}

impl Listener for Caches {
    fn changed(&self, changes: &[Change]) {
        for change in changes {
            match *change {
                Change::Session(id) => {
                    self.principals.remove(&id);
                    self.keys.retain(|_, k| k.key_id != id);
                }
                Change::Account(id) => {
                    self.principals
                        .retain(|_, p| p.principal.account_id() != Some(id));
                    self.accounts.remove(&id);
                }
                Change::Organization(id) => {
                    self.principals.retain(|_, p| p.principal.org != Some(id));
                    self.accounts.retain(|_, a| a.organization_id != Some(id));
                    self.keys.retain(|_, k| k.principal.org != Some(id));
                }
            }
        }
    }

    fn forget_all(&self) {
        self.principals.clear();
        self.accounts.clear();
        self.keys.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fill_that_raced_an_invalidation_is_dropped() {
        let cache: Cache<u8, &str> = Cache::new(10);
        let before = cache.generation();
        // A change lands between the database read and the fill.
        cache.remove(&1);
        cache.fill(before, 1, "old");
        assert_eq!(cache.get(&1), None);
        let now = cache.generation();
        cache.fill(now, 1, "new");
        assert_eq!(cache.get(&1), Some("new"));
    }

    #[test]
    fn a_full_cache_starts_over_instead_of_growing() {
        let cache: Cache<u32, u32> = Cache::new(3);
        for i in 0..10 {
            cache.fill(cache.generation(), i, i);
            assert!(cache.len() <= 3);
        }
        assert_eq!(cache.get(&9), Some(9));
    }

    #[test]
    fn caches_are_not_trusted_before_the_log_is_read_nor_after_it_fails() {
        let caches = Caches::default();
        let id = Uuid::from_u128(7);
        assert!(!caches.trusted());
        caches.mark_fresh(3);
        assert!(caches.trusted());
        assert_eq!(caches.seen(), 3);
        caches.mark_stale();
        assert!(!caches.trusted());
        assert!(caches.account(id).is_none());
    }
}
