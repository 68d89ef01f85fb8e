import type { Position } from '@urbanlink/protocols';
import type { SqlExecutor } from '../sql-client.ts';
import { toE6 } from '../positions/rows.ts';
import type { StoredPosition } from './positions.ts';

export type Transport = 'tcp' | 'udp';

export interface DeviceStateInput {
  deviceId: number;
  online: boolean;
  lastSeenMs: number;
  /** The newest fix since the last call, or null (heartbeat, disconnect); an older fix than stored is ignored. */
  position: Position | null;
  /** The current connection; null keeps what is stored. */
  transport: Transport | null;
  remoteAddress: string | null;
}

export interface DeviceStateRecord {
  deviceId: number;
  online: boolean;
  lastSeenAt: Date;
  transport: Transport | null;
  remoteAddress: string | null;
  position: StoredPosition | null;
}

// The newest fix wins; a late fix (older than the stored one) leaves the stored one in place.
const NEWER = '(s.fix_time IS NULL OR EXCLUDED.fix_time > s.fix_time)';

const UPSERT = `INSERT INTO device_state AS s
    (device_id, online, last_seen_at, transport, remote_address, fix_time, lat_e6, lon_e6, position, updated_at)
  SELECT u.id, u.online, u.seen, u.transport, u.address, u.fix_time, u.lat_e6, u.lon_e6, u.position::jsonb, now()
  FROM unnest($1::integer[], $2::boolean[], $3::timestamptz[], $4::text[], $5::text[], $6::timestamptz[],
              $7::integer[], $8::integer[], $9::text[])
    AS u(id, online, seen, transport, address, fix_time, lat_e6, lon_e6, position)
  -- A device deleted while connected is skipped rather than failing everyone's update.
  WHERE EXISTS (SELECT 1 FROM devices WHERE devices.id = u.id)
  ON CONFLICT (device_id) DO UPDATE SET
    online = EXCLUDED.online,
    last_seen_at = GREATEST(s.last_seen_at, EXCLUDED.last_seen_at),
    transport = COALESCE(EXCLUDED.transport, s.transport),
    remote_address = COALESCE(EXCLUDED.remote_address, s.remote_address),
    fix_time = CASE WHEN ${NEWER} THEN EXCLUDED.fix_time ELSE s.fix_time END,
    lat_e6 = CASE WHEN ${NEWER} THEN EXCLUDED.lat_e6 ELSE s.lat_e6 END,
    lon_e6 = CASE WHEN ${NEWER} THEN EXCLUDED.lon_e6 ELSE s.lon_e6 END,
    position = CASE WHEN ${NEWER} THEN EXCLUDED.position ELSE s.position END,
    updated_at = now()`;

/** One statement cannot update a row twice, so several states of one device merge first. */
function mergeByDevice(states: readonly DeviceStateInput[]): DeviceStateInput[] {
  const merged = new Map<number, DeviceStateInput>();
  for (const state of states) {
    const earlier = merged.get(state.deviceId);
    if (!earlier) {
      merged.set(state.deviceId, state);
      continue;
    }
    const newest = [earlier.position, state.position].reduce<Position | null>(
      (best, p) => (p && (!best || p.fixTimeMs > best.fixTimeMs) ? p : best),
      null,
    );
    merged.set(state.deviceId, {
      ...state,
      lastSeenMs: Math.max(earlier.lastSeenMs, state.lastSeenMs),
      transport: state.transport ?? earlier.transport,
      remoteAddress: state.remoteAddress ?? earlier.remoteAddress,
      position: newest,
    });
  }
  return [...merged.values()];
}

/** Stored in device_state.position: the fix without what has its own columns. */
function details(position: Position): string {
  const { uniqueId: _u, fixTimeMs: _t, lat: _lat, lon: _lon, ...rest } = position;
  return JSON.stringify(rest);
}

/** Connection status and newest fix of many devices in one statement (ingest calls it about once a second). */
export async function upsertDeviceStates(db: SqlExecutor, states: readonly DeviceStateInput[]): Promise<void> {
  if (states.length === 0) return;
  // In device order, so two processes updating overlapping devices lock rows alike and cannot deadlock.
  const rows = mergeByDevice(states).sort((a, b) => a.deviceId - b.deviceId);
  await db.query(UPSERT, [
    rows.map((r) => r.deviceId),
    rows.map((r) => r.online),
    rows.map((r) => new Date(r.lastSeenMs).toISOString()),
    rows.map((r) => r.transport),
    rows.map((r) => r.remoteAddress),
    rows.map((r) => (r.position ? new Date(Math.round(r.position.fixTimeMs)).toISOString() : null)),
    rows.map((r) => (r.position ? toE6(r.position.lat) : null)),
    rows.map((r) => (r.position ? toE6(r.position.lon) : null)),
    rows.map((r) => (r.position ? details(r.position) : null)),
  ]);
}

const MARK_STALE_OFFLINE = `UPDATE device_state s SET online = false, updated_at = now()
  FROM devices d
  WHERE d.id = s.device_id AND s.online AND s.last_seen_at < $1::timestamptz
  RETURNING s.device_id AS "deviceId", d.unique_id AS "uniqueId"`;

/**
 * Devices recorded online but silent since before `seenBeforeMs` become offline: what an ingest process that
 * died without a clean disconnect (SIGKILL, out of memory) left behind. A live process writes last_seen_at of
 * its connected devices on every frame (at most once a second), and closes connections silent for its idle
 * timeout, so a cut-off older than that leaves their rows alone. Returns the devices it changed.
 */
export async function markStaleDevicesOffline(db: SqlExecutor, seenBeforeMs: number): Promise<{ deviceId: number; uniqueId: string }[]> {
  const result = await db.query<{ deviceId: number; uniqueId: string }>(MARK_STALE_OFFLINE, [new Date(seenBeforeMs).toISOString()]);
  return result.rows;
}

interface StateSqlRow {
  deviceId: number;
  uniqueId: string;
  online: boolean;
  lastSeenAt: Date;
  transport: Transport | null;
  remoteAddress: string | null;
  fixTime: Date | null;
  lat: number | null;
  lon: number | null;
  position: Omit<Position, 'uniqueId' | 'fixTimeMs' | 'lat' | 'lon'> | null;
}

const STATE_QUERY = `SELECT s.device_id AS "deviceId", d.unique_id AS "uniqueId", s.online, s.last_seen_at AS "lastSeenAt",
    s.transport, s.remote_address AS "remoteAddress", s.fix_time AS "fixTime",
    s.lat_e6::double precision / 1000000 AS lat, s.lon_e6::double precision / 1000000 AS lon, s.position
  FROM device_state s JOIN devices d ON d.id = s.device_id
  WHERE $1::integer[] IS NULL OR s.device_id = ANY ($1::integer[])
  ORDER BY s.device_id`;

function toRecord(row: StateSqlRow): DeviceStateRecord {
  const position =
    row.fixTime && row.position
      ? {
          ...row.position,
          deviceId: row.deviceId,
          uniqueId: row.uniqueId,
          fixTimeMs: row.fixTime.getTime(),
          lat: row.lat!,
          lon: row.lon!,
        }
      : null;
  return {
    deviceId: row.deviceId,
    online: row.online,
    lastSeenAt: row.lastSeenAt,
    transport: row.transport,
    remoteAddress: row.remoteAddress,
    position,
  };
}

/**
 * The state of the given devices (all when absent). A device that never connected has no row: the API
 * shows it as status 'unknown'.
 */
export async function listDeviceStates(
  db: SqlExecutor,
  deviceIds?: readonly number[],
): Promise<DeviceStateRecord[]> {
  const result = await db.query<StateSqlRow>(STATE_QUERY, [deviceIds ?? null]);
  return result.rows.map(toRecord);
}

/**
 * The newest fix of the given devices (all when absent), from device_state: as fresh as ingest's last
 * upsertDeviceStates, about a second behind the positions table at most.
 */
export async function latestPositions(db: SqlExecutor, deviceIds?: readonly number[]): Promise<StoredPosition[]> {
  const states = await listDeviceStates(db, deviceIds);
  return states.flatMap((state) => (state.position ? [state.position] : []));
}
