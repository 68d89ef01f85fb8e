import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { categoryPath, findPlan, findPlanFor, findTicketById, insertPlan, insertTicketEvent, listPlans, listTicketPlanSteps, openTicketPlan } from '@urbanlink/db';
import { requireRole } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError } from '../../plugins/errors.ts';
import { IdParams } from '../../schemas/common.ts';
import { assertCanSee } from '../tickets/access.ts';
import { actorOf } from '../tickets/actor.ts';
import { publishTicketChange } from '../tickets/notify.ts';
import { NewPlanBody, OpenPlanBody } from './schemas.ts';

const tags = ['plans'];

/**
 * Contingency plans (预案): templates of ordered steps and units to alert, per category and priority. A
 * major ticket opens its plan at registration; a dispatcher can open one on any ticket, and ticks steps
 * off through `POST /api/tickets/{id}/plan/steps/{position}/done`.
 */
const plans: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/plans', { preHandler: requireRole('dispatcher', 'agent', 'auditor'), schema: { tags } }, async () => listPlans(app.db));

  app.post('/api/plans', { preHandler: requireRole(), schema: { tags, body: NewPlanBody } }, async (request, reply) => {
    const b = request.body;
    const plan = await insertPlan(app.db, {
      name: b.name,
      categoryId: b.categoryId ?? null,
      priority: b.priority ?? null,
      alertUnitIds: b.alertUnitIds ?? [],
      steps: b.steps.map((s) => ({ title: s.title, unitId: s.unitId ?? null })),
      active: b.active ?? true,
    });
    await audit(request, { action: 'plan.create', entityType: 'plan', entityId: plan.id, details: b });
    return reply.code(201).send(plan);
  });

  app.get('/api/tickets/:id/plan', { schema: { tags, params: IdParams } }, async (request) => {
    const ticket = await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    return listTicketPlanSteps(app.db, ticket.id);
  });

  app.post('/api/tickets/:id/plan', { preHandler: requireRole('dispatcher'), schema: { tags, params: IdParams, body: OpenPlanBody } }, async (request, reply) => {
    const ticket = await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    const plan = request.body.planId
      ? await findPlan(app.db, request.body.planId)
      : await findPlanFor(app.db, await categoryPath(app.db, ticket.categoryId), ticket.priority);
    if (!plan) throw new HttpError(404, request.body.planId ? `plan ${request.body.planId} not found` : `no plan matches ticket ${ticket.number}`);
    const steps = await openTicketPlan(app.db, ticket.id, plan);
    if (steps.length === 0) throw new HttpError(409, `ticket ${ticket.number} already has a plan open / 已启动预案`);
    const actor = actorOf(request);
    const nowMs = app.ticketSettings.now();
    await insertTicketEvent(app.db, {
      ticketId: ticket.id, atMs: nowMs, kind: 'plan_opened', userId: actor.userId, actor: actor.name, note: plan.name,
      details: { planId: plan.id, alertUnitIds: plan.alertUnitIds, steps: steps.length },
    });
    await audit(request, { action: 'ticket.plan_open', entityType: 'ticket', entityId: ticket.id, details: { planId: plan.id } });
    await publishTicketChange(app, ticket, 'plan_opened', nowMs);
    return reply.code(201).send(steps);
  });
};

export default plans;
