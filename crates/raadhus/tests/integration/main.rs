//! One integration-test binary driving the real application over real HTTP,
//! each test on its own fresh database: SQLite, or PostgreSQL when
//! `RAADHUS_TEST_DATABASE_URL` is set (see `database.rs`).

mod database;
mod media_support;
mod page_support;
mod support;

mod admin_directory;
mod admin_editor;
mod admin_media;
mod admin_media_use;
mod admin_news;
mod admin_page_preview;
mod admin_pages;
mod admin_session;
mod admin_sider;
mod admin_sider_history;
mod admin_users;
mod api;
mod article_page;
mod blocks;
mod caching;
mod cli;
mod cluster;
mod connections;
mod contract;
mod demo_pages;
mod directory;
mod discovery;
mod export_snapshot;
mod faults;
mod hardening;
mod hostile;
mod import_rules;
mod link_warnings;
mod media_api;
mod media_cluster;
mod media_public;
mod media_transfer;
mod menu_choice;
mod menu_sitemap;
mod news;
mod page_tree;
mod pages;
mod pages_api;
mod pages_public;
mod redirects;
mod reference_article;
mod render_cache;
mod rendering;
mod scheduling;
mod search;
mod search_pages;
mod site_settings;
mod transfer;
mod usecases;
