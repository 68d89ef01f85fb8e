import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { insertDetectedAlarms, listAudit, type DeviceRecord } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { buildApp } from '../src/app.ts';
import { ADMIN_PASSWORD, bearer, login } from './helper.ts';
import { addDevice, signedInAs, twoSquads } from './track-http-fixtures.ts';

const LEAP_SECOND = '2026-12-31T23:59:60Z';
const circle = { type: 'circle', center: { lat: 22.5, lon: 114 }, radiusMeters: 500 };

/** Bad input from any caller is a 4xx naming the field; unknown ids and ids outside the caller's units are 404s. */
describe('answers to bad requests', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let admin: string;
  let east: string;
  let units: { city: number; east: number; west: number };
  let car: DeviceRecord;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: object) => app.inject({ method, url, payload, headers: bearer(token) });

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ client: db.client, logger: false, config: { adminPassword: ADMIN_PASSWORD } });
    // What a route that hands a time PostgreSQL cannot hold to SQL would do: the error handler's backstop answers it.
    app.get('/api/test-invalid-time', async () => listAudit(app.db, { unitIds: null, from: new Date(-8.64e15), limit: 1 }));
    await app.ready();
    admin = await login(app, 'admin', ADMIN_PASSWORD);
    units = await twoSquads(db.client);
    east = await signedInAs(app, db.client, 'dispatcher', units.east);
    car = await addDevice(db.client, units.east);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers a leap second (valid ISO 8601, unreadable here) with a 400 naming the field, on every time query', async () => {
    for (const [url, field] of [
      [`/api/alarms?from=${LEAP_SECOND}`, 'from'],
      [`/api/alarms?to=${LEAP_SECOND}`, 'to'],
      [`/api/devices/${car.id}/positions?from=${LEAP_SECOND}`, 'from'],
      [`/api/devices/${car.id}/positions?from=2026-12-31T00:00:00Z&to=${LEAP_SECOND}`, 'to'],
      [`/api/audit?from=${LEAP_SECOND}`, 'from'],
      [`/api/audit?to=${LEAP_SECOND}`, 'to'],
      [`/api/devices/${car.id}/track?from=${LEAP_SECOND}&to=2027-01-01T00:00:00Z`, 'from'],
      [`/api/stats/tickets?from=${LEAP_SECOND}`, 'from'],
      [`/api/tickets?to=${LEAP_SECOND}`, 'to'],
      [`/api/followups/due?at=${LEAP_SECOND}`, 'at'],
    ]) {
      const response = await call('GET', url!, admin);
      expect(response.json(), url).toMatchObject({ statusCode: 400, field, message: expect.stringContaining('not a time this server can read') });
    }
  });

  it('answers PostgreSQL’s time-out-of-range error with a 400, not a 500', async () => {
    const response = await call('GET', '/api/test-invalid-time', admin);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'a date or time is out of range' });
  });

  it('names the field of a fence shape that cannot be a fence', async () => {
    const everywhere = { type: 'polygon', points: [{ lat: 0, lon: -170 }, { lat: 0, lon: 170 }, { lat: 1, lon: 170 }] };
    const response = await call('POST', '/api/geofences', east, { name: 'wide', shape: everywhere });
    expect(response.json()).toMatchObject({ statusCode: 400, field: 'shape.points' });
  });

  it('answers 404 for a fence’s unit that does not exist or lies outside the caller’s units', async () => {
    expect((await call('POST', '/api/geofences', admin, { name: 'x', shape: circle, unitId: 424242 })).json()).toMatchObject({ statusCode: 404, message: 'unit 424242 not found' });
    expect((await call('POST', '/api/geofences', east, { name: 'x', shape: circle, unitId: units.west })).statusCode).toBe(404);
    const fence = (await call('POST', '/api/geofences', admin, { name: 'east', shape: circle, unitId: units.east })).json();
    expect((await call('PATCH', `/api/geofences/${fence.id}`, admin, { unitId: 424242 })).statusCode).toBe(404);
    expect((await call('PATCH', `/api/geofences/${fence.id}`, east, { unitId: units.west })).statusCode).toBe(404);
    expect((await call('PATCH', `/api/geofences/${fence.id}`, admin, { unitId: units.west })).json()).toMatchObject({ unitId: units.west });
  });

  it('answers 404 for a device list or nearest search filtered by an unknown unit, or one outside the caller’s', async () => {
    expect((await call('GET', '/api/devices?unitId=424242', admin)).json()).toMatchObject({ statusCode: 404, message: 'unit 424242 not found' });
    expect((await call('GET', `/api/devices?unitId=${units.west}`, east)).statusCode).toBe(404);
    expect((await call('GET', `/api/devices?unitId=${units.east}`, east)).json().map((d: { id: number }) => d.id)).toEqual([car.id]);
    const nearest = '/api/dispatch/nearest?lat=22.5&lon=114&unitId=';
    expect((await call('GET', `${nearest}424242`, admin)).json()).toMatchObject({ statusCode: 404, message: 'unit 424242 not found' });
    expect((await call('GET', `${nearest}${units.west}`, east)).json()).toMatchObject({ statusCode: 404, message: `unit ${units.west} not found` });
    expect((await call('GET', `${nearest}${units.east}`, east)).statusCode).toBe(200);
  });

  it('assigns an alarm only to users and units within the dispatcher’s units, and names the missing field', async () => {
    const [alarm] = await insertDetectedAlarms(db.client, [
      { deviceId: car.id, source: 'terminal', kind: 'sos', geofenceId: null, occurredAtMs: Date.now(), lat: 22.5, lon: 114, speedKmh: 0, details: {} },
    ]);
    expect((await call('POST', `/api/alarms/${alarm!.id}/acknowledge`, east, {})).statusCode).toBe(200);
    const me = async (token: string) => (await call('GET', '/api/auth/me', token)).json<{ id: number }>().id;
    const westUser = await me(await signedInAs(app, db.client, 'unit_member', units.west));
    const eastUser = await me(await signedInAs(app, db.client, 'unit_member', units.east));
    const assign = (payload: object) => call('POST', `/api/alarms/${alarm!.id}/assign`, east, payload);

    expect((await assign({ note: 'whom?' })).json()).toMatchObject({ statusCode: 400, field: 'userId' });
    expect((await assign({ userId: westUser })).json()).toMatchObject({ statusCode: 404, message: `user ${westUser} not found` });
    expect((await assign({ unitId: units.west })).json()).toMatchObject({ statusCode: 404, message: `unit ${units.west} not found` });
    expect((await assign({ unitId: 424242 })).statusCode).toBe(404);
    expect((await assign({ userId: eastUser, unitId: units.east })).json()).toMatchObject({ state: 'assigned', assigneeUserId: eastUser, assigneeUnitId: units.east });
  });
});
