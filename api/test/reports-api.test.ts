import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from './helper.ts';

describe('printable reports', () => {
  let t: TestApp;
  const clock = Date.parse('2026-11-30T01:00:00Z');
  let unitId: number;
  let campaignId: number;

  const api = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: bearer(t.adminToken) });

  beforeAll(async () => {
    t = await buildTestApp({ config: { tickets: { now: () => clock, followupSchedulerSeconds: 0 } } });
    unitId = (await api('POST', '/api/units', { name: '<script>alert(1)</script>区局', kind: 'district' })).json().id;
    await api('POST', '/api/categories', { code: 'ads', name: '违规广告' });
    for (let i = 0; i < 3; i++) {
      const ticket = (await api('POST', '/api/tickets', { category: 'ads', description: '小广告', lat: 22.5, lon: 114, channel: 'web' })).json();
      await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'accepted' });
      await api('POST', `/api/tickets/${ticket.id}/dispatch`, { unitId });
    }
    const at = (days: number) => new Date(clock + days * 86_400_000).toISOString();
    campaignId = (await api('POST', '/api/evaluation/campaigns', {
      year: 2026, title: '年度评议', unitIds: [unitId],
      stages: { mobilise: { startsAt: at(-60), dueAt: at(-40) }, self_inspection: { startsAt: at(-40), dueAt: at(-20) }, supervised_evaluation: { startsAt: at(-20), dueAt: at(5) }, summary: { startsAt: at(5), dueAt: at(25) } },
    })).json().id;
    await api('POST', `/api/evaluation/campaigns/${campaignId}/submissions`, { unitId, stage: 'mobilise', kind: 'plan', title: '动员方案', content: '…' });
  });
  afterAll(async () => t?.close());

  it('prints the period’s statistics as one self-contained page, opened by a plain link with the token', async () => {
    const from = new Date(clock - 86_400_000).toISOString();
    const to = new Date(clock + 86_400_000).toISOString();
    expect((await t.app.inject({ method: 'GET', url: `/api/reports/stats?from=${from}&to=${to}` })).statusCode).toBe(401);
    const page = await t.app.inject({ method: 'GET', url: `/api/reports/stats?from=${from}&to=${to}&token=${t.adminToken}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Registered 受理 3 · due 应结案 0');
    expect(page.body).toContain('<td>ads</td><td>违规广告</td><td class="n">3</td>');
    expect(page.body).toContain('应结案数：统计期内登记');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;区局');
  });

  it('prints the whole evaluation campaign: stages, ledgers, sessions, formula and ranking', async () => {
    const page = await api('GET', `/api/reports/evaluation/${campaignId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('年度评议 执法评议报告');
    expect(page.body).toContain('<td>Mobilise and deploy 动员部署</td>');
    expect(page.body).toContain('<td>1 / 1</td>');
    expect(page.body).toContain('<td>动员方案</td>');
    expect(page.body).toContain('工作实绩 = Σ(权重 × 分项得分)');
    expect((await api('GET', '/api/reports/evaluation/999')).statusCode).toBe(404);
  });
});
