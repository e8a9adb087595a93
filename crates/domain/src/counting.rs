//! What the public site counts, without cookies or personal data: views of
//! public pages per path and day, addresses that were not found, and
//! searches that found nothing. These are the rules (no I/O): which paths
//! count, how a search is normalised, which queries are never kept because
//! they look like personal data, and which clients are obvious robots.
//!
//! Nothing here ever sees or keeps an IP address or a cookie; the
//! User-Agent is only looked at, to leave robots out, and never kept.

use jiff::civil::Date;

use crate::redirect;

/// Longest path counted, in characters as requested; longer ones are not
/// counted (no page has such an address: scanners do).
pub const MAX_PATH_CHARS: usize = 300;

/// Longest search query kept, in characters after normalising; longer ones
/// are cut to this.
pub const MAX_QUERY_CHARS: usize = 100;

/// Most distinct addresses not found, and most distinct searches without
/// results, kept per site. When full, only those already kept are counted
/// on: a scanner cannot fill the database.
pub const MAX_ROWS: i64 = 10_000;

/// Most distinct keys of each kind a node holds in memory between two
/// writes to the database; more are not counted until the next write.
pub const MAX_PENDING_KEYS: usize = 10_000;

/// Days the views of a day, and an address or search last counted that
/// long ago, are kept before they are deleted.
pub const KEPT_DAYS: i64 = 400;

/// Days the reports of views look back.
pub const REPORT_DAYS: i64 = 30;

/// Rows a report lists unless asked for another number, and the most it
/// lists.
pub const DEFAULT_REPORT_ROWS: u32 = 100;
pub const MAX_REPORT_ROWS: u32 = 1000;

/// Reads how many rows a report is asked to list (`?limit=`): missing or
/// only spaces means [`DEFAULT_REPORT_ROWS`]; otherwise digits only, a
/// whole number from 1 to [`MAX_REPORT_ROWS`], or `None`.
pub fn report_rows(value: Option<&str>) -> Option<u32> {
    let Some(value) = value.filter(|v| !v.chars().all(|c| c == ' ')) else {
        return Some(DEFAULT_REPORT_ROWS);
    };
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_REPORT_ROWS).contains(n))
}

/// First segments of paths that are not public pages: the admin, the API,
/// files and assets, the health check.
const NOT_COUNTED: [&str; 6] = ["admin", "api", "static", "medier", "media", "healthz"];

/// The path `raw` (a request's path; any query string is dropped) as it is
/// counted: in the canonical form redirects use (percent escapes decoded
/// and encoded the one way, no trailing slash), or `None` if it is not
/// counted at all: not a public page's path (the admin, the API, media
/// files, assets), too long, or not a path a page could have.
pub fn counted_path(raw: &str) -> Option<String> {
    let path = raw.split(['?', '#']).next().unwrap_or_default();
    if path.chars().count() > MAX_PATH_CHARS {
        return None;
    }
    let canonical = redirect::request_path(path)?;
    let first = canonical[1..].split('/').next().unwrap_or_default();
    (!NOT_COUNTED.contains(&first)).then_some(canonical)
}

/// A counted path as people read it: percent escapes decoded (`/børn`
/// for `/b%C3%B8rn`).
pub fn readable_path(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

/// A search as it is counted: trimmed, lower case, runs of white space
/// made one space, at most [`MAX_QUERY_CHARS`] characters. `None` when
/// nothing is left, or when it looks like personal data
/// ([`looks_personal`]): such a query is never kept.
pub fn search_query(raw: &str) -> Option<String> {
    let normal: String = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_QUERY_CHARS)
        .collect();
    let normal = normal.trim_end().to_string();
    if normal.is_empty() || looks_personal(raw) {
        return None;
    }
    Some(normal)
}

/// Whether a search text looks like personal data: an e-mail address (any
/// `@`), or a CPR number or a phone number: 8 or more digits in a row,
/// which may be split by spaces, `+`, `-`, `.`, `/` or parentheses
/// (`010190-1234`, `0101901234`, `+45 12 34 56 78`). Cautious on purpose:
/// a harmless number of 8 digits is not kept either.
pub fn looks_personal(text: &str) -> bool {
    if text.contains(['@', '＠']) {
        return true;
    }
    let mut digits = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            if digits >= 8 {
                return true;
            }
        } else if !matches!(c, ' ' | '+' | '-' | '.' | '/' | '(' | ')') {
            digits = 0;
        }
    }
    false
}

/// Words in a User-Agent (compared in lower case) that mark an obvious
/// robot: crawlers, monitors, link checkers, HTTP libraries and headless
/// browsers.
const ROBOT_WORDS: [&str; 24] = [
    "bot",
    "crawl",
    "spider",
    "slurp",
    "curl",
    "wget",
    "python",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "httpclient",
    "node-fetch",
    "axios",
    "scrapy",
    "headlesschrome",
    "phantomjs",
    "lighthouse",
    "monitor",
    "uptime",
    "pingdom",
    "check",
    "preview",
    "facebookexternalhit",
];

/// Whether a request with this User-Agent comes from an obvious robot
/// rather than a person's browser: no User-Agent, one that does not
/// present itself as a browser (`Mozilla/`, as every browser does), or one
/// naming a robot. The User-Agent is only looked at, never kept.
pub fn is_robot(user_agent: Option<&str>) -> bool {
    let Some(agent) = user_agent else {
        return true;
    };
    let agent = agent.to_ascii_lowercase();
    !agent.starts_with("mozilla/") || ROBOT_WORDS.iter().any(|w| agent.contains(w))
}

/// The first day of the last [`REPORT_DAYS`] days up to `today`.
pub fn report_since(today: Date) -> Date {
    today
        .checked_sub(jiff::Span::new().days(REPORT_DAYS - 1))
        .unwrap_or(today)
}

/// Views of days before this, and addresses and searches last counted
/// before it, are deleted.
pub fn kept_since(today: Date) -> Date {
    today
        .checked_sub(jiff::Span::new().days(KEPT_DAYS))
        .unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_paths_count_without_their_query() {
        assert_eq!(counted_path("/").as_deref(), Some("/"));
        assert_eq!(
            counted_path("/gammel-side?utm_source=x&id=7").as_deref(),
            Some("/gammel-side")
        );
        assert_eq!(
            counted_path("/Om%20os/").as_deref(),
            Some("/Om%20os"),
            "canonical: one address however written"
        );
        assert_eq!(counted_path("/b%C3%B8rn").as_deref(), Some("/b%C3%B8rn"));
        assert_eq!(counted_path("/børn"), counted_path("/b%C3%B8rn"));
        assert_eq!(readable_path("/b%C3%B8rn/Om%20os"), "/børn/Om os");
        assert_eq!(
            counted_path("/nyheder/gammel-nyhed").as_deref(),
            Some("/nyheder/gammel-nyhed")
        );
        assert_eq!(
            counted_path("/administration").as_deref(),
            Some("/administration")
        );
    }

    #[test]
    fn the_admin_api_files_and_odd_paths_do_not_count() {
        for path in [
            "/admin",
            "/admin/nyheder/7",
            "/api/v1/news",
            "/static/style.css",
            "/medier/1/abc/fil.pdf",
            "/media/1",
            "/healthz",
            "",
            "relative",
            "/a//b",
            "/a/../b",
            "/%FF",
            "/a%00b",
        ] {
            assert_eq!(counted_path(path), None, "{path:?}");
        }
        let long = format!("/{}", "a".repeat(MAX_PATH_CHARS));
        assert_eq!(counted_path(&long), None);
        let longest = format!("/{}", "a".repeat(MAX_PATH_CHARS - 1));
        assert!(counted_path(&longest).is_some());
    }

    #[test]
    fn searches_are_normalised_and_bounded() {
        assert_eq!(
            search_query("  Åbningstider   GENBRUGSPLADS\t").as_deref(),
            Some("åbningstider genbrugsplads")
        );
        assert_eq!(search_query("   "), None);
        assert_eq!(search_query(""), None);
        let long = search_query(&"æ".repeat(MAX_QUERY_CHARS + 50)).unwrap();
        assert_eq!(long.chars().count(), MAX_QUERY_CHARS);
        let cut = search_query(&format!("{} b", "a".repeat(MAX_QUERY_CHARS - 1))).unwrap();
        assert_eq!(cut, "a".repeat(MAX_QUERY_CHARS - 1), "no trailing space");
    }

    #[test]
    fn personal_data_is_never_kept() {
        for personal in [
            "010190-1234",
            "0101901234",
            "010190 1234",
            "cpr 010190-1234 sygesikring",
            "anne@example.dk",
            "anne＠example.dk",
            "mail til @borgerservice",
            "12345678",
            "12 34 56 78",
            "+45 12 34 56 78",
            "(+45) 1234-5678",
            "tlf. 1234.5678",
        ] {
            assert!(looks_personal(personal), "{personal:?}");
            assert_eq!(search_query(personal), None, "{personal:?}");
        }
        for harmless in [
            "affald 2024",
            "lokalplan 412",
            "1234567",
            "budget 2025",
            "bus 4a 12",
            "cpr-nummer",
        ] {
            assert!(!looks_personal(harmless), "{harmless:?}");
            assert!(search_query(harmless).is_some(), "{harmless:?}");
        }
    }

    #[test]
    fn obvious_robots_are_told_apart_from_browsers() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert!(!is_robot(Some(firefox)));
        assert!(!is_robot(Some(safari)));
        for robot in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
            "Mozilla/5.0 (compatible; SiteCheck-sitecrawl by Siteimprove.com)",
            "curl/8.5.0",
            "Wget/1.21.4",
            "python-requests/2.32.3",
            "Go-http-client/1.1",
            "Java/17.0.2",
            "",
        ] {
            assert!(is_robot(Some(robot)), "{robot:?}");
        }
        assert!(is_robot(None));
    }

    #[test]
    fn reports_list_a_bounded_number_of_rows() {
        assert_eq!(report_rows(None), Some(DEFAULT_REPORT_ROWS));
        assert_eq!(report_rows(Some(" ")), Some(DEFAULT_REPORT_ROWS));
        assert_eq!(report_rows(Some("1")), Some(1));
        assert_eq!(report_rows(Some("1000")), Some(MAX_REPORT_ROWS));
        for bad in ["0", "1001", "-1", "+5", " 5", "\u{85}", "ti", "1.5"] {
            assert_eq!(report_rows(Some(bad)), None, "{bad:?}");
        }
    }

    #[test]
    fn reports_look_back_thirty_days_and_data_is_kept_four_hundred() {
        let today: Date = "2026-06-30".parse().unwrap();
        assert_eq!(report_since(today), "2026-06-01".parse::<Date>().unwrap());
        assert_eq!(kept_since(today), "2025-05-26".parse::<Date>().unwrap());
    }
}
