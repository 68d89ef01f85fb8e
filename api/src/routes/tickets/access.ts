import type { FastifyRequest } from 'fastify';
import type { TicketRecord } from '@urbanlink/db';
import { scopeUnit } from '../../plugins/scope.ts';
import { userOf } from '../../plugins/auth.ts';
import { HttpError } from '../../plugins/errors.ts';

/**
 * Who sees a ticket: admins all; a unit member the tickets dispatched into their unit's subtree; the desk
 * roles (agents, dispatchers, auditors) also the tickets not dispatched to any unit yet, which are theirs
 * to work on.
 */
export function seesUnassigned(request: FastifyRequest): boolean {
  return userOf(request).role !== 'unit_member';
}

export async function canSeeTicket(request: FastifyRequest, ticket: TicketRecord): Promise<boolean> {
  const scope = scopeUnit(request);
  if (scope === null) return true;
  if (ticket.unitId === null) return seesUnassigned(request);
  return request.server.unitTrees.isWithin(ticket.unitId, scope);
}

/** Throws the same 404 for a ticket that does not exist and one the caller may not see. */
export async function assertCanSee(request: FastifyRequest, ticket: TicketRecord | null, id: number): Promise<TicketRecord> {
  if (!ticket || !(await canSeeTicket(request, ticket))) throw new HttpError(404, `ticket ${id} not found / 工单 ${id} 不存在`);
  return ticket;
}
