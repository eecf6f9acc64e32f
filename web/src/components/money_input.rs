//! Amounts of money typed by a person, read into integer cents (the API's minor units).
//!
//! The rule, the same in every locale so that nothing depends on guessing:
//! - an optional sign (`-` or `+`), then at least one digit;
//! - optionally ONE decimal separator, `.` or `,`, followed by one or two digits;
//! - no thousands separators, no currency symbol; spaces around the amount are ignored.
//!
//! So `12`, `12.5`, `12.50`, `12,50`, `-3.00` and `+0,05` are read, and `1,234.56`, `12.345`,
//! `12.`, `.50`, `€12` and `1 234` are refused, each with a reason.

use crate::i18n::Locale;

/// The largest amount accepted, in cents (one hundred billion units): beyond anything the server
/// takes, small enough never to overflow.
const MAX_CENTS: i64 = 10_000_000_000_000;

/// `"12,50"` → `1250`, `"-3"` → `-300`. The error is a short English reason, like the `shared`
/// parsers give.
pub fn parse_money_cents(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("must not be empty".into());
    }
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (units, decimals) = match rest.find(['.', ',']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(units) {
        return Err("must be an amount like 12.50 or -3,00".into());
    }
    let hundredths = match decimals {
        None => 0,
        Some(d) if !digits(d) => {
            return Err(
                "must have one decimal separator followed by one or two digits, \
                 and no thousands separators"
                    .into(),
            );
        }
        Some(d) if d.len() > 2 => return Err("must have at most two decimals".into()),
        Some(d) => d.parse::<i64>().map_err(|e| e.to_string())? * if d.len() == 1 { 10 } else { 1 },
    };
    let cents = units
        .parse::<i64>()
        .ok()
        .and_then(|u| u.checked_mul(100))
        .and_then(|c| c.checked_add(hundredths))
        .filter(|c| *c <= MAX_CENTS)
        .ok_or_else(|| "is too large".to_owned())?;
    Ok(if negative { -cents } else { cents })
}

/// Cents as a person would type them back: `1250` → `12.50` in English, `12,50` in Italian
/// (no symbol, no grouping), so that [`parse_money_cents`] reads it again.
pub fn cents_text(locale: Locale, cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let separator = match locale {
        Locale::En => '.',
        Locale::It => ',',
    };
    format!("{sign}{}{separator}{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_amounts_with_either_separator() {
        assert_eq!(parse_money_cents("12"), Ok(1200));
        assert_eq!(parse_money_cents("12.5"), Ok(1250));
        assert_eq!(parse_money_cents("12.50"), Ok(1250));
        assert_eq!(parse_money_cents(" 12,50 "), Ok(1250));
        assert_eq!(parse_money_cents("-3.00"), Ok(-300));
        assert_eq!(parse_money_cents("+0,05"), Ok(5));
        assert_eq!(parse_money_cents("-0.5"), Ok(-50));
        assert_eq!(parse_money_cents("0"), Ok(0));
        assert_eq!(parse_money_cents("007"), Ok(700));
    }

    #[test]
    fn refuses_what_could_be_misread() {
        for text in [
            "", " ", "-", "1,234.56", "1.234,56", "12.345", "12.", ".50", "€12", "12 €", "1 234",
            "12-", "--3", "1e3", "abc", "+-1",
        ] {
            assert!(parse_money_cents(text).is_err(), "{text:?} was read");
        }
        assert_eq!(
            parse_money_cents("1.999"),
            Err("must have at most two decimals".to_owned())
        );
        assert_eq!(
            parse_money_cents("99999999999999999999"),
            Err("is too large".to_owned())
        );
        assert_eq!(parse_money_cents("100000000000"), Ok(MAX_CENTS));
        assert!(parse_money_cents("100000000000.01").is_err());
    }

    #[test]
    fn written_amounts_read_back() {
        for cents in [0, 5, 1250, -300, 123_456_789] {
            for locale in Locale::ALL {
                assert_eq!(parse_money_cents(&cents_text(locale, cents)), Ok(cents));
            }
        }
        assert_eq!(cents_text(Locale::It, -1205), "-12,05");
        assert_eq!(cents_text(Locale::En, 7), "0.07");
    }
}
