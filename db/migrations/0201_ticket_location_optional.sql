-- A complaint by SMS or e-mail arrives without a map point; the agent places it later. Until then the
-- ticket is left out of duplicate offers and arrival detection.
ALTER TABLE tickets ALTER COLUMN lat DROP NOT NULL;
ALTER TABLE tickets ALTER COLUMN lon DROP NOT NULL;
ALTER TABLE tickets ADD CONSTRAINT tickets_location_pair CHECK ((lat IS NULL) = (lon IS NULL));
