import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { findCampaign, findUnitById, listEvaluationSessions, listSubmissions } from '@urbanlink/db';
import { evaluationReport } from '../../evaluation/report.ts';
import { campaignResults } from '../../evaluation/results.ts';
import { HttpError } from '../../plugins/errors.ts';
import { scopeUnit, unitScope } from '../../plugins/scope.ts';
import { IdParams } from '../../schemas/common.ts';
import { renderReport } from '../../stats/html.ts';
import { statsReport } from '../../stats/report.ts';
import { resolveWindow } from '../../stats/window.ts';

const tags = ['reports'];

const ReportQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    unitId: Type.Optional(Type.Integer({ minimum: 1 })),
    tz: Type.Optional(Type.String({ maxLength: 64 })),
    token: Type.Optional(Type.String({ description: 'the Bearer token, for opening the report as a plain link to print' })),
  },
  { additionalProperties: false },
);
const TokenQuery = Type.Object({ token: Type.Optional(Type.String()) }, { additionalProperties: false });

/** Printable reports: self-contained HTML pages, opened in a browser tab and printed (or saved as PDF). */
const reports: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/reports/stats', { config: { tokenInQuery: true }, schema: { tags, querystring: ReportQuery, summary: 'The period\'s statistics as a printable page' } }, async (request, reply) => {
    const w = await resolveWindow(request, request.query);
    const unitId = request.query.unitId ?? scopeUnit(request);
    const scopeName = unitId === null ? 'All units 全部单位' : ((await findUnitById(app.db, unitId))?.name ?? `unit ${unitId}`);
    return reply.type('text/html; charset=utf-8').send(renderReport(await statsReport(app.db, w, scopeName)));
  });

  app.get('/api/reports/evaluation/:id', { config: { tokenInQuery: true }, schema: { tags, params: IdParams, querystring: TokenQuery, summary: 'The whole evaluation campaign as a printable page' } }, async (request, reply) => {
    const campaign = await findCampaign(app.db, request.params.id);
    if (!campaign) throw new HttpError(404, `campaign ${request.params.id} not found / 评议活动不存在`);
    const scope = await unitScope(request);
    const [results, sessions, submissions] = await Promise.all([
      campaignResults(app.db, campaign, app.ticketSettings.numberTimeZone, app.ticketSettings.now()),
      listEvaluationSessions(app.db, campaign.id),
      listSubmissions(app.db, campaign.id, scope === null ? null : campaign.unitIds.filter((id) => scope.includes(id))),
    ]);
    return reply.type('text/html; charset=utf-8').send(renderReport(evaluationReport(campaign, results, sessions, submissions)));
  });
};

export default reports;
