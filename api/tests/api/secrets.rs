//! The signing secret and the data key from files: used, and not kept in the database.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, Statement};

use crate::helpers::*;

async fn stored_secrets(app: &TestApp) -> Vec<String> {
    let db = Database::connect(&app.database_url).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT name FROM secrets ORDER BY name",
        ))
        .await
        .unwrap();
    db.close().await.unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .collect()
}

#[tokio::test]
async fn secrets_from_files_sign_and_seal_and_stay_out_of_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let jwt = dir.path().join("jwt_secret");
    let key = dir.path().join("secret_key");
    std::fs::write(&jwt, format!("{}\n", "j".repeat(48))).unwrap();
    std::fs::write(&key, "a data key kept beside the process\n").unwrap();
    let app = spawn_with(Options {
        env: vec![
            ("POSTWARDEN_JWT_SECRET_FILE", jwt.display().to_string()),
            ("POSTWARDEN_SECRET_KEY_FILE", key.display().to_string()),
        ],
        ..Default::default()
    })
    .await;
    let owner = app.paid_signup("filed").await.access_token;
    assert_eq!(app.get("/api/v1/me", &owner).await.status(), StatusCode::OK);
    // A domain's DKIM key is sealed with the data key from the file.
    let domain = app
        .post(
            "/api/v1/domains",
            Some(&owner),
            &serde_json::json!({"name": "filed.example"}),
        )
        .await;
    assert_eq!(domain.status(), StatusCode::CREATED);
    assert!(
        stored_secrets(&app).await.is_empty(),
        "neither secret is generated into the database"
    );

    let generated = spawn_app().await;
    generated.paid_signup("stored").await;
    assert_eq!(
        stored_secrets(&generated).await,
        ["data_encryption_key", "jwt_secret"],
        "without them, both are generated once and shared through the database"
    );
}

#[test]
fn a_short_jwt_secret_stops_the_process_before_it_serves() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_postwarden-api"))
        .arg("migrate")
        .env_clear()
        .env("POSTWARDEN_DATA_DIR", dir.path())
        .env("POSTWARDEN_JWT_SECRET", "only-twenty-bytes-ok")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("at least 32 bytes"), "{stderr}");
    assert!(
        !stderr.contains("only-twenty-bytes-ok"),
        "the secret is not echoed"
    );
}
