import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

describe('units, users and the audit log', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  let dispatcherToken: string;

  async function post(url: string, payload: object, token = t.adminToken) {
    return t.app.inject({ method: 'POST', url, payload, headers: bearer(token) });
  }

  beforeAll(async () => {
    t = await buildTestApp();
    for (const [key, body] of [
      ['city', { name: '市局', kind: 'city' }],
      ['east', { name: '东区分局', kind: 'district', parent: 'city' }],
      ['west', { name: '西区分局', kind: 'district', parent: 'city' }],
      ['eastSquad', { name: '东一中队', kind: 'squad', parent: 'east' }],
    ] as const) {
      const parent = 'parent' in body ? ids[body.parent] : undefined;
      const response = await post('/api/units', { name: body.name, kind: body.kind, parentId: parent });
      expect(response.statusCode).toBe(201);
      ids[key] = response.json().id;
    }
    const created = await post('/api/users', { username: 'east.dispatch', password: 'dispatch-pass-1', role: 'dispatcher', unitId: ids.east });
    expect(created.statusCode).toBe(201);
    expect(created.json()).not.toHaveProperty('passwordHash');
    ids.dispatcher = created.json().id;
    dispatcherToken = await login(t.app, 'east.dispatch', 'dispatch-pass-1');
  });
  afterAll(async () => t?.close());

  it('shows a user only their unit subtree', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/api/units', headers: bearer(dispatcherToken) });
    expect(mine.json().map((unit: { id: number }) => unit.id)).toEqual([ids.east, ids.eastSquad]);
    expect((await t.app.inject({ method: 'GET', url: `/api/units/${ids.west}`, headers: bearer(dispatcherToken) })).statusCode).toBe(404);
    const all = await t.app.inject({ method: 'GET', url: '/api/units', headers: bearer(t.adminToken) });
    expect(all.json()).toHaveLength(4);
    expect(all.json()[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('lets only admins change units and users', async () => {
    expect((await post('/api/units', { name: 'x', kind: 'squad' }, dispatcherToken)).statusCode).toBe(403);
    expect((await post('/api/users', { username: 'x', password: 'long-enough', role: 'agent', unitId: ids.east }, dispatcherToken)).statusCode).toBe(403);
  });

  it('answers 400 naming the field, 404 for unknown ids and 409 for conflicts', async () => {
    const noUnit = await post('/api/users', { username: 'agent1', password: 'long-enough', role: 'agent' });
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.json().field).toBe('unitId');
    const extra = await post('/api/units', { name: 'x', kind: 'squad', colour: 'red' });
    expect(extra.json()).toMatchObject({ statusCode: 400, field: 'colour' });
    const badKind = await post('/api/units', { name: 'x', kind: 'province' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().field).toBe('kind');
    expect((await post('/api/users', { username: 'agent1', password: 'long-enough', role: 'agent', unitId: 999999 })).statusCode).toBe(404);
    expect((await post('/api/users', { username: 'east.dispatch', password: 'long-enough', role: 'agent', unitId: ids.east })).statusCode).toBe(409);
    const loop = await t.app.inject({ method: 'PATCH', url: `/api/units/${ids.east}`, payload: { parentId: ids.eastSquad }, headers: bearer(t.adminToken) });
    expect(loop.statusCode).toBe(409);
    const parentInUse = await t.app.inject({ method: 'DELETE', url: `/api/units/${ids.east}`, headers: bearer(t.adminToken) });
    expect(parentInUse.statusCode).toBe(409);
    expect((await t.app.inject({ method: 'GET', url: '/api/units/abc', headers: bearer(t.adminToken) })).json().field).toBe('id');
  });

  it('revokes the sessions of a disabled user', async () => {
    await post('/api/users', { username: 'west.agent', password: 'agent-pass-1', role: 'agent', unitId: ids.west });
    const token = await login(t.app, 'west.agent', 'agent-pass-1');
    const user = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).json();
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { disabled: true }, headers: bearer(t.adminToken) });
    expect(patch.json()).toMatchObject({ disabled: true, unitId: ids.west });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'west.agent', password: 'agent-pass-1' } });
    expect(again.statusCode).toBe(401);
  });

  it('lets an admin end every session of a user', async () => {
    const token = await login(t.app, 'east.dispatch', 'dispatch-pass-1');
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/users/${ids.dispatcher}/sessions`, headers: bearer(t.adminToken) });
    expect(revoked.json().revoked).toBeGreaterThanOrEqual(2);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    dispatcherToken = await login(t.app, 'east.dispatch', 'dispatch-pass-1');
    const huge = await t.app.inject({ method: 'GET', url: '/api/users/99999999999', headers: bearer(t.adminToken) });
    expect(huge.json()).toMatchObject({ statusCode: 400, field: 'id' });
  });

  it('keeps the current session but ends the others on a password change', async () => {
    const other = await login(t.app, 'east.dispatch', 'dispatch-pass-1');
    const change = await post('/api/auth/password', { currentPassword: 'dispatch-pass-1', newPassword: 'dispatch-pass-2' }, dispatcherToken);
    expect(change.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(other) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(dispatcherToken) })).statusCode).toBe(200);
    const wrong = await post('/api/auth/password', { currentPassword: 'nope', newPassword: 'whatever-1' }, dispatcherToken);
    expect(wrong.json()).toMatchObject({ statusCode: 400, field: 'currentPassword' });
  });

  it('records who changed what, when and from where, readable by auditors', async () => {
    await post('/api/users', { username: 'city.auditor', password: 'auditor-pass', role: 'auditor', unitId: ids.city });
    const auditor = await login(t.app, 'city.auditor', 'auditor-pass');
    const adminLog = await t.app.inject({ method: 'GET', url: '/api/audit?entityType=unit&limit=10', headers: bearer(t.adminToken) });
    const creations = adminLog.json().filter((entry: { action: string }) => entry.action === 'unit.create');
    expect(creations).toHaveLength(4);
    expect(creations[0]).toMatchObject({ username: 'admin', ip: '127.0.0.1', details: { kind: 'squad', name: '东一中队' } });
    // The auditor sees the changes made by users of its subtree (the dispatcher's password change), not the admin's.
    const seen = (await t.app.inject({ method: 'GET', url: '/api/audit', headers: bearer(auditor) })).json();
    expect(seen.some((entry: { action: string; username: string }) => entry.action === 'user.password' && entry.username === 'east.dispatch')).toBe(true);
    expect(seen.every((entry: { username: string }) => entry.username !== 'admin')).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/audit', headers: bearer(dispatcherToken) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/audit?from=2026-01-01T00:00:00', headers: bearer(auditor) })).json().field).toBe('from');
  });
});
