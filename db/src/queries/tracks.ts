import type { SqlExecutor } from '../sql-client.ts';

/** One stored fix as track playback and the nearest-vehicle baseline read it. */
export interface TrackPointRow {
  fixTimeMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  course: number;
  altitudeM: number;
  valid: boolean;
}

// A page comes back as one text value, "ms,latE6,lonE6,speed,course,altitude,valid" per fix joined by ';':
// PostgreSQL formats it in C and the driver hands over one string instead of building an object per row
// and field, which is where most of the time of a 86 400-row read went. Every field is a plain decimal.
const PAGE = `SELECT string_agg(concat_ws(',', ms, lat_e6, lon_e6, speed_kmh, course, altitude_m, valid::integer), ';' ORDER BY fix_time) AS page
  FROM (
    SELECT fix_time, (date_part('epoch', fix_time) * 1000)::bigint AS ms, lat_e6, lon_e6, speed_kmh, course, altitude_m, valid
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
): Promise<TrackPointRow[]> {
  const result = await db.query<{ page: string | null }>(PAGE, [deviceId, new Date(fromMs).toISOString(), new Date(toMs).toISOString(), limit]);
  const text = result.rows[0]?.page;
  return text ? parsePage(text) : [];
}

const FIELDS = 7;
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Reads the page text in one pass, digit by digit, without splitting it into arrays of substrings: a day of
 * fixes made 700 000 short-lived strings that way, and the collector's time exceeded the parsing's. A
 * decimal is read as its digits over a power of ten, which rounds exactly as Number() does; anything else
 * (an exponent, NaN) falls back to Number() on that field.
 */
function parsePage(text: string): TrackPointRow[] {
  const points: TrackPointRow[] = [];
  const values = new Float64Array(FIELDS);
  let field = 0;
  let start = 0;
  let digits = 0;
  let count = 0;
  let scale = -1;
  let negative = false;
  let odd = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 59;
    if (c >= 48 && c <= 57) {
      digits = digits * 10 + (c - 48);
      count++;
      if (scale >= 0) scale++;
    } else if (c === 46) {
      scale = 0;
    } else if (c === 45 && i === start) {
      negative = true;
    } else if (c === 44 || c === 59) {
      let value = scale > 0 ? digits / POWERS_OF_TEN[scale]! : digits;
      // Past 15 digits the running integer is no longer exact.
      if (odd || count > 15) value = Number(text.slice(start, i));
      else if (negative) value = -value;
      values[field++] = value;
      start = i + 1;
      digits = 0;
      count = 0;
      scale = -1;
      negative = false;
      odd = false;
      if (c === 59) {
        points.push({
          fixTimeMs: values[0]!,
          lat: values[1]! / 1e6,
          lon: values[2]! / 1e6,
          speedKmh: values[3]!,
          course: values[4]!,
          altitudeM: values[5]!,
          valid: values[6] === 1,
        });
        field = 0;
      }
    } else {
      odd = true;
    }
  }
  return points;
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
