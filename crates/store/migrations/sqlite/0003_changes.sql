-- The change journal: one row per change the public can see, in commit order.
-- Every node follows it to keep its render cache and search index current.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('news', 'contact', 'directory', 'site')),
    entity_id INTEGER,
    -- news: it was or is published, so lists, feeds and search may show it
    listed INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1)),
    -- news: where it is listed may have changed (status, times, date, bin)
    moved INTEGER NOT NULL DEFAULT 0 CHECK (moved IN (0, 1))
);

-- Which database this is (a search index remembers it) and how much of the
-- journal has been pruned (a node that was behind that rebuilds).
CREATE TABLE changes_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    database_id TEXT NOT NULL,
    pruned_through INTEGER NOT NULL DEFAULT 0
);
INSERT INTO changes_state (id, database_id) VALUES (1, lower(hex(randomblob(16))));

-- Every render of a page not in the render cache looks up when the site's
-- content last changed and when a scheduled time next changes it: each is a
-- MIN or MAX that these indexes answer without reading the table.
-- (The scheduler looks for times across all sites, so no site_id first.)
CREATE INDEX news_publish_at ON news (publish_at);
CREATE INDEX news_unpublish_at ON news (unpublish_at);
CREATE INDEX news_updated_at ON news (site_id, updated_at);
CREATE INDEX news_deleted_at ON news (site_id, deleted_at);
CREATE INDEX audit_log_site_at ON audit_log (site_id, at);

-- Lists walk this index in their order; with every column of the public
-- condition in it, counting and paging far back never read the table.
DROP INDEX news_public;
CREATE INDEX news_public ON news (site_id, status, news_date DESC, publish_at DESC, id DESC, deleted_at, unpublish_at);
