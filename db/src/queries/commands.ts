import type { SqlExecutor } from '../sql-client.ts';

export type CommandStatus = 'queued' | 'sent' | 'acknowledged' | 'failed' | 'expired';

export interface CommandRecord {
  id: number;
  deviceId: number;
  /** What to do: 'text', 'locate', 'setParameters', 'engineStop', … (the API's command schemas define the list). */
  type: string;
  params: Record<string, unknown>;
  status: CommandStatus;
  /** JT/T 808 message serial or GT06 server flag written on the wire; the terminal echoes it in its reply. */
  correlation: number | null;
  reply: string | null;
  /** Why the command failed. */
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
  ackedAt: Date | null;
  expiresAt: Date | null;
  createdBy: number | null;
}

export interface NewCommand {
  deviceId: number;
  type: string;
  params?: Record<string, unknown>;
  /** After this instant a command still queued or unanswered is expired; null never expires. */
  expiresAtMs?: number | null;
  createdBy?: number | null;
}

const COLUMNS = `id, device_id AS "deviceId", type, params, status, correlation, reply, error, created_at AS "createdAt",
  sent_at AS "sentAt", acked_at AS "ackedAt", expires_at AS "expiresAt", created_by AS "createdBy"`;

function timestamp(ms: number | null | undefined): Date | null {
  return ms == null ? null : new Date(ms);
}

export async function insertCommand(db: SqlExecutor, command: NewCommand): Promise<CommandRecord> {
  const result = await db.query<CommandRecord>(
    `INSERT INTO commands (device_id, type, params, expires_at, created_by)
     VALUES ($1::integer, $2::text, $3::jsonb, $4::timestamptz, $5::integer)
     RETURNING ${COLUMNS}`,
    [
      command.deviceId,
      command.type,
      JSON.stringify(command.params ?? {}),
      timestamp(command.expiresAtMs),
      command.createdBy ?? null,
    ],
  );
  return result.rows[0]!;
}

export async function findCommandById(db: SqlExecutor, id: number): Promise<CommandRecord | null> {
  const result = await db.query<CommandRecord>(`SELECT ${COLUMNS} FROM commands WHERE id = $1::bigint`, [id]);
  return result.rows[0] ?? null;
}

/** Commands of one device, newest first (the API's command history). */
export async function listCommands(db: SqlExecutor, deviceId: number, limit = 100): Promise<CommandRecord[]> {
  const result = await db.query<CommandRecord>(
    `SELECT ${COLUMNS} FROM commands WHERE device_id = $1::integer ORDER BY id DESC LIMIT $2::integer`,
    [deviceId, limit],
  );
  return result.rows;
}

/** What to send when the device (re)connects: queued and not yet expired at `nowMs`, oldest first. */
export async function listQueued(db: SqlExecutor, deviceId: number, nowMs = Date.now()): Promise<CommandRecord[]> {
  const result = await db.query<CommandRecord>(
    `SELECT ${COLUMNS} FROM commands
     WHERE device_id = $1::integer AND status = 'queued' AND (expires_at IS NULL OR expires_at > $2::timestamptz)
     ORDER BY id`,
    [deviceId, new Date(nowMs)],
  );
  return result.rows;
}

/** Queued → sent, remembering the correlation written on the wire; null when it was no longer queued. */
export async function markSent(
  db: SqlExecutor,
  id: number,
  correlation: number,
  atMs: number,
): Promise<CommandRecord | null> {
  const result = await db.query<CommandRecord>(
    `UPDATE commands SET status = 'sent', correlation = $2::bigint, sent_at = $3::timestamptz
     WHERE id = $1::bigint AND status = 'queued'
     RETURNING ${COLUMNS}`,
    [id, correlation, new Date(atMs)],
  );
  return result.rows[0] ?? null;
}

/**
 * Sent → acknowledged for the terminal's reply carrying `correlation`. Serials wrap around, so when several
 * sent commands share it the newest is meant. Null when no sent command matches (a late or foreign reply).
 */
export async function markAcknowledged(
  db: SqlExecutor,
  deviceId: number,
  correlation: number,
  reply: string | null,
  atMs: number,
): Promise<CommandRecord | null> {
  return answer(db, deviceId, correlation, { status: 'acknowledged', reply, error: null }, atMs);
}

/**
 * Sent → failed for a reply that refuses the command (JT/T 808 0x0001 with a non-zero result): the reply is
 * kept beside the reason. Matched like markAcknowledged.
 */
export async function markRefused(
  db: SqlExecutor,
  deviceId: number,
  correlation: number,
  reply: string | null,
  error: string,
  atMs: number,
): Promise<CommandRecord | null> {
  return answer(db, deviceId, correlation, { status: 'failed', reply, error }, atMs);
}

async function answer(
  db: SqlExecutor,
  deviceId: number,
  correlation: number,
  outcome: { status: 'acknowledged' | 'failed'; reply: string | null; error: string | null },
  atMs: number,
): Promise<CommandRecord | null> {
  const result = await db.query<CommandRecord>(
    `UPDATE commands SET status = $3::text, reply = $4::text, error = $5::text, acked_at = $6::timestamptz
     WHERE id = (
       SELECT id FROM commands
       WHERE device_id = $1::integer AND correlation = $2::bigint AND status = 'sent'
       ORDER BY id DESC LIMIT 1
     )
     RETURNING ${COLUMNS}`,
    [deviceId, correlation, outcome.status, outcome.reply, outcome.error, new Date(atMs)],
  );
  return result.rows[0] ?? null;
}

/** Queued or sent → failed (the terminal refused it, or it could not be encoded); null otherwise. */
export async function markFailed(
  db: SqlExecutor,
  id: number,
  error: string,
  atMs: number,
): Promise<CommandRecord | null> {
  const result = await db.query<CommandRecord>(
    `UPDATE commands SET status = 'failed', error = $2::text, acked_at = $3::timestamptz
     WHERE id = $1::bigint AND status IN ('queued', 'sent')
     RETURNING ${COLUMNS}`,
    [id, error, new Date(atMs)],
  );
  return result.rows[0] ?? null;
}

/** Queued or sent commands whose expiry is at or before `nowMs` become expired; returns them. */
export async function expireOlderThan(db: SqlExecutor, nowMs: number): Promise<CommandRecord[]> {
  const result = await db.query<CommandRecord>(
    `UPDATE commands SET status = 'expired'
     WHERE status IN ('queued', 'sent') AND expires_at <= $1::timestamptz
     RETURNING ${COLUMNS}`,
    [new Date(nowMs)],
  );
  return result.rows;
}
