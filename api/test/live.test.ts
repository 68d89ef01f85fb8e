import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { startApi, type RunningApi } from '../src/server.ts';
import { ADMIN_PASSWORD } from './helper.ts';
import { connectLive } from './live-client.ts';

const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const imei = () => `35${String(randomInt(1e12)).padStart(13, '0')}`;

interface Tick {
  type: 'tick';
  positions: { deviceId: number; fixTime: string; lat: number; lon: number }[];
  statuses: { deviceId: number; status: string }[];
  devices: { deviceId: number; dispatchStatus?: string }[];
}

const ticks = (messages: Record<string, unknown>[]) => messages.filter((m) => m.type === 'tick') as unknown as Tick[];

describe('live positions over MQTT and WebSocket (real port)', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let base: string;
  let bus: MqttClient;
  let admin: string;
  let dispatcher: string;
  const logLines: string[] = [];
  const devices: Record<'east' | 'west', { id: number; uniqueId: string }> = {} as never;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are checked by assertions
  async function http(method: string, path: string, body?: object, token = admin): Promise<{ status: number; json: any }> {
    const response = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
    return { status: response.status, json: response.status === 204 ? null : await response.json() };
  }

  async function publishFix(device: { id: number; uniqueId: string }, second: number, lat: number, lon: number, uniqueId = device.uniqueId) {
    const payload = { deviceId: device.id, uniqueId, fixTime: `2026-11-28T09:00:${String(second).padStart(2, '0')}.000Z`, lat, lon, speedKmh: 30, course: 45, altitude: 5, valid: true, alarms: [], attributes: {} };
    await bus.publishAsync(`urbanlink/v1/devices/${uniqueId}/position`, JSON.stringify(payload));
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    // A tick of a minute: the test drives ticks itself, so coalescing is checked without timing races. Debug, so
    // that every request is logged (at info only failed and slow ones are) and the token's absence is checked.
    api = await startApi({ client: db.client, mqttUrl: MQTT_URL, port: 0, host: '127.0.0.1', logger: { level: 'debug', stream: logStream }, config: { adminPassword: ADMIN_PASSWORD, liveTickMs: 60_000 } });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    const login = async (username: string, password: string) =>
      ((await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).json()) as { token: string }).token;
    admin = await login('admin', ADMIN_PASSWORD);
    const east = (await http('POST', '/api/units', { name: 'east', kind: 'district' })).json.id;
    const west = (await http('POST', '/api/units', { name: 'west', kind: 'district' })).json.id;
    for (const [key, unitId] of [['east', east], ['west', west]] as const) {
      devices[key] = (await http('POST', '/api/devices', { uniqueId: imei(), name: key, protocol: 'gt06', unitId })).json;
    }
    await http('POST', '/api/users', { username: 'east.d', password: 'dispatcher-pw', role: 'dispatcher', unitId: east });
    dispatcher = await login('east.d', 'dispatcher-pw');
    bus = await mqtt.connectAsync(MQTT_URL);
  });
  afterAll(async () => {
    await bus?.endAsync();
    await api?.close();
    await db?.drop();
  });

  it('refuses a WebSocket without a valid token', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/live?token=wrong`);
    const status = await new Promise<number>((resolve) =>
      socket.once('unexpected-response', (request, response) => {
        resolve(response.statusCode ?? 0);
        request.destroy();
      }),
    );
    expect(status).toBe(401);
  });

  it('coalesces a burst of positions into one message per tick, each device once, within the unit subtree', async () => {
    const all = await connectLive(base, admin);
    const east = await connectLive(base, dispatcher);
    const before = api.app.liveFeed.positionsReceived;
    for (let second = 0; second < 5; second++) await publishFix(devices.east, second, 22.5 + second / 1000, 114.0);
    for (let second = 0; second < 3; second++) await publishFix(devices.west, second, 23.1, 113.2 + second / 1000);
    // Another installation's terminal claiming the same device id on a shared broker: never shown.
    await publishFix(devices.east, 59, 10, 10, imei());
    await bus.publishAsync(`urbanlink/v1/devices/${devices.east.uniqueId}/event`, JSON.stringify({ type: 'status', deviceId: devices.east.id, status: 'online', time: new Date().toISOString() }));
    await expect.poll(() => api.app.liveFeed.positionsReceived - before).toBe(8);
    await expect.poll(() => api.app.liveFeed.foreign).toBeGreaterThanOrEqual(1);
    await expect.poll(() => api.app.liveFeed.eventsReceived).toBeGreaterThanOrEqual(1);

    api.app.liveHub.tick();
    await expect.poll(() => ticks(all.messages).length).toBe(1);
    await expect.poll(() => ticks(east.messages).length).toBe(1);
    const [everything] = ticks(all.messages);
    expect(everything!.positions).toHaveLength(2);
    expect(everything!.positions).toContainEqual(expect.objectContaining({ deviceId: devices.east.id, fixTime: '2026-11-28T09:00:04.000Z', lat: 22.504 }));
    expect(everything!.positions).toContainEqual(expect.objectContaining({ deviceId: devices.west.id, fixTime: '2026-11-28T09:00:02.000Z' }));
    expect(everything!.statuses).toEqual([{ deviceId: devices.east.id, status: 'online' }]);
    const [mine] = ticks(east.messages);
    expect(mine!.positions.map((p) => p.deviceId)).toEqual([devices.east.id]);

    // Nothing changed: no message at all.
    api.app.liveHub.tick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ticks(all.messages)).toHaveLength(1);

    // A viewport around the west vehicle only; a dispatch status change reaches the clients that may see it.
    all.socket.send(JSON.stringify({ type: 'subscribe', bbox: [113, 23, 113.5, 23.5] }));
    await expect.poll(() => all.messages.some((m) => m.type === 'subscribed')).toBe(true);
    await publishFix(devices.east, 10, 22.6, 114.1);
    await publishFix(devices.west, 10, 23.2, 113.3);
    await expect.poll(() => api.app.liveFeed.positionsReceived - before).toBe(10);
    await http('PATCH', `/api/devices/${devices.east.id}`, { dispatchStatus: 'on_task' }, dispatcher);
    api.app.liveHub.tick();
    await expect.poll(() => ticks(all.messages).length).toBe(2);
    await expect.poll(() => ticks(east.messages).length).toBe(2);
    expect(ticks(all.messages)[1]!.positions.map((p) => p.deviceId)).toEqual([devices.west.id]);
    expect(ticks(east.messages)[1]).toMatchObject({ positions: [{ deviceId: devices.east.id }], devices: [{ deviceId: devices.east.id, dispatchStatus: 'on_task' }] });

    all.socket.send('{"type":"subscribe","bbox":[1,2,3]}');
    await expect.poll(() => all.messages.find((m) => m.type === 'error')?.message).toMatch(/bbox/);
    all.socket.close();
    east.socket.close();
    const upgrades = logLines.filter((line) => line.includes('/api/live'));
    expect(upgrades.length).toBeGreaterThan(0);
    expect(upgrades.join('\n')).not.toContain(admin);
    await expect.poll(() => api.app.liveHub.clientCount).toBe(0);
  });

  it('pushes on its own timer', async () => {
    const client = await connectLive(base, admin);
    api.app.liveHub.start(100);
    await publishFix(devices.west, 30, 23.3, 113.4);
    await expect.poll(() => ticks(client.messages).at(-1)?.positions[0]?.fixTime, { timeout: 3000 }).toBe('2026-11-28T09:00:30.000Z');
    client.socket.close();
  });

  it('serves health, the OpenAPI document, metrics and security headers on the real port', async () => {
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(health.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    // Refusals carry them too: the headers are set when the request arrives, before authentication.
    const unknown = await fetch(`${base}/api/no-such-route`);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('x-content-type-options')).toBe('nosniff');
    expect(unknown.headers.get('referrer-policy')).toBe('no-referrer');
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^urbanlink_http_requests_total\{method="GET",route="\/api\/health",status="200"\} \d+$/m);
    expect(metrics).toMatch(/^urbanlink_live_clients \d+$/m);
    expect(metrics).toMatch(/^urbanlink_db_up\{engine="postgres"\} 1$/m);
  });
});
