import type { Position } from '@urbanlink/protocols';
import type { SqlClient, SqlTransaction } from '../sql-client.ts';
import { motionSince, PREVIOUS_FIX_LOOKBACK_MS, type Fix, type Motion } from '../positions/motion.ts';
import {
  fixTimeKey,
  POSITION_COLUMNS,
  toColumnArrays,
  toCopyText,
  toE6,
  toPositionRow,
  type PositionRow,
} from '../positions/rows.ts';

export interface PositionInput {
  deviceId: number;
  position: Position;
}

export interface WriteResult {
  /** inserted[i] is false when row i was already stored (a resent frame): stored, but not new. */
  inserted: boolean[];
}

/**
 * 'unnest' is one INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING; 'copy' streams the batch into
 * a temporary table with COPY and then runs the same INSERT … SELECT from it. PGlite has no client COPY and
 * always uses unnest.
 */
export type WriteMethod = 'copy' | 'unnest';

/**
 * From this batch size COPY is faster on PostgreSQL; below it, its two extra round trips (temporary table,
 * COPY) cost more than they save. benchmarks/src/db-writer.ts, interleaved on a loaded 2-core machine:
 * unnest/copy throughput 1.08–1.18 at 100 rows, 1.13 at 250, 0.72–0.93 at 500, 0.91 at 1000, 0.71 at 2000.
 */
export const COPY_MIN_ROWS = 500;

const COLUMN_LIST = POSITION_COLUMNS.join(', ');

const INSERT_FROM_UNNEST = `INSERT INTO positions (${COLUMN_LIST})
  SELECT device_id, fix_time, lat_e6, lon_e6, altitude_m, speed_kmh, course, valid, satellites, ignition,
         odometer_km, fuel_l, string_to_array(alarms, ','), attributes::jsonb, distance_m, moving_s
  FROM unnest($1::integer[], $2::timestamptz[], $3::integer[], $4::integer[], $5::real[], $6::real[],
              $7::smallint[], $8::boolean[], $9::smallint[], $10::boolean[], $11::double precision[], $12::real[],
              $13::text[], $14::text[], $15::real[], $16::real[])
    AS r(${COLUMN_LIST})
  ON CONFLICT (device_id, fix_time) DO NOTHING
  RETURNING device_id, fix_time`;

const CREATE_INCOMING = `CREATE TEMP TABLE IF NOT EXISTS positions_incoming
  (LIKE positions INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`;

const INSERT_FROM_INCOMING = `INSERT INTO positions (${COLUMN_LIST})
  SELECT ${COLUMN_LIST} FROM positions_incoming
  ON CONFLICT (device_id, fix_time) DO NOTHING
  RETURNING device_id, fix_time`;

// For each device of the batch, its newest stored valid fix up to the batch's newest, within the look-back.
const PREVIOUS_FIXES = `SELECT d.id AS "deviceId", p.fix_time AS "fixTime", p.lat_e6 AS "latE6", p.lon_e6 AS "lonE6",
         p.speed_kmh AS "speedKmh"
  FROM unnest($1::integer[], $2::timestamptz[], $3::timestamptz[]) AS d(id, earliest, latest)
  CROSS JOIN LATERAL (
    SELECT fix_time, lat_e6, lon_e6, speed_kmh FROM positions
    WHERE device_id = d.id AND valid AND fix_time >= d.earliest AND fix_time <= d.latest
    ORDER BY fix_time DESC LIMIT 1
  ) p`;

interface PreviousRow {
  deviceId: number;
  fixTime: Date;
  latE6: number;
  lonE6: number;
  speedKmh: number;
}

function fixOf(position: Position): Fix {
  return {
    fixTimeMs: Math.round(position.fixTimeMs),
    latE6: toE6(position.lat),
    lonE6: toE6(position.lon),
    speedKmh: position.speedKmh,
    valid: position.valid,
  };
}

/** Distance and moving time of every row from the fix before it, stored or earlier in the batch. */
async function motionsOf(tx: SqlTransaction, rows: readonly PositionInput[]): Promise<Motion[]> {
  const byDevice = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const indexes = byDevice.get(row.deviceId);
    if (indexes) indexes.push(i);
    else byDevice.set(row.deviceId, [i]);
  });
  const fixes = rows.map((row) => fixOf(row.position));
  const ids = [...byDevice.keys()];
  const spans = ids.map((id) => {
    const times = byDevice.get(id)!.map((i) => fixes[i]!.fixTimeMs);
    return [Math.min(...times) - PREVIOUS_FIX_LOOKBACK_MS, Math.max(...times)];
  });
  const stored = await tx.query<PreviousRow>(PREVIOUS_FIXES, [
    ids,
    spans.map(([earliest]) => new Date(earliest!).toISOString()),
    spans.map(([, latest]) => new Date(latest!).toISOString()),
  ]);
  const previous = new Map<number, Fix>();
  for (const row of stored.rows) {
    previous.set(row.deviceId, { ...row, fixTimeMs: row.fixTime.getTime(), valid: true });
  }
  const motions: Motion[] = new Array(rows.length);
  for (const [deviceId, indexes] of byDevice) {
    indexes.sort((a, b) => fixes[a]!.fixTimeMs - fixes[b]!.fixTimeMs);
    let last = previous.get(deviceId);
    for (const i of indexes) {
      const fix = fixes[i]!;
      motions[i] = motionSince(last, fix);
      if (fix.valid && (!last || fix.fixTimeMs > last.fixTimeMs)) last = fix;
    }
  }
  return motions;
}

async function insertRows(
  tx: SqlTransaction,
  rows: readonly PositionRow[],
  method: WriteMethod,
): Promise<{ device_id: number; fix_time: Date }[]> {
  if (method === 'copy') {
    await tx.exec(CREATE_INCOMING);
    if (await tx.copyText('positions_incoming', POSITION_COLUMNS, toCopyText(rows))) {
      return (await tx.query<{ device_id: number; fix_time: Date }>(INSERT_FROM_INCOMING)).rows;
    }
  }
  return (await tx.query<{ device_id: number; fix_time: Date }>(INSERT_FROM_UNNEST, toColumnArrays(rows))).rows;
}

/**
 * Stores a batch of positions in one transaction. A row whose (device, fix time) is already stored — a
 * terminal resending what it was not sure we got — is skipped and reported with inserted[i] = false; so is
 * the second of two equal rows in one batch. Fix times are stored to the whole millisecond.
 */
export async function writePositions(
  client: SqlClient,
  rows: readonly PositionInput[],
  options: { method?: WriteMethod } = {},
): Promise<WriteResult> {
  if (rows.length === 0) return { inserted: [] };
  const method =
    client.engine === 'pglite' ? 'unnest' : (options.method ?? (rows.length >= COPY_MIN_ROWS ? 'copy' : 'unnest'));
  const returned = await client.transaction(async (tx) => {
    const motions = await motionsOf(tx, rows);
    const prepared = rows.map((row, i) => toPositionRow(row.deviceId, row.position, motions[i]!));
    // In key order: concurrent writers of overlapping keys then wait on each other instead of deadlocking.
    prepared.sort((a, b) => a.deviceId - b.deviceId || (a.fixTime < b.fixTime ? -1 : a.fixTime > b.fixTime ? 1 : 0));
    return insertRows(tx, prepared, method);
  });
  const fresh = new Set(returned.map((row) => fixTimeKey(row.device_id, row.fix_time.getTime())));
  // The first of two equal rows takes the insert; delete() makes any repeat report false.
  return { inserted: rows.map((row) => fresh.delete(fixTimeKey(row.deviceId, row.position.fixTimeMs))) };
}

/**
 * The writer benchmark's baseline: what a naive writer does, one autocommitted INSERT per row (no motion
 * figures). Returns how many rows were new.
 */
export async function writePositionsRowByRow(client: SqlClient, rows: readonly PositionInput[]): Promise<number> {
  let inserted = 0;
  for (const row of rows) {
    const values = toColumnArrays([toPositionRow(row.deviceId, row.position, { distanceM: 0, movingS: 0 })]);
    const result = await client.query(
      `INSERT INTO positions (${COLUMN_LIST})
       VALUES ($1::integer, $2::timestamptz, $3::integer, $4::integer, $5::real, $6::real, $7::smallint, $8::boolean,
               $9::smallint, $10::boolean, $11::double precision, $12::real, string_to_array($13::text, ','),
               $14::jsonb, $15::real, $16::real)
       ON CONFLICT (device_id, fix_time) DO NOTHING`,
      values.map((column) => column[0]),
    );
    inserted += result.rowCount;
  }
  return inserted;
}
