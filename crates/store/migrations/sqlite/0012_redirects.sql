-- Redirects made by editors: a path of the site (canonical form, see the
-- domain's `redirect` module) that answers 301 or 302 with `to_target`. A
-- target on this site keeps its canonical path in `to_path` (NULL for an
-- https URL), so that chains are found and collapsed by an indexed lookup.
CREATE TABLE redirects (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    from_path   TEXT NOT NULL,
    to_target   TEXT NOT NULL,
    to_path     TEXT,
    permanent   BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (site_id, from_path)
);
CREATE INDEX redirects_to_path ON redirects (site_id, to_path);
