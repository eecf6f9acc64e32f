//! Personal data, photo and password of one person: the caller's own (`/me`, any role) or, for an
//! admin, an account of the organization (`/accounts/{id}`). The same calls serve both.

use gloo_net::http::{Method, Request};
use shared::dto::{Account, AccountPatch, ChangePasswordRequest};
use uuid::Uuid;

use super::accounts::{body, call};
use super::{ClientError, bearer, json, not_sent, send, url};

/// Whose data a call is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// The signed-in person: `/me`.
    Me,
    /// An account of the admin's organization: `/accounts/{id}`.
    Account(Uuid),
}

impl Profile {
    fn path(self, rest: &str) -> String {
        match self {
            Profile::Me => format!("/me{rest}"),
            Profile::Account(id) => format!("/accounts/{id}{rest}"),
        }
    }
}

/// `PATCH /me` or `/accounts/{id}` (merge patch) → the updated account. `/me` accepts only
/// `personal`.
pub async fn update_profile(
    access_token: String,
    profile: Profile,
    patch: AccountPatch,
) -> Result<Account, ClientError> {
    let response = call(
        &access_token,
        Method::PATCH,
        &profile.path(""),
        body(&patch),
    )
    .await?;
    // `/me` answers the account with its organization beside it: read as an account.
    json(response).await
}

/// `GET …/photo`: the stored photo's bytes (PNG or JPEG, at most 512×512).
pub async fn photo(access_token: String, profile: Profile) -> Result<Vec<u8>, ClientError> {
    let response = call(&access_token, Method::GET, &profile.path("/photo"), None).await?;
    let status = response.status();
    response
        .binary()
        .await
        .map_err(|e| ClientError::Unexpected {
            status,
            message: format!("the photo could not be read: {e}"),
        })
}

/// `PUT …/photo` with the file as the body and its own content type → 204.
pub async fn put_photo(
    access_token: String,
    profile: Profile,
    file: web_sys::File,
) -> Result<(), ClientError> {
    let builder = bearer(Request::put(&url(&profile.path("/photo"))), &access_token)
        .header("Content-Type", &file.type_());
    let request = builder.body(file).map_err(not_sent)?;
    send(request).await?;
    Ok(())
}

/// `DELETE …/photo` → 204.
pub async fn delete_photo(access_token: String, profile: Profile) -> Result<(), ClientError> {
    call(&access_token, Method::DELETE, &profile.path("/photo"), None).await?;
    Ok(())
}

/// `POST /me/password` → 204: the caller's other sessions end, this one goes on.
pub async fn change_own_password(
    access_token: String,
    request: ChangePasswordRequest,
) -> Result<(), ClientError> {
    call(&access_token, Method::POST, "/me/password", body(&request)).await?;
    Ok(())
}
