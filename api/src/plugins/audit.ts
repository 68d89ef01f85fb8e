import type { FastifyRequest } from 'fastify';
import { insertAudit, type AuditEntry } from '@urbanlink/db';

export interface AuditRecord {
  /** What was done, as `<entity>.<verb>`: `device.update`, `command.send`, `alarm.acknowledge`. */
  action: string;
  entityType: string;
  entityId?: number | string | null | undefined;
  /** What changed: the request's fields, before/after values; kept as JSON. */
  details?: Record<string, unknown> | undefined;
}

/**
 * Writes one audit-log entry for a change made through the API: who (the signed-in user), when (now), what
 * (`record`) and from where (the client address). Every route that changes something calls it after the
 * change succeeded: `await audit(request, { action: 'device.update', entityType: 'device', entityId: id, details: body })`.
 */
export async function audit(request: FastifyRequest, record: AuditRecord): Promise<AuditEntry> {
  const user = request.user;
  return insertAudit(request.server.db, {
    userId: user?.id ?? null,
    username: user?.username ?? null,
    unitId: user?.unitId ?? null,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId === undefined || record.entityId === null ? null : String(record.entityId),
    details: record.details ?? {},
    ip: request.ip,
  });
}
