import type { FastifyInstance } from 'fastify';
import {
  categoryPath,
  findPlanFor,
  findTicketCategory,
  insertTicket,
  insertTicketEvent,
  insertTicketReporter,
  listDuplicateCandidates,
  nextTicketSequence,
  openTicketPlan,
  type TicketChannel,
  type TicketPlanStep,
  type TicketPriority,
  type TicketRecord,
} from '@urbanlink/db';
import { formatTicketNumber, ticketDay } from '../../tickets/numbering.ts';
import { findDuplicates, type DuplicateOffer } from '../../tickets/duplicates.ts';
import { boundingBox } from '../../tickets/geo.ts';
import { HttpError } from '../../plugins/errors.ts';
import { categoryDeadlines, loadTicket } from './workflow.ts';
import { publishTicketChange } from './notify.ts';
import type { Actor } from './actor.ts';

export interface TicketIntake {
  /** Category code, or its numeric id. */
  category: string | number;
  channel: TicketChannel;
  priority?: TicketPriority;
  description: string;
  /** Null for a message that came without a place (SMS, e-mail); an agent places it later. */
  lat: number | null;
  lon: number | null;
  address?: string | null;
  reporterName?: string | null;
  reporterPhone?: string | null;
  reporterEmail?: string | null;
  externalRef?: string | null;
}

export interface Registration {
  ticket: TicketRecord;
  /** Open tickets of the same category nearby and recent, offered for merging. */
  duplicates: DuplicateOffer[];
  /** The contingency plan opened for a major ticket, if one matches. */
  planSteps: TicketPlanStep[];
}

export async function resolveCategory(app: FastifyInstance, category: string | number) {
  const key = typeof category === 'number' || /^\d+$/.test(category) ? Number(category) : category;
  const found = await findTicketCategory(app.db, key);
  if (!found || !found.active) throw new HttpError(400, `unknown ticket category '${category}' / 未知的工单类别`);
  return found;
}

/**
 * Registers a complaint (受理) from any channel: numbers it, sets its deadlines from the category, records
 * the reporter and the first timeline entry, offers duplicates, and opens the plan of a major incident.
 */
export async function registerTicket(app: FastifyInstance, intake: TicketIntake, actor: Actor): Promise<Registration> {
  const category = await resolveCategory(app, intake.category);
  const nowMs = app.ticketSettings.now();
  const deadlines = await categoryDeadlines(app, category, 'registered', nowMs);
  const priority = intake.priority ?? 'normal';
  const id = await app.db.transaction(async (tx) => {
    const day = ticketDay(nowMs, app.ticketSettings.numberTimeZone);
    const number = formatTicketNumber(day, await nextTicketSequence(tx, day));
    const ticketId = await insertTicket(tx, {
      number,
      channel: intake.channel,
      categoryId: category.id,
      priority,
      description: intake.description,
      lat: intake.lat,
      lon: intake.lon,
      address: intake.address ?? null,
      reporterName: intake.reporterName ?? null,
      reporterPhone: intake.reporterPhone ?? null,
      reporterEmail: intake.reporterEmail ?? null,
      registeredBy: actor.userId,
      externalRef: intake.externalRef ?? null,
      registeredAtMs: nowMs,
      deadlines,
    });
    if (intake.reporterName || intake.reporterPhone || intake.reporterEmail) {
      await insertTicketReporter(tx, {
        ticketId,
        name: intake.reporterName ?? null,
        phone: intake.reporterPhone ?? null,
        email: intake.reporterEmail ?? null,
        channel: intake.channel,
        atMs: nowMs,
      });
    }
    await insertTicketEvent(tx, {
      ticketId,
      atMs: nowMs,
      kind: 'registered',
      toStatus: 'registered',
      userId: actor.userId,
      actor: actor.name,
      details: { channel: intake.channel, priority },
    });
    return ticketId;
  });
  const duplicates = await offerDuplicates(app, category, { id, lat: intake.lat, lon: intake.lon, registeredAtMs: nowMs });
  const planSteps = priority === 'major' ? await openPlan(app, id, category.id, priority, actor, nowMs) : [];
  const ticket = await loadTicket(app, id);
  await publishTicketChange(app, ticket, 'registered', nowMs);
  return { ticket, duplicates, planSteps };
}

async function openPlan(
  app: FastifyInstance,
  ticketId: number,
  categoryId: number,
  priority: TicketPriority,
  actor: Actor,
  nowMs: number,
): Promise<TicketPlanStep[]> {
  const plan = await findPlanFor(app.db, await categoryPath(app.db, categoryId), priority);
  if (!plan) return [];
  const steps = await openTicketPlan(app.db, ticketId, plan);
  await insertTicketEvent(app.db, {
    ticketId,
    atMs: nowMs,
    kind: 'plan_opened',
    userId: actor.userId,
    actor: actor.name,
    note: plan.name,
    details: { planId: plan.id, alertUnitIds: plan.alertUnitIds, steps: steps.length },
  });
  return steps;
}

/** Open tickets of the same category within the category's radius and period, nearest first. */
export async function offerDuplicates(
  app: FastifyInstance,
  category: { id: number; duplicateRadiusM: number; duplicatePeriodHours: number },
  ticket: { id: number; lat: number | null; lon: number | null; registeredAtMs: number },
): Promise<DuplicateOffer[]> {
  if (ticket.lat === null || ticket.lon === null) return [];
  const rule = { radiusMeters: category.duplicateRadiusM, periodHours: category.duplicatePeriodHours };
  const candidates = await listDuplicateCandidates(app.db, {
    categoryId: category.id,
    ...boundingBox(ticket.lat, ticket.lon, rule.radiusMeters),
    sinceMs: ticket.registeredAtMs - rule.periodHours * 3_600_000,
    excludeId: ticket.id,
  });
  return findDuplicates({ categoryId: category.id, lat: ticket.lat, lon: ticket.lon, registeredAtMs: ticket.registeredAtMs }, candidates, rule);
}
