import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

describe('surveys and contingency plans through the API', () => {
  let t: TestApp;
  let agent: string;
  let unitId: number;
  let categoryId: number;
  const api = (method: 'GET' | 'POST', url: string, payload?: object, token = t.adminToken) =>
    t.app.inject({ method, url, payload, headers: bearer(token) });

  async function closedTicket(phone: string): Promise<number> {
    const id = (await api('POST', '/api/tickets', { category: 'parking', description: '违停', lat: 22.5, lon: 114, channel: 'phone', reporterPhone: phone })).json().id;
    await api('POST', `/api/tickets/${id}/transition`, { to: 'accepted' });
    await api('POST', `/api/tickets/${id}/dispatch`, { unitId });
    for (const to of ['handled', 'verified', 'closed']) await api('POST', `/api/tickets/${id}/transition`, { to });
    return id;
  }

  beforeAll(async () => {
    t = await buildTestApp({ config: { tickets: { followupSchedulerSeconds: 0 } } });
    unitId = (await api('POST', '/api/units', { name: '六中队', kind: 'squad' })).json().id;
    await api('POST', '/api/users', { username: 'agent6', password: 'agent-password-6', role: 'agent', unitId });
    agent = await login(t.app, 'agent6', 'agent-password-6');
    categoryId = (await api('POST', '/api/categories', { code: 'parking', name: '违章停车' })).json().id;
  });
  afterAll(async () => t?.close());

  it('samples closed tickets, stores checked answers once, and sums them up', async () => {
    const ids = [await closedTicket('13100000001'), await closedTicket('13100000002')];
    await api('POST', '/api/tickets', { category: 'parking', description: 'open', lat: 22.5, lon: 114, channel: 'phone', reporterPhone: '13100000003' });
    const bad = await api('POST', '/api/surveys', { title: 'x', questions: [{ id: 'q', text: 'q', kind: 'choice' }] });
    expect(bad.statusCode).toBe(400);
    const survey = (await api('POST', '/api/surveys', {
      title: '执法满意度调查', categoryId,
      questions: [
        { id: 'attitude', text: '执法人员态度', kind: 'choice', options: ['好', '一般', '差'] },
        { id: 'score', text: '总体评分', kind: 'score' },
        { id: 'advice', text: '建议', kind: 'text' },
      ],
    })).json();
    const window = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };
    const notices: { type: string; surveyId?: number; count: number }[] = [];
    t.app.ticketChanges.on('notice', (notice) => notices.push(notice));
    const drawn = (await api('POST', `/api/surveys/${survey.id}/assign`, window)).json();
    expect(drawn.assigned).toBe(2);
    expect(notices).toMatchObject([{ type: 'survey', surveyId: survey.id, count: 2 }]);
    expect(drawn.assignments.map((a: { ticketId: number }) => a.ticketId).sort()).toEqual(ids.sort());
    expect((await api('POST', `/api/surveys/${survey.id}/assign`, window)).json().assigned).toBe(0);
    const pending = (await api('GET', `/api/surveys/${survey.id}/assignments?status=pending`, undefined, agent)).json();
    expect(pending).toHaveLength(2);
    const wrong = await api('POST', `/api/survey-assignments/${pending[0].id}/answer`, { status: 'answered', answers: { attitude: '很好', other: 1 } }, agent);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toContain("'other' is not a question");
    const ok = await api('POST', `/api/survey-assignments/${pending[0].id}/answer`, { status: 'answered', answers: { attitude: '好', score: 9, advice: '继续保持' } }, agent);
    expect(ok.json()).toMatchObject({ status: 'answered', answers: { attitude: '好', score: 9 } });
    expect((await api('POST', `/api/survey-assignments/${pending[0].id}/answer`, { status: 'declined' }, agent)).statusCode).toBe(409);
    await api('POST', `/api/survey-assignments/${pending[1].id}/answer`, { status: 'declined' }, agent);
    const results = (await api('GET', `/api/surveys/${survey.id}/results`, undefined, agent)).json();
    expect(results).toMatchObject({
      assigned: 2, answered: 1, declined: 1, responseRate: 0.5,
      questions: { attitude: { answers: 1, counts: { 好: 1, 一般: 0, 差: 0 } }, score: { answers: 1, mean: 9 }, advice: { answers: 1 } },
    });
  });

  it('opens a plan on request, once, with the units to alert in the timeline', async () => {
    const plan = (await api('POST', '/api/plans', { name: '大面积违停预案', categoryId, alertUnitIds: [unitId], steps: [{ title: '调派拖车' }, { title: '通知交警', unitId }] })).json();
    const id = (await api('POST', '/api/tickets', { category: 'parking', description: '大面积违停', lat: 22.5, lon: 114, channel: 'patrol' })).json().id;
    const opened = await api('POST', `/api/tickets/${id}/plan`, {});
    expect(opened.statusCode).toBe(201);
    expect(opened.json().map((s: { position: number; title: string }) => [s.position, s.title])).toEqual([[1, '调派拖车'], [2, '通知交警']]);
    expect((await api('POST', `/api/tickets/${id}/plan`, { planId: plan.id })).statusCode).toBe(409);
    await api('POST', `/api/tickets/${id}/plan/steps/2/done`, {});
    const steps = (await api('GET', `/api/tickets/${id}/plan`)).json();
    expect(steps.map((s: { doneAt: string | null }) => s.doneAt !== null)).toEqual([false, true]);
    const timeline = (await api('GET', `/api/tickets/${id}`)).json().timeline;
    expect(timeline[1]).toMatchObject({ kind: 'plan_opened', note: '大面积违停预案', details: { alertUnitIds: [unitId] } });
  });
});
