//! E-mail addresses.

use std::fmt;

/// An e-mail address of the plain form `local@domain.tld`, stored in the case typed
/// but compared without regard to case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Skriv en gyldig e-mailadresse, fx navn@kommune.dk.")]
pub struct EmailError;

impl Email {
    pub fn parse(value: &str) -> Result<Self, EmailError> {
        let value = value.trim();
        let (local, domain) = value.split_once('@').ok_or(EmailError)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && domain.len() <= 253
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.chars().all(char::is_alphabetic));
        if local_ok && domain_ok && value.len() <= 254 {
            Ok(Self(value.to_string()))
        } else {
            Err(EmailError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `mailto:` link target.
    pub fn mailto(&self) -> String {
        format!("mailto:{}", self.0)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

text_serde!(Email, Email::parse, Email::as_str);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_are_accepted() {
        for s in [
            "jp@norddjurs.dk",
            " Anne.Holm@vesterfjord.example ",
            "søren@bøgely.dk",
            "a+b@x.co",
        ] {
            assert!(Email::parse(s).is_ok(), "{s}");
        }
        assert_eq!(Email::parse(" a@b.dk ").unwrap().mailto(), "mailto:a@b.dk");
    }

    #[test]
    fn broken_addresses_are_refused() {
        for s in [
            "",
            "jp",
            "jp@",
            "@x.dk",
            "jp@dk",
            "a b@x.dk",
            "a@@x.dk",
            "a@x..dk",
            ".a@x.dk",
            "a@-x.dk",
            "a@x.d1",
            "a@x.dk?subject=hi",
            "a@x.dk\">",
            "javascript:alert(1)@x.dk",
        ] {
            assert_eq!(Email::parse(s), Err(EmailError), "{s}");
        }
    }
}
