//! Typed settings from the environment (API.md, "Process contract"). Secrets never appear in
//! `Debug` output.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};

/// A secret string: `Debug` prints `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub provider_domain: String,
    pub abuse_address: String,
    pub mx_hosts: Vec<String>,
    pub dns_resolver: Option<SocketAddr>,
    pub jwt_secret: Option<Secret>,
    pub secret_key: Option<Secret>,
    /// Base of links in mails; `None` means `http://<bound address>`.
    pub public_url: Option<String>,
    pub smtp_from: String,
    pub smtp_url: Option<Secret>,
    pub currency: String,
    pub yearly_discount_percent: u8,
    pub renewal_interval_secs: u64,
    pub login_max_failures: u32,
    pub login_window_secs: u64,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`POSTWARDEN_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub web_dir: PathBuf,
    pub signup: bool,
    pub payment_webhook_secret: Option<Secret>,
    pub operator_username: Option<String>,
    pub operator_password: Option<Secret>,
    pub log: String,
    pub log_json: bool,
}

fn parse<T: std::str::FromStr>(name: &str, value: Option<String>, default: T) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    match value {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|e| anyhow::anyhow!("{name}={v:?}: {e}")),
    }
}

/// A comma-separated list of networks (`10.0.0.0/8, 2001:db8::/32`); a bare address is a
/// network of one.
fn parse_networks(name: &str, value: &str) -> anyhow::Result<Vec<ipnet::IpNet>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse::<ipnet::IpNet>()
                .or_else(|_| v.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| anyhow::anyhow!("{name}: {v:?} is not an address or a CIDR network"))
        })
        .collect()
}

impl Config {
    /// Reads every `POSTWARDEN_*` variable and `DATABASE_URL`, applying API.md's defaults.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The same, from any source of variables (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(var("POSTWARDEN_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let provider_domain = shared::value::DomainName::parse(
            &var("POSTWARDEN_PROVIDER_DOMAIN").unwrap_or_else(|| "postwarden.test".into()),
        )
        .map_err(|e| anyhow::anyhow!("POSTWARDEN_PROVIDER_DOMAIN: {e}"))?
        .to_string();
        let database_url = var("DATABASE_URL").unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("postwarden.db").display()
            )
        });
        let currency = var("POSTWARDEN_CURRENCY")
            .unwrap_or_else(|| "EUR".into())
            .to_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            bail!("POSTWARDEN_CURRENCY must be an ISO 4217 code like EUR");
        }
        let yearly_discount_percent: u8 = parse(
            "POSTWARDEN_YEARLY_DISCOUNT_PERCENT",
            var("POSTWARDEN_YEARLY_DISCOUNT_PERCENT"),
            0,
        )?;
        if yearly_discount_percent > 100 {
            bail!("POSTWARDEN_YEARLY_DISCOUNT_PERCENT must be between 0 and 100");
        }
        let dns_resolver = match var("POSTWARDEN_DNS_RESOLVER") {
            None => None,
            Some(v) => Some(
                v.parse()
                    .with_context(|| format!("POSTWARDEN_DNS_RESOLVER={v:?}"))?,
            ),
        };
        Ok(Self {
            bind: parse(
                "POSTWARDEN_BIND",
                var("POSTWARDEN_BIND"),
                SocketAddr::from(([127, 0, 0, 1], 8080)),
            )?,
            abuse_address: var("POSTWARDEN_ABUSE_ADDRESS")
                .unwrap_or_else(|| format!("abuse@{provider_domain}")),
            mx_hosts: var("POSTWARDEN_MX_HOSTS")
                .map(|v| {
                    v.split(',')
                        .map(|h| h.trim().to_lowercase())
                        .filter(|h| !h.is_empty())
                        .collect()
                })
                .unwrap_or_else(|| vec![format!("mx1.{provider_domain}")]),
            dns_resolver,
            jwt_secret: var("POSTWARDEN_JWT_SECRET").map(Secret),
            secret_key: var("POSTWARDEN_SECRET_KEY").map(Secret),
            public_url: var("POSTWARDEN_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned()),
            smtp_from: var("POSTWARDEN_SMTP_FROM")
                .unwrap_or_else(|| format!("no-reply@{provider_domain}")),
            smtp_url: var("POSTWARDEN_SMTP_URL").map(Secret),
            currency,
            yearly_discount_percent,
            renewal_interval_secs: parse(
                "POSTWARDEN_RENEWAL_INTERVAL_SECS",
                var("POSTWARDEN_RENEWAL_INTERVAL_SECS"),
                60,
            )?,
            login_max_failures: parse(
                "POSTWARDEN_LOGIN_MAX_FAILURES",
                var("POSTWARDEN_LOGIN_MAX_FAILURES"),
                10,
            )?,
            login_window_secs: parse(
                "POSTWARDEN_LOGIN_WINDOW_SECS",
                var("POSTWARDEN_LOGIN_WINDOW_SECS"),
                900,
            )?,
            trusted_proxies: var("POSTWARDEN_TRUSTED_PROXIES")
                .map(|v| parse_networks("POSTWARDEN_TRUSTED_PROXIES", &v))
                .transpose()?
                .unwrap_or_default(),
            web_dir: PathBuf::from(var("POSTWARDEN_WEB_DIR").unwrap_or_else(|| "web/dist".into())),
            signup: parse("POSTWARDEN_SIGNUP", var("POSTWARDEN_SIGNUP"), true)?,
            payment_webhook_secret: var("POSTWARDEN_PAYMENT_WEBHOOK_SECRET").map(Secret),
            operator_username: var("POSTWARDEN_OPERATOR_USERNAME"),
            operator_password: var("POSTWARDEN_OPERATOR_PASSWORD").map(Secret),
            log: var("POSTWARDEN_LOG").unwrap_or_else(|| "info".into()),
            log_json: var("POSTWARDEN_LOG_FORMAT").is_some_and(|f| f == "json"),
            data_dir,
            database_url,
            provider_domain,
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_are_networks_or_addresses() {
        let nets = parse_networks("X", "10.0.0.0/8, 192.0.2.7,,2001:db8::/32").unwrap();
        assert_eq!(nets.len(), 3);
        assert!(nets[1].contains(&"192.0.2.7".parse::<std::net::IpAddr>().unwrap()));
        let e = parse_networks("POSTWARDEN_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("POSTWARDEN_TRUSTED_PROXIES") && e.contains("proxy.local"),
            "{e}"
        );
    }
}
