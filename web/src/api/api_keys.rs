//! API keys (administrators signed in).

use gloo_net::http::Request;
use shared::dto::{ApiKey, CreateApiKeyRequest, CreatedApiKey};

use super::{ClientError, bearer, every_page, id_path, json, no_content, send, url, with_json};

/// `GET /api-keys`: every key of the organization, newest first.
pub async fn api_keys(access_token: String) -> Result<Vec<ApiKey>, ClientError> {
    every_page(&access_token, "/api-keys").await
}

/// `POST /api-keys` → 201 the key with its secret, shown this once.
pub async fn create_api_key(
    access_token: String,
    request: CreateApiKeyRequest,
) -> Result<CreatedApiKey, ClientError> {
    let builder = bearer(Request::post(&url("/api-keys")), &access_token);
    json(send(with_json(builder, &request)?).await?).await
}

/// `DELETE /api-keys/{id}` → 204: the key stops working at once.
pub async fn revoke_api_key(access_token: String, id: String) -> Result<(), ClientError> {
    let path = id_path("/api-keys", &id, "")?;
    no_content(Request::delete(&url(&path)), &access_token).await
}
