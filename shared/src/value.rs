//! Input value types. Each `parse` normalises (trim, lowercase) and validates one field and
//! returns a message fit to show beside the field when the value is refused. Past the
//! boundary the type proves validity ("parse, don't validate").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a value was refused: a sentence for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

fn invalid<T>(message: impl Into<String>) -> Result<T, Invalid> {
    Err(Invalid(message.into()))
}

macro_rules! string_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Invalid;
            fn try_from(value: String) -> Result<Self, Invalid> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// Checks the dot rules shared by usernames and local parts: no leading, trailing or double dot.
fn check_dots(s: &str, what: &str) -> Result<(), Invalid> {
    if s.starts_with('.') || s.ends_with('.') {
        return invalid(format!("{what} cannot start or end with a dot"));
    }
    if s.contains("..") {
        return invalid(format!("{what} cannot contain two dots in a row"));
    }
    Ok(())
}

string_value! {
    /// A login name: 3–64 characters of `a-z 0-9 . _ -`, dot rules of a local part, lowercase.
    Username
}

impl Username {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim().to_lowercase();
        let len = s.chars().count();
        if !(3..=64).contains(&len) {
            return invalid("must be 3 to 64 characters long");
        }
        if let Some(c) = s
            .chars()
            .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '.' | '_' | '-'))
        {
            return invalid(format!(
                "may contain only letters a-z, digits, '.', '_' and '-', not '{c}'"
            ));
        }
        check_dots(&s, "a username")?;
        Ok(Self(s))
    }

    /// Whether this name is one of the role or system names reserved on the provider domain.
    pub fn is_reserved(&self) -> bool {
        is_reserved_local_part(&self.0)
    }
}

/// The role addresses of RFC 2142 and the usual system names, never available on the provider
/// domain (SPEC §6).
pub const RESERVED_LOCAL_PARTS: &[&str] = &[
    "abuse",
    "postmaster",
    "hostmaster",
    "webmaster",
    "security",
    "noc",
    "support",
    "info",
    "admin",
    "administrator",
    "root",
    "mailer-daemon",
    "noreply",
    "no-reply",
];

/// Whether `local` is a reserved name, alone or with any `+tag` (`abuse+x`, SPEC §6).
pub fn is_reserved_local_part(local: &str) -> bool {
    RESERVED_LOCAL_PARTS.contains(&base_local_part(local))
}

/// The local part without its `+tag`: `abuse+x` → `abuse`.
pub fn base_local_part(local: &str) -> &str {
    local.split_once('+').map_or(local, |(base, _)| base)
}

string_value! {
    /// A domain name in lowercase ASCII (internationalized names in punycode): at least two labels of 1–63 characters of
    /// `a-z 0-9 -` (no leading or trailing hyphen), at most 253 characters in all.
    DomainName
}

impl DomainName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim().trim_end_matches('.').to_lowercase();
        if s.is_empty() {
            return invalid("must not be empty");
        }
        // Internationalized names are stored in punycode (IDNA, UTS #46).
        let s = if s.is_ascii() {
            s
        } else {
            match to_ascii(&s) {
                Some(ascii) => ascii,
                None => return invalid("is not a valid internationalized domain name"),
            }
        };
        if s.len() > 253 {
            return invalid("must be at most 253 characters long");
        }
        let labels: Vec<&str> = s.split('.').collect();
        if labels.len() < 2 {
            return invalid("must have at least two labels, like example.org");
        }
        for label in &labels {
            if label.is_empty() {
                return invalid("cannot contain an empty label (two dots in a row)");
            }
            if label.len() > 63 {
                return invalid("each label must be at most 63 characters long");
            }
            if label.starts_with('-') || label.ends_with('-') {
                return invalid("a label cannot start or end with a hyphen");
            }
            if let Some(c) = label
                .chars()
                .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-'))
            {
                return invalid(format!(
                    "may contain only letters, digits, '-' and dots, not '{c}'"
                ));
            }
        }
        if labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
        {
            return invalid("the last label cannot be all digits");
        }
        Ok(Self(s))
    }
}

/// UTS #46 ToASCII of a non-ASCII domain name, by the `idna` crate.
#[cfg(feature = "idna")]
fn to_ascii(name: &str) -> Option<String> {
    idna::domain_to_ascii(name).ok()
}

/// UTS #46 ToASCII of a non-ASCII domain name, by the browser's URL parser (the WHATWG URL
/// host parser the `idna` crate implements too). Characters that would end the host in a URL
/// are refused first, so that only the name is converted.
#[cfg(all(feature = "browser-idna", not(feature = "idna")))]
fn to_ascii(name: &str) -> Option<String> {
    if name
        .chars()
        .any(|c| c.is_whitespace() || "/?#@:[]\\%".contains(c))
    {
        return None;
    }
    let url = web_sys::Url::new(&format!("http://{name}/")).ok()?;
    Some(url.hostname())
}

#[cfg(not(any(feature = "idna", feature = "browser-idna")))]
fn to_ascii(_name: &str) -> Option<String> {
    None
}

string_value! {
    /// A mailbox address `local@domain` under the rules of SPEC §6: local part of 1–64
    /// characters of `a-z 0-9 . _ + -` with the dot rules, a valid domain, lowercase.
    EmailAddress
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        let Some((local, domain)) = s.rsplit_once('@') else {
            return invalid("must look like name@example.org");
        };
        let local = local.to_lowercase();
        let len = local.chars().count();
        if !(1..=64).contains(&len) {
            return invalid("the part before @ must be 1 to 64 characters long");
        }
        if let Some(c) = local
            .chars()
            .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '.' | '_' | '+' | '-'))
        {
            return invalid(format!(
                "the part before @ may contain only letters a-z, digits, '.', '_', '+' and '-', not '{c}'"
            ));
        }
        check_dots(&local, "the part before @")?;
        let domain = DomainName::parse(domain).map_err(|e| Invalid(format!("domain: {e}")))?;
        Ok(Self(format!("{local}@{domain}")))
    }

    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(l, _)| l)
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

string_value! {
    /// An external address (personal data): any deliverable-looking address, not bound to the
    /// stricter local-part rules of the mailboxes Postwarden hosts. Stored with its domain
    /// lowercased.
    ExternalEmail
}

impl ExternalEmail {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        let Some((local, domain)) = s.rsplit_once('@') else {
            return invalid("must look like name@example.org");
        };
        if local.is_empty() || local.len() > 64 {
            return invalid("the part before @ must be 1 to 64 characters long");
        }
        if local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '@' || c == '"')
        {
            return invalid("the part before @ cannot contain spaces, quotes or '@'");
        }
        let domain = DomainName::parse(domain).map_err(|e| Invalid(format!("domain: {e}")))?;
        Ok(Self(format!("{local}@{domain}")))
    }
}

/// A password chosen by an admin or a user: 10–128 characters, not all of one character class
/// (lowercase, uppercase, digits, others). Never logged: its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let len = input.chars().count();
        if len < 10 {
            return invalid("must be at least 10 characters long");
        }
        if len > 128 {
            return invalid("must be at most 128 characters long");
        }
        let class = |c: char| {
            if c.is_lowercase() {
                0
            } else if c.is_uppercase() {
                1
            } else if c.is_numeric() {
                2
            } else {
                3
            }
        };
        let mut chars = input.chars().map(class);
        let first = chars.next();
        if chars.all(|c| Some(c) == first) {
            return invalid(
                "must mix character kinds: letters and digits, upper and lower case, or symbols",
            );
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

string_value! {
    /// A mobile phone number in E.164: `+`, then 8 to 15 digits, the first not 0. Spaces,
    /// dots, dashes and parentheses typed for readability are removed.
    PhoneNumber
}

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        let Some(digits) = s.strip_prefix('+') else {
            return invalid("must be in international form, starting with + and the country code");
        };
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return invalid("may contain only digits after the +");
        }
        if digits.starts_with('0') {
            return invalid("the country code cannot start with 0");
        }
        if !(8..=15).contains(&digits.len()) {
            return invalid("must have 8 to 15 digits");
        }
        Ok(Self(s))
    }
}

string_value! {
    /// An ISO 3166-1 alpha-2 country code, uppercase.
    CountryCode
}

impl CountryCode {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim().to_uppercase();
        if s.len() == 2 && ISO_3166_ALPHA2.split(' ').any(|c| c == s) {
            Ok(Self(s))
        } else {
            invalid("must be a two-letter ISO 3166-1 country code, like IT or FR")
        }
    }
}

/// The officially assigned ISO 3166-1 alpha-2 codes.
const ISO_3166_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// A birthdate: a real calendar date (`YYYY-MM-DD`) in the past, not before 1900.
pub fn parse_birthdate(input: &str, today: NaiveDate) -> Result<NaiveDate, Invalid> {
    let Ok(date) = NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d") else {
        return invalid("must be a real date written YYYY-MM-DD");
    };
    if date >= today {
        return invalid("must be in the past");
    }
    if date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN) {
        return invalid("must be after 1900");
    }
    Ok(date)
}

/// A person's name or an organization's name: 1–100 characters once trimmed, no control
/// characters.
pub fn parse_name(input: &str, max: usize) -> Result<String, Invalid> {
    let s = input.trim();
    if s.is_empty() {
        return invalid("must not be empty");
    }
    if s.chars().count() > max {
        return invalid(format!("must be at most {max} characters long"));
    }
    if s.chars().any(char::is_control) {
        return invalid("cannot contain control characters");
    }
    Ok(s.to_owned())
}

/// A free-text field of personal data (street, city…): trimmed, at most `max` characters, no
/// control characters; empty means "not set".
pub fn parse_text(input: &str, max: usize) -> Result<Option<String>, Invalid> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    parse_name(s, max).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(
            Username::parse("  Mario.Rossi ").map(|u| u.0),
            Ok("mario.rossi".into())
        );
        for ok in ["abc", "a_b-c.d", "x1-", "0123456789"] {
            assert!(Username::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ab",
            ".abc",
            "abc.",
            "a..b",
            "a b",
            "àbc",
            "a+b",
            "a@b",
            &"a".repeat(65),
        ] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
        assert!(Username::parse(&"a".repeat(64)).is_ok());
        assert!(Username::parse("Postmaster").is_ok_and(|u| u.is_reserved()));
        assert!(Username::parse("mario").is_ok_and(|u| !u.is_reserved()));
    }

    #[test]
    fn reserved_names_stay_reserved_with_a_tag() {
        for local in ["abuse", "abuse+x", "postmaster+", "no-reply+a+b", "root+1"] {
            assert!(is_reserved_local_part(local), "{local}");
        }
        for local in ["abuser", "x+abuse", "mario+abuse", "rooted"] {
            assert!(!is_reserved_local_part(local), "{local}");
        }
        assert_eq!(base_local_part("abuse+x"), "abuse");
        assert_eq!(base_local_part("mario"), "mario");
    }

    #[test]
    fn addresses() {
        let a = EmailAddress::parse(" Mario.Rossi+News@Example.ORG ");
        assert_eq!(
            a.as_ref().map(|a| a.as_str()),
            Ok("mario.rossi+news@example.org")
        );
        assert_eq!(a.as_ref().map(|a| a.local_part()), Ok("mario.rossi+news"));
        assert_eq!(a.as_ref().map(|a| a.domain()), Ok("example.org"));
        for bad in [
            "plain",
            "@example.org",
            "a@",
            ".a@example.org",
            "a.@example.org",
            "a..b@example.org",
            "a b@example.org",
            "a@localhost",
            "a@-x.org",
            "a@x-.org",
            "a@x..org",
            "a@x.123",
            "a\"b@example.org",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
        assert!(EmailAddress::parse(&format!("{}@example.org", "a".repeat(64))).is_ok());
        assert!(EmailAddress::parse(&format!("{}@example.org", "a".repeat(65))).is_err());
        assert!(EmailAddress::parse("a@xn--bcher-kva.example").is_ok());
    }

    #[test]
    fn domains() {
        assert_eq!(
            DomainName::parse("Example.ORG.").map(|d| d.0),
            Ok("example.org".into())
        );
        assert_eq!(
            DomainName::parse("Bücher.DE").map(|d| d.0),
            Ok("xn--bcher-kva.de".into())
        );
        assert_eq!(
            EmailAddress::parse("Info@Bücher.de").map(|a| a.0),
            Ok("info@xn--bcher-kva.de".into())
        );
        for bad in [
            "org",
            "",
            "a..b",
            "-a.org",
            &format!("{}.org", "a".repeat(64)),
            "bü cher.de",
        ] {
            assert!(DomainName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn external_emails() {
        assert_eq!(
            ExternalEmail::parse("Mario.Rossi@GMail.com").map(|e| e.0),
            Ok("Mario.Rossi@gmail.com".into())
        );
        assert!(ExternalEmail::parse("no at sign").is_err());
        assert!(ExternalEmail::parse("a b@x.org").is_err());
    }

    #[test]
    fn passwords() {
        for ok in [
            "correct horse",
            "Abcdefghij",
            "abcdefghi1",
            "0123456789!",
            "pässwörd12",
        ] {
            assert!(Password::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "short1A",
            "abcdefghij",
            "ABCDEFGHIJ",
            "0123456789",
            "!!!!!!!!!!!",
        ] {
            assert!(Password::parse(bad).is_err(), "{bad}");
        }
        assert!(Password::parse(&"aB".repeat(64)).is_ok());
        assert!(Password::parse(&format!("{}c", "aB".repeat(64))).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("Secret-password-1")),
            "Ok(Password(<redacted>))"
        );
    }

    #[test]
    fn phones() {
        assert_eq!(
            PhoneNumber::parse("+39 333 123-4567").map(|p| p.0),
            Ok("+393331234567".into())
        );
        for bad in [
            "3331234567",
            "+0391234567",
            "+39abc12345",
            "+1234567",
            "+1234567890123456",
        ] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn countries() {
        assert_eq!(CountryCode::parse("it").map(|c| c.0), Ok("IT".into()));
        assert!(CountryCode::parse("XX").is_err());
        assert!(CountryCode::parse("ITA").is_err());
    }

    #[test]
    fn birthdates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        assert!(parse_birthdate("1990-02-28", today).is_ok());
        assert!(parse_birthdate("2000-02-29", today).is_ok());
        assert!(parse_birthdate("1990-02-29", today).is_err());
        assert!(parse_birthdate("2026-11-30", today).is_err());
        assert!(parse_birthdate("2030-01-01", today).is_err());
        assert!(parse_birthdate("1899-12-31", today).is_err());
        assert!(parse_birthdate("30/11/1990", today).is_err());
    }

    #[test]
    fn names() {
        assert_eq!(parse_name("  Rossi ", 100), Ok("Rossi".into()));
        assert!(parse_name("  ", 100).is_err());
        assert!(parse_name("a\u{0}b", 100).is_err());
        assert!(parse_name(&"x".repeat(101), 100).is_err());
        assert_eq!(parse_text(" ", 10), Ok(None));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn address_parse_never_panics_and_is_idempotent(s in "\\PC{0,80}") {
                if let Ok(a) = EmailAddress::parse(&s) {
                    prop_assert_eq!(EmailAddress::parse(a.as_str()), Ok(a.clone()));
                }
            }

            #[test]
            fn username_parse_is_idempotent(s in "[a-zA-Z0-9._-]{0,70}") {
                if let Ok(u) = Username::parse(&s) {
                    prop_assert_eq!(Username::parse(u.as_str()), Ok(u.clone()));
                }
            }

            #[test]
            fn domain_parse_is_idempotent(s in "[a-zA-Z0-9.-]{0,80}") {
                if let Ok(d) = DomainName::parse(&s) {
                    prop_assert_eq!(DomainName::parse(d.as_str()), Ok(d.clone()));
                }
            }
        }
    }
}
