//! The layers of `docs/architecture.md`, kept by reading the source: `http` never reaches the
//! database (no `store`, no sea-orm, no `s.db`), `service` builds no SQL (no entity, column,
//! query builder or driver; sea-orm only for `ConnectionTrait` and `DbErr`), `store` never calls
//! up, and the service modules form a tree (no circle of imports).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One source file: its module name and its text without unit tests.
struct Source {
    name: String,
    text: String,
}

fn sources(layer: &str) -> Vec<Source> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let mut out: Vec<Source> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a source file");
            Source {
                name: p.file_stem().unwrap().to_string_lossy().into_owned(),
                text: without_tests(&text).to_owned(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The text before the unit tests (`#[cfg(test)]`), which may use anything.
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |at| &text[..at])
}

/// `file:line: line` for every code line (not a comment) containing one of `forbidden`.
fn violations(layer: &str, source: &Source, forbidden: &[&str], allowed: &[&str]) -> Vec<String> {
    source
        .text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| {
            let mut rest = (*line).to_owned();
            for ok in allowed {
                rest = rest.replace(ok, "");
            }
            forbidden.iter().any(|f| rest.contains(f))
        })
        .map(|(n, line)| format!("src/{layer}/{}.rs:{}: {}", source.name, n + 1, line.trim()))
        .collect()
}

fn check(layer: &str, forbidden: &[&str], allowed: &[&str]) -> Vec<String> {
    sources(layer)
        .iter()
        .flat_map(|s| violations(layer, s, forbidden, allowed))
        .collect()
}

/// The sibling modules each module of a layer uses (`super::x`, `super::{x, y::z}`).
fn imports(sources: &[Source]) -> BTreeMap<String, BTreeSet<String>> {
    let names: BTreeSet<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    let mut graph = BTreeMap::new();
    for source in sources {
        let mut used = BTreeSet::new();
        for (at, _) in source.text.match_indices("super::") {
            let rest = &source.text[at + "super::".len()..];
            let items = match rest.strip_prefix('{') {
                Some(group) => group[..group.find('}').unwrap_or(group.len())].to_owned(),
                None => rest
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            };
            for item in items.split(',') {
                let module = item.trim().split("::").next().unwrap_or_default().trim();
                if module != source.name && names.contains(module) {
                    used.insert(module.to_owned());
                }
            }
        }
        graph.insert(source.name.clone(), used);
    }
    graph
}

/// A circle of imports, if there is one: `a → b → a`.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn http_never_reaches_the_database() {
    let found = check("http", &["crate::store", "sea_orm", ".db."], &[]);
    assert!(
        found.is_empty(),
        "http uses the store:\n{}",
        found.join("\n")
    );
}

#[test]
fn services_build_no_sql() {
    let found = check(
        "service",
        &[
            "sea_orm",
            "sea_query",
            "sqlx",
            "Entity::",
            "Column::",
            "ActiveModel",
        ],
        &["sea_orm::ConnectionTrait", "sea_orm::DbErr"],
    );
    assert!(found.is_empty(), "SQL outside store:\n{}", found.join("\n"));
}

#[test]
fn the_store_never_calls_up() {
    let found = check("store", &["crate::service", "crate::http"], &[]);
    assert!(
        found.is_empty(),
        "store uses an upper layer:\n{}",
        found.join("\n")
    );
}

#[test]
fn service_modules_form_a_tree() {
    let graph = imports(&sources("service"));
    assert!(graph.contains_key("accounts") && !graph["accounts"].is_empty());
    if let Some(found) = circle(&graph) {
        panic!(
            "service modules import each other in a circle: {}",
            found.join(" → ")
        );
    }
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The workspace lints deny `unsafe`; the one allowed call (an allocator setting) lives in
/// `api/src/memory.rs`, and no other source of any crate may allow it.
#[test]
fn unsafe_code_lives_in_one_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let manifest =
        std::fs::read_to_string(root.join("Cargo.toml")).expect("the workspace manifest");
    let members = manifest
        .lines()
        .find_map(|l| l.strip_prefix("members = ["))
        .expect("a members line");
    let mut files = Vec::new();
    for krate in members
        .split(',')
        .map(|m| m.trim().trim_matches(['"', ']']))
    {
        for dir in ["src", "tests", "benches"] {
            let dir = root.join(krate).join(dir);
            if dir.is_dir() {
                rust_files(&dir, &mut files);
            }
        }
    }
    let found: Vec<String> = files
        .iter()
        .filter(|p| !p.ends_with("api/src/memory.rs") && !p.ends_with("api/tests/layers.rs"))
        .filter(|p| {
            let text = std::fs::read_to_string(p).expect("a source file");
            text.contains("unsafe_code") || text.contains("unsafe {") || text.contains("unsafe fn")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(files.len() > 50, "the sources were not found");
    assert!(
        found.is_empty(),
        "unsafe outside api/src/memory.rs: {found:?}"
    );
}

#[test]
fn the_checks_can_fail() {
    let source = |name: &str, text: &str| Source {
        name: name.into(),
        text: text.into(),
    };
    let bad = source(
        "x",
        "use crate::store::accounts;\n// crate::store in a comment\n",
    );
    assert_eq!(violations("http", &bad, &["crate::store"], &[]).len(), 1);
    let fine = source("x", "use sea_orm::ConnectionTrait;\n");
    assert!(
        violations(
            "service",
            &fine,
            &["sea_orm"],
            &["sea_orm::ConnectionTrait"]
        )
        .is_empty()
    );
    let graph = imports(&[
        source("a", "use super::{b, c::X};"),
        source("b", "use super::c;"),
        source("c", "fn f() { super::a::g() }"),
    ]);
    assert_eq!(
        circle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let tree = imports(&[source("a", "use super::b;"), source("b", "")]);
    assert_eq!(circle(&tree), None);
}
