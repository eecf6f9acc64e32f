use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use api::clock::ManualClock;
use chrono::{DateTime, TimeZone, Utc};
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use shared::Problem;
use shared::dto::{Account, LoginResponse, SignupResponse};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

pub const PASSWORD: &str = "Correct-horse-9";

/// Where every test's clock starts unless the test sets it: a fixed, ordinary moment (a
/// 30-day month follows), so that no outcome depends on the day the suite runs.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 0).unwrap()
}

/// A fixed moment for a test that needs one: `at(2027, 1, 31, 12, 0, 0)`.
pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
}

pub struct TestApp {
    pub base: String,
    /// The database the server uses, for running the command line against it.
    pub database_url: String,
    pub client: reqwest::Client,
    pub data_dir: tempfile::TempDir,
    pub mails: Mails,
    /// The server's clock: it stands still until the test sets or advances it.
    pub clock: ManualClock,
    /// The server's services (its database and caches), for waiting on the change signal.
    pub services: api::service::Services,
}

/// Options a test may change from the defaults.
#[derive(Default)]
pub struct Options {
    pub env: Vec<(&'static str, String)>,
    pub smtp: bool,
    pub web_dir: Option<std::path::PathBuf>,
    /// Where the server's clock starts ([`start_time`] by default).
    pub start: Option<DateTime<Utc>>,
}

async fn database_url(data_dir: &std::path::Path) -> String {
    match std::env::var("POSTWARDEN_TEST_POSTGRES_URL") {
        Ok(server) if !server.is_empty() => {
            let name = format!("pw_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&server)
                .await
                .expect("connect to the test PostgreSQL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create the test database");
            admin.close().await.ok();
            let (base, _) = server
                .rsplit_once('/')
                .expect("a postgres:// URL with a database");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}?mode=rwc", data_dir.join("test.db").display()),
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_with(Options::default()).await
}

pub async fn spawn_with(options: Options) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mails = Mails::default();
    let mut env: HashMap<&str, String> = HashMap::new();
    env.insert("POSTWARDEN_BIND", "127.0.0.1:0".into());
    env.insert("POSTWARDEN_DATA_DIR", data_dir.path().display().to_string());
    let db_url = database_url(data_dir.path()).await;
    env.insert("DATABASE_URL", db_url.clone());
    env.insert("POSTWARDEN_OPERATOR_USERNAME", "operator".into());
    env.insert("POSTWARDEN_OPERATOR_PASSWORD", PASSWORD.into());
    env.insert("POSTWARDEN_LOG", "warn".into());
    // No background renewals: a test renews when it says so (`renew`), at the time it names.
    env.insert("POSTWARDEN_RENEWAL_INTERVAL_SECS", "0".into());
    env.insert(
        "POSTWARDEN_WEB_DIR",
        options
            .web_dir
            .clone()
            .unwrap_or_else(|| data_dir.path().join("no-web"))
            .display()
            .to_string(),
    );
    if options.smtp {
        env.insert("POSTWARDEN_SMTP_URL", mails.serve().await);
    }
    for (k, v) in options.env {
        env.insert(k, v);
    }
    let config = api::config::Config::from_lookup(|name| env.get(name).cloned()).expect("config");
    // The log writer lives as long as the test process (one subscriber for all its apps).
    static LOG: std::sync::OnceLock<tracing_appender::non_blocking::WorkerGuard> =
        std::sync::OnceLock::new();
    LOG.get_or_init(|| api::telemetry::init("warn", false));
    let clock = ManualClock::new(options.start.unwrap_or_else(start_time));
    let app = api::Application::build(config, clock.clock())
        .await
        .expect("the app starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    let services = app.services().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base,
        database_url: db_url,
        client: reqwest::Client::new(),
        data_dir,
        mails,
        clock,
        services,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.send(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send(Method::POST, path, token, Some(body)).await
    }

    pub async fn post_empty(&self, path: &str, token: &str) -> Response {
        self.send(Method::POST, path, Some(token), None).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> Response {
        self.send(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.send(Method::DELETE, path, Some(token), None).await
    }

    /// Signs up a new organization; returns the owner's session.
    pub async fn signup(&self, username: &str) -> SignupResponse {
        let res = self
            .post(
                "/api/v1/signup",
                None,
                &json!({"organization_name": format!("{username} Org"), "first_name": "Owner", "last_name": username,
                        "username": username, "password": PASSWORD, "external_email": format!("{username}@example.net")}),
            )
            .await;
        expect_json(res, StatusCode::CREATED).await
    }

    /// Signs up, has the operator credit `credit_cents`, and upgrades the owner to `pro` (750 a
    /// month), so the organization may create accounts (SPEC §2: a new organization's owner is on
    /// `free`, whose caps allow no other account).
    pub async fn paid_signup_with(&self, username: &str, credit_cents: i64) -> SignupResponse {
        let signup = self.signup(username).await;
        self.credit(signup.organization.id, credit_cents).await;
        let path = format!("/api/v1/accounts/{}/subscription", signup.account.id);
        let res = self
            .send(
                Method::PUT,
                &path,
                Some(&signup.access_token),
                Some(&json!({"plan": "pro"})),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "upgrade the owner: {}",
            res.text().await.unwrap_or_default()
        );
        signup
    }

    pub async fn paid_signup(&self, username: &str) -> SignupResponse {
        self.paid_signup_with(username, 100_000).await
    }

    /// An operator's adjustment of `amount` cents.
    pub async fn credit(&self, org: uuid::Uuid, amount: i64) {
        let operator = self.operator_token().await;
        let path = format!("/api/v1/operator/organizations/{org}/credit/adjustments");
        let res = self
            .post(
                &path,
                Some(&operator),
                &json!({"amount_cents": amount, "memo": "test credit"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }

    pub async fn login(&self, login: &str, password: &str) -> Response {
        self.post(
            "/api/v1/auth/login",
            None,
            &json!({"login": login, "password": password}),
        )
        .await
    }

    /// A client on another loopback address (`127.0.0.<n>`), as another machine would be.
    pub fn client_from(n: u8) -> reqwest::Client {
        reqwest::Client::builder()
            .local_address(std::net::IpAddr::from([127, 0, 0, n]))
            .build()
            .expect("a client on 127.0.0.n")
    }

    /// Signs in from another loopback address (`127.0.0.<n>`), as another client would.
    pub async fn login_from(&self, n: u8, login: &str, password: &str) -> Response {
        Self::client_from(n)
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn login_ok(&self, login: &str) -> LoginResponse {
        expect_json(self.login(login, PASSWORD).await, StatusCode::OK).await
    }

    pub async fn operator_token(&self) -> String {
        self.login_ok("operator").await.access_token
    }

    pub async fn create_account(&self, token: &str, username: &str) -> Account {
        let res = self
            .post("/api/v1/accounts", Some(token), &new_account(username))
            .await;
        expect_json(res, StatusCode::CREATED).await
    }
}

pub fn new_account(username: &str) -> Value {
    json!({"first_name": "First", "last_name": format!("Last {username}"), "username": username,
           "email": format!("{username}@postwarden.test"), "password": PASSWORD})
}

pub async fn expect_json<T: DeserializeOwned>(res: Response, status: StatusCode) -> T {
    let got = res.status();
    let text = res.text().await.expect("body");
    assert_eq!(got, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("body does not parse ({e}): {text}"))
}

/// Asserts a problem+json answer with this status and code.
pub async fn expect_problem(res: Response, status: StatusCode, code: &str) -> Problem {
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let problem: Problem = expect_json(res, status).await;
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    assert_eq!(problem.code.as_str(), code, "{problem:?}");
    assert_eq!(problem.status, status.as_u16());
    problem
}

/// Mails received by a tiny SMTP server on loopback.
#[derive(Clone, Default, Debug)]
pub struct Mails(Arc<Mutex<Vec<String>>>);

impl Mails {
    async fn serve(&self) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let store = self.0.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    write.write_all(b"220 test ESMTP\r\n").await.ok();
                    let mut data: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(body) = data.as_mut() {
                            if line == "." {
                                store.lock().unwrap().push(std::mem::take(body));
                                data = None;
                                write.write_all(b"250 queued\r\n").await.ok();
                            } else {
                                body.push_str(&line);
                                body.push('\n');
                            }
                            continue;
                        }
                        let verb = line
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250 test\r\n",
                            "DATA" => {
                                data = Some(String::new());
                                b"354 go on\r\n"
                            }
                            "QUIT" => {
                                write.write_all(b"221 bye\r\n").await.ok();
                                break;
                            }
                            _ => b"250 ok\r\n",
                        };
                        write.write_all(reply).await.ok();
                    }
                });
            }
        });
        url
    }

    /// Waits (up to 10 s) for the n-th mail.
    pub async fn wait_for(&self, n: usize) -> String {
        for _ in 0..200 {
            if let Some(mail) = self.0.lock().unwrap().get(n - 1) {
                return mail.clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("mail {n} never arrived");
    }

    pub fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

impl TestApp {
    /// Runs `postwarden-api renew --now <now>` against this app's database, as an operator would.
    pub fn renew_command(&self, now: DateTime<Utc>) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_postwarden-api"));
        cmd.args(["renew", "--now", &now.to_rfc3339()])
            .env_clear()
            .env("DATABASE_URL", &self.database_url)
            .env("POSTWARDEN_DATA_DIR", self.data_dir.path())
            .env("POSTWARDEN_LOG", "warn");
        cmd
    }

    /// The token of the reset link in a mail (whose body may be quoted-printable).
    pub fn reset_token_in(&self, mail: &str) -> String {
        let mail = mail.replace("=\n", "").replace("=3D", "=");
        let link = format!("{}/reset-password?token=", self.base);
        let start = mail.find(&link).expect("the mail carries the link") + link.len();
        mail[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }

    /// Waits (up to 5 s) until the server has applied every change in the log, such as those a
    /// command-line process wrote: its caches then answer as the database does.
    pub async fn caught_up(&self) {
        let latest = api::store::changes::latest(self.services.db.read())
            .await
            .expect("read the change log");
        for _ in 0..500 {
            if self.services.caches.seen() >= latest {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the server did not catch up with the change log");
    }

    /// Runs a renewal pass as `postwarden-api renew` and waits until the server has seen its
    /// changes.
    pub async fn renew(&self, now: DateTime<Utc>) -> String {
        let out = self
            .renew_command(now)
            .output()
            .expect("run postwarden-api renew");
        let output = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "renew failed: {output}");
        self.caught_up().await;
        output
    }
}

/// A lock another process holds on the database: SQLite's write lock, or one organization's row
/// on PostgreSQL (what every write about that organization waits for).
pub struct HeldLock {
    db: sea_orm::DatabaseConnection,
    txn: sea_orm::DatabaseTransaction,
}

impl TestApp {
    pub async fn hold_lock(&self, org: uuid::Uuid) -> HeldLock {
        use sea_orm::TransactionTrait;
        let db = Database::connect(&self.database_url).await.unwrap();
        let txn = db.begin().await.unwrap();
        let hold = if self.database_url.starts_with("postgres") {
            format!("SELECT id FROM organizations WHERE id = '{org}' FOR UPDATE")
        } else {
            "UPDATE secrets SET value = value WHERE 0 = 1".to_owned()
        };
        txn.execute_unprepared(&hold).await.unwrap();
        HeldLock { db, txn }
    }
}

impl HeldLock {
    pub async fn release(self) {
        self.txn.rollback().await.unwrap();
        self.db.close().await.unwrap();
    }
}

impl TestApp {
    /// Waits (up to 10 s) until the server's outbox holds no queued mail.
    pub async fn wait_outbox_delivered(&self) {
        let operator = self.operator_token().await;
        for _ in 0..200 {
            let page: shared::dto::Page<shared::dto::OutboxMail> = expect_json(
                self.get("/api/v1/operator/outbox?status=queued", &operator)
                    .await,
                StatusCode::OK,
            )
            .await;
            if page.items.is_empty() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the outbox was not delivered");
    }
}
