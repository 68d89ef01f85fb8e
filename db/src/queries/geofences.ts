import type { SqlExecutor } from '../sql-client.ts';

/** The stored form of a fence's shape; the API validates it (api/src/geofence/shapes.ts). */
export type GeofenceShapeJson =
  | { type: 'circle'; center: { lat: number; lon: number }; radiusMeters: number }
  | { type: 'polygon'; points: { lat: number; lon: number }[] };

export interface GeofenceRecord {
  id: number;
  unitId: number | null;
  name: string;
  description: string | null;
  shape: GeofenceShapeJson;
  speedLimitKmh: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewGeofence {
  unitId?: number | null;
  name: string;
  description?: string | null;
  shape: GeofenceShapeJson;
  speedLimitKmh?: number | null;
}

export type GeofencePatch = Partial<NewGeofence>;

const COLUMNS = `id, unit_id AS "unitId", name, description, shape, speed_limit_kmh AS "speedLimitKmh",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function insertGeofence(db: SqlExecutor, fence: NewGeofence): Promise<GeofenceRecord> {
  const result = await db.query<GeofenceRecord>(
    `INSERT INTO geofences (unit_id, name, description, shape, speed_limit_kmh)
     VALUES ($1::integer, $2::text, $3::text, $4::jsonb, $5::real)
     RETURNING ${COLUMNS}`,
    [fence.unitId ?? null, fence.name, fence.description ?? null, JSON.stringify(fence.shape), fence.speedLimitKmh ?? null],
  );
  return result.rows[0]!;
}

export async function findGeofenceById(db: SqlExecutor, id: number): Promise<GeofenceRecord | null> {
  const result = await db.query<GeofenceRecord>(`SELECT ${COLUMNS} FROM geofences WHERE id = $1::integer`, [id]);
  return result.rows[0] ?? null;
}

/**
 * Every fence, or those a caller with the listed units (their subtree) sees: the fences of those units and
 * the fences for every unit. Ordered by id.
 */
export async function listGeofences(db: SqlExecutor, options: { unitIds?: readonly number[] | null } = {}): Promise<GeofenceRecord[]> {
  const result = await db.query<GeofenceRecord>(
    `SELECT ${COLUMNS} FROM geofences
     WHERE $1::integer[] IS NULL OR unit_id IS NULL OR unit_id = ANY($1::integer[])
     ORDER BY id`,
    [options.unitIds ?? null],
  );
  return result.rows;
}

// [key, column, cast]: the SET list comes from this fixed table, never from input.
const PATCHABLE = [
  ['unitId', 'unit_id', 'integer'],
  ['name', 'name', 'text'],
  ['description', 'description', 'text'],
  ['shape', 'shape', 'jsonb'],
  ['speedLimitKmh', 'speed_limit_kmh', 'real'],
] as const satisfies readonly (readonly [keyof GeofencePatch, string, string])[];

/** Writes the fields present in `patch`; null when the fence does not exist. */
export async function updateGeofence(db: SqlExecutor, id: number, patch: GeofencePatch): Promise<GeofenceRecord | null> {
  const sets = ['updated_at = now()'];
  const params: unknown[] = [id];
  for (const [key, column, cast] of PATCHABLE) {
    if (!(key in patch)) continue;
    const value = patch[key];
    params.push(key === 'shape' ? JSON.stringify(value) : (value ?? null));
    sets.push(`${column} = $${params.length}::${cast}`);
  }
  const result = await db.query<GeofenceRecord>(
    `UPDATE geofences SET ${sets.join(', ')} WHERE id = $1::integer RETURNING ${COLUMNS}`,
    params,
  );
  return result.rows[0] ?? null;
}

export async function deleteGeofence(db: SqlExecutor, id: number): Promise<boolean> {
  return (await db.query('DELETE FROM geofences WHERE id = $1::integer', [id])).rowCount > 0;
}

export interface PresenceRow {
  deviceId: number;
  geofenceId: number;
}

export async function listGeofencePresence(db: SqlExecutor): Promise<PresenceRow[]> {
  const result = await db.query<PresenceRow>(
    `SELECT device_id AS "deviceId", geofence_id AS "geofenceId" FROM geofence_presence`,
  );
  return result.rows;
}

/**
 * Records entries and exits in one statement each. An entry already recorded (by another API process) and
 * an exit already removed are no-ops, so replaying the same transitions changes nothing.
 */
export async function applyGeofencePresence(
  db: SqlExecutor,
  changes: { enters: readonly (PresenceRow & { sinceMs: number })[]; exits: readonly PresenceRow[] },
): Promise<void> {
  if (changes.enters.length > 0) {
    await db.query(
      `INSERT INTO geofence_presence (device_id, geofence_id, since)
       SELECT d, g, s FROM unnest($1::integer[], $2::integer[], $3::timestamptz[]) AS r(d, g, s)
       WHERE EXISTS (SELECT 1 FROM geofences WHERE id = g)
       ON CONFLICT (device_id, geofence_id) DO NOTHING`,
      [
        changes.enters.map((e) => e.deviceId),
        changes.enters.map((e) => e.geofenceId),
        changes.enters.map((e) => new Date(e.sinceMs).toISOString()),
      ],
    );
  }
  if (changes.exits.length > 0) {
    await db.query(
      `DELETE FROM geofence_presence p USING unnest($1::integer[], $2::integer[]) AS r(d, g)
       WHERE p.device_id = r.d AND p.geofence_id = r.g`,
      [changes.exits.map((e) => e.deviceId), changes.exits.map((e) => e.geofenceId)],
    );
  }
}
