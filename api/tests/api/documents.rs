use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_served_and_generated_openapi_documents_match_the_committed_file() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/openapi.json"
    ))
    .unwrap();
    assert!(
        api::http::openapi::pretty_json() == committed,
        "openapi/openapi.json is stale: run `cargo run -p api -- openapi > openapi/openapi.json`"
    );
    let app = spawn_app().await;
    let served: serde_json::Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let committed: serde_json::Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(served, committed);
    let paths = committed["paths"].as_object().unwrap();
    for path in [
        "/api/v1/signup",
        "/api/v1/auth/login",
        "/api/v1/accounts/{id}",
        "/api/v1/me/photo",
        "/api/v1/operator/organizations",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    let docs = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(
        docs.text().await.unwrap().contains("swagger"),
        "the docs page is served offline"
    );
}

#[tokio::test]
async fn the_web_app_is_served_with_deep_links() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>Postwarden</title>",
    )
    .unwrap();
    std::fs::write(web.path().join("web.js"), "export default 1;").unwrap();
    std::fs::create_dir_all(web.path().join("app/0123abcd")).unwrap();
    std::fs::write(web.path().join("app/0123abcd/web.js"), "export default 2;").unwrap();
    let app = spawn_with(Options {
        web_dir: Some(web.path().to_owned()),
        ..Default::default()
    })
    .await;
    for path in ["/", "/me", "/reset-password?token=abc"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("<title>Postwarden</title>"),
            "{path}"
        );
    }
    assert_eq!(
        app.client
            .get(app.url("/web.js"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "export default 1;"
    );
    let res = app
        .client
        .get(app.url("/api/v1/unknown"))
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("cache-control").is_none());
    expect_problem(res, StatusCode::NOT_FOUND, "not_found").await;

    // A build's files (under /app/<content hash>/) are kept; the page naming the build is not.
    let cache = |path: &'static str| {
        let app = &app;
        async move {
            let res = app.client.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            res.headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap().to_owned())
        }
    };
    assert_eq!(
        cache("/app/0123abcd/web.js").await.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(cache("/").await.as_deref(), Some("no-cache"));
    assert_eq!(cache("/users").await.as_deref(), Some("no-cache"));
}

/// The route table is the list of routes the document has (so every route is in it), and the
/// docs' scope table is the one it makes.
#[test]
fn the_route_table_covers_every_route_and_the_docs_show_it() {
    use api::http::scopes::ROUTES;
    let doc: serde_json::Value = serde_json::from_str(&api::http::openapi::pretty_json()).unwrap();
    let mut documented: Vec<(String, String)> = vec![];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                documented.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    let mut table: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    documented.sort();
    table.sort();
    // The document itself is served outside the routes it describes.
    documented.retain(|(_, p)| p != "/api/v1/openapi.json");
    assert_eq!(
        table, documented,
        "api/src/http/scopes.rs and the routes differ"
    );

    let guide = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/integrators.md"
    ))
    .unwrap();
    let begin = "<!-- scopes:begin (generated from api/src/http/scopes.rs; a test checks it) -->\n";
    let start = guide.find(begin).expect("the scope table's begin marker") + begin.len();
    let end = guide.find("<!-- scopes:end -->").expect("the end marker");
    assert_eq!(
        &guide[start..end],
        api::http::scopes::markdown(),
        "docs/integrators.md's scope table is stale: paste api::http::scopes::markdown()"
    );
}
