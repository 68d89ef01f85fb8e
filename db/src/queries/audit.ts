import type { SqlExecutor } from '../sql-client.ts';

export interface AuditEntry {
  id: number;
  at: Date;
  userId: number | null;
  username: string | null;
  unitId: number | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditFilter {
  /** Only entries by users of these units; null for all. */
  unitIds: readonly number[] | null;
  from?: Date | undefined;
  to?: Date | undefined;
  userId?: number | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  limit: number;
  /** Entries older than this id (paging backwards from the newest). */
  beforeId?: number | undefined;
}

const COLUMNS = `id, at, user_id AS "userId", username, unit_id AS "unitId", action, entity_type AS "entityType",
  entity_id AS "entityId", details, ip`;

export async function insertAudit(db: SqlExecutor, entry: NewAuditEntry): Promise<AuditEntry> {
  const result = await db.query<AuditEntry>(
    `INSERT INTO audit_log (user_id, username, unit_id, action, entity_type, entity_id, details, ip)
     VALUES ($1::integer, $2::text, $3::integer, $4::text, $5::text, $6::text, $7::jsonb, $8::text)
     RETURNING ${COLUMNS}`,
    [entry.userId, entry.username, entry.unitId, entry.action, entry.entityType, entry.entityId, JSON.stringify(entry.details), entry.ip],
  );
  return result.rows[0]!;
}

/** Newest first. */
export async function listAudit(db: SqlExecutor, filter: AuditFilter): Promise<AuditEntry[]> {
  const result = await db.query<AuditEntry>(
    `SELECT ${COLUMNS} FROM audit_log
     WHERE ($1::integer[] IS NULL OR unit_id = ANY($1::integer[]))
       AND ($2::timestamptz IS NULL OR at >= $2::timestamptz)
       AND ($3::timestamptz IS NULL OR at < $3::timestamptz)
       AND ($4::integer IS NULL OR user_id = $4::integer)
       AND ($5::text IS NULL OR entity_type = $5::text)
       AND ($6::text IS NULL OR entity_id = $6::text)
       AND ($7::bigint IS NULL OR id < $7::bigint)
     ORDER BY id DESC LIMIT $8::integer`,
    [filter.unitIds, filter.from ?? null, filter.to ?? null, filter.userId ?? null, filter.entityType ?? null, filter.entityId ?? null, filter.beforeId ?? null, filter.limit],
  );
  return result.rows;
}
