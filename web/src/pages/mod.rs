//! One module per screen.

pub mod api_keys;
pub mod audit;
pub mod credit;
pub mod dashboard;
pub mod domains;
pub mod groups;
pub mod me;
pub mod operator;
pub mod reset_password;
pub mod sign_in;
pub mod sign_up;
pub mod users;

use leptos_router::NavigateOptions;

/// For redirects that should not leave the page they leave in the history (so that Back does
/// not bounce).
pub(crate) fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..NavigateOptions::default()
    }
}
