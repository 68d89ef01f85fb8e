-- Positions: one row per (device, fix time). Coordinates are integer micro-degrees, as JT/T 808 sends
-- them: exact for that protocol, ~0.11 m rounding for GT06 (which sends 1/1,800,000 minute steps), and they
-- compress more than twice as well as float8.
--
-- distance_m and moving_s are written by the position writer from the device's previous stored fix, so the
-- daily statistics are plain sums on both engines (a TimescaleDB continuous aggregate cannot use window
-- functions). No foreign key to devices: deleting a device must not cascade through years of history, and
-- the check would cost every insert.
CREATE TABLE positions (
  device_id integer NOT NULL,
  fix_time timestamptz NOT NULL,
  lat_e6 integer NOT NULL,
  lon_e6 integer NOT NULL,
  altitude_m real NOT NULL,
  speed_kmh real NOT NULL,
  course smallint NOT NULL,
  valid boolean NOT NULL,
  satellites smallint,
  ignition boolean,
  odometer_km double precision,
  fuel_l real,
  alarms text[] NOT NULL DEFAULT '{}',
  attributes jsonb NOT NULL DEFAULT '{}',
  distance_m real NOT NULL DEFAULT 0,
  moving_s real NOT NULL DEFAULT 0,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, fix_time)
)
--! if timescale
;
-- One-day chunks to start with; applyTimescalePolicies sets the interval from POSITIONS_CHUNK_HOURS.
SELECT create_hypertable('positions', by_range('fix_time', INTERVAL '1 day'));
ALTER TABLE positions SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'fix_time DESC'
);
-- Daily distance and time in motion per device. Real-time (materialized_only = false), so today's figures
-- include what the refresh policy has not materialised yet.
CREATE MATERIALIZED VIEW device_daily_stats
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT device_id,
         time_bucket(INTERVAL '1 day', fix_time) AS day,
         sum(distance_m)::double precision AS distance_m,
         sum(moving_s)::double precision AS moving_s,
         count(*) AS fixes
  FROM positions
  GROUP BY device_id, time_bucket(INTERVAL '1 day', fix_time)
  WITH NO DATA;
--! else
  PARTITION BY RANGE (fix_time);
-- Catches fixes outside the maintained window (a terminal with a wrong clock, data buffered for weeks), so a
-- batch is never refused; maintainPartitions moves such rows into a day partition when it creates one.
CREATE TABLE positions_default PARTITION OF positions DEFAULT;
-- The same figures as the continuous aggregate, maintained by refreshDailyStats.
CREATE TABLE device_daily_stats (
  device_id integer NOT NULL,
  day timestamptz NOT NULL,
  distance_m double precision NOT NULL,
  moving_s double precision NOT NULL,
  fixes bigint NOT NULL,
  PRIMARY KEY (device_id, day)
);
--! end
