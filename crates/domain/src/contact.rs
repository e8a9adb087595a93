//! Contact persons: reusable records shown under the articles they are attached to.

use crate::email::Email;
use crate::phone::Phone;
use crate::validation::{ValidationErrors, optional_text, required_text};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactPerson {
    pub id: i64,
    pub name: String,
    pub job_title: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactInput {
    pub name: String,
    pub job_title: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
}

/// Longest name of a contact person, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// Longest job title of a contact person, in characters.
pub const MAX_JOB_TITLE_CHARS: usize = 120;

impl ContactInput {
    /// Validates a contact person. Name is required; job title, e-mail and phone
    /// are optional, but what is given must be valid.
    pub fn new(
        name: &str,
        job_title: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check(
            "name",
            required_text(name, MAX_NAME_CHARS, "personens navn"),
        );
        let job_title = errors.check("job_title", optional_text(job_title, MAX_JOB_TITLE_CHARS));
        let email = match email.map(str::trim).filter(|s| !s.is_empty()) {
            Some(e) => errors.check("email", Email::parse(e)).map(Some),
            None => Some(None),
        };
        let phone = match phone.map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => errors.check("phone", Phone::parse(p)).map(Some),
            None => Some(None),
        };
        match (name, job_title, email, phone) {
            (Some(name), Some(job_title), Some(email), Some(phone)) if errors.is_empty() => {
                Ok(Self {
                    name,
                    job_title,
                    email,
                    phone,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_with_everything() {
        let c = ContactInput::new(
            "Anne Holm",
            Some("borgmester"),
            Some("ah@x.dk"),
            Some("27 85 24 51"),
        )
        .unwrap();
        assert_eq!(c.phone.unwrap().e164(), "+4527852451");
        assert_eq!(c.email.unwrap().as_str(), "ah@x.dk");
    }

    #[test]
    fn blank_optional_fields_are_none_and_bad_ones_reported() {
        let c = ContactInput::new("Anne Holm", Some(""), Some(" "), None).unwrap();
        assert_eq!((c.job_title, c.email, c.phone), (None, None, None));
        let e = ContactInput::new("", None, Some("nej"), Some("123")).unwrap_err();
        let fields: Vec<_> = e.errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "email", "phone"]);
    }
}
