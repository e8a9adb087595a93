//! One integration-test binary driving the real application over real HTTP,
//! each test on its own fresh database: SQLite, or PostgreSQL when
//! `RAADHUS_TEST_DATABASE_URL` is set (see `database.rs`).

mod database;
mod support;

mod admin_directory;
mod admin_news;
mod admin_session;
mod api;
mod caching;
mod cli;
mod cluster;
mod connections;
mod directory;
mod discovery;
mod faults;
mod hostile;
mod news;
mod pages;
mod reference_article;
mod render_cache;
mod scheduling;
mod search;
mod transfer;
mod usecases;
