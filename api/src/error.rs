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

    /// Adds an extra member (`cap`, `missing_cents`, `retry_after`…) to a problem.
    pub fn with(self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        match self {
            Self::Problem(p) => Self::Problem(Box::new(p.with(key, value))),
            other => other,
        }
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
        Self::Internal(e.into())
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
        if problem.code == ErrorCode::RateLimited
            && let Some(secs) = problem.extra.get("retry_after").and_then(|v| v.as_u64())
        {
            response.insert_header(("Retry-After", secs.to_string()));
        }
        response.json(problem)
    }
}
