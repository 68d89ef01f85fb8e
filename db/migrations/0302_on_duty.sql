-- Time on duty: the time a vehicle's terminal reported with the ignition on. The position writer stores
-- on_duty_s per fix from the device's previous stored fix (as it does distance_m and moving_s), so the daily
-- statistics stay plain sums. Numbered after every shipped migration, because a database at a later version
-- would never apply a lower number. Rows stored before this step count no time on duty.
ALTER TABLE positions ADD COLUMN on_duty_s real NOT NULL DEFAULT 0;
--! if timescale
-- A continuous aggregate cannot gain a column, so it is made again with the same definition plus on_duty_s,
-- and its refresh policy with it (applyTimescalePolicies replaces the policy with the configured one at the
-- next start). Days are recomputed from positions: real-time aggregation answers for them until the policy
-- materialises them, and a day whose positions retention has already dropped is gone from the statistics.
DROP MATERIALIZED VIEW device_daily_stats;
CREATE MATERIALIZED VIEW device_daily_stats
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT device_id,
         time_bucket(INTERVAL '1 day', fix_time) AS day,
         sum(distance_m)::double precision AS distance_m,
         sum(moving_s)::double precision AS moving_s,
         sum(on_duty_s)::double precision AS on_duty_s,
         count(*) AS fixes
  FROM positions
  GROUP BY device_id, time_bucket(INTERVAL '1 day', fix_time)
  WITH NO DATA;
SELECT add_continuous_aggregate_policy('device_daily_stats',
  start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '1 hour');
--! else
ALTER TABLE device_daily_stats ADD COLUMN on_duty_s double precision NOT NULL DEFAULT 0;
--! end
