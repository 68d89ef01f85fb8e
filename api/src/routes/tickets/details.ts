import type { FastifyInstance } from 'fastify';
import { findTicketCategory, insertTicketEvent, updateTicketDetails, type TicketRecord } from '@urbanlink/db';
import { HttpError } from '../../plugins/errors.ts';
import type { Actor } from './actor.ts';
import { publishTicketChange } from './notify.ts';
import { offerDuplicates, resolveCategory } from './register.ts';
import { categoryDeadlines, loadTicket } from './workflow.ts';

export interface DetailsPatch {
  category?: string | number;
  priority?: 'normal' | 'urgent' | 'major';
  description?: string;
  lat?: number;
  lon?: number;
  address?: string | null;
}

/**
 * Corrects or completes a ticket's details (a message that came without a place, a wrong category). A new
 * category brings its own deadlines; the timeline records what changed from what.
 */
export async function updateDetails(app: FastifyInstance, ticketId: number, patch: DetailsPatch, actor: Actor) {
  const ticket = await loadTicket(app, ticketId);
  if (ticket.status === 'closed' || ticket.status === 'merged') {
    throw new HttpError(409, `ticket ${ticket.number} is ${ticket.status}; its details are final`);
  }
  if ((patch.lat === undefined) !== (patch.lon === undefined)) throw new HttpError(400, 'give lat and lon together / 经纬度须同时提供');
  const category = patch.category === undefined ? null : await resolveCategory(app, patch.category);
  const nowMs = app.ticketSettings.now();
  const deadlines =
    category && category.id !== ticket.categoryId
      ? await categoryDeadlines(app, category, ticket.status, ticket.cycleStartedAt.getTime())
      : undefined;
  const { category: _named, ...fields } = patch;
  await updateTicketDetails(app.db, ticket.id, { ...fields, ...(category && { categoryId: category.id }), ...(deadlines && { deadlines }) }, nowMs);
  await insertTicketEvent(app.db, {
    ticketId: ticket.id,
    atMs: nowMs,
    kind: 'details',
    userId: actor.userId,
    actor: actor.name,
    details: { changed: patch, before: before(ticket, patch) },
  });
  const updated = await loadTicket(app, ticket.id);
  await publishTicketChange(app, updated, 'details', nowMs);
  const current = category ?? (await findTicketCategory(app.db, updated.categoryId));
  if (!current) return { ticket: updated, duplicates: [] };
  const duplicates = await offerDuplicates(app, current, {
    id: updated.id,
    lat: updated.lat,
    lon: updated.lon,
    registeredAtMs: updated.registeredAt.getTime(),
  });
  return { ticket: updated, duplicates };
}

function before(ticket: TicketRecord, patch: DetailsPatch): Record<string, unknown> {
  const old: Record<string, unknown> = {};
  if (patch.category !== undefined) old.category = ticket.categoryCode;
  if (patch.priority !== undefined) old.priority = ticket.priority;
  if (patch.description !== undefined) old.description = ticket.description;
  if (patch.lat !== undefined) Object.assign(old, { lat: ticket.lat, lon: ticket.lon });
  if (patch.address !== undefined) old.address = ticket.address;
  return old;
}
