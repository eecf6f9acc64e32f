//! Sign-in, token refresh and sign-out; authentication of every request against a live
//! session; password changes and resets by external mail.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use serde_json::json;
use shared::ErrorCode;
use shared::dto::{AccountStatus, Role};
use shared::value::Password;
use uuid::Uuid;

use super::Services;
use super::accounts;
use super::audit::{self, AuditAction, Ctx};
use super::cache::CachedPrincipal;
use crate::auth::throttle::{self, Limits};
use crate::auth::token::{ACCESS_TOKEN_SECONDS, random_token, sha256_hex};
use crate::error::{Error, Result};
use crate::store::changes::Change;
use crate::store::db::Txn;
use crate::store::entities::address::AddressKind;
use crate::store::entities::{account, address, password_reset, session};

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

/// The signed-in caller of a request: who, in which organization, with which role. Handlers
/// that need the whole account load it; most only need these.
#[derive(Debug, Clone)]
pub struct Principal {
    pub account_id: Uuid,
    pub org: Option<Uuid>,
    pub role: Role,
    pub session_id: Uuid,
}

impl Principal {
    pub fn org(&self) -> Option<Uuid> {
        self.org
    }

    pub fn actor(&self) -> String {
        match self.role {
            Role::Operator => format!("operator:{}", self.account_id),
            _ => format!("account:{}", self.account_id),
        }
    }
}

pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

/// The access token's session must exist, be unrevoked and unexpired, and its account active.
/// Answered from the principal cache when it holds the session (no database work at all);
/// otherwise by one statement, whose answer fills the cache.
pub async fn authenticate(s: &Services, bearer: &str, now: DateTime<Utc>) -> Result<Principal> {
    let unauthorized = || Error::unauthorized("the access token is invalid, expired or revoked");
    let claims = s.keys.verify(bearer, now).ok_or_else(unauthorized)?;
    if let Some(principal) = s.caches.principal(claims.sid, now) {
        return if principal.account_id == claims.sub {
            Ok(principal)
        } else {
            Err(unauthorized())
        };
    }
    let generation = s.caches.principals.generation();
    // Only the columns a principal needs.
    let live = Query::select()
        .column((account::Entity, account::Column::OrganizationId))
        .column((account::Entity, account::Column::Role))
        .column((session::Entity, session::Column::ExpiresAt))
        .from(session::Entity)
        .inner_join(
            account::Entity,
            Expr::col((account::Entity, account::Column::Id))
                .equals((session::Entity, session::Column::AccountId)),
        )
        .and_where(Expr::col((session::Entity, session::Column::Id)).eq(claims.sid))
        .and_where(Expr::col((session::Entity, session::Column::AccountId)).eq(claims.sub))
        .and_where(Expr::col((session::Entity, session::Column::RevokedAt)).is_null())
        .and_where(Expr::col((session::Entity, session::Column::ExpiresAt)).gt(now))
        .and_where(Expr::col((account::Entity, account::Column::Status)).eq(AccountStatus::Active))
        .to_owned();
    let row =
        s.db.read()
            .query_one(&live)
            .await?
            .ok_or_else(unauthorized)?;
    let org: Option<Uuid> = row.try_get_by_index(0)?;
    let role: Role = row.try_get_by_index(1)?;
    let expires_at: DateTime<Utc> = row.try_get_by_index(2)?;
    let principal = Principal {
        account_id: claims.sub,
        org,
        role,
        session_id: claims.sid,
    };
    s.caches.principals.fill(
        generation,
        claims.sid,
        CachedPrincipal {
            principal: principal.clone(),
            expires_at,
        },
    );
    Ok(principal)
}

async fn find_by_login(db: &impl ConnectionTrait, login: &str) -> Result<Option<account::Model>> {
    let login = login.trim().to_lowercase();
    if login.contains('@') {
        let Some(addr) = address::Entity::find_by_id(login)
            .filter(address::Column::Kind.eq(AddressKind::Primary))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let Some(id) = addr.account_id else {
            return Ok(None);
        };
        Ok(account::Entity::find_by_id(id).one(db).await?)
    } else {
        Ok(account::Entity::find()
            .filter(account::Column::Username.eq(login))
            .one(db)
            .await?)
    }
}

async fn open_session(
    s: &Services,
    db: &impl ConnectionTrait,
    ctx: &Ctx,
    account: &account::Model,
) -> Result<Tokens> {
    let id = ctx.new_id();
    let refresh_token = random_token(32);
    session::ActiveModel {
        id: Set(id),
        account_id: Set(account.id),
        refresh_hash: Set(sha256_hex(&refresh_token)),
        previous_refresh_hash: Set(None),
        created_at: Set(ctx.now),
        expires_at: Set(ctx.now + Duration::days(REFRESH_TOKEN_DAYS)),
        revoked_at: Set(None),
        client_ip: Set(ctx.client_ip.clone()),
    }
    .insert(db)
    .await?;
    let access_token = s
        .keys
        .issue(account.id, id, account.organization_id, ctx.now)?;
    Ok(Tokens {
        access_token,
        refresh_token,
        expires_in: ACCESS_TOKEN_SECONDS,
    })
}

/// Opens a session for a freshly created owner (sign-up).
pub async fn open_for(s: &Services, ctx: &Ctx, account: &account::Model) -> Result<Tokens> {
    let txn = s.db.begin().await?;
    let tokens = open_session(s, &txn, ctx, account).await?;
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
) -> Result<(account::Model, Tokens)> {
    let account = find_by_login(s.db.read(), login).await?;
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
            let tokens = open_session(s, &txn, ctx, &account).await?;
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
            txn.commit().await?;
            Ok((account, tokens))
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

fn actor_of(account: &account::Model) -> String {
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
    let live = session::Entity::find()
        .filter(session::Column::RefreshHash.eq(presented.clone()))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(ctx.now))
        .one(&txn)
        .await?;
    let Some(session) = live else {
        revoke_on_reuse(&txn, ctx, &presented).await?;
        txn.commit().await?;
        return Err(invalid());
    };
    let account = account::Entity::find_by_id(session.account_id)
        .filter(account::Column::Status.eq(AccountStatus::Active))
        .one(&txn)
        .await?
        .ok_or_else(invalid)?;
    let new_refresh = random_token(32);
    let swapped = session::Entity::update_many()
        .col_expr(
            session::Column::RefreshHash,
            Expr::value(sha256_hex(&new_refresh)),
        )
        .col_expr(
            session::Column::PreviousRefreshHash,
            Expr::value(presented.clone()),
        )
        .filter(session::Column::Id.eq(session.id))
        .filter(session::Column::RefreshHash.eq(presented.clone()))
        .filter(session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if swapped.rows_affected != 1 {
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
    let Some(session) = session::Entity::find()
        .filter(session::Column::PreviousRefreshHash.eq(presented))
        .filter(session::Column::RevokedAt.is_null())
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(ctx.now))
        .filter(session::Column::Id.eq(session.id))
        .exec(txn)
        .await?;
    txn.touch(Change::Session(session.id), ctx.now);
    let org = account::Entity::find_by_id(session.account_id)
        .one(txn)
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
    let txn = s.db.begin().await?;
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(ctx.now))
        .filter(session::Column::Id.eq(principal.session_id))
        .exec(&txn)
        .await?;
    txn.touch(Change::Session(principal.session_id), ctx.now);
    audit::record(
        &txn,
        ctx,
        principal.org(),
        AuditAction::SessionLogout,
        Some(format!("account:{}", principal.account_id)),
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
    let account = accounts::find(s.db.read(), principal.account_id).await?;
    accounts::confirm_current_password(s, ctx, &account, Some(current)).await?;
    accounts::set_password(
        s,
        ctx,
        account,
        new,
        Some(principal.session_id),
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
        .with("retry_after", wait));
    }
    txn.commit().await?;
    Ok(())
}

async fn request_reset(s: &Services, ctx: &Ctx, login: &str) -> Result<()> {
    let Some(account) = find_by_login(s.db.read(), login).await? else {
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
    password_reset::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        account_id: Set(account.id),
        created_at: Set(ctx.now),
        expires_at: Set(ctx.now + Duration::minutes(RESET_TOKEN_MINUTES)),
        used_at: Set(None),
    }
    .insert(&txn)
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
    let row = password_reset::Entity::find_by_id(hash.clone())
        .one(s.db.read())
        .await?
        .ok_or_else(invalid)?;
    if row.used_at.is_some() || row.expires_at <= ctx.now {
        return Err(invalid());
    }
    let password_hash = s.hasher.hash(new.expose()).await?;
    let txn = s.db.begin().await?;
    // Single use even when two requests race: only one update finds it unused.
    let used = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(ctx.now))
        .filter(password_reset::Column::TokenHash.eq(hash))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(invalid());
    }
    let mut account = accounts::find(&txn, row.account_id).await?;
    // A link mailed before the account was disabled does nothing now.
    if account.status != AccountStatus::Active {
        return Err(invalid());
    }
    // The account's other links die with this one.
    accounts::expire_reset_links(&txn, row.account_id, ctx).await?;
    let org = account.organization_id;
    account.password_hash = password_hash;
    account.updated_at = ctx.now;
    account.into_active_model().reset_all().update(&txn).await?;
    txn.touch(Change::Account(row.account_id), ctx.now);
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(ctx.now))
        .filter(session::Column::AccountId.eq(row.account_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
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
