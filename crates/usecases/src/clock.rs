//! The time the application works with. The system clock in production; tests
//! set it, so that scheduled publishing is tested without sleeping.

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// `None`: the system clock. `Some`: an offset from it, set by tests.
    offset: Arc<Mutex<Option<SignedDuration>>>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now(&self) -> Timestamp {
        let offset = self.offset.lock().map(|o| *o).unwrap_or(None);
        let now = Timestamp::now();
        offset.and_then(|o| now.checked_add(o).ok()).unwrap_or(now)
    }

    /// Moves this clock (and every clone of it) forward by `by`.
    pub fn advance(&self, by: SignedDuration) {
        if let Ok(mut offset) = self.offset.lock() {
            *offset = Some(offset.unwrap_or(SignedDuration::ZERO) + by);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone() {
        let clock = Clock::system();
        let copy = clock.clone();
        let before = copy.now();
        clock.advance(SignedDuration::from_hours(2));
        let after = copy.now();
        assert!(after.duration_since(before) >= SignedDuration::from_hours(2));
    }
}
