//! Postwarden's API server: configuration, storage, the rules of SPEC.md, and the HTTP API
//! that serves them (and the built web app).

pub mod auth;
pub mod blocking;
pub mod clock;
pub mod config;
pub mod error;
pub mod http;
pub mod memory;
pub mod patch;
pub mod service;
pub mod store;
pub mod telemetry;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::auth::password::Hasher;
use crate::auth::token::Keys;
use crate::clock::Clock;
use crate::config::Config;
use crate::service::audit::Ctx;
use crate::service::{Services, accounts, mail::Mailer, secrets};
use crate::store::db::Db;
use crate::store::throttle::Limits;

/// Opens the database (migrating it) and assembles the services, without serving. Every rule
/// they run reads the time from `clock`.
pub async fn services(
    config: Config,
    clock: Clock,
    public_url: Option<String>,
) -> anyhow::Result<Services> {
    let db = Db::connect(&config).await?;
    db.migrate().await?;
    let jwt_secret = secrets::load_or_generate(
        &db,
        secrets::JWT_SECRET,
        config.jwt_secret.as_ref(),
        clock.now(),
    )
    .await?;
    let data_key = secrets::load_or_generate(
        &db,
        secrets::DATA_KEY,
        config.secret_key.as_ref(),
        clock.now(),
    )
    .await?;
    let mailer = Mailer::new(
        config.smtp_url.as_ref().map(|s| s.0.as_str()),
        &config.smtp_from,
        &config.data_dir,
        clock.clone(),
    )?;
    let public_url = config
        .public_url
        .clone()
        .or(public_url)
        .unwrap_or_else(|| format!("http://{}", config.bind));
    let caches = Arc::new(service::cache::Caches::default());
    db.hub().subscribe(caches.clone());
    Ok(Services {
        caches,
        db,
        hasher: Hasher::new()?,
        photos: service::photo::Decoder::default(),
        keys: Keys::new(jwt_secret.as_bytes())?,
        mailer,
        outbox: service::outbox::Signal::default(),
        dns: service::dns::Dns::new(config.dns_resolver)?,
        data_key,
        login_limits: Limits {
            max_failures: config.login_max_failures,
            window: chrono::Duration::seconds(config.login_window_secs as i64),
        },
        public_url,
        clock,
        config: Arc::new(config),
    })
}

/// The running server: bound to its port (0 picks a free one), serving until stopped.
pub struct Application {
    port: u16,
    server: actix_web::dev::Server,
    services: Services,
}

impl Application {
    /// Binds and assembles the server; `clock` is the time it runs on ([`Clock::system`] in
    /// production).
    pub async fn build(config: Config, clock: Clock) -> anyhow::Result<Self> {
        let listener =
            TcpListener::bind(config.bind).with_context(|| format!("binding {}", config.bind))?;
        let address = listener.local_addr()?;
        let services = services(config, clock, Some(format!("http://{address}"))).await?;
        bootstrap_operator(&services).await?;
        let data = web::Data::new(services.clone());
        let web_dir = services.config.web_dir.clone();
        let has_web_app = web_dir.join("index.html").is_file();
        if !has_web_app {
            tracing::warn!(dir = %web_dir.display(), "no built web app there: only the API is served");
        }
        let server = HttpServer::new(move || {
            let app = App::new()
                .app_data(data.clone())
                .app_data(http::json_config())
                .app_data(http::query_config())
                .app_data(http::path_config())
                .wrap(from_fn(http::web_app::cache_policy))
                .wrap(from_fn(http::middleware::request_id))
                .wrap(TracingLogger::<http::middleware::RequestSpan>::new())
                .service(http::health::healthz)
                .service(http::health::readyz)
                .service(
                    web::scope("/api/v1")
                        .wrap(from_fn(http::middleware::idempotency))
                        .route(
                            "/openapi.json",
                            web::get().to(|| async {
                                HttpResponse::Ok()
                                    .content_type("application/json")
                                    .body(http::openapi::served())
                            }),
                        )
                        .configure(http::api_v1)
                        .default_service(web::to(http::api_not_found)),
                )
                .service(
                    SwaggerUi::new("/api/docs/{_:.*}")
                        .config(SwaggerConfig::from("/api/v1/openapi.json")),
                )
                .route(
                    "/api/docs",
                    web::get().to(|| async {
                        HttpResponse::PermanentRedirect()
                            .insert_header(("Location", "/api/docs/"))
                            .finish()
                    }),
                );
            if has_web_app {
                app.service(http::web_app::files(web_dir.clone()))
            } else {
                app.default_service(web::to(http::api_not_found))
            }
        })
        .listen(listener)?
        .run();
        tracing::info!(%address, "Postwarden is listening");
        Ok(Self {
            port: address.port(),
            server,
            services,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Serves until the server stops (Ctrl-C or SIGTERM), running the periodic jobs beside it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let s = self.services.clone();
        let janitor = tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                every.tick().await;
                if let Err(e) = store::idempotency::prune(&s.db, s.clock.now()).await {
                    tracing::warn!(error = %e, "pruning idempotency keys failed");
                }
                if let Err(e) = service::changes::prune(&s).await {
                    tracing::warn!(error = %e, "pruning the change log failed");
                }
            }
        });
        let renewals = tokio::spawn(renewal_job(self.services.clone()));
        let outbox = tokio::spawn(outbox_job(self.services.clone()));
        let changes = tokio::spawn(service::changes::follow(self.services.clone()));
        let result = self.server.await;
        changes.abort();
        janitor.abort();
        renewals.abort();
        outbox.abort();
        result
    }
}

/// Creates the first operator from `POSTWARDEN_OPERATOR_USERNAME` / `_PASSWORD` when both are
/// set and no operator exists yet.
async fn bootstrap_operator(s: &Services) -> anyhow::Result<()> {
    let (Some(username), Some(password)) =
        (&s.config.operator_username, &s.config.operator_password)
    else {
        return Ok(());
    };
    if accounts::operator_exists(s).await? {
        return Ok(());
    }
    let username = shared::value::Username::parse(username)
        .map_err(|e| anyhow::anyhow!("POSTWARDEN_OPERATOR_USERNAME: {e}"))?;
    let password = shared::value::Password::parse(&password.0)
        .map_err(|e| anyhow::anyhow!("POSTWARDEN_OPERATOR_PASSWORD: {e}"))?;
    let ctx = Ctx::system("system:bootstrap", &s.clock);
    accounts::create_operator(s, &ctx, &username, &password)
        .await
        .map_err(|e| anyhow::anyhow!("creating the operator: {e}"))?;
    tracing::info!(username = %username, "operator created from the environment");
    Ok(())
}

/// Delivers the outbox: whenever a mail is queued here, and every second for mails queued by
/// other processes or due for a retry.
async fn outbox_job(s: Services) {
    loop {
        if let Err(e) = service::outbox::deliver_due(&s).await {
            tracing::warn!(error = %e, "outbox delivery failed");
        }
        s.outbox.wait(std::time::Duration::from_secs(1)).await;
    }
}

/// Runs a renewal pass every `POSTWARDEN_RENEWAL_INTERVAL_SECS` (0: never; renewals then come
/// from `postwarden-api renew` alone), at the time of the server's clock. Safe beside other
/// processes on the same database: each account is renewed under its organization's lock, and
/// each period is booked at most once (`renewal:<account>:<period start>`).
async fn renewal_job(s: Services) {
    if s.config.renewal_interval_secs == 0 {
        return;
    }
    let every = std::time::Duration::from_secs(s.config.renewal_interval_secs);
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        let ctx = Ctx::system("system:renewal", &s.clock);
        match service::subscriptions::renew_due(&s, &ctx).await {
            Ok(pass) if pass == Default::default() => {}
            Ok(pass) => tracing::info!(
                charged = pass.charged,
                fell_back = pass.fell_back,
                failed = pass.failed,
                "renewal pass"
            ),
            Err(e) => tracing::warn!(error = %e, "renewal pass failed"),
        }
    }
}
