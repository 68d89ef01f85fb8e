import type { SqlExecutor } from '../sql-client.ts';

/**
 * A page of one device's fixes as track playback reads it, column by column, oldest first: a day of 1 Hz
 * fixes as objects was 86 400 objects and five boxed doubles each, which lived across the read of the next
 * page and so were promoted and marked; columns are seven allocations per page whatever its length.
 */
export interface TrackPageColumns {
  length: number;
  fixTimeMs: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  speedKmh: Float64Array;
  course: Int16Array;
  altitudeM: Float64Array;
  /** 1 for a fix with satellite lock, 0 without. */
  valid: Uint8Array;
}

// A page comes back as one base64 text value of packed fixes: per fix, big-endian, the timestamp's own
// int8 (microseconds since 2000), latE6 int4, lonE6 int4, speed float8, course int2, altitude float8,
// valid bool. PostgreSQL packs it in C and the driver hands over one string instead of building an object
// per row and field; binary fields need no decimal parsing, which was most of the node side of a 86 400-row
// read, and base64 is the shortest text for the driver to decode (hex is half as long again). The real
// columns go out through their text form, so they arrive as the same doubles as the shortest decimals that
// a text query would return (computing those doubles from the float4 in node cost more than it saved).
// The timestamp goes out as stored: date_part and the arithmetic on it were a tenth of a page's time.
// The aggregate takes the rows in the ordered subquery's order: an ORDER BY inside string_agg would
// sort every page again (PostgreSQL 15 does not use the presorted input), so parsePage checks instead.
const PAGE = `SELECT encode(string_agg(timestamptz_send(fix_time) || int4send(lat_e6) || int4send(lon_e6) || float8send(speed_kmh::text::float8)
    || int2send(course) || float8send(altitude_m::text::float8) || boolsend(valid), ''), 'base64') AS page
  FROM (
    SELECT fix_time, lat_e6, lon_e6, speed_kmh, course, altitude_m, valid
    FROM positions
    WHERE device_id = $1::integer AND fix_time >= $2::timestamptz AND fix_time < $3::timestamptz
    ORDER BY fix_time
    LIMIT $4::integer
  ) p`;

/**
 * One keyset page of a device's track: the first `limit` fixes with from ≤ fixTime < to, oldest first. The
 * caller asks for the next page from just after the last fix of this one, so each page is a range of the
 * (device_id, fix_time) key however deep into the period it is.
 */
export async function readTrackPage(
  db: SqlExecutor,
  deviceId: number,
  fromMs: number,
  toMs: number,
  limit: number,
): Promise<TrackPageColumns> {
  const result = await db.query<{ page: string | null }>(PAGE, [deviceId, new Date(fromMs).toISOString(), new Date(toMs).toISOString(), limit]);
  const text = result.rows[0]?.page;
  return parsePage(text ? Buffer.from(text, 'base64') : Buffer.alloc(0));
}

const ROW_BYTES = 35;
const TWO_TO_32 = 4_294_967_296;
/** 2000-01-01, PostgreSQL's epoch, in Unix milliseconds. */
const POSTGRES_EPOCH_MS = 946_684_800_000;

function parsePage(bytes: Buffer): TrackPageColumns {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Math.floor(bytes.byteLength / ROW_BYTES);
  const page: TrackPageColumns = {
    length,
    fixTimeMs: new Float64Array(length),
    lat: new Float64Array(length),
    lon: new Float64Array(length),
    speedKmh: new Float64Array(length),
    course: new Int16Array(length),
    altitudeM: new Float64Array(length),
    valid: new Uint8Array(length),
  };
  let ordered = true;
  let previousMs = -Infinity;
  for (let i = 0, at = 0; i < length; i++, at += ROW_BYTES) {
    const fixTimeMs = Math.round((view.getInt32(at) * TWO_TO_32 + view.getUint32(at + 4)) / 1000) + POSTGRES_EPOCH_MS;
    if (fixTimeMs <= previousMs) ordered = false;
    previousMs = fixTimeMs;
    page.fixTimeMs[i] = fixTimeMs;
    page.lat[i] = view.getInt32(at + 8) / 1e6;
    page.lon[i] = view.getInt32(at + 12) / 1e6;
    page.speedKmh[i] = view.getFloat64(at + 16);
    page.course[i] = view.getInt16(at + 24);
    page.altitudeM[i] = view.getFloat64(at + 26);
    page.valid[i] = view.getUint8(at + 34) === 1 ? 1 : 0;
  }
  // The documented "usually works" of aggregating a sorted subquery: should a plan ever change it, the
  // page is still returned in order.
  return ordered ? page : sortedByTime(page);
}

function sortedByTime(page: TrackPageColumns): TrackPageColumns {
  const order = Array.from({ length: page.length }, (_, i) => i).sort((a, b) => page.fixTimeMs[a]! - page.fixTimeMs[b]!);
  const permute = <T extends Float64Array | Int16Array | Uint8Array>(column: T): T => {
    const sorted = column.slice() as T;
    for (let i = 0; i < order.length; i++) sorted[i] = column[order[i]!]!;
    return sorted;
  };
  return {
    length: page.length,
    fixTimeMs: permute(page.fixTimeMs),
    lat: permute(page.lat),
    lon: permute(page.lon),
    speedKmh: permute(page.speedKmh),
    course: permute(page.course),
    altitudeM: permute(page.altitudeM),
    valid: permute(page.valid),
  };
}

/** The same rows as readTrackPage in one plain query with timestamps: the benchmark's baseline. */
export async function readTrackPlain(db: SqlExecutor, deviceId: number, fromMs: number, toMs: number): Promise<number> {
  const result = await db.query(
    `SELECT fix_time, lat_e6, lon_e6, speed_kmh, course, altitude_m, valid FROM positions
     WHERE device_id = $1::integer AND fix_time >= $2::timestamptz AND fix_time < $3::timestamptz ORDER BY fix_time`,
    [deviceId, new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return result.rowCount;
}

/**
 * The nearest-vehicle question asked of PostgreSQL: the `limit` standby devices with a fix newer than
 * `freshSinceMs`, nearest to the point by an equirectangular distance over device_state. The benchmark's
 * baseline for the in-memory index, not a route: no index can serve this ordering without PostGIS.
 */
export async function nearestDeviceStates(
  db: SqlExecutor,
  lat: number,
  lon: number,
  limit: number,
  freshSinceMs: number,
): Promise<{ deviceId: number; distanceMeters: number }[]> {
  const result = await db.query<{ deviceId: number; distanceMeters: number }>(
    `SELECT s.device_id AS "deviceId",
            111195 * sqrt(power(s.lat_e6 / 1e6::float8 - $1::float8, 2)
              + power((s.lon_e6 / 1e6::float8 - $2::float8) * cos(radians($1::float8)), 2)) AS "distanceMeters"
     FROM device_state s JOIN devices d ON d.id = s.device_id
     WHERE d.dispatch_status = 'standby' AND s.fix_time >= $4::timestamptz AND s.lat_e6 IS NOT NULL
     ORDER BY 2 LIMIT $3::integer`,
    [lat, lon, limit, new Date(freshSinceMs).toISOString()],
  );
  return result.rows;
}
