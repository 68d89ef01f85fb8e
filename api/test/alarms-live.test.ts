import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { startApi, type RunningApi } from '../src/server.ts';
import { ADMIN_PASSWORD } from './helper.ts';
import { connectLive } from './live-client.ts';

const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const imei = () => `35${String(randomInt(1e12)).padStart(13, '0')}`;

interface AlarmMessage {
  type: 'alarm';
  change: string;
  time: string;
  alarm: { id: number; deviceId: number; kind: string; state: string; unitId: number };
}

const alarms = (messages: Record<string, unknown>[]) => messages.filter((m) => m.type === 'alarm') as unknown as AlarmMessage[];

describe('alarms pushed over the live WebSocket (real port, MQTT bus)', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let base: string;
  let bus: MqttClient;
  const tokens: Record<'admin' | 'east' | 'west', string> = {} as never;
  let car: { id: number; uniqueId: string };
  let east: number;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are checked by assertions
  async function http(method: string, path: string, body?: object, token = tokens.admin): Promise<{ status: number; json: any }> {
    const response = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  }

  async function login(username: string, password: string): Promise<string> {
    const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    return ((await response.json()) as { token: string }).token;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    // Ticks a minute apart: an alarm that arrives within the test's timeouts was pushed on its own, not with a tick.
    api = await startApi({ client: db.client, mqttUrl: MQTT_URL, port: 0, host: '127.0.0.1', logger: false, config: { adminPassword: ADMIN_PASSWORD, liveTickMs: 60_000 } });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    tokens.admin = await login('admin', ADMIN_PASSWORD);
    east = (await http('POST', '/api/units', { name: 'east', kind: 'district' })).json.id;
    const west = (await http('POST', '/api/units', { name: 'west', kind: 'district' })).json.id;
    car = (await http('POST', '/api/devices', { uniqueId: imei(), name: 'east car', protocol: 'gt06', unitId: east })).json;
    await http('POST', '/api/users', { username: 'east.d', password: 'dispatcher-pw', role: 'dispatcher', unitId: east });
    await http('POST', '/api/users', { username: 'west.d', password: 'dispatcher-pw', role: 'dispatcher', unitId: west });
    tokens.east = await login('east.d', 'dispatcher-pw');
    tokens.west = await login('west.d', 'dispatcher-pw');
    bus = await mqtt.connectAsync(MQTT_URL);
  });
  afterAll(async () => {
    await bus?.endAsync();
    await api?.close();
    await db?.drop();
  });

  it('pushes a raised SOS and each handling step to the clients whose units hold it, and to no one else', async () => {
    const admin = await connectLive(base, tokens.admin);
    const mine = await connectLive(base, tokens.east);
    const other = await connectLive(base, tokens.west);
    // A viewport far from the car: alarms are not narrowed by it.
    mine.socket.send(JSON.stringify({ type: 'subscribe', bbox: [0, 0, 1, 1] }));
    await expect.poll(() => mine.messages.some((m) => m.type === 'subscribed')).toBe(true);

    // The terminal's SOS as ingest publishes a stored position.
    const fix = { deviceId: car.id, fixTime: new Date().toISOString(), lat: 22.5, lon: 114, speedKmh: 0, course: 0, altitude: 5, valid: true, alarms: ['sos'], attributes: {} };
    await bus.publishAsync(`urbanlink/v1/devices/${car.uniqueId}/position`, JSON.stringify(fix), { qos: 1 });
    await expect.poll(() => alarms(mine.messages).length, { timeout: 10_000 }).toBe(1);
    const [raised] = alarms(mine.messages);
    expect(raised).toMatchObject({ type: 'alarm', change: 'raised', alarm: { deviceId: car.id, kind: 'sos', state: 'open', unitId: east } });
    expect(Date.parse(raised!.time)).not.toBeNaN();
    await expect.poll(() => alarms(admin.messages).map((m) => m.alarm.id)).toEqual([raised!.alarm.id]);

    const id = raised!.alarm.id;
    expect((await http('POST', `/api/alarms/${id}/acknowledge`, {}, tokens.east)).status).toBe(200);
    expect((await http('POST', `/api/alarms/${id}/assign`, { unitId: east }, tokens.east)).status).toBe(200);
    expect((await http('POST', `/api/alarms/${id}/resolve`, { note: 'pressed by mistake' }, tokens.east)).status).toBe(200);
    await expect.poll(() => alarms(mine.messages).map((m) => `${m.change}:${m.alarm.state}`), { timeout: 10_000 }).toEqual([
      'raised:open',
      'acknowledged:acknowledged',
      'assigned:assigned',
      'resolved:resolved',
    ]);
    expect(alarms(mine.messages).at(-1)!.alarm).toMatchObject({ id, resolutionNote: 'pressed by mistake' });
    await expect.poll(() => alarms(admin.messages)).toHaveLength(4);
    // Nothing reached the west dispatcher, and no tick carried the news.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alarms(other.messages)).toEqual([]);
    expect(mine.messages.filter((m) => m.type === 'tick')).toEqual([]);
    for (const client of [admin, mine, other]) client.socket.close();
  });
});
