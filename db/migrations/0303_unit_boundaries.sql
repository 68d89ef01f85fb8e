-- The area each unit is responsible for (its 辖区), drawn on the console's maps. A GeoJSON Polygon or
-- MultiPolygon in WGS-84 ([lon, lat] positions), kept as jsonb: no PostGIS is assumed, the API validates the
-- geometry, and nothing queries inside it. NULL while a unit has none. A plain column on an ordinary table,
-- so the same step runs on PostgreSQL, PGlite and TimescaleDB.
ALTER TABLE units ADD COLUMN boundary jsonb
  CHECK (boundary IS NULL OR boundary->>'type' IN ('Polygon', 'MultiPolygon'));
