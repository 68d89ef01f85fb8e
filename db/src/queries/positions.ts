import type { Position } from '@urbanlink/protocols';
import type { SqlExecutor } from '../sql-client.ts';

/** A stored fix: the codec's Position plus the device it belongs to. Coordinates are read back from µ°. */
export interface StoredPosition extends Position {
  deviceId: number;
}

/** A row as the SELECT returns it: the stored fix with its time as a Date. */
type PositionSqlRow = Omit<StoredPosition, 'fixTimeMs'> & { fixTime: Date };

// float8 division is correctly rounded, so lat equals Math.round(lat × 10⁶) / 10⁶ computed in JavaScript.
const COLUMNS = `p.device_id AS "deviceId", COALESCE(d.unique_id, '') AS "uniqueId", p.fix_time AS "fixTime",
  p.lat_e6::double precision / 1000000 AS lat, p.lon_e6::double precision / 1000000 AS lon,
  p.altitude_m AS "altitudeM", p.speed_kmh AS "speedKmh", p.course, p.valid, p.satellites, p.ignition,
  p.odometer_km AS "odometerKm", p.fuel_l AS "fuelL", p.alarms, p.attributes`;

function toStored(row: PositionSqlRow): StoredPosition {
  return {
    deviceId: row.deviceId,
    uniqueId: row.uniqueId,
    fixTimeMs: row.fixTime.getTime(),
    lat: row.lat,
    lon: row.lon,
    altitudeM: row.altitudeM,
    speedKmh: row.speedKmh,
    course: row.course,
    valid: row.valid,
    satellites: row.satellites,
    ignition: row.ignition,
    odometerKm: row.odometerKm,
    fuelL: row.fuelL,
    alarms: row.alarms,
    attributes: row.attributes,
  };
}

/**
 * One device's fixes with fromMs ≤ fix time ≤ toMs, oldest first, at most `limit` (all when absent). To page
 * through a long track, ask again from the last fix time + 1.
 */
export async function listPositions(
  db: SqlExecutor,
  deviceId: number,
  fromMs: number,
  toMs: number,
  limit?: number,
): Promise<StoredPosition[]> {
  const result = await db.query<PositionSqlRow>(
    `SELECT ${COLUMNS} FROM positions p LEFT JOIN devices d ON d.id = p.device_id
     WHERE p.device_id = $1::integer AND p.fix_time >= $2::timestamptz AND p.fix_time <= $3::timestamptz
     ORDER BY p.fix_time
     LIMIT $4::integer`,
    [deviceId, new Date(fromMs), new Date(toMs), limit ?? null],
  );
  return result.rows.map(toStored);
}
