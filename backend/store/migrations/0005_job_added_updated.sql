-- 0005: an import's written rows split into the records added (inserted)
-- and the records updated, so an upsert's result says which.
ALTER TABLE jobs ADD COLUMN added INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;
