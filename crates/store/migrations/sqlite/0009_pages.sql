-- Content pages in a tree, and the old addresses of pages and articles that
-- answer 301. SQLite dialect; times as in 0001.

-- A page: its place in the tree (parent, position among its siblings), its
-- address (`path`, the slugs of its ancestors and its own, kept current by
-- every rename and move), its content as news has it, and its bookkeeping.
CREATE TABLE pages (
    id                 INTEGER PRIMARY KEY,
    site_id            INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    parent_id          INTEGER,
    position           INTEGER NOT NULL,
    slug               TEXT NOT NULL,
    path               TEXT NOT NULL,
    title              TEXT NOT NULL,
    lead               TEXT,
    body               TEXT NOT NULL,
    body_html          TEXT,
    body_html_version  INTEGER NOT NULL DEFAULT 0,
    body_html_renderer INTEGER NOT NULL DEFAULT 0,
    image_id           INTEGER,
    status             TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    publish_at         TEXT,
    unpublish_at       TEXT,
    version            INTEGER NOT NULL DEFAULT 1,
    deleted_at         TEXT,
    created_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    updated_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (site_id, id),
    FOREIGN KEY (site_id, parent_id) REFERENCES pages (site_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (site_id, image_id) REFERENCES media (site_id, id) ON DELETE RESTRICT
);
-- One live page per address; a page in the bin keeps its path until it is
-- restored (and refused there if another page took it meanwhile).
CREATE UNIQUE INDEX pages_path ON pages (site_id, path) WHERE deleted_at IS NULL;
CREATE INDEX pages_parent ON pages (site_id, parent_id, position);
CREATE INDEX pages_publish_at ON pages (publish_at);
CREATE INDEX pages_unpublish_at ON pages (unpublish_at);
CREATE INDEX pages_updated_at ON pages (site_id, updated_at);

-- Every save of a page: who, when, and the full content.
CREATE TABLE page_revisions (
    id           INTEGER PRIMARY KEY,
    site_id      INTEGER NOT NULL,
    page_id      INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    slug         TEXT NOT NULL,
    title        TEXT NOT NULL,
    lead         TEXT,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL,
    publish_at   TEXT,
    unpublish_at TEXT,
    -- Contact person ids in order, comma-separated ("3,1").
    contact_ids  TEXT NOT NULL,
    image_id     INTEGER,
    UNIQUE (page_id, version),
    FOREIGN KEY (site_id, page_id) REFERENCES pages (site_id, id) ON DELETE CASCADE
);

CREATE TABLE page_contacts (
    site_id     INTEGER NOT NULL,
    page_id     INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (page_id, contact_id),
    FOREIGN KEY (site_id, page_id) REFERENCES pages (site_id, id) ON DELETE CASCADE,
    FOREIGN KEY (site_id, contact_id) REFERENCES contacts (site_id, id) ON DELETE RESTRICT
);
CREATE INDEX page_contacts_contact ON page_contacts (contact_id);

-- Which pages show or link which files (image or body), as media_uses for
-- articles: a file in use cannot be deleted.
CREATE TABLE page_media_uses (
    site_id     INTEGER NOT NULL,
    media_id    INTEGER NOT NULL,
    page_id     INTEGER NOT NULL,
    PRIMARY KEY (media_id, page_id),
    FOREIGN KEY (site_id, media_id) REFERENCES media (site_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (site_id, page_id) REFERENCES pages (site_id, id) ON DELETE CASCADE
);
CREATE INDEX page_media_uses_page ON page_media_uses (page_id);

-- Addresses a page or an article had while it was published: each answers
-- 301 to where its page or article is now. They name the page or article,
-- not the address it moved to, so moving again never makes a chain. A live
-- page or article at the same address wins.
CREATE TABLE old_paths (
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    page_id     INTEGER,
    news_id     INTEGER,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (site_id, path),
    CHECK ((page_id IS NULL) <> (news_id IS NULL)),
    FOREIGN KEY (site_id, page_id) REFERENCES pages (site_id, id) ON DELETE CASCADE,
    FOREIGN KEY (site_id, news_id) REFERENCES news (site_id, id) ON DELETE CASCADE
);
CREATE INDEX old_paths_page ON old_paths (page_id);
CREATE INDEX old_paths_news ON old_paths (news_id);

-- The journal names page changes too. SQLite cannot change a CHECK in
-- place: the table is made anew with its rows (and sequence) kept.
CREATE TABLE changes_new (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('news', 'page', 'contact', 'media', 'directory', 'site')),
    entity_id INTEGER,
    listed INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1)),
    moved INTEGER NOT NULL DEFAULT 0 CHECK (moved IN (0, 1))
);
INSERT INTO changes_new (seq, site_id, entity, entity_id, listed, moved)
    SELECT seq, site_id, entity, entity_id, listed, moved FROM changes;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
