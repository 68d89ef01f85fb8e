import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { revokeUserSessions } from '@urbanlink/db';
import { OpenSessions, SESSION_ENDED_CLOSE_CODE } from '../src/live/open-sessions.ts';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

/** A WebSocket on a real port that records what it got and how it was closed. */
async function open(url: string): Promise<{ socket: WebSocket; messages: Record<string, unknown>[]; closed: { code: number; reason: string } | null }> {
  const socket = new WebSocket(url);
  const watched = { socket, messages: [] as Record<string, unknown>[], closed: null as { code: number; reason: string } | null };
  socket.on('message', (data) => watched.messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  socket.on('close', (code, reason) => (watched.closed = { code, reason: reason.toString() }));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  await expect.poll(() => watched.messages[0]?.type).toBe('hello');
  return watched;
}

describe('OpenSessions', () => {
  const session = (tokenHash: string, expiresInMs: number) => ({ tokenHash, expiresAt: new Date(Date.now() + expiresInMs) });

  it('ends expired sessions without a lookup, and revoked ones after it', async () => {
    const asked: string[][] = [];
    const sessions = new OpenSessions(async (hashes) => (asked.push(hashes), new Set(['valid'])), (error) => { throw error; });
    const ended: string[] = [];
    sessions.hold(session('expired', -1), (code) => ended.push(`expired:${code}`));
    sessions.hold(session('valid', 60_000), (code) => ended.push(`valid:${code}`));
    sessions.hold(session('valid', 60_000), (code) => ended.push(`valid again:${code}`));
    sessions.hold(session('revoked', 60_000), (code) => ended.push(`revoked:${code}`));
    const release = sessions.hold(session('released', 60_000), (code) => ended.push(`released:${code}`));
    release();
    await sessions.check();
    expect(ended).toEqual(['expired:4001', 'revoked:4001']);
    // Ended and released sessions are no longer asked about.
    await sessions.check();
    expect(asked).toEqual([['valid', 'revoked'], ['valid']]);
    expect(ended).toHaveLength(2);
  });

  it('keeps sockets open when the lookup fails, and reports it', async () => {
    const errors: unknown[] = [];
    const sessions = new OpenSessions(async () => Promise.reject(new Error('database down')), (error) => errors.push(error));
    const ended: number[] = [];
    sessions.hold(session('a', 60_000), (code) => ended.push(code));
    await sessions.check();
    expect(ended).toEqual([]);
    expect(errors).toEqual([new Error('database down')]);
  });
});

describe('live WebSockets end with their session (real port)', () => {
  let t: TestApp;
  let base: string;
  let unitId: number;
  let deviceId: number;
  const admin = (method: 'POST' | 'PATCH', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: bearer(t.adminToken) });

  async function newDispatcher(username: string): Promise<{ id: number; token: string }> {
    const created = await admin('POST', '/api/users', { username, password: `${username}-password`, role: 'dispatcher', unitId });
    expect(created.statusCode).toBe(201);
    return { id: created.json<{ id: number }>().id, token: await login(t.app, username, `${username}-password`) };
  }

  beforeAll(async () => {
    t = await buildTestApp();
    unitId = (await admin('POST', '/api/units', { name: 'north', kind: 'district' })).json<{ id: number }>().id;
    deviceId = (await admin('POST', '/api/devices', { uniqueId: '359000000000101', name: 'n1', protocol: 'gt06', unitId })).json<{ id: number }>().id;
    base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
  });
  afterAll(async () => t?.close());

  it('closes a signed-out user’s sockets at once with 4001, while a valid session keeps receiving', async () => {
    const leaving = await newDispatcher('leaving');
    const staying = await newDispatcher('staying');
    const leavingLive = await open(`${base}/api/live?token=${leaving.token}`);
    const leavingTickets = await open(`${base}/api/tickets/live?token=${leaving.token}`);
    const stayingLive = await open(`${base}/api/live?token=${staying.token}`);

    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(leaving.token) })).statusCode).toBe(204);
    await expect.poll(() => leavingLive.closed, { timeout: 1000 }).toEqual({ code: SESSION_ENDED_CLOSE_CODE, reason: expect.stringMatching(/sign in again/) });
    await expect.poll(() => leavingTickets.closed?.code, { timeout: 1000 }).toBe(SESSION_ENDED_CLOSE_CODE);

    expect((await admin('PATCH', `/api/devices/${deviceId}`, { dispatchStatus: 'on_task' })).statusCode).toBe(200);
    await expect.poll(() => stayingLive.messages.find((m) => m.type === 'tick'), { timeout: 3000 }).toMatchObject({ devices: [{ deviceId, dispatchStatus: 'on_task' }] });
    expect(stayingLive.closed).toBeNull();
    stayingLive.socket.close();
  });

  it('closes a disabled user’s sockets at once', async () => {
    const user = await newDispatcher('disabled');
    const live = await open(`${base}/api/live?token=${user.token}`);
    const tickets = await open(`${base}/api/tickets/live?token=${user.token}`);
    expect((await admin('PATCH', `/api/users/${user.id}`, { disabled: true })).statusCode).toBe(200);
    await expect.poll(() => live.closed?.code, { timeout: 1000 }).toBe(SESSION_ENDED_CLOSE_CODE);
    await expect.poll(() => tickets.closed?.code, { timeout: 1000 }).toBe(SESSION_ENDED_CLOSE_CODE);
  });

  it('closes a socket whose session another process revoked, on the periodic check', async () => {
    const user = await newDispatcher('elsewhere');
    const live = await open(`${base}/api/live?token=${user.token}`);
    // As the CLI or a second API instance would: straight in the database, unseen by this process.
    expect(await revokeUserSessions(t.db.client, user.id)).toBe(1);
    await expect.poll(() => live.closed?.code, { timeout: 7000, interval: 200 }).toBe(SESSION_ENDED_CLOSE_CODE);
  });
});

describe('live WebSockets end when their token expires (real port)', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('closes the socket with 4001 once the token is past its expiry', async () => {
    t = await buildTestApp({ config: { tokenTtlSeconds: 2 } });
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const live = await open(`${base}/api/live?token=${t.adminToken}`);
    const openedAt = Date.now();
    await expect.poll(() => live.closed?.code, { timeout: 9000, interval: 200 }).toBe(SESSION_ENDED_CLOSE_CODE);
    // Not before the expiry (the login was at most a moment before the socket opened).
    expect(Date.now() - openedAt).toBeGreaterThan(1000);
  });
});
