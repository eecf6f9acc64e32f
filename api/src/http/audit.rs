//! Audit events: admins read their organization's, operators everybody's.

use actix_web::{HttpResponse, get, web};

use shared::dto::{AuditEvent, Page, Role};
use shared::value::Invalid;

use super::QueryPairs;
use super::extract::AdminOrOperator;
use super::input::{Query, rfc3339};
use crate::error::Result;
use crate::service::Services;
use crate::service::audit::{self, Filter};

#[utoipa::path(
    tag = "audit",
    params(
        ("action" = Option<String>, Query, description = "Exact action, like `account.disabled`"),
        ("actor" = Option<String>, Query, description = "Exact actor, like `account:<id>`"),
        ("target" = Option<String>, Query, description = "Exact target, like `account:<id>`"),
        ("since" = Option<DateTime<Utc>>, Query, description = "RFC 3339; events at or after it"),
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "Events, newest first", body = Page<AuditEvent>)),
    security(("bearer" = []))
)]
#[get("/audit-events")]
pub async fn list_events(
    s: web::Data<Services>,
    caller: AdminOrOperator,
    query: QueryPairs,
) -> Result<HttpResponse> {
    let mut q = Query::new(
        &query,
        &["action", "actor", "target", "since", "limit", "cursor"],
    );
    let (limit, cursor) = q.page();
    let text = |v: &str| Ok::<_, Invalid>(v.to_owned());
    let filter = Filter {
        organization_id: match caller.0.principal.role {
            Role::Operator => None,
            _ => caller.0.principal.org(),
        },
        action: q.get("action", text),
        actor: q.get("actor", text),
        target: q.get("target", text),
        since: q.get("since", rfc3339),
    };
    q.finish()?;
    Ok(HttpResponse::Ok().json(audit::list(&s, filter, limit, cursor.as_deref()).await?))
}
