//! `postwarden-api`: serve, migrate, print the OpenAPI document, create an operator.

use std::io::BufRead;
use std::process::ExitCode;

use api::clock::{Clock, ManualClock};
use api::config::Config;
use api::service::{accounts, audit::Ctx};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "postwarden-api",
    version,
    about = "Postwarden: administration of an email-hosting provider"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database to the latest schema, then serve the API and the web app (default).
    Serve,
    /// Migrate the database to the latest schema and exit.
    Migrate,
    /// Print the OpenAPI document to stdout (no database needed).
    Openapi,
    /// Run one renewal pass (as the background job does) and exit.
    Renew {
        /// The time to renew at (RFC 3339); now by default.
        #[arg(long)]
        now: Option<String>,
    },
    /// Write each verified domain's DKIM private key as <dir>/<domain>.<selector>.pem.
    DkimKeys {
        /// The directory to write to (created if missing).
        dir: std::path::PathBuf,
    },
    /// Create an operator; the password is read from the first line of stdin.
    CreateOperator {
        /// The operator's username.
        username: String,
    },
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::Openapi) = cli.command {
        print!("{}", api::http::openapi::pretty_json());
        return Ok(());
    }
    let config = Config::from_env()?;
    let _log = api::telemetry::init(&config.log, config.log_json);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = api::Application::build(config, Clock::system()).await?;
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            api::services(config, Clock::system(), None).await?;
            eprintln!("the database is at the latest schema");
        }
        Command::CreateOperator { username } => {
            let username = shared::value::Username::parse(&username)
                .map_err(|e| anyhow::anyhow!("username: {e}"))?;
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            let password = shared::value::Password::parse(line.trim_end_matches(['\r', '\n']))
                .map_err(|e| anyhow::anyhow!("password: {e}"))?;
            let s = api::services(config, Clock::system(), None).await?;
            let ctx = Ctx::system("system:cli", &s.clock);
            let op = accounts::create_operator(&s, &ctx, &username, &password)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!("operator {username} created ({op})");
        }
        Command::Renew { now } => {
            // `--now` runs the whole pass on a clock stopped at that moment.
            let clock = match now {
                Some(t) => chrono::DateTime::parse_from_rfc3339(&t)
                    .map(|t| ManualClock::new(t.with_timezone(&chrono::Utc)).clock())
                    .map_err(|e| anyhow::anyhow!("--now {t:?}: {e}"))?,
                None => Clock::system(),
            };
            let s = api::services(config, clock, None).await?;
            let ctx = Ctx::system("system:renewal", &s.clock);
            let now = ctx.now;
            let pass = api::service::subscriptions::renew_due(&s, &ctx)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!(
                "renewal pass at {now}: {} periods charged, {} accounts fell back to free, {} failed",
                pass.charged, pass.fell_back, pass.failed
            );
            if pass.failed > 0 {
                anyhow::bail!(
                    "{} accounts could not be renewed (see the log); run the pass again",
                    pass.failed
                );
            }
        }
        Command::DkimKeys { dir } => {
            let s = api::services(config, Clock::system(), None).await?;
            let keys = api::service::domains::dkim_keys(&s)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            std::fs::create_dir_all(&dir)?;
            for (domain, selector, pem) in &keys {
                let path = dir.join(format!("{domain}.{selector}.pem"));
                write_private(&path, pem)?;
            }
            eprintln!("{} DKIM keys written to {}", keys.len(), dir.display());
        }
        Command::Openapi => {}
    }
    Ok(())
}

/// Writes a private key readable by its owner only.
fn write_private(path: &std::path::Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

fn main() -> ExitCode {
    api::memory::tune_allocator();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("postwarden-api: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("postwarden-api: {e:#}");
            ExitCode::FAILURE
        }
    }
}
