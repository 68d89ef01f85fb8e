import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { insertDevice } from '@urbanlink/db';
import { buildApp } from '../src/app.ts';
import { ADMIN_PASSWORD, bearer, buildTestApp, type TestApp } from './helper.ts';
import type { LivePosition } from '../src/live/feed.ts';

/** Two API processes on one database see the same fixes: the arrival is recorded once. */
describe('arrival detection across API processes', () => {
  let t: TestApp;
  let second: FastifyInstance;
  let deviceId: number;
  const settings = { tickets: { arrivalMinDwellSeconds: 30, arrivalRadiusMeters: 50, followupSchedulerSeconds: 0 } };
  const api = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: bearer(t.adminToken) });

  beforeAll(async () => {
    t = await buildTestApp({ config: settings });
    second = await buildApp({ client: t.db.client, logger: false, config: { adminPassword: ADMIN_PASSWORD, ...settings } });
    await second.ready();
    const unitId = (await api('POST', '/api/units', { name: '七中队', kind: 'squad' })).json().id;
    deviceId = (await insertDevice(t.db.client, { uniqueId: '868120145233777', name: '巡逻车 7', protocol: 'gt06', unitId }))!.id;
    await api('POST', '/api/categories', { code: 'stall', name: '摆摊' });
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('records one arrival with its evidence, whichever process wins', async () => {
    const ticket = (await api('POST', '/api/tickets', { category: 'stall', description: '夜市摆摊', lat: 30.0, lon: 120.0, channel: 'patrol' })).json();
    await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'accepted' });
    await api('POST', `/api/tickets/${ticket.id}/dispatch`, { deviceId, method: 'phone' });
    // The other process learns of the dispatch from the database, as its periodic reload would.
    await second.arrivalWatch.refresh();
    // Fixes fed straight into the live feed, starting after the dispatch.
    const t0 = Math.floor(Date.now() / 1000) * 1000 + 1000;
    const fix = (s: number, dLat: number): LivePosition => ({
      deviceId, uniqueId: '868120145233777', fixTime: new Date(t0 + s * 1000).toISOString(), fixTimeMs: t0 + s * 1000, lat: 30.0 + dLat, lon: 120.0,
      speedKmh: 0, course: 0, altitude: 0, valid: true, alarms: [], attributes: {},
    });
    for (const position of [fix(0, 0.001), fix(10, 0.0003), fix(25, 0.0002), fix(45, 0.0001)]) {
      t.app.liveFeed.emit('position', position);
      second.liveFeed.emit('position', position);
    }
    let read = (await api('GET', `/api/tickets/${ticket.id}`)).json();
    for (let i = 0; i < 100 && (read.status !== 'arrived' || t.app.arrivalWatch.arrivals + second.arrivalWatch.arrivals < 1); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      read = (await api('GET', `/api/tickets/${ticket.id}`)).json();
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the loser finish its attempt
    read = (await api('GET', `/api/tickets/${ticket.id}`)).json();
    expect(read.status).toBe('arrived');
    expect(read.arrivals).toHaveLength(1);
    expect(read.arrivals[0].evidence.map((e: { distanceMeters: number }) => Math.round(e.distanceMeters))).toEqual([33, 22, 11]);
    expect(read.timeline.filter((e: { kind: string }) => e.kind === 'arrival')).toHaveLength(1);
    // The ticket's arrival time is the first fix on the scene, not the moment the dwell was complete.
    expect(read.arrivedAt).toBe(new Date(t0 + 10_000).toISOString());
    expect(read.arrivals[0].arrivedAt).toBe(new Date(t0 + 10_000).toISOString());
    expect(t.app.arrivalWatch.arrivals + second.arrivalWatch.arrivals).toBe(1);
  });
});
