//! Slowing down guessing of passwords: too many failed sign-ins for one account
//! or from one address lock that account or address for a while.

use jiff::{SignedDuration, Timestamp};

/// A lock rule: `max_failures` within `window` lock for `lockout` after the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub max_failures: i64,
    pub window: SignedDuration,
    pub lockout: SignedDuration,
}

/// Per account: 5 failures in 15 minutes lock the account for 15 minutes.
pub const PER_ACCOUNT: Rule = Rule {
    max_failures: 5,
    window: SignedDuration::from_mins(15),
    lockout: SignedDuration::from_mins(15),
};

/// Per address: 20 failures in 15 minutes lock the address for 15 minutes.
pub const PER_ADDRESS: Rule = Rule {
    max_failures: 20,
    window: SignedDuration::from_mins(15),
    lockout: SignedDuration::from_mins(15),
};

impl Rule {
    /// Since when failures count.
    pub fn window_start(&self, now: Timestamp) -> Timestamp {
        now.checked_sub(self.window).unwrap_or(now)
    }

    /// Until when sign-in is locked, given the failures counted in the window
    /// and the latest of them; `None` if not locked at `now`.
    pub fn locked_until(
        &self,
        failures: i64,
        latest: Option<Timestamp>,
        now: Timestamp,
    ) -> Option<Timestamp> {
        if failures < self.max_failures {
            return None;
        }
        let until = latest?.checked_add(self.lockout).ok()?;
        (until > now).then_some(until)
    }
}

/// Danish message for a locked sign-in, rounded up to whole minutes.
pub fn locked_message(until: Timestamp, now: Timestamp) -> String {
    let seconds = until.duration_since(now).as_secs().max(1);
    let minutes = (seconds + 59) / 60;
    let unit = if minutes == 1 { "minut" } else { "minutter" };
    format!(
        "For mange mislykkede forsøg på at logge ind. Af sikkerhedshensyn er login spærret i {minutes} {unit}. Prøv igen senere."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_too_many_failures_and_opens_again() {
        let now: Timestamp = "2026-01-01T12:00:00Z".parse().unwrap();
        let latest = Some(now - SignedDuration::from_mins(1));
        assert_eq!(PER_ACCOUNT.locked_until(4, latest, now), None);
        let until = PER_ACCOUNT.locked_until(5, latest, now).unwrap();
        assert_eq!(until, now + SignedDuration::from_mins(14));
        let later = now + SignedDuration::from_mins(15);
        assert_eq!(PER_ACCOUNT.locked_until(5, latest, later), None);
        assert_eq!(PER_ADDRESS.locked_until(19, latest, now), None);
    }

    #[test]
    fn message_in_whole_minutes() {
        let now: Timestamp = "2026-01-01T12:00:00Z".parse().unwrap();
        let until = now + SignedDuration::from_secs(61);
        assert!(locked_message(until, now).contains("2 minutter"));
        assert!(locked_message(now + SignedDuration::from_secs(5), now).contains("1 minut."));
    }
}
