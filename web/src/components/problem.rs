//! A failed call in words of the current locale.

use shared::ErrorCode;

use crate::api::ClientError;
use crate::i18n::{Locale, fill};

/// The sentence for a failure. Codes the app knows are told in the locale; any other problem
/// shows the server's `detail`.
pub fn problem_text(locale: Locale, error: &ClientError) -> String {
    let t = |key| locale.text(key).to_owned();
    let problem = match error {
        ClientError::Network(_) => return t("problem.network"),
        ClientError::Unexpected { status, .. } => {
            return fill(
                locale.text("problem.unexpected"),
                &[("status", &status.to_string())],
            );
        }
        ClientError::Problem { problem, .. } => problem,
    };
    match problem.code {
        ErrorCode::RateLimited if locale == Locale::En => error.to_string(),
        ErrorCode::RateLimited => t("problem.rate_limited"),
        ErrorCode::Forbidden => t("problem.forbidden"),
        ErrorCode::NotFound => t("problem.not_found"),
        ErrorCode::UsernameTaken => t("problem.username_taken"),
        ErrorCode::AddressTaken => t("problem.address_taken"),
        ErrorCode::AddressReserved => t("problem.address_reserved"),
        ErrorCode::DomainNotVerified => t("problem.domain_not_verified"),
        ErrorCode::LimitReached => match problem.extra.cap.map(shared::Cap::as_str) {
            Some(cap) => {
                let cap_text = cap_key(cap).map_or(cap, |key| locale.text(key));
                fill(locale.text("problem.limit_reached"), &[("cap", cap_text)])
            }
            None => t("problem.limit_reached_any"),
        },
        ErrorCode::CreditInsufficient => match problem.extra.missing_cents {
            Some(cents) => {
                let currency = problem.extra.currency.as_deref();
                let missing = money(cents, currency);
                fill(
                    locale.text("problem.credit_insufficient"),
                    &[("missing", &missing)],
                )
            }
            None => t("problem.credit_insufficient_any"),
        },
        _ => error.to_string(),
    }
}

fn cap_key(cap: &str) -> Option<&'static str> {
    match cap {
        "accounts" => Some("cap.accounts"),
        "free_accounts" => Some("cap.free_accounts"),
        "domains" => Some("cap.domains"),
        "aliases" => Some("cap.aliases"),
        _ => None,
    }
}

/// `1234` → `12.34`, followed by the currency code when known.
pub fn money(cents: i64, currency: Option<&str>) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let amount = format!("{sign}{}.{:02}", abs / 100, abs % 100);
    match currency {
        Some(code) => format!("{amount} {code}"),
        None => amount,
    }
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
    fn credit_insufficient_names_the_missing_amount() {
        let problem = Problem::new(ErrorCode::CreditInsufficient, "x").with(|x| {
            x.missing_cents = Some(450);
            x.currency = Some("EUR".into());
        });
        assert_eq!(
            problem_text(Locale::En, &error(problem)),
            "The credit is not enough: 4.50 EUR more is needed."
        );
    }

    #[test]
    fn limit_reached_names_the_cap() {
        let problem = Problem::new(ErrorCode::LimitReached, "x")
            .with(|x| x.cap = Some(shared::Cap::FreeAccounts));
        assert_eq!(
            problem_text(Locale::It, &error(problem)),
            "Si supererebbe un limite del tuo piano (utenti gratuiti)."
        );
    }

    #[test]
    fn other_problems_show_the_detail() {
        let problem = Problem::new(ErrorCode::Conflict, "the detail");
        assert_eq!(problem_text(Locale::It, &error(problem)), "the detail");
        assert_eq!(money(-5, None), "-0.05");
    }
}
