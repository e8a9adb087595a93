-- Each site's accessibility statement ("tilgængelighedserklæring"): its
-- address (an absolute http(s) URL, normally in the WAS-tool) and the date
-- it was last reviewed (ISO, '2026-11-27'; none: not known). Both empty: the
-- site has none stored (the main site then shows the one configured with
-- --was-url, if any).
ALTER TABLE site_settings ADD COLUMN statement_url TEXT;
ALTER TABLE site_settings ADD COLUMN statement_reviewed TEXT;
