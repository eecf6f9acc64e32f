//! Groups and their members.

use gloo_net::http::Request;
use serde_json::Value;
use shared::dto::{Account, CreateGroupRequest, Group};

use super::{
    ClientError, answer, bearer, every_page, id_path, json, no_content, send, url, with_json,
};

/// `GET /groups`: every group of the organization, by name.
pub async fn groups(access_token: String) -> Result<Vec<Group>, ClientError> {
    every_page(&access_token, "/groups").await
}

/// `GET /groups/{id}`.
pub async fn group(access_token: String, id: String) -> Result<Group, ClientError> {
    let path = id_path("/groups", &id, "")?;
    answer(Request::get(&url(&path)), &access_token).await
}

/// `POST /groups` → 201 the group; 409 `conflict` (with `field: "name"`) for a name the
/// organization already uses.
pub async fn create_group(
    access_token: String,
    request: CreateGroupRequest,
) -> Result<Group, ClientError> {
    let builder = bearer(Request::post(&url("/groups")), &access_token);
    json(send(with_json(builder, &request)?).await?).await
}

/// `PATCH /groups/{id}` with a merge patch. It is a JSON value rather than
/// [`shared::dto::GroupPatch`] because that type cannot say `"email": null` (it skips absent
/// fields), and `null` is how an address is removed.
pub async fn update_group(
    access_token: String,
    id: String,
    patch: Value,
) -> Result<Group, ClientError> {
    let path = id_path("/groups", &id, "")?;
    let builder = bearer(Request::patch(&url(&path)), &access_token);
    json(send(with_json(builder, &patch)?).await?).await
}

/// `DELETE /groups/{id}` → 204: the memberships go, the accounts stay.
pub async fn delete_group(access_token: String, id: String) -> Result<(), ClientError> {
    let path = id_path("/groups", &id, "")?;
    no_content(Request::delete(&url(&path)), &access_token).await
}

/// `GET /groups/{id}/members`: every member, by username.
pub async fn members(access_token: String, id: String) -> Result<Vec<Account>, ClientError> {
    let path = id_path("/groups", &id, "/members")?;
    every_page(&access_token, &path).await
}

/// `PUT` (`member`) or `DELETE` (not `member`) `/groups/{id}/members/{account_id}` → 204; both
/// are idempotent.
pub async fn set_member(
    access_token: String,
    id: String,
    account_id: String,
    member: bool,
) -> Result<(), ClientError> {
    let group = id_path("/groups", &id, "/members")?;
    let path = id_path(&group, &account_id, "")?;
    let builder = if member {
        Request::put(&url(&path))
    } else {
        Request::delete(&url(&path))
    };
    no_content(builder, &access_token).await
}
