import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceRecord } from '@urbanlink/db';
import { bearer, buildTestApp, type TestApp } from './helper.ts';
import { addDevice, position, signedInAs, storePositions, twoSquads } from './track-http-fixtures.ts';

const START = Date.UTC(2026, 10, 1, 0, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe('track playback over HTTP', () => {
  let t: TestApp;
  let car: DeviceRecord;
  let other: DeviceRecord;
  let westToken: string;

  beforeAll(async () => {
    t = await buildTestApp();
    const units = await twoSquads(t.db.client);
    car = await addDevice(t.db.client, units.east, { plate: '粤B·00001' });
    other = await addDevice(t.db.client, units.west);
    // 30 min driving north at 36 km/h, 10 min parked, 20 min driving east: 3 600 fixes at 1 Hz.
    const fixes = [];
    let lat = 22.5;
    let lon = 114;
    for (let s = 0; s < 3600; s++) {
      const driving = s < 1800 || s >= 2400;
      if (driving && s < 1800) lat += 10 / 111_195;
      if (driving && s >= 2400) lon += 10 / 102_730;
      fixes.push(position(START + s * 1000, lat, lon, driving ? 36 : 0));
    }
    await storePositions(t.db.client, car.id, fixes);
    await storePositions(t.db.client, other.id, fixes.slice(0, 100));
    westToken = await signedInAs(t.app, t.db.client, 'dispatcher', units.west);
  });

  afterAll(() => t.close());

  const url = (id: number, query: string) => `/api/devices/${id}/track?from=${iso(START)}&to=${iso(START + 3_600_000)}${query}`;

  it('returns every fix with trips, stops and totals as JSON', async () => {
    const response = await t.app.inject({ url: url(car.id, ''), headers: bearer(t.adminToken) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const [track] = response.json().tracks;
    expect(track.plate).toBe('粤B·00001');
    expect(track.points).toHaveLength(3600);
    expect(track.points[0].fixTime).toBe(iso(START));
    expect(track.stops).toHaveLength(1);
    expect(track.stops[0].durationSeconds).toBeCloseTo(600, -1);
    expect(track.trips).toHaveLength(2);
    expect(track.summary.distanceMeters).toBeCloseTo(29_990, -2);
    expect(track.summary.maxSpeedKmh).toBe(36);
    expect(track.summary.averageSpeedKmh).toBeCloseTo(36, 0);
  });

  it('simplifies to the tolerance asked while totals still count every fix', async () => {
    const response = await t.app.inject({ url: url(car.id, '&tolerance=5'), headers: bearer(t.adminToken) });
    const [track] = response.json().tracks;
    expect(track.points.length).toBeLessThan(20);
    expect(track.summary.pointCount).toBe(3600);
    expect(track.summary.returnedPoints).toBe(track.points.length);
  });

  it('exports GPX and CSV', async () => {
    const gpx = await t.app.inject({ url: url(car.id, '&format=gpx&tolerance=1'), headers: bearer(t.adminToken) });
    expect(gpx.headers['content-type']).toMatch(/^application\/gpx\+xml/);
    expect(gpx.body).toMatch(/^<\?xml/);
    expect(gpx.body).toContain('<ul:distanceMeters>');
    const csv = await t.app.inject({ url: url(other.id, '&format=csv'), headers: bearer(t.adminToken) });
    expect(csv.headers['content-disposition']).toBe(`inline; filename="track-${other.id}.csv"`);
    expect(csv.body.trimEnd().split('\r\n')).toHaveLength(101);
  });

  it('plays several devices at once, streamed over a real socket', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const response = await fetch(
      `http://127.0.0.1:${port}/api/tracks?deviceIds=${car.id},${other.id}&from=${iso(START)}&to=${iso(START + 3_600_000)}&format=geojson&tolerance=2`,
      { headers: bearer(t.adminToken) },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const doc = (await response.json()) as { features: { properties: { kind: string; deviceId: number } }[] };
    const summaries = doc.features.filter((f) => f.properties.kind === 'summary').map((f) => f.properties.deviceId);
    expect(summaries).toEqual([car.id, other.id]);
  });

  it('reads back signed, fractional and invalid fixes exactly as stored', async () => {
    const odd = await addDevice(t.db.client, null);
    const fixes = [
      { ...position(START, -33.865143, -70.512345, 12.5), altitudeM: -5.5, course: 359 },
      { ...position(START + 1500, -33.86514, -70.51234, 0.25), valid: false },
      position(START + 2001, 0.000001, -0.000001, 120),
    ];
    await storePositions(t.db.client, odd.id, fixes);
    const [track] = (await t.app.inject({ url: url(odd.id, ''), headers: bearer(t.adminToken) })).json().tracks;
    expect(track.points).toEqual(
      fixes.map((p) => ({ fixTime: iso(p.fixTimeMs), lat: p.lat, lon: p.lon, speedKmh: p.speedKmh, course: p.course, altitude: p.altitudeM, valid: p.valid })),
    );
  });

  it('keeps other units out and rejects bad periods', async () => {
    expect((await t.app.inject({ url: url(car.id, ''), headers: bearer(westToken) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: url(other.id, ''), headers: bearer(westToken) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: url(car.id, '') })).statusCode).toBe(401);
    const backwards = await t.app.inject({ url: `/api/devices/${car.id}/track?from=${iso(START + 1000)}&to=${iso(START)}`, headers: bearer(t.adminToken) });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().message).toMatch(/later than/);
    const badFormat = await t.app.inject({ url: url(car.id, '&format=kml'), headers: bearer(t.adminToken) });
    expect(badFormat.statusCode).toBe(400);
  });
});
