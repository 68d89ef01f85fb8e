import type { FastifyInstance } from 'fastify';
import {
  calendarForCategory,
  changeTicket,
  findTicketById,
  findTicketCategory,
  insertTicketEvent,
  updateDevice,
  type SqlTransaction,
  type TicketCategory,
  type TicketChange as StoredChange,
  type TicketRecord,
  type TicketStatus,
} from '@urbanlink/db';
import { checkTransition, OWN_ROUTE, type TicketState } from '../../tickets/states.ts';
import { deadlinesFor, type StageLimits } from '../../tickets/deadlines.ts';
import type { WorkCalendar } from '../../tickets/working-time.ts';
import { HttpError } from '../../plugins/errors.ts';
import { publishTicketChange } from './notify.ts';
import type { Actor } from './actor.ts';

export async function loadTicket(app: FastifyInstance, id: number): Promise<TicketRecord> {
  const ticket = await findTicketById(app.db, id);
  if (!ticket) throw new HttpError(404, `ticket ${id} not found / 工单 ${id} 不存在`);
  return ticket;
}

export async function categoryDeadlines(
  app: FastifyInstance,
  category: TicketCategory | number,
  state: TicketState,
  cycleStartMs: number,
) {
  const found = typeof category === 'number' ? await findTicketCategory(app.db, category) : category;
  if (!found) throw new Error(`category ${String(category)} vanished`);
  const calendar: WorkCalendar = await calendarForCategory(app.db, found.id);
  return deadlinesFor(state, cycleStartMs, found.limits as StageLimits, calendar);
}

export interface StepOptions {
  note?: string | null;
  result?: string | null;
  dispatch?: StoredChange['dispatch'];
  mergedIntoId?: number;
  /** The arrival time shown by the evidence, when the step is taken later than it happened. */
  arrivedAtMs?: number;
  reopen?: { rework: boolean };
  /** The timeline entry's kind; 'transition' unless the step has its own (dispatch, arrival, merge). */
  kind?: string;
  details?: Record<string, unknown>;
  /** Bypasses "this step has its own route" for the routes that are that route. */
  viaOwnRoute?: boolean;
  /** More writes in the same transaction (a command, an arrival row); throwing rolls the step back. */
  within?: (tx: SqlTransaction, ticket: TicketRecord) => Promise<void>;
}

/** Why a step was refused, as the 409 says it. */
export function refuse(reason: string): HttpError {
  return new HttpError(409, reason);
}

/**
 * One workflow step: checks the state machine for the actor's role, recomputes the deadlines, writes the
 * step and its timeline entry in one transaction (refused when the ticket changed meanwhile), frees the
 * vehicle when the work is done, and publishes the change.
 */
export async function applyStep(
  app: FastifyInstance,
  ticketId: number,
  to: TicketState,
  actor: Actor,
  options: StepOptions = {},
): Promise<TicketRecord> {
  const ticket = await loadTicket(app, ticketId);
  if (!options.viaOwnRoute && OWN_ROUTE[to]) throw refuse(`moving a ticket to '${to}' goes through ${OWN_ROUTE[to]}`);
  const check = checkTransition(ticket.status, to, actor.role);
  if (!check.ok) throw refuse(check.reason);
  const nowMs = app.ticketSettings.now();
  const cycleStartMs = options.reopen ? nowMs : ticket.cycleStartedAt.getTime();
  const deadlines = await categoryDeadlines(app, ticket.categoryId, to, cycleStartMs);
  await app.db.transaction(async (tx) => {
    const change: StoredChange = { status: to as TicketStatus, atMs: nowMs, deadlines };
    if (options.dispatch) change.dispatch = options.dispatch;
    if (options.result !== undefined) change.result = options.result;
    if (options.mergedIntoId !== undefined) change.mergedIntoId = options.mergedIntoId;
    if (options.arrivedAtMs !== undefined) change.arrivedAtMs = options.arrivedAtMs;
    if (options.reopen) change.reopen = options.reopen;
    if (!(await changeTicket(tx, ticket.id, ticket.status, change))) {
      throw refuse(`ticket ${ticket.number} changed while this step was being taken; reload it and try again`);
    }
    await insertTicketEvent(tx, {
      ticketId: ticket.id,
      atMs: nowMs,
      kind: options.kind ?? 'transition',
      fromStatus: ticket.status,
      toStatus: to,
      userId: actor.userId,
      actor: actor.name,
      note: options.note ?? null,
      details: { ...(options.result !== undefined && { result: options.result }), ...options.details },
    });
    await options.within?.(tx, ticket);
  });
  const updated = await loadTicket(app, ticket.id);
  if (ticket.deviceId !== null && releasesVehicle(to)) await setVehicleStatus(app, ticket.deviceId, 'standby');
  if (to !== 'dispatched') app.arrivalWatch?.forget(ticket.id);
  await publishTicketChange(app, updated, options.kind ?? 'transition', nowMs);
  return updated;
}

/** The vehicle goes back to standby once its part is done or taken away from it. */
function releasesVehicle(to: TicketState): boolean {
  return to === 'handled' || to === 'returned' || to === 'merged' || to === 'closed' || to === 'verified';
}

/** Changes a vehicle's dispatch status and tells the live view (map colours, nearest-vehicle index). */
export async function setVehicleStatus(
  app: FastifyInstance,
  deviceId: number,
  status: 'standby' | 'on_task',
): Promise<void> {
  const device = await updateDevice(app.db, deviceId, { dispatchStatus: status });
  if (device) app.liveFeed.emit('device', { deviceId, device });
}
