-- The municipality's identity beyond its name (which stays in sites.name):
-- logo, brand colour, the footer's facts, and the front page's composition.
-- One row per site; a site without one has none of these yet.
CREATE TABLE site_settings (
    site_id         BIGINT PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
    -- An image of the media library (deleting it is refused while it is the
    -- logo; SET NULL only guards what bypasses Raadhus).
    logo_id         BIGINT REFERENCES media (id) ON DELETE SET NULL,
    -- '#rrggbb', white text on it has at least 4.5:1 contrast.
    brand_color     TEXT,
    address         TEXT,
    -- E.164, '+4512345678'.
    phone           TEXT,
    email           TEXT,
    cvr             TEXT,
    ean             TEXT,
    opening_hours   TEXT,
    -- A page of the site (checked by the use case; a page that is gone is
    -- simply not linked).
    privacy_page_id BIGINT,
    -- JSON: [{"label": "Facebook", "url": "https://…"}, …]
    social_links    TEXT NOT NULL DEFAULT '[]',
    -- The front page's lead story (shown while published).
    lead_news_id    BIGINT REFERENCES news (id) ON DELETE SET NULL,
    -- Page ids of the front page's shortcuts ("Genveje"), in order: '3,1,2'.
    shortcuts       TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL
);
