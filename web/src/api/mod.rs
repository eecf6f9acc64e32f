//! The only module that talks HTTP. Every call answers `Result<T, ClientError>`: the server's
//! problem details (with its field errors) or a network failure, never a raw response.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;

use futures_util::FutureExt;
use futures_util::future::{LocalBoxFuture, Shared};

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::dto::{
    LoginRequest, LoginResponse, Me, PasswordResetConfirm, PasswordResetRequest, RefreshRequest,
    TokenPair,
};
use shared::{ErrorCode, Problem};

use crate::session::{self, Tokens};

mod accounts;
mod api_keys;
mod domains;
mod groups;
mod me;
mod operator;
mod organization;

pub use accounts::*;
pub use api_keys::*;
pub use domains::*;
pub use groups::*;
pub use me::*;
pub use operator::*;
pub use organization::*;

const BASE: &str = "/api/v1";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The server answered with RFC 9457 problem details. `retry_after` is the `Retry-After`
    /// header in seconds, sent with `rate_limited`.
    Problem {
        problem: Box<Problem>,
        retry_after: Option<u64>,
    },
    /// The server answered something this client does not understand (a proxy's error page,
    /// a body of the wrong shape).
    Unexpected { status: u16, message: String },
    /// No answer at all: offline, DNS, connection refused, CORS.
    Network(String),
}

impl ClientError {
    /// The problem details, when the server sent some.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ClientError::Problem { problem, .. } => Some(problem),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<ErrorCode> {
        self.problem().map(|p| p.code)
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Problem { problem, .. } => Some(problem.status),
            ClientError::Unexpected { status, .. } => Some(*status),
            ClientError::Network(_) => None,
        }
    }

    /// Whether the credentials were refused (missing, expired or revoked token).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// The server's message for one field of the request, to show beside that field.
    pub fn field_message(&self, field: &str) -> Option<String> {
        self.problem()
            .and_then(|p| p.field_message(field))
            .map(str::to_owned)
    }

    /// Whether the problem names at least one field.
    pub fn has_field_errors(&self) -> bool {
        self.problem().is_some_and(|p| !p.errors.is_empty())
    }
}

/// A sentence for the person at the screen. Pages override it for the codes they know better
/// (a wrong password at sign-in, an expired link).
impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Problem {
                problem,
                retry_after,
            } => match (problem.code, retry_after) {
                (ErrorCode::RateLimited, Some(1)) => {
                    f.write_str("Too many attempts, try again in 1 second.")
                }
                (ErrorCode::RateLimited, Some(secs)) => {
                    write!(f, "Too many attempts, try again in {secs} seconds.")
                }
                (ErrorCode::RateLimited, None) => {
                    f.write_str("Too many attempts, try again in a while.")
                }
                _ if problem.detail.trim().is_empty() => f.write_str(&problem.title),
                _ => f.write_str(&problem.detail),
            },
            ClientError::Unexpected { status, message } => {
                write!(
                    f,
                    "The server answered unexpectedly (HTTP {status}): {message}"
                )
            }
            ClientError::Network(message) => write!(f, "Could not reach the server: {message}"),
        }
    }
}

impl std::error::Error for ClientError {}

// ---------------------------------------------------------------- sessions

/// `POST /auth/login`.
pub async fn login(request: &LoginRequest) -> Result<LoginResponse, ClientError> {
    let response = send(with_json(Request::post(&url("/auth/login")), request)?).await?;
    json(response).await
}

/// `POST /auth/refresh`: a new pair; the old refresh token stops working.
pub async fn refresh(refresh_token: &str) -> Result<TokenPair, ClientError> {
    let body = RefreshRequest {
        refresh_token: refresh_token.to_owned(),
    };
    let response = send(with_json(Request::post(&url("/auth/refresh")), &body)?).await?;
    json(response).await
}

/// `POST /auth/logout` → 204: the session's tokens stop working at once.
pub async fn logout(access_token: String) -> Result<(), ClientError> {
    send(build(bearer(
        Request::post(&url("/auth/logout")),
        &access_token,
    ))?)
    .await?;
    Ok(())
}

/// `POST /auth/password-reset` → 202, always (the server does not say whether the login exists).
pub async fn request_password_reset(request: &PasswordResetRequest) -> Result<(), ClientError> {
    send(with_json(
        Request::post(&url("/auth/password-reset")),
        request,
    )?)
    .await?;
    Ok(())
}

/// `POST /auth/password-reset/confirm` → 204.
pub async fn confirm_password_reset(request: &PasswordResetConfirm) -> Result<(), ClientError> {
    let builder = Request::post(&url("/auth/password-reset/confirm"));
    send(with_json(builder, request)?).await?;
    Ok(())
}

// ---------------------------------------------------------------- the caller

/// `GET /me`.
pub async fn me(access_token: String) -> Result<Me, ClientError> {
    let response = send(build(bearer(Request::get(&url("/me")), &access_token))?).await?;
    json(response).await
}

pub(crate) fn looks_like_uuid(id: &str) -> bool {
    id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// Runs `call` with the stored access token. When the server refuses it (401), trades the
/// refresh token for a new pair once, stores it and tries again; when that fails too, forgets
/// the session and answers the 401.
pub async fn authorized<T, F, Fut>(call: F) -> Result<T, ClientError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, ClientError>>,
{
    let Some(tokens) = session::load() else {
        return Err(signed_out());
    };
    match call(tokens.access_token).await {
        Err(error) if error.is_unauthorized() => {}
        other => return other,
    }
    let pair = match refresh_once(&tokens.refresh_token).await {
        Ok(pair) => pair,
        Err(error) => {
            if error.is_unauthorized() || error.code() == Some(ErrorCode::InvalidToken) {
                session::clear();
                return Err(signed_out());
            }
            return Err(error);
        }
    };
    let tokens = Tokens {
        access_token: pair.access_token,
        refresh_token: pair.refresh_token,
    };
    // Not being able to store the new pair only costs a sign-in at the next reload.
    let _ = session::store(&tokens);
    let result = call(tokens.access_token).await;
    if result.as_ref().is_err_and(ClientError::is_unauthorized) {
        session::clear();
    }
    result
}

type PendingRefresh = Shared<LocalBoxFuture<'static, Result<TokenPair, ClientError>>>;

thread_local! {
    /// The last refresh, by the refresh token it spent.
    static REFRESHING: RefCell<Option<(String, PendingRefresh)>> = const { RefCell::new(None) };
}

/// Trades `refresh_token` for a new pair once, however many calls ask at the same moment
/// (several panels getting 401 together): they all wait for one request and share its answer.
/// Spending one refresh token twice would look like a stolen copy to the server, which then
/// ends the session.
async fn refresh_once(refresh_token: &str) -> Result<TokenPair, ClientError> {
    let pending = REFRESHING.with_borrow_mut(|slot| match slot {
        Some((spent, pending)) if spent == refresh_token => pending.clone(),
        _ => {
            let token = refresh_token.to_owned();
            let pending = async move { refresh(&token).await }.boxed_local().shared();
            *slot = Some((refresh_token.to_owned(), pending.clone()));
            pending
        }
    });
    pending.await
}

/// The error `authorized` answers when there is no usable session.
fn signed_out() -> ClientError {
    ClientError::Problem {
        problem: Box::new(Problem::new(ErrorCode::Unauthorized, "You are signed out.")),
        retry_after: None,
    }
}

// ---------------------------------------------------------------- plumbing

pub(crate) fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

pub(crate) fn bearer(builder: RequestBuilder, access_token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {access_token}"))
}

pub(crate) fn build(builder: RequestBuilder) -> Result<Request, ClientError> {
    builder.build().map_err(not_sent)
}

pub(crate) fn with_json<B: Serialize>(
    builder: RequestBuilder,
    body: &B,
) -> Result<Request, ClientError> {
    builder.json(body).map_err(not_sent)
}

fn not_sent(error: gloo_net::Error) -> ClientError {
    ClientError::Network(format!("the request could not be made: {error}"))
}

/// Sends the request; any answer outside 2xx becomes a `ClientError`.
pub(crate) async fn send(request: Request) -> Result<Response, ClientError> {
    let response = request
        .send()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    if response.ok() {
        return Ok(response);
    }
    Err(error_from(response).await)
}

pub(crate) async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    let status = response.status();
    response
        .json::<T>()
        .await
        .map_err(|e| ClientError::Unexpected {
            status,
            message: format!("the answer could not be read: {e}"),
        })
}

async fn error_from(response: Response) -> ClientError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("Retry-After")
        .and_then(|v| parse_retry_after(&v));
    let text = match response.text().await {
        Ok(text) => text,
        Err(e) => return ClientError::Network(e.to_string()),
    };
    match serde_json::from_str::<Problem>(&text) {
        Ok(problem) => {
            // The server sends the wait as a `retry_after` member too.
            let member = problem.extra.retry_after;
            ClientError::Problem {
                retry_after: retry_after.or(member),
                problem: Box::new(problem),
            }
        }
        Err(_) => {
            let status_text = response.status_text();
            let message = if status_text.is_empty() {
                "no problem details".into()
            } else {
                status_text
            };
            ClientError::Unexpected { status, message }
        }
    }
}

/// `Retry-After` in its delay-seconds form; an HTTP date is not worth the code here.
fn parse_retry_after(value: &str) -> Option<u64> {
    value.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(code: ErrorCode, retry_after: Option<u64>) -> ClientError {
        ClientError::Problem {
            problem: Box::new(Problem::new(code, "detail")),
            retry_after,
        }
    }

    #[test]
    fn rate_limited_says_when_to_retry() {
        let message = problem(ErrorCode::RateLimited, Some(30)).to_string();
        assert_eq!(message, "Too many attempts, try again in 30 seconds.");
        assert_eq!(parse_retry_after(" 12 "), Some(12));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }

    #[test]
    fn only_uuids_are_asked_for() {
        assert!(looks_like_uuid("0190c5d4-3b1e-7c2a-9f00-000000000001"));
        assert!(!looks_like_uuid("../me"));
    }

    #[test]
    fn other_problems_show_their_detail() {
        assert_eq!(problem(ErrorCode::Forbidden, None).to_string(), "detail");
        assert!(problem(ErrorCode::Unauthorized, None).is_unauthorized());
    }
}
