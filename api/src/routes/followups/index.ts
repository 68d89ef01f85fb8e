import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  cancelDueFollowups,
  completeFollowup,
  deleteFollowupRule,
  findFollowup,
  findTicketById,
  insertFollowupRule,
  insertTicketEvent,
  listDueFollowups,
  listFollowupRules,
} from '@urbanlink/db';
import { requireRole } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError } from '../../plugins/errors.ts';
import { IdParams } from '../../schemas/common.ts';
import { actorOf, systemActor } from '../tickets/actor.ts';
import { publishTicketChange } from '../tickets/notify.ts';
import { applyStep } from '../tickets/workflow.ts';
import { DueQuery, NewRuleBody, ResultBody } from './schemas.ts';
import { requestTimeMs } from '../../schemas/request-time.ts';

const tags = ['follow-ups'];

/**
 * Follow-up visits (回访): the rules that plan them, the agents' queue of due visits, and their results. A
 * dissatisfied citizen reopens the ticket, counted as rework, and the visits still planned are cancelled.
 */
const followups: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/followup-rules', { preHandler: requireRole('agent', 'dispatcher', 'auditor'), schema: { tags } }, async () => listFollowupRules(app.db));

  app.post('/api/followup-rules', { preHandler: requireRole(), schema: { tags, body: NewRuleBody } }, async (request, reply) => {
    const b = request.body;
    const rule = await insertFollowupRule(app.db, {
      categoryId: b.categoryId ?? null,
      channel: b.channel ?? null,
      result: b.result ?? null,
      count: b.count,
      intervalHours: b.intervalHours,
      method: b.method,
      enabled: b.enabled ?? true,
    });
    await audit(request, { action: 'followup_rule.create', entityType: 'followup_rule', entityId: rule.id, details: b });
    return reply.code(201).send(rule);
  });

  app.delete('/api/followup-rules/:id', { preHandler: requireRole(), schema: { tags, params: IdParams } }, async (request, reply) => {
    if (!(await deleteFollowupRule(app.db, request.params.id))) throw new HttpError(404, `follow-up rule ${request.params.id} not found`);
    await audit(request, { action: 'followup_rule.delete', entityType: 'followup_rule', entityId: request.params.id });
    return reply.code(204).send();
  });

  app.get('/api/followups/due', { preHandler: requireRole('agent'), schema: { tags, querystring: DueQuery } }, async (request) => {
    const at = request.query.at ? requestTimeMs(request.query.at, 'at') : app.ticketSettings.now();
    return listDueFollowups(app.db, at, request.query.limit ?? 100);
  });

  // Plans follow-ups for every closure not yet planned now, instead of at the scheduler's next pass.
  app.post('/api/followups/plan', { preHandler: requireRole(), schema: { tags } }, async () => app.followupScheduler.tick());

  app.post('/api/followups/:id/result', { preHandler: requireRole('agent'), schema: { tags, params: IdParams, body: ResultBody } }, async (request) => {
    const followup = await findFollowup(app.db, request.params.id);
    if (!followup) throw new HttpError(404, `follow-up ${request.params.id} not found / 回访不存在`);
    const actor = actorOf(request);
    const nowMs = app.ticketSettings.now();
    const { result, note } = request.body;
    if (!(await completeFollowup(app.db, followup.id, { result, note: note ?? null, doneBy: actor.userId!, atMs: nowMs }))) {
      throw new HttpError(409, `follow-up ${followup.id} is ${followup.status} already / 回访已处理`);
    }
    await insertTicketEvent(app.db, {
      ticketId: followup.ticketId, atMs: nowMs, kind: 'followup', userId: actor.userId, actor: actor.name, note: note ?? null,
      details: { followupId: followup.id, sequence: followup.sequence, result },
    });
    await audit(request, { action: 'followup.result', entityType: 'followup', entityId: followup.id, details: request.body });
    const ticket = await findTicketById(app.db, followup.ticketId);
    if (result === 'dissatisfied' && ticket?.status === 'closed') {
      await cancelDueFollowups(app.db, ticket.id);
      const reopened = await applyStep(app, ticket.id, 'reopened', systemActor(actor.name), {
        reopen: { rework: true },
        note: 'citizen dissatisfied at follow-up / 回访不满意，重办',
        details: { followupId: followup.id },
      });
      return { ...(await findFollowup(app.db, followup.id)), ticketStatus: reopened.status, rework: reopened.reworkCount };
    }
    if (ticket) await publishTicketChange(app, ticket, 'followup', nowMs);
    return { ...(await findFollowup(app.db, followup.id)), ticketStatus: ticket?.status ?? null };
  });
};

export default followups;
