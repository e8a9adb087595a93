-- Each article's body rendered to HTML when it is saved, so that pages and
-- feeds never render it per request. PostgreSQL dialect.
--
-- The HTML is of the article's version `body_html_version`, made by renderer
-- version `body_html_renderer` (raadhus_domain::markup::RENDER_VERSION). Where
-- either differs from what a node expects (rows from before this migration,
-- rows saved meanwhile by a node of an older Raadhus, a newer renderer), the
-- node renders the body when it is asked for, and renders and stores it in the
-- background after it starts. Adding columns with constant defaults rewrites
-- no rows, however many articles there are.
ALTER TABLE news ADD COLUMN body_html TEXT;
ALTER TABLE news ADD COLUMN body_html_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE news ADD COLUMN body_html_renderer BIGINT NOT NULL DEFAULT 0;
