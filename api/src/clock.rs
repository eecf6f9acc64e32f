//! The time every rule reads (SPEC §4: billing takes the current time as a parameter).
//!
//! The server is given one [`Clock`]: the system clock in production, a [`ManualClock`] in
//! tests, which the test sets and advances itself — never by sleeping — so no outcome depends
//! on the day or the time of day a test runs. Requests, the renewal job, token and link expiry,
//! throttle windows and reminders all read it; nothing else in the server asks the system.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use uuid::{ContextV7, Timestamp, Uuid};

/// Where the current time comes from, and the ids stamped with it. Cheap to clone; clones
/// share one source.
#[derive(Clone, Default)]
pub struct Clock {
    source: Source,
    /// uuid's counter, which keeps this clock's ids increasing while the time stands still.
    ids: Arc<Mutex<ContextV7>>,
}

#[derive(Clone, Default)]
enum Source {
    #[default]
    System,
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    /// The operating system's clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.source {
            // The one place the server reads the machine's clock.
            #[allow(clippy::disallowed_methods)]
            Source::System => Utc::now(),
            Source::Manual(at) => *at.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// A new version-7 UUID stamped with `at` (a time this clock gave), so that ids sort as the
    /// times the rules saw, not as the machine's clock: strictly increasing for one clock even
    /// while `at` stands still or steps back (uuid's counter).
    pub fn uuid_v7(&self, at: DateTime<Utc>) -> Uuid {
        let seconds = u64::try_from(at.timestamp()).unwrap_or(0);
        Uuid::new_v7(Timestamp::from_unix(
            &*self.ids,
            seconds,
            at.timestamp_subsec_nanos(),
        ))
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.source {
            Source::System => f.write_str("Clock::system"),
            Source::Manual(_) => write!(f, "Clock::manual({})", self.now()),
        }
    }
}

/// A clock that stands still until it is set or advanced: the handle a test keeps while the
/// server reads the [`Clock`] it was given ([`ManualClock::clock`]).
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    /// The [`Clock`] to give the server: it reads whatever this handle last set.
    pub fn clock(&self) -> Clock {
        Clock {
            source: Source::Manual(self.0.clone()),
            ids: Arc::default(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.lock() = at;
    }

    /// Moves the time on by `by` (backwards when negative) and returns the new time.
    pub fn advance(&self, by: Duration) -> DateTime<Utc> {
        let mut at = self.lock();
        *at += by;
        *at
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_every_clone_sees_it() {
        let start = Utc.with_ymd_and_hms(2027, 1, 30, 23, 59, 30).unwrap();
        let manual = ManualClock::new(start);
        let clock = manual.clock();
        let copy = clock.clone();
        assert_eq!(clock.now(), start);
        assert_eq!(clock.now(), start, "it does not tick by itself");
        assert_eq!(
            manual.advance(Duration::seconds(45)),
            Utc.with_ymd_and_hms(2027, 1, 31, 0, 0, 15).unwrap()
        );
        assert_eq!(copy.now(), manual.now());
        let leap = Utc.with_ymd_and_hms(2028, 2, 29, 12, 0, 0).unwrap();
        manual.set(leap);
        assert_eq!(clock.now(), leap);
    }

    #[test]
    fn ids_carry_the_given_time_and_increase_while_it_stands_still() {
        let at = Utc.with_ymd_and_hms(2028, 2, 29, 12, 0, 0).unwrap();
        let clock = ManualClock::new(at).clock();
        let ids: Vec<Uuid> = (0..1000).map(|_| clock.uuid_v7(at)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let (seconds, _) = ids[0].get_timestamp().unwrap().to_unix();
        assert_eq!(seconds, 1_835_438_400);
        let later = clock.uuid_v7(at + Duration::days(1));
        assert!(later > ids[999]);
        assert_eq!(later.get_timestamp().unwrap().to_unix().0, 1_835_524_800);
        // Another server's clock (another test's) keeps a counter of its own: its ids follow
        // its own time, however far the first one went.
        let other = ManualClock::new(at - Duration::days(30)).clock();
        let earlier = other.uuid_v7(at - Duration::days(30));
        assert_eq!(earlier.get_timestamp().unwrap().to_unix().0, 1_832_846_400);
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // comparing with the machine's clock is the point
    fn the_system_clock_is_the_default() {
        let before = Utc::now();
        let now = Clock::default().now();
        assert!(now >= before && now <= Utc::now());
    }
}
