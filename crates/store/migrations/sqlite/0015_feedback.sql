-- "Fandt du det, du søgte?": per page or article and day, how many answered
-- "Ja" and "Nej" (never who), and the optional comments after "Nej", kept
-- for 90 days. SQLite dialect; days as YYYY-MM-DD (Copenhagen), times as in
-- 0001.
CREATE TABLE feedback_days (
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    page_id    INTEGER,
    news_id    INTEGER,
    day        TEXT NOT NULL,
    yes_count  INTEGER NOT NULL DEFAULT 0,
    no_count   INTEGER NOT NULL DEFAULT 0,
    CHECK ((page_id IS NULL) <> (news_id IS NULL)),
    FOREIGN KEY (site_id, page_id) REFERENCES pages (site_id, id) ON DELETE CASCADE,
    FOREIGN KEY (site_id, news_id) REFERENCES news (site_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX feedback_days_page ON feedback_days (page_id, day) WHERE page_id IS NOT NULL;
CREATE UNIQUE INDEX feedback_days_news ON feedback_days (news_id, day) WHERE news_id IS NOT NULL;
CREATE INDEX feedback_days_site ON feedback_days (site_id);

CREATE TABLE feedback_comments (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    page_id     INTEGER,
    news_id     INTEGER,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CHECK ((page_id IS NULL) <> (news_id IS NULL)),
    FOREIGN KEY (site_id, page_id) REFERENCES pages (site_id, id) ON DELETE CASCADE,
    FOREIGN KEY (site_id, news_id) REFERENCES news (site_id, id) ON DELETE CASCADE
);
CREATE INDEX feedback_comments_page ON feedback_comments (page_id);
CREATE INDEX feedback_comments_news ON feedback_comments (news_id);
CREATE INDEX feedback_comments_created ON feedback_comments (created_at);
