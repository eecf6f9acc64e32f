//! Email domains.

pub mod detail;
pub mod list;
mod records;

use shared::ErrorCode;
use shared::dto::{DnsRecord, DnsRecordStatus, DomainStatus};

use crate::api::ClientError;
use crate::components::problem::problem_text;
use crate::i18n::{Locale, fill};

/// The i18n key of a domain's status.
pub(crate) fn status_key(status: DomainStatus) -> &'static str {
    match status {
        DomainStatus::Pending => "domains.pending",
        DomainStatus::Verified => "domains.verified",
    }
}

/// The CSS class of a domain's status.
pub(crate) fn status_class(status: DomainStatus) -> &'static str {
    match status {
        DomainStatus::Pending => "pending",
        DomainStatus::Verified => "verified",
    }
}

/// A record's status: a marker that does not rely on colour, and its i18n key.
pub(crate) fn record_status(status: DnsRecordStatus) -> (&'static str, &'static str) {
    match status {
        DnsRecordStatus::Ok => ("✓", "domains.record_ok"),
        DnsRecordStatus::Missing => ("✗", "domains.record_missing"),
        DnsRecordStatus::Wrong => ("!", "domains.record_wrong"),
        DnsRecordStatus::Unchecked => ("?", "domains.record_unchecked"),
    }
}

/// What a record is for, as people call it: `MX`, `SPF`, `DKIM`, `DMARC`, "Verification".
pub(crate) fn purpose_text(locale: Locale, purpose: &str) -> String {
    match purpose {
        "verification" => locale.text("domains.purpose_verification").to_owned(),
        other => other.to_ascii_uppercase(),
    }
}

/// How many records are published as they should be, out of how many.
pub(crate) fn published(records: &[DnsRecord]) -> (usize, usize) {
    let ok = records
        .iter()
        .filter(|r| r.status == DnsRecordStatus::Ok)
        .count();
    (ok, records.len())
}

/// The field of the add form a problem code is about.
pub(crate) fn field_of_code(code: ErrorCode) -> Option<&'static str> {
    matches!(code, ErrorCode::Conflict | ErrorCode::DomainTaken).then_some("name")
}

/// A failed domain call in words; the codes of domains are told here, the rest as everywhere.
pub(crate) fn explain(locale: Locale, error: &ClientError) -> String {
    let Some(problem) = error.problem() else {
        return problem_text(locale, error);
    };
    let t = |key| locale.text(key).to_owned();
    match problem.code {
        ErrorCode::Conflict => t("domains.exists"),
        ErrorCode::DomainTaken => t("domains.taken"),
        ErrorCode::DnsUnavailable => t("domains.dns_unavailable"),
        ErrorCode::NotFound => t("domains.not_found"),
        ErrorCode::DomainInUse => match problem.extra.address_count {
            Some(1) => t("domains.in_use_one"),
            Some(count) => fill(
                locale.text("domains.in_use"),
                &[("count", &count.to_string())],
            ),
            None => t("domains.in_use_any"),
        },
        _ => problem_text(locale, error),
    }
}

/// What DNS answered when verification failed: the TXT values found at the apex (`found`).
/// `None` when the failure is not a `domain_not_verified`.
pub(crate) fn found_values(error: &ClientError) -> Option<Vec<String>> {
    let problem = error.problem()?;
    if problem.code != ErrorCode::DomainNotVerified {
        return None;
    }
    Some(problem.extra.found.iter().flatten().cloned().collect())
}

#[cfg(test)]
mod tests {
    use shared::Problem;

    use super::*;

    fn error(problem: Problem) -> ClientError {
        ClientError::Problem {
            problem: Box::new(problem),
            retry_after: None,
        }
    }

    #[test]
    fn domain_problems_in_words() {
        let in_use =
            error(Problem::new(ErrorCode::DomainInUse, "x").with(|x| x.address_count = Some(3)));
        assert_eq!(
            explain(Locale::En, &in_use),
            "3 addresses still use this domain: remove them first."
        );
        let one =
            error(Problem::new(ErrorCode::DomainInUse, "x").with(|x| x.address_count = Some(1)));
        assert_eq!(
            explain(Locale::It, &one),
            "1 indirizzo usa ancora questo dominio: rimuovilo prima."
        );
        let taken = error(Problem::new(ErrorCode::DomainTaken, "x"));
        assert_eq!(
            explain(Locale::It, &taken),
            "Un'altra organizzazione ha già verificato questo dominio."
        );
        assert_eq!(field_of_code(ErrorCode::Conflict), Some("name"));
        assert_eq!(field_of_code(ErrorCode::LimitReached), None);
    }

    #[test]
    fn verification_failure_lists_what_dns_answered() {
        let found = error(Problem::new(ErrorCode::DomainNotVerified, "x").with(|x| {
            x.found = Some(vec![
                "v=spf1 -all".into(),
                "google-site-verification=1".into(),
            ])
        }));
        assert_eq!(
            found_values(&found),
            Some(vec![
                "v=spf1 -all".to_owned(),
                "google-site-verification=1".to_owned()
            ])
        );
        let none = error(Problem::new(ErrorCode::DomainNotVerified, "x"));
        assert_eq!(found_values(&none), Some(Vec::new()));
        assert_eq!(found_values(&ClientError::Network("x".into())), None);
    }

    #[test]
    fn records_are_counted_and_named() {
        let record = |purpose: &str, status| DnsRecord {
            purpose: purpose.into(),
            record_type: "TXT".into(),
            host: "example.org".into(),
            value: "v".into(),
            status,
        };
        let records = [
            record("verification", DnsRecordStatus::Ok),
            record("mx", DnsRecordStatus::Wrong),
            record("dkim", DnsRecordStatus::Ok),
        ];
        assert_eq!(published(&records), (2, 3));
        assert_eq!(purpose_text(Locale::En, "dkim"), "DKIM");
        assert_eq!(purpose_text(Locale::It, "verification"), "Verifica");
        assert_eq!(
            record_status(DnsRecordStatus::Missing).1,
            "domains.record_missing"
        );
    }
}
