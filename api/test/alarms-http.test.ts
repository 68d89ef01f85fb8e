import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listAudit, listAlarms, type DeviceRecord } from '@urbanlink/db';
import { buildApp } from '../src/app.ts';
import { ADMIN_PASSWORD, bearer, buildTestApp, type TestApp } from './helper.ts';
import { addDevice, signedInAs, twoSquads } from './track-http-fixtures.ts';

const MQTT_URL = process.env.TEST_MQTT_URL || 'mqtt://127.0.0.1:1883';
const T0 = Date.UTC(2026, 10, 28, 8, 0, 0);

async function until<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('alarms from positions on the MQTT bus', () => {
  let t: TestApp;
  let second: FastifyInstance;
  let bus: MqttClient;
  let car: DeviceRecord;
  let units: { city: number; east: number; west: number };
  let dispatcher: string;
  let dispatcherId: number;
  const events: { change: string; alarm: { id: number; kind: string } }[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ mqttUrl: MQTT_URL });
    units = await twoSquads(t.db.client);
    car = await addDevice(t.db.client, units.east);
    const limited = await t.app.inject({ method: 'PATCH', url: `/api/devices/${car.id}`, headers: bearer(t.adminToken), payload: { speedLimitKmh: 60 } });
    expect(limited.json()).toMatchObject({ speedLimitKmh: 60 });
    dispatcher = await signedInAs(t.app, t.db.client, 'dispatcher', units.east);
    dispatcherId = (await t.app.inject({ url: '/api/auth/me', headers: bearer(dispatcher) })).json()?.id;
    const fence = await t.app.inject({
      method: 'POST', url: '/api/geofences', headers: bearer(dispatcher),
      payload: { name: 'Old town', shape: { type: 'circle', center: { lat: 22.5, lon: 114 }, radiusMeters: 500 } },
    });
    expect(fence.statusCode).toBe(201);
    // A second API process on the same database and bus: both detect, the database keeps one of each.
    second = await buildApp({ client: t.db.client, mqttUrl: MQTT_URL, logger: false, config: { adminPassword: ADMIN_PASSWORD } });
    await second.ready();
    bus = await mqtt.connectAsync(MQTT_URL);
    await bus.subscribeAsync(`urbanlink/v1/devices/${car.uniqueId}/event`);
    bus.on('message', (_topic, payload) => {
      const message = JSON.parse(payload.toString());
      if (message.type === 'alarm') events.push(message);
    });
  });

  afterAll(async () => {
    await bus?.endAsync();
    await second?.close();
    await t?.close();
  });

  const publish = (seconds: number, northM: number, speedKmh: number, alarms: string[] = []) =>
    bus.publishAsync(
      `urbanlink/v1/devices/${car.uniqueId}/position`,
      JSON.stringify({
        deviceId: car.id, fixTime: new Date(T0 + seconds * 1000).toISOString(), lat: 22.5 + northM / 111_195, lon: 114,
        speedKmh, course: 0, altitude: 5, valid: true, alarms, attributes: {},
      }),
      { qos: 1 },
    );

  it('raises fence entry and exit, overspeed and terminal alarms once each, published once', async () => {
    await publish(0, 2000, 40);
    await publish(10, 100, 40);
    await publish(20, 50, 75);
    await publish(30, 40, 75, ['sos']);
    await publish(40, 40, 10, ['sos']);
    await publish(50, 3000, 30);
    const stored = await until(() => listAlarms(t.db.client, { deviceId: car.id }), (rows) => rows.length >= 4, 'four alarms');
    await until(() => events.length, (n) => n >= 4, 'four events');
    // Give the slower process time to try its duplicate inserts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = await listAlarms(t.db.client, { deviceId: car.id });
    expect(again.map((a) => a.kind).reverse()).toEqual(['geofenceEnter', 'overspeed', 'sos', 'geofenceExit']);
    expect(stored.every((a) => a.state === 'open')).toBe(true);
    expect(again.find((a) => a.kind === 'overspeed')!.details).toEqual({ limitKmh: 60, speedKmh: 75 });
    // Each alarm is published by whichever process won its insert, over that process's own MQTT connection, so
    // the order between alarms won by different processes is not defined; each must still arrive exactly once.
    expect(events.filter((e) => e.change === 'raised').map((e) => e.alarm.kind).sort()).toEqual(['geofenceEnter', 'geofenceExit', 'overspeed', 'sos']);
  });

  it('walks open → acknowledged → assigned → resolved, refusing illegal steps with the reason', async () => {
    const [sos] = await listAlarms(t.db.client, { deviceId: car.id, states: ['open'] }).then((rows) => rows.filter((a) => a.kind === 'sos'));
    const url = (action: string) => `/api/alarms/${sos!.id}/${action}`;
    const early = await t.app.inject({ method: 'POST', url: url('resolve'), headers: bearer(dispatcher), payload: { note: 'done' } });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('an alarm must be assigned to be resolved; this one is open');
    const ack = await t.app.inject({ method: 'POST', url: url('acknowledge'), headers: bearer(dispatcher), payload: {} });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ state: 'acknowledged', acknowledgedBy: dispatcherId });
    expect((await t.app.inject({ method: 'POST', url: url('acknowledge'), headers: bearer(dispatcher), payload: {} })).statusCode).toBe(409);
    const nobody = await t.app.inject({ method: 'POST', url: url('assign'), headers: bearer(dispatcher), payload: {} });
    expect(nobody.statusCode).toBe(400);
    const assign = await t.app.inject({ method: 'POST', url: url('assign'), headers: bearer(dispatcher), payload: { unitId: units.east } });
    expect(assign.json()).toMatchObject({ state: 'assigned', assigneeUnitId: units.east });
    const noNote = await t.app.inject({ method: 'POST', url: url('resolve'), headers: bearer(dispatcher), payload: {} });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().field).toBe('note');
    const resolved = await t.app.inject({ method: 'POST', url: url('resolve'), headers: bearer(dispatcher), payload: { note: 'driver pressed it by mistake' } });
    expect(resolved.json()).toMatchObject({ state: 'resolved', resolutionNote: 'driver pressed it by mistake' });
    const trail = await listAudit(t.db.client, { unitIds: null, entityType: 'alarm', entityId: String(sos!.id), limit: 10 });
    expect(trail.map((e) => e.action).sort()).toEqual(['alarm.acknowledge', 'alarm.assign', 'alarm.resolve']);
    await until(() => events.filter((e) => e.alarm.id === sos!.id).map((e) => e.change), (c) => c.length === 4, 'step events');
    expect(events.filter((e) => e.alarm.id === sos!.id).map((e) => e.change)).toEqual(['raised', 'acknowledged', 'assigned', 'resolved']);
  });

  it('lists alarms by state within the caller’s units only', async () => {
    const open = await t.app.inject({ url: '/api/alarms?state=open', headers: bearer(dispatcher) });
    expect(open.json().map((a: { kind: string }) => a.kind).sort()).toEqual(['geofenceEnter', 'geofenceExit', 'overspeed']);
    const west = await signedInAs(t.app, t.db.client, 'dispatcher', units.west);
    expect((await t.app.inject({ url: '/api/alarms', headers: bearer(west) })).json()).toEqual([]);
    const one = open.json()[0];
    expect((await t.app.inject({ url: `/api/alarms/${one.id}`, headers: bearer(west) })).statusCode).toBe(404);
    const auditor = await signedInAs(t.app, t.db.client, 'auditor', units.east);
    expect((await t.app.inject({ method: 'POST', url: `/api/alarms/${one.id}/acknowledge`, headers: bearer(auditor), payload: {} })).statusCode).toBe(403);
  });
});
