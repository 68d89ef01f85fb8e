import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '@urbanlink/db';
import { bearer, buildTestApp, type TestApp } from './helper.ts';
import { signedInAs, twoSquads } from './track-http-fixtures.ts';

const circle = { type: 'circle', center: { lat: 22.5, lon: 114 }, radiusMeters: 500 };
const square = { type: 'polygon', points: [{ lat: 22.5, lon: 114 }, { lat: 22.5, lon: 114.01 }, { lat: 22.51, lon: 114.01 }, { lat: 22.51, lon: 114 }] };

describe('geofence routes', () => {
  let t: TestApp;
  let units: { city: number; east: number; west: number };
  let east: string;
  let west: string;

  beforeAll(async () => {
    t = await buildTestApp();
    units = await twoSquads(t.db.client);
    east = await signedInAs(t.app, t.db.client, 'dispatcher', units.east);
    west = await signedInAs(t.app, t.db.client, 'dispatcher', units.west);
  });

  afterAll(() => t.close());

  it('creates, reads, changes and deletes a fence within the dispatcher’s unit, audited', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/geofences', headers: bearer(east), payload: { name: 'Market', shape: circle, speedLimitKmh: 20 } });
    expect(created.statusCode).toBe(201);
    const fence = created.json();
    expect(fence).toMatchObject({ name: 'Market', unitId: units.east, shape: circle, speedLimitKmh: 20 });
    expect((await t.app.inject({ url: `/api/geofences/${fence.id}`, headers: bearer(west) })).statusCode).toBe(404);
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/geofences/${fence.id}`, headers: bearer(east), payload: { shape: square, speedLimitKmh: null } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ shape: square, speedLimitKmh: null });
    const listed = await t.app.inject({ url: '/api/geofences', headers: bearer(east) });
    expect(listed.json().map((f: { id: number }) => f.id)).toContain(fence.id);
    expect((await t.app.inject({ url: '/api/geofences', headers: bearer(west) })).json()).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/geofences/${fence.id}`, headers: bearer(west) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/geofences/${fence.id}`, headers: bearer(east) })).statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/geofences/${fence.id}`, headers: bearer(east) })).statusCode).toBe(404);
    const trail = await listAudit(t.db.client, { unitIds: null, entityType: 'geofence', entityId: String(fence.id), limit: 10 });
    expect(trail.map((e) => e.action).sort()).toEqual(['geofence.create', 'geofence.delete', 'geofence.update']);
  });

  it('refuses bad shapes naming the field, other units, and fences for all from non-admins', async () => {
    const open = await t.app.inject({ method: 'POST', url: '/api/geofences', headers: bearer(east), payload: { name: 'x', shape: { type: 'polygon', points: square.points.slice(0, 2) } } });
    expect(open.statusCode).toBe(400);
    expect(open.json().field).toMatch(/shape/);
    const noRadius = await t.app.inject({ method: 'POST', url: '/api/geofences', headers: bearer(east), payload: { name: 'x', shape: { ...circle, radiusMeters: 0 } } });
    expect(noRadius.statusCode).toBe(400);
    // Another unit's id is answered as unknown, so ids cannot be probed.
    const elsewhere = await t.app.inject({ method: 'POST', url: '/api/geofences', headers: bearer(east), payload: { name: 'x', shape: circle, unitId: units.west } });
    expect(elsewhere.statusCode).toBe(404);
    const everyone = await t.app.inject({ method: 'POST', url: '/api/geofences', headers: bearer(east), payload: { name: 'x', shape: circle, unitId: null } });
    expect(everyone.statusCode).toBe(403);
    const admin = await t.app.inject({ method: 'POST', url: '/api/geofences', headers: bearer(t.adminToken), payload: { name: 'City', shape: circle, unitId: null } });
    expect(admin.statusCode).toBe(201);
    expect((await t.app.inject({ url: '/api/geofences', headers: bearer(west) })).json().map((f: { name: string }) => f.name)).toEqual(['City']);
  });
});
