import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeUserSessions, type SessionUser } from '@urbanlink/db';
import { SessionCache } from '../src/plugins/session-cache.ts';
import { ADMIN_PASSWORD, bearer, buildTestApp, login, type TestApp } from './helper.ts';

function session(sessionId: number, expiresInMs: number, now: number): SessionUser {
  return { sessionId, userId: 7, username: 'ops', role: 'dispatcher', unitId: 3, expiresAt: new Date(now + expiresInMs) };
}

describe('SessionCache', () => {
  it('remembers a session for its time to live, never past the session expiry', () => {
    let now = 1_000_000;
    const cache = new SessionCache({ ttlMs: 2000, maxEntries: 10, now: () => now });
    cache.put('a', session(1, 60_000, now), cache.generation);
    cache.put('b', session(2, 500, now), cache.generation);
    expect(cache.get('a')?.sessionId).toBe(1);
    expect(cache.get('b')?.sessionId).toBe(2);
    now += 600;
    expect(cache.get('b')).toBeNull();
    expect(cache.get('a')?.sessionId).toBe(1);
    now += 1500;
    expect(cache.get('a')).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('drops a lookup that began before a clear, so a revocation racing it is not undone', () => {
    const cache = new SessionCache({ ttlMs: 2000, maxEntries: 10 });
    const before = cache.generation;
    cache.clear();
    cache.put('a', session(1, 60_000, Date.now()), before);
    expect(cache.get('a')).toBeNull();
    cache.put('a', session(1, 60_000, Date.now()), cache.generation);
    expect(cache.get('a')?.sessionId).toBe(1);
    cache.clear();
    expect(cache.get('a')).toBeNull();
  });

  it('forgets the oldest token beyond its size', () => {
    const cache = new SessionCache({ ttlMs: 2000, maxEntries: 2 });
    for (const [i, hash] of ['a', 'b', 'c'].entries()) cache.put(hash, session(i, 60_000, Date.now()), cache.generation);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeNull();
    expect(cache.get('c')?.sessionId).toBe(2);
  });
});

describe('auth through the session cache', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  const me = async (token: string) => (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode;

  it('refuses a token revoked by another process within the cache lifetime', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/users', payload: { username: 'cache.admin', password: 'cache-pass-1', role: 'admin' }, headers: bearer(t.adminToken) });
    expect(created.statusCode).toBe(201);
    const token = await login(t.app, 'cache.admin', 'cache-pass-1');
    expect(await me(token)).toBe(200);
    // Straight in the database, as the CLI or a second API instance would.
    expect(await revokeUserSessions(t.db.client, created.json<{ id: number }>().id)).toBe(1);
    const revokedAt = Date.now();
    let status = await me(token);
    while (status === 200 && Date.now() - revokedAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await me(token);
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(2_000 + 500);
  });

  it('empties the cache on this process\'s own revocations: logout ends the token at once', async () => {
    const token = await login(t.app, 'admin', ADMIN_PASSWORD);
    expect(await me(token)).toBe(200);
    expect(await me(token)).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) })).statusCode).toBe(204);
    expect(await me(token)).toBe(401);
  });
});
