-- Secrets the nodes of one site share: made once, on the first start, and
-- read by every node (the key that signs the sign-in form's token, …).
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
