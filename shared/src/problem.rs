//! RFC 9457 problem details, as every error answer of the API carries them.

use serde::{Deserialize, Serialize};

/// The stable, machine-readable error codes of API.md. The HTTP status of each lives here too,
/// so that the mapping exists in exactly one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    ValidationFailed,
    NotFound,
    Unauthorized,
    Forbidden,
    SignupDisabled,
    LimitReached,
    CreditInsufficient,
    UsernameTaken,
    AddressTaken,
    AddressReserved,
    DomainTaken,
    DomainNotVerified,
    DomainInUse,
    DnsUnavailable,
    AccountNotDisabled,
    OwnerProtected,
    AliasesOverLimit,
    IdempotencyKeyReused,
    InvalidToken,
    RateLimited,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    MethodNotAllowed,
    Internal,
    Unavailable,
}

impl ErrorCode {
    pub const fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            BadRequest => 400,
            Unauthorized => 401,
            CreditInsufficient => 402,
            Forbidden | SignupDisabled => 403,
            NotFound => 404,
            MethodNotAllowed => 405,
            LimitReached | UsernameTaken | AddressTaken | DomainTaken | DomainNotVerified
            | DomainInUse | AccountNotDisabled | OwnerProtected | AliasesOverLimit | Conflict => {
                409
            }
            PayloadTooLarge => 413,
            UnsupportedMediaType => 415,
            ValidationFailed | AddressReserved | IdempotencyKeyReused | InvalidToken => 422,
            RateLimited => 429,
            Internal => 500,
            DnsUnavailable | Unavailable => 503,
        }
    }

    pub const fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            BadRequest => "bad_request",
            ValidationFailed => "validation_failed",
            NotFound => "not_found",
            Unauthorized => "unauthorized",
            Forbidden => "forbidden",
            SignupDisabled => "signup_disabled",
            LimitReached => "limit_reached",
            CreditInsufficient => "credit_insufficient",
            UsernameTaken => "username_taken",
            AddressTaken => "address_taken",
            AddressReserved => "address_reserved",
            DomainTaken => "domain_taken",
            DomainNotVerified => "domain_not_verified",
            DomainInUse => "domain_in_use",
            DnsUnavailable => "dns_unavailable",
            AccountNotDisabled => "account_not_disabled",
            OwnerProtected => "owner_protected",
            AliasesOverLimit => "aliases_over_limit",
            IdempotencyKeyReused => "idempotency_key_reused",
            InvalidToken => "invalid_token",
            RateLimited => "rate_limited",
            Conflict => "conflict",
            PayloadTooLarge => "payload_too_large",
            UnsupportedMediaType => "unsupported_media_type",
            MethodNotAllowed => "method_not_allowed",
            Internal => "internal",
            Unavailable => "unavailable",
        }
    }

    /// The problem `title`: a short summary of the kind of error, the same for every instance.
    pub const fn title(self) -> &'static str {
        use ErrorCode::*;
        match self {
            BadRequest => "The request body is not valid JSON",
            ValidationFailed => "Some fields are invalid",
            NotFound => "Not found",
            Unauthorized => "Authentication required",
            Forbidden => "Not allowed",
            SignupDisabled => "Public sign-up is turned off",
            LimitReached => "A limit of the plan would be exceeded",
            CreditInsufficient => "The credit does not cover this",
            UsernameTaken => "The username is already used",
            AddressTaken => "The address is already used",
            AddressReserved => "The address is reserved",
            DomainTaken => "The domain belongs to another organization",
            DomainNotVerified => "The domain is not verified",
            DomainInUse => "The domain is still used",
            DnsUnavailable => "DNS is unavailable",
            AccountNotDisabled => "The account must be disabled first",
            OwnerProtected => "The owner's account is protected",
            AliasesOverLimit => "The account has more aliases than the plan allows",
            IdempotencyKeyReused => "The Idempotency-Key was used with another request",
            InvalidToken => "The token is unknown, used or expired",
            RateLimited => "Too many attempts",
            Conflict => "Conflict",
            PayloadTooLarge => "The body is too large",
            UnsupportedMediaType => "Unsupported content type",
            MethodNotAllowed => "Method not allowed",
            Internal => "Internal server error",
            Unavailable => "Service unavailable",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One invalid field of a request: `field` is the JSON path (`personal.postal_address.country`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// RFC 9457 problem details (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` style URN with the code).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
    /// Every invalid field, for `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The request id of the answer, to quote when reporting a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The members some problems add (`cap`, `missing_cents`, `retry_after`, `found`…).
    #[serde(flatten)]
    pub extra: ProblemExtra,
}

/// What a plan's cap limits (`limit_reached`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Cap {
    Accounts,
    FreeAccounts,
    Domains,
    Aliases,
}

impl Cap {
    pub const fn as_str(self) -> &'static str {
        match self {
            Cap::Accounts => "accounts",
            Cap::FreeAccounts => "free_accounts",
            Cap::Domains => "domains",
            Cap::Aliases => "aliases",
        }
    }
}

/// The extra members of problem details, each carried by the codes API.md names; absent
/// members are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemExtra {
    /// `limit_reached`: the cap that was reached, and its limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Cap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `credit_insufficient`: what the credit lacks, in cents of `currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_cents: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `rate_limited` (and 503): seconds to wait, as in `Retry-After`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// The one request field a problem other than `validation_failed` is about
    /// (`address_reserved`, `domain_not_verified`, `conflict`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `domain_not_verified` from a verification: the TXT records found at the apex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<Vec<String>>,
    /// `domain_in_use`: how many addresses still use the domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_count: Option<i64>,
    /// `aliases_over_limit`: the account's aliases and what the new plan allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_aliases: Option<i64>,
    /// `forbidden` for an API key: every scope the request needs and the key lacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_scope: Option<Vec<crate::dto::Scope>>,
}

impl Problem {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("urn:postwarden:problem:{}", code.as_str()),
            title: code.title().to_owned(),
            status: code.status(),
            detail: detail.into(),
            code,
            errors: Vec::new(),
            request_id: None,
            extra: ProblemExtra::default(),
        }
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        let mut problem = Self::new(
            ErrorCode::ValidationFailed,
            format!("invalid fields: {}", names.join(", ")),
        );
        problem.errors = errors;
        problem
    }

    /// Sets extra members: `problem.with(|x| x.missing_cents = Some(250))`.
    pub fn with(mut self, set: impl FnOnce(&mut ProblemExtra)) -> Self {
        set(&mut self.extra);
        self
    }

    /// The message of the given field, when the problem names it.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.title, self.code, self.detail)
    }
}

impl std::error::Error for Problem {}
