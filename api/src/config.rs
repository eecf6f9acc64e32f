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

/// A CIDR network (`10.0.0.0/8`), or a bare address as a network of one.
pub fn network(value: &str) -> Option<ipnet::IpNet> {
    value
        .parse::<ipnet::IpNet>()
        .or_else(|_| value.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .ok()
}

/// A comma-separated list of networks (`10.0.0.0/8, 2001:db8::/32`), each as [`network`].
fn parse_networks(name: &str, value: &str) -> anyhow::Result<Vec<ipnet::IpNet>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            network(v)
                .ok_or_else(|| anyhow::anyhow!("{name}: {v:?} is not an address or a CIDR network"))
        })
        .collect()
}

/// The shortest JWT signing secret accepted (HS256 wants at least the hash's 256 bits).
pub const MIN_JWT_SECRET_BYTES: usize = 32;

/// A secret given as `NAME`, or read from the file named by `NAME_FILE` (the production
/// setting: then it is not kept in the database it protects). Both at once is an error; one
/// trailing newline of the file is dropped.
fn secret(var: &impl Fn(&str) -> Option<String>, name: &str) -> anyhow::Result<Option<Secret>> {
    let file_var = format!("{name}_FILE");
    match (var(name), var(&file_var)) {
        (Some(_), Some(_)) => bail!("set {name} or {file_var}, not both"),
        (Some(value), None) => Ok(Some(Secret(value))),
        (None, Some(path)) => {
            let value = std::fs::read_to_string(&path)
                .with_context(|| format!("{file_var}: reading {path}"))?;
            let value = value
                .strip_suffix('\n')
                .map(|v| v.strip_suffix('\r').unwrap_or(v))
                .unwrap_or(&value);
            if value.is_empty() {
                bail!("{file_var}: {path} is empty");
            }
            Ok(Some(Secret(value.to_owned())))
        }
        (None, None) => Ok(None),
    }
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
        let jwt_secret = secret(&var, "POSTWARDEN_JWT_SECRET")?;
        if let Some(Secret(v)) = &jwt_secret
            && v.len() < MIN_JWT_SECRET_BYTES
        {
            bail!(
                "POSTWARDEN_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes (it has {})",
                v.len()
            );
        }
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
            jwt_secret,
            secret_key: secret(&var, "POSTWARDEN_SECRET_KEY")?,
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

    fn config(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let vars: std::collections::HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn secrets_come_from_a_variable_or_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let jwt = dir.path().join("jwt");
        let long = "s".repeat(40);
        std::fs::write(&jwt, format!("{long}\n")).unwrap();
        let key = dir.path().join("key");
        std::fs::write(&key, "data key").unwrap();
        let jwt_path = jwt.to_str().unwrap();
        let c = config(&[
            ("POSTWARDEN_JWT_SECRET_FILE", jwt_path),
            ("POSTWARDEN_SECRET_KEY_FILE", key.to_str().unwrap()),
        ])
        .unwrap();
        assert_eq!(
            c.jwt_secret,
            Some(Secret(long.clone())),
            "trailing newline dropped"
        );
        assert_eq!(c.secret_key, Some(Secret("data key".into())));
        assert!(!format!("{c:?}").contains(&long), "never in Debug");

        let both = config(&[
            ("POSTWARDEN_JWT_SECRET", &long),
            ("POSTWARDEN_JWT_SECRET_FILE", jwt_path),
        ]);
        assert!(both.unwrap_err().to_string().contains("not both"));
        let missing = config(&[("POSTWARDEN_SECRET_KEY_FILE", "/nonexistent/key")]);
        assert!(format!("{:#}", missing.unwrap_err()).contains("/nonexistent/key"));
    }

    #[test]
    fn a_short_jwt_secret_is_refused() {
        let short = config(&[("POSTWARDEN_JWT_SECRET", "too-short")]).unwrap_err();
        assert!(short.to_string().contains("at least 32 bytes"), "{short}");
        assert!(
            !short.to_string().contains("too-short"),
            "the secret is not echoed"
        );
        config(&[("POSTWARDEN_JWT_SECRET", &"x".repeat(32))]).unwrap();
    }

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
