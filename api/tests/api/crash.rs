//! Crash safety: the server is killed with SIGKILL in the middle of a burst of money writes,
//! restarted on the same database, and every write it had acknowledged must still be there,
//! with the ledger summing to the balance.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{Credit, LedgerEntry, LoginResponse, Page, SignupResponse};

use crate::helpers::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(app: &TestApp, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_postwarden-api"))
        .arg("serve")
        .env_clear()
        .env("DATABASE_URL", &app.database_url)
        .env("POSTWARDEN_DATA_DIR", app.data_dir.path())
        .env("POSTWARDEN_BIND", format!("127.0.0.1:{port}"))
        .env("POSTWARDEN_LOG", "warn")
        .env("POSTWARDEN_WEB_DIR", app.data_dir.path().join("no-web"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start postwarden-api")
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

async fn login(client: &reqwest::Client, base: &str, login: &str) -> String {
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": login, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    expect_json::<LoginResponse>(res, StatusCode::OK)
        .await
        .access_token
}

#[tokio::test]
async fn acknowledged_money_writes_survive_sigkill() {
    // The in-process app only provides a fresh database (and creates the operator).
    let app = spawn_app().await;
    let signup: SignupResponse = app.signup("crashy").await;
    let path = format!(
        "/api/v1/operator/organizations/{}/credit/adjustments",
        signup.organization.id
    );

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&app, port);
    wait_ready(&app.client, &base).await;
    // That server runs on the machine's clock, not the test's: sign in there.
    let operator = login(&app.client, &base, "operator").await;
    let owner = login(&app.client, &base, "crashy").await;

    // A burst of writes from 8 concurrent writers; the server is killed while they run.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (client, url, token, acks) = (
            app.client.clone(),
            format!("{base}{path}"),
            operator.clone(),
            acknowledged.clone(),
        );
        writers.push(tokio::spawn(async move {
            for i in 0..1000 {
                let body = json!({"amount_cents": 1 + (i % 7), "memo": format!("writer {w} #{i}")});
                match client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(res) if res.status() == StatusCode::CREATED => {
                        let entry: LedgerEntry = res.json().await.unwrap();
                        acks.lock().unwrap().push(entry);
                    }
                    _ => break,
                }
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < 150 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let mut server = start(&app, port);
    wait_ready(&app.client, &base).await;
    let mut stored = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{base}/api/v1/credit/transactions?limit=200&cursor={c}"),
            None => format!("{base}/api/v1/credit/transactions?limit=200"),
        };
        let page: Page<LedgerEntry> = app
            .client
            .get(url)
            .bearer_auth(&owner)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        stored.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let credit: Credit = app
        .client
        .get(format!("{base}/api/v1/credit"))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    server.kill().ok();
    server.wait().ok();

    for ack in &acknowledged {
        assert!(
            stored
                .iter()
                .any(|e| e.id == ack.id && e.amount_cents == ack.amount_cents),
            "acknowledged {ack:?} is lost"
        );
    }
    assert!(stored.len() >= acknowledged.len());
    assert_eq!(
        credit.balance_cents,
        stored.iter().map(|e| e.amount_cents).sum::<i64>(),
        "balance == sum of the ledger"
    );
    eprintln!(
        "crash test: {} acknowledged, {} stored after the restart",
        acknowledged.len(),
        stored.len()
    );
}
