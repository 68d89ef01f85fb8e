import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUserCredentials } from '@urbanlink/db';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

/** Who may read and delete user accounts, what a deletion leaves behind, and how passwords are stored. */
describe('user accounts: scoping, deletion and password storage', () => {
  let t: TestApp;
  const units: Record<string, number> = {};
  const users: Record<string, number> = {};
  const tokens: Record<string, string> = {};

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token = t.adminToken, payload?: object) =>
    t.app.inject({ method, url, payload, headers: bearer(token) });
  const idsOf = (list: { id: number }[]) => list.map((user) => user.id).sort((a, b) => a - b);
  const idsOfUsers = (...keys: string[]) => keys.map((key) => users[key]!).sort((a, b) => a - b);

  beforeAll(async () => {
    t = await buildTestApp();
    // city → east → eastSquad, and city → west.
    for (const [key, name, kind, parent] of [
      ['city', '市局', 'city', undefined],
      ['east', '东区分局', 'district', 'city'],
      ['west', '西区分局', 'district', 'city'],
      ['eastSquad', '东一中队', 'squad', 'east'],
    ] as const) {
      const response = await api('POST', '/api/units', t.adminToken, { name, kind, parentId: parent && units[parent] });
      expect(response.statusCode).toBe(201);
      units[key] = response.json().id;
    }
    for (const [key, role, unit] of [
      ['cityAuditor', 'auditor', 'city'],
      ['eastAuditor', 'auditor', 'east'],
      ['eastDispatcher', 'dispatcher', 'east'],
      ['squadAgent', 'agent', 'eastSquad'],
      ['westAgent', 'agent', 'west'],
    ] as const) {
      const response = await api('POST', '/api/users', t.adminToken, { username: key, password: `${key}-password`, role, unitId: units[unit] });
      expect(response.statusCode).toBe(201);
      users[key] = response.json().id;
      tokens[key] = await login(t.app, key, `${key}-password`);
    }
    users.admin = (await api('GET', '/api/auth/me')).json().id;
  });
  afterAll(async () => t?.close());

  it('lists for an auditor only the users of its unit subtree, and everyone for an admin', async () => {
    const east = await api('GET', '/api/users', tokens.eastAuditor);
    expect(east.statusCode).toBe(200);
    expect(idsOf(east.json())).toEqual(idsOfUsers('eastAuditor', 'eastDispatcher', 'squadAgent'));
    const city = (await api('GET', '/api/users', tokens.cityAuditor)).json();
    expect(idsOf(city)).toEqual(idsOfUsers('cityAuditor', 'eastAuditor', 'eastDispatcher', 'squadAgent', 'westAgent'));
    // The admin belongs to no unit, so it is in nobody's subtree but its own.
    expect(city.some((user: { username: string }) => user.username === 'admin')).toBe(false);
    expect((await api('GET', '/api/users')).json()).toHaveLength(6);
  });

  it('answers 404 for a user outside the auditor’s subtree, the same as for a missing one', async () => {
    expect((await api('GET', `/api/users/${users.squadAgent}`, tokens.eastAuditor)).json()).toMatchObject({ id: users.squadAgent, unitId: units.eastSquad });
    for (const id of [users.westAgent, users.cityAuditor, users.admin]) {
      const response = await api('GET', `/api/users/${id}`, tokens.eastAuditor);
      expect(response.json()).toEqual({ statusCode: 404, error: 'Not Found', message: `user ${id} not found` });
    }
    expect((await api('GET', '/api/users/999999', tokens.eastAuditor)).json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'user 999999 not found' });
    expect((await api('GET', `/api/users/${users.westAgent}`, tokens.cityAuditor)).statusCode).toBe(200);
  });

  it('moves a user out of the auditor’s sight when the user changes unit', async () => {
    const moved = await api('PATCH', `/api/users/${users.squadAgent}`, t.adminToken, { unitId: units.west });
    expect(moved.json()).toMatchObject({ unitId: units.west });
    expect((await api('GET', `/api/users/${users.squadAgent}`, tokens.eastAuditor)).statusCode).toBe(404);
    expect(idsOf((await api('GET', '/api/users', tokens.eastAuditor)).json())).not.toContain(users.squadAgent);
    await api('PATCH', `/api/users/${users.squadAgent}`, t.adminToken, { unitId: units.eastSquad });
    tokens.squadAgent = await login(t.app, 'squadAgent', 'squadAgent-password');
  });

  it('does not let a dispatcher or an agent read user accounts, even of its own unit', async () => {
    expect((await api('GET', '/api/users', tokens.eastDispatcher)).statusCode).toBe(403);
    expect((await api('GET', `/api/users/${users.squadAgent}`, tokens.eastDispatcher)).statusCode).toBe(403);
    expect((await api('GET', '/api/users', tokens.westAgent)).statusCode).toBe(403);
  });

  it('refuses a deletion by anyone but an admin and leaves the user as it was', async () => {
    for (const caller of ['eastAuditor', 'cityAuditor', 'eastDispatcher', 'squadAgent']) {
      const response = await api('DELETE', `/api/users/${users.westAgent}`, tokens[caller]);
      expect(response.json(), caller).toMatchObject({ statusCode: 403 });
    }
    expect((await api('GET', `/api/users/${users.westAgent}`)).statusCode).toBe(200);
    expect((await api('GET', '/api/auth/me', tokens.westAgent)).statusCode).toBe(200);
  });

  it('deletes a user for an admin: audited, its sessions end and it can no longer sign in', async () => {
    const second = await login(t.app, 'westAgent', 'westAgent-password');
    const deleted = await api('DELETE', `/api/users/${users.westAgent}`);
    expect(deleted.statusCode).toBe(204);
    for (const token of [tokens.westAgent, second]) {
      expect((await api('GET', '/api/auth/me', token)).statusCode).toBe(401);
    }
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'westAgent', password: 'westAgent-password' } });
    expect(again.json()).toMatchObject({ statusCode: 401, message: 'wrong username or password' });
    expect((await api('GET', `/api/users/${users.westAgent}`)).statusCode).toBe(404);
    expect(idsOf((await api('GET', '/api/users')).json())).not.toContain(users.westAgent);

    const log = (await api('GET', `/api/audit?entityType=user&entityId=${users.westAgent}`)).json();
    expect(log[0]).toMatchObject({ action: 'user.delete', username: 'admin', entityId: String(users.westAgent), ip: '127.0.0.1' });
    // The deleted user's own entries stay, under its name.
    expect(log.some((entry: { action: string; username: string }) => entry.action === 'auth.login' && entry.username === 'westAgent')).toBe(true);

    expect((await api('DELETE', `/api/users/${users.westAgent}`)).json()).toMatchObject({ statusCode: 404, message: `user ${users.westAgent} not found` });
    // The name is free again.
    const recreated = await api('POST', '/api/users', t.adminToken, { username: 'westAgent', password: 'another-password', role: 'agent', unitId: units.west });
    expect(recreated.statusCode).toBe(201);
    expect(recreated.json().id).not.toBe(users.westAgent);
  });

  it('refuses an admin deleting its own account', async () => {
    expect((await api('DELETE', `/api/users/${users.admin}`)).json()).toMatchObject({ statusCode: 409, message: 'you cannot delete your own account' });
    expect((await api('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('stores passwords as argon2id hashes, never the password, on creation and on change', async () => {
    const created = await getUserCredentials(t.db.client, 'eastDispatcher');
    expect(created?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(created?.passwordHash).not.toContain('eastDispatcher-password');
    const changed = await api('PATCH', `/api/users/${users.eastDispatcher}`, t.adminToken, { password: 'a-new-password' });
    expect(changed.statusCode).toBe(200);
    const after = await getUserCredentials(t.db.client, 'eastDispatcher');
    expect(after?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(after?.passwordHash).not.toBe(created?.passwordHash);
    // The admin created on first start too.
    const { rows } = await t.db.client.query<{ hash: string }>(`SELECT password_hash AS hash FROM users WHERE username = 'admin'`);
    expect(rows[0]?.hash).toMatch(/^\$argon2id\$/);
  });
});
