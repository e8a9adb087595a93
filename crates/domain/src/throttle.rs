//! Slowing down guessing of passwords: too many failed sign-ins for one account
//! or from one address lock that account or address for a while. And slowing
//! down spam of the public feedback form, counted in memory only
//! ([`Limiter`]).

use std::collections::HashMap;
use std::hash::Hash;

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

/// Per address, answers and comments sent with "Fandt du det, du søgte?":
/// 20 in 10 minutes lock the address for 10 minutes.
pub const FEEDBACK_PER_ADDRESS: Rule = Rule {
    max_failures: 20,
    window: SignedDuration::from_mins(10),
    lockout: SignedDuration::from_mins(10),
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
    format!(
        "For mange mislykkede forsøg på at logge ind. Af sikkerhedshensyn er login spærret i {}. Prøv igen senere.",
        minutes_until(until, now)
    )
}

/// Danish message for an address that sent too much feedback.
pub fn feedback_locked_message(until: Timestamp, now: Timestamp) -> String {
    format!(
        "Der er sendt mange tilbagemeldinger fra din adresse på kort tid. Prøv igen om {}.",
        minutes_until(until, now)
    )
}

/// "1 minut", "2 minutter": the time from `now` to `until`, rounded up.
fn minutes_until(until: Timestamp, now: Timestamp) -> String {
    let seconds = until.duration_since(now).as_secs().max(1);
    let minutes = (seconds + 59) / 60;
    let unit = if minutes == 1 { "minut" } else { "minutter" };
    format!("{minutes} {unit}")
}

/// Counts events per key (an address) in memory against a [`Rule`],
/// holding at most `max_keys` keys: nothing of it is ever stored. A key
/// whose window and lock are over is forgotten with the first event after
/// the next whole window has passed. When it is full of keys still
/// counting, a new key is refused until some expire: a flood from many
/// addresses cannot grow it, nor get past it.
#[derive(Debug)]
pub struct Limiter<K> {
    rule: Rule,
    max_keys: usize,
    seen: HashMap<K, Tally>,
    /// When keys that are over were last forgotten.
    swept: Option<Timestamp>,
}

/// One key's events in its current window.
#[derive(Debug, Clone, Copy)]
struct Tally {
    since: Timestamp,
    count: i64,
    latest: Timestamp,
}

impl Tally {
    /// Whether the window and any lock of this tally are over at `now`.
    fn is_over(&self, rule: &Rule, now: Timestamp) -> bool {
        self.since <= rule.window_start(now)
            && rule
                .locked_until(self.count, Some(self.latest), now)
                .is_none()
    }
}

impl<K: Hash + Eq> Limiter<K> {
    pub fn new(rule: Rule, max_keys: usize) -> Self {
        Self {
            rule,
            max_keys,
            seen: HashMap::new(),
            swept: None,
        }
    }

    /// Forgets every key that is over at `now`.
    fn sweep(&mut self, now: Timestamp) {
        let rule = self.rule;
        self.seen.retain(|_, t| !t.is_over(&rule, now));
        self.swept = Some(now);
    }

    /// Counts one event of `key` at `now`, or refuses it (not counted) with
    /// when to try again.
    pub fn admit(&mut self, key: K, now: Timestamp) -> Result<(), Timestamp> {
        let rule = self.rule;
        let fresh = Tally {
            since: now,
            count: 0,
            latest: now,
        };
        if self.swept.is_none_or(|at| at <= rule.window_start(now)) {
            self.sweep(now);
        }
        if !self.seen.contains_key(&key) && self.seen.len() >= self.max_keys {
            self.sweep(now);
            if self.seen.len() >= self.max_keys {
                return Err(now.checked_add(rule.window).unwrap_or(now));
            }
        }
        let tally = self.seen.entry(key).or_insert(fresh);
        if let Some(until) = rule.locked_until(tally.count, Some(tally.latest), now) {
            return Err(until);
        }
        if tally.since <= rule.window_start(now) {
            *tally = fresh;
        }
        tally.count += 1;
        tally.latest = now;
        Ok(())
    }
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
        assert!(feedback_locked_message(until, now).contains("om 2 minutter."));
    }

    #[test]
    fn limiter_locks_a_key_after_its_events_and_opens_again() {
        let now: Timestamp = "2026-01-01T12:00:00Z".parse().unwrap();
        let mut limiter = Limiter::new(FEEDBACK_PER_ADDRESS, 10);
        for _ in 0..20 {
            assert!(limiter.admit("a", now).is_ok());
        }
        let until = limiter.admit("a", now).unwrap_err();
        assert_eq!(until, now + SignedDuration::from_mins(10));
        // Others are not held back by it.
        assert!(limiter.admit("b", now).is_ok());
        let later = now + SignedDuration::from_mins(10);
        for _ in 0..20 {
            assert!(limiter.admit("a", later).is_ok());
        }
        assert!(limiter.admit("a", later).is_err());
    }

    #[test]
    fn limiter_holds_a_bounded_number_of_keys() {
        let now: Timestamp = "2026-01-01T12:00:00Z".parse().unwrap();
        let mut limiter = Limiter::new(FEEDBACK_PER_ADDRESS, 3);
        for key in 0..3 {
            assert!(limiter.admit(key, now).is_ok());
        }
        // Full of keys still counting: a new one waits...
        assert!(limiter.admit(3, now).is_err());
        assert!(limiter.admit(0, now).is_ok());
        // ...until the others' windows are over.
        let later = now + SignedDuration::from_mins(10);
        assert!(limiter.admit(3, later).is_ok());
        // The others are forgotten.
        assert_eq!(limiter.seen.len(), 1);
    }
}
