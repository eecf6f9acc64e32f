//! Extractors: the request context and the signed-in caller, with role checks.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use ipnet::IpNet;
use shared::dto::Role;
use uuid::Uuid;

use super::scopes::{self, Access};
use crate::error::Error;
use crate::service::Services;
use crate::service::audit::Ctx;
use crate::service::sessions::{self, Principal};

/// The request id given to every request by its span ([`super::middleware::RequestSpan`]).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn services(req: &HttpRequest) -> Result<web::Data<Services>, Error> {
    req.app_data::<web::Data<Services>>()
        .cloned()
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("services are not registered")))
}

/// The anonymous context of a request, at the time of the server's clock.
pub fn context(req: &HttpRequest, s: &Services) -> Ctx {
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    Ctx {
        actor: "anonymous".into(),
        request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
        client_ip: req
            .peer_addr()
            .map(|a| client_ip(a.ip(), &forwarded, &s.config.trusted_proxies).to_string()),
        now: s.clock.now(),
        clock: s.clock.clone(),
    }
}

/// The client's address: the TCP peer, unless the peer is a trusted proxy; then the rightmost
/// `X-Forwarded-For` hop that is not a trusted proxy (hops further left are whatever the client
/// chose to send). Without trusted proxies the header is ignored. A hop that is not an address
/// ends the walk at the last trusted one.
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer;
    if !is_trusted(&client) {
        return client;
    }
    let hops = forwarded_for.iter().flat_map(|v| v.split(','));
    for hop in hops.collect::<Vec<_>>().into_iter().rev() {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else {
            return client;
        };
        client = ip;
        if !is_trusted(&client) {
            break;
        }
    }
    client
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
        let principal =
            sessions::authenticate(&s, token, ctx.now, ctx.client_ip.as_deref()).await?;
        if principal.scopes().is_some() {
            // An API key: the route table says what it needs, and most of what only a person
            // may do is not in it.
            let pattern = req.match_pattern().unwrap_or_default();
            match scopes::access(req.method().as_str(), &pattern) {
                Some(Access::Key(needed)) => principal.require(needed)?,
                _ => {
                    return Err(Error::forbidden(
                        "an API key cannot use this route; sign in",
                    ));
                }
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_rightmost_hop_no_trusted_proxy_added() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()];
        let client = |peer, hops: &[&str]| client_ip(ip(peer), hops, &proxies);
        // Not through a trusted proxy: the header is anyone's to write.
        assert_eq!(client("203.0.113.9", &["198.51.100.1"]), ip("203.0.113.9"));
        // Through one: what it added, the hop before it.
        assert_eq!(client("10.0.0.2", &["198.51.100.1"]), ip("198.51.100.1"));
        // A forged hop on the left does not count; two proxies in a row are skipped.
        assert_eq!(
            client("10.0.0.2", &["1.2.3.4, 198.51.100.1", "10.0.0.7"]),
            ip("198.51.100.1")
        );
        // Only proxies: the leftmost of them. Nothing sent: the peer.
        assert_eq!(client("10.0.0.2", &["10.1.1.1"]), ip("10.1.1.1"));
        assert_eq!(client("10.0.0.2", &[]), ip("10.0.0.2"));
        // Garbage ends the walk at the last proxy seen.
        assert_eq!(
            client("10.0.0.2", &["198.51.100.1, nonsense"]),
            ip("10.0.0.2")
        );
        assert_eq!(client("::1", &["2001:db8::5"]), ip("2001:db8::5"));
        // No trusted proxies at all: always the peer.
        assert_eq!(
            client_ip(ip("10.0.0.2"), &["198.51.100.1"], &[]),
            ip("10.0.0.2")
        );
    }
}
