//! Email domains: add, verify ownership, check the DNS records, remove. Also the list helpers
//! the directory calls share.

use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use shared::dto::{Domain, DomainRequest, Page};
use shared::{ErrorCode, Problem};

use super::{ClientError, bearer, build, json, looks_like_uuid, send, url, with_json};

/// The largest page the server gives.
const PAGE_LIMIT: &str = "200";

/// Every item of a list route, following `next_cursor` page by page.
pub(crate) async fn every_page<T: DeserializeOwned>(
    access_token: &str,
    path: &str,
) -> Result<Vec<T>, ClientError> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("limit", PAGE_LIMIT)];
        if let Some(cursor) = cursor.as_deref() {
            query.push(("cursor", cursor));
        }
        let builder = Request::get(&url(path)).query(query);
        let page: Page<T> = json(send(build(bearer(builder, access_token))?).await?).await?;
        items.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(items),
        }
    }
}

/// `path` when `id` is a UUID; otherwise `not_found`, without asking the server.
pub(crate) fn id_path(prefix: &str, id: &str, rest: &str) -> Result<String, ClientError> {
    if looks_like_uuid(id) {
        return Ok(format!("{prefix}/{id}{rest}"));
    }
    Err(ClientError::Problem {
        problem: Box::new(Problem::new(ErrorCode::NotFound, "No such item.")),
        retry_after: None,
    })
}

/// Sends a request without a body and reads the answer.
pub(crate) async fn answer<T: DeserializeOwned>(
    builder: RequestBuilder,
    access_token: &str,
) -> Result<T, ClientError> {
    json(send(build(bearer(builder, access_token))?).await?).await
}

/// Sends a request without a body that answers 204.
pub(crate) async fn no_content(
    builder: RequestBuilder,
    access_token: &str,
) -> Result<(), ClientError> {
    send(build(bearer(builder, access_token))?).await.map(drop)
}

/// `GET /domains`: every domain of the organization, by name.
pub async fn domains(access_token: String) -> Result<Vec<Domain>, ClientError> {
    every_page(&access_token, "/domains").await
}

/// `GET /domains/{id}`: the domain, its verification record and the records to publish (their
/// status `unchecked` until a check).
pub async fn domain(access_token: String, id: String) -> Result<Domain, ClientError> {
    let path = id_path("/domains", &id, "")?;
    answer(Request::get(&url(&path)), &access_token).await
}

/// `POST /domains` → 201 the pending domain. The server turns internationalized names into
/// punycode.
pub async fn add_domain(access_token: String, name: String) -> Result<Domain, ClientError> {
    let builder = bearer(Request::post(&url("/domains")), &access_token);
    let response = send(with_json(builder, &DomainRequest { name })?).await?;
    json(response).await
}

/// `POST /domains/{id}/verify`: looks the TXT record up; 409 `domain_not_verified` with the
/// TXT values found (`found`) when it is not there.
pub async fn verify_domain(access_token: String, id: String) -> Result<Domain, ClientError> {
    let path = id_path("/domains", &id, "/verify")?;
    answer(Request::post(&url(&path)), &access_token).await
}

/// `POST /domains/{id}/check`: the domain with every record's live status.
pub async fn check_domain(access_token: String, id: String) -> Result<Domain, ClientError> {
    let path = id_path("/domains", &id, "/check")?;
    answer(Request::post(&url(&path)), &access_token).await
}

/// `DELETE /domains/{id}` → 204; 409 `domain_in_use` (`address_count`) while addresses use it.
pub async fn remove_domain(access_token: String, id: String) -> Result<(), ClientError> {
    let path = id_path("/domains", &id, "")?;
    no_content(Request::delete(&url(&path)), &access_token).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_uuid_ids_reach_the_server() {
        let id = "0190c5d4-3b1e-7c2a-9f00-000000000001";
        assert_eq!(
            id_path("/domains", id, "/verify").ok().as_deref(),
            Some("/domains/0190c5d4-3b1e-7c2a-9f00-000000000001/verify")
        );
        let refused = id_path("/domains", "../accounts", "");
        assert_eq!(
            refused.err().and_then(|e| e.code()),
            Some(ErrorCode::NotFound)
        );
    }
}
