-- What the public site counts, without cookies or personal data (see
-- docs/privacy.md): views of public pages per path and day, addresses that
-- were not found, and searches that found nothing (normalised; never one
-- that looks like personal data). Each node adds its own increments.
-- Days as YYYY-MM-DD (Copenhagen), times as in 0001. Rows older than 400
-- days are deleted by the scheduler. SQLite dialect.
CREATE TABLE counted_views (
    site_id  INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    path     TEXT NOT NULL,
    day      TEXT NOT NULL,
    views    INTEGER NOT NULL,
    PRIMARY KEY (site_id, path, day)
);
CREATE INDEX counted_views_day ON counted_views (site_id, day);

-- At most 10,000 paths per site (enforced by the writer, under the write lock).
CREATE TABLE counted_not_found (
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    hits       INTEGER NOT NULL,
    last_seen  TEXT NOT NULL,
    PRIMARY KEY (site_id, path)
);
CREATE INDEX counted_not_found_rank ON counted_not_found (site_id, hits);
CREATE INDEX counted_not_found_seen ON counted_not_found (last_seen);

-- At most 10,000 queries per site (enforced by the writer, under the write lock).
CREATE TABLE counted_searches (
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    query      TEXT NOT NULL,
    hits       INTEGER NOT NULL,
    last_seen  TEXT NOT NULL,
    PRIMARY KEY (site_id, query)
);
CREATE INDEX counted_searches_rank ON counted_searches (site_id, hits);
CREATE INDEX counted_searches_seen ON counted_searches (last_seen);
