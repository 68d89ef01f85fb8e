import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

describe('caller history, telephony hook, SMS and e-mail webhooks', () => {
  let t: TestApp;
  let agent: string;
  const PBX = { 'x-urbanlink-secret': 'pbx-secret' };
  const GATEWAY = { 'x-urbanlink-secret': 'gateway-secret' };

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, token = t.adminToken) =>
    t.app.inject({ method, url, payload, headers: bearer(token) });
  const hook = (url: string, payload: object, headers: Record<string, string>) => t.app.inject({ method: 'POST', url, payload, headers });

  beforeAll(async () => {
    t = await buildTestApp({ config: { tickets: { telephonySecret: 'pbx-secret', gatewaySecret: 'gateway-secret', followupSchedulerSeconds: 0 } } });
    const unit = (await api('POST', '/api/units', { name: '热线中心', kind: 'city' })).json().id;
    await api('POST', '/api/users', { username: 'agent2', password: 'agent-password-2', role: 'agent', unitId: unit });
    agent = await login(t.app, 'agent2', 'agent-password-2');
    await api('POST', '/api/categories', { code: 'unclassified', name: '待分类' });
    await api('POST', '/api/categories', { code: 'billboard', name: '违规广告' });
  });
  afterAll(async () => t?.close());

  it('pops the caller history when the PBX announces a call, and attaches the recording to the ticket', async () => {
    const earlier = (await api('POST', '/api/tickets', { category: 'billboard', description: '广告牌松动', lat: 22.5, lon: 114.0, channel: 'phone', reporterPhone: '13511112222' }, agent)).json();
    await api('POST', `/api/tickets/${earlier.id}/reply`, { method: 'phone', text: '已安排处理' }, agent);
    const seen: unknown[] = [];
    t.app.ticketChanges.on('call', (call) => seen.push(call));
    expect((await hook('/api/telephony/calls', { callId: 'c-1', caller: '13511112222' }, { 'x-urbanlink-secret': 'wrong' })).statusCode).toBe(401);
    const rang = await hook('/api/telephony/calls', { callId: 'c-1', caller: '13511112222', extension: '8001' }, PBX);
    expect(rang.statusCode).toBe(200);
    const { history } = rang.json();
    expect(history.tickets.map((x: { id: number }) => x.id)).toEqual([earlier.id]);
    expect(history.replies).toMatchObject([{ text: '已安排处理', method: 'phone', delivery: 'recorded' }]);
    expect(history.calls).toMatchObject([{ callId: 'c-1', extension: '8001' }]);
    expect(seen).toMatchObject([{ type: 'call', caller: '13511112222', extension: '8001' }]);

    // The agent registers the new complaint during the call, then the PBX reports the recording.
    const during = (await api('POST', '/api/tickets', { category: 'billboard', description: '又有广告牌', lat: 22.51, lon: 114.01, channel: 'phone', reporterPhone: '13511112222', callId: 'c-1' }, agent)).json();
    await hook('/api/telephony/calls', { callId: 'c-1', caller: '13511112222', recordingUrl: 'https://pbx.example/rec/c-1.wav' }, PBX);
    const ticket = (await api('GET', `/api/tickets/${during.id}`, undefined, agent)).json();
    expect(ticket.calls).toMatchObject([{ callId: 'c-1', recordingUrl: 'https://pbx.example/rec/c-1.wav' }]);
    expect(ticket.timeline.at(-1)).toMatchObject({ kind: 'call_recording', actor: 'pbx' });
    const pop = (await api('GET', '/api/citizens/13511112222/history', undefined, agent)).json();
    expect(pop.summary).toEqual({ tickets: 2, open: 2, dissatisfied: 0 });
  });

  it('registers an SMS as a ticket to be placed, and adds a reply quoting its number to it', async () => {
    expect((await hook('/api/webhooks/sms', { from: '13600000000', text: 'x' }, {})).statusCode).toBe(401);
    const created = await hook('/api/webhooks/sms', { from: '13600000000', text: '小区门口乱扔垃圾' }, GATEWAY);
    expect(created.statusCode).toBe(201);
    const { ticketId, number } = created.json();
    const ticket = (await api('GET', `/api/tickets/${ticketId}`, undefined, agent)).json();
    expect(ticket).toMatchObject({ channel: 'sms', category: 'unclassified', lat: null, lon: null, reporterPhone: '13600000000' });
    const more = await hook('/api/webhooks/sms', { from: '13600000000', text: `关于 ${number}：今天又有了` }, GATEWAY);
    expect(more.json()).toEqual({ created: false, ticketId, number });
    const placed = await api('PATCH', `/api/tickets/${ticketId}`, { category: 'billboard', lat: 22.52, lon: 114.02, address: '幸福小区' }, agent);
    expect(placed.json()).toMatchObject({ category: 'billboard', lat: 22.52, address: '幸福小区' });
    const timeline = (await api('GET', `/api/tickets/${ticketId}`, undefined, agent)).json().timeline;
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(['registered', 'message', 'details']);
    expect(timeline[2].details.before).toEqual({ category: 'unclassified', lat: null, lon: null, address: null });

    // A unit member handling it sees the message, not who sent it.
    const squad = (await api('POST', '/api/units', { name: '十中队', kind: 'squad' })).json().id;
    await api('POST', '/api/users', { username: 'mem10', password: 'member-password-10', role: 'unit_member', unitId: squad });
    await api('POST', `/api/tickets/${ticketId}/transition`, { to: 'accepted' });
    await api('POST', `/api/tickets/${ticketId}/dispatch`, { unitId: squad });
    const seen = (await api('GET', `/api/tickets/${ticketId}`, undefined, await login(t.app, 'mem10', 'member-password-10'))).json();
    expect(seen.timeline[1]).toMatchObject({ kind: 'message', note: `关于 ${number}：今天又有了`, details: { from: '136****0000' } });
    expect(seen.reporterPhone).toBe('136****0000');
  });

  it('registers an e-mail with its subject, keeping the sender as reporter', async () => {
    const mail = await hook('/api/webhooks/email', { from: 'resident@example.org', subject: '噪音投诉', text: '工地夜间施工', messageId: '<m1@example.org>' }, GATEWAY);
    expect(mail.statusCode).toBe(201);
    const ticket = (await api('GET', `/api/tickets/${mail.json().ticketId}`, undefined, agent)).json();
    expect(ticket).toMatchObject({ channel: 'email', description: '噪音投诉\n\n工地夜间施工', externalRef: '<m1@example.org>', reporter: { email: 'resident@example.org' } });
  });
});
