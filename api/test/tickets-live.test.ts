import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

/** A WebSocket client that keeps every message it gets. */
async function watch(url: string): Promise<{ socket: WebSocket; messages: Record<string, unknown>[] }> {
  const socket = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, messages };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('ticket changes and calls pushed on the WebSocket', () => {
  let t: TestApp;
  let base: string;
  let squad: number;
  let member: string;
  const api = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: bearer(t.adminToken) });

  beforeAll(async () => {
    t = await buildTestApp({ config: { tickets: { telephonySecret: 'pbx', followupSchedulerSeconds: 0 } } });
    squad = (await api('POST', '/api/units', { name: '四中队', kind: 'squad' })).json().id;
    const other = (await api('POST', '/api/units', { name: '五中队', kind: 'squad' })).json().id;
    await api('POST', '/api/users', { username: 'mem4', password: 'member-password-4', role: 'unit_member', unitId: squad });
    await api('POST', '/api/users', { username: 'mem5', password: 'member-password-5', role: 'unit_member', unitId: other });
    member = await login(t.app, 'mem4', 'member-password-4');
    await api('POST', '/api/categories', { code: 'road', name: '道路破损' });
    base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
  });
  afterAll(async () => t?.close());

  it('pushes each change to those who may see the ticket, and a ringing call to its extension', async () => {
    const admin = await watch(`${base}/api/tickets/live?token=${t.adminToken}&extension=8001`);
    const mine = await watch(`${base}/api/tickets/live?token=${member}`);
    const outsider = await watch(`${base}/api/tickets/live?token=${await login(t.app, 'mem5', 'member-password-5')}`);
    const ticket = (await api('POST', '/api/tickets', { category: 'road', description: '路面塌陷', lat: 22.5, lon: 114, channel: 'web' })).json();
    await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'accepted' });
    await api('POST', `/api/tickets/${ticket.id}/dispatch`, { unitId: squad });
    await t.app.inject({ method: 'POST', url: '/api/telephony/calls', payload: { callId: 'k1', caller: '13000000000', extension: '8001' }, headers: { 'x-urbanlink-secret': 'pbx' } });
    await until(() => admin.messages.length >= 5 && mine.messages.length >= 2);
    expect(admin.messages.map((m) => m.type === 'ticket' ? `${m.change}:${m.status}` : m.type)).toEqual(['hello', 'registered:registered', 'transition:accepted', 'dispatch:dispatched', 'call']);
    expect(admin.messages[4]).toMatchObject({ caller: '13000000000', extension: '8001' });
    // The unit member sees the ticket once it is dispatched to their squad; the other squad never does.
    expect(mine.messages.map((m) => m.type === 'ticket' ? m.status : m.type)).toEqual(['hello', 'dispatched']);
    expect(outsider.messages.map((m) => m.type)).toEqual(['hello']);
    for (const w of [admin, mine, outsider]) w.socket.terminate();
  });

  it('refuses a socket without a valid token', async () => {
    const socket = new WebSocket(`${base}/api/tickets/live?token=nope`);
    const status = await new Promise((resolve) =>
      socket
        .once('unexpected-response', (request, response) => {
          resolve(response.statusCode);
          request.destroy();
        })
        .once('open', () => resolve('open')),
    );
    expect(status).toBe(401);
  });
});
