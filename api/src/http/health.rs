//! Liveness and readiness.

use actix_web::{HttpResponse, get, web};

use crate::service::Services;

/// 200 while the process is up.
#[utoipa::path(tag = "health", responses((status = 200, description = "Up")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// 200 when the database answers, else 503.
#[utoipa::path(tag = "health", responses((status = 200, description = "Ready"), (status = 503, description = "The database does not answer")))]
#[get("/readyz")]
pub async fn readyz(s: web::Data<Services>) -> HttpResponse {
    if s.ready().await {
        HttpResponse::Ok().content_type("text/plain").body("ready")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unavailable")
    }
}
