import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  answerSurveyAssignment,
  assignSurveySample,
  findSurvey,
  findSurveyAssignment,
  insertSurvey,
  listSurveyAnswers,
  listSurveyAssignments,
  listSurveys,
} from '@urbanlink/db';
import { requireRole, userOf } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError } from '../../plugins/errors.ts';
import { IdParams } from '../../schemas/common.ts';
import { checkAnswers, summariseSurvey } from '../../tickets/survey-results.ts';
import { AnswerBody, AssignBody, AssignmentQuery, NewSurveyBody } from './schemas.ts';
import { requestTimeMs } from '../../schemas/request-time.ts';

const tags = ['surveys'];

/**
 * Surveys (调查): admins define questionnaires and draw a sample of citizens from closed tickets; agents
 * are notified (MQTT `urbanlink/v1/surveys/{id}`), work through the pending list, and store the answers,
 * which feed the survey's results.
 */
const surveys: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/surveys', { preHandler: requireRole('agent', 'auditor'), schema: { tags } }, async () => listSurveys(app.db));

  app.post('/api/surveys', { preHandler: requireRole(), schema: { tags, body: NewSurveyBody } }, async (request, reply) => {
    const b = request.body;
    const unusable = b.questions.filter((q) => (q.kind === 'choice') !== (q.options !== undefined)).map((q) => q.id);
    if (unusable.length > 0) throw new HttpError(400, `choice questions need options and only they have them: ${unusable.join(', ')}`);
    const survey = await insertSurvey(app.db, {
      title: b.title,
      description: b.description ?? null,
      questions: b.questions,
      categoryId: b.categoryId ?? null,
      sampleRate: b.sampleRate ?? 1,
      active: true,
      createdBy: userOf(request).id,
    });
    await audit(request, { action: 'survey.create', entityType: 'survey', entityId: survey.id, details: { title: b.title } });
    return reply.code(201).send(survey);
  });

  app.post('/api/surveys/:id/assign', { preHandler: requireRole(), schema: { tags, params: IdParams, body: AssignBody } }, async (request) => {
    const survey = await findSurvey(app.db, request.params.id);
    if (!survey) throw new HttpError(404, `survey ${request.params.id} not found`);
    const assigned = await assignSurveySample(app.db, survey.id, { fromMs: requestTimeMs(request.body.from, 'from'), toMs: requestTimeMs(request.body.to, 'to') });
    await audit(request, { action: 'survey.assign', entityType: 'survey', entityId: survey.id, details: { ...request.body, assigned: assigned.length } });
    if (assigned.length > 0) {
      app.ticketChanges.emit('notice', {
        type: 'survey', surveyId: survey.id, count: assigned.length, time: new Date(app.ticketSettings.now()).toISOString(),
        message: `调查「${survey.title}」有 ${assigned.length} 位市民待访 / survey '${survey.title}': ${assigned.length} citizens to call`,
      });
      await app.bus?.publish(`urbanlink/v1/surveys/${survey.id}`, { type: 'survey', surveyId: survey.id, title: survey.title, pending: assigned.length }).catch(() => {});
    }
    return { assigned: assigned.length, assignments: assigned };
  });

  app.get('/api/surveys/:id/assignments', { preHandler: requireRole('agent'), schema: { tags, params: IdParams, querystring: AssignmentQuery } }, async (request) =>
    listSurveyAssignments(app.db, { surveyId: request.params.id, status: request.query.status ?? null }),
  );

  app.post('/api/survey-assignments/:id/answer', { preHandler: requireRole('agent'), schema: { tags, params: IdParams, body: AnswerBody } }, async (request) => {
    const assignment = await findSurveyAssignment(app.db, request.params.id);
    if (!assignment) throw new HttpError(404, `survey assignment ${request.params.id} not found`);
    const survey = (await findSurvey(app.db, assignment.surveyId))!;
    const answers = request.body.status === 'answered' ? (request.body.answers ?? {}) : null;
    const problems = answers ? checkAnswers(survey.questions, answers) : [];
    if (problems.length > 0) throw new HttpError(400, problems.join('; '));
    const saved = await answerSurveyAssignment(app.db, assignment.id, { status: request.body.status, answers, by: userOf(request).id, atMs: app.ticketSettings.now() });
    if (!saved) throw new HttpError(409, `survey assignment ${assignment.id} is ${assignment.status} already`);
    await audit(request, { action: 'survey.answer', entityType: 'survey_assignment', entityId: saved.id, details: { status: saved.status } });
    return saved;
  });

  app.get('/api/surveys/:id/results', { preHandler: requireRole('agent', 'auditor'), schema: { tags, params: IdParams } }, async (request) => {
    const survey = await findSurvey(app.db, request.params.id);
    if (!survey) throw new HttpError(404, `survey ${request.params.id} not found`);
    return { survey: { id: survey.id, title: survey.title }, ...summariseSurvey(survey.questions, await listSurveyAnswers(app.db, survey.id)) };
  });
};

export default surveys;
