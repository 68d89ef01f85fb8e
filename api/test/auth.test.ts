import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteEndedSessions } from '@urbanlink/db';
import { ADMIN_PASSWORD, bearer, buildTestApp, login, type TestApp } from './helper.ts';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ config: { loginAttemptsPerMinute: 5 } });
  });
  afterAll(async () => t?.close());

  it('answers health without a token', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', database: 'ok', engine: 'postgres' });
  });

  it('answers 401 without a token and with a bad one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const bad = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer('nonsense') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().message).toMatch(/sign in again/);
  });

  it('signs in the admin created on first start and knows who it is', async () => {
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(t.adminToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'admin', role: 'admin', unitId: null });
  });

  it('names the missing field with a 400', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'password' });
  });

  it('revokes the token on logout', async () => {
    const token = await login(t.app, 'admin', ADMIN_PASSWORD);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(t.adminToken) })).statusCode).toBe(200);
    // Housekeeping deletes ended sessions and leaves open ones.
    expect(await deleteEndedSessions(t.db.client, Date.now() + 1000)).toBeGreaterThanOrEqual(1);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(t.adminToken) })).statusCode).toBe(200);
  });

  it('rate-limits login attempts per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'wrong-password' }, remoteAddress: '10.9.9.9' });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    // Another user behind the same address is not locked out by the first one's attempts...
    const other = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' }, remoteAddress: '10.9.9.9' });
    expect(other.statusCode).toBe(401);
    // ...but one address trying many names is stopped at ten times the per-name limit.
    const sprayed: number[] = [];
    for (let i = 0; i < 52; i++) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `user${i}`, password: 'x' }, remoteAddress: '10.8.8.8' });
      sprayed.push(response.statusCode);
    }
    expect(sprayed.slice(0, 50).every((status) => status === 401)).toBe(true);
    expect(sprayed.at(-1)).toBe(429);
  });
});

describe('token expiry', () => {
  it('refuses a token once its lifetime is over', async () => {
    const t = await buildTestApp({ config: { tokenTtlSeconds: 1 } });
    try {
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(t.adminToken) })).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(t.adminToken) })).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});
