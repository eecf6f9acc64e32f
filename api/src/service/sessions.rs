//! Sign-in, token refresh and sign-out; authentication of every request against a live
//! session; password changes and resets by external mail.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use shared::ErrorCode;
use shared::dto::{Account, AccountStatus, Role};
use shared::value::Password;
use uuid::Uuid;

use super::Services;
use super::accounts;
use super::api_keys;
use super::audit::{self, AuditAction, Ctx};
use super::cache::CachedPrincipal;
use crate::auth::token::{ACCESS_TOKEN_SECONDS, random_token, sha256_hex};
use crate::error::{Error, Result};
use crate::store::accounts::{self as account_rows, Row as AccountRow};
use crate::store::db::Txn;
use crate::store::sessions::{self as rows, ResetLink};
use crate::store::throttle::{self, Limits};

pub const REFRESH_TOKEN_DAYS: i64 = 30;
pub const RESET_TOKEN_MINUTES: i64 = 30;
/// Reset mails per account per window: more are silently dropped.
const RESET_LIMITS: Limits = Limits {
    max_failures: 3,
    window: Duration::minutes(30),
};

/// Sign-ups per client address per window.
const SIGNUP_LIMITS: Limits = Limits {
    max_failures: 10,
    window: Duration::hours(1),
};

use super::principal::Credential;
pub use super::principal::Principal;

pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

/// The access token's session must exist, be unrevoked and unexpired, and its account active.
/// Answered from the principal cache when it holds the session (no database work at all);
/// otherwise by one statement, whose answer fills the cache.
///
/// A bearer token starting `pwk_` is an API key ([`api_keys::authenticate`]), checked against
/// its expiry and networks with `client_ip`.
pub async fn authenticate(
    s: &Services,
    bearer: &str,
    now: DateTime<Utc>,
    client_ip: Option<&str>,
) -> Result<Principal> {
    if bearer.starts_with(api_keys::SECRET_PREFIX) {
        return api_keys::authenticate(s, bearer, now, client_ip).await;
    }
    let unauthorized = || Error::unauthorized("the access token is invalid, expired or revoked");
    let claims = s.keys.verify(bearer, now).ok_or_else(unauthorized)?;
    if let Some(principal) = s.caches.principal(claims.sid, now) {
        return if principal.account_id() == Some(claims.sub) {
            Ok(principal)
        } else {
            Err(unauthorized())
        };
    }
    let generation = s.caches.principals.generation();
    let live = rows::live(s.db.read(), claims.sid, claims.sub, now)
        .await?
        .ok_or_else(unauthorized)?;
    let principal = Principal {
        org: live.organization_id,
        role: live.role,
        credential: Credential::Session {
            account_id: claims.sub,
            session_id: claims.sid,
        },
    };
    s.caches.principals.fill(
        generation,
        claims.sid,
        CachedPrincipal {
            principal: principal.clone(),
            expires_at: live.expires_at,
        },
    );
    Ok(principal)
}

async fn find_by_login(s: &Services, login: &str) -> Result<Option<AccountRow>> {
    let login = login.trim().to_lowercase();
    if login.contains('@') {
        account_rows::by_primary_address(s.db.read(), &login).await
    } else {
        account_rows::by_username(s.db.read(), &login).await
    }
}

async fn open_session(
    s: &Services,
    txn: &Txn,
    ctx: &Ctx,
    account_id: Uuid,
    org: Option<Uuid>,
) -> Result<Tokens> {
    let id = ctx.new_id();
    let refresh_token = random_token(32);
    rows::insert(
        txn,
        rows::Row {
            id,
            account_id,
            refresh_hash: sha256_hex(&refresh_token),
            previous_refresh_hash: None,
            created_at: ctx.now,
            expires_at: ctx.now + Duration::days(REFRESH_TOKEN_DAYS),
            revoked_at: None,
            client_ip: ctx.client_ip.clone(),
        },
    )
    .await?;
    let access_token = s.keys.issue(account_id, id, org, ctx.now)?;
    Ok(Tokens {
        access_token,
        refresh_token,
        expires_in: ACCESS_TOKEN_SECONDS,
    })
}

/// Opens a session for a freshly created owner (sign-up).
pub async fn open_for(
    s: &Services,
    ctx: &Ctx,
    account_id: Uuid,
    org: Option<Uuid>,
) -> Result<Tokens> {
    let txn = s.db.begin().await?;
    let tokens = open_session(s, &txn, ctx, account_id, org).await?;
    txn.commit().await?;
    Ok(tokens)
}

/// Signs in by username or primary address. Unknown users, wrong passwords and disabled
/// accounts get the same answer after the same work. Attempts are throttled per account (or per
/// login, when it names none: `bob` and `bob@<domain>` are one account) and per client address,
/// counted before the password is checked, so parallel guesses cannot slip past the limit.
pub async fn login(
    s: &Services,
    ctx: &Ctx,
    login: &str,
    password: &str,
) -> Result<(Account, Tokens)> {
    let account = find_by_login(s, login).await?;
    let login_key = match &account {
        Some(a) => format!("account:{}", a.id),
        None => format!("login:{}", login.trim().to_lowercase()),
    };
    let ip_key = ctx.client_ip.as_ref().map(|ip| format!("ip:{ip}"));
    let keys: Vec<String> = std::iter::once(login_key.clone())
        .chain(ip_key.clone())
        .collect();
    let (org, target) = account.as_ref().map_or((None, None), |a| {
        (a.organization_id, Some(format!("account:{}", a.id)))
    });
    let refused = Throttled {
        action: AuditAction::SessionLoginThrottled,
        org,
        target: target.clone(),
        what: "failed sign-ins",
    };
    count_attempt(s, ctx, &keys, s.login_limits, refused).await?;
    let valid = s
        .hasher
        .verify(password, account.as_ref().map(|a| a.password_hash.as_str()))
        .await?;
    let txn = s.db.begin().await?;
    match account {
        Some(account) if valid && account.status == AccountStatus::Active => {
            throttle::clear(&txn, &login_key).await?;
            if let Some(ip_key) = &ip_key {
                throttle::forgive(&txn, ip_key).await?;
            }
            let tokens = open_session(s, &txn, ctx, account.id, account.organization_id).await?;
            let ctx = ctx.with_actor(actor_of(&account));
            audit::record(
                &txn,
                &ctx,
                account.organization_id,
                AuditAction::SessionLogin,
                Some(format!("account:{}", account.id)),
                json!({}),
            )
            .await?;
            let view = account_rows::view(&txn, account).await?;
            txn.commit().await?;
            Ok((view, tokens))
        }
        _ => {
            // The attempt was counted before the check.
            audit::record(
                &txn,
                ctx,
                org,
                AuditAction::SessionLoginFailed,
                target,
                json!({}),
            )
            .await?;
            txn.commit().await?;
            Err(Error::unauthorized("wrong login or password"))
        }
    }
}

fn actor_of(account: &AccountRow) -> String {
    match account.role {
        Role::Operator => format!("operator:{}", account.id),
        _ => format!("account:{}", account.id),
    }
}

/// Exchanges a refresh token for a new pair; the old refresh token stops working. Rotation is a
/// compare-and-swap on the presented token's hash, so of two refreshes with one token only one
/// wins. A spent token presented again (the one before the last rotation, or the loser of such
/// a race) means a copy exists: the whole session is revoked, for whoever holds it.
pub async fn refresh(s: &Services, ctx: &Ctx, refresh_token: &str) -> Result<Tokens> {
    let invalid = || Error::unauthorized("the refresh token is invalid, used or expired");
    let presented = sha256_hex(refresh_token);
    let txn = s.db.begin().await?;
    let Some(session) = rows::by_refresh(&txn, &presented, ctx.now).await? else {
        revoke_on_reuse(&txn, ctx, &presented).await?;
        txn.commit().await?;
        return Err(invalid());
    };
    let account = account_rows::find(&txn, session.account_id)
        .await?
        .filter(|a| a.status == AccountStatus::Active)
        .ok_or_else(invalid)?;
    let new_refresh = random_token(32);
    if !rows::rotate(&txn, session.id, &presented, &sha256_hex(&new_refresh)).await? {
        // Another refresh with this very token won meanwhile: it is spent.
        revoke_on_reuse(&txn, ctx, &presented).await?;
        txn.commit().await?;
        return Err(invalid());
    }
    let access_token = s
        .keys
        .issue(account.id, session.id, account.organization_id, ctx.now)?;
    txn.commit().await?;
    Ok(Tokens {
        access_token,
        refresh_token: new_refresh,
        expires_in: ACCESS_TOKEN_SECONDS,
    })
}

/// Revokes the live session whose previous refresh token hashes to `presented`, if any, and
/// audits the reuse.
async fn revoke_on_reuse(txn: &Txn, ctx: &Ctx, presented: &str) -> Result<()> {
    let Some(session) = rows::by_previous_refresh(txn, presented).await? else {
        return Ok(());
    };
    rows::revoke(txn, session.id, ctx.now).await?;
    let org = account_rows::find(txn, session.account_id)
        .await?
        .and_then(|a| a.organization_id);
    audit::record(
        txn,
        ctx,
        org,
        AuditAction::SessionRefreshReused,
        Some(format!("account:{}", session.account_id)),
        json!({"session_id": session.id}),
    )
    .await?;
    Ok(())
}

pub async fn logout(s: &Services, ctx: &Ctx, principal: &Principal) -> Result<()> {
    let (Some(account_id), Some(session_id)) = (principal.account_id(), principal.session_id())
    else {
        return Err(Error::forbidden("an API key has no session to end"));
    };
    let txn = s.db.begin().await?;
    rows::revoke(&txn, session_id, ctx.now).await?;
    audit::record(
        &txn,
        ctx,
        principal.org(),
        AuditAction::SessionLogout,
        Some(format!("account:{account_id}")),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A signed-in account changes its own password: the current one is required, and every
/// other session is revoked.
pub async fn change_password(
    s: &Services,
    ctx: &Ctx,
    principal: &Principal,
    current: &str,
    new: &Password,
) -> Result<()> {
    let account = account_rows::get(s.db.read(), principal.account()?).await?;
    accounts::confirm_current_password(s, ctx, &account, Some(current)).await?;
    accounts::set_password(
        s,
        ctx,
        account.id,
        new,
        principal.session_id(),
        AuditAction::AccountPasswordChanged,
    )
    .await
}

/// Mails a single-use reset link to the account's external address, if it has one. Answers
/// the same whether or not the account exists or the request is throttled.
/// Starts [`request_reset`] in the background and returns at once: the answer takes the same
/// time whether the account exists, has an external address, or is throttled, and a database
/// that is slow or busy delays only the mail. The mail is queued in the outbox with the reset
/// token; a process stopped in the milliseconds before that transaction commits drops the
/// request (nothing was promised but a 202; the user asks again).
pub fn request_reset_in_background(s: &Services, ctx: &Ctx, login: String) {
    let (s, ctx) = (s.clone(), ctx.clone());
    tokio::spawn(async move {
        if let Err(e) = request_reset(&s, &ctx, &login).await {
            tracing::warn!(error = %e, "password reset request failed");
        }
    });
}

/// Counts a sign-up from the caller's address: each one costs an Argon2 hash and creates an
/// organization, so an address gets [`SIGNUP_LIMITS`]; past it, 429 `rate_limited`.
pub async fn count_signup(s: &Services, ctx: &Ctx) -> Result<()> {
    let Some(ip) = &ctx.client_ip else {
        return Ok(());
    };
    let refused = Throttled {
        action: AuditAction::SignupThrottled,
        org: None,
        target: None,
        what: "sign-ups from this address",
    };
    count_attempt(s, ctx, &[format!("signup:{ip}")], SIGNUP_LIMITS, refused).await
}

/// How a refused attempt is audited and told.
struct Throttled {
    action: AuditAction,
    org: Option<Uuid>,
    target: Option<String>,
    what: &'static str,
}

/// Counts an attempt against `keys` in its own transaction; past a limit, audits the refusal
/// and answers 429 `rate_limited` with `retry_after`.
async fn count_attempt(
    s: &Services,
    ctx: &Ctx,
    keys: &[String],
    limits: Limits,
    refused: Throttled,
) -> Result<()> {
    let txn = s.db.begin().await?;
    let wait = throttle::attempt(&txn, keys, limits, ctx.now).await?;
    if let Some(wait) = wait {
        let details = json!({"retry_after": wait});
        audit::record(
            &txn,
            ctx,
            refused.org,
            refused.action,
            refused.target,
            details,
        )
        .await?;
        txn.commit().await?;
        return Err(Error::new(
            ErrorCode::RateLimited,
            format!("too many {}; try again in {wait} s", refused.what),
        )
        .with(|x| x.retry_after = u64::try_from(wait).ok()));
    }
    txn.commit().await?;
    Ok(())
}

async fn request_reset(s: &Services, ctx: &Ctx, login: &str) -> Result<()> {
    let Some(account) = find_by_login(s, login).await? else {
        return Ok(());
    };
    let (Some(external), true) = (
        account.external_email.clone(),
        account.status == AccountStatus::Active,
    ) else {
        return Ok(());
    };
    let key = format!("reset:{}", account.id);
    let txn = s.db.begin().await?;
    if throttle::attempt(&txn, std::slice::from_ref(&key), RESET_LIMITS, ctx.now)
        .await?
        .is_some()
    {
        txn.commit().await?;
        return Ok(());
    }
    let token = random_token(32);
    rows::insert_reset_link(
        &txn,
        ResetLink {
            token_hash: sha256_hex(&token),
            account_id: account.id,
            created_at: ctx.now,
            expires_at: ctx.now + Duration::minutes(RESET_TOKEN_MINUTES),
            used_at: None,
        },
    )
    .await?;
    audit::record(
        &txn,
        ctx,
        account.organization_id,
        AuditAction::AccountPasswordResetRequested,
        Some(format!("account:{}", account.id)),
        json!({}),
    )
    .await?;
    let link = format!("{}/reset-password?token={token}", s.public_url);
    let body = format!(
        "Hello {},\n\nsomebody (hopefully you) asked to reset the password of {}.\n\
         Open this link within {RESET_TOKEN_MINUTES} minutes to choose a new one:\n\n{link}\n\n\
         If it was not you, ignore this mail: your password stays as it is.\n",
        account.first_name, account.username
    );
    super::outbox::enqueue(
        &txn,
        s,
        ctx,
        &external,
        "Reset your Postwarden password",
        body,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Uses a reset token: sets the new password and revokes every session of the account.
pub async fn confirm_reset(s: &Services, ctx: &Ctx, token: &str, new: &Password) -> Result<()> {
    let invalid = || {
        Error::new(
            ErrorCode::InvalidToken,
            "this reset link is unknown, used or expired",
        )
    };
    let hash = sha256_hex(token);
    let row = rows::reset_link(s.db.read(), &hash)
        .await?
        .ok_or_else(invalid)?;
    if row.used_at.is_some() || row.expires_at <= ctx.now {
        return Err(invalid());
    }
    let password_hash = s.hasher.hash(new.expose()).await?;
    let txn = s.db.begin().await?;
    // Single use even when two requests race: only one update finds it unused.
    if !rows::use_reset_link(&txn, &hash, ctx.now).await? {
        return Err(invalid());
    }
    let account = account_rows::get(&txn, row.account_id).await?;
    // A link mailed before the account was disabled does nothing now.
    if account.status != AccountStatus::Active {
        return Err(invalid());
    }
    let org = account.organization_id;
    // Every session ends and the account's other links die with this one.
    accounts::replace_password(&txn, ctx, account, password_hash, None).await?;
    audit::record(
        &txn,
        ctx,
        org,
        AuditAction::AccountPasswordReset,
        Some(format!("account:{}", row.account_id)),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
