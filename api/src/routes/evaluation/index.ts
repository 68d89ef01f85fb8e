import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  EVALUATION_STAGES,
  findCampaign,
  findEvaluationSession,
  finaliseEvaluationSession,
  insertCampaign,
  insertEvaluationSession,
  insertRaters,
  insertSubmission,
  listCampaigns,
  listEvaluationSessions,
  listMeasureTickets,
  listStageReminders,
  listSubmissions,
  unitSubtreeIds,
  updateCampaignSettings,
  upsertScores,
  type Campaign,
} from '@urbanlink/db';
import { DEFAULT_FORMULA } from '../../evaluation/formula.ts';
import { campaignResults, yearWindow } from '../../evaluation/results.ts';
import { checkSession } from '../../evaluation/sessions.ts';
import { requireRole, userOf } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError } from '../../plugins/errors.ts';
import { canSeeUnit, unitScope } from '../../plugins/scope.ts';
import { IdParams } from '../../schemas/common.ts';
import { AtQuery, CampaignPatchBody, NewCampaignBody, RatersBody, ScoresBody, SessionBody, SubmissionBody, TraceQuery, UnitParams } from './schemas.ts';
import { requestTimeMs } from '../../schemas/request-time.ts';

const tags = ['evaluation'];

/**
 * A unit outside the caller's subtree is answered as if it did not exist, as everywhere else in the API
 * (plugins/scope.ts), so unit ids cannot be probed; it is checked before campaign membership, which would
 * otherwise tell which units a campaign covers.
 */
function unitNotFound(unitId: number): HttpError {
  return new HttpError(404, `unit ${unitId} not found / 单位不存在`);
}

/**
 * The yearly enforcement evaluation (执法评议): campaigns with staged deadlines and ledgers, public evaluation
 * sessions, and the ranking (30 % work performance from the tickets, 70 % public evaluation). Leaders
 * (admin, auditor) run campaigns and sessions; units file their own ledgers.
 */
const evaluation: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.ticketSettings.now();

  async function campaignOr404(id: number): Promise<Campaign> {
    const campaign = await findCampaign(app.db, id);
    if (!campaign) throw new HttpError(404, `campaign ${id} not found / 评议活动不存在`);
    return campaign;
  }
  async function openSession(id: number) {
    const session = await findEvaluationSession(app.db, id);
    if (!session) throw new HttpError(404, `session ${id} not found / 评议会不存在`);
    if (session.finalisedAt) throw new HttpError(409, `session ${id} is final; its raters and scores can no longer change / 评议会已定稿，不能再修改`);
    return session;
  }
  async function visibleCampaignUnits(request: FastifyRequest, campaign: Campaign): Promise<number[] | null> {
    const scope = await unitScope(request);
    return scope === null ? null : campaign.unitIds.filter((id) => scope.includes(id));
  }

  app.post('/api/evaluation/campaigns', { preHandler: requireRole('auditor'), schema: { tags, body: NewCampaignBody } }, async (request, reply) => {
    const b = request.body;
    const stages = EVALUATION_STAGES.map((stage) => ({ stage, startsAtMs: requestTimeMs(b.stages[stage].startsAt, `stages.${stage}.startsAt`), dueAtMs: requestTimeMs(b.stages[stage].dueAt, `stages.${stage}.dueAt`) }));
    const wrong = stages.find((s) => s.dueAtMs <= s.startsAtMs);
    if (wrong) throw new HttpError(400, `stage ${wrong.stage} must end after it starts / 阶段截止时间须晚于开始时间`, `stages.${wrong.stage}`);
    const campaign = await insertCampaign(app.db, {
      year: b.year, title: b.title, formula: b.formula ?? DEFAULT_FORMULA, commendCount: b.commendCount ?? 3,
      superviseCount: b.superviseCount ?? 1, remindDays: b.remindDays ?? 7, createdBy: userOf(request).id, stages, unitIds: b.unitIds,
    });
    await audit(request, { action: 'evaluation_campaign.create', entityType: 'evaluation_campaign', entityId: campaign.id, details: b });
    return reply.code(201).send(campaign);
  });

  app.get('/api/evaluation/campaigns', { schema: { tags } }, async () => listCampaigns(app.db));

  app.get('/api/evaluation/campaigns/:id', { schema: { tags, params: IdParams } }, async (request) => campaignOr404(request.params.id));

  app.patch('/api/evaluation/campaigns/:id', { preHandler: requireRole('auditor'), schema: { tags, params: IdParams, body: CampaignPatchBody } }, async (request) => {
    if (!(await updateCampaignSettings(app.db, request.params.id, request.body))) throw new HttpError(404, `campaign ${request.params.id} not found / 评议活动不存在`);
    await audit(request, { action: 'evaluation_campaign.update', entityType: 'evaluation_campaign', entityId: request.params.id, details: request.body });
    return campaignOr404(request.params.id);
  });

  // The ledgers (台账): a unit files for itself (or a leader for it); each sees the units within its own.
  app.post('/api/evaluation/campaigns/:id/submissions', { schema: { tags, params: IdParams, body: SubmissionBody } }, async (request, reply) => {
    const campaign = await campaignOr404(request.params.id);
    const b = request.body;
    if (!(await canSeeUnit(request, b.unitId))) throw unitNotFound(b.unitId);
    if (!campaign.unitIds.includes(b.unitId)) throw new HttpError(409, `unit ${b.unitId} is not under evaluation in this campaign / 该单位不在本次评议范围内`);
    const submission = await insertSubmission(app.db, { campaignId: campaign.id, unitId: b.unitId, stage: b.stage, kind: b.kind, title: b.title, content: b.content, submittedBy: userOf(request).id, submittedAtMs: now() });
    await audit(request, { action: 'evaluation_submission.create', entityType: 'evaluation_submission', entityId: submission.id, details: { campaignId: campaign.id, unitId: b.unitId, stage: b.stage, kind: b.kind, title: b.title } });
    return reply.code(201).send(submission);
  });

  app.get('/api/evaluation/campaigns/:id/submissions', { schema: { tags, params: IdParams } }, async (request) => {
    const campaign = await campaignOr404(request.params.id);
    return listSubmissions(app.db, campaign.id, await visibleCampaignUnits(request, campaign));
  });

  app.get('/api/evaluation/campaigns/:id/reminders', { schema: { tags, params: IdParams, querystring: AtQuery, summary: 'Units yet to file for a stage whose deadline is near' } }, async (request) => {
    const campaign = await campaignOr404(request.params.id);
    const atMs = request.query.at ? requestTimeMs(request.query.at, 'at') : now();
    const visible = await visibleCampaignUnits(request, campaign);
    const reminders = await listStageReminders(app.db, campaign.id, atMs);
    return visible === null ? reminders : reminders.filter((r) => visible.includes(r.unitId));
  });

  app.post('/api/evaluation/campaigns/:id/sessions', { preHandler: requireRole('auditor'), schema: { tags, params: IdParams, body: SessionBody } }, async (request, reply) => {
    const campaign = await campaignOr404(request.params.id);
    const session = await insertEvaluationSession(app.db, campaign.id, request.body.title, requestTimeMs(request.body.heldAt, 'heldAt'));
    await audit(request, { action: 'evaluation_session.create', entityType: 'evaluation_session', entityId: session.id, details: request.body });
    return reply.code(201).send(session);
  });

  app.get('/api/evaluation/campaigns/:id/sessions', { schema: { tags, params: IdParams } }, async (request) => {
    const sessions = await listEvaluationSessions(app.db, (await campaignOr404(request.params.id)).id);
    return sessions.map((s) => ({ ...s, check: checkSession(s.composition) }));
  });

  app.post('/api/evaluation/sessions/:id/raters', { preHandler: requireRole('auditor'), schema: { tags, params: IdParams, body: RatersBody } }, async (request, reply) => {
    const session = await openSession(request.params.id);
    const raters = await insertRaters(app.db, session.id, request.body.raters.map((r) => ({ name: r.name, kind: r.kind, organisation: r.organisation ?? null })));
    await audit(request, { action: 'evaluation_session.raters', entityType: 'evaluation_session', entityId: session.id, details: { added: raters.length } });
    return reply.code(201).send(raters);
  });

  app.post('/api/evaluation/sessions/:id/scores', { preHandler: requireRole('auditor'), schema: { tags, params: IdParams, body: ScoresBody } }, async (request) => {
    const session = await openSession(request.params.id);
    const campaign = await campaignOr404(session.campaignId);
    const foreign = request.body.scores.find((s) => !campaign.unitIds.includes(s.unitId));
    if (foreign) throw new HttpError(409, `unit ${foreign.unitId} is not under evaluation in this campaign / 该单位不在本次评议范围内`);
    const stored = await upsertScores(app.db, session.id, request.body.scores.map((s) => ({ ...s, answers: s.answers ?? {} })));
    if (stored !== request.body.scores.length) throw new HttpError(409, `only ${stored} of ${request.body.scores.length} scores are from raters of this session / 部分评分人不属于本评议会`);
    await audit(request, { action: 'evaluation_session.scores', entityType: 'evaluation_session', entityId: session.id, details: { stored } });
    return { stored };
  });

  app.post('/api/evaluation/sessions/:id/finalise', { preHandler: requireRole('auditor'), schema: { tags, params: IdParams, summary: 'Make a session count; refused below 50 raters or 70 % public' } }, async (request) => {
    const session = await openSession(request.params.id);
    const check = checkSession(session.composition);
    if (!check.ok) throw new HttpError(409, check.reason);
    if (!(await finaliseEvaluationSession(app.db, session.id, now()))) throw new HttpError(409, `session ${session.id} is final already / 评议会已定稿`);
    await audit(request, { action: 'evaluation_session.finalise', entityType: 'evaluation_session', entityId: session.id, details: { raters: check.raters, publicShare: check.publicShare } });
    return { ...(await findEvaluationSession(app.db, session.id)), check };
  });

  app.get('/api/evaluation/campaigns/:id/results', { schema: { tags, params: IdParams, summary: 'Scores and ranking, with the formula and every count behind them' } }, async (request) =>
    campaignResults(app.db, await campaignOr404(request.params.id), app.ticketSettings.numberTimeZone, now()),
  );

  app.get('/api/evaluation/campaigns/:id/units/:unitId/tickets', { schema: { tags, params: UnitParams, querystring: TraceQuery, summary: 'The tickets behind a unit\'s work-performance counts' } }, async (request) => {
    const campaign = await campaignOr404(request.params.id);
    if (!(await canSeeUnit(request, request.params.unitId))) throw unitNotFound(request.params.unitId);
    if (!campaign.unitIds.includes(request.params.unitId)) throw new HttpError(404, `unit ${request.params.unitId} is not under evaluation in this campaign / 该单位不在本次评议范围内`);
    const w = yearWindow(campaign.year, app.ticketSettings.numberTimeZone, now());
    const unitIds = await unitSubtreeIds(app.db, request.params.unitId);
    return { measure: request.query.measure, tickets: await listMeasureTickets(app.db, { ...w, unitIds }, request.query.measure, request.query.limit ?? 1000) };
  });
};

export default evaluation;
