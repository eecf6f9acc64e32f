//! Extractors: the request context and the signed-in caller, with role checks.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use shared::dto::Role;
use uuid::Uuid;

use crate::error::Error;
use crate::service::Services;
use crate::service::audit::Ctx;
use crate::service::sessions::{self, Principal};

/// The request id given to every request by the request-id middleware.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn services(req: &HttpRequest) -> Result<web::Data<Services>, Error> {
    req.app_data::<web::Data<Services>>()
        .cloned()
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("services are not registered")))
}

/// The anonymous context of a request, at the time of the server's clock.
pub fn context(req: &HttpRequest, s: &Services) -> Ctx {
    Ctx {
        actor: "anonymous".into(),
        request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
        client_ip: req.peer_addr().map(|a| a.ip().to_string()),
        now: s.clock.now(),
        clock: s.clock.clone(),
    }
}

/// The bearer token of the request, if any.
pub fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequest for Ctx {
    type Error = Error;
    type Future = std::future::Ready<Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(services(req).map(|s| context(req, &s)))
    }
}

/// Any signed-in account: operator, admin or user.
#[derive(Debug, Clone)]
pub struct Auth {
    pub principal: Principal,
    /// The request context, with the caller as actor.
    pub ctx: Ctx,
}

impl Auth {
    async fn extract(req: HttpRequest) -> Result<Self, Error> {
        let s = services(&req)?;
        let token = bearer(&req).ok_or_else(|| {
            Error::unauthorized("sign in first: send Authorization: Bearer <token>")
        })?;
        let ctx = context(&req, &s);
        let principal = sessions::authenticate(&s, token, ctx.now).await?;
        let ctx = ctx.with_actor(principal.actor());
        Ok(Self { principal, ctx })
    }
}

impl FromRequest for Auth {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(Self::extract(req.clone()))
    }
}

/// An organization's administrator; `org` is their organization.
#[derive(Debug, Clone)]
pub struct Admin {
    pub auth: Auth,
    pub org: Uuid,
}

impl FromRequest for Admin {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let auth = Auth::extract(req).await?;
            match (auth.principal.role, auth.principal.org()) {
                (Role::Admin, Some(org)) => Ok(Self { auth, org }),
                (Role::Operator, _) => Err(Error::forbidden(
                    "operators have no organization; this route is for administrators",
                )),
                _ => Err(Error::forbidden("only administrators may do this")),
            }
        })
    }
}

/// The provider's staff.
#[derive(Debug, Clone)]
pub struct Operator(pub Auth);

impl FromRequest for Operator {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let auth = Auth::extract(req).await?;
            if auth.principal.role == Role::Operator {
                Ok(Self(auth))
            } else {
                Err(Error::forbidden("only operators may do this"))
            }
        })
    }
}

/// An admin or an operator (routes both may read).
#[derive(Debug, Clone)]
pub struct AdminOrOperator(pub Auth);

impl FromRequest for AdminOrOperator {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let auth = Auth::extract(req).await?;
            match auth.principal.role {
                Role::Admin | Role::Operator => Ok(Self(auth)),
                Role::User => Err(Error::forbidden(
                    "only administrators and operators may do this",
                )),
            }
        })
    }
}

/// A path id: anything but a UUID is 404, like an id that does not exist.
pub fn parse_id(raw: &str, what: &str) -> Result<Uuid, Error> {
    Uuid::parse_str(raw).map_err(|_| Error::not_found(what))
}
