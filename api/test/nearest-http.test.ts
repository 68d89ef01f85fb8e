import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { upsertDeviceStates, type DeviceRecord } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { buildApp } from '../src/app.ts';
import { ADMIN_PASSWORD, bearer, login } from './helper.ts';
import { addDevice, position, signedInAs, twoSquads } from './track-http-fixtures.ts';

const north = (metres: number) => 22.5 + metres / 111_195;

async function startOsrm(): Promise<{ server: Server; url: string; requests: number }> {
  // Speaks the OSRM table format; the last source (the car farthest away) has the quickest road.
  const state = { server: null as unknown as Server, url: '', requests: 0 };
  state.server = createServer((request, response) => {
    state.requests++;
    const sources = new URL(request.url!, 'http://osrm').searchParams.get('sources')!.split(';');
    const durations = sources.map((_, i) => [i === sources.length - 1 ? 30 : 300 + i]);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ code: 'Ok', durations, distances: durations.map(([d]) => [d! * 8]) }));
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
}

describe('GET /api/dispatch/nearest', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let admin: string;
  let eastToken: string;
  let cars: DeviceRecord[];
  let units: { city: number; east: number; west: number };
  let osrm: Awaited<ReturnType<typeof startOsrm>>;

  beforeAll(async () => {
    osrm = await startOsrm();
    db = await createTestDatabase();
    units = await twoSquads(db.client);
    cars = [
      await addDevice(db.client, units.east),
      await addDevice(db.client, units.west),
      await addDevice(db.client, units.east, { dispatchStatus: 'on_task' }),
      await addDevice(db.client, units.east),
    ];
    const now = Date.now();
    await upsertDeviceStates(
      db.client,
      cars.slice(0, 3).map((car, i) => ({
        deviceId: car.id,
        online: true,
        lastSeenMs: now,
        position: position(now - 5_000, north(100 * (i + 1)), 114, 0),
        transport: 'tcp' as const,
        remoteAddress: null,
      })),
    );
    // The index is seeded when the app becomes ready, from what the database holds then.
    app = await buildApp({ client: db.client, logger: false, config: { adminPassword: ADMIN_PASSWORD } });
    await app.ready();
    admin = await login(app, 'admin', ADMIN_PASSWORD);
    eastToken = await signedInAs(app, db.client, 'dispatcher', units.east);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await new Promise<void>((resolve) => osrm.server.close(() => resolve()));
  });

  const ask = (query: string, token = admin) => app.inject({ url: `/api/dispatch/nearest?lat=22.5&lon=114${query}`, headers: bearer(token) });

  it('answers fresh standby vehicles by distance, seeded from the latest positions', async () => {
    const response = await ask('&limit=5');
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    expect(answer.map((v: { deviceId: number }) => v.deviceId)).toEqual([cars[0]!.id, cars[1]!.id]);
    expect(answer[0]).toMatchObject({ distanceMeters: 100, dispatchStatus: 'standby', method: 'greatCircle', etaSeconds: 12 });
    expect(answer[0].position.lat).toBeCloseTo(north(100), 6);
    expect(answer[0].position.fixTime).toMatch(/Z$/);
  });

  it('filters by status and by the caller’s unit subtree', async () => {
    const all = await ask('&status=standby,on_task');
    expect(all.json().map((v: { deviceId: number }) => v.deviceId)).toEqual([cars[0]!.id, cars[1]!.id, cars[2]!.id]);
    const east = await ask('&status=standby,on_task', eastToken);
    expect(east.json().map((v: { deviceId: number }) => v.deviceId)).toEqual([cars[0]!.id, cars[2]!.id]);
    expect((await ask(`&unitId=${units.west}`, eastToken)).statusCode).toBe(404);
    expect((await ask(`&unitId=${units.west}`)).json().map((v: { deviceId: number }) => v.deviceId)).toEqual([cars[1]!.id]);
    const bad = await ask('&status=parked');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('status');
  });

  it('follows the live feed: positions move vehicles, device edits change their status', async () => {
    const nowMs = Date.now();
    app.liveFeed.emit('position', {
      deviceId: cars[3]!.id, uniqueId: cars[3]!.uniqueId, fixTime: new Date(nowMs).toISOString(), fixTimeMs: nowMs, lat: north(10), lon: 114,
      speedKmh: 20, course: 0, altitude: 0, valid: true, alarms: [], attributes: {},
    });
    app.liveFeed.emit('device', { deviceId: cars[0]!.id, device: { ...cars[0]!, dispatchStatus: 'unavailable' } });
    const answer = (await ask('')).json();
    expect(answer.map((v: { deviceId: number }) => v.deviceId)).toEqual([cars[3]!.id, cars[1]!.id]);
    expect(answer[0].distanceMeters).toBe(10);
  });

  it('re-ranks by road time when OSRM_URL is set, and says so', async () => {
    process.env.OSRM_URL = osrm.url;
    const routed = await buildApp({ client: db.client, logger: false, config: { adminPassword: ADMIN_PASSWORD } });
    delete process.env.OSRM_URL;
    try {
      await routed.ready();
      const token = await login(routed, 'admin', ADMIN_PASSWORD);
      const response = await routed.inject({ url: '/api/dispatch/nearest?lat=22.5&lon=114&status=standby,on_task', headers: bearer(token) });
      const answer = response.json();
      expect(answer.map((v: { method: string }) => v.method)).toEqual(['osrm', 'osrm', 'osrm']);
      expect(answer.map((v: { deviceId: number }) => v.deviceId)).toEqual([cars[2]!.id, cars[0]!.id, cars[1]!.id]);
      expect(answer[0]).toMatchObject({ etaSeconds: 30, roadDistanceMeters: 240, distanceMeters: 300 });
      expect(osrm.requests).toBe(1);
    } finally {
      await routed.close();
    }
  });
});
