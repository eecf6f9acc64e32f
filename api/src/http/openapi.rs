//! The OpenAPI 3.1 document, generated from the registered routes. The error answers every
//! route shares (401/403 when signed in, 400/413/415/422 for bodies, 404 for path ids, 422 for
//! queries, 500) are added here in one place, so no handler can forget them.

use actix_web::App;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder, schema};
use utoipa::{Modify, OpenApi as _};
use utoipa_actix_web::{AppExt, scope};

use super::scopes::{self, Access};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Postwarden API",
        description = "Administration of an email-hosting provider: organizations, accounts, sessions, credit, domains and groups. Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    servers((url = "/", description = "The server that serves this document")),
    modifiers(&Security),
    tags(
        (name = "sessions", description = "Sign-up, sign-in, tokens, password reset"),
        (name = "me", description = "Self-service of the signed-in account"),
        (name = "organization", description = "The admin's organization and the plan catalog"),
        (name = "accounts", description = "Accounts of the organization (admins)"),
        (name = "domains", description = "The organization's own mail domains, proved over DNS (admins)"),
        (name = "mail", description = "What the mail server does with an address"),
        (name = "groups", description = "Groups of accounts and their distribution addresses (admins)"),
        (name = "credit", description = "Prepaid credit: balance, ledger, top-ups, payment webhook"),
        (name = "audit", description = "Audit events"),
        (name = "api-keys", description = "API keys for integrators and scripts (admins signed in)"),
        (name = "operator", description = "The provider's staff"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT access token")
                    .description(Some(
                        "An access token from /api/v1/auth/login or /api/v1/signup",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("pwk_ API key")
                    .description(Some(
                        "An API key (`Authorization: Bearer pwk_…`) made at /api/v1/api-keys. \
                         Each operation lists the scopes a key needs; operations without an \
                         `api_key` entry refuse keys (403).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document of every route the server serves.
pub fn document() -> OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(crate::http::health::healthz)
        .service(crate::http::health::readyz)
        .service(scope::scope("/api/v1").configure(crate::http::api_v1_documented))
        .split_for_parts();
    complete(&mut doc);
    doc
}

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

fn add(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| problem(description));
}

fn complete(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            ("GET", &mut item.get),
            ("POST", &mut item.post),
            ("PUT", &mut item.put),
            ("PATCH", &mut item.patch),
            ("DELETE", &mut item.delete),
        ];
        for (method, op) in operations {
            let Some(op) = op.as_mut() else { continue };
            // Who may call it, from the one route table.
            match scopes::access(method, path) {
                // An empty list says so explicitly: no credentials at all.
                None | Some(Access::Public) => op.security = Some(vec![]),
                Some(Access::Session) => {
                    op.security = Some(vec![SecurityRequirement::new(
                        "bearer",
                        Vec::<String>::new(),
                    )]);
                }
                Some(Access::Key(needed)) => {
                    op.security = Some(vec![
                        SecurityRequirement::new("bearer", Vec::<String>::new()),
                        SecurityRequirement::new("api_key", needed.iter().map(|s| s.as_str())),
                    ]);
                }
            }
            if op.summary.is_none() {
                op.summary = op.operation_id.as_deref().map(summary_of);
            }
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            if secured {
                add(
                    op,
                    "401",
                    "`unauthorized`: no, invalid, expired or revoked access token",
                );
                add(
                    op,
                    "403",
                    "`forbidden`: the caller's role may not use this route, or the API key lacks a scope (`missing_scope` names them)",
                );
            }
            if path.contains('{') {
                add(
                    op,
                    "404",
                    "`not_found`: no such resource in the caller's organization (ids of other organizations included)",
                );
            }
            if let Some(RefOr::T(body)) = &op.request_body {
                let json = body.content.keys().any(|k| k.contains("json"));
                if json {
                    add(op, "400", "`bad_request`: the body is not valid JSON");
                    add(op, "413", "`payload_too_large`: the body is over 64 KiB");
                    add(
                        op,
                        "415",
                        "`unsupported_media_type`: the body is not application/json",
                    );
                }
                add(
                    op,
                    "422",
                    "`validation_failed`: `errors` names every invalid, unknown or missing field",
                );
            }
            let has_query = op.parameters.as_ref().is_some_and(|ps| {
                ps.iter()
                    .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query))
            });
            if has_query {
                add(
                    op,
                    "422",
                    "`validation_failed`: an unknown or invalid query parameter",
                );
            }
            if method == "POST" && secured {
                op.parameters.get_or_insert_with(Vec::new).push(
                    ParameterBuilder::new()
                        .name("Idempotency-Key")
                        .parameter_in(ParameterIn::Header)
                        .required(utoipa::openapi::Required::False)
                        .description(Some("Retries with the same key and body replay the first answer (kept 24 h)"))
                        .schema(Some(schema::Object::with_type(schema::Type::String)))
                        .build()
                        .into(),
                );
                add(
                    op,
                    "409",
                    "`conflict`: a request with the same Idempotency-Key is still running",
                );
                add(
                    op,
                    "422",
                    "`idempotency_key_reused`: the Idempotency-Key was used with another body",
                );
            }
            add(
                op,
                "500",
                "`internal`: an unexpected error, logged with the request id",
            );
            binary_images(op);
        }
    }
    unique_operation_ids(doc);
}

/// A summary for an operation whose handler has no doc comment: its id in words
/// (`list_accounts` → "List accounts").
fn summary_of(id: &str) -> String {
    let words = id.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Image bodies and answers (photos) as what they are, `type: string, format: binary`, so
/// generated clients send and receive files rather than arrays of integers.
fn binary_images(op: &mut Operation) {
    let binary = || {
        RefOr::T(schema::Schema::Object(
            schema::ObjectBuilder::new()
                .schema_type(schema::Type::String)
                .format(Some(schema::SchemaFormat::KnownFormat(
                    schema::KnownFormat::Binary,
                )))
                .build(),
        ))
    };
    let images = |content: &mut RefOr<utoipa::openapi::Content>, kind: &str| {
        if let RefOr::T(content) = content
            && kind.starts_with("image/")
        {
            content.schema = Some(binary());
        }
    };
    if let Some(RefOr::T(body)) = op.request_body.as_mut() {
        for (kind, content) in body.content.iter_mut() {
            images(content, kind);
        }
    }
    for response in op.responses.responses.values_mut() {
        if let RefOr::T(response) = response {
            for (kind, content) in response.content.iter_mut() {
                images(content, kind);
            }
        }
    }
}

/// An operation id used by two routes (the handlers of `/me/photo` and
/// `/accounts/{id}/photo` share their names) becomes `<tag>_<id>` on each, so that every
/// operation of the document has its own.
fn unique_operation_ids(doc: &mut OpenApi) {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for item in doc.paths.paths.values() {
        for op in [&item.get, &item.post, &item.put, &item.patch, &item.delete]
            .into_iter()
            .flatten()
        {
            if let Some(id) = &op.operation_id {
                *seen.entry(id.clone()).or_default() += 1;
            }
        }
    }
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let Some(id) = op.operation_id.clone() else {
                continue;
            };
            if seen.get(&id).is_some_and(|n| *n > 1) {
                let tag = op
                    .tags
                    .as_ref()
                    .and_then(|t| t.first())
                    .map_or("api".to_owned(), |t| t.replace('-', "_"));
                op.operation_id = Some(format!("{tag}_{id}"));
            }
        }
    }
}

/// The document as served at `/api/v1/openapi.json`: made on the first request, then kept as
/// its bytes (about 240 KB; the `OpenApi` value itself takes about 3.6 MiB).
pub fn served() -> actix_web::web::Bytes {
    static JSON: std::sync::OnceLock<actix_web::web::Bytes> = std::sync::OnceLock::new();
    JSON.get_or_init(|| pretty_json().into()).clone()
}

/// The document as committed in `openapi/openapi.json`.
pub fn pretty_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
