use std::io::Cursor;

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::Me;

use crate::helpers::*;

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 120, 40]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// The PNG with another chunk right after its header.
fn with_chunk(png: Vec<u8>, kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let crc = crc32fast::hash(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    let after_header = 8 + 25;
    [&png[..after_header], &chunk, &png[after_header..]].concat()
}

/// The PNG with its header claiming another size (the pixel data left as it is).
fn with_size(mut png: Vec<u8>, w: u32, h: u32) -> Vec<u8> {
    png[16..20].copy_from_slice(&w.to_be_bytes());
    png[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

/// The JPEG with an EXIF segment right after its start marker.
fn with_exif(jpeg: Vec<u8>, data: &[u8]) -> Vec<u8> {
    let mut segment = vec![0xff, 0xe1];
    segment.extend_from_slice(&((data.len() + 8) as u16).to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(data);
    [&jpeg[..2], &segment, &jpeg[2..]].concat()
}

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
            &json!({"personal": {"birthdate": "1991-02-03", "external_email": "nina@example.net"}, "current_password": PASSWORD}),
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
        .body(format!(
            r#"{{"personal": {{"external_email": null}}, "current_password": "{PASSWORD}"}}"#
        ))
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

    // Over the pixel limit, or a small file claiming an enormous image: refused before decoding.
    for (w, h) in [(4097, 16), (60_000, 60_000)] {
        let problem = expect_problem(
            put(with_size(png(16, 16), w, h), "image/png")
                .await
                .unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(problem.to_string().contains("photo"), "{problem:?}");
    }
    // Metadata never survives: a text chunk in a PNG, EXIF in a JPEG.
    for (photo, ct) in [
        (
            with_chunk(png(64, 64), b"tEXt", b"Comment\0GPS 45.07N 7.68E"),
            "image/png",
        ),
        (with_exif(jpeg(64, 64), b"GPS 45.07N 7.68E"), "image/jpeg"),
    ] {
        assert_eq!(
            put(photo, ct).await.unwrap().status(),
            StatusCode::NO_CONTENT
        );
        let res = app.get("/api/v1/me/photo", &owner).await;
        assert_eq!(res.headers()["content-type"], ct);
        let served = res.bytes().await.unwrap();
        image::load_from_memory(&served).unwrap();
        let text = String::from_utf8_lossy(&served);
        assert!(
            !text.contains("GPS") && !text.contains("Exif"),
            "{ct} kept metadata"
        );
    }

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

/// The sign-up's owner, with an external address, on a server whose mails the test receives.
async fn owner_with_mail(
    username: &str,
    max_failures: u32,
) -> (TestApp, shared::dto::SignupResponse) {
    let app = spawn_with(Options {
        smtp: true,
        env: vec![("POSTWARDEN_LOGIN_MAX_FAILURES", max_failures.to_string())],
        ..Default::default()
    })
    .await;
    let signup = app.signup(username).await;
    (app, signup)
}

#[tokio::test]
async fn changing_ones_recovery_address_needs_the_current_password_and_tells_the_old_one() {
    let (app, signup) = owner_with_mail("recover", 10).await;
    let (app, token) = (&app, &signup.access_token);
    let change =
        |body: serde_json::Value| async move { app.patch("/api/v1/me", token, &body).await };
    // A stolen access token alone cannot move where reset links go.
    for body in [
        json!({"personal": {"external_email": "thief@evil.test"}}),
        json!({"personal": {"external_email": null}}),
        json!({"personal": {"external_email": "thief@evil.test"}, "current_password": "Wrong-pass-123"}),
    ] {
        let problem = expect_problem(
            change(body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(
            problem.field_message("current_password").is_some(),
            "{problem:?}"
        );
    }
    // Through the admin route on one's own account, the same rule.
    let problem = expect_problem(
        app.patch(
            &format!("/api/v1/accounts/{}", signup.account.id),
            token,
            &json!({"personal": {"external_email": "thief@evil.test"}}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(problem.field_message("current_password").is_some());
    // Other personal data, and the same address again, need nothing more.
    let me: Me = expect_json(
        change(json!({"personal": {"external_email": "recover@example.net", "mobile_phone": "+39 06 1234567"}})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        me.account.personal.mobile_phone.as_deref(),
        Some("+39061234567")
    );
    assert_eq!(app.mails.count(), 0);
    // With the password it changes, and the old address hears of it.
    let me: Me = expect_json(
        change(json!({"personal": {"external_email": "new@example.net"}, "current_password": PASSWORD})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        me.account.personal.external_email.as_deref(),
        Some("new@example.net")
    );
    let mail = app.mails.wait_for(1).await;
    assert!(mail.contains("To: recover@example.net"), "{mail}");
    assert!(
        mail.contains("Subject: Your recovery address was changed"),
        "{mail}"
    );
    assert!(mail.contains("Date: "), "{mail}");
}

#[tokio::test]
async fn an_admin_changes_another_accounts_recovery_address_without_a_password() {
    let app = spawn_app().await;
    let owner = app.paid_signup("chief").await.access_token;
    let user = app.create_account(&owner, "member").await;
    let updated: shared::dto::Account = expect_json(
        app.patch(
            &format!("/api/v1/accounts/{}", user.id),
            &owner,
            &json!({"personal": {"external_email": "member@example.net"}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        updated.personal.external_email.as_deref(),
        Some("member@example.net")
    );
}

#[tokio::test]
async fn an_admin_sets_their_own_password_only_with_the_current_one() {
    let app = spawn_app().await;
    let signup = app.signup("selfset").await;
    let other = app.login_ok("selfset").await;
    let path = format!("/api/v1/accounts/{}/password", signup.account.id);
    let problem = expect_problem(
        app.post(
            &path,
            Some(&signup.access_token),
            &json!({"new_password": "Taken-over-123"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(problem.field_message("current_password").is_some());
    let res = app
        .post(
            &path,
            Some(&signup.access_token),
            &json!({"new_password": "Changed-pass-123", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", &signup.access_token).await.status(),
        StatusCode::OK,
        "the caller's session stays"
    );
    expect_problem(
        app.get("/api/v1/me", &other.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn guesses_of_the_current_password_are_throttled() {
    let (app, signup) = owner_with_mail("guessed", 3).await;
    let guess = |password: &'static str| {
        let token = signup.access_token.clone();
        let app = &app;
        async move {
            app.post(
                "/api/v1/me/password",
                Some(&token),
                &json!({"current_password": password, "new_password": "Another-pass-7"}),
            )
            .await
        }
    };
    for _ in 0..3 {
        expect_problem(
            guess("Not-it-12345").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    expect_problem(
        guess(PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
    app.clock.advance(chrono::Duration::seconds(900));
    let token = app.login_ok("guessed").await.access_token;
    let res = app
        .post(
            "/api/v1/me/password",
            Some(&token),
            &json!({"current_password": PASSWORD, "new_password": "Another-pass-7"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn reset_links_die_with_a_new_password_and_with_each_other() {
    let (app, signup) = owner_with_mail("links", 10).await;
    let body = json!({"login": "links"});
    let ask = || app.post("/api/v1/auth/password-reset", None, &body);
    let confirm = |token: String, password: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/password-reset/confirm",
                None,
                &json!({"token": token, "new_password": password}),
            )
            .await
        }
    };
    // A link, then a password change: the link is dead.
    assert_eq!(ask().await.status(), StatusCode::ACCEPTED);
    let first = app.reset_token_in(&app.mails.wait_for(1).await);
    let res = app
        .post(
            "/api/v1/me/password",
            Some(&signup.access_token),
            &json!({"current_password": PASSWORD, "new_password": "Second-pass-123"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    expect_problem(
        confirm(first, "Third-pass-1234").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_token",
    )
    .await;
    // Two links: using one kills the other.
    assert_eq!(ask().await.status(), StatusCode::ACCEPTED);
    let a = app.reset_token_in(&app.mails.wait_for(2).await);
    assert_eq!(ask().await.status(), StatusCode::ACCEPTED);
    let b = app.reset_token_in(&app.mails.wait_for(3).await);
    assert_eq!(
        confirm(a, "Fourth-pass-123").await.status(),
        StatusCode::NO_CONTENT
    );
    expect_problem(
        confirm(b, "Fifth-pass-1234").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn a_reset_link_does_nothing_for_a_disabled_account() {
    let app = spawn_with(Options {
        smtp: true,
        ..Default::default()
    })
    .await;
    let owner = app.paid_signup("boss").await.access_token;
    let mut body = new_account("leaver");
    body["personal"] = json!({"external_email": "leaver@example.net"});
    let leaver: shared::dto::Account = expect_json(
        app.post("/api/v1/accounts", Some(&owner), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let res = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"login": "leaver"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let token = app.reset_token_in(&app.mails.wait_for(1).await);
    app.post_empty(&format!("/api/v1/accounts/{}/disable", leaver.id), &owner)
        .await
        .error_for_status()
        .unwrap();
    expect_problem(
        app.post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": token, "new_password": "Back-again-123"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_token",
    )
    .await;
}
