//! The built web app: static files from `POSTWARDEN_WEB_DIR`, and `index.html` for every
//! unknown path outside the API so that deep links and reloads work.

use std::path::PathBuf;

use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
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
