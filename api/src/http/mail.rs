//! What the mail server will do with an address.

use actix_web::{HttpResponse, get, web};
use shared::dto::{MailRoute, Role};
use shared::value::EmailAddress;

use super::QueryPairs;
use super::extract::AdminOrOperator;
use super::input::{Query, present};
use crate::error::{Error, Result};
use crate::service::{Services, routing};

/// Where mail to `address` goes: `deliver` to mailboxes, `expand` a group to its active
/// members, or `reject` with a reason. Admins may ask about their own organization's addresses
/// and domains only (others are 404); operators about any.
#[utoipa::path(
    tag = "mail",
    params(("address" = String, Query, description = "The recipient address (case and IDNA variants are normalized)")),
    responses((status = 200, description = "The route", body = MailRoute)),
    security(("bearer" = []))
)]
#[get("/mail/route")]
pub async fn mail_route(
    s: web::Data<Services>,
    caller: AdminOrOperator,
    query: QueryPairs,
) -> Result<HttpResponse> {
    let mut q = Query::new(&query, &["address"]);
    let address = q.get("address", EmailAddress::parse);
    if address.is_none() && !query.iter().any(|(k, _)| k == "address") {
        return Err(Error::field("address", "is required"));
    }
    q.finish()?;
    let address = present(address)?;
    if caller.0.principal.role != Role::Operator
        && !routing::held_by(&s, caller.0.principal.org(), &address).await?
    {
        return Err(Error::not_found("address"));
    }
    Ok(HttpResponse::Ok().json(routing::route(&s, &address).await?))
}
