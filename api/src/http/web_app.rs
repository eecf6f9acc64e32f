//! The built web app: static files from `POSTWARDEN_WEB_DIR`, and `index.html` for every
//! unknown path outside the API so that deep links and reloads work.

use std::path::PathBuf;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};

use crate::error::Error;

fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path == "/api" || path == "/healthz" || path == "/readyz"
}

pub fn files(dir: PathBuf) -> actix_files::Files {
    let index = dir.join("index.html");
    actix_files::Files::new("/", dir)
        .index_file("index.html")
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                let response = if is_api(req.path()) {
                    Error::not_found(&format!("route {} {}", req.method(), req.path()))
                        .error_response()
                } else {
                    match actix_files::NamedFile::open_async(&index).await {
                        Ok(file) => file.into_response(&req),
                        Err(_) => HttpResponse::NotFound()
                            .content_type("text/plain")
                            .body("the web app is not built"),
                    }
                };
                Ok(ServiceResponse::new(req, response))
            }
        }))
}

/// How browsers may cache the web app's files. A build's module, loader and chunks live under
/// `/app/<content hash>/` and never change (the next build has another folder): they are kept
/// for a year. The rest (`index.html`, which names the current build, the style sheets) is
/// checked again on every use (`no-cache`; the ETag keeps the check cheap), so that a new build
/// is picked up at once. API answers are left alone.
pub async fn cache_policy(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path().to_owned();
    let mut res = next.call(req).await?;
    let served = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    if served && !is_api(&path) {
        let policy = if path.starts_with("/app/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        res.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    Ok(res)
}
