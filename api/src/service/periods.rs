//! Billing periods and pro-rata arithmetic (SPEC §2, §4): pure functions of their inputs, the
//! current time always passed in. Money is integer cents; intermediate products use 128 bits.

use chrono::{DateTime, Datelike, Months, Utc};
use shared::dto::BillingPeriod;

/// The calendar months a period lasts.
pub const fn months(period: BillingPeriod) -> u32 {
    match period {
        BillingPeriod::Monthly => 1,
        BillingPeriod::Yearly => 12,
    }
}

/// `start` plus `months` calendar months, same day and time, clamped to the last day of the
/// target month (Jan 31 + 1 month = Feb 28, or 29 in a leap year).
pub fn add_months(start: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    // chrono's `checked_add_months` clamps to the month's last day, as SPEC §2 asks; it fails
    // only past year 262143, where a period end of "never" is the honest answer.
    start
        .checked_add_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The end of a period that starts at `start`.
pub fn period_end(start: DateTime<Utc>, period: BillingPeriod) -> DateTime<Utc> {
    add_months(start, months(period))
}

/// The end of the period that follows one ending at `end`, in a chain anchored at `anchor`
/// (the start of its first period): a whole number of calendar months from the anchor, so the
/// day of the month never drifts (Jan 31 → Feb 28 → Mar 31 → Apr 30). An `end` off the anchor's
/// grid (it cannot happen, but stored data may disagree) is simply followed by one period.
pub fn next_end(anchor: DateTime<Utc>, end: DateTime<Utc>, period: BillingPeriod) -> DateTime<Utc> {
    let apart = (i64::from(end.year()) - i64::from(anchor.year())) * 12 + i64::from(end.month())
        - i64::from(anchor.month());
    match u32::try_from(apart) {
        Ok(n) if add_months(anchor, n) == end => add_months(anchor, n + months(period)),
        _ => period_end(end, period),
    }
}

/// What one period of a plan costs: the monthly price, or
/// floor(12 × monthly × (100 − discount) / 100) for a year.
pub fn period_price(monthly_cents: i64, period: BillingPeriod, discount_percent: u8) -> i64 {
    match period {
        BillingPeriod::Monthly => monthly_cents,
        BillingPeriod::Yearly => {
            let d = i128::from(Ord::min(discount_percent, 100));
            i64::try_from(12 * i128::from(monthly_cents) * (100 - d) / 100).unwrap_or(i64::MAX)
        }
    }
}

/// The unused value of a period at `now`: floor(paid × remaining_seconds / period_seconds),
/// never negative and never more than `paid`. Before the period starts everything is unused;
/// after it ends nothing is.
pub fn refund(
    paid_cents: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> i64 {
    let total = (end - start).num_seconds();
    if paid_cents <= 0 || total <= 0 {
        return 0;
    }
    let remaining = (end - now).num_seconds().clamp(0, total);
    let value = i128::from(paid_cents) * i128::from(remaining) / i128::from(total);
    i64::try_from(value)
        .unwrap_or(paid_cents)
        .clamp(0, paid_cents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
    }

    #[test]
    fn months_keep_the_day_and_time_and_clamp_to_the_month_end() {
        assert_eq!(
            add_months(at(2026, 1, 15, 10, 30, 0), 1),
            at(2026, 2, 15, 10, 30, 0)
        );
        assert_eq!(
            add_months(at(2026, 1, 31, 23, 59, 59), 1),
            at(2026, 2, 28, 23, 59, 59)
        );
        assert_eq!(
            add_months(at(2028, 1, 31, 0, 0, 0), 1),
            at(2028, 2, 29, 0, 0, 0),
            "leap year"
        );
        assert_eq!(
            add_months(at(2026, 12, 31, 8, 0, 0), 1),
            at(2027, 1, 31, 8, 0, 0)
        );
        assert_eq!(
            add_months(at(2028, 2, 29, 12, 0, 0), 12),
            at(2029, 2, 28, 12, 0, 0),
            "yearly from a leap day"
        );
        assert_eq!(
            period_end(at(2026, 3, 31, 0, 0, 0), BillingPeriod::Monthly),
            at(2026, 4, 30, 0, 0, 0)
        );
        assert_eq!(
            period_end(at(2026, 3, 31, 0, 0, 0), BillingPeriod::Yearly),
            at(2027, 3, 31, 0, 0, 0)
        );
    }

    #[test]
    fn chained_periods_keep_the_day_of_their_anchor() {
        let chain = |anchor: DateTime<Utc>, period, n: usize| {
            let mut ends = vec![period_end(anchor, period)];
            while ends.len() < n {
                let last = ends[ends.len() - 1];
                ends.push(next_end(anchor, last, period));
            }
            ends
        };
        // SPEC §2: never drifting to the 28th.
        assert_eq!(
            chain(at(2027, 1, 31, 23, 59, 30), BillingPeriod::Monthly, 5),
            [
                at(2027, 2, 28, 23, 59, 30),
                at(2027, 3, 31, 23, 59, 30),
                at(2027, 4, 30, 23, 59, 30),
                at(2027, 5, 31, 23, 59, 30),
                at(2027, 6, 30, 23, 59, 30),
            ]
        );
        // A leap year's February, and across a year end.
        assert_eq!(
            chain(at(2027, 12, 31, 8, 0, 0), BillingPeriod::Monthly, 4),
            [
                at(2028, 1, 31, 8, 0, 0),
                at(2028, 2, 29, 8, 0, 0),
                at(2028, 3, 31, 8, 0, 0),
                at(2028, 4, 30, 8, 0, 0),
            ]
        );
        // Yearly from a leap day comes back to Feb 29 when there is one.
        assert_eq!(
            chain(at(2028, 2, 29, 12, 0, 0), BillingPeriod::Yearly, 4),
            [
                at(2029, 2, 28, 12, 0, 0),
                at(2030, 2, 28, 12, 0, 0),
                at(2031, 2, 28, 12, 0, 0),
                at(2032, 2, 29, 12, 0, 0),
            ]
        );
        // A chain that switched from monthly to yearly keeps its day too.
        let anchor = at(2027, 1, 31, 0, 0, 0);
        assert_eq!(
            next_end(anchor, at(2027, 2, 28, 0, 0, 0), BillingPeriod::Yearly),
            at(2028, 2, 29, 0, 0, 0)
        );
        assert_eq!(
            next_end(anchor, at(2028, 2, 29, 0, 0, 0), BillingPeriod::Monthly),
            at(2028, 3, 31, 0, 0, 0)
        );
        // An end off the grid is followed by one plain period.
        assert_eq!(
            next_end(anchor, at(2027, 3, 15, 0, 0, 0), BillingPeriod::Monthly),
            at(2027, 4, 15, 0, 0, 0)
        );
        assert_eq!(
            next_end(anchor, at(2026, 12, 31, 0, 0, 0), BillingPeriod::Monthly),
            at(2027, 1, 31, 0, 0, 0),
            "an end before the anchor"
        );
    }

    #[test]
    fn yearly_prices_round_down() {
        assert_eq!(period_price(350, BillingPeriod::Monthly, 20), 350);
        assert_eq!(period_price(350, BillingPeriod::Yearly, 0), 4200);
        assert_eq!(period_price(333, BillingPeriod::Yearly, 7), 3716); // 3716.28
        assert_eq!(period_price(750, BillingPeriod::Yearly, 100), 0);
    }

    #[test]
    fn refunds_at_the_edges_of_a_period() {
        let start = at(2026, 2, 1, 0, 0, 0);
        let end = period_end(start, BillingPeriod::Monthly); // 28 days
        assert_eq!(
            refund(350, start, end, start),
            350,
            "first second: everything back"
        );
        assert_eq!(
            refund(350, start, end, start + chrono::Duration::seconds(1)),
            349,
            "rounded down"
        );
        assert_eq!(
            refund(350, start, end, end - chrono::Duration::seconds(1)),
            0,
            "last second: 350/2419200 rounds to 0"
        );
        assert_eq!(refund(350, start, end, end), 0);
        assert_eq!(
            refund(350, start, end, end + chrono::Duration::days(3)),
            0,
            "after the end"
        );
        assert_eq!(
            refund(350, start, end, start - chrono::Duration::days(1)),
            350,
            "before the start"
        );
        assert_eq!(
            refund(350, start, end, at(2026, 2, 15, 0, 0, 0)),
            175,
            "half"
        );
        // A price that does not divide evenly: one third of a 30-day month.
        let (s, e) = (at(2026, 4, 1, 0, 0, 0), at(2026, 5, 1, 0, 0, 0));
        assert_eq!(refund(100, s, e, at(2026, 4, 21, 0, 0, 0)), 33);
        // Leap-year February and a yearly period.
        let (s, e) = (at(2028, 2, 1, 0, 0, 0), at(2028, 3, 1, 0, 0, 0));
        assert_eq!(refund(2900, s, e, at(2028, 2, 28, 0, 0, 0)), 200); // 2 of 29 days
        let (s, e) = (
            at(2027, 6, 1, 0, 0, 0),
            period_end(at(2027, 6, 1, 0, 0, 0), BillingPeriod::Yearly),
        );
        assert_eq!(
            refund(
                9000,
                s,
                e,
                at(2028, 6, 1, 0, 0, 0) - chrono::Duration::days(1)
            ),
            24
        ); // 1 of 366 days
        // Large amounts do not overflow.
        assert_eq!(refund(i64::MAX, s, e, s), i64::MAX);
        assert_eq!(refund(0, s, e, s), 0);
    }

    proptest! {
        #[test]
        fn a_refund_never_exceeds_what_was_paid(
            paid in 0i64..=100_000_000,
            start_secs in 0i64..4_000_000_000,
            yearly in any::<bool>(),
            offset in -40_000_000i64..40_000_000,
        ) {
            let start = DateTime::from_timestamp(start_secs, 0).unwrap();
            let period = if yearly { BillingPeriod::Yearly } else { BillingPeriod::Monthly };
            let end = period_end(start, period);
            let now = start + chrono::Duration::seconds(offset);
            let r = refund(paid, start, end, now);
            prop_assert!(r >= 0 && r <= paid);
            // Later means less back.
            let later = refund(paid, start, end, now + chrono::Duration::seconds(3600));
            prop_assert!(later <= r);
        }

        #[test]
        fn an_anchored_chain_is_the_anchor_plus_whole_months(
            anchor_secs in 0i64..4_000_000_000,
            yearly in any::<bool>(),
            n in 1usize..40,
        ) {
            let anchor = DateTime::from_timestamp(anchor_secs, 0).unwrap();
            let period = if yearly { BillingPeriod::Yearly } else { BillingPeriod::Monthly };
            let mut end = period_end(anchor, period);
            for k in 1..n {
                let next = next_end(anchor, end, period);
                prop_assert!(next > end);
                let k = u32::try_from(k + 1).unwrap() * months(period);
                prop_assert_eq!(next, add_months(anchor, k));
                end = next;
            }
        }
    }
}
