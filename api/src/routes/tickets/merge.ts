import type { FastifyInstance } from 'fastify';
import { copyReportersOnMerge, insertTicketEvent, type TicketRecord } from '@urbanlink/db';
import { HttpError } from '../../plugins/errors.ts';
import type { Actor } from './actor.ts';
import { publishTicketChange } from './notify.ts';
import { applyStep, loadTicket, refuse } from './workflow.ts';

/**
 * Merges a duplicate into the ticket that carries on: the duplicate ends as 'merged', its reporters are
 * added to the survivor's, and both timelines stay (the survivor's timeline shows the duplicate's too).
 */
export async function mergeTicket(
  app: FastifyInstance,
  duplicateId: number,
  intoId: number,
  actor: Actor,
  note: string | null,
): Promise<TicketRecord> {
  if (duplicateId === intoId) throw new HttpError(400, 'a ticket cannot be merged into itself / 不能合并到自身');
  const into = await loadTicket(app, intoId);
  if (into.status === 'merged' || into.status === 'closed') {
    throw refuse(`ticket ${into.number} is ${into.status}; merge into an open ticket`);
  }
  await applyStep(app, duplicateId, 'merged', actor, {
    viaOwnRoute: true,
    kind: 'merge',
    note,
    mergedIntoId: into.id,
    details: { intoId: into.id, intoNumber: into.number },
    within: async (tx, duplicate) => {
      await copyReportersOnMerge(tx, duplicate.id, into.id);
      await insertTicketEvent(tx, {
        ticketId: into.id,
        atMs: app.ticketSettings.now(),
        kind: 'merged_from',
        userId: actor.userId,
        actor: actor.name,
        note,
        details: { duplicateId: duplicate.id, duplicateNumber: duplicate.number },
      });
    },
  });
  const survivor = await loadTicket(app, into.id);
  await publishTicketChange(app, survivor, 'merged_from', app.ticketSettings.now());
  return survivor;
}
