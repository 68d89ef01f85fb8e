import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertDeviceStates, writePositions } from '@urbanlink/db';
import type { Position } from '@urbanlink/protocols';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

function fix(uniqueId: string, fixTime: string, lat: number, lon: number): Position {
  return {
    uniqueId, fixTimeMs: Date.parse(fixTime), lat, lon, altitudeM: 12, speedKmh: 36, course: 90, valid: true,
    satellites: 9, ignition: true, odometerKm: null, fuelL: null, alarms: [], attributes: { signal: 4 },
  };
}

describe('devices and positions', () => {
  let t: TestApp;
  let squad: number;
  let other: number;
  let dispatcher: string;

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, token = t.adminToken) =>
    t.app.inject({ method, url, payload, headers: bearer(token) });

  beforeAll(async () => {
    t = await buildTestApp();
    squad = (await api('POST', '/api/units', { name: '一中队', kind: 'squad' })).json().id;
    other = (await api('POST', '/api/units', { name: '二中队', kind: 'squad' })).json().id;
    await api('POST', '/api/users', { username: 'd1', password: 'dispatcher-1', role: 'dispatcher', unitId: squad });
    dispatcher = await login(t.app, 'd1', 'dispatcher-1');
  });
  afterAll(async () => t?.close());

  it('registers a device (201), refuses a duplicate uniqueId (409) and names bad fields (400)', async () => {
    const created = await api('POST', '/api/devices', { uniqueId: '013912345678', name: '巡逻车 1', protocol: 'jt808', plate: '粤B12345', unitId: squad });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ uniqueId: '13912345678', status: 'unknown', dispatchStatus: 'standby', position: null, unitId: squad });
    expect(created.json()).not.toHaveProperty('authCode');
    expect((await api('POST', '/api/devices', { uniqueId: '13912345678', name: 'again' })).statusCode).toBe(409);
    const badImei = await api('POST', '/api/devices', { uniqueId: '12345', name: 'x', protocol: 'gt06' });
    expect(badImei.json()).toMatchObject({ statusCode: 400, field: 'uniqueId' });
    const badStatus = await api('POST', '/api/devices', { uniqueId: '868120145233604', name: 'x', dispatchStatus: 'busy' });
    expect(badStatus.json()).toMatchObject({ statusCode: 400, field: 'dispatchStatus' });
    const unknownUnit = await api('POST', '/api/devices', { uniqueId: '868120145233604', name: 'x', unitId: 424242 });
    expect(unknownUnit.statusCode).toBe(404);
    expect((await api('GET', '/api/devices/999999')).statusCode).toBe(404);
  });

  it('shows status, dispatch status and the latest position, and lists stored fixes in order', async () => {
    const device = (await api('POST', '/api/devices', { uniqueId: '868120145233604', name: '巡逻车 2', protocol: 'gt06', unitId: squad })).json();
    const fixes = [fix('868120145233604', '2026-11-28T08:00:10Z', 22.54, 114.05), fix('868120145233604', '2026-11-28T08:00:00Z', 22.5, 114.0)];
    await writePositions(t.db.client, fixes.map((position) => ({ deviceId: device.id, position })));
    await upsertDeviceStates(t.db.client, [{ deviceId: device.id, online: true, lastSeenMs: Date.now(), position: fixes[0]!, transport: 'tcp', remoteAddress: '10.0.0.9:5000' }]);

    const one = (await api('GET', `/api/devices/${device.id}`)).json();
    expect(one).toMatchObject({ status: 'online', dispatchStatus: 'standby', position: { fixTime: '2026-11-28T08:00:10.000Z', lat: 22.54, lon: 114.05, speedKmh: 36, altitude: 12, valid: true } });

    const track = await api('GET', `/api/devices/${device.id}/positions?from=2026-11-28T15:59:00%2B08:00&to=2026-11-28T08:01:00Z`);
    expect(track.statusCode).toBe(200);
    expect(track.json().map((p: { fixTime: string }) => p.fixTime)).toEqual(['2026-11-28T08:00:00.000Z', '2026-11-28T08:00:10.000Z']);
    expect(Object.keys(track.json()[0])).toEqual(expect.arrayContaining(['fixTime', 'lat', 'lon', 'speedKmh', 'course', 'altitude', 'valid', 'attributes']));
    const noZone = await api('GET', `/api/devices/${device.id}/positions?from=2026-11-28T08:00:00`);
    expect(noZone.json()).toMatchObject({ statusCode: 400, field: 'from' });
    const backwards = await api('GET', `/api/devices/${device.id}/positions?from=2026-11-29T00:00:00Z&to=2026-11-28T00:00:00Z`);
    expect(backwards.statusCode).toBe(400);

    const latest = (await api('GET', '/api/positions/latest')).json();
    expect(latest).toEqual([expect.objectContaining({ deviceId: device.id, lat: 22.54, fixTime: '2026-11-28T08:00:10.000Z' })]);
  });

  it('lets a dispatcher set dispatchStatus only, within its unit, and audits the change', async () => {
    const mine = (await api('GET', '/api/devices', undefined, dispatcher)).json();
    expect(mine.length).toBe(2);
    const theirs = (await api('POST', '/api/devices', { uniqueId: '868120145233605', name: 'other', unitId: other })).json();
    expect((await api('GET', `/api/devices/${theirs.id}`, undefined, dispatcher)).statusCode).toBe(404);
    expect((await api('PATCH', `/api/devices/${theirs.id}`, { dispatchStatus: 'on_task' }, dispatcher)).statusCode).toBe(404);

    const target = mine[0].id;
    expect((await api('PATCH', `/api/devices/${target}`, { name: 'renamed' }, dispatcher)).statusCode).toBe(403);
    const patched = await api('PATCH', `/api/devices/${target}`, { dispatchStatus: 'on_task' }, dispatcher);
    expect(patched.statusCode).toBe(200);
    expect(patched.json().dispatchStatus).toBe('on_task');
    expect((await api('GET', `/api/devices?dispatchStatus=on_task`, undefined, dispatcher)).json().map((d: { id: number }) => d.id)).toEqual([target]);

    const log = (await api('GET', `/api/audit?entityType=device&entityId=${target}`)).json();
    expect(log[0]).toMatchObject({ action: 'device.update', username: 'd1', details: { before: { dispatchStatus: 'standby' }, after: { dispatchStatus: 'on_task' } } });
  });

  it('lets an admin edit and delete devices; a uniqueId clash is a 409', async () => {
    const list = (await api('GET', '/api/devices')).json();
    const [a, b] = list;
    expect((await api('PATCH', `/api/devices/${a.id}`, { uniqueId: b.uniqueId, protocol: b.protocol })).statusCode).toBe(409);
    const moved = await api('PATCH', `/api/devices/${a.id}`, { plate: null, timeZoneOffsetMinutes: 480, unitId: other });
    expect(moved.json()).toMatchObject({ plate: null, timeZoneOffsetMinutes: 480, unitId: other });
    expect((await api('PATCH', `/api/devices/${a.id}`, {})).statusCode).toBe(400);
    expect((await api('DELETE', `/api/devices/${a.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/api/devices/${a.id}`)).statusCode).toBe(404);
  });

  it('keeps a device speed limit as its own field: checked, kept across attribute edits, cleared with null', async () => {
    const created = await api('POST', '/api/devices', { uniqueId: '868120145233699', name: '限速车', protocol: 'gt06', speedLimitKmh: 60, attributes: { colour: 'white' } });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    expect(created.json()).toMatchObject({ speedLimitKmh: 60, attributes: { colour: 'white' } });
    const recoloured = await api('PATCH', `/api/devices/${id}`, { attributes: { colour: 'blue' } });
    expect(recoloured.json()).toMatchObject({ speedLimitKmh: 60, attributes: { colour: 'blue' } });
    expect(recoloured.json().attributes).not.toHaveProperty('speedLimitKmh');
    expect((await api('PATCH', `/api/devices/${id}`, { speedLimitKmh: 45.5 })).json()).toMatchObject({ speedLimitKmh: 45.5, attributes: { colour: 'blue' } });
    for (const bad of [0, -10, 301, 'fast', {}]) {
      const response = await api('PATCH', `/api/devices/${id}`, { speedLimitKmh: bad });
      expect(response.json(), String(bad)).toMatchObject({ statusCode: 400, field: 'speedLimitKmh' });
    }
    const hidden = await api('POST', '/api/devices', { uniqueId: '868120145233698', name: 'x', attributes: { speedLimitKmh: 'fast' } });
    expect(hidden.json()).toMatchObject({ statusCode: 400, field: 'attributes.speedLimitKmh' });
    expect((await api('PATCH', `/api/devices/${id}`, { speedLimitKmh: null })).json()).toMatchObject({ speedLimitKmh: null, attributes: { colour: 'blue' } });
    expect((await api('GET', `/api/devices/${id}`)).json().speedLimitKmh).toBeNull();
  });
});
