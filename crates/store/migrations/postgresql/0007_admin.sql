-- One-time links an administrator makes so that a user can choose a new
-- password. PostgreSQL dialect; times as in 0001. The link holds a random token,
-- the table only its SHA-256; a link works once, until it expires.
CREATE TABLE password_resets (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- The admin looks up the lines about one object (who put an article in the
-- bin, and when).
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
