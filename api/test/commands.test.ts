import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { randomInt } from 'node:crypto';
import { markAcknowledged, markSent } from '@urbanlink/db';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const imei = () => `86${String(randomInt(1e12)).padStart(13, '0')}`;

describe('commands to terminals', () => {
  let t: TestApp;
  let listener: MqttClient;
  let gt06: { id: number; uniqueId: string };
  let jt808: { id: number; uniqueId: string };
  const notices: { topic: string; payload: unknown }[] = [];

  const api = (method: 'GET' | 'POST', url: string, payload?: object, token = t.adminToken) =>
    t.app.inject({ method, url, payload, headers: bearer(token) });

  beforeAll(async () => {
    t = await buildTestApp({ mqttUrl: MQTT_URL, config: { commandSweepMs: 100 } });
    gt06 = (await api('POST', '/api/devices', { uniqueId: imei(), name: 'gt06 car', protocol: 'gt06' })).json();
    jt808 = (await api('POST', '/api/devices', { uniqueId: String(randomInt(1e9, 1e10)), name: '808 car', protocol: 'jt808' })).json();
    listener = await mqtt.connectAsync(MQTT_URL);
    listener.on('message', (topic, payload) => notices.push({ topic, payload: JSON.parse(payload.toString()) }));
    await listener.subscribeAsync([`urbanlink/v1/devices/${gt06.uniqueId}/command`, `urbanlink/v1/devices/${jt808.uniqueId}/command`]);
  });
  afterAll(async () => {
    await listener?.endAsync();
    await t?.close();
  });

  it('queues a text command (202), tells ingest on MQTT, and reads it back', async () => {
    const response = await api('POST', `/api/devices/${jt808.id}/commands`, { type: 'text', text: '请前往人民路口处置占道经营', urgent: true });
    expect(response.statusCode).toBe(202);
    const command = response.json();
    expect(command).toMatchObject({ deviceId: jt808.id, type: 'text', status: 'queued', params: { flag: 0x01 | 0x04 | 0x08, display: true, tts: true } });
    expect(Date.parse(command.expiresAt) - Date.parse(command.createdAt)).toBeGreaterThan(23 * 3600 * 1000);
    await expect.poll(() => notices).toContainEqual({ topic: `urbanlink/v1/devices/${jt808.uniqueId}/command`, payload: { id: command.id } });

    // Ingest's side, as its store does it: sent with the frame's serial, then the terminal's reply.
    await markSent(t.db.client, command.id, 77, Date.now());
    await markAcknowledged(t.db.client, jt808.id, 77, 'result 0', Date.now());
    const read = (await api('GET', `/api/commands/${command.id}`)).json();
    expect(read).toMatchObject({ status: 'acknowledged', reply: 'result 0', correlation: 77 });
    expect((await api('GET', `/api/devices/${jt808.id}/commands`)).json()[0].id).toBe(command.id);
    const log = (await api('GET', `/api/audit?entityType=device&entityId=${jt808.id}`)).json();
    expect(log[0]).toMatchObject({ action: 'command.send', details: { commandId: command.id, type: 'text' } });
  });

  it('validates each type by its own fields and refuses types the protocol lacks', async () => {
    const tracking = await api('POST', `/api/devices/${jt808.id}/commands`, { type: 'tracking', intervalS: 70000, validityS: 60 });
    expect(tracking.json()).toMatchObject({ statusCode: 400, field: 'intervalS' });
    const missing = await api('POST', `/api/devices/${jt808.id}/commands`, { type: 'control' });
    expect(missing.json()).toMatchObject({ statusCode: 400, field: 'command' });
    const unknown = await api('POST', `/api/devices/${jt808.id}/commands`, { type: 'selfDestruct' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().field).toBe('type');
    const wrongProtocol = await api('POST', `/api/devices/${jt808.id}/commands`, { type: 'engineStop' });
    expect(wrongProtocol.json()).toMatchObject({ statusCode: 400, field: 'type' });
    const params = await api('POST', `/api/devices/${jt808.id}/commands`, { type: 'queryParameters', ids: [0x0001, 0x0029] });
    expect(params.json()).toMatchObject({ status: 'queued', params: { ids: [1, 41] } });
    const stop = await api('POST', `/api/devices/${gt06.id}/commands`, { type: 'engineStop' });
    expect(stop.statusCode).toBe(202);
    expect((await api('POST', '/api/devices/999999/commands', { type: 'locate' })).statusCode).toBe(404);
    expect((await api('GET', '/api/commands/999999')).statusCode).toBe(404);
  });

  it('expires a command not delivered in time', async () => {
    const command = (await api('POST', `/api/devices/${gt06.id}/commands`, { type: 'locate', expiresInSeconds: 1 })).json();
    await expect.poll(async () => (await api('GET', `/api/commands/${command.id}`)).json().status, { timeout: 5000, interval: 200 }).toBe('expired');
  });

  it('lets only dispatchers and admins send commands', async () => {
    const unit = (await api('POST', '/api/units', { name: 'squad', kind: 'squad' })).json();
    await api('POST', '/api/users', { username: 'auditor1', password: 'auditor-pass', role: 'auditor', unitId: unit.id });
    const auditor = await login(t.app, 'auditor1', 'auditor-pass');
    expect((await api('POST', `/api/devices/${gt06.id}/commands`, { type: 'locate' }, auditor)).statusCode).toBe(403);
  });
});
