import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  completeTicketPlanStep,
  findTicketById,
  findTicketCategory,
  insertTicketArrival,
  insertTicketEvent,
  linkCallToTicket,
  listAttachments,
  listCallsOfTickets,
  listTicketArrivals,
  listTicketFollowups,
  listTicketPlanSteps,
  listTicketReplies,
  listTicketReporters,
  listTicketTimeline,
  listTickets,
  type TicketFilter,
  type TicketRecord,
} from '@urbanlink/db';
import { requireRole, userOf } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError } from '../../plugins/errors.ts';
import { scopeUnit } from '../../plugins/scope.ts';
import { IdParams } from '../../schemas/common.ts';
import { nextStates, type TicketState } from '../../tickets/states.ts';
import { assertCanSee, seesUnassigned } from './access.ts';
import { actorOf } from './actor.ts';
import { dispatchTicket } from './dispatch.ts';
import { mergeTicket } from './merge.ts';
import { publishTicketChange } from './notify.ts';
import { offerDuplicates, registerTicket } from './register.ts';
import { replyToCitizen } from './reply.ts';
import { DispatchBody, MergeBody, NewTicketBody, PlanStepBody, PlanStepParams, ReplyBody, TicketPatchBody, TicketQuery, TransitionBody } from './schemas.ts';
import { updateDetails } from './details.ts';
import { maskedEvent, masksReporter, ticketView } from './view.ts';
import ticketsLive from './live.ts';
import attachments from './attachments.ts';
import { applyStep, loadTicket, type StepOptions } from './workflow.ts';
import { requestTimeMs } from '../../schemas/request-time.ts';

const tags = ['tickets'];

/** Complaint tickets: intake by agents, the workflow, dispatch, merge, replies and contingency plans. */
const tickets: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(ticketsLive);
  await app.register(attachments);
  const view = (request: FastifyRequest, ticket: TicketRecord) =>
    ticketView(ticket, { mask: masksReporter(userOf(request).role), nowMs: app.ticketSettings.now() });

  app.post(
    '/api/tickets',
    { preHandler: requireRole('agent', 'dispatcher'), schema: { tags, body: NewTicketBody } },
    async (request, reply) => {
      const registration = await registerTicket(app, request.body, actorOf(request));
      if (request.body.callId) await linkCallToTicket(app.db, request.body.callId, registration.ticket.id);
      await audit(request, { action: 'ticket.create', entityType: 'ticket', entityId: registration.ticket.id, details: { number: registration.ticket.number } });
      return reply.code(201).send({ ...view(request, registration.ticket), duplicates: registration.duplicates, planSteps: registration.planSteps });
    },
  );

  app.get('/api/tickets', { schema: { tags, querystring: TicketQuery } }, async (request) => {
    const q = request.query;
    if (q.phone && masksReporter(userOf(request).role)) throw new HttpError(403, 'your role may not look tickets up by the caller\'s phone number');
    const filter: TicketFilter = {
      withinUnit: scopeUnit(request),
      includeUnassigned: seesUnassigned(request),
      statuses: q.status ? q.status.split(',').map((s) => s.trim()) : null,
      channel: q.channel ?? null,
      reporterPhone: q.phone ?? null,
      registeredFromMs: q.from ? requestTimeMs(q.from, 'from') : null,
      registeredToMs: q.to ? requestTimeMs(q.to, 'to') : null,
      overdueAtMs: q.overdue ? app.ticketSettings.now() : null,
      limit: q.limit ?? 100,
      offset: q.offset ?? 0,
    };
    if (q.category) {
      const category = await findTicketCategory(app.db, /^\d+$/.test(q.category) ? Number(q.category) : q.category);
      filter.categoryIds = category ? [category.id] : [-1];
    }
    return (await listTickets(app.db, filter)).map((ticket) => view(request, ticket));
  });

  app.patch('/api/tickets/:id', { preHandler: requireRole('agent', 'dispatcher'), schema: { tags, params: IdParams, body: TicketPatchBody } }, async (request) => {
    await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    const { ticket, duplicates } = await updateDetails(app, request.params.id, request.body, actorOf(request));
    await audit(request, { action: 'ticket.update', entityType: 'ticket', entityId: ticket.id, details: request.body });
    return { ...view(request, ticket), duplicates };
  });

  app.get('/api/tickets/overdue', { schema: { tags } }, async (request) => {
    const rows = await listTickets(app.db, {
      withinUnit: scopeUnit(request),
      includeUnassigned: seesUnassigned(request),
      overdueAtMs: app.ticketSettings.now(),
      limit: 1000,
    });
    return rows.map((ticket) => view(request, ticket));
  });

  app.get('/api/tickets/:id', { schema: { tags, params: IdParams } }, async (request) => {
    const ticket = await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    const mask = masksReporter(userOf(request).role);
    const [timeline, reporters, arrivals, replies, planSteps, attachments, followups, calls] = await Promise.all([
      listTicketTimeline(app.db, ticket.id),
      listTicketReporters(app.db, ticket.id),
      listTicketArrivals(app.db, ticket.id),
      listTicketReplies(app.db, [ticket.id]),
      listTicketPlanSteps(app.db, ticket.id),
      listAttachments(app.db, ticket.id),
      listTicketFollowups(app.db, [ticket.id]),
      listCallsOfTickets(app.db, [ticket.id]),
    ]);
    return {
      ...view(request, ticket),
      nextStates: nextStates(ticket.status, userOf(request).role),
      timeline: mask ? timeline.map(maskedEvent) : timeline,
      reporters: mask ? reporters.map((r) => ({ ...r, name: null, phone: null, email: null, masked: true })) : reporters,
      arrivals,
      replies: mask ? replies.map((r) => ({ ...r, recipient: null })) : replies,
      planSteps,
      attachments,
      followups: followups.map(({ reporterPhone, reporterEmail, ...rest }) => (mask ? rest : { ...rest, reporterPhone, reporterEmail })),
      calls: mask ? [] : calls,
    };
  });

  app.get('/api/tickets/:id/duplicates', { schema: { tags, params: IdParams } }, async (request) => {
    const ticket = await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    const category = await findTicketCategory(app.db, ticket.categoryId);
    if (!category) return [];
    return offerDuplicates(app, category, { id: ticket.id, lat: ticket.lat, lon: ticket.lon, registeredAtMs: ticket.registeredAt.getTime() });
  });

  // The reporter of a ticket, unmasked for a unit member who needs to call them; every look is audited.
  app.get('/api/tickets/:id/reporter', { schema: { tags, params: IdParams } }, async (request) => {
    const ticket = await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    await audit(request, { action: 'ticket.reveal_reporter', entityType: 'ticket', entityId: ticket.id });
    return { name: ticket.reporterName, phone: ticket.reporterPhone, email: ticket.reporterEmail, reporters: await listTicketReporters(app.db, ticket.id) };
  });

  app.post('/api/tickets/:id/transition', { schema: { tags, params: IdParams, body: TransitionBody } }, async (request) => {
    const ticket = await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    const { to, note, result } = request.body;
    // Sending a returned ticket back to the unit it already had needs nothing the dispatch route asks for.
    if (to === 'dispatched' && ticket.unitId !== null && ticket.status !== 'dispatched') {
      const again = await dispatchTicket(app, ticket.id, { unitId: ticket.unitId, deviceId: ticket.deviceId, method: ticket.dispatchMethod ?? 'none', note: note ?? null }, actorOf(request));
      await audit(request, { action: 'ticket.dispatch', entityType: 'ticket', entityId: ticket.id, details: request.body });
      return view(request, again);
    }
    const updated = await applyStep(app, request.params.id, to as TicketState, actorOf(request), {
      note: note ?? null,
      ...(result !== undefined && { result }),
      ...(to === 'reopened' && { reopen: { rework: true } }),
      ...(to === 'arrived' && { within: manualArrival(userOf(request).id, app.ticketSettings.now()) }),
    });
    await audit(request, { action: `ticket.${to}`, entityType: 'ticket', entityId: updated.id, details: request.body });
    return view(request, updated);
  });

  app.post('/api/tickets/:id/dispatch', { preHandler: requireRole('dispatcher'), schema: { tags, params: IdParams, body: DispatchBody } }, async (request) => {
    await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    const updated = await dispatchTicket(app, request.params.id, request.body, actorOf(request));
    await audit(request, { action: 'ticket.dispatch', entityType: 'ticket', entityId: updated.id, details: request.body });
    return view(request, updated);
  });

  app.post('/api/tickets/:id/merge', { preHandler: requireRole('agent', 'dispatcher'), schema: { tags, params: IdParams, body: MergeBody } }, async (request) => {
    await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    const survivor = await mergeTicket(app, request.params.id, request.body.into, actorOf(request), request.body.note ?? null);
    await audit(request, { action: 'ticket.merge', entityType: 'ticket', entityId: request.params.id, details: request.body });
    return view(request, survivor);
  });

  app.post('/api/tickets/:id/reply', { preHandler: requireRole('agent', 'dispatcher'), schema: { tags, params: IdParams, body: ReplyBody } }, async (request) => {
    const ticket = await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    const saved = await replyToCitizen(app, ticket, request.body, actorOf(request));
    await audit(request, { action: 'ticket.reply', entityType: 'ticket', entityId: ticket.id, details: { method: saved.method, delivery: saved.delivery } });
    return saved;
  });

  app.post(
    '/api/tickets/:id/plan/steps/:position/done',
    { preHandler: requireRole('dispatcher'), schema: { tags, params: PlanStepParams, body: PlanStepBody } },
    async (request) => {
      const ticket = await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
      const actor = actorOf(request);
      const nowMs = app.ticketSettings.now();
      const step = await completeTicketPlanStep(app.db, ticket.id, request.params.position, { by: userOf(request).id, atMs: nowMs, note: request.body.note ?? null });
      if (!step) throw new HttpError(409, `plan step ${request.params.position} of ticket ${ticket.number} does not exist or is already done`);
      await insertTicketEvent(app.db, { ticketId: ticket.id, atMs: nowMs, kind: 'plan_step', userId: actor.userId, actor: actor.name, note: step.title, details: { position: step.position } });
      await audit(request, { action: 'ticket.plan_step', entityType: 'ticket', entityId: ticket.id, details: { position: step.position } });
      await publishTicketChange(app, await loadTicket(app, ticket.id), 'plan_step', nowMs);
      return step;
    },
  );
};

/** A unit member reporting arrival by hand: the arrival row says so, with no evidence positions. */
function manualArrival(userId: number, nowMs: number): StepOptions['within'] {
  return async (tx, ticket) => {
    await insertTicketArrival(tx, { ticketId: ticket.id, cycle: ticket.cycle, deviceId: ticket.deviceId, arrivedAtMs: nowMs, source: 'manual', evidence: [], reportedBy: userId });
  };
}

export default tickets;
