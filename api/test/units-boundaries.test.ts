import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '@urbanlink/db';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

type Ring = [number, number][];
const ring = (lon: number, lat: number, size = 0.05): Ring => [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]];
const polygon = (lon: number, lat: number) => ({ type: 'Polygon', coordinates: [ring(lon, lat)] });

describe("units' boundaries", () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  let eastToken: string;

  async function send(method: 'POST' | 'PATCH', url: string, payload: object, token = t.adminToken) {
    return t.app.inject({ method, url, payload, headers: bearer(token) });
  }

  beforeAll(async () => {
    t = await buildTestApp();
    const city = await send('POST', '/api/units', { name: '市局', kind: 'city', boundary: polygon(104.0, 30.6) });
    expect(city.statusCode).toBe(201);
    ids.city = city.json().id;
    const east = await send('POST', '/api/units', { name: '东区分局', kind: 'district', parentId: ids.city, boundary: { type: 'MultiPolygon', coordinates: [[ring(104.1, 30.6)], [ring(104.2, 30.6)]] } });
    ids.east = east.json().id;
    ids.west = (await send('POST', '/api/units', { name: '西区分局', kind: 'district', parentId: ids.city, boundary: polygon(103.9, 30.6) })).json().id;
    ids.squad = (await send('POST', '/api/units', { name: '东一中队', kind: 'squad', parentId: ids.east })).json().id;
    await send('POST', '/api/users', { username: 'east.d', password: 'dispatch-pass-1', role: 'dispatcher', unitId: ids.east });
    eastToken = await login(t.app, 'east.d', 'dispatch-pass-1');
  });
  afterAll(async () => t?.close());

  it('stores and returns a boundary on create, read and list', async () => {
    const one = await t.app.inject({ url: `/api/units/${ids.city}`, headers: bearer(t.adminToken) });
    expect(one.json().boundary).toEqual(polygon(104.0, 30.6));
    const list = await t.app.inject({ url: '/api/units', headers: bearer(t.adminToken) });
    expect(list.json().find((u: { id: number }) => u.id === ids.east).boundary.type).toBe('MultiPolygon');
    expect(list.json().find((u: { id: number }) => u.id === ids.squad).boundary).toBeNull();
  });

  it("serves the caller's subtree as one FeatureCollection, units without a boundary left out", async () => {
    const all = await t.app.inject({ url: '/api/units/boundaries', headers: bearer(t.adminToken) });
    expect(all.statusCode).toBe(200);
    expect(all.json().type).toBe('FeatureCollection');
    expect(all.json().features.map((f: { id: number }) => f.id)).toEqual([ids.city, ids.east, ids.west]);
    const mine = await t.app.inject({ url: '/api/units/boundaries', headers: bearer(eastToken) });
    expect(mine.json()).toEqual({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: ids.east,
          geometry: { type: 'MultiPolygon', coordinates: [[ring(104.1, 30.6)], [ring(104.2, 30.6)]] },
          properties: { id: ids.east, parentId: ids.city, name: '东区分局', kind: 'district' },
        },
      ],
    });
    expect((await t.app.inject({ url: '/api/units/boundaries' })).statusCode).toBe(401);
  });

  it('answers 400 naming the field for a boundary that cannot be drawn', async () => {
    const url = `/api/units/${ids.squad}`;
    const cases: Array<[object, string, RegExp]> = [
      [{ type: 'Point', coordinates: [[[104, 30]]] }, 'boundary.type', /./],
      [{ type: 'Polygon', coordinates: [[[104, 30], [104.1, 30], [104, 30]]] }, 'boundary.coordinates.0', /at least 4/],
      [{ type: 'Polygon', coordinates: [[[104, 30], [104.1, 30], [104.1, 30.1], [104, 30.1]]] }, 'boundary.coordinates.0', /not closed/],
      [{ type: 'Polygon', coordinates: [[[104, 30], [30.1, 104.1], [104.1, 30.1], [104, 30]]] }, 'boundary.coordinates.0.1', /latitude 104.1/],
      [{ type: 'Polygon', coordinates: [[[104, 30], [181, 30], [104.1, 30.1], [104, 30]]] }, 'boundary.coordinates.0.1', /longitude 181/],
      [{ type: 'Polygon', coordinates: [[[104, 30], ['104.1', 30], [104.1, 30.1], [104, 30]]] }, 'boundary.coordinates.0.1', /\[lon, lat\]/],
      [{ type: 'MultiPolygon', coordinates: [[ring(104, 30)], [[[104, 30], [104.1, 30], [104, 30]]]] }, 'boundary.coordinates.1.0', /at least 4/],
      [{ type: 'MultiPolygon', coordinates: [ring(104, 30)] }, 'boundary.coordinates.0.0', /must be a ring/],
      [{ type: 'Polygon' }, 'boundary.coordinates', /./],
    ];
    for (const [boundary, field, message] of cases) {
      const response = await send('PATCH', url, { boundary });
      expect(response.statusCode, JSON.stringify(boundary)).toBe(400);
      expect(response.json().field, JSON.stringify(boundary)).toBe(field);
      expect(response.json().message).toMatch(message);
    }
    const created = await send('POST', '/api/units', { name: 'x', kind: 'squad', boundary: { type: 'Polygon', coordinates: [[[104, 30], [104, 30]]] } });
    expect(created.json()).toMatchObject({ statusCode: 400, field: 'boundary.coordinates.0' });
    expect((await t.app.inject({ url, headers: bearer(t.adminToken) })).json().boundary).toBeNull();
  });

  it('changes and clears a boundary by admins only, audited', async () => {
    const url = `/api/units/${ids.squad}`;
    expect((await send('PATCH', url, { boundary: polygon(104.15, 30.62) }, eastToken)).statusCode).toBe(403);
    const set = await send('PATCH', url, { boundary: polygon(104.15, 30.62) });
    expect(set.statusCode).toBe(200);
    expect(set.json().boundary).toEqual(polygon(104.15, 30.62));
    const mine = await t.app.inject({ url: '/api/units/boundaries', headers: bearer(eastToken) });
    expect(mine.json().features.map((f: { id: number }) => f.id)).toEqual([ids.east, ids.squad]);
    const renamed = await send('PATCH', url, { name: '东一中队（新）' });
    expect(renamed.json().boundary).toEqual(polygon(104.15, 30.62));
    const cleared = await send('PATCH', url, { boundary: null });
    expect(cleared.json().boundary).toBeNull();
    const trail = await listAudit(t.db.client, { unitIds: null, entityType: 'unit', entityId: String(ids.squad), limit: 10 });
    expect(trail.map((e) => e.action)).toContain('unit.update');
    expect(trail.some((e) => JSON.stringify(e.details).includes('"boundary":null'))).toBe(true);
    expect(trail.some((e) => JSON.stringify(e.details).includes('104.15'))).toBe(true);
  });

  it('documents the field and the route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json();
    expect(doc.paths['/api/units/boundaries'].get).toBeDefined();
    expect(JSON.stringify(doc.paths['/api/units'].post)).toContain('MultiPolygon');
  });
});
