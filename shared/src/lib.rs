//! Types shared by the Postwarden API server and its web app.
//!
//! - [`value`]: input value types that parse, normalise and validate one field
//!   (`Username::parse`, `EmailAddress::parse`, …). The server and the web app call the very
//!   same functions, so a form field is judged the same way on both sides.
//! - [`dto`]: the JSON bodies of requests and answers (API.md).
//! - [`problem`]: RFC 9457 problem details and the stable error `code`s.

#[macro_use]
mod redact;
pub mod dto;
pub mod problem;
pub mod value;

pub use problem::{Cap, ErrorCode, FieldError, Problem, ProblemExtra};
