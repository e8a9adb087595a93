-- The change journal: one row per change the public can see, in commit order
-- (rows are written under the write lock, so sequence order is commit order).
-- Every node follows it to keep its render cache and search index current.
CREATE TABLE changes (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id BIGINT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('news', 'contact', 'directory', 'site')),
    entity_id BIGINT,
    -- news: it was or is published, so lists, feeds and search may show it
    listed BOOLEAN NOT NULL DEFAULT FALSE,
    -- news: where it is listed may have changed (status, times, date, bin)
    moved BOOLEAN NOT NULL DEFAULT FALSE
);

-- Which database this is (a search index remembers it) and how much of the
-- journal has been pruned (a node that was behind that rebuilds).
CREATE TABLE changes_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    database_id TEXT NOT NULL,
    pruned_through BIGINT NOT NULL DEFAULT 0
);
INSERT INTO changes_state (id, database_id) VALUES (1, md5(random()::text || clock_timestamp()::text));

-- Nodes now follow the journal: one announcement per committed write.
DROP TRIGGER news_changed ON news;
DROP TRIGGER news_contacts_changed ON news_contacts;
DROP TRIGGER contacts_changed ON contacts;
DROP TRIGGER topics_changed ON topics;
DROP TRIGGER websites_changed ON websites;
DROP TRIGGER website_topics_changed ON website_topics;
DROP TRIGGER sites_changed ON sites;
DROP TRIGGER audit_log_changed ON audit_log;
CREATE TRIGGER changes_announced AFTER INSERT ON changes
    FOR EACH STATEMENT EXECUTE FUNCTION raadhus_notify_change();

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
