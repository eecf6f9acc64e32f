//! The outbox: mails queued with their change, delivered in the background with a stable
//! Message-ID, retried with backoff while the mail server is away, failed after 24 hours.

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{OutboxMail, OutboxStatus, Page};

use crate::helpers::*;

async fn outbox(app: &TestApp, operator: &str) -> Vec<OutboxMail> {
    let page: Page<OutboxMail> = expect_json(
        app.get("/api/v1/operator/outbox", operator).await,
        StatusCode::OK,
    )
    .await;
    page.items
}

/// Waits (up to 10 s) until the only mail has been tried `attempts` times.
async fn tried(app: &TestApp, operator: &str, attempts: i32) -> OutboxMail {
    for _ in 0..200 {
        let mails = outbox(app, operator).await;
        if let [mail] = &mails[..]
            && mail.attempts >= attempts
            && mail.last_error.is_some()
        {
            return mail.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the mail was not tried {attempts} times");
}

#[tokio::test]
async fn a_mail_is_retried_while_the_mail_server_is_away_and_fails_after_a_day() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let app = spawn_with(Options {
        env: vec![("POSTWARDEN_SMTP_URL", format!("smtp://{closed}"))],
        ..Default::default()
    })
    .await;
    app.signup("away").await;
    let operator = app.operator_token().await;
    let res = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"login": "away"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);

    let first = tried(&app, &operator, 1).await;
    assert_eq!(
        (first.status, first.to.as_str(), first.attempts),
        (OutboxStatus::Queued, "away@example.net", 1)
    );
    assert_eq!(first.sent_at, None);
    // Nothing more before the backoff is over; then the second attempt.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(outbox(&app, &operator).await[0].attempts, 1);
    app.clock.advance(chrono::Duration::seconds(30));
    tried(&app, &operator, 2).await;

    // A day later the next attempt is the last: the mail is failed, kept with its error.
    app.clock.advance(chrono::Duration::hours(24));
    let operator = app.operator_token().await;
    for _ in 0..200 {
        if outbox(&app, &operator).await[0].status == OutboxStatus::Failed {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let page: Page<OutboxMail> = expect_json(
        app.get("/api/v1/operator/outbox?status=failed", &operator)
            .await,
        StatusCode::OK,
    )
    .await;
    let [failed] = &page.items[..] else {
        panic!("one failed mail: {page:?}");
    };
    assert_eq!((failed.id, failed.attempts), (first.id, 3));
    assert!(
        failed.last_error.as_deref().unwrap().contains("SMTP"),
        "{failed:?}"
    );
    expect_problem(
        app.get("/api/v1/operator/outbox?status=lost", &operator)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let owner = app.login_ok("away").await.access_token;
    expect_problem(
        app.get("/api/v1/operator/outbox", &owner).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_sent_mail_carries_its_outbox_id_and_keeps_no_body() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_with(Options {
        smtp: true,
        ..Default::default()
    })
    .await;
    app.signup("sent").await;
    let res = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"login": "sent"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let mail = app.mails.wait_for(1).await;
    app.wait_outbox_delivered().await;
    let operator = app.operator_token().await;
    let [sent] = &outbox(&app, &operator).await[..] else {
        panic!("one mail");
    };
    assert_eq!((sent.status, sent.attempts), (OutboxStatus::Sent, 1));
    assert!(
        mail.contains(&format!("Message-ID: <{}@postwarden.test>", sent.id)),
        "{mail}"
    );
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT body_sealed FROM outbox",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "body_sealed").unwrap(), "");
    db.close().await.unwrap();
}
