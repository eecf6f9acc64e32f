//! Outgoing mail: over SMTP (lettre) to `POSTWARDEN_SMTP_URL`, or, when it is unset, written as
//! `.eml` files to `<data dir>/outbox/`. Never written to the log: mails carry reset links.

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::clock::Clock;

/// Where mail goes, from whom, and the clock that dates it.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    clock: Clock,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

impl Mailer {
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        data_dir: &std::path::Path,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        let from: Mailbox = format!("Postwarden <{from}>")
            .parse()
            .context("POSTWARDEN_SMTP_FROM is not an address")?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("POSTWARDEN_SMTP_URL is not a valid smtp:// URL")?
                    .build(),
            ),
            None => Transport::Outbox(data_dir.join("outbox")),
        };
        Ok(Self {
            transport,
            from,
            clock,
        })
    }

    /// Sends a plain-text mail dated by the server's clock. `message_id` stays the same on
    /// every attempt of one mail, so a receiver can drop a duplicate (delivery is at least once).
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        body: String,
        message_id: &str,
    ) -> anyhow::Result<()> {
        let now = self.clock.now();
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse().context("recipient address")?)
            .subject(subject)
            .message_id(Some(message_id.to_owned()))
            .date(now.into())
            .body(body)
            .context("building the mail")?;
        match &self.transport {
            Transport::Smtp(transport) => {
                transport
                    .send(message)
                    .await
                    .context("sending the mail over SMTP")?;
            }
            Transport::Outbox(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .context("creating the outbox")?;
                // Named by the time it was sent, so the folder lists in order.
                let path = dir.join(format!("{}.eml", self.clock.uuid_v7(now)));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .context("writing to the outbox")?;
            }
        }
        tracing::info!(subject, "mail sent");
        Ok(())
    }
}
