-- The background link checker: what the last check of each address of
-- another site (linked from a body or listed in the directory) found, and
-- one lease per site so that exactly one node checks at a time. SQLite
-- dialect; times as in 0001 (fixed-width UTC text, so they compare as text).
CREATE TABLE link_checks (
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    -- ok | broken | later (429) | refused (a private address, not asked)
    health      TEXT NOT NULL CHECK (health IN ('ok', 'broken', 'later', 'refused')),
    status      INTEGER,
    error       TEXT,
    checked_at  TEXT NOT NULL,
    PRIMARY KEY (site_id, url)
);

-- The node running a check holds the lease until `expires_at` (renewing it
-- while it works); '' when nobody holds it. `last_run`: when the last run
-- ended.
CREATE TABLE link_check_runs (
    site_id     INTEGER PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
    holder      TEXT NOT NULL DEFAULT '',
    expires_at  TEXT NOT NULL DEFAULT '',
    last_run    TEXT
);
