import type { SqlExecutor } from '../sql-client.ts';

/**
 * Citizen-facing records: who called about what (the call centre's screen-pop), the calls a PBX announced,
 * and the keys of the citizens' apps that post Open311 requests.
 */

/** Ids of the tickets this phone number reported, itself or as a reporter of a merged duplicate; newest first. */
export async function listTicketIdsByPhone(db: SqlExecutor, phone: string, limit = 50): Promise<number[]> {
  const result = await db.query<{ id: number }>(
    `SELECT id FROM (
       SELECT id FROM tickets WHERE reporter_phone = $1::text
       UNION
       SELECT ticket_id FROM ticket_reporters WHERE phone = $1::text
     ) ids ORDER BY id DESC LIMIT $2::integer`,
    [phone, limit],
  );
  return result.rows.map((row) => row.id);
}

export interface TelephonyCall {
  id: number;
  callId: string;
  caller: string;
  extension: string | null;
  startedAt: Date;
  ticketId: number | null;
  recordingUrl: string | null;
  updatedAt: Date;
}

const CALL_COLUMNS = `id, call_id AS "callId", caller, extension, started_at AS "startedAt", ticket_id AS "ticketId",
  recording_url AS "recordingUrl", updated_at AS "updatedAt"`;

/**
 * Records a call the PBX announces, or updates it when the PBX reports it again (the recording and the
 * ticket arrive after the call started): a key that is null keeps the stored value.
 */
export async function upsertTelephonyCall(
  db: SqlExecutor,
  call: { callId: string; caller: string; extension: string | null; startedAtMs: number; ticketId: number | null; recordingUrl: string | null },
): Promise<TelephonyCall> {
  const result = await db.query<TelephonyCall>(
    `INSERT INTO telephony_calls (call_id, caller, extension, started_at, ticket_id, recording_url)
     VALUES ($1::text, $2::text, $3::text, $4::timestamptz, $5::integer, $6::text)
     ON CONFLICT (call_id) DO UPDATE SET
       extension = COALESCE(EXCLUDED.extension, telephony_calls.extension),
       ticket_id = COALESCE(EXCLUDED.ticket_id, telephony_calls.ticket_id),
       recording_url = COALESCE(EXCLUDED.recording_url, telephony_calls.recording_url),
       updated_at = now()
     RETURNING ${CALL_COLUMNS}`,
    [call.callId, call.caller, call.extension, new Date(call.startedAtMs), call.ticketId, call.recordingUrl],
  );
  return result.rows[0]!;
}

/** Links an announced call to the ticket registered during it; null when the PBX never announced it. */
export async function linkCallToTicket(db: SqlExecutor, callId: string, ticketId: number): Promise<TelephonyCall | null> {
  const result = await db.query<TelephonyCall>(
    `UPDATE telephony_calls SET ticket_id = $2::integer, updated_at = now() WHERE call_id = $1::text RETURNING ${CALL_COLUMNS}`,
    [callId, ticketId],
  );
  return result.rows[0] ?? null;
}

export async function listCallsByCaller(db: SqlExecutor, caller: string, limit = 20): Promise<TelephonyCall[]> {
  const result = await db.query<TelephonyCall>(
    `SELECT ${CALL_COLUMNS} FROM telephony_calls WHERE caller = $1::text ORDER BY started_at DESC LIMIT $2::integer`,
    [caller, limit],
  );
  return result.rows;
}

export async function listCallsOfTickets(db: SqlExecutor, ticketIds: readonly number[]): Promise<TelephonyCall[]> {
  const result = await db.query<TelephonyCall>(
    `SELECT ${CALL_COLUMNS} FROM telephony_calls WHERE ticket_id = ANY($1::integer[]) ORDER BY started_at`,
    [ticketIds],
  );
  return result.rows;
}

export async function insertOpen311Key(db: SqlExecutor, key: string, name: string): Promise<void> {
  await db.query('INSERT INTO open311_api_keys (key, name) VALUES ($1::text, $2::text)', [key, name]);
}

/** The name of the app holding `key`, or null when the key is unknown or disabled. */
export async function findOpen311Key(db: SqlExecutor, key: string): Promise<string | null> {
  const result = await db.query<{ name: string }>(
    'SELECT name FROM open311_api_keys WHERE key = $1::text AND NOT disabled',
    [key],
  );
  return result.rows[0]?.name ?? null;
}
