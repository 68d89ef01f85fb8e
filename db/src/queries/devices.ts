import type { SqlExecutor } from '../sql-client.ts';
import { SUBTREE_CTE } from './units.ts';

export type DeviceProtocol = 'gt06' | 'jt808';
export type DispatchStatus = 'standby' | 'on_task' | 'unavailable';

export interface DeviceRecord {
  id: number;
  /** GT06 IMEI, or the JT/T 808 terminal phone number without leading zeros. */
  uniqueId: string;
  protocol: DeviceProtocol | null;
  name: string;
  plate: string | null;
  unitId: number | null;
  authCode: string | null;
  timeZoneOffsetMinutes: number | null;
  model: string | null;
  lenient: boolean;
  dispatchStatus: DispatchStatus;
  attributes: Record<string, unknown>;
  createdAt: Date;
}

export interface NewDevice {
  uniqueId: string;
  name: string;
  protocol?: DeviceProtocol | null;
  plate?: string | null;
  unitId?: number | null;
  authCode?: string | null;
  timeZoneOffsetMinutes?: number | null;
  model?: string | null;
  lenient?: boolean;
  dispatchStatus?: DispatchStatus;
  attributes?: Record<string, unknown>;
}

/** A key that is present is written, even as null; a key that is absent keeps the stored value. */
export type DevicePatch = Partial<NewDevice>;

const COLUMNS = `id, unique_id AS "uniqueId", protocol, name, plate, unit_id AS "unitId", auth_code AS "authCode",
  time_zone_offset_minutes AS "timeZoneOffsetMinutes", model, lenient, dispatch_status AS "dispatchStatus",
  attributes, created_at AS "createdAt"`;

/** The new device, or null when `uniqueId` is already registered (the API answers 409). */
export async function insertDevice(db: SqlExecutor, device: NewDevice): Promise<DeviceRecord | null> {
  const result = await db.query<DeviceRecord>(
    `INSERT INTO devices (unique_id, name, protocol, plate, unit_id, auth_code, time_zone_offset_minutes, model,
       lenient, dispatch_status, attributes)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::integer, $6::text, $7::smallint, $8::text,
       $9::boolean, $10::text, $11::jsonb)
     ON CONFLICT (unique_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      device.uniqueId,
      device.name,
      device.protocol ?? null,
      device.plate ?? null,
      device.unitId ?? null,
      device.authCode ?? null,
      device.timeZoneOffsetMinutes ?? null,
      device.model ?? null,
      device.lenient ?? false,
      device.dispatchStatus ?? 'standby',
      JSON.stringify(device.attributes ?? {}),
    ],
  );
  return result.rows[0] ?? null;
}

export async function findDeviceById(db: SqlExecutor, id: number): Promise<DeviceRecord | null> {
  const result = await db.query<DeviceRecord>(`SELECT ${COLUMNS} FROM devices WHERE id = $1::integer`, [id]);
  return result.rows[0] ?? null;
}

export async function findDeviceByUniqueId(db: SqlExecutor, uniqueId: string): Promise<DeviceRecord | null> {
  const result = await db.query<DeviceRecord>(`SELECT ${COLUMNS} FROM devices WHERE unique_id = $1::text`, [uniqueId]);
  return result.rows[0] ?? null;
}

/**
 * Every device ordered by id, or only those of `withinUnit` and the units below it (devices without a unit
 * are then left out: they belong to nobody's subtree).
 */
export async function listDevices(
  db: SqlExecutor,
  options: { withinUnit?: number | null } = {},
): Promise<DeviceRecord[]> {
  if (options.withinUnit == null) {
    return (await db.query<DeviceRecord>(`SELECT ${COLUMNS} FROM devices ORDER BY id`)).rows;
  }
  const result = await db.query<DeviceRecord>(
    `${SUBTREE_CTE} SELECT ${COLUMNS} FROM devices WHERE unit_id IN (SELECT id FROM subtree) ORDER BY id`,
    [options.withinUnit],
  );
  return result.rows;
}

/** One page of every device, in id order after `afterId`: a reader of a large fleet pages through it. */
export async function listDevicesAfter(db: SqlExecutor, afterId: number, limit: number): Promise<DeviceRecord[]> {
  return (await db.query<DeviceRecord>(`SELECT ${COLUMNS} FROM devices WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, limit])).rows;
}

// Patchable fields: [key, column, cast]. The SET list is built from this fixed table, never from input.
const PATCHABLE = [
  ['uniqueId', 'unique_id', 'text'],
  ['name', 'name', 'text'],
  ['protocol', 'protocol', 'text'],
  ['plate', 'plate', 'text'],
  ['unitId', 'unit_id', 'integer'],
  ['authCode', 'auth_code', 'text'],
  ['timeZoneOffsetMinutes', 'time_zone_offset_minutes', 'smallint'],
  ['model', 'model', 'text'],
  ['lenient', 'lenient', 'boolean'],
  ['dispatchStatus', 'dispatch_status', 'text'],
  ['attributes', 'attributes', 'jsonb'],
] as const satisfies readonly (readonly [keyof DevicePatch, string, string])[];

/**
 * Writes the fields present in `patch`; null when the device does not exist. A `uniqueId` that another
 * device holds throws a unique violation (see isUniqueViolation).
 */
export async function updateDevice(db: SqlExecutor, id: number, patch: DevicePatch): Promise<DeviceRecord | null> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [key, column, cast] of PATCHABLE) {
    if (!(key in patch)) continue;
    const value = patch[key];
    params.push(key === 'attributes' ? JSON.stringify(value ?? {}) : (value ?? null));
    sets.push(`${column} = $${params.length}::${cast}`);
  }
  if (sets.length === 0) return findDeviceById(db, id);
  const result = await db.query<DeviceRecord>(
    `UPDATE devices SET ${sets.join(', ')} WHERE id = $1::integer RETURNING ${COLUMNS}`,
    params,
  );
  return result.rows[0] ?? null;
}

/** False when the device does not exist. Its state and commands go with it; stored positions stay. */
export async function deleteDevice(db: SqlExecutor, id: number): Promise<boolean> {
  const result = await db.query('DELETE FROM devices WHERE id = $1::integer', [id]);
  return result.rowCount > 0;
}

/** Stores the JT/T 808 authentication code handed out at registration; false when the device is unknown. */
export async function setAuthCode(db: SqlExecutor, id: number, authCode: string | null): Promise<boolean> {
  const result = await db.query('UPDATE devices SET auth_code = $2::text WHERE id = $1::integer', [id, authCode]);
  return result.rowCount > 0;
}
