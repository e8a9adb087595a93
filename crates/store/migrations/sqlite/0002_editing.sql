-- Editing: users, sessions, API tokens, sign-in throttling, revisions, the bin,
-- scheduling and the audit log. SQLite dialect; times as in 0001.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
    password_hash TEXT NOT NULL,
    disabled_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
-- E-mail addresses are unique without regard to case.
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- Server-side sessions; the cookie holds a random token, the table its SHA-256.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed sign-ins, by account ("user:<email>") and by address ("ip:<addr>").
CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY,
    subject    TEXT NOT NULL,
    failed_at  TEXT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, failed_at);

-- Each directory website's own accessibility statement (WAS-tool).
ALTER TABLE websites ADD COLUMN statement_url TEXT;

-- Optimistic concurrency, unpublishing and the bin.
ALTER TABLE news ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE news ADD COLUMN unpublish_at TEXT;
ALTER TABLE news ADD COLUMN deleted_at TEXT;

-- Every save of a news item: who, when, and the full content.
CREATE TABLE news_revisions (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL,
    news_id     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    slug        TEXT NOT NULL,
    title       TEXT NOT NULL,
    lead        TEXT,
    body        TEXT NOT NULL,
    news_date   TEXT NOT NULL,
    status      TEXT NOT NULL,
    publish_at  TEXT,
    unpublish_at TEXT,
    -- Contact person ids in order, comma-separated ("3,1").
    contact_ids TEXT NOT NULL,
    UNIQUE (news_id, version),
    FOREIGN KEY (site_id, news_id) REFERENCES news (site_id, id) ON DELETE CASCADE
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER REFERENCES sites (id) ON DELETE CASCADE,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER,
    summary     TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at DESC);

-- The scheduler's progress: every publish and unpublish time up to last_run
-- has been handled, so a node that was down catches up from here.
CREATE TABLE scheduler_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_run  TEXT NOT NULL
);
