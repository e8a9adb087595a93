//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Layer;

#[derive(Debug, Parser)]
#[command(
    name = "raadhus",
    version,
    about = "Raadhus: a fast, self-hosted website platform for Danish municipalities.",
    long_about = "Raadhus: a fast, self-hosted website platform for Danish municipalities.\n\n\
        One binary serves the municipality's news and the directory of its other \
        websites. Content is kept in SQLite in the data directory, or in PostgreSQL \
        when several nodes serve one site (--database-url postgres://...).\n\n\
        Settings come from flags, then RAADHUS_* environment variables, then the \
        TOML file given with --config, then the defaults.",
    after_help = "Examples:\n  raadhus serve                      serve on 127.0.0.1:8080 with data in ./data\n  raadhus serve --bind 0.0.0.0:80 --no-demo\n  raadhus --config /etc/raadhus.toml migrate\n  raadhus backup /var/backups/raadhus-$(date +%F).db\n  raadhus export site.json && raadhus --database-url postgres://raadhus@db/raadhus import site.json"
)]
pub struct Cli {
    /// TOML configuration file (keys: bind, metrics_addr, data_dir, database_url, site_name, base_url, log, log_format, demo, counting, pin_threads, …).
    #[arg(long, global = true, env = "RAADHUS_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Directory for the database and other data [default: ./data].
    #[arg(
        long = "data",
        global = true,
        env = "RAADHUS_DATA_DIR",
        value_name = "DIR"
    )]
    pub data_dir: Option<PathBuf>,

    /// Database URL [default: the SQLite file raadhus.db in the data directory].
    #[arg(
        long,
        global = true,
        env = "RAADHUS_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// Log filter, e.g. "info" or "raadhus=debug,sqlx=warn" [default: info].
    #[arg(long, global = true, env = "RAADHUS_LOG", value_name = "FILTER")]
    pub log: Option<String>,

    /// How log lines are written: text, for people, or json, one object a
    /// line for log collectors [default: text].
    #[arg(
        long,
        global = true,
        env = "RAADHUS_LOG_FORMAT",
        value_name = "FORMAT",
        value_parser = ["text", "json"]
    )]
    pub log_format: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server. Creates the database, applies migrations and, on an
    /// empty database, loads the demo content.
    Serve(Box<ServeArgs>),
    /// Create the database if needed and apply all pending migrations, then exit.
    Migrate,
    /// Print the JSON API's OpenAPI document (served at /api/v1/openapi.json).
    Openapi,
    /// Rebuild the search index from the database (stop the server first: it
    /// keeps the index up to date itself, and only one process may write it).
    Reindex,
    /// Manage the editors and administrators who sign in at /admin.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the subsites: institutions' websites served by this
    /// installation, each on its own host.
    #[command(subcommand)]
    Site(SiteCommand),
    /// Manage API tokens for /api/v1.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Write the whole site (news with all revisions, contact persons, topics,
    /// websites, users, audit log) to FILE as JSON (docs/export-format.md).
    /// Password hashes and API tokens only with --with-secrets.
    Export {
        /// The file to write; it must not exist yet.
        file: PathBuf,
        /// Include password hashes and API token digests (keep the file safe).
        #[arg(long)]
        with_secrets: bool,
        /// Only the subsite answering on HOST, as a site of its own (to
        /// move it to an installation of its own) [default: every site].
        #[arg(long, value_name = "HOST")]
        site: Option<String>,
    },
    /// Load an export FILE into an empty database (SQLite or PostgreSQL). The
    /// file is checked completely first; a bad file writes nothing. With
    /// --site, FILE holds one site (as `export --site` writes it), loaded
    /// beside the installation's content as a new subsite on HOST.
    Import {
        file: PathBuf,
        /// Load the file's one site as a new subsite answering on HOST, into
        /// a database that may have content: every row gets a new id, users
        /// are matched by e-mail (or created), API tokens are left out.
        #[arg(long, value_name = "HOST")]
        site: Option<String>,
        /// With --site: the topic of the main site's directory to list it
        /// under (created if the directory has none of that name).
        #[arg(long, requires = "site")]
        topic: Option<String>,
        /// With --site: its public address [default: https://HOST/].
        #[arg(long, value_name = "URL", requires = "site")]
        base_url: Option<String>,
    },
    /// Manage redirects from addresses of the site (an old site's, say).
    #[command(subcommand)]
    Redirects(RedirectsCommand),
    /// Check the links of the site to other sites now.
    #[command(subcommand)]
    Links(LinksCommand),
    /// Copy the SQLite database to FILE while the server runs (a consistent
    /// snapshot). For PostgreSQL use pg_dump.
    Backup {
        /// The backup file to create; it must not exist yet.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is asked for, or read from stdin.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin (also manages users and API tokens) or editor.
        #[arg(long, value_parser = ["admin", "editor"])]
        role: String,
        /// The role is on the subsite answering on HOST, not on the main
        /// site (repeat for several subsites). Administrators of the main
        /// site administer every site.
        #[arg(long = "site", value_name = "HOST")]
        sites: Vec<String>,
        /// Read the password from the first line of stdin instead of a prompt.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List all users.
    List,
    /// Set a user's password; their sessions end.
    Passwd {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of stdin instead of a prompt.
        #[arg(long)]
        password_stdin: bool,
        /// Also revoke the user's API tokens (they keep working otherwise):
        /// use it when the old password may have leaked.
        #[arg(long)]
        revoke_tokens: bool,
    },
    /// Disable a user: their sessions and API tokens stop working at once.
    Disable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Create a subsite answering on HOST, with the pages "Om os" and
    /// "Kontakt" and a front page linking to them. Every node serves it
    /// at once.
    Add {
        /// The host name it answers on, e.g. skolen.kommune.dk.
        #[arg(long)]
        host: String,
        /// Its name, shown in its header, e.g. "Vesterfjord Skole".
        #[arg(long)]
        name: String,
        /// The topic of the main site's directory to list it under
        /// (created if the directory has none of that name).
        #[arg(long)]
        topic: Option<String>,
        /// Its public address [default: https://HOST/].
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// List the subsites: id, host, address and name.
    List,
}

#[derive(Debug, Subcommand)]
pub enum RedirectsCommand {
    /// Make redirects from a CSV FILE with the header `from,to` or
    /// `from,to,permanent` (permanent: 301, true, 302 or false; blank means
    /// 301). The whole file is checked first, with the stored redirects;
    /// a bad row names its line and nothing is written.
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum LinksCommand {
    /// Check every link of articles, pages and the directory to other sites
    /// now (as the server does in the background), wait for it and print a
    /// summary with the broken ones. Exits 0 even when links are broken;
    /// non-zero only when the check could not run (another node is
    /// checking, say).
    Check {
        /// The public address of the site (links to it are not checked;
        /// named in the User-Agent) [default: http://BIND/].
        #[arg(long, env = "RAADHUS_BASE_URL", value_name = "URL")]
        base_url: Option<String>,
        #[command(flatten)]
        links: LinkArgs,
    },
}

/// The link checker's settings, for `serve` and `links check`.
#[derive(Debug, Args, Default)]
pub struct LinkArgs {
    /// Hours between background checks of links to other sites; 0 turns
    /// them off [default: 24].
    #[arg(long, env = "RAADHUS_LINKS_INTERVAL_HOURS", value_name = "HOURS")]
    pub links_interval_hours: Option<String>,

    /// Seconds the link checker waits for an answer [default: 10].
    #[arg(long, env = "RAADHUS_LINKS_TIMEOUT", value_name = "SECONDS")]
    pub links_timeout: Option<String>,

    /// Milliseconds between two requests of the link checker to one host
    /// [default: 1000].
    #[arg(long, env = "RAADHUS_LINKS_HOST_DELAY_MS", value_name = "MS")]
    pub links_host_delay_ms: Option<String>,

    /// Also check links to loopback and private network addresses (off by
    /// default: an editor could otherwise probe the internal network).
    #[arg(long, env = "RAADHUS_LINKS_ALLOW_PRIVATE")]
    pub links_allow_private: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token acting as USER; prints the token once, alone on stdout.
    Create {
        /// The e-mail address of the user the token acts as.
        #[arg(long)]
        user: String,
        /// What the token is for, e.g. "intranet-publisher".
        #[arg(long)]
        name: String,
    },
    /// List all tokens (never the tokens themselves).
    List,
    /// Revoke a token by its id (see `token list`).
    Revoke { id: i64 },
}

#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Address and port to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "RAADHUS_BIND", value_name = "ADDR")]
    pub bind: Option<String>,

    /// Also serve GET /metrics (OpenMetrics text, for Prometheus) on this
    /// address and port, apart from the site, e.g. 127.0.0.1:9464; keep it
    /// on loopback or firewalled [default: off].
    #[arg(long, env = "RAADHUS_METRICS_ADDR", value_name = "ADDR")]
    pub metrics_addr: Option<String>,

    /// The site's name, e.g. "Vesterfjord Kommune" [default: the stored name].
    #[arg(long, env = "RAADHUS_SITE_NAME", value_name = "NAME")]
    pub site_name: Option<String>,

    /// The public address of the site, e.g. https://www.kommune.dk/ [default: http://BIND/].
    #[arg(long, env = "RAADHUS_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,

    /// Largest JSON request body the API accepts, in bytes [default: 1048576].
    #[arg(long, env = "RAADHUS_MAX_BODY_BYTES", value_name = "BYTES")]
    pub max_body_bytes: Option<String>,

    /// Largest file an editor may upload to the media library, in bytes
    /// [default: 20971520].
    #[arg(long, env = "RAADHUS_MAX_UPLOAD_BYTES", value_name = "BYTES")]
    pub max_upload_bytes: Option<String>,

    /// Most pixels an uploaded image may have (its header is read before
    /// any decoding) [default: 50000000].
    #[arg(long, env = "RAADHUS_MAX_IMAGE_PIXELS", value_name = "PIXELS")]
    pub max_image_pixels: Option<String>,

    /// Most memory the render cache of public pages may hold, in bytes; 0
    /// turns it off [default: 67108864].
    #[arg(long, env = "RAADHUS_CACHE_MAX_BYTES", value_name = "BYTES")]
    pub cache_max_bytes: Option<String>,

    /// Seconds the server waits on a client: for a request's headers, for
    /// any byte of an answer to get through, and for a request to be read
    /// and answered; idle connections close after as long [default: 30].
    #[arg(long, env = "RAADHUS_REQUEST_TIMEOUT", value_name = "SECONDS")]
    pub request_timeout: Option<String>,

    /// The site's accessibility statement in the WAS-tool (https://…); linked
    /// from every page's footer and from /was.
    #[arg(long, env = "RAADHUS_WAS_URL", value_name = "URL")]
    pub was_url: Option<String>,

    /// When the accessibility statement was last reviewed (YYYY-MM-DD); the
    /// admin reminds editors when it is more than 12 months ago.
    #[arg(long, env = "RAADHUS_WAS_REVIEWED", value_name = "DATE")]
    pub was_reviewed: Option<String>,

    /// The reverse proxies whose X-Forwarded-For and Forwarded headers are
    /// believed: IP addresses and CIDR ranges, separated by commas, e.g.
    /// 127.0.0.1 [default: none].
    #[arg(long, env = "RAADHUS_TRUSTED_PROXIES", value_name = "LIST")]
    pub trusted_proxies: Option<String>,

    /// Most connections served at once [default: sized from the limit of
    /// open files].
    #[arg(long, env = "RAADHUS_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<String>,

    /// Start with an empty site: do not load the demo content.
    #[arg(long)]
    pub no_demo: bool,

    /// Count nothing: no page views, addresses not found or searches
    /// without results (RAADHUS_NO_COUNTING=1 does the same).
    #[arg(long, env = "RAADHUS_NO_COUNTING", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_counting: bool,

    /// Leave the server threads' CPUs to the kernel: do not pin each to a
    /// CPU of its own (RAADHUS_NO_PIN_THREADS=1 does the same).
    #[arg(long, env = "RAADHUS_NO_PIN_THREADS", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_pin_threads: bool,
    #[command(flatten)]
    pub links: LinkArgs,
}

impl Cli {
    /// The values given by flags and environment variables.
    pub fn layer(&self) -> Layer {
        let serve = match &self.command {
            Command::Serve(args) => Some(args),
            _ => None,
        };
        let (links, links_base_url) = match &self.command {
            Command::Serve(args) => (Some(&args.links), None),
            Command::Links(LinksCommand::Check { base_url, links }) => {
                (Some(links), base_url.clone())
            }
            _ => (None, None),
        };
        Layer {
            bind: serve.and_then(|s| s.bind.clone()),
            metrics_addr: serve.and_then(|s| s.metrics_addr.clone()),
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            site_name: serve.and_then(|s| s.site_name.clone()),
            base_url: serve.and_then(|s| s.base_url.clone()).or(links_base_url),
            log: self.log.clone(),
            log_format: self.log_format.clone(),
            demo: serve.and_then(|s| s.no_demo.then_some(false)),
            counting: serve.and_then(|s| s.no_counting.then_some(false)),
            pin_threads: serve.and_then(|s| s.no_pin_threads.then_some(false)),
            max_body_bytes: serve.and_then(|s| s.max_body_bytes.clone()),
            cache_max_bytes: serve.and_then(|s| s.cache_max_bytes.clone()),
            max_upload_bytes: serve.and_then(|s| s.max_upload_bytes.clone()),
            max_image_pixels: serve.and_then(|s| s.max_image_pixels.clone()),
            request_timeout: serve.and_then(|s| s.request_timeout.clone()),
            was_url: serve.and_then(|s| s.was_url.clone()),
            was_reviewed: serve.and_then(|s| s.was_reviewed.clone()),
            trusted_proxies: serve.and_then(|s| s.trusted_proxies.clone()),
            max_connections: serve.and_then(|s| s.max_connections.clone()),
            links_interval_hours: links.and_then(|l| l.links_interval_hours.clone()),
            links_timeout: links.and_then(|l| l.links_timeout.clone()),
            links_host_delay_ms: links.and_then(|l| l.links_host_delay_ms.clone()),
            links_allow_private: links.and_then(|l| l.links_allow_private.then_some(true)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flags_become_a_layer() {
        let cli = Cli::try_parse_from([
            "raadhus",
            "--data",
            "/srv/raadhus",
            "serve",
            "--bind",
            "127.0.0.1:9",
            "--no-demo",
            "--no-counting",
            "--no-pin-threads",
            "--metrics-addr",
            "127.0.0.1:9464",
        ])
        .unwrap();
        let layer = cli.layer();
        assert_eq!(layer.counting, Some(false));
        assert_eq!(layer.pin_threads, Some(false));
        assert_eq!(layer.metrics_addr.as_deref(), Some("127.0.0.1:9464"));
        assert_eq!(layer.bind.as_deref(), Some("127.0.0.1:9"));
        assert_eq!(layer.data_dir, Some(PathBuf::from("/srv/raadhus")));
        assert_eq!(layer.demo, Some(false));
    }
}
