import type { SqlClient } from '../sql-client.ts';
import { STATS_REFRESH_DAYS, type StorageSettings } from '../settings.ts';

function days(n: number): string {
  return `${n} days`;
}

/**
 * TimescaleDB policies from the settings: chunk interval, compression segmented by device after N days,
 * retention of positions and of raw frames, and the hourly refresh of device_daily_stats. Idempotent: each
 * policy is replaced, so a changed setting takes effect at the next start. TimescaleDB's background
 * workers run them; the TimescaleDB build of PGlite has none, so there they are recorded but never run.
 */
export async function applyTimescalePolicies(client: SqlClient, settings: StorageSettings): Promise<void> {
  await client.query(`SELECT set_chunk_time_interval('positions', $1::interval)`, [`${settings.positionsChunkHours} hours`]);
  await client.query(`SELECT remove_compression_policy('positions', if_exists => true)`);
  if (settings.positionsCompressAfterDays > 0) {
    await client.query(`SELECT add_compression_policy('positions', compress_after => $1::interval)`, [
      days(settings.positionsCompressAfterDays),
    ]);
  }
  for (const [table, retentionDays] of [
    ['positions', settings.positionsRetentionDays],
    ['raw_frames', settings.rawFramesRetentionDays],
  ] as const) {
    await client.query(`SELECT remove_retention_policy($1::regclass, if_exists => true)`, [table]);
    if (retentionDays > 0) {
      await client.query(`SELECT add_retention_policy($1::regclass, drop_after => $2::interval)`, [
        table,
        days(retentionDays),
      ]);
    }
  }
  await client.query(`SELECT remove_continuous_aggregate_policy('device_daily_stats', if_exists => true)`);
  await client.query(
    `SELECT add_continuous_aggregate_policy('device_daily_stats',
       start_offset => $1::interval, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '1 hour')`,
    [days(STATS_REFRESH_DAYS)],
  );
}
