-- Subsites: the municipality's institutions on the same installation. The
-- first site (the main one) answers on the configured base URL and has no
-- host here; every other site answers on its own host (lower case, no
-- port), with its public address and the topic of the main site's
-- directory it is listed under.
ALTER TABLE sites ADD COLUMN host TEXT;
ALTER TABLE sites ADD COLUMN base_url TEXT;
ALTER TABLE sites ADD COLUMN topic_id INTEGER REFERENCES topics (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX sites_host ON sites (host);

-- The newest publish and unpublish time of one site that has passed: with
-- many sites, an index of the times alone would be walked through every
-- other site's rows to find a small site's.
CREATE INDEX news_site_publish_at ON news (site_id, publish_at);
CREATE INDEX news_site_unpublish_at ON news (site_id, unpublish_at);
CREATE INDEX pages_site_publish_at ON pages (site_id, publish_at);
CREATE INDEX pages_site_unpublish_at ON pages (site_id, unpublish_at);
