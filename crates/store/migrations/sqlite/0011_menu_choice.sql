-- Whether the header's main menu shows "Nyheder" and the directory
-- ("Andre hjemmesider") after the top-level pages; both on, as before.
ALTER TABLE site_settings ADD COLUMN menu_news BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE site_settings ADD COLUMN menu_directory BOOLEAN NOT NULL DEFAULT TRUE;
