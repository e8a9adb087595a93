-- The media library. SQLite dialect; times as in 0001.
-- File contents are stored once, by the SHA-256 of their (cleaned) bytes, so
-- every node serves every file and a backup of the database holds them all.
CREATE TABLE media_files (
    sha256      TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    bytes       BLOB NOT NULL,
    created_at  TEXT NOT NULL
);

-- A file of a site's library: an image or a document, and what editors say
-- about it. Accessibility columns are a document's check (NULL for images);
-- `text` is a document's text, for search.
CREATE TABLE media (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('image', 'document')),
    sha256      TEXT NOT NULL REFERENCES media_files (sha256),
    mime        TEXT NOT NULL,
    filename    TEXT NOT NULL,
    size        INTEGER NOT NULL,
    width       INTEGER,
    height      INTEGER,
    title       TEXT NOT NULL,
    alt         TEXT,
    decorative  BOOLEAN NOT NULL DEFAULT FALSE,
    caption     TEXT,
    credit      TEXT,
    focal_x     INTEGER NOT NULL DEFAULT 500,
    focal_y     INTEGER NOT NULL DEFAULT 500,
    tagged      BOOLEAN,
    language    BOOLEAN,
    has_title   BOOLEAN,
    has_text    BOOLEAN,
    text        TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (site_id, id)
);
CREATE INDEX media_site ON media (site_id, id DESC);
CREATE INDEX media_sha ON media (sha256);

-- Every version of what editors said about a file.
CREATE TABLE media_revisions (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL,
    media_id    INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    title       TEXT NOT NULL,
    alt         TEXT,
    decorative  BOOLEAN NOT NULL,
    caption     TEXT,
    credit      TEXT,
    focal_x     INTEGER NOT NULL,
    focal_y     INTEGER NOT NULL,
    UNIQUE (media_id, version),
    FOREIGN KEY (site_id, media_id) REFERENCES media (site_id, id) ON DELETE CASCADE
);

-- The lead image of an article (its uses are in media_uses too).
ALTER TABLE news ADD COLUMN image_id INTEGER;
ALTER TABLE news_revisions ADD COLUMN image_id INTEGER;

-- Which articles show or link which files (lead image or body): a file in
-- use cannot be deleted, and a change of its alt text re-renders these.
CREATE TABLE media_uses (
    site_id     INTEGER NOT NULL,
    media_id    INTEGER NOT NULL,
    news_id     INTEGER NOT NULL,
    PRIMARY KEY (media_id, news_id),
    FOREIGN KEY (site_id, media_id) REFERENCES media (site_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (site_id, news_id) REFERENCES news (site_id, id) ON DELETE CASCADE
);
CREATE INDEX media_uses_news ON media_uses (news_id);

-- The journal names media changes too. SQLite cannot change a CHECK in
-- place: the table is made anew with its rows (and sequence) kept.
CREATE TABLE changes_new (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('news', 'contact', 'media', 'directory', 'site')),
    entity_id INTEGER,
    listed INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1)),
    moved INTEGER NOT NULL DEFAULT 0 CHECK (moved IN (0, 1))
);
INSERT INTO changes_new (seq, site_id, entity, entity_id, listed, moved)
    SELECT seq, site_id, entity, entity_id, listed, moved FROM changes;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
