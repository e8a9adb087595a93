-- Roles per site. `users.role` is a user's role on the main site when
-- `main_site` is set (administrators of the main site administer every
-- site); a user without it works only on the subsites of `user_sites`, each
-- with its own role.
ALTER TABLE users ADD COLUMN main_site INTEGER NOT NULL DEFAULT 1 CHECK (main_site IN (0, 1));
CREATE TABLE user_sites (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
    PRIMARY KEY (user_id, site_id)
);
CREATE INDEX user_sites_site ON user_sites (site_id);
