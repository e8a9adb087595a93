-- Best bets ("Anbefalede resultater"): a result editors pin for a search
-- phrase. `phrase_key` is the phrase as searches are compared (the
-- domain's `best_bet::phrase_key`); `target` a canonical path of the site
-- or an https URL.
CREATE TABLE best_bets (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    phrase      TEXT NOT NULL,
    phrase_key  TEXT NOT NULL,
    target      TEXT NOT NULL,
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (site_id, phrase_key, target)
);

-- The journal names changes of best bets too (searches show them). SQLite
-- cannot change a CHECK in place: the table is made anew with its rows (and
-- sequence) kept.
CREATE TABLE changes_new (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('news', 'page', 'contact', 'media', 'directory', 'best_bets', 'site')),
    entity_id INTEGER,
    listed INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1)),
    moved INTEGER NOT NULL DEFAULT 0 CHECK (moved IN (0, 1))
);
INSERT INTO changes_new (seq, site_id, entity, entity_id, listed, moved)
    SELECT seq, site_id, entity, entity_id, listed, moved FROM changes;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
