use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use raadhus::cli::{Cli, Command};
use raadhus::config::{self, Config, Layer};
use raadhus::{Application, open_store};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match load_config(&cli) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("raadhus: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    // Log lines are written in batches by a thread of their own: request
    // handlers never wait for stderr. Nothing is dropped; the guard writes
    // what is left when `main` returns.
    let (log_writer, _log_guard) = match raadhus::log_writer::BatchLog::start(std::io::stderr()) {
        Ok(log) => log,
        Err(e) => {
            eprintln!("raadhus: cannot start the log writer: {e}");
            return ExitCode::FAILURE;
        }
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&config.log))
        .with_writer(log_writer.clone());
    match config.log_format {
        config::LogFormat::Text if std::io::stderr().is_terminal() => logs.with_ansi(true).init(),
        config::LogFormat::Text => {
            logs.with_ansi(false).init();
            // The request lines, the same text, formatted by the server.
            raadhus_web::write_text_lines_to(move |line| {
                let _ = (&log_writer).write_all(line);
            });
        }
        // The request's span (method, path, version) beside each event.
        config::LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("raadhus: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result: Result<(), Box<dyn std::error::Error>> = runtime.block_on(async {
        match cli.command {
            Command::Serve(_) => serve(&config).await,
            Command::Migrate => migrate(&config).await,
            Command::Openapi => {
                println!("{}", raadhus_web::openapi_json());
                Ok(())
            }
            Command::Reindex => reindex(&config).await,
            Command::User(command) => {
                with_store(&config, async |s| {
                    raadhus::accounts::user(&usecases(s), command).await
                })
                .await
            }
            Command::Site(command) => {
                with_store(&config, async |s| {
                    raadhus::sites::command(&usecases(s), command).await
                })
                .await
            }
            Command::Token(command) => {
                with_store(&config, async |s| {
                    raadhus::accounts::token(&usecases(s), command).await
                })
                .await
            }
            Command::Export {
                file,
                with_secrets,
                site,
            } => {
                with_store(&config, async |s| {
                    raadhus::transfer::export(s, &file, with_secrets, site.as_deref()).await
                })
                .await
            }
            Command::Import {
                file, site: None, ..
            } => with_store(&config, async |s| raadhus::transfer::import(s, &file).await).await,
            Command::Import {
                file,
                site: Some(host),
                topic,
                base_url,
            } => {
                with_store(&config, async |s| {
                    let new = raadhus::transfer::NewSite {
                        host: &host,
                        topic: topic.as_deref(),
                        base_url: base_url.as_deref(),
                    };
                    raadhus::transfer::import_site(&usecases(s), &file, new).await
                })
                .await
            }
            Command::Redirects(command) => {
                with_store(&config, async |s| {
                    raadhus::redirects::run(&usecases(s), command).await
                })
                .await
            }
            Command::Links(command) => {
                with_store(&config, async |s| {
                    raadhus::links::command(&usecases(s), &config, command).await
                })
                .await
            }
            Command::Backup { file } => {
                with_store(&config, async |s| raadhus::transfer::backup(s, &file).await).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("raadhus: {}", raadhus_domain::chain::Chain(e.as_ref()));
            ExitCode::FAILURE
        }
    }
}

/// Opens the database, runs `command` on it and closes it again.
async fn with_store<E>(
    config: &Config,
    command: impl AsyncFnOnce(&raadhus_store::Store) -> Result<(), E>,
) -> Result<(), Box<dyn std::error::Error>>
where
    E: std::error::Error + 'static,
{
    let store = open_store(config).await?;
    let result = command(&store).await;
    store.close().await;
    Ok(result?)
}

/// The use cases on the store, on the system clock.
fn usecases(store: &raadhus_store::Store) -> raadhus_usecases::UseCases {
    raadhus_usecases::UseCases::new(store.clone(), raadhus_usecases::Clock::system())
}

fn load_config(cli: &Cli) -> Result<Config, config::ConfigError> {
    let file = match &cli.config {
        Some(path) => config::read_file(path)?,
        None => Layer::default(),
    };
    Config::resolve(cli.layer().or(file))
}

async fn serve(config: &Config) -> Result<(), Box<dyn std::error::Error>> {
    let app = Application::build(config).await?;
    let addr = app.local_addr()?;
    tracing::info!(%addr, data_dir = %config.data_dir.display(), "raadhus is serving");
    if let Some(addr) = app.metrics_addr()? {
        tracing::info!(%addr, "serving /metrics");
    }
    app.run_until_stopped(shutdown_signal()).await;
    tracing::info!("raadhus stopped");
    Ok(())
}

async fn migrate(config: &Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = open_store(config).await?;
    store.close().await;
    tracing::info!("database is up to date");
    Ok(())
}

async fn reindex(config: &Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = open_store(config).await?;
    let index = raadhus::open_index(config)?;
    let now = jiff::Timestamp::now();
    let site = store.primary_site("Raadhus", now).await?;
    let base = config
        .base_url
        .clone()
        .unwrap_or_else(|| raadhus::local_base_url(config.bind));
    let clock = raadhus_usecases::Clock::system();
    let mut sites = vec![(site.id, raadhus_domain::SiteUrls::new(base))];
    for subsite in store.subsites().await? {
        sites.push((
            subsite.site.id,
            raadhus_domain::SiteUrls::new(subsite.base_url),
        ));
    }
    let (count, _) = raadhus::indexer::rebuild(&index, &store, &sites, &clock).await?;
    store.close().await;
    eprintln!("search index rebuilt: {count} documents");
    Ok(())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}
