import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { decodeJt808, encodeJt808, FrameError, type Jt808Target } from '@urbanlink/protocols';
import { insertDevice } from '@urbanlink/db';
import { createLiveBus, createSqlStore, startEmbeddedBroker, startIngest, type EmbeddedBroker, type Ingest, type LiveBus } from '@urbanlink/ingest';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

/** A JT/T 808 terminal on a real socket: sends frames, reads the platform's frames one by one. */
class Terminal {
  private buffer = Buffer.alloc(0);
  private readonly socket: Socket;
  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => (this.buffer = Buffer.concat([this.buffer, chunk])));
  }
  static async open(port: number): Promise<Terminal> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new Terminal(socket);
  }
  send(frame: Buffer): void {
    this.socket.write(frame);
  }
  /** The next frame, unescaped, decoded. */
  async next(timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf(0x7e, 1);
      if (this.buffer[0] === 0x7e && end > 0) {
        const frame = this.buffer.subarray(0, end + 1);
        this.buffer = this.buffer.subarray(end + 1);
        const out: number[] = [];
        for (let i = 1; i < frame.length - 1; i++) out.push(frame[i] === 0x7d ? (frame[++i] === 0x01 ? 0x7d : 0x7e) : frame[i]!);
        const message = decodeJt808(Buffer.from(out));
        if (message instanceof FrameError) throw message;
        return message;
      }
      if (Date.now() > deadline) throw new Error(`no frame from the platform: ${this.buffer.toString('hex')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const SCENE = { lat: 22.5431, lon: 114.0579 };
// A phone number of this run only: tests of other engineers use the same server.
const PHONE = `139${String(process.pid % 100000).padStart(5, '0')}${String(Date.now() % 1000).padStart(3, '0')}`;

describe('a ticket dispatched to a real terminal, acknowledged, and reached', () => {
  let t: TestApp;
  let broker: EmbeddedBroker;
  let ingestBus: LiveBus;
  let ingest: Ingest;
  let watcher: MqttClient;
  const published: { topic: string; body: { status: string; change: string } }[] = [];
  let squad: number;
  let deviceId: number;
  let member: string;

  const api = (method: 'GET' | 'POST', url: string, payload?: object, token = t.adminToken) =>
    t.app.inject({ method, url, payload, headers: bearer(token) });

  beforeAll(async () => {
    broker = await startEmbeddedBroker();
    t = await buildTestApp({ mqttUrl: broker.url, config: { tickets: { arrivalMinDwellSeconds: 20, followupSchedulerSeconds: 0 } } });
    ingestBus = await createLiveBus(broker.url);
    ingest = await startIngest({
      store: createSqlStore(t.db.client), bus: ingestBus, logger: pino({ level: 'silent' }),
      gt06: false, jt808: { port: 0, host: '127.0.0.1' }, metricsLogMs: 0, stateFlushMs: 50,
    });
    watcher = await mqtt.connectAsync(broker.url);
    watcher.on('message', (topic, payload) => published.push({ topic, body: JSON.parse(payload.toString()) }));
    await watcher.subscribeAsync('urbanlink/v1/tickets/+');
    squad = (await api('POST', '/api/units', { name: '三中队', kind: 'squad' })).json().id;
    deviceId = (await insertDevice(t.db.client, { uniqueId: PHONE, name: '巡逻车 3', protocol: 'jt808', authCode: 'code808', unitId: squad }))!.id;
    await api('POST', '/api/users', { username: 'mem3', password: 'member-password-3', role: 'unit_member', unitId: squad });
    member = await login(t.app, 'mem3', 'member-password-3');
    await api('POST', '/api/categories', { code: 'vending', name: '占道经营' });
  });

  afterAll(async () => {
    await watcher?.endAsync();
    await ingest?.close();
    await ingestBus?.close();
    await t?.close();
    await broker?.close();
  });

  it('goes from intake to arrival with the terminal in the loop', async () => {
    const target: Jt808Target = { phone: PHONE, version: 2013 };
    const terminal = await Terminal.open(ingest.ports.jt808!);
    terminal.send(encodeJt808.authenticate(target, { authCode: 'code808' }, 1));
    expect(await terminal.next()).toMatchObject({ name: 'platformAck', result: 0 });

    const ticket = (await api('POST', '/api/tickets', { category: 'vending', description: '流动摊贩占道', ...SCENE, address: '华强北路 8 号', channel: 'phone', reporterPhone: '13812340000' })).json();
    await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'accepted' });
    const dispatched = await api('POST', `/api/tickets/${ticket.id}/dispatch`, { deviceId, method: 'terminal' });
    expect(dispatched.json()).toMatchObject({ status: 'dispatched', unitId: squad, deviceId, dispatchMethod: 'terminal', dispatchCommand: { status: 'queued' } });
    expect((await api('GET', `/api/devices/${deviceId}`)).json().dispatchStatus).toBe('on_task');

    // The order arrives on the terminal's display as text naming the ticket, category and address.
    const order = await terminal.next();
    if (order.name !== 'text') throw new Error(`expected 0x8300, got ${order.name}`);
    expect(order.text).toBe(`派遣 工单${ticket.number} 占道经营 华强北路 8 号`);
    terminal.send(encodeJt808.terminalResponse(target, { ackSerial: order.header.serial, ackId: 0x8300, result: 0 }, 2));
    const acked = await eventually(() => api('GET', `/api/tickets/${ticket.id}`).then((r) => r.json()), (x) => x.dispatchCommand.status === 'acknowledged');
    expect(acked.dispatchCommand).toMatchObject({ status: 'acknowledged' });
    expect(Date.parse(acked.dispatchCommand.acknowledgedAt)).toBeGreaterThan(0);
    // Ingest's progress events put the order on the timeline: sent to the terminal, then acknowledged.
    const orderSteps = await eventually(
      () => api('GET', `/api/tickets/${ticket.id}`).then((r) => r.json().timeline.filter((e: { kind: string }) => e.kind.startsWith('order_'))),
      (steps: { kind: string; actor: string }[]) => steps.length >= 2,
    );
    expect(orderSteps.map((e: { kind: string; actor: string }) => `${e.kind}:${e.actor}`)).toEqual(['order_sent:terminal', 'order_acknowledged:terminal']);

    // Drive: far away, passing close by only once, then parked at the scene for 30 s of fix time.
    // JT/T 808 times have whole seconds.
    const start = Math.floor((Date.now() - 120_000) / 1000) * 1000;
    const route = [
      { dLat: 0.02, s: 0 }, { dLat: 0.005, s: 20 }, { dLat: 0.0005, s: 40 }, { dLat: 0.003, s: 50 },
      { dLat: 0.0004, s: 70 }, { dLat: 0.0002, s: 80 }, { dLat: 0.0001, s: 95 }, { dLat: 0.0001, s: 100 },
    ];
    let serial = 3;
    for (const step of route) {
      terminal.send(encodeJt808.location(target, { lat: SCENE.lat + step.dLat, lon: SCENE.lon, fixTimeMs: start + step.s * 1000, speedKmh: 20, course: 180 }, serial++));
      expect(await terminal.next()).toMatchObject({ name: 'platformAck', ackId: 0x0200, result: 0 });
    }
    const arrived = await eventually(() => api('GET', `/api/tickets/${ticket.id}`).then((r) => r.json()), (x) => x.status === 'arrived');
    expect(arrived.status).toBe('arrived');
    // The fixes predate the order (the car was already there): it arrived with the order, not before it.
    expect(arrived.arrivedAt).toBe(arrived.dispatchedAt);
    expect(arrived.responseTimes.arrivalSeconds).toBe(0);
    expect(arrived.arrivals).toHaveLength(1);
    expect(arrived.arrivals[0]).toMatchObject({ source: 'auto', deviceId, arrivedAt: new Date(start + 70_000).toISOString() });
    expect(arrived.arrivals[0].evidence.map((e: { fixTime: string }) => Date.parse(e.fixTime) - start)).toEqual([70_000, 80_000, 95_000]);
    expect(arrived.timeline.at(-1)).toMatchObject({ kind: 'arrival', actor: 'arrival-detector', toStatus: 'arrived' });

    // The unit member finishes the job; the vehicle is free again.
    const handled = await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'handled', result: 'resolved' }, member);
    expect(handled.json().status).toBe('handled');
    expect((await api('GET', `/api/devices/${deviceId}`)).json().dispatchStatus).toBe('standby');

    const changes = await eventually(async () => published.filter((m) => m.topic === `urbanlink/v1/tickets/${ticket.id}`), (m) => m.length >= 5);
    expect(changes.filter((m) => !m.body.change.startsWith('order_')).map((m) => `${m.body.change}:${m.body.status}`)).toEqual([
      'registered:registered', 'transition:accepted', 'dispatch:dispatched', 'arrival:arrived', 'transition:handled',
    ]);
    terminal.close();
  });

  it('puts a refused order on the timeline with the reason, not the raw reply', async () => {
    const target: Jt808Target = { phone: PHONE, version: 2013 };
    const terminal = await Terminal.open(ingest.ports.jt808!);
    terminal.send(encodeJt808.authenticate(target, { authCode: 'code808' }, 1));
    expect(await terminal.next()).toMatchObject({ name: 'platformAck', result: 0 });
    const ticket = (await api('POST', '/api/tickets', { category: 'vending', description: '占道', ...SCENE, channel: 'phone', reporterPhone: '13812340001' })).json();
    await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'accepted' });
    await api('POST', `/api/tickets/${ticket.id}/dispatch`, { deviceId, method: 'terminal' });
    const order = await terminal.next();
    if (order.name !== 'text') throw new Error(`expected 0x8300, got ${order.name}`);
    // Result 3: the terminal does not support the message.
    terminal.send(encodeJt808.terminalResponse(target, { ackSerial: order.header.serial, ackId: 0x8300, result: 3 }, 2));
    const failed = await eventually(
      () => api('GET', `/api/tickets/${ticket.id}`).then((r) => r.json().timeline.find((e: { kind: string }) => e.kind === 'order_failed')),
      (step: { note: string } | undefined) => step !== undefined,
    );
    expect(failed?.note).toMatch(/result 3 \(unsupported\)/);
    terminal.close();
  });
});
