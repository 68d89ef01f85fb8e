import type { SqlExecutor } from '../sql-client.ts';
import type { Role } from './users.ts';

/** Who a valid token belongs to. */
export interface SessionUser {
  sessionId: number;
  userId: number;
  username: string;
  role: Role;
  unitId: number | null;
  expiresAt: Date;
}

export interface NewSession {
  userId: number;
  /** The token's SHA-256; the token itself is never stored. */
  tokenHash: string;
  ttlSeconds: number;
  ip: string;
  userAgent: string | undefined;
}

export async function insertSession(db: SqlExecutor, session: NewSession): Promise<{ id: number; expiresAt: Date }> {
  const result = await db.query<{ id: number; expiresAt: Date }>(
    `INSERT INTO sessions (user_id, token_hash, expires_at, ip, user_agent)
     VALUES ($1::integer, $2::text, now() + make_interval(secs => $3::integer), $4::text, $5::text)
     RETURNING id, expires_at AS "expiresAt"`,
    [session.userId, session.tokenHash, session.ttlSeconds, session.ip, session.userAgent ?? null],
  );
  return result.rows[0]!;
}

/** The session's user when the token is known, unexpired, unrevoked and its user not disabled. */
export async function findSessionUser(db: SqlExecutor, tokenHash: string): Promise<SessionUser | null> {
  const result = await db.query<SessionUser>(
    `SELECT s.id AS "sessionId", u.id AS "userId", u.username, u.role, u.unit_id AS "unitId", s.expires_at AS "expiresAt"
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1::text AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
    [tokenHash],
  );
  return result.rows[0] ?? null;
}

/** Which of these token hashes still name a valid session, as findSessionUser judges one: one query for all. */
export async function validSessionTokens(db: SqlExecutor, tokenHashes: readonly string[]): Promise<Set<string>> {
  const result = await db.query<{ tokenHash: string }>(
    `SELECT s.token_hash AS "tokenHash"
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = ANY($1::text[]) AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
    [tokenHashes],
  );
  return new Set(result.rows.map((row) => row.tokenHash));
}

export async function revokeSession(db: SqlExecutor, sessionId: number): Promise<boolean> {
  const result = await db.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1::bigint AND revoked_at IS NULL`, [sessionId]);
  return result.rowCount > 0;
}

/** Revokes every open session of a user but `exceptSessionId` (password change, disabling); returns how many. */
export async function revokeUserSessions(db: SqlExecutor, userId: number, exceptSessionId?: number): Promise<number> {
  const result = await db.query(
    `UPDATE sessions SET revoked_at = now()
     WHERE user_id = $1::integer AND revoked_at IS NULL AND id IS DISTINCT FROM $2::bigint`,
    [userId, exceptSessionId ?? null],
  );
  return result.rowCount;
}

/** Deletes sessions that expired or were revoked before `beforeMs`; returns how many. */
export async function deleteEndedSessions(db: SqlExecutor, beforeMs: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM sessions WHERE expires_at < $1::timestamptz OR revoked_at < $1::timestamptz`,
    [new Date(beforeMs)],
  );
  return result.rowCount;
}
