use std::io::Cursor;

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::Me;

use crate::helpers::*;

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 99])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn users_edit_their_personal_data_only() {
    let app = spawn_app().await;
    let owner = app.paid_signup("office").await.access_token;
    app.create_account(&owner, "nina").await;
    let user = app.login_ok("nina").await.access_token;
    let me: Me = expect_json(
        app.patch(
            "/api/v1/me",
            &user,
            &json!({"personal": {"birthdate": "1991-02-03", "external_email": "nina@example.net"}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        me.account
            .personal
            .birthdate
            .map(|d| d.to_string())
            .as_deref(),
        Some("1991-02-03")
    );
    let res = app.patch("/api/v1/me", &user, &json!({"first_name": "Hacker", "plan": "ultra", "personal": {"birthdate": "2999-01-01"}})).await;
    let problem = expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    for field in ["first_name", "plan", "personal.birthdate"] {
        assert!(
            problem.field_message(field).is_some(),
            "{field}: {problem:?}"
        );
    }
    let me: Me = expect_json(app.get("/api/v1/me", &user).await, StatusCode::OK).await;
    assert_eq!(me.account.first_name, "First", "nothing changed");
    // A merge-patch content type is accepted too.
    let res = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&user)
        .header("content-type", "application/merge-patch+json")
        .body(r#"{"personal": {"external_email": null}}"#)
        .send()
        .await
        .unwrap();
    let me: Me = expect_json(res, StatusCode::OK).await;
    assert_eq!(me.account.personal.external_email, None);
}

#[tokio::test]
async fn photos_are_sniffed_limited_and_reencoded() {
    let app = spawn_app().await;
    let owner = app.paid_signup("photos").await.access_token;
    let put = |body: Vec<u8>, ct: &'static str| {
        app.client
            .put(app.url("/api/v1/me/photo"))
            .bearer_auth(&owner)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    assert_eq!(
        put(png(1024, 600), "image/png").await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let res = app.get("/api/v1/me/photo", &owner).await;
    assert_eq!(res.headers().get("content-type").unwrap(), "image/png");
    let served = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((served.width(), served.height()), (512, 300));
    let me: Me = expect_json(app.get("/api/v1/me", &owner).await, StatusCode::OK).await;
    assert!(me.account.personal.has_photo);

    expect_problem(
        put(b"GIF89a not really".to_vec(), "image/png")
            .await
            .unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    expect_problem(
        put(png(10, 10), "text/plain").await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let mut big = png(10, 10);
    big.resize(1024 * 1024 + 1, 0);
    expect_problem(
        put(big, "image/png").await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;

    assert_eq!(
        app.delete("/api/v1/me/photo", &owner).await.status(),
        StatusCode::NO_CONTENT
    );
    expect_problem(
        app.get("/api/v1/me/photo", &owner).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
