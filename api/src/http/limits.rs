//! How large a request body may be, in one table: every body past its limit is a 413
//! `payload_too_large` problem, whichever part of the server reads it.

/// JSON bodies (and merge-patch JSON), the idempotency middleware's buffer included.
pub const JSON: usize = 64 * 1024;
/// The payment provider's webhook.
pub const WEBHOOK: usize = 64 * 1024;
/// Photos (PNG or JPEG), before decoding.
pub const PHOTO: usize = crate::service::photo::MAX_BYTES;
