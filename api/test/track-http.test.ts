import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDetectedAlarms, type DeviceRecord } from '@urbanlink/db';
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

  it('detects trips and stops with the thresholds asked: stopSpeedKmh and minStopSeconds', async () => {
    const track = async (query: string) => (await t.app.inject({ url: url(car.id, query), headers: bearer(t.adminToken) })).json().tracks[0];
    // The 10-minute halt is shorter than the stop asked for: one trip through it, no stop.
    const patient = await track('&minStopSeconds=700');
    expect(patient.stops).toEqual([]);
    expect(patient.trips).toHaveLength(1);
    expect(patient.trips[0].durationSeconds).toBeCloseTo(3599, 0);
    // Under 40 km/h counts as standing still: the 36 km/h drives are one long stop, no trip and no moving time.
    const strict = await track('&stopSpeedKmh=40');
    expect(strict.trips).toEqual([]);
    expect(strict.stops).toHaveLength(1);
    expect(strict.stops[0].durationSeconds).toBeCloseTo(3599, 0);
    expect(strict.summary.movingSeconds).toBe(0);
  });

  it('lists the alarms on the way oldest first, and says so when only the oldest 10 000 fit', async () => {
    const alarm = (deviceId: number, atMs: number, kind: string) => ({
      deviceId, source: 'terminal' as const, kind, geofenceId: null, occurredAtMs: atMs, lat: 22.5, lon: 114, speedKmh: 0, details: {},
    });
    // Stored out of order, one before the period and one at its (excluded) end.
    await insertDetectedAlarms(t.db.client, [
      alarm(car.id, START + 3_000_000, 'powerCut'), alarm(car.id, START + 100_000, 'sos'), alarm(car.id, START - 1000, 'sos'),
      alarm(car.id, START + 2_000_000, 'vibration'), alarm(car.id, START + 3_600_000, 'sos'),
    ]);
    const [track] = (await t.app.inject({ url: url(car.id, ''), headers: bearer(t.adminToken) })).json().tracks;
    expect(track.alarms.map((a: { kind: string; time: string }) => [a.kind, a.time])).toEqual([
      ['sos', iso(START + 100_000)], ['vibration', iso(START + 2_000_000)], ['powerCut', iso(START + 3_000_000)],
    ]);
    expect(track.summary.alarmsTruncated).toBe(false);

    // A terminal flapping its alarm ten times a second for 17 minutes: more than the cap.
    const flapping = await addDevice(t.db.client, null);
    await insertDetectedAlarms(t.db.client, Array.from({ length: 10_200 }, (_, i) => alarm(flapping.id, START + i * 100, 'vibration')));
    const [capped] = (await t.app.inject({ url: url(flapping.id, ''), headers: bearer(t.adminToken) })).json().tracks;
    expect(capped.summary.alarmsTruncated).toBe(true);
    expect(capped.alarms.length).toBeGreaterThan(0);
    expect(capped.alarms.length).toBeLessThanOrEqual(10_000);
    // The oldest, in order, without a gap.
    expect(capped.alarms.map((a: { time: string }) => a.time)).toEqual(capped.alarms.map((_: unknown, i: number) => iso(START + i * 100)));
  });

  it('declares the 200 answer in each format in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json();
    for (const path of ['/api/devices/{id}/track', '/api/tracks']) {
      expect(Object.keys(doc.paths[path].get.responses['200'].content).sort()).toEqual(['application/geo+json', 'application/gpx+xml', 'application/json', 'text/csv']);
    }
    expect(doc.paths['/api/tracks'].get.responses['200'].content['application/json'].schema.properties.tracks.items.properties.summary.properties).toHaveProperty('alarmsTruncated');
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
    expect(backwards.json()).toMatchObject({ statusCode: 400, field: 'to' });
    expect(backwards.json().message).toMatch(/later than/);
    const tooLong = await t.app.inject({ url: `/api/tracks?deviceIds=${car.id}&from=${iso(START)}&to=${iso(START + 367 * 86_400_000)}`, headers: bearer(t.adminToken) });
    expect(tooLong.json()).toMatchObject({ statusCode: 400, field: 'to', message: 'the period from `from` to `to` may not exceed 366 days' });
    const badStop = await t.app.inject({ url: url(car.id, '&minStopSeconds=0'), headers: bearer(t.adminToken) });
    expect(badStop.json()).toMatchObject({ statusCode: 400, field: 'minStopSeconds' });
    const badFormat = await t.app.inject({ url: url(car.id, '&format=kml'), headers: bearer(t.adminToken) });
    expect(badFormat.statusCode).toBe(400);
  });
});
