import type { Position } from '@urbanlink/protocols';
import { isUniqueViolation } from '../errors.ts';
import type { SqlClient, SqlExecutor } from '../sql-client.ts';
import { motionSince, PREVIOUS_FIX_LOOKBACK_MS, type Fix, type Motion } from '../positions/motion.ts';
import {
  fixTimeKey,
  POSITION_COLUMNS,
  toColumnArrays,
  toE6,
  toPositionRow,
  type PositionRow,
} from '../positions/rows.ts';
import { toCopyBinary } from '../positions/copy-binary.ts';

export type { Fix } from '../positions/motion.ts';

export interface PositionInput {
  deviceId: number;
  position: Position;
  /** JSON.stringify(position.attributes), when the caller made it already (ingest also publishes it). */
  attributesJson?: string;
}

export interface WriteResult {
  /** inserted[i] is false when row i was already stored (a resent frame): stored, but not new. */
  inserted: boolean[];
}

/**
 * 'unnest' is one INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING; 'copy' streams the batch into
 * a temporary table with COPY and then runs the same INSERT … SELECT from it. 'direct' COPYs straight into
 * positions, which only works when no row is already stored: a conflict rolls it back and the batch is
 * written again the safe way. PGlite has no client COPY and always uses unnest.
 */
export type WriteMethod = 'copy' | 'unnest' | 'direct';

/**
 * The newest valid fix stored for each device, as far as one writer knows: pass the same map to every
 * writePositions call of a process that is its devices' only writer. It is read to skip the look-up of
 * previous fixes and updated after each commit; a device is left out (looked up again) whenever the writer
 * cannot be sure, e.g. after a resent row.
 */
export type LastFixes = Map<number, Fix>;

/**
 * From this batch size COPY is faster on PostgreSQL; below it, its two extra round trips (temporary table,
 * COPY) cost more than they save. benchmarks/src/db-writer.ts, interleaved on a loaded 2-core machine:
 * unnest/copy throughput 1.08–1.18 at 100 rows, 1.13 at 250, 0.72–0.93 at 500, 0.91 at 1000, 0.71 at 2000.
 */
export const COPY_MIN_ROWS = 500;

const COLUMN_LIST = POSITION_COLUMNS.join(', ');

const INSERT_FROM_UNNEST = `INSERT INTO positions (${COLUMN_LIST})
  SELECT device_id, fix_time, lat_e6, lon_e6, altitude_m, speed_kmh, course, valid, satellites, ignition,
         odometer_km, fuel_l, string_to_array(alarms, ','), attributes::jsonb, distance_m, moving_s,
         on_duty_s
  FROM unnest($1::integer[], $2::timestamptz[], $3::integer[], $4::integer[], $5::real[], $6::real[],
              $7::smallint[], $8::boolean[], $9::smallint[], $10::boolean[], $11::double precision[], $12::real[],
              $13::text[], $14::text[], $15::real[], $16::real[], $17::real[])
    AS r(${COLUMN_LIST})
  ON CONFLICT (device_id, fix_time) DO NOTHING
  RETURNING device_id, fix_time`;

const CREATE_INCOMING = `CREATE TEMP TABLE IF NOT EXISTS positions_incoming
  (LIKE positions INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`;

const INSERT_FROM_INCOMING = `INSERT INTO positions (${COLUMN_LIST})
  SELECT ${COLUMN_LIST} FROM positions_incoming
  ON CONFLICT (device_id, fix_time) DO NOTHING
  RETURNING device_id, fix_time`;

// For each device of the batch, its newest stored valid fix up to the batch's newest, within the look-back,
// and whether a valid fix newer than the batch is stored (if not, that fix is the device's newest).
const PREVIOUS_FIXES = `SELECT d.id AS "deviceId", p.fix_time AS "fixTime", p.lat_e6 AS "latE6", p.lon_e6 AS "lonE6",
         p.speed_kmh AS "speedKmh", p.ignition,
         EXISTS (SELECT FROM positions n WHERE n.device_id = d.id AND n.valid AND n.fix_time > d.latest) AS "hasNewer"
  FROM unnest($1::integer[], $2::timestamptz[], $3::timestamptz[]) AS d(id, earliest, latest)
  LEFT JOIN LATERAL (
    SELECT fix_time, lat_e6, lon_e6, speed_kmh, ignition FROM positions
    WHERE device_id = d.id AND valid AND fix_time >= d.earliest AND fix_time <= d.latest
    ORDER BY fix_time DESC LIMIT 1
  ) p ON true`;

interface PreviousRow {
  deviceId: number;
  fixTime: Date | null;
  latE6: number;
  lonE6: number;
  speedKmh: number;
  ignition: boolean | null;
  hasNewer: boolean;
}

/** A position as its row will be read back: whole milliseconds, micro-degrees, speed as a `real`. */
export function fixOf(position: Position): Fix {
  return {
    fixTimeMs: Math.round(position.fixTimeMs),
    latE6: toE6(position.lat),
    lonE6: toE6(position.lon),
    // Only compared with MOVING_SPEED_KMH, where float4 rounding is what the stored row would answer.
    speedKmh: Math.fround(position.speedKmh),
    valid: position.valid,
    ignition: position.ignition,
  };
}

interface Motions {
  motions: Motion[];
  /** No device of the batch has a stored valid fix at or after its first fix here (as far as known). */
  fresh: boolean;
  /** For each device, the newest valid fix stored before this batch, where it is known. */
  newest: Map<number, Fix | null>;
}

/** A batch from its start to its commit or failure: its fixes, and each device's rows in fix-time order. */
interface InFlightWrite {
  fixes: Fix[];
  byDevice: Map<number, number[]>;
}

/**
 * The batches each client is writing. A batch cannot see the rows of one still in flight, so measured from
 * the database alone it would count that batch's stretch again (ingest writes several batches at once). So
 * a batch takes the fixes of the batches started before it as stored. If such a batch then fails, the
 * stretch up to its fixes stays uncounted (the terminal resends them, and they are late by then): a write
 * failing alone is rare, and counting short is the lesser error.
 */
const inFlightByClient = new WeakMap<SqlClient, Set<InFlightWrite>>();

/** Stands for a stored fix newer than every row of a batch, which makes them all late: only its time is read. */
const STORED_AFTER_BATCH: Fix = { fixTimeMs: Number.POSITIVE_INFINITY, latE6: 0, lonE6: 0, speedKmh: 0, valid: true, ignition: null };

function newer(a: Fix | undefined, b: Fix | undefined): Fix | undefined {
  return !a || (b && b.fixTimeMs > a.fixTimeMs) ? b : a;
}

/** Whether `indexes` (in fix-time order) hold a fix at `fixTimeMs`. */
function holdsTime(fixes: readonly Fix[], indexes: readonly number[], fixTimeMs: number): boolean {
  let low = 0;
  let high = indexes.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const time = fixes[indexes[middle]!]!.fixTimeMs;
    if (time === fixTimeMs) return true;
    if (time < fixTimeMs) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/**
 * The newest valid fix of a device among the batches in flight, leaving out a fix this batch holds too (a
 * resend): whichever batch commits first stores it, so both must measure it from the same fix before it.
 */
function newestInFlight(writes: readonly InFlightWrite[], deviceId: number, fixes: readonly Fix[], own: readonly number[]): Fix | undefined {
  let found: Fix | undefined;
  for (const other of writes) {
    const indexes = other.byDevice.get(deviceId);
    if (!indexes) continue;
    for (let k = indexes.length - 1; k >= 0; k--) {
      const fix = other.fixes[indexes[k]!]!;
      if (!fix.valid || holdsTime(fixes, own, fix.fixTimeMs)) continue;
      found = newer(found, fix);
      break;
    }
  }
  return found;
}

function inFlightWrite(rows: readonly PositionInput[]): InFlightWrite {
  const byDevice = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const indexes = byDevice.get(row.deviceId);
    if (indexes) indexes.push(i);
    else byDevice.set(row.deviceId, [i]);
  });
  const fixes = rows.map((row) => fixOf(row.position));
  for (const indexes of byDevice.values()) indexes.sort((a, b) => fixes[a]!.fixTimeMs - fixes[b]!.fixTimeMs);
  return { fixes, byDevice };
}

/**
 * Distance, moving time and time on duty of every row from the fix before it: the device's newest valid
 * fix stored (or in a batch in flight, see inFlightByClient), or earlier in the batch. A late row, older
 * than the device's newest stored fix, counts nothing, as motionSince says: the stretch it lies on was
 * counted by the fix after it. Everything that is read is read before the first await, so a batch started
 * after this one is never taken as stored before it.
 */
async function motionsOf(db: SqlExecutor, write: InFlightWrite, earlier: readonly InFlightWrite[], lastFixes: LastFixes | undefined): Promise<Motions> {
  const { fixes, byDevice } = write;
  const previous = new Map<number, Fix>();
  const newest = new Map<number, Fix | null>();
  const lookUp: { id: number; earliest: number; latest: number }[] = [];
  let fresh = true;
  for (const [id, indexes] of byDevice) {
    // An invalid fix adds nothing and is no one's predecessor: a device with only those needs no look-up.
    if (!indexes.some((i) => fixes[i]!.valid)) continue;
    const earliest = fixes[indexes[0]!]!.fixTimeMs;
    // The newest stored fix is every row's predecessor or makes it late, so what is known needs no look-up.
    const known = lastFixes?.get(id);
    if (known) newest.set(id, known);
    else lookUp.push({ id, earliest, latest: fixes[indexes[indexes.length - 1]!]!.fixTimeMs });
    const before = newer(known, newestInFlight(earlier, id, fixes, indexes));
    if (!before) continue;
    previous.set(id, before);
    if (before.fixTimeMs >= earliest) fresh = false;
  }
  if (lookUp.length > 0) {
    const stored = await db.query<PreviousRow>(PREVIOUS_FIXES, [
      lookUp.map((d) => d.id),
      lookUp.map((d) => new Date(d.earliest - PREVIOUS_FIX_LOOKBACK_MS).toISOString()),
      lookUp.map((d) => new Date(d.latest).toISOString()),
    ]);
    const earliest = new Map(lookUp.map((d) => [d.id, d.earliest]));
    for (const row of stored.rows) {
      const fix = row.fixTime ? { fixTimeMs: row.fixTime.getTime(), latE6: row.latE6, lonE6: row.lonE6, speedKmh: row.speedKmh, valid: true, ignition: row.ignition } : null;
      const before = newer(previous.get(row.deviceId), row.hasNewer ? STORED_AFTER_BATCH : (fix ?? undefined));
      if (before) previous.set(row.deviceId, before);
      if (row.hasNewer || (fix && fix.fixTimeMs >= earliest.get(row.deviceId)!)) fresh = false;
      if (!row.hasNewer) newest.set(row.deviceId, fix);
    }
  }
  const motions: Motion[] = new Array(fixes.length);
  for (const [deviceId, indexes] of byDevice) {
    let last = previous.get(deviceId);
    for (const i of indexes) {
      const fix = fixes[i]!;
      motions[i] = motionSince(last, fix);
      if (fix.valid && (!last || fix.fixTimeMs > last.fixTimeMs)) last = fix;
    }
  }
  return { motions, fresh, newest };
}

/**
 * After a commit: a device whose newest stored fix was known before the batch gets the newest of that and
 * its new valid rows; a device with a resent row is forgotten, since what is stored under it is not known.
 */
function remember(lastFixes: LastFixes, rows: readonly PositionInput[], inserted: readonly boolean[], newest: Map<number, Fix | null>): void {
  const forgotten = new Set<number>();
  rows.forEach((row, i) => {
    if (!inserted[i]) forgotten.add(row.deviceId);
  });
  for (const [deviceId, before] of newest) {
    const current = lastFixes.get(deviceId);
    if (before && (!current || before.fixTimeMs > current.fixTimeMs)) lastFixes.set(deviceId, before);
  }
  rows.forEach((row, i) => {
    if (!inserted[i] || !row.position.valid || !newest.has(row.deviceId)) return;
    const fix = fixOf(row.position);
    const current = lastFixes.get(row.deviceId);
    if (!current || fix.fixTimeMs > current.fixTimeMs) lastFixes.set(row.deviceId, fix);
  });
  for (const deviceId of forgotten) lastFixes.delete(deviceId);
}

type Returned = { device_id: number; fix_time: Date }[];

/**
 * One statement each for 'direct' (a COPY) and 'unnest', so they run without BEGIN/COMMIT around them:
 * a statement on its own is a transaction, all rows or none, and the batch costs one round trip. 'copy'
 * needs its temporary table in the same transaction as the INSERT.
 */
async function insertRows(client: SqlClient, rows: readonly PositionRow[], method: WriteMethod): Promise<Returned | 'all'> {
  if (method === 'direct' && (await client.copyBinary('positions', POSITION_COLUMNS, toCopyBinary(rows)))) return 'all';
  if (method === 'copy') {
    const staged = await client.transaction(async (tx) => {
      await tx.exec(CREATE_INCOMING);
      if (!(await tx.copyBinary('positions_incoming', POSITION_COLUMNS, toCopyBinary(rows)))) return null;
      return (await tx.query<{ device_id: number; fix_time: Date }>(INSERT_FROM_INCOMING)).rows;
    });
    if (staged) return staged;
  }
  return (await client.query<{ device_id: number; fix_time: Date }>(INSERT_FROM_UNNEST, toColumnArrays(rows))).rows;
}

/** Rows sorted by (device, fix time) hold one key twice when two neighbours share it. */
function sameKeyTwice(sorted: readonly PositionRow[]): boolean {
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.deviceId === sorted[i - 1]!.deviceId && sorted[i]!.fixTimeMs === sorted[i - 1]!.fixTimeMs) return true;
  }
  return false;
}

/**
 * Stores a batch of positions in one transaction. A row whose (device, fix time) is already stored — a
 * terminal resending what it was not sure we got — is skipped and reported with inserted[i] = false; so is
 * the second of two equal rows in one batch. Fix times are stored to the whole millisecond. `lastFixes`
 * (see LastFixes) spares the look-up of each device's previous fix; without it the figures are the same.
 * Calls may overlap on one client (ingest writes several batches at once): each measures its rows from
 * the fixes of the calls in flight before it as well as from what is stored, so no stretch counts twice.
 */
export async function writePositions(
  client: SqlClient,
  rows: readonly PositionInput[],
  options: { method?: WriteMethod; lastFixes?: LastFixes } = {},
): Promise<WriteResult> {
  if (rows.length === 0) return { inserted: [] };
  const methodFor = (fresh: boolean, repeats: boolean, retry: boolean): WriteMethod => {
    if (client.engine === 'pglite') return 'unnest';
    if (!retry && !repeats && (options.method === 'direct' || (!options.method && fresh))) return 'direct';
    if (options.method && options.method !== 'direct') return options.method;
    return rows.length >= COPY_MIN_ROWS ? 'copy' : 'unnest';
  };
  const write = inFlightWrite(rows);
  let inFlight = inFlightByClient.get(client);
  if (!inFlight) inFlightByClient.set(client, (inFlight = new Set()));
  const earlier = [...inFlight];
  inFlight.add(write);
  try {
    const computed = await motionsOf(client, write, earlier, options.lastFixes);
    const prepared = rows.map((row, i) => toPositionRow(row.deviceId, row.position, computed.motions[i]!, row.attributesJson));
    // In key order: concurrent writers of overlapping keys then wait on each other instead of deadlocking.
    prepared.sort((a, b) => a.deviceId - b.deviceId || a.fixTimeMs - b.fixTimeMs);
    const repeats = sameKeyTwice(prepared);
    const method = methodFor(computed.fresh, repeats, false);
    let returned: Returned | 'all';
    try {
      returned = await insertRows(client, prepared, method);
    } catch (error) {
      // A row was stored after all (a resend the look-up could not foresee): write the batch the safe way.
      // The figures stand: batches started since may already have been measured from these rows.
      if (method !== 'direct' || !isUniqueViolation(error)) throw error;
      returned = await insertRows(client, prepared, methodFor(computed.fresh, repeats, true));
    }
    let inserted: boolean[];
    if (returned === 'all') inserted = rows.map(() => true);
    else {
      const fresh = new Set(returned.map((row) => fixTimeKey(row.device_id, row.fix_time.getTime())));
      // The first of two equal rows takes the insert; delete() makes any repeat report false.
      inserted = rows.map((row) => fresh.delete(fixTimeKey(row.deviceId, row.position.fixTimeMs)));
    }
    // Before the batch leaves inFlight, so that what it stored is always either in flight or remembered.
    if (options.lastFixes) remember(options.lastFixes, rows, inserted, computed.newest);
    return { inserted };
  } finally {
    inFlight.delete(write);
  }
}

/**
 * The writer benchmark's baseline: what a naive writer does, one autocommitted INSERT per row (no motion
 * figures). Returns how many rows were new.
 */
export async function writePositionsRowByRow(client: SqlClient, rows: readonly PositionInput[]): Promise<number> {
  let inserted = 0;
  for (const row of rows) {
    const values = toColumnArrays([toPositionRow(row.deviceId, row.position, { distanceM: 0, movingS: 0, onDutyS: 0 })]);
    const result = await client.query(
      `INSERT INTO positions (${COLUMN_LIST})
       VALUES ($1::integer, $2::timestamptz, $3::integer, $4::integer, $5::real, $6::real, $7::smallint, $8::boolean,
               $9::smallint, $10::boolean, $11::double precision, $12::real, string_to_array($13::text, ','),
               $14::jsonb, $15::real, $16::real, $17::real)
       ON CONFLICT (device_id, fix_time) DO NOTHING`,
      values.map((column) => column[0]),
    );
    inserted += result.rowCount;
  }
  return inserted;
}
