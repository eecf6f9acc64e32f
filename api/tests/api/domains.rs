use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::dto::{Account, Alias, DnsRecordStatus, Domain, DomainStatus, Page};

use crate::dns_server::DnsServer;
use crate::helpers::*;

async fn app_with_dns() -> (TestApp, DnsServer) {
    let dns = DnsServer::start().await;
    let app = spawn_with(Options {
        env: vec![
            ("POSTWARDEN_DNS_RESOLVER", dns.addr.clone()),
            (
                "POSTWARDEN_MX_HOSTS",
                "mx1.postwarden.test,mx2.postwarden.test".into(),
            ),
        ],
        ..Default::default()
    })
    .await;
    (app, dns)
}

async fn add(app: &TestApp, token: &str, name: &str) -> reqwest::Response {
    app.post("/api/v1/domains", Some(token), &json!({"name": name}))
        .await
}

fn account_on(username: &str, email: &str) -> serde_json::Value {
    let mut body = new_account(username);
    body["email"] = json!(email);
    body
}

#[tokio::test]
async fn a_domain_is_proved_over_dns_then_holds_addresses() {
    let (app, dns) = app_with_dns().await;
    let owner = app.paid_signup("domainer").await.access_token;
    let domain: Domain = expect_json(
        add(&app, &owner, " Example.ORG. ").await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (domain.name.as_str(), domain.status),
        ("example.org", DomainStatus::Pending)
    );
    assert_eq!(domain.verification.record_type, "TXT");
    assert!(
        domain
            .verification
            .value
            .starts_with("postwarden-verification=")
    );
    let purposes: Vec<&str> = domain
        .dns_records
        .iter()
        .map(|r| r.purpose.as_str())
        .collect();
    assert_eq!(
        purposes,
        ["verification", "mx", "mx", "spf", "dkim", "dmarc"]
    );
    let dkim = domain
        .dns_records
        .iter()
        .find(|r| r.purpose == "dkim")
        .unwrap();
    assert_eq!(dkim.host, "postwarden._domainkey.example.org");
    assert!(
        dkim.value.starts_with("v=DKIM1; k=rsa; p=MII"),
        "{}",
        dkim.value
    );
    expect_problem(
        add(&app, &owner, "example.org").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    expect_problem(
        add(&app, &owner, "postwarden.test").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    expect_problem(
        add(&app, &owner, "not a domain").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let idn: Domain = expect_json(
        add(&app, &owner, "Bücher.example").await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(idn.name, "xn--bcher-kva.example");

    // Not verified yet: no address on it.
    expect_problem(
        app.post(
            "/api/v1/accounts",
            Some(&owner),
            &account_on("anna", "anna@example.org"),
        )
        .await,
        StatusCode::CONFLICT,
        "domain_not_verified",
    )
    .await;
    let path = format!("/api/v1/domains/{}", domain.id);
    let problem = expect_problem(
        app.post_empty(&format!("{path}/verify"), &owner).await,
        StatusCode::CONFLICT,
        "domain_not_verified",
    )
    .await;
    assert_eq!(problem.extra.found, Some(vec![]));
    dns.txt("example.org", "postwarden-verification=wrong");
    let problem = expect_problem(
        app.post_empty(&format!("{path}/verify"), &owner).await,
        StatusCode::CONFLICT,
        "domain_not_verified",
    )
    .await;
    assert_eq!(
        problem.extra.found.as_deref(),
        Some(&["postwarden-verification=wrong".to_owned()][..])
    );
    dns.txt("example.org", &domain.verification.value);
    let verified: Domain = expect_json(
        app.post_empty(&format!("{path}/verify"), &owner).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(verified.status, DomainStatus::Verified);

    // Addresses on it: any local part, under the rules.
    let anna: Account = expect_json(
        app.post(
            "/api/v1/accounts",
            Some(&owner),
            &account_on("anna.x", "Anna@Example.org"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(anna.email.as_deref(), Some("anna@example.org"));
    app.login_ok("anna@example.org").await;
    let mut paid = account_on("bruno.x", "bruno@example.org");
    paid["plan"] = json!("entry");
    let bruno: Account = expect_json(
        app.post("/api/v1/accounts", Some(&owner), &paid).await,
        StatusCode::CREATED,
    )
    .await;
    let alias_path = format!("/api/v1/accounts/{}/aliases", bruno.id);
    let (app_ref, owner_ref, alias_path) = (&app, &owner, &alias_path);
    let alias = |address: &str| {
        let body = json!({"address": address});
        async move { app_ref.post(alias_path, Some(owner_ref), &body).await }
    };
    expect_json::<Alias>(alias("support@example.org").await, StatusCode::CREATED).await;
    for reserved in ["abuse@example.org", "abuse+reports@example.org"] {
        expect_problem(
            alias(reserved).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "address_reserved",
        )
        .await;
    }
    expect_problem(
        alias("anna@example.org").await,
        StatusCode::CONFLICT,
        "address_taken",
    )
    .await;
    expect_problem(
        alias("x@xn--bcher-kva.example").await,
        StatusCode::CONFLICT,
        "domain_not_verified",
    )
    .await;
    expect_problem(
        alias("x@elsewhere.example").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    // Live status of the records to publish.
    dns.mx("example.org", 10, "mx1.postwarden.test");
    dns.txt("example.org", "v=spf1 mx -all");
    dns.txt("_dmarc.example.org", "v=DMARC1; p=none");
    let checked: Domain = expect_json(
        app.post_empty(&format!("{path}/check"), &owner).await,
        StatusCode::OK,
    )
    .await;
    let status = |purpose: &str, host_part: &str| {
        checked
            .dns_records
            .iter()
            .find(|r| r.purpose == purpose && r.value.contains(host_part))
            .map(|r| r.status)
    };
    assert_eq!(status("verification", ""), Some(DnsRecordStatus::Ok));
    assert_eq!(status("mx", "mx1"), Some(DnsRecordStatus::Ok));
    assert_eq!(status("mx", "mx2"), Some(DnsRecordStatus::Wrong));
    assert_eq!(status("spf", ""), Some(DnsRecordStatus::Ok));
    assert_eq!(status("dkim", ""), Some(DnsRecordStatus::Missing));
    assert_eq!(status("dmarc", ""), Some(DnsRecordStatus::Wrong));

    // In use: not removable; the pending one is.
    let problem = expect_problem(
        app.delete(&path, &owner).await,
        StatusCode::CONFLICT,
        "domain_in_use",
    )
    .await;
    assert_eq!(problem.extra.address_count, Some(3));
    assert_eq!(
        app.delete(&format!("/api/v1/domains/{}", idn.id), &owner)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let list: Page<Domain> =
        expect_json(app.get("/api/v1/domains", &owner).await, StatusCode::OK).await;
    assert_eq!(
        list.items
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>(),
        ["example.org"]
    );

    // Verified here: another organization can no longer claim it.
    let other = app.paid_signup("latecomer").await.access_token;
    expect_problem(
        add(&app, &other, "example.org").await,
        StatusCode::CONFLICT,
        "domain_taken",
    )
    .await;
    expect_problem(
        app.get(&path, &other).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for (method, suffix) in [
        (Method::POST, "/verify"),
        (Method::POST, "/check"),
        (Method::DELETE, ""),
    ] {
        expect_problem(
            app.send(method, &format!("{path}{suffix}"), Some(&other), None)
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }

    // The mail server gets the DKIM private keys of verified domains.
    let dir = app.data_dir.path().join("dkim");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_postwarden-api"))
        .args(["dkim-keys", dir.to_str().unwrap()])
        .env_clear()
        .env("DATABASE_URL", &app.database_url)
        .env("POSTWARDEN_DATA_DIR", app.data_dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pem = std::fs::read_to_string(dir.join("example.org.postwarden.pem")).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "only verified domains"
    );
}

#[tokio::test]
async fn two_organizations_verifying_one_name_have_one_winner() {
    let (app, dns) = app_with_dns().await;
    let a = app.paid_signup("racer-a").await.access_token;
    let b = app.paid_signup("racer-b").await.access_token;
    let da: Domain = expect_json(add(&app, &a, "race.example").await, StatusCode::CREATED).await;
    let db: Domain = expect_json(add(&app, &b, "race.example").await, StatusCode::CREATED).await;
    dns.txt("race.example", &da.verification.value);
    dns.txt("race.example", &db.verification.value);
    let (pa, pb) = (
        format!("/api/v1/domains/{}/verify", da.id),
        format!("/api/v1/domains/{}/verify", db.id),
    );
    let (ra, rb) = tokio::join!(app.post_empty(&pa, &a), app.post_empty(&pb, &b));
    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let loser = if ra.status() == StatusCode::OK {
        rb
    } else {
        ra
    };
    expect_problem(loser, StatusCode::CONFLICT, "domain_taken").await;
}

#[tokio::test]
async fn dns_trouble_is_reported_and_caps_apply() {
    let (app, _dns) = app_with_dns().await;
    let owner = app.paid_signup("nxdomain").await.access_token;
    let d: Domain = expect_json(
        add(&app, &owner, "nothing-here.example").await,
        StatusCode::CREATED,
    )
    .await;
    let problem = expect_problem(
        app.post_empty(&format!("/api/v1/domains/{}/verify", d.id), &owner)
            .await,
        StatusCode::CONFLICT,
        "domain_not_verified",
    )
    .await;
    assert_eq!(problem.extra.found, Some(vec![]), "NXDOMAIN: nothing found");
    // The free plan holds no domain.
    let free = app.signup("nodomains").await.access_token;
    let problem = expect_problem(
        add(&app, &free, "mine.example").await,
        StatusCode::CONFLICT,
        "limit_reached",
    )
    .await;
    assert_eq!(problem.extra.cap, Some(shared::Cap::Domains));

    // A resolver that does not answer: 503 within seconds.
    let dead = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let app = spawn_with(Options {
        env: vec![(
            "POSTWARDEN_DNS_RESOLVER",
            dead.local_addr().unwrap().to_string(),
        )],
        ..Default::default()
    })
    .await;
    let owner = app.paid_signup("deaf").await.access_token;
    let d: Domain = expect_json(
        add(&app, &owner, "silent.example").await,
        StatusCode::CREATED,
    )
    .await;
    let started = std::time::Instant::now();
    expect_problem(
        app.post_empty(&format!("/api/v1/domains/{}/verify", d.id), &owner)
            .await,
        StatusCode::SERVICE_UNAVAILABLE,
        "dns_unavailable",
    )
    .await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

async fn route(app: &TestApp, token: &str, address: &str) -> reqwest::Response {
    let url =
        reqwest::Url::parse_with_params(&app.url("/api/v1/mail/route"), &[("address", address)])
            .unwrap();
    app.client.get(url).bearer_auth(token).send().await.unwrap()
}

#[tokio::test]
async fn mail_routes_follow_the_directory() {
    use shared::dto::{MailRoute, RouteAction, RouteReason};
    let (app, dns) = app_with_dns().await;
    let owner = app.paid_signup("router").await.access_token;
    let d: Domain = expect_json(
        add(&app, &owner, "routes.example").await,
        StatusCode::CREATED,
    )
    .await;
    dns.txt("routes.example", &d.verification.value);
    app.post_empty(&format!("/api/v1/domains/{}/verify", d.id), &owner)
        .await
        .error_for_status()
        .unwrap();
    let mut body = account_on("carla.r", "carla@routes.example");
    body["plan"] = json!("entry");
    let carla: Account = expect_json(
        app.post("/api/v1/accounts", Some(&owner), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let dino: Account = expect_json(
        app.post(
            "/api/v1/accounts",
            Some(&owner),
            &account_on("dino.r", "dino@routes.example"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let group: shared::dto::Group = expect_json(
        app.post(
            "/api/v1/groups",
            Some(&owner),
            &json!({"name": "Team", "email": "team@routes.example"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    for id in [carla.id, dino.id] {
        app.send(
            Method::PUT,
            &format!("/api/v1/groups/{}/members/{id}", group.id),
            Some(&owner),
            None,
        )
        .await
        .error_for_status()
        .unwrap();
    }
    app.post_empty(&format!("/api/v1/accounts/{}/disable", dino.id), &owner)
        .await
        .error_for_status()
        .unwrap();

    let check = |address: &'static str,
                 action: RouteAction,
                 mailboxes: &'static [&'static str],
                 reason: Option<RouteReason>| {
        let (app, owner) = (&app, &owner);
        async move {
            let got: MailRoute =
                expect_json(route(app, owner, address).await, StatusCode::OK).await;
            assert_eq!(
                got,
                MailRoute {
                    action,
                    mailboxes: mailboxes.iter().map(|m| m.to_string()).collect(),
                    reason
                },
                "{address}"
            );
        }
    };
    check(
        "carla@routes.example",
        RouteAction::Deliver,
        &["carla@routes.example"],
        None,
    )
    .await;
    check(
        "CARLA@Routes.Example",
        RouteAction::Deliver,
        &["carla@routes.example"],
        None,
    )
    .await;
    check(
        "dino@routes.example",
        RouteAction::Reject,
        &[],
        Some(RouteReason::AccountDisabled),
    )
    .await;
    check(
        "team@routes.example",
        RouteAction::Expand,
        &["carla@routes.example"],
        None,
    )
    .await;
    check(
        "nobody@routes.example",
        RouteAction::Reject,
        &[],
        Some(RouteReason::UnknownAddress),
    )
    .await;
    check(
        "abuse@routes.example",
        RouteAction::Deliver,
        &["abuse@postwarden.test"],
        None,
    )
    .await;
    check(
        "postmaster@routes.example",
        RouteAction::Deliver,
        &["router@postwarden.test"],
        None,
    )
    .await;
    check(
        "support@routes.example",
        RouteAction::Deliver,
        &["router@postwarden.test"],
        None,
    )
    .await;
    // Once an account takes support@, it goes there.
    app.post(
        &format!("/api/v1/accounts/{}/aliases", carla.id),
        Some(&owner),
        &json!({"address": "support@routes.example"}),
    )
    .await
    .error_for_status()
    .unwrap();
    check(
        "support@routes.example",
        RouteAction::Deliver,
        &["carla@routes.example"],
        None,
    )
    .await;
    // Freed again when the alias goes.
    app.delete(
        &format!(
            "/api/v1/accounts/{}/aliases/support@routes.example",
            carla.id
        ),
        &owner,
    )
    .await
    .error_for_status()
    .unwrap();
    check(
        "support@routes.example",
        RouteAction::Deliver,
        &["router@postwarden.test"],
        None,
    )
    .await;
    check(
        "router@postwarden.test",
        RouteAction::Deliver,
        &["router@postwarden.test"],
        None,
    )
    .await;

    // Admins see their own organization only; operators see everything.
    let other = app.paid_signup("nosy").await.access_token;
    expect_problem(
        route(&app, &other, "carla@routes.example").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_problem(
        route(&app, &other, "router@postwarden.test").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_problem(
        route(&app, &owner, "not an address").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let operator = app.operator_token().await;
    for (address, reason) in [
        ("x@nowhere.example", RouteReason::UnknownDomain),
        ("x@bücher.example", RouteReason::UnknownDomain),
        ("hostmaster@postwarden.test", RouteReason::Reserved),
    ] {
        let got: MailRoute =
            expect_json(route(&app, &operator, address).await, StatusCode::OK).await;
        assert_eq!(got.reason, Some(reason), "{address}");
    }
    let got: MailRoute = expect_json(
        route(&app, &operator, "abuse@postwarden.test").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(got.mailboxes, ["abuse@postwarden.test"]);
}

async fn verified_domain(app: &TestApp, dns: &DnsServer, owner: &str, name: &str) -> Domain {
    let d: Domain = expect_json(add(app, owner, name).await, StatusCode::CREATED).await;
    dns.txt(name, &d.verification.value);
    app.post_empty(&format!("/api/v1/domains/{}/verify", d.id), owner)
        .await
        .error_for_status()
        .unwrap();
    d
}

async fn raw_sql(app: &TestApp, sql: &str) -> Result<(), sea_orm::DbErr> {
    use sea_orm::ConnectionTrait;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let done = db.execute_unprepared(sql).await.map(|_| ());
    db.close().await.unwrap();
    done
}

#[tokio::test]
async fn mail_is_never_delivered_to_another_organization_than_the_domains() {
    use shared::dto::{MailRoute, RouteAction, RouteReason};
    let (app, dns) = app_with_dns().await;
    let owner = app.paid_signup("holder").await.access_token;
    verified_domain(&app, &dns, &owner, "held.example").await;
    app.paid_signup("intruder").await;
    // A row no rule of the API lets exist (as a domain that changed hands could leave behind):
    // another organization's account holding an address on this domain.
    raw_sql(
        &app,
        "INSERT INTO addresses (address, organization_id, kind, account_id, created_at) \
         SELECT 'boss@held.example', organization_id, 'alias', id, '2027-01-01T00:00:00Z' \
         FROM accounts WHERE username = 'intruder'",
    )
    .await
    .unwrap();
    let got: MailRoute = expect_json(
        route(&app, &owner, "boss@held.example").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (got.action, got.reason),
        (RouteAction::Reject, Some(RouteReason::UnknownAddress)),
        "{got:?}"
    );
    assert!(got.mailboxes.is_empty());
}

#[tokio::test]
async fn the_database_refuses_addresses_whose_domain_or_group_is_gone() {
    let app = spawn_app().await;
    app.paid_signup("keys").await;
    // Everything right but the one column tested (ids taken from the rows, whatever their
    // storage format).
    let insert = |column: &str| {
        format!(
            "INSERT INTO addresses (address, organization_id, kind, account_id, {column}, created_at) \
             SELECT 'x.{column}@postwarden.test', organization_id, 'alias', id, '{}', \
             '2027-01-01T00:00:00Z' FROM accounts WHERE username = 'keys'",
            uuid::Uuid::new_v4()
        )
    };
    for column in ["domain_id", "group_id"] {
        let e = raw_sql(&app, &insert(column)).await.unwrap_err();
        assert!(
            e.to_string().to_lowercase().contains("foreign key"),
            "{column}: {e}"
        );
    }
    // The same row with no domain or group is fine: the refusal was the foreign key's.
    raw_sql(
        &app,
        "INSERT INTO addresses (address, organization_id, kind, account_id, created_at) \
         SELECT 'x.fine@postwarden.test', organization_id, 'alias', id, '2027-01-01T00:00:00Z' \
         FROM accounts WHERE username = 'keys'",
    )
    .await
    .unwrap();
    let e = raw_sql(
        &app,
        &format!(
            "UPDATE organizations SET owner_account_id = '{}' \
             WHERE id = (SELECT organization_id FROM accounts WHERE username = 'keys')",
            uuid::Uuid::new_v4()
        ),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().to_lowercase().contains("foreign key"), "{e}");
}

#[tokio::test]
async fn a_domain_is_deleted_under_its_organizations_lock() {
    let (app, _dns) = app_with_dns().await;
    let signup = app.paid_signup("deleter").await;
    let owner = signup.access_token.clone();
    let d: Domain = expect_json(add(&app, &owner, "gone.example").await, StatusCode::CREATED).await;
    // An address being added holds the organization's lock: the deletion waits for it (and,
    // waiting too long, gives up with 503 rather than deleting beside it).
    let lock = app.hold_lock(signup.organization.id).await;
    let path = format!("/api/v1/domains/{}", d.id);
    expect_problem(
        app.delete(&path, &owner).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
    )
    .await;
    lock.release().await;
    assert_eq!(
        app.delete(&path, &owner).await.status(),
        StatusCode::NO_CONTENT
    );
}
