//! DNS lookups for domain verification and record checks, through the resolver of
//! `POSTWARDEN_DNS_RESOLVER` (or the system's), over UDP with TCP fallback, with bounded
//! timeouts so that a dead resolver is an answer in seconds. No caching: an admin who just
//! published a record wants it seen.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;
use hickory_resolver::{Resolver, TokioResolver};

#[derive(Debug, thiserror::Error)]
#[error("the DNS resolver did not answer: {0}")]
pub struct Unavailable(pub String);

#[derive(Clone)]
pub struct Dns {
    resolver: TokioResolver,
}

impl Dns {
    pub fn new(server: Option<SocketAddr>) -> anyhow::Result<Self> {
        let mut builder = match server {
            Some(addr) => {
                let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
                for connection in &mut ns.connections {
                    connection.port = addr.port();
                }
                Resolver::builder_with_config(
                    ResolverConfig::from_name_servers(vec![ns]),
                    TokioRuntimeProvider::default(),
                )
            }
            None => TokioResolver::builder_tokio()?,
        };
        let options = builder.options_mut();
        options.timeout = Duration::from_secs(2);
        options.attempts = 2;
        options.cache_size = 0;
        Ok(Self {
            resolver: builder.build()?,
        })
    }

    /// The TXT strings at `name` (each record's character-strings joined); none when the name
    /// or the records do not exist.
    pub async fn txt(&self, name: &str) -> Result<Vec<String>, Unavailable> {
        match self.resolver.txt_lookup(format!("{name}.")).await {
            Ok(lookup) => Ok(lookup
                .answers()
                .iter()
                .filter_map(|r| match &r.data {
                    RData::TXT(txt) => Some(
                        txt.txt_data
                            .iter()
                            .map(|part| String::from_utf8_lossy(part))
                            .collect::<String>(),
                    ),
                    _ => None,
                })
                .collect()),
            Err(e) if e.is_no_records_found() => Ok(vec![]),
            Err(e) => Err(Unavailable(e.to_string())),
        }
    }

    /// The MX hosts at `name` (lowercase, without the final dot), by preference.
    pub async fn mx(&self, name: &str) -> Result<Vec<String>, Unavailable> {
        match self.resolver.mx_lookup(format!("{name}.")).await {
            Ok(lookup) => {
                let mut hosts: Vec<(u16, String)> = lookup
                    .answers()
                    .iter()
                    .filter_map(|r| match &r.data {
                        RData::MX(mx) => Some((
                            mx.preference,
                            mx.exchange.to_ascii().trim_end_matches('.').to_lowercase(),
                        )),
                        _ => None,
                    })
                    .collect();
                hosts.sort();
                Ok(hosts.into_iter().map(|(_, h)| h).collect())
            }
            Err(e) if e.is_no_records_found() => Ok(vec![]),
            Err(e) => Err(Unavailable(e.to_string())),
        }
    }
}
