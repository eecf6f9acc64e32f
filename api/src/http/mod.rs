//! The HTTP layer: handlers only extract input, call one service operation and shape the
//! answer. The routes are listed once (`api_v1_routes!`): registered as they are for serving,
//! and through utoipa-actix-web, which builds the OpenAPI document from that same list.

pub mod accounts;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod credit;
pub mod domains;
pub mod extract;
pub mod groups;
pub mod health;
pub mod input;
pub mod limits;
pub mod mail;
pub mod me;
pub mod middleware;
pub mod openapi;
pub mod operator;
pub mod organization;
pub mod scopes;
pub mod web_app;

use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use shared::ErrorCode;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::Error;

/// Every route under `/api/v1`, listed once for both registrations below.
macro_rules! api_v1_routes {
    ($cfg:expr) => {
        $cfg.service(auth::signup)
            .service(auth::login)
            .service(auth::refresh)
            .service(auth::logout)
            .service(auth::password_reset)
            .service(auth::password_reset_confirm)
            .service(me::get_me)
            .service(me::patch_me)
            .service(me::change_password)
            .service(me::put_photo)
            .service(me::get_photo)
            .service(me::delete_photo)
            .service(organization::get_organization)
            .service(organization::patch_organization)
            .service(organization::list_plans)
            .service(accounts::list_accounts)
            .service(accounts::create_account)
            .service(accounts::get_account)
            .service(accounts::patch_account)
            .service(accounts::delete_account)
            .service(accounts::set_password)
            .service(accounts::disable_account)
            .service(accounts::enable_account)
            .service(accounts::put_photo)
            .service(accounts::get_photo)
            .service(accounts::delete_photo)
            .service(accounts::quote_subscription)
            .service(accounts::change_subscription)
            .service(accounts::list_aliases)
            .service(accounts::add_alias)
            .service(accounts::delete_alias)
            .service(domains::list_domains)
            .service(domains::add_domain)
            .service(domains::get_domain)
            .service(domains::verify_domain)
            .service(domains::check_domain)
            .service(domains::delete_domain)
            .service(mail::mail_route)
            .service(groups::list_groups)
            .service(groups::create_group)
            .service(groups::get_group)
            .service(groups::patch_group)
            .service(groups::delete_group)
            .service(groups::list_members)
            .service(groups::add_member)
            .service(groups::remove_member)
            .service(audit::list_events)
            .service(api_keys::create_api_key)
            .service(api_keys::list_api_keys)
            .service(api_keys::get_api_key)
            .service(api_keys::revoke_api_key)
            .service(operator::list_organizations)
            .service(operator::create_organization)
            .service(operator::list_top_ups)
            .service(operator::list_outbox)
            .service(operator::confirm_top_up)
            .service(operator::adjust_credit)
            .service(operator::put_plan)
            .service(credit::get_credit)
            .service(credit::list_transactions)
            .service(credit::request_top_up)
            .service(credit::list_top_ups)
            .service(credit::payment_webhook)
    };
}

/// Registers every route under `/api/v1` for serving: plain actix, so that no worker builds the
/// OpenAPI path items of every route (a few MiB per worker, freed but kept by the allocator).
pub fn api_v1(cfg: &mut web::ServiceConfig) {
    api_v1_routes!(cfg);
}

/// The same routes registered through utoipa-actix-web, which builds the OpenAPI document from
/// them ([`openapi::document`]).
pub fn api_v1_documented(cfg: &mut ServiceConfig) {
    api_v1_routes!(cfg);
}

/// The bodies the API accepts: JSON (and merge-patch JSON), 64 KiB at most.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limits::JSON)
        .content_type_required(true)
        .content_type(|mime| {
            mime.type_() == mime::APPLICATION
                && (mime.subtype() == mime::JSON
                    || mime.suffix() == Some(mime::JSON)
                    || mime.subtype() == "merge-patch+json")
        })
        .error_handler(|err, _req| {
            use actix_web::error::JsonPayloadError as E;
            let e = match &err {
                E::ContentType => Error::new(
                    ErrorCode::UnsupportedMediaType,
                    "send the body as application/json",
                ),
                E::Overflow { .. } | E::OverflowKnownLength { .. } => Error::new(
                    ErrorCode::PayloadTooLarge,
                    format!("the body is larger than {} KiB", limits::JSON / 1024),
                ),
                _ => Error::new(
                    ErrorCode::BadRequest,
                    format!("the body is not valid JSON: {err}"),
                ),
            };
            actix_web::error::InternalError::from_response(err, e.error_response()).into()
        })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let e = Error::new(
            ErrorCode::BadRequest,
            format!("the query string cannot be read: {err}"),
        );
        actix_web::error::InternalError::from_response(err, e.error_response()).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| {
        actix_web::error::InternalError::from_response(
            err,
            Error::not_found("resource").error_response(),
        )
        .into()
    })
}

/// Unknown API paths are problem+json 404s.
pub async fn api_not_found(req: HttpRequest) -> HttpResponse {
    Error::not_found(&format!("route {} {}", req.method(), req.path())).error_response()
}

/// Query string pairs, for handlers that check them with [`input::Query`].
pub type QueryPairs = web::Query<Vec<(String, String)>>;

/// 201 Created with a `Location` header.
/// An answer carrying a secret (tokens, a new API key): never stored for Idempotency-Key
/// replay, nor cached.
pub fn secret_json<T: serde::Serialize>(
    mut response: actix_web::HttpResponseBuilder,
    body: &T,
) -> HttpResponse {
    response
        .insert_header((middleware::NO_STORE, "1"))
        .insert_header(("Cache-Control", "no-store"))
        .json(body)
}

pub fn created<T: serde::Serialize>(location: String, body: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, location))
        .json(body)
}
