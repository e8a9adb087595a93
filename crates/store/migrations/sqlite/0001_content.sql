-- Raadhus content schema, SQLite dialect.
-- Times are UTC in RFC 3339 form with whole seconds ("2017-12-18T08:30:00Z"),
-- so they sort and compare as text. Calendar dates are "YYYY-MM-DD".
-- Every content row belongs to a site; link tables carry the site id too, so a
-- row can never point at another site's content.

CREATE TABLE sites (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    job_title   TEXT,
    email       TEXT,
    phone       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (site_id, id)
);

CREATE TABLE topics (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (site_id, slug),
    UNIQUE (site_id, id)
);

CREATE TABLE websites (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    url         TEXT NOT NULL,
    description TEXT,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (site_id, id)
);

CREATE TABLE website_topics (
    site_id     INTEGER NOT NULL,
    website_id  INTEGER NOT NULL,
    topic_id    INTEGER NOT NULL,
    PRIMARY KEY (website_id, topic_id),
    FOREIGN KEY (site_id, website_id) REFERENCES websites (site_id, id) ON DELETE CASCADE,
    FOREIGN KEY (site_id, topic_id) REFERENCES topics (site_id, id) ON DELETE RESTRICT
);
CREATE INDEX website_topics_topic ON website_topics (topic_id);

CREATE TABLE news (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    slug        TEXT NOT NULL,
    title       TEXT NOT NULL,
    lead        TEXT,
    body        TEXT NOT NULL,
    news_date   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    publish_at  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (site_id, slug),
    UNIQUE (site_id, id)
);
CREATE INDEX news_public ON news (site_id, status, news_date DESC, publish_at DESC, id DESC);

CREATE TABLE news_contacts (
    site_id     INTEGER NOT NULL,
    news_id     INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (news_id, contact_id),
    FOREIGN KEY (site_id, news_id) REFERENCES news (site_id, id) ON DELETE CASCADE,
    FOREIGN KEY (site_id, contact_id) REFERENCES contacts (site_id, id) ON DELETE RESTRICT
);
CREATE INDEX news_contacts_contact ON news_contacts (contact_id);
