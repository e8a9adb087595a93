//! Showing an error with every cause behind it, for logs and one-line
//! messages: errors keep their cause as [`std::error::Error::source`] and say
//! only their own part in `Display`.

use std::error::Error;
use std::fmt;

/// `Display`s an error followed by each of its causes: `a: b: c`.
pub struct Chain<'a>(pub &'a (dyn Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] Inner);

    #[derive(Debug, thiserror::Error)]
    #[error("inner")]
    struct Inner(#[source] std::io::Error);

    #[test]
    fn every_cause_is_shown() {
        let e = Outer(Inner(std::io::Error::other("disk")));
        assert_eq!(Chain(&e).to_string(), "outer: inner: disk");
    }
}
