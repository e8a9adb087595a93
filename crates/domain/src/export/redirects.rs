//! Redirects in export files: as stored (canonical and collapsed), checked
//! by the same rules as a new one before anything is written.

use std::collections::HashSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{ExportSite, ImportError, error};
use crate::redirect::{RedirectInput, target_path};

/// A redirect an editor made (see [`crate::redirect`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRedirect {
    pub id: i64,
    /// A canonical path of the site: `/Om%20os`.
    pub from: String,
    /// A canonical path of the site (with any query and fragment) or an
    /// absolute `https` URL.
    pub to: String,
    /// `301` when true, else `302`.
    pub permanent: bool,
    pub created_at: Timestamp,
}

/// Checks the redirects of a site: each valid and canonical, each `from`
/// once, and none leading to another's `from` (stored collapsed).
pub(super) fn check_redirects(
    at: &str,
    site: &ExportSite,
    ids: &mut HashSet<i64>,
) -> Result<(), ImportError> {
    let froms: HashSet<&str> = site.redirects.iter().map(|r| r.from.as_str()).collect();
    let mut seen = HashSet::new();
    for (i, r) in site.redirects.iter().enumerate() {
        let at = format!("{at}.redirects[{i}]");
        if !ids.insert(r.id) {
            return Err(error(
                format!("{at}.id"),
                format!("redirect {} appears twice", r.id),
            ));
        }
        let input = RedirectInput::new(&r.from, &r.to, r.permanent)
            .map_err(|e| error(&at, format!("not a valid redirect: {e}")))?;
        if input.from != r.from || input.to != r.to {
            return Err(error(
                &at,
                format!(
                    "not in canonical form (that is {} → {})",
                    input.from, input.to
                ),
            ));
        }
        if !seen.insert(r.from.as_str()) {
            return Err(error(
                format!("{at}.from"),
                format!("{} appears twice", r.from),
            ));
        }
        if let Some(path) = target_path(&r.to)
            && froms.contains(path)
        {
            return Err(error(
                format!("{at}.to"),
                format!("{path} is redirected itself: chains are stored collapsed"),
            ));
        }
    }
    Ok(())
}
