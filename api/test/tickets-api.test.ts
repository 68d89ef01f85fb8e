import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlan } from '@urbanlink/db';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

describe('tickets through the API', () => {
  let t: TestApp;
  // Monday 2026-11-30 09:00 in Shanghai: inside working hours of the default calendar.
  let clock = Date.parse('2026-11-30T01:00:00Z');
  let squad: number;
  let agent: string;
  let dispatcher: string;
  let member: string;

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, token = t.adminToken) =>
    t.app.inject({ method, url, payload, headers: bearer(token) });
  const complaint = (over: object = {}) => ({
    category: 'vending', description: '占道经营，人行道被摊位占满', lat: 22.5431, lon: 114.0579, address: '深南大道 1001 号',
    reporterPhone: '13812345678', reporterName: '王小明', channel: 'phone', ...over,
  });

  beforeAll(async () => {
    t = await buildTestApp({ config: { tickets: { now: () => clock, followupSchedulerSeconds: 0 } } });
    const city = (await api('POST', '/api/units', { name: '市局', kind: 'city' })).json().id;
    squad = (await api('POST', '/api/units', { name: '一中队', kind: 'squad', parentId: city })).json().id;
    await api('POST', '/api/users', { username: 'agent1', password: 'agent-password-1', role: 'agent', unitId: city });
    await api('POST', '/api/users', { username: 'disp1', password: 'dispatch-password-1', role: 'dispatcher', unitId: city });
    await api('POST', '/api/users', { username: 'mem1', password: 'member-password-1', role: 'unit_member', unitId: squad });
    agent = await login(t.app, 'agent1', 'agent-password-1');
    dispatcher = await login(t.app, 'disp1', 'dispatch-password-1');
    member = await login(t.app, 'mem1', 'member-password-1');
    const parent = (await api('POST', '/api/categories', { code: 'cityscape', name: '市容环境' })).json();
    const vending = await api('POST', '/api/categories', { code: 'vending', name: '占道经营', parentId: parent.id, limits: { accepted: 1, dispatched: 2, closed: 16 } });
    expect(vending.statusCode).toBe(201);
    await insertPlan(t.db.client, {
      name: '重大占道事件预案', categoryId: parent.id, priority: 'major', alertUnitIds: [squad], active: true,
      steps: [{ title: '通知中队长', unitId: squad }, { title: '现场拉警戒线', unitId: null }],
    });
  });
  afterAll(async () => t?.close());

  it('registers a ticket with a readable number, deadlines from its category and a first timeline entry', async () => {
    const created = await api('POST', '/api/tickets', complaint(), agent);
    expect(created.statusCode).toBe(201);
    const ticket = created.json();
    expect(ticket).toMatchObject({ status: 'registered', category: 'vending', channel: 'phone', priority: 'normal', overdue: false, duplicates: [] });
    expect(ticket.number).toBe('20261130-0001');
    expect(ticket.stage).toBe('accepted');
    expect(ticket.stageDueAt).toBe('2026-11-30T02:00:00.000Z');
    const read = (await api('GET', `/api/tickets/${ticket.id}`, undefined, agent)).json();
    expect(read.timeline).toHaveLength(1);
    expect(read.timeline[0]).toMatchObject({ kind: 'registered', toStatus: 'registered', actor: 'agent1' });
    expect(read.reporter).toMatchObject({ phone: '13812345678', masked: false });
    expect(read.nextStates).toEqual(['accepted', 'merged']);
  });

  it('walks the workflow, refuses illegal steps with 409 naming why, and keeps response times', async () => {
    const ticket = (await api('POST', '/api/tickets', complaint({ lat: 22.60, lon: 114.10 }), agent)).json();
    const skip = await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'closed' }, dispatcher);
    expect(skip.statusCode).toBe(409);
    expect(skip.json().message).toContain("cannot go from 'registered' to 'closed'");
    const viaTransition = await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'dispatched' }, dispatcher);
    expect(viaTransition.json().message).toContain('POST /api/tickets/{id}/dispatch');
    expect((await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'accepted' }, agent)).json().status).toBe('accepted');
    clock += 10 * 60_000;
    const dispatched = await api('POST', `/api/tickets/${ticket.id}/dispatch`, { unitId: squad, method: 'phone' }, dispatcher);
    expect(dispatched.json()).toMatchObject({ status: 'dispatched', unitId: squad, dispatchMethod: 'phone', unitName: '一中队' });
    // The unit member now sees it, reporter masked, and reports arrival and handling.
    const seen = (await api('GET', `/api/tickets/${ticket.id}`, undefined, member)).json();
    expect(seen.reporter).toMatchObject({ phone: '138****5678', name: '王**', masked: true });
    const verify = await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'verified' }, member);
    expect(verify.statusCode).toBe(409);
    clock += 20 * 60_000;
    expect((await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'arrived' }, member)).json().status).toBe('arrived');
    clock += 30 * 60_000;
    const handled = (await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'handled', result: 'resolved', note: '摊位已清理' }, member)).json();
    expect(handled.responseTimes).toEqual({ dispatchSeconds: 600, arrivalSeconds: 1200, handlingSeconds: 1800, totalSeconds: 3600 });
    expect(handled.result).toBe('resolved');
    await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'verified' }, dispatcher);
    const closed = (await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'closed' }, dispatcher)).json();
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).toBe(new Date(clock).toISOString());
    const full = (await api('GET', `/api/tickets/${ticket.id}`)).json();
    expect(full.timeline.map((e: { toStatus: string }) => e.toStatus)).toEqual(['registered', 'accepted', 'dispatched', 'arrived', 'handled', 'verified', 'closed']);
    expect(full.arrivals).toMatchObject([{ source: 'manual', evidence: [] }]);
    const reopen = await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'handled' }, dispatcher);
    expect(reopen.json().message).toContain('closed; reopen it');
  });

  it('returns a ticket to the dispatcher and sends it back to the same unit through a transition', async () => {
    const ticket = (await api('POST', '/api/tickets', complaint({ lat: 22.8, lon: 114.25 }), agent)).json();
    await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'accepted' }, agent);
    await api('POST', `/api/tickets/${ticket.id}/dispatch`, { unitId: squad }, dispatcher);
    const returned = await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'returned', note: '不属本中队辖区' }, member);
    expect(returned.json().status).toBe('returned');
    const again = await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'dispatched', note: '核实后仍由一中队处理' }, dispatcher);
    expect(again.json()).toMatchObject({ status: 'dispatched', unitId: squad, dispatchMethod: 'none' });
    const kinds = (await api('GET', `/api/tickets/${ticket.id}`, undefined, dispatcher)).json().timeline.map((e: { kind: string; toStatus: string }) => `${e.kind}:${e.toStatus}`);
    expect(kinds).toEqual(['registered:registered', 'transition:accepted', 'dispatch:dispatched', 'transition:returned', 'dispatch:dispatched']);
  });

  it('offers duplicates on registration and merges them keeping both timelines and reporters', async () => {
    const first = (await api('POST', '/api/tickets', complaint({ lat: 22.70, lon: 114.20 }), agent)).json();
    const second = (await api('POST', '/api/tickets', complaint({ lat: 22.7005, lon: 114.2, reporterPhone: '13900000002', reporterName: '李四' }), agent)).json();
    expect(second.duplicates.map((d: { id: number }) => d.id)).toEqual([first.id]);
    expect(second.duplicates[0].distanceMeters).toBeGreaterThan(50);
    const merged = await api('POST', `/api/tickets/${second.id}/merge`, { into: first.id, note: '同一摊位' }, agent);
    expect(merged.statusCode).toBe(200);
    const survivor = (await api('GET', `/api/tickets/${first.id}`, undefined, agent)).json();
    expect(survivor.reporters.map((r: { phone: string }) => r.phone).sort()).toEqual(['13812345678', '13900000002']);
    const kinds = survivor.timeline.map((e: { kind: string; ticketId: number }) => `${e.ticketId === first.id ? 'own' : 'dup'}:${e.kind}`);
    expect(kinds).toEqual(['own:registered', 'dup:registered', 'dup:merge', 'own:merged_from']);
    const again = await api('POST', `/api/tickets/${second.id}/transition`, { to: 'accepted' }, agent);
    expect(again.json().message).toContain('merged into another ticket');
  });

  it('flags and lists overdue tickets on the injected clock', async () => {
    const ticket = (await api('POST', '/api/tickets', complaint({ lat: 22.9, lon: 114.3 }), agent)).json();
    let overdue = (await api('GET', '/api/tickets/overdue', undefined, agent)).json().map((x: { id: number }) => x.id);
    expect(overdue).not.toContain(ticket.id);
    clock += 2 * 3_600_000; // the one-hour acceptance limit has passed
    overdue = (await api('GET', '/api/tickets/overdue', undefined, agent)).json().map((x: { id: number }) => x.id);
    expect(overdue).toContain(ticket.id);
    expect((await api('GET', `/api/tickets/${ticket.id}`, undefined, agent)).json().overdue).toBe(true);
  });

  it('opens the contingency plan of a major ticket and records each ticked step', async () => {
    const ticket = (await api('POST', '/api/tickets', complaint({ priority: 'major', lat: 23.0, lon: 114.4 }), agent)).json();
    expect(ticket.planSteps.map((s: { title: string }) => s.title)).toEqual(['通知中队长', '现场拉警戒线']);
    const done = await api('POST', `/api/tickets/${ticket.id}/plan/steps/1/done`, { note: '已电话通知' }, dispatcher);
    expect(done.json()).toMatchObject({ position: 1, note: '已电话通知' });
    expect((await api('POST', `/api/tickets/${ticket.id}/plan/steps/1/done`, {}, dispatcher)).statusCode).toBe(409);
    const timeline = (await api('GET', `/api/tickets/${ticket.id}`, undefined, dispatcher)).json().timeline;
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(['registered', 'plan_opened', 'plan_step']);
  });

  it('hides tickets of other units from unit members and refuses roles that do not own a step', async () => {
    const ticket = (await api('POST', '/api/tickets', complaint({ lat: 23.1, lon: 114.5 }), agent)).json();
    expect((await api('GET', `/api/tickets/${ticket.id}`, undefined, member)).statusCode).toBe(404);
    expect((await api('POST', '/api/tickets', complaint(), member)).statusCode).toBe(403);
    expect((await api('POST', `/api/tickets/${ticket.id}/dispatch`, { unitId: squad }, agent)).statusCode).toBe(403);
    expect((await api('POST', '/api/tickets', complaint({ category: 'nope' }), agent)).statusCode).toBe(400);
  });
});
