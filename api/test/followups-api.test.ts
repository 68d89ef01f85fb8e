import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, buildTestApp, type TestApp } from './helper.ts';

const HOUR = 3_600_000;

describe('follow-up visits through the API, on a controllable clock', () => {
  let t: TestApp;
  let clock = Date.parse('2026-11-30T01:00:00Z');
  let unitId: number;
  let categoryId: number;

  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: bearer(t.adminToken) });
  const due = async () => (await api('GET', `/api/followups/due?at=${new Date(clock).toISOString()}`)).json();

  async function closedTicket(channel = 'phone'): Promise<number> {
    const ticket = (await api('POST', '/api/tickets', { category: 'noise', description: '夜间施工噪音', lat: 22.5, lon: 114.0, channel, reporterPhone: '13800000001' })).json();
    await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'accepted' });
    await api('POST', `/api/tickets/${ticket.id}/dispatch`, { unitId });
    await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'handled', result: 'resolved' });
    await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'verified' });
    const closed = await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'closed' });
    expect(closed.json().status).toBe('closed');
    return ticket.id;
  }

  beforeAll(async () => {
    t = await buildTestApp({ config: { tickets: { now: () => clock, followupSchedulerSeconds: 0 } } });
    unitId = (await api('POST', '/api/units', { name: '二中队', kind: 'squad' })).json().id;
    categoryId = (await api('POST', '/api/categories', { code: 'noise', name: '噪音扰民' })).json().id;
    const rule = await api('POST', '/api/followup-rules', { categoryId, channel: 'phone', result: 'resolved', count: 2, intervalHours: 24, method: 'phone' });
    expect(rule.statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  it('plans visits at the configured interval, queues them when due, and reopens on dissatisfaction', async () => {
    const ticketId = await closedTicket();
    const webTicket = await closedTicket('web'); // matches no rule
    expect(await api('POST', '/api/followups/plan').then((r) => r.json())).toEqual({ tickets: 2, orders: 2 });
    expect(await api('POST', '/api/followups/plan').then((r) => r.json())).toEqual({ tickets: 0, orders: 0 });
    expect(await due()).toEqual([]);
    clock += 25 * HOUR;
    const [first, ...rest] = await due();
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ ticketId, sequence: 1, method: 'phone', status: 'due', reporterPhone: '13800000001' });
    const satisfied = await api('POST', `/api/followups/${first.id}/result`, { result: 'satisfied' });
    expect(satisfied.json()).toMatchObject({ status: 'done', result: 'satisfied', ticketStatus: 'closed' });
    expect((await api('POST', `/api/followups/${first.id}/result`, { result: 'satisfied' })).statusCode).toBe(409);
    clock += 24 * HOUR;
    const [second] = await due();
    expect(second).toMatchObject({ ticketId, sequence: 2 });
    const unhappy = (await api('POST', `/api/followups/${second.id}/result`, { result: 'dissatisfied', note: '仍有噪音' })).json();
    expect(unhappy).toMatchObject({ result: 'dissatisfied', ticketStatus: 'reopened', rework: 1 });
    const ticket = (await api('GET', `/api/tickets/${ticketId}`)).json();
    expect(ticket.timeline.slice(-3).map((e: { kind: string }) => e.kind)).toEqual(['followup', 'followup', 'transition']);
    expect(ticket.timeline.at(-1)).toMatchObject({ toStatus: 'reopened', note: 'citizen dissatisfied at follow-up / 回访不满意，重办' });
    expect((await api('GET', `/api/tickets/${webTicket}`)).json().followups).toEqual([]);

    // Closed again: the new cycle gets its own visits, numbered after the first two.
    await api('POST', `/api/tickets/${ticketId}/transition`, { to: 'accepted' });
    await api('POST', `/api/tickets/${ticketId}/dispatch`, { unitId });
    await api('POST', `/api/tickets/${ticketId}/transition`, { to: 'handled', result: 'resolved' });
    await api('POST', `/api/tickets/${ticketId}/transition`, { to: 'verified' });
    await api('POST', `/api/tickets/${ticketId}/transition`, { to: 'closed' });
    await t.app.followupScheduler.tick();
    const visits = (await api('GET', `/api/tickets/${ticketId}`)).json().followups;
    expect(visits.map((f: { sequence: number; cycle: number }) => [f.sequence, f.cycle])).toEqual([[1, 1], [2, 1], [3, 2], [4, 2]]);
  });

  it('is run periodically by the app', async () => {
    const periodic = await buildTestApp({ config: { tickets: { followupSchedulerSeconds: 0.05 } } });
    try {
      const call = (method: 'GET' | 'POST', url: string, payload?: object) => periodic.app.inject({ method, url, payload, headers: bearer(periodic.adminToken) });
      const unit = (await call('POST', '/api/units', { name: 'u', kind: 'squad' })).json().id;
      await call('POST', '/api/categories', { code: 'c', name: 'c' });
      await call('POST', '/api/followup-rules', { count: 1, intervalHours: 0, method: 'sms' });
      const id = (await call('POST', '/api/tickets', { category: 'c', description: 'd', lat: 1, lon: 1, channel: 'sms' })).json().id;
      for (const step of ['accepted', 'dispatch', 'handled', 'verified', 'closed']) {
        if (step === 'dispatch') await call('POST', `/api/tickets/${id}/dispatch`, { unitId: unit });
        else await call('POST', `/api/tickets/${id}/transition`, { to: step });
      }
      await vi.waitFor(async () => expect((await call('GET', '/api/followups/due')).json()).toHaveLength(1), { timeout: 5000, interval: 50 });
    } finally {
      await periodic.close();
    }
  });
});
