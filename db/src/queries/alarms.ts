import type { SqlExecutor } from '../sql-client.ts';

export type AlarmSource = 'terminal' | 'geofence' | 'speed';
export type AlarmState = 'open' | 'acknowledged' | 'assigned' | 'resolved';

export interface AlarmRecord {
  id: number;
  deviceId: number;
  /** The device's unique id, for the MQTT topic `urbanlink/v1/devices/{uniqueId}/event`. */
  uniqueId: string;
  unitId: number | null;
  source: AlarmSource;
  kind: string;
  geofenceId: number | null;
  occurredAt: Date;
  lat: number | null;
  lon: number | null;
  speedKmh: number | null;
  details: Record<string, unknown>;
  state: AlarmState;
  acknowledgedAt: Date | null;
  acknowledgedBy: number | null;
  assignedAt: Date | null;
  assignedBy: number | null;
  assigneeUserId: number | null;
  assigneeUnitId: number | null;
  resolvedAt: Date | null;
  resolvedBy: number | null;
  resolutionNote: string | null;
}

export interface NewAlarm {
  deviceId: number;
  source: AlarmSource;
  kind: string;
  geofenceId: number | null;
  occurredAtMs: number;
  lat: number | null;
  lon: number | null;
  speedKmh: number | null;
  details: Record<string, unknown>;
}

const COLUMNS = `a.id, a.device_id AS "deviceId", d.unique_id AS "uniqueId", d.unit_id AS "unitId", a.source, a.kind,
  a.geofence_id AS "geofenceId", a.occurred_at AS "occurredAt", a.lat_e6 / 1e6::float8 AS lat,
  a.lon_e6 / 1e6::float8 AS lon, a.speed_kmh AS "speedKmh", a.details, a.state,
  a.acknowledged_at AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy", a.assigned_at AS "assignedAt",
  a.assigned_by AS "assignedBy", a.assignee_user_id AS "assigneeUserId", a.assignee_unit_id AS "assigneeUnitId",
  a.resolved_at AS "resolvedAt", a.resolved_by AS "resolvedBy", a.resolution_note AS "resolutionNote"`;

const e6 = (degrees: number | null): number | null => (degrees === null ? null : Math.round(degrees * 1e6));

/**
 * Stores detected alarms in one statement and returns only those this call created. The same detection
 * made by another API process (same device, source, kind, fence and fix time) is skipped, so exactly one
 * process goes on to publish each alarm.
 */
export async function insertDetectedAlarms(db: SqlExecutor, alarms: readonly NewAlarm[]): Promise<AlarmRecord[]> {
  if (alarms.length === 0) return [];
  const result = await db.query<AlarmRecord>(
    `WITH inserted AS (
       INSERT INTO alarms (device_id, source, kind, geofence_id, geofence_key, occurred_at, lat_e6, lon_e6, speed_kmh, details)
       SELECT r.device_id, r.source, r.kind, g.id, coalesce(r.fence, 0), r.occurred_at, r.lat_e6, r.lon_e6, r.speed_kmh, r.details::jsonb
       FROM unnest($1::integer[], $2::text[], $3::text[], $4::integer[], $5::timestamptz[], $6::integer[],
                   $7::integer[], $8::real[], $9::text[])
         AS r(device_id, source, kind, fence, occurred_at, lat_e6, lon_e6, speed_kmh, details)
       LEFT JOIN geofences g ON g.id = r.fence
       ON CONFLICT ON CONSTRAINT alarms_detection_key DO NOTHING
       RETURNING *
     )
     SELECT ${COLUMNS} FROM inserted a JOIN devices d ON d.id = a.device_id ORDER BY a.occurred_at, a.id`,
    [
      alarms.map((a) => a.deviceId),
      alarms.map((a) => a.source),
      alarms.map((a) => a.kind),
      alarms.map((a) => a.geofenceId),
      alarms.map((a) => new Date(a.occurredAtMs).toISOString()),
      alarms.map((a) => e6(a.lat)),
      alarms.map((a) => e6(a.lon)),
      alarms.map((a) => a.speedKmh),
      alarms.map((a) => JSON.stringify(a.details)),
    ],
  );
  return result.rows;
}

export async function findAlarmById(db: SqlExecutor, id: number): Promise<AlarmRecord | null> {
  const result = await db.query<AlarmRecord>(
    `SELECT ${COLUMNS} FROM alarms a JOIN devices d ON d.id = a.device_id WHERE a.id = $1::bigint`,
    [id],
  );
  return result.rows[0] ?? null;
}

export interface AlarmFilter {
  /** Only devices of these units (a caller's subtree); null or absent for all. */
  unitIds?: readonly number[] | null;
  deviceId?: number | null;
  states?: readonly AlarmState[] | null;
  fromMs?: number | null;
  toMs?: number | null;
  limit?: number;
  /** Oldest first (a track's alarms on the way) instead of newest first (the alarm book). */
  oldestFirst?: boolean;
}

/** Newest first, unless `oldestFirst`; at most `limit` (500). */
export async function listAlarms(db: SqlExecutor, filter: AlarmFilter = {}): Promise<AlarmRecord[]> {
  const order = filter.oldestFirst ? 'ASC' : 'DESC';
  const result = await db.query<AlarmRecord>(
    `SELECT ${COLUMNS} FROM alarms a JOIN devices d ON d.id = a.device_id
     WHERE ($1::integer[] IS NULL OR d.unit_id = ANY($1::integer[]))
       AND ($2::integer IS NULL OR a.device_id = $2::integer)
       AND ($3::text[] IS NULL OR a.state = ANY($3::text[]))
       AND ($4::timestamptz IS NULL OR a.occurred_at >= $4::timestamptz)
       AND ($5::timestamptz IS NULL OR a.occurred_at < $5::timestamptz)
     ORDER BY a.occurred_at ${order}, a.id ${order}
     LIMIT $6::integer`,
    [
      filter.unitIds ?? null,
      filter.deviceId ?? null,
      filter.states ?? null,
      filter.fromMs == null ? null : new Date(filter.fromMs).toISOString(),
      filter.toMs == null ? null : new Date(filter.toMs).toISOString(),
      filter.limit ?? 500,
    ],
  );
  return result.rows;
}

/** The conditions still raised (alarms not yet resolved), which detection must not raise again after a restart. */
export async function listUnresolvedAlarmKeys(
  db: SqlExecutor,
): Promise<{ deviceId: number; source: AlarmSource; kind: string; geofenceId: number | null }[]> {
  const result = await db.query<{ deviceId: number; source: AlarmSource; kind: string; geofenceId: number | null }>(
    `SELECT DISTINCT device_id AS "deviceId", source, kind, nullif(geofence_key, 0) AS "geofenceId"
     FROM alarms WHERE state <> 'resolved'`,
  );
  return result.rows;
}

export interface AlarmStep {
  to: AlarmState;
  userId: number | null;
  assigneeUserId?: number | null;
  assigneeUnitId?: number | null;
  note?: string | null;
}

/**
 * Moves an alarm to `step.to` only if it is still in one of the `from` states, stamping who and when; null
 * when it was not (a concurrent dispatcher moved it first, or it does not exist), so the caller re-reads it
 * and explains.
 */
export async function transitionAlarm(
  db: SqlExecutor,
  id: number,
  from: readonly AlarmState[],
  step: AlarmStep,
): Promise<AlarmRecord | null> {
  const result = await db.query<AlarmRecord>(
    `WITH moved AS (
       UPDATE alarms SET
         state = $3::text,
         acknowledged_at = CASE WHEN $3::text = 'acknowledged' THEN now() ELSE acknowledged_at END,
         acknowledged_by = CASE WHEN $3::text = 'acknowledged' THEN $4::integer ELSE acknowledged_by END,
         assigned_at = CASE WHEN $3::text = 'assigned' THEN now() ELSE assigned_at END,
         assigned_by = CASE WHEN $3::text = 'assigned' THEN $4::integer ELSE assigned_by END,
         assignee_user_id = CASE WHEN $3::text = 'assigned' THEN $5::integer ELSE assignee_user_id END,
         assignee_unit_id = CASE WHEN $3::text = 'assigned' THEN $6::integer ELSE assignee_unit_id END,
         resolved_at = CASE WHEN $3::text = 'resolved' THEN now() ELSE resolved_at END,
         resolved_by = CASE WHEN $3::text = 'resolved' THEN $4::integer ELSE resolved_by END,
         resolution_note = CASE WHEN $3::text = 'resolved' THEN $7::text ELSE resolution_note END
       WHERE id = $1::bigint AND state = ANY($2::text[])
       RETURNING *
     )
     SELECT ${COLUMNS} FROM moved a JOIN devices d ON d.id = a.device_id`,
    [id, from, step.to, step.userId, step.assigneeUserId ?? null, step.assigneeUnitId ?? null, step.note ?? null],
  );
  return result.rows[0] ?? null;
}
