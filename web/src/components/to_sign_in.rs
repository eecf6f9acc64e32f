//! Back to sign-in, and afterwards back here.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::pages::replace;

/// Render this when the server answers 401 (the session expired or was revoked): it goes to
/// `/sign-in?next=<this page>`, and signing in comes back to this page.
#[component]
pub fn ToSignIn() -> impl IntoView {
    let location = use_location();
    let pathname = location.pathname.get_untracked();
    // Several parts of a page can be refused at the same moment: the first one's redirect is
    // enough, and a later one must not take sign-in itself for the page to come back to.
    if pathname.starts_with("/sign-in") {
        return ().into_any();
    }
    let here = format!("{pathname}{}", location.search.get_untracked());
    let path = format!("/sign-in?next={}", encode(&here));
    view! { <Redirect path=path options=replace() /> }.into_any()
}

/// Where to go after signing in: `next` when it is a path of this app, else `None`. A value
/// such as `//evil.example`, `https://…`, `/\evil.example` or `/\t/evil.example` (browsers
/// drop tabs and newlines from URLs, and read a backslash as a slash) is refused, so the link
/// cannot send people away: only a path of printable ASCII characters is kept.
pub fn safe_next(next: Option<String>) -> Option<String> {
    let next = next?;
    let printable = next.bytes().all(|b| b.is_ascii_graphic());
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    (printable && local && !next.starts_with("/sign-in")).then_some(next)
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char);
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_inside_the_app() {
        assert_eq!(
            safe_next(Some("/users/1".into())).as_deref(),
            Some("/users/1")
        );
        assert_eq!(safe_next(Some("//evil.example".into())), None);
        assert_eq!(safe_next(Some("https://evil.example".into())), None);
        assert_eq!(safe_next(Some("/sign-in?next=/x".into())), None);
        for sneaky in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/\\evil.example",
            "/\u{0}/x",
            "/é",
        ] {
            assert_eq!(safe_next(Some(sneaky.into())), None, "{sneaky:?}");
        }
        assert_eq!(
            safe_next(Some("/users?q=a%20b".into())).as_deref(),
            Some("/users?q=a%20b")
        );
        assert_eq!(safe_next(None), None);
        assert_eq!(encode("/users?q=a b&x"), "/users%3Fq%3Da%20b%26x");
    }
}
