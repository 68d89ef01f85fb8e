import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the yearly enforcement evaluation through the API', () => {
  let t: TestApp;
  let clock = Date.parse('2026-11-30T01:00:00Z');
  const units: Record<string, number> = {};
  const tickets: Record<string, number> = {};
  let campaignId: number;
  let memberToken: string;

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, token = t.adminToken) =>
    t.app.inject({ method, url, payload, headers: bearer(token) });
  const ok = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const response = await api(method, url, payload);
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const step = (id: number, to: string) => ok('POST', `/api/tickets/${id}/transition`, { to, ...(to === 'handled' && { result: 'resolved' }) });
  async function dispatched(unit: string): Promise<{ id: number; dueAt: string }> {
    const created = await ok('POST', '/api/tickets', { category: 'stalls', description: '占道经营', lat: 22.5, lon: 114.0, channel: 'phone' });
    await step(created.id, 'accepted');
    return ok('POST', `/api/tickets/${created.id}/dispatch`, { unitId: units[unit] });
  }
  const close = async (id: number) => {
    for (const to of ['handled', 'verified', 'closed']) await step(id, to);
  };
  const raters = (kind: string, n: number) => Array.from({ length: n }, (_, i) => ({ name: `${kind}-${i}`, kind }));
  const stage = (startDays: number, endDays: number) => ({ startsAt: new Date(clock + startDays * DAY).toISOString(), dueAt: new Date(clock + endDays * DAY).toISOString() });

  beforeAll(async () => {
    t = await buildTestApp({ config: { tickets: { now: () => clock, followupSchedulerSeconds: 0 } } });
    for (const [key, name] of [['a', '东区局'], ['b', '西区局'], ['c', '南区局']] as const) units[key] = (await ok('POST', '/api/units', { name, kind: 'district' })).id;
    await ok('POST', '/api/categories', { code: 'stalls', name: '占道经营', limits: { closed: 4 } });
    await ok('POST', '/api/users', { username: 'bmember', name: '西区队员', password: 'member-password', role: 'unit_member', unitId: units.b });
    memberToken = await login(t.app, 'bmember', 'member-password');
    // A closes in time; B closes after the deadline; C leaves its ticket open past the deadline.
    const a = await dispatched('a');
    const b = await dispatched('b');
    const c = await dispatched('c');
    Object.assign(tickets, { a: a.id, b: b.id, c: c.id });
    clock += HOUR;
    await close(a.id);
    clock = Date.parse(b.dueAt) + HOUR;
    await close(b.id);
  });
  afterAll(async () => t?.close());

  it('creates a campaign with four staged deadlines, keeps each unit’s ledger, and reminds units before a deadline', async () => {
    const created = await api('POST', '/api/evaluation/campaigns', {
      year: 2026, title: '2026 年度执法评议', unitIds: [units.a, units.b, units.c], commendCount: 1, superviseCount: 1,
      stages: { mobilise: stage(-30, 3), self_inspection: stage(3, 10), supervised_evaluation: stage(10, 20), summary: stage(20, 30) },
    });
    expect(created.statusCode).toBe(201);
    campaignId = created.json().id;
    expect(created.json().stages.map((s: { stage: string }) => s.stage)).toEqual(['mobilise', 'self_inspection', 'supervised_evaluation', 'summary']);

    const filed = await api('POST', `/api/evaluation/campaigns/${campaignId}/submissions`, { unitId: units.b, stage: 'mobilise', kind: 'plan', title: '工作方案', content: '西区局评议工作方案' }, memberToken);
    expect(filed.statusCode).toBe(201);
    const foreign = await api('POST', `/api/evaluation/campaigns/${campaignId}/submissions`, { unitId: units.a, stage: 'mobilise', kind: 'plan', title: '方案', content: 'x' }, memberToken);
    // A unit outside the member's subtree is answered as a missing one, whether or not the campaign covers it.
    expect(foreign.json()).toMatchObject({ statusCode: 404, message: `unit ${units.a} not found / 单位不存在` });
    const missing = await api('POST', `/api/evaluation/campaigns/${campaignId}/submissions`, { unitId: 999999, stage: 'mobilise', kind: 'plan', title: '方案', content: 'x' }, memberToken);
    expect(missing.json()).toMatchObject({ statusCode: 404, message: 'unit 999999 not found / 单位不存在' });
    expect((await api('GET', `/api/evaluation/campaigns/${campaignId}/submissions`, undefined, memberToken)).json()).toEqual([expect.objectContaining({ unitId: units.b, kind: 'plan' })]);

    // Three days before the mobilisation deadline: A and C have filed nothing for it; B has.
    const reminders = await ok('GET', `/api/evaluation/campaigns/${campaignId}/reminders`);
    expect(reminders.map((r: { stage: string; unitId: number }) => [r.stage, r.unitId])).toEqual([['mobilise', units.a], ['mobilise', units.c]]);
    const later = await ok('GET', `/api/evaluation/campaigns/${campaignId}/reminders?at=${new Date(clock + 5 * DAY).toISOString()}`);
    expect(later.map((r: { stage: string }) => r.stage)).toEqual(['self_inspection', 'self_inspection', 'self_inspection']);
  });

  it('refuses to finalise a session short of 50 raters or of 70 % citizens and managed parties, and says why', async () => {
    const session = (await ok('POST', `/api/evaluation/campaigns/${campaignId}/sessions`, { title: '第一次公开评议会', heldAt: new Date(clock).toISOString() })).id;
    const first = await ok('POST', `/api/evaluation/sessions/${session}/raters`, { raters: [...raters('citizen', 30), ...raters('managed_party', 5), ...raters('official', 14)] });
    const short = await api('POST', `/api/evaluation/sessions/${session}/finalise`);
    expect(short.statusCode).toBe(409);
    expect(short.json().message).toContain('49 raters; at least 50');

    const skewed = (await ok('POST', `/api/evaluation/campaigns/${campaignId}/sessions`, { title: '机关代表为主', heldAt: new Date(clock).toISOString() })).id;
    await ok('POST', `/api/evaluation/sessions/${skewed}/raters`, { raters: [...raters('citizen', 34), ...raters('supervisor', 16)] });
    const few = await api('POST', `/api/evaluation/sessions/${skewed}/finalise`);
    expect(few.statusCode).toBe(409);
    expect(few.json().message).toContain('34 of 50 raters (68 %)');

    const [official] = await ok('POST', `/api/evaluation/sessions/${session}/raters`, { raters: raters('official', 1) });
    const all = (await ok('GET', `/api/evaluation/campaigns/${campaignId}/sessions`)).find((s: { id: number }) => s.id === session);
    expect(all).toMatchObject({ raters: 50, composition: { citizen: 30, managed_party: 5, official: 15 }, check: { ok: true } });
    // Every rater scores each unit: A 90, B 80, C 70 on average.
    const ids = [official.id, ...first.map((r: { id: number }) => r.id)];
    const scores = ids.flatMap((raterId, i) => [
      { raterId, unitId: units.a, score: 90 + (i % 2 ? 5 : -5) },
      { raterId, unitId: units.b, score: 80 },
      { raterId, unitId: units.c, score: 70, answers: { q1: 35, q2: 35 } },
    ]);
    expect(await ok('POST', `/api/evaluation/sessions/${session}/scores`, { scores })).toEqual({ stored: 150 });
    expect((await api('POST', `/api/evaluation/sessions/${session}/finalise`)).statusCode).toBe(200);
    expect((await api('POST', `/api/evaluation/sessions/${session}/scores`, { scores: scores.slice(0, 1) })).statusCode).toBe(409);
  });

  it('scores each unit 30 % work performance + 70 % public evaluation, ranks them and marks the first and the last', async () => {
    const { results, formula } = await ok('GET', `/api/evaluation/campaigns/${campaignId}/results`);
    expect(formula).toEqual({ onTimeRate: 40, closureRate: 30, rework: 15, satisfaction: 15 });
    expect(results.map((r: { unitId: number; rank: number; mark: string | null }) => [r.unitId, r.rank, r.mark])).toEqual([
      [units.a, 1, 'commended'],
      [units.b, 2, null],
      [units.c, 3, 'special_supervision'],
    ]);
    const [a, b, c] = results;
    expect(a).toMatchObject({ publicScore: 90, score: 93, work: { score: 100, components: { onTimeRate: 100, closureRate: 100, rework: 100, satisfaction: null } } });
    expect(b.measures).toMatchObject({ due: 1, closed: 1, closedOnTime: 0 });
    expect(b.work.score).toBeCloseTo(4500 / 85, 2);
    expect(b.score).toBeCloseTo(0.3 * (4500 / 85) + 56, 2);
    expect(c).toMatchObject({ work: { score: 0 }, score: 49, measures: { due: 1, closed: 0, overdueOpen: 1 } });

    // A formula that counts only closure puts B level with A on work performance.
    await ok('PATCH', `/api/evaluation/campaigns/${campaignId}`, { formula: { onTimeRate: 0, closureRate: 100, rework: 0, satisfaction: 0 } });
    const closureOnly = (await ok('GET', `/api/evaluation/campaigns/${campaignId}/results`)).results;
    expect(closureOnly.find((r: { unitId: number }) => r.unitId === units.b).work.score).toBe(100);
  });

  it('traces a unit’s counts to the tickets behind them', async () => {
    const late = await ok('GET', `/api/evaluation/campaigns/${campaignId}/units/${units.b}/tickets?measure=closed`);
    expect(late.tickets.map((x: { id: number }) => x.id)).toEqual([tickets.b]);
    const onTime = await ok('GET', `/api/evaluation/campaigns/${campaignId}/units/${units.b}/tickets?measure=closedOnTime`);
    expect(onTime.tickets).toEqual([]);
    const outside = await api('GET', `/api/evaluation/campaigns/${campaignId}/units/${units.a}/tickets?measure=due`, undefined, memberToken);
    expect(outside.json()).toMatchObject({ statusCode: 404, message: `unit ${units.a} not found / 单位不存在` });
    const missing = await api('GET', `/api/evaluation/campaigns/${campaignId}/units/999999/tickets?measure=due`, undefined, memberToken);
    expect(missing.json()).toMatchObject({ statusCode: 404, message: 'unit 999999 not found / 单位不存在' });
  });
});
