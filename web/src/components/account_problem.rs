//! The problems of account actions that `problem_text` leaves to the server's words, told in
//! the current locale.

use shared::ErrorCode;

use crate::api::ClientError;
use crate::components::problem::problem_text;
use crate::i18n::Locale;

/// `problem_text`, plus the codes of photos, statuses, deletion and subscriptions.
pub fn account_problem_text(locale: Locale, error: &ClientError) -> String {
    let key = match error.code() {
        Some(ErrorCode::OwnerProtected) => "users.problem.owner_protected",
        Some(ErrorCode::AccountNotDisabled) => "users.problem.not_disabled",
        Some(ErrorCode::AliasesOverLimit) => "users.problem.aliases_over_limit",
        Some(ErrorCode::PayloadTooLarge) => "users.photo.too_big",
        Some(ErrorCode::UnsupportedMediaType) => "users.photo.wrong_type",
        _ => return problem_text(locale, error),
    };
    locale.text(key).to_owned()
}
