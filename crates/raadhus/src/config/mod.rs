//! Configuration: command-line flags win over environment variables, which win
//! over the optional TOML file, which wins over the defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use raadhus_domain::link_check;
use serde::Deserialize;

/// Everything `raadhus serve` needs to know, resolved and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub bind: SocketAddr,
    /// Where `GET /metrics` is served, apart from the site; `None`: nowhere.
    pub metrics_addr: Option<SocketAddr>,
    pub data_dir: PathBuf,
    /// Where the content lives: a `sqlite://` or `postgres://` URL, or the
    /// SQLite file in `data_dir`.
    pub database: Database,
    /// Overrides the site's stored name when set.
    pub site_name: Option<String>,
    /// The public address of the site, for canonical links. Without one, the
    /// address the server listens on is used.
    pub base_url: Option<url::Url>,
    /// A `tracing` filter, e.g. `info` or `raadhus=debug,sqlx=warn`.
    pub log: String,
    /// How log lines are written.
    pub log_format: LogFormat,
    /// Load the demo content into an empty database.
    pub demo: bool,
    /// Count views, addresses not found and searches without results
    /// (without cookies or personal data; see docs/privacy.md).
    pub counting: bool,
    /// Pin each server thread to a CPU of its own where the process may run
    /// on exactly as many CPUs as there are threads.
    pub pin_threads: bool,
    /// Largest JSON request body the API accepts, in bytes.
    pub max_body_bytes: usize,
    /// Most memory the render cache of public pages may hold; 0 turns it off.
    pub cache_max_bytes: usize,
    /// Largest file an editor may upload to the media library, in bytes.
    pub max_upload_bytes: usize,
    /// Most pixels an uploaded image's header may claim; more is refused
    /// before decoding.
    pub max_image_pixels: u64,
    /// How long the server waits on a client: for a request's headers, for
    /// any byte of an answer to get through, and for a request to be read and
    /// answered; also how long an idle connection is kept.
    pub request_timeout: std::time::Duration,
    /// The site's accessibility statement in the national WAS-tool.
    pub was_url: Option<url::Url>,
    /// When the statement was last reviewed; the admin reminds after 12 months.
    pub was_reviewed: Option<jiff::civil::Date>,
    /// The reverse proxies whose `X-Forwarded-For` and `Forwarded` headers
    /// are believed: addresses and CIDR ranges. Empty: none.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Most connections served at once; `None`: sized from the limit of open
    /// files at start.
    pub max_connections: Option<usize>,
    /// The background link checker.
    pub links: LinkSettings,
}

/// How the background link checker works (see `crate::links`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSettings {
    /// Hours between two runs; 0: no background runs (`raadhus links check`
    /// still works).
    pub interval_hours: u64,
    /// How long one request may take.
    pub timeout: std::time::Duration,
    /// The pause between two requests to one host.
    pub host_delay: std::time::Duration,
    /// Also check addresses in private networks (loopback, 10.0.0.0/8, …).
    pub allow_private: bool,
}

/// How log lines are written on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// `2026-12-04T10:00:00Z INFO request{method=GET uri=/} …`, for people.
    #[default]
    Text,
    /// One JSON object a line (time, level, message, fields, the request's
    /// span), for log collectors.
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    SqliteFile(PathBuf),
    Url(String),
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./data";
pub const DEFAULT_LOG: &str = "info,sqlx=warn";
/// Name of the SQLite database file inside the data directory.
pub const SQLITE_FILE: &str = "raadhus.db";
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
pub const DEFAULT_CACHE_MAX_BYTES: usize = 64 * 1024 * 1024;
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
pub const DEFAULT_MAX_IMAGE_PIXELS: usize = 50_000_000;
pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: usize = 30;

/// One source's values, before merging. All optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub bind: Option<String>,
    pub metrics_addr: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub site_name: Option<String>,
    pub base_url: Option<String>,
    pub log: Option<String>,
    pub log_format: Option<String>,
    pub demo: Option<bool>,
    pub counting: Option<bool>,
    pub pin_threads: Option<bool>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub max_body_bytes: Option<String>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub cache_max_bytes: Option<String>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub max_upload_bytes: Option<String>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub max_image_pixels: Option<String>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub request_timeout: Option<String>,
    pub was_url: Option<String>,
    pub was_reviewed: Option<String>,
    /// Comma-separated in flags and the environment; a list or a string in the file.
    #[serde(default, deserialize_with = "list_or_text")]
    pub trusted_proxies: Option<String>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub max_connections: Option<String>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub links_interval_hours: Option<String>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub links_timeout: Option<String>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub links_host_delay_ms: Option<String>,
    pub links_allow_private: Option<bool>,
}

/// Accepts `trusted_proxies = ["127.0.0.1", "10.0.0.0/8"]` as well as
/// `"127.0.0.1, 10.0.0.0/8"` in the file.
fn list_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        List(Vec<String>),
        Text(String),
    }
    Ok(Option::<Value>::deserialize(d)?.map(|v| match v {
        Value::List(items) => items.join(","),
        Value::Text(t) => t,
    }))
}

/// Reads a comma-separated list of addresses and CIDR ranges; an address
/// alone is the range of that one address.
fn trusted_proxies(text: Option<String>) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    let Some(text) = text else {
        return Ok(Vec::new());
    };
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| ConfigError::Invalid {
                    key: "trusted proxies (RAADHUS_TRUSTED_PROXIES / --trusted-proxies)",
                    value: item.to_string(),
                    reason: "expected IP addresses or CIDR ranges separated by commas, e.g. 127.0.0.1, 10.0.0.0/8",
                })
        })
        .collect()
}

/// A whole number (bytes, seconds) in `range`, `default` when unset;
/// otherwise invalid for `key` with `reason`.
fn number(
    text: Option<String>,
    default: usize,
    range: std::ops::RangeInclusive<usize>,
    key: &'static str,
    reason: &'static str,
) -> Result<usize, ConfigError> {
    let Some(text) = text else {
        return Ok(default);
    };
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or(ConfigError::Invalid {
            key,
            value: text,
            reason,
        })
}

/// Accepts `max_body_bytes = 1048576` as well as `"1048576"` in the file.
fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Number(u64),
        Text(String),
    }
    Ok(Option::<Value>::deserialize(d)?.map(|v| match v {
        Value::Number(n) => n.to_string(),
        Value::Text(t) => t,
    }))
}

impl Layer {
    /// Fills every unset value of `self` from `lower`.
    pub fn or(self, lower: Layer) -> Layer {
        Layer {
            bind: self.bind.or(lower.bind),
            metrics_addr: self.metrics_addr.or(lower.metrics_addr),
            data_dir: self.data_dir.or(lower.data_dir),
            database_url: self.database_url.or(lower.database_url),
            site_name: self.site_name.or(lower.site_name),
            base_url: self.base_url.or(lower.base_url),
            log: self.log.or(lower.log),
            log_format: self.log_format.or(lower.log_format),
            demo: self.demo.or(lower.demo),
            counting: self.counting.or(lower.counting),
            pin_threads: self.pin_threads.or(lower.pin_threads),
            max_body_bytes: self.max_body_bytes.or(lower.max_body_bytes),
            cache_max_bytes: self.cache_max_bytes.or(lower.cache_max_bytes),
            max_upload_bytes: self.max_upload_bytes.or(lower.max_upload_bytes),
            max_image_pixels: self.max_image_pixels.or(lower.max_image_pixels),
            request_timeout: self.request_timeout.or(lower.request_timeout),
            was_url: self.was_url.or(lower.was_url),
            was_reviewed: self.was_reviewed.or(lower.was_reviewed),
            trusted_proxies: self.trusted_proxies.or(lower.trusted_proxies),
            max_connections: self.max_connections.or(lower.max_connections),
            links_interval_hours: self.links_interval_hours.or(lower.links_interval_hours),
            links_timeout: self.links_timeout.or(lower.links_timeout),
            links_host_delay_ms: self.links_host_delay_ms.or(lower.links_host_delay_ms),
            links_allow_private: self.links_allow_private.or(lower.links_allow_private),
        }
    }
}

/// A configuration problem, said in one line.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("config file {path}, line {line}: {reason}")]
    Syntax {
        path: String,
        line: usize,
        reason: String,
    },
    #[error("invalid {key} {value:?}: {reason}")]
    Invalid {
        key: &'static str,
        value: String,
        reason: &'static str,
    },
}

/// Reads a TOML config file.
pub fn read_file(path: &Path) -> Result<Layer, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    parse_file(path, &text)
}

fn parse_file(path: &Path, text: &str) -> Result<Layer, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Syntax {
        path: path.display().to_string(),
        line: e
            .span()
            .and_then(|s| text.get(..s.start))
            .map_or(1, |before| before.matches('\n').count() + 1),
        reason: e.message().replace('\n', " "),
    })
}

impl Config {
    /// Checks the merged values and fills in defaults.
    pub fn resolve(layer: Layer) -> Result<Self, ConfigError> {
        let bind_text = layer.bind.unwrap_or_else(|| DEFAULT_BIND.to_string());
        let bind: SocketAddr = bind_text.trim().parse().map_err(|_| ConfigError::Invalid {
            key: "bind address (RAADHUS_BIND / --bind)",
            value: bind_text.clone(),
            reason: "expected IP:PORT, e.g. 127.0.0.1:8080 or [::1]:8080",
        })?;
        let metrics_addr = metrics_addr(layer.metrics_addr, bind)?;
        let data_dir = layer
            .data_dir
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        if data_dir.as_os_str().is_empty() {
            return Err(ConfigError::Invalid {
                key: "data directory (RAADHUS_DATA_DIR / --data)",
                value: String::new(),
                reason: "must not be empty",
            });
        }
        let database = match layer.database_url.filter(|u| !u.trim().is_empty()) {
            None => Database::SqliteFile(data_dir.join(SQLITE_FILE)),
            Some(url)
                if url.starts_with("sqlite:")
                    || url.starts_with("postgres://")
                    || url.starts_with("postgresql://") =>
            {
                Database::Url(url)
            }
            Some(url) => {
                return Err(ConfigError::Invalid {
                    key: "database URL (RAADHUS_DATABASE_URL)",
                    value: redact(&url),
                    reason: "expected sqlite://PATH or postgres://USER@HOST/DATABASE",
                });
            }
        };
        let site_name = match layer.site_name {
            Some(name) if name.trim().is_empty() || name.chars().count() > 100 => {
                return Err(ConfigError::Invalid {
                    key: "site name (RAADHUS_SITE_NAME)",
                    value: name,
                    reason: "must be 1 to 100 characters",
                });
            }
            other => other.map(|n| n.trim().to_string()),
        };
        let base_url = match layer.base_url {
            None => None,
            Some(text) => Some(parse_base_url(&text).ok_or(ConfigError::Invalid {
                key: "base URL (RAADHUS_BASE_URL)",
                value: text.clone(),
                reason: "expected an absolute http:// or https:// URL, e.g. https://www.kommune.dk/",
            })?),
        };
        let log = layer.log.unwrap_or_else(|| DEFAULT_LOG.to_string());
        if tracing_subscriber::EnvFilter::try_new(&log).is_err() {
            return Err(ConfigError::Invalid {
                key: "log filter (RAADHUS_LOG)",
                value: log,
                reason: "expected a tracing filter such as info or raadhus=debug,sqlx=warn",
            });
        }
        let log_format = match layer.log_format.as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    key: "log format (RAADHUS_LOG_FORMAT)",
                    value: other.to_string(),
                    reason: "expected text or json",
                });
            }
        };
        let max_body_bytes = number(
            layer.max_body_bytes,
            DEFAULT_MAX_BODY_BYTES,
            1024..=1024 * 1024 * 1024,
            "API body limit (RAADHUS_MAX_BODY_BYTES)",
            "expected a number of bytes from 1024 to 1073741824",
        )?;
        let cache_max_bytes = number(
            layer.cache_max_bytes,
            DEFAULT_CACHE_MAX_BYTES,
            0..=64 * 1024 * 1024 * 1024,
            "render cache limit (RAADHUS_CACHE_MAX_BYTES)",
            "expected a number of bytes from 0 (off) to 68719476736",
        )?;
        let max_upload_bytes = number(
            layer.max_upload_bytes,
            DEFAULT_MAX_UPLOAD_BYTES,
            1024..=4 * 1024 * 1024 * 1024,
            "upload limit (RAADHUS_MAX_UPLOAD_BYTES / --max-upload-bytes)",
            "expected a number of bytes from 1024 to 4294967296",
        )?;
        let max_image_pixels = number(
            layer.max_image_pixels,
            DEFAULT_MAX_IMAGE_PIXELS,
            1..=1_000_000_000,
            "image pixel limit (RAADHUS_MAX_IMAGE_PIXELS / --max-image-pixels)",
            "expected a number of pixels from 1 to 1000000000",
        )?;
        let request_timeout = number(
            layer.request_timeout,
            DEFAULT_REQUEST_TIMEOUT_SECONDS,
            1..=3600,
            "request timeout (RAADHUS_REQUEST_TIMEOUT)",
            "expected a number of seconds from 1 to 3600",
        )?;
        let was_url = match layer.was_url.filter(|u| !u.trim().is_empty()) {
            None => None,
            Some(text) => Some(
                url::Url::parse(text.trim())
                    .ok()
                    .filter(|u| u.scheme() == "https" && u.host_str().is_some())
                    .ok_or(ConfigError::Invalid {
                        key: "accessibility statement URL (RAADHUS_WAS_URL)",
                        value: text.clone(),
                        reason: "expected the https:// address of the statement in the WAS-tool",
                    })?,
            ),
        };
        let was_reviewed = match layer.was_reviewed.filter(|d| !d.trim().is_empty()) {
            None => None,
            Some(text) => {
                Some(
                    raadhus_domain::date::parse(&text).map_err(|_| ConfigError::Invalid {
                        key: "statement review date (RAADHUS_WAS_REVIEWED)",
                        value: text.clone(),
                        reason: "expected a date such as 2026-11-27",
                    })?,
                )
            }
        };
        let max_connections = match layer.max_connections {
            None => None,
            some => Some(number(
                some,
                0,
                16..=1_000_000,
                "connection limit (RAADHUS_MAX_CONNECTIONS / --max-connections)",
                "expected a number of connections from 16 to 1000000",
            )?),
        };
        let links = LinkSettings {
            interval_hours: number(
                layer.links_interval_hours,
                link_check::DEFAULT_INTERVAL_HOURS as usize,
                0..=24 * 365,
                "link check interval (RAADHUS_LINKS_INTERVAL_HOURS)",
                "expected a number of hours from 0 (off) to 8760",
            )? as u64,
            timeout: std::time::Duration::from_secs(number(
                layer.links_timeout,
                link_check::DEFAULT_TIMEOUT_SECONDS as usize,
                1..=120,
                "link check timeout (RAADHUS_LINKS_TIMEOUT)",
                "expected a number of seconds from 1 to 120",
            )? as u64),
            host_delay: std::time::Duration::from_millis(number(
                layer.links_host_delay_ms,
                link_check::DEFAULT_HOST_DELAY_MS as usize,
                0..=60_000,
                "link check delay per host (RAADHUS_LINKS_HOST_DELAY_MS)",
                "expected a number of milliseconds from 0 to 60000",
            )? as u64),
            allow_private: layer.links_allow_private.unwrap_or(false),
        };
        Ok(Self {
            links,
            trusted_proxies: trusted_proxies(layer.trusted_proxies)?,
            max_connections,
            was_reviewed,
            was_url,
            max_body_bytes,
            cache_max_bytes,
            max_upload_bytes,
            max_image_pixels: max_image_pixels as u64,
            request_timeout: std::time::Duration::from_secs(request_timeout as u64),
            bind,
            metrics_addr,
            data_dir,
            database,
            site_name,
            base_url,
            log,
            log_format,
            demo: layer.demo.unwrap_or(true),
            counting: layer.counting.unwrap_or(true),
            pin_threads: layer.pin_threads.unwrap_or(true),
        })
    }
}

/// The metrics listener's address: none when unset or blank; otherwise an
/// IP address and port, not the site's own.
fn metrics_addr(text: Option<String>, bind: SocketAddr) -> Result<Option<SocketAddr>, ConfigError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let invalid = |reason| ConfigError::Invalid {
        key: "metrics address (RAADHUS_METRICS_ADDR / --metrics-addr)",
        value: text.clone(),
        reason,
    };
    let addr: SocketAddr = text
        .trim()
        .parse()
        .map_err(|_| invalid("expected IP:PORT, e.g. 127.0.0.1:9464 or [::1]:9464"))?;
    if addr == bind && addr.port() != 0 {
        return Err(invalid(
            "must differ from the bind address: the site never serves /metrics",
        ));
    }
    Ok(Some(addr))
}

fn parse_base_url(text: &str) -> Option<url::Url> {
    let mut url = url::Url::parse(text.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Some(url)
}

/// Hides a password in a database URL before it is shown.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests;
