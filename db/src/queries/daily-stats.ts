import type { SqlClient, SqlExecutor } from '../sql-client.ts';
import { isHypertable } from '../maintenance/layout.ts';

/** Distance, time in motion and time on duty of one device on one UTC day (sums of what the writer stored per fix). */
export interface DailyStatsRecord {
  deviceId: number;
  /** The UTC midnight that starts the day. */
  day: Date;
  distanceM: number;
  movingS: number;
  onDutyS: number;
  fixes: number;
}

const DAY_MS = 86_400_000;

/** Whole UTC days covering [fromMs, toMs), at least one. */
function dayWindow(fromMs: number, toMs: number): [Date, Date] {
  const from = Math.floor(fromMs / DAY_MS) * DAY_MS;
  const to = Math.max(Math.ceil(toMs / DAY_MS) * DAY_MS, from + DAY_MS);
  return [new Date(from), new Date(to)];
}

// date_bin with a UTC-midnight origin buckets exactly as TimescaleDB's time_bucket('1 day'), whatever the
// session's time zone.
const AGGREGATE = `INSERT INTO device_daily_stats (device_id, day, distance_m, moving_s, on_duty_s, fixes)
  SELECT device_id, date_bin(INTERVAL '1 day', fix_time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS day,
         sum(distance_m), sum(moving_s), sum(on_duty_s), count(*)
  FROM positions
  WHERE fix_time >= $1::timestamptz AND fix_time < $2::timestamptz
  GROUP BY 1, 2`;

/**
 * Recomputes the daily statistics of the days overlapping [fromMs, toMs). With TimescaleDB this refreshes
 * the continuous aggregate (which must run outside a transaction, so pass the client, not a transaction);
 * on native partitioning the application maintains the table here.
 */
export async function refreshDailyStats(client: SqlClient, fromMs: number, toMs: number): Promise<void> {
  const [from, to] = dayWindow(fromMs, toMs);
  if (await isHypertable(client, 'positions')) {
    await client.query(`CALL refresh_continuous_aggregate('device_daily_stats', $1::timestamptz, $2::timestamptz)`, [
      from,
      to,
    ]);
    return;
  }
  await client.transaction(async (tx) => {
    await tx.query('DELETE FROM device_daily_stats WHERE day >= $1::timestamptz AND day < $2::timestamptz', [from, to]);
    await tx.query(AGGREGATE, [from, to]);
  });
}

/**
 * Daily statistics of the days overlapping [fromMs, toMs), for the given devices (all when absent), by
 * device then day. With TimescaleDB the aggregate is real-time: today is always current. Natively, a day
 * is as current as its last refreshDailyStats.
 */
export async function listDailyStats(
  db: SqlExecutor,
  fromMs: number,
  toMs: number,
  deviceIds?: readonly number[],
): Promise<DailyStatsRecord[]> {
  const [from, to] = dayWindow(fromMs, toMs);
  const result = await db.query<DailyStatsRecord>(
    `SELECT device_id AS "deviceId", day, distance_m AS "distanceM", moving_s AS "movingS", on_duty_s AS "onDutyS", fixes
     FROM device_daily_stats
     WHERE day >= $1::timestamptz AND day < $2::timestamptz
       AND ($3::integer[] IS NULL OR device_id = ANY ($3::integer[]))
     ORDER BY device_id, day`,
    [from, to, deviceIds ?? null],
  );
  return result.rows;
}
