//! `/users`: the organization's accounts.

pub mod detail;
pub mod list;
pub mod new;

use shared::dto::AccountStatus;

/// The i18n key of a status.
pub(crate) fn status_key(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Active => "status.active",
        AccountStatus::Disabled => "status.disabled",
    }
}
