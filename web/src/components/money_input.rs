//! Amounts of money typed by a person, read into integer cents (the API's minor units), and
//! written back for editing.
//!
//! One reading for every money field (top-ups, credit adjustments, plan prices): the locale's own
//! format first (`1,234.56` in English, `1.234,56` in Italian), a currency symbol or code and
//! spaces ignored, the other convention's decimal separator accepted where it cannot be misread
//! (`25,50` in English), and anything ambiguous refused (`1.000` in English is not a thousand).

use crate::i18n::{Locale, fill};

/// The amounts a field accepts, in cents (as the server bounds them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub min: i64,
    pub max: i64,
}

/// Why a typed amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// Not a number in any money format.
    Format,
    /// More than two decimals.
    Decimals,
    TooSmall,
    TooLarge,
}

impl AmountError {
    /// The sentence beside the field (the limits as numbers in the locale; the field's hint
    /// names the currency).
    pub fn message(self, locale: Locale, bounds: Bounds) -> String {
        let money = |cents| locale.money(cents, "").trim().to_owned();
        match self {
            AmountError::Format => fill(
                locale.text("money.amount.format"),
                &[("example", example(locale))],
            ),
            AmountError::Decimals => locale.text("money.amount.decimals").to_owned(),
            AmountError::TooSmall if bounds.min == 0 => {
                locale.text("money.amount.not_negative").to_owned()
            }
            AmountError::TooSmall => fill(
                locale.text("money.amount.min"),
                &[("min", &money(bounds.min))],
            ),
            AmountError::TooLarge => fill(
                locale.text("money.amount.max"),
                &[("max", &money(bounds.max))],
            ),
        }
    }
}

/// An amount as people of the locale write it.
pub fn example(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "25.00",
        Locale::It => "25,00",
    }
}

/// `25`, `25.5`, `1,234.56`, `-3` (English) or `25,50`, `1.234,56 €` (Italian) → cents, within
/// `bounds`. A sign, a currency symbol or code and spaces are allowed. The locale's decimal
/// separator is preferred; the other one is taken as the decimal separator too when one or two
/// digits follow it and nothing else is ambiguous (`25.50` in Italian).
pub fn parse_amount(locale: Locale, text: &str, bounds: Bounds) -> Result<i64, AmountError> {
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '€' | '$' | '£'))
        .collect();
    // A currency code before or after the number (`EUR 25`, `25 EUR`).
    let code = |t: Option<&str>| t.is_some_and(|t| t.bytes().all(|b| b.is_ascii_alphabetic()));
    if s.len() > 3 && code(s.get(s.len() - 3..)) {
        s.truncate(s.len() - 3);
    } else if s.len() > 3 && code(s.get(..3)) {
        s.drain(..3);
    }
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    let out_of_bounds = if negative {
        AmountError::TooSmall
    } else {
        AmountError::TooLarge
    };
    let (decimal, grouping) = match locale {
        Locale::En => ('.', ','),
        Locale::It => (',', '.'),
    };
    let (units, fraction) = match s.rfind(['.', ',']) {
        None => (s, ""),
        Some(at) => {
            let separator = if s[at..].starts_with('.') { '.' } else { ',' };
            let (before, after) = (&s[..at], &s[at + 1..]);
            let digits = after.len();
            if separator == decimal {
                (before, after)
            } else if digits == 3 && after.bytes().all(|b| b.is_ascii_digit()) {
                // `1,000` in English, `1.000` in Italian: thousands.
                (s, "")
            } else if (1..=2).contains(&digits) && !before.contains([decimal, separator]) {
                // `25,50` in English: the other convention's decimal separator.
                (before, after)
            } else {
                return Err(AmountError::Format);
            }
        }
    };
    let separator_in_units = if units.contains(grouping) {
        grouping
    } else {
        // `25.50` in Italian was split above; its units hold no separator.
        decimal
    };
    let units = ungroup(units, separator_in_units).ok_or(AmountError::Format)?;
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || (units.is_empty() && fraction.is_empty()) {
        return Err(AmountError::Format);
    }
    if fraction.len() > 2 {
        return Err(AmountError::Decimals);
    }
    if units.len() > 12 {
        return Err(out_of_bounds);
    }
    let whole: i64 = if units.is_empty() {
        0
    } else {
        units.parse().map_err(|_| AmountError::Format)?
    };
    let cents: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| AmountError::Format)?;
    let magnitude = whole * 100 + cents;
    let total = if negative { -magnitude } else { magnitude };
    if total < bounds.min {
        return Err(AmountError::TooSmall);
    }
    if total > bounds.max {
        return Err(AmountError::TooLarge);
    }
    Ok(total)
}

/// `1,234` → `1234` when the groups are well formed (1–3 digits, then threes).
fn ungroup(units: &str, separator: char) -> Option<String> {
    let groups: Vec<&str> = units.split(separator).collect();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if groups.len() == 1 {
        return digits(units).then(|| units.to_owned());
    }
    // `0,001` is no thousands grouping.
    let first_ok =
        (1..=3).contains(&groups[0].len()) && digits(groups[0]) && !groups[0].starts_with('0');
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3 && digits(g));
    (first_ok && rest_ok).then(|| groups.concat())
}

/// Cents as a person would type them back: `1250` → `12.50` in English, `12,50` in Italian
/// (no symbol, no grouping), so that [`parse_amount`] reads it again.
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

    /// A top-up's bounds: from €0.01 to €100,000.00.
    const TOP_UP: Bounds = Bounds {
        min: 1,
        max: 10_000_000,
    };
    /// Signed, as a credit adjustment.
    const SIGNED: Bounds = Bounds {
        min: -10_000_000,
        max: 10_000_000,
    };

    fn en(text: &str) -> Result<i64, AmountError> {
        parse_amount(Locale::En, text, TOP_UP)
    }

    fn it(text: &str) -> Result<i64, AmountError> {
        parse_amount(Locale::It, text, TOP_UP)
    }

    #[test]
    fn english_amounts() {
        assert_eq!(en("25"), Ok(2500));
        assert_eq!(en("25.00"), Ok(2500));
        assert_eq!(en("25.5"), Ok(2550));
        assert_eq!(en("0.01"), Ok(1));
        assert_eq!(en(".50"), Ok(50));
        assert_eq!(en("25."), Ok(2500));
        assert_eq!(en("1,234.56"), Ok(123_456));
        assert_eq!(en("1,000"), Ok(100_000));
        assert_eq!(en("€ 25"), Ok(2500));
        assert_eq!(en("25 EUR"), Ok(2500));
        assert_eq!(en("25,50"), Ok(2550));
        assert_eq!(en("+0,05"), Ok(5));
        assert_eq!(en("100,000.00"), Ok(TOP_UP.max));
    }

    #[test]
    fn italian_amounts() {
        assert_eq!(it("25,00"), Ok(2500));
        assert_eq!(it("25,5"), Ok(2550));
        assert_eq!(it("1.234,56"), Ok(123_456));
        assert_eq!(it("1.000"), Ok(100_000));
        assert_eq!(it("25,00 €"), Ok(2500));
        assert_eq!(it("25.50"), Ok(2550));
        assert_eq!(it("100.000"), Ok(TOP_UP.max));
    }

    #[test]
    fn signed_amounts() {
        assert_eq!(parse_amount(Locale::En, "-3.00", SIGNED), Ok(-300));
        assert_eq!(parse_amount(Locale::It, "-1.234,5", SIGNED), Ok(-123_450));
        assert_eq!(parse_amount(Locale::En, "0", SIGNED), Ok(0));
        assert_eq!(
            parse_amount(Locale::En, "-100,000.01", SIGNED),
            Err(AmountError::TooSmall)
        );
        assert_eq!(
            parse_amount(Locale::En, "-99999999999999999999", SIGNED),
            Err(AmountError::TooSmall)
        );
        assert_eq!(
            parse_amount(Locale::En, "--3", SIGNED),
            Err(AmountError::Format)
        );
    }

    #[test]
    fn refused_amounts() {
        assert_eq!(en("abc"), Err(AmountError::Format));
        assert_eq!(en(""), Err(AmountError::Format));
        assert_eq!(en("."), Err(AmountError::Format));
        assert_eq!(en("1,23,4"), Err(AmountError::Format));
        assert_eq!(en("12,34.5.6"), Err(AmountError::Format));
        assert_eq!(en("1.2.3"), Err(AmountError::Format));
        assert_eq!(en("2a5"), Err(AmountError::Format));
        assert_eq!(en("0.001"), Err(AmountError::Decimals));
        assert_eq!(en("1.000"), Err(AmountError::Decimals));
        assert_eq!(en("0"), Err(AmountError::TooSmall));
        assert_eq!(en("0.00"), Err(AmountError::TooSmall));
        assert_eq!(en("-5"), Err(AmountError::TooSmall));
        assert_eq!(en("100000.01"), Err(AmountError::TooLarge));
        assert_eq!(en("99999999999999999999"), Err(AmountError::TooLarge));
        assert_eq!(it("1.234.5"), Err(AmountError::Format));
        assert_eq!(en("1,234,5"), Err(AmountError::Format));
        assert_eq!(en("0,001"), Err(AmountError::Format));
        assert_eq!(it("0.001"), Err(AmountError::Format));
        assert_eq!(en("é25"), Err(AmountError::Format));
        assert_eq!(en("25€€é"), Err(AmountError::Format));
        assert_eq!(en("+-1"), Err(AmountError::Format));
    }

    #[test]
    fn messages_name_the_limits() {
        assert_eq!(
            AmountError::TooLarge.message(Locale::En, TOP_UP),
            "Must be at most 100,000.00."
        );
        assert_eq!(
            AmountError::TooSmall.message(Locale::It, TOP_UP),
            "Deve essere almeno 0,01."
        );
        assert_eq!(
            AmountError::TooSmall.message(Locale::En, SIGNED),
            "Must be at least -100,000.00."
        );
        assert_eq!(
            AmountError::Format.message(Locale::It, TOP_UP),
            "Deve essere un importo come 25,00."
        );
    }

    #[test]
    fn a_floor_of_zero_is_said_plainly() {
        let price = Bounds { min: 0, max: 100 };
        assert_eq!(
            AmountError::TooSmall.message(Locale::It, price),
            "Non deve essere negativo."
        );
    }

    #[test]
    fn written_amounts_read_back() {
        for cents in [0, 5, 1250, -300, 9_999_999] {
            for locale in Locale::ALL {
                assert_eq!(
                    parse_amount(locale, &cents_text(locale, cents), SIGNED),
                    Ok(cents)
                );
            }
        }
        assert_eq!(cents_text(Locale::It, -1205), "-12,05");
        assert_eq!(cents_text(Locale::En, 7), "0.07");
    }
}
