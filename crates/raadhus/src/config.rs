//! Configuration: command-line flags win over environment variables, which win
//! over the optional TOML file, which wins over the defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Everything `raadhus serve` needs to know, resolved and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub bind: SocketAddr,
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
    /// Load the demo content into an empty database.
    pub demo: bool,
    /// Largest JSON request body the API accepts, in bytes.
    pub max_body_bytes: usize,
    /// Most memory the render cache of public pages may hold; 0 turns it off.
    pub cache_max_bytes: usize,
    /// How long a client may take to send a request's headers, and a request
    /// to be read and answered; also how long an idle connection is kept.
    pub request_timeout: std::time::Duration,
    /// The site's accessibility statement in the national WAS-tool.
    pub was_url: Option<url::Url>,
    /// When the statement was last reviewed; the admin reminds after 12 months.
    pub was_reviewed: Option<jiff::civil::Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    SqliteFile(PathBuf),
    Url(String),
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./data";
pub const DEFAULT_LOG: &str = "info,sqlx=warn,tower_http=info";
/// Name of the SQLite database file inside the data directory.
pub const SQLITE_FILE: &str = "raadhus.db";
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
pub const DEFAULT_CACHE_MAX_BYTES: usize = 64 * 1024 * 1024;
pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: usize = 30;

/// One source's values, before merging. All optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub site_name: Option<String>,
    pub base_url: Option<String>,
    pub log: Option<String>,
    pub demo: Option<bool>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub max_body_bytes: Option<String>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub cache_max_bytes: Option<String>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub request_timeout: Option<String>,
    pub was_url: Option<String>,
    pub was_reviewed: Option<String>,
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
            data_dir: self.data_dir.or(lower.data_dir),
            database_url: self.database_url.or(lower.database_url),
            site_name: self.site_name.or(lower.site_name),
            base_url: self.base_url.or(lower.base_url),
            log: self.log.or(lower.log),
            demo: self.demo.or(lower.demo),
            max_body_bytes: self.max_body_bytes.or(lower.max_body_bytes),
            cache_max_bytes: self.cache_max_bytes.or(lower.cache_max_bytes),
            request_timeout: self.request_timeout.or(lower.request_timeout),
            was_url: self.was_url.or(lower.was_url),
            was_reviewed: self.was_reviewed.or(lower.was_reviewed),
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
        Ok(Self {
            was_reviewed,
            was_url,
            max_body_bytes,
            cache_max_bytes,
            request_timeout: std::time::Duration::from_secs(request_timeout as u64),
            bind,
            data_dir,
            database,
            site_name,
            base_url,
            log,
            demo: layer.demo.unwrap_or(true),
        })
    }
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
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let c = Config::resolve(Layer::default()).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.data_dir, PathBuf::from("./data"));
        assert_eq!(
            c.database,
            Database::SqliteFile(PathBuf::from("./data/raadhus.db"))
        );
        assert_eq!(c.base_url, None);
        assert!(c.demo);
        assert_eq!(c.site_name, None);
    }

    #[test]
    fn higher_layers_win() {
        let flags = Layer {
            bind: Some("127.0.0.1:9000".into()),
            ..Layer::default()
        };
        let env = Layer {
            bind: Some("127.0.0.1:9001".into()),
            site_name: Some("Fra miljøet".into()),
            ..Layer::default()
        };
        let file = Layer {
            site_name: Some("Fra filen".into()),
            log: Some("debug".into()),
            demo: Some(false),
            ..Layer::default()
        };
        let c = Config::resolve(flags.or(env).or(file)).unwrap();
        assert_eq!(c.bind.port(), 9000);
        assert_eq!(c.site_name.as_deref(), Some("Fra miljøet"));
        assert_eq!(c.log, "debug");
        assert!(!c.demo);
    }

    #[test]
    fn bad_values_are_named_in_one_line() {
        let bad = [
            Layer {
                bind: Some("localhost".into()),
                ..Layer::default()
            },
            Layer {
                base_url: Some("www.kommune.dk".into()),
                ..Layer::default()
            },
            Layer {
                base_url: Some("ftp://kommune.dk".into()),
                ..Layer::default()
            },
            Layer {
                database_url: Some("mysql://u:hemmelig@db/x".into()),
                ..Layer::default()
            },
            Layer {
                site_name: Some("  ".into()),
                ..Layer::default()
            },
            Layer {
                log: Some("info,[[[".into()),
                ..Layer::default()
            },
            Layer {
                was_url: Some("http://was.example/x".into()),
                ..Layer::default()
            },
        ];
        for layer in bad {
            let message = Config::resolve(layer.clone()).unwrap_err().to_string();
            assert!(!message.contains('\n'), "{message}");
            assert!(!message.contains("hemmelig"), "{message}");
            assert!(message.starts_with("invalid "), "{message}");
        }
    }

    #[test]
    fn base_url_gets_trailing_slash() {
        let c = Config::resolve(Layer {
            base_url: Some("https://www.vesterfjord.example/kommune".into()),
            ..Layer::default()
        })
        .unwrap();
        assert_eq!(
            c.base_url.unwrap().as_str(),
            "https://www.vesterfjord.example/kommune/"
        );
    }

    #[test]
    fn postgresql_comes_from_the_file_or_the_environment() {
        let file = parse_file(
            Path::new("raadhus.toml"),
            "database_url = \"postgres://raadhus@db.internal/raadhus\"\n",
        )
        .unwrap();
        assert_eq!(
            Config::resolve(file.clone()).unwrap().database,
            Database::Url("postgres://raadhus@db.internal/raadhus".into())
        );
        let env = Layer {
            database_url: Some("postgresql://raadhus@db2/raadhus".into()),
            ..Layer::default()
        };
        assert_eq!(
            Config::resolve(env.or(file)).unwrap().database,
            Database::Url("postgresql://raadhus@db2/raadhus".into())
        );
    }

    #[test]
    fn config_file_errors_name_the_line() {
        let path = Path::new("raadhus.toml");
        let ok = parse_file(
            path,
            "bind = \"127.0.0.1:1\"\ndemo = false\nmax_body_bytes = 2048\n",
        )
        .unwrap();
        assert_eq!(ok.demo, Some(false));
        assert_eq!(Config::resolve(ok).unwrap().max_body_bytes, 2048);
        let cache = |value: &str| {
            Config::resolve(Layer {
                cache_max_bytes: Some(value.into()),
                ..Layer::default()
            })
        };
        assert_eq!(cache("0").unwrap().cache_max_bytes, 0);
        assert_eq!(cache(" 1048576 ").unwrap().cache_max_bytes, 1_048_576);
        assert!(matches!(cache("64MB"), Err(ConfigError::Invalid { .. })));
        let timeout = |value: Option<&str>| {
            Config::resolve(Layer {
                request_timeout: value.map(Into::into),
                ..Layer::default()
            })
        };
        let default = timeout(None).unwrap().request_timeout;
        assert_eq!(default, std::time::Duration::from_secs(30));
        assert_eq!(
            timeout(Some("5")).unwrap().request_timeout,
            std::time::Duration::from_secs(5)
        );
        for bad in ["0", "30s", "-1", "3601"] {
            assert!(
                matches!(timeout(Some(bad)), Err(ConfigError::Invalid { .. })),
                "{bad}"
            );
        }
        let unknown = parse_file(path, "bind = \"127.0.0.1:1\"\nsitename = \"x\"\n").unwrap_err();
        assert!(
            matches!(unknown, ConfigError::Syntax { line: 2, .. }),
            "{unknown}"
        );
        let broken = parse_file(path, "demo = ja\n").unwrap_err().to_string();
        assert!(
            broken.starts_with("config file raadhus.toml, line 1: "),
            "{broken}"
        );
        assert!(!broken.contains('\n'));
    }
}
