//! The one error type of the server. Rules refused by a service are [`Problem`]s with a stable
//! `code`; anything unexpected is `Internal`, logged with its whole chain and answered as a bare
//! 500. Turned into RFC 9457 problem+json here and nowhere else.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use shared::{ErrorCode, FieldError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Problem(Box<Problem>),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::Problem(Box::new(Problem::new(code, detail)))
    }

    /// 404 `not_found`: the same answer for "does not exist" and "not yours".
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthorized, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, detail)
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self::Problem(Box::new(Problem::validation(errors)))
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, message)])
    }

    /// Sets extra members of a problem: `.with(|x| x.missing_cents = Some(250))`.
    pub fn with(self, set: impl FnOnce(&mut shared::ProblemExtra)) -> Self {
        match self {
            Self::Problem(p) => Self::Problem(Box::new(p.with(set))),
            other => other,
        }
    }

    /// 409 `limit_reached` with the cap and its limit.
    pub fn limit_reached(cap: shared::Cap, limit: i64, detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::LimitReached, detail).with(|x| {
            x.cap = Some(cap);
            x.limit = Some(limit);
        })
    }

    /// Names the one field the problem is about.
    pub fn about(self, field: &str) -> Self {
        self.with(|x| x.field = Some(field.to_owned()))
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Problem(p) => p.code,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<Problem> for Error {
    fn from(p: Problem) -> Self {
        Self::Problem(Box::new(p))
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(e: sea_orm::DbErr) -> Self {
        if is_unavailable(&e) {
            tracing::warn!(error = %e, "database unavailable");
            return Self::new(
                ErrorCode::Unavailable,
                "the database is unavailable or busy; try again shortly",
            )
            .with(|x| x.retry_after = Some(RETRY_AFTER_SECS));
        }
        Self::Internal(e.into())
    }
}

/// What a client is told to wait after a 503 `unavailable`.
const RETRY_AFTER_SECS: u64 = 2;

/// Whether a database error says the database cannot answer now (unreachable, the pool
/// exhausted, a statement or lock timeout, a busy SQLite file, a deadlock to retry) rather than
/// that something is wrong with the request or the code.
pub fn is_unavailable(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    match e {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => is_unavailable_sqlx(e),
        DbErr::Conn(_) => true,
        _ => false,
    }
}

fn is_unavailable_sqlx(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as E;
    match e {
        E::Io(_) | E::Tls(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => true,
        E::Database(db) => db.code().is_some_and(|code| is_transient_code(&code)),
        _ => false,
    }
}

/// PostgreSQL SQLSTATEs and SQLite result codes that mean "not now".
fn is_transient_code(code: &str) -> bool {
    match code {
        // query_canceled (statement_timeout), lock_not_available (lock_timeout), deadlock,
        // too many connections, admin or crash shutdown, cannot connect now, connection failures.
        "57014" | "55P03" | "40P01" | "53300" | "57P01" | "57P02" | "57P03" | "08000" | "08003"
        | "08006" => true,
        // SQLite: SQLITE_BUSY and SQLITE_LOCKED with their extended codes (the low byte).
        _ => code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6)),
    }
}

impl From<sea_orm::TransactionError<Error>> for Error {
    fn from(e: sea_orm::TransactionError<Error>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(e) => e.into(),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

/// Whether a database error is a unique-constraint violation.
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let problem = match self {
            Self::Problem(p) => (**p).clone(),
            Self::Internal(e) => {
                tracing::error!(error = format!("{e:#}"), "internal error");
                Problem::new(
                    ErrorCode::Internal,
                    "an unexpected error occurred; it was logged",
                )
            }
        };
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_JSON);
        if matches!(
            problem.code,
            ErrorCode::RateLimited | ErrorCode::Unavailable
        ) && let Some(secs) = problem.extra.retry_after
        {
            response.insert_header(("Retry-After", secs.to_string()));
        }
        response.json(problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnAcquireErr, DbErr};

    #[test]
    fn a_database_that_cannot_answer_is_503_with_retry_after() {
        let e = Error::from(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout));
        assert_eq!(e.code(), ErrorCode::Unavailable);
        let res = e.error_response();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers().get("retry-after").unwrap(), "2");
        let e = Error::from(DbErr::Conn(sea_orm::RuntimeErr::SqlxError(
            std::sync::Arc::new(sea_orm::sqlx::Error::PoolTimedOut),
        )));
        assert_eq!(e.code(), ErrorCode::Unavailable);
    }

    #[test]
    fn other_database_errors_stay_internal() {
        let e = Error::from(DbErr::RecordNotFound("x".into()));
        assert_eq!(e.code(), ErrorCode::Internal);
        assert_eq!(
            e.error_response().status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn transient_codes() {
        for code in ["57014", "55P03", "40P01", "5", "517", "6", "262"] {
            assert!(is_transient_code(code), "{code}");
        }
        for code in ["23505", "23503", "19", "2067", "1", "42P01"] {
            assert!(!is_transient_code(code), "{code}");
        }
    }
}
