//! Outgoing mail: over SMTP (lettre) to `POSTWARDEN_SMTP_URL`, or, when it is unset, written as
//! `.eml` files to `<data dir>/outbox/`. Never written to the log: mails carry reset links.

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Mailer {
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        data_dir: &std::path::Path,
    ) -> anyhow::Result<Self> {
        let from: Mailbox = format!("Postwarden <{from}>")
            .parse()
            .context("POSTWARDEN_SMTP_FROM is not an address")?;
        Ok(match smtp_url {
            Some(url) => Self::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("POSTWARDEN_SMTP_URL is not a valid smtp:// URL")?
                    .build(),
                from,
            },
            None => Self::Outbox {
                dir: data_dir.join("outbox"),
                from,
            },
        })
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> anyhow::Result<()> {
        let from = match self {
            Self::Smtp { from, .. } | Self::Outbox { from, .. } => from.clone(),
        };
        let message = Message::builder()
            .from(from)
            .to(to.parse().context("recipient address")?)
            .subject(subject)
            .body(body)
            .context("building the mail")?;
        match self {
            Self::Smtp { transport, .. } => {
                transport
                    .send(message)
                    .await
                    .context("sending the mail over SMTP")?;
            }
            Self::Outbox { dir, .. } => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .context("creating the outbox")?;
                let path = dir.join(format!("{}.eml", uuid::Uuid::now_v7()));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .context("writing to the outbox")?;
            }
        }
        tracing::info!(subject, "mail sent");
        Ok(())
    }
}
