import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { decodeGt06, decodeJt808, encodeGt06, encodeJt808, FrameError, type Jt808Target } from '@urbanlink/protocols';
import { findCommandById, insertCommand, insertDevice, listRawFrames, type SqlClient } from '@urbanlink/db';
import { createTestPglite } from '@urbanlink/db/testing';
import { createLiveBus, startEmbeddedBroker, topics, type EmbeddedBroker, type Ingest, type LiveBus } from '../src/index.ts';
import { RawTerminal, eventually, hex, startTestIngest, unescapeJt808 } from './helpers.ts';

const IMEI = '123456789012345';
const GT06_LOGIN = '78780d01012345678901234500018cdd0d0a';
const GT06_LOCATION = '78781f120b081d112e10cc027ac7eb0c46584900148f01cc00287d001fb8000373770d0a';
// Alarm 0x16 with SOS (shared/vectors/gt06.tsv).
const GT06_SOS = '787825160b0b0f0e241dcf027ac8870c4657e60014020901cc00287d001f726506040101003656a40d0a';
const PHONE = '13800000001';

/** Collects every message on the given filters. */
async function listen(url: string, filters: string[]): Promise<{ client: MqttClient; messages: { topic: string; body: Record<string, unknown> }[] }> {
  const client = await mqtt.connectAsync(url);
  const messages: { topic: string; body: Record<string, unknown> }[] = [];
  client.on('message', (topic, payload) => messages.push({ topic, body: JSON.parse(payload.toString()) }));
  if (filters.length > 0) await client.subscribeAsync(filters);
  return { client, messages };
}

const MOSQUITTO = process.env.TEST_MQTT_URL || 'mqtt://127.0.0.1:1883';

describe('live bus and commands (embedded broker, PGlite)', () => {
  let client: SqlClient;
  let broker: EmbeddedBroker;
  let bus: LiveBus;
  let ingest: Ingest;
  let gt06Id: number;
  let jt808Id: number;

  beforeAll(async () => {
    client = await createTestPglite();
    gt06Id = (await insertDevice(client, { uniqueId: IMEI, name: 'gt06', protocol: 'gt06' }))!.id;
    jt808Id = (await insertDevice(client, { uniqueId: PHONE, name: 'jt808', protocol: 'jt808', authCode: 'code808' }))!.id;
    broker = await startEmbeddedBroker();
    // What `urbanlink start` uses with the embedded broker; outside clients below still talk MQTT over TCP.
    bus = broker.localBus();
    ingest = await startTestIngest(client, { bus });
  });

  afterAll(async () => {
    await ingest?.close();
    await bus?.close();
    await broker?.close();
    await client?.close();
  });

  it('publishes each stored position, alarms and status changes', async () => {
    const { client: subscriber, messages } = await listen(broker.url, [topics.position(IMEI), topics.event(IMEI)]);
    const terminal = await RawTerminal.open(ingest.ports.gt06!);
    terminal.send(hex(GT06_LOGIN));
    await terminal.read(10);
    terminal.send(hex(GT06_LOCATION));
    await terminal.read(10);
    terminal.send(hex(GT06_SOS));
    await terminal.read(10);
    await eventually(async () => messages.length, (n) => n >= 4);
    const positions = messages.filter((m) => m.topic === topics.position(IMEI));
    expect(positions[0]?.body).toMatchObject({ deviceId: gt06Id, uniqueId: IMEI, fixTime: '2011-08-29T17:46:16.000Z', lon: 114.409285 });
    expect(positions[0]?.body.lat).toBeCloseTo(23.1116683, 6);
    expect(positions).toHaveLength(2);
    const events = messages.filter((m) => m.topic === topics.event(IMEI)).map((m) => m.body);
    expect(events).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'status', status: 'online', deviceId: gt06Id }),
      expect.objectContaining({ type: 'alarm', alarms: ['sos'], deviceId: gt06Id }),
    ]));
    terminal.close();
    await eventually(async () => messages.length, (n) => n >= 5);
    expect(messages.at(-1)?.body).toMatchObject({ type: 'status', status: 'offline' });
    await subscriber.endAsync();
  });

  it('sends a queued GT06 command when the device logs in and records the reply by server flag', async () => {
    const command = await insertCommand(client, { deviceId: gt06Id, type: 'engineStop' });
    const terminal = await RawTerminal.open(ingest.ports.gt06!);
    terminal.send(hex(GT06_LOGIN));
    await terminal.read(10);
    // 0x80 downlink: 78 78 LEN 80 ... with the command id as server flag.
    const header = await terminal.read(3);
    const rest = await terminal.read(header[2]! + 2);
    const downlink = decodeGt06(Buffer.concat([header, rest]));
    if (downlink instanceof FrameError || downlink.name !== 'serverCommand') throw new Error(`expected 0x80, got ${JSON.stringify(downlink)}`);
    expect(downlink).toMatchObject({ serverFlag: command.id, command: 'Relay,1#' });
    expect((await eventually(() => findCommandById(client, command.id), (c) => c?.status === 'sent'))?.status).toBe('sent');
    terminal.send(encodeGt06.commandReply(downlink.serverFlag, 'Cut off the fuel supply: Success!', 7));
    const done = await eventually(() => findCommandById(client, command.id), (c) => c?.status === 'acknowledged');
    expect(done).toMatchObject({ status: 'acknowledged', correlation: command.id, reply: 'Cut off the fuel supply: Success!' });
    terminal.close();
  });

  it('sends a JT/T 808 text command when the API publishes it, and marks it acknowledged on 0x0001', async () => {
    const target: Jt808Target = { phone: PHONE, version: 2013 };
    const terminal = await RawTerminal.open(ingest.ports.jt808!);
    terminal.send(encodeJt808.authenticate(target, { authCode: 'code808' }, 1));
    expect(decodeJt808(unescapeJt808(await terminal.readJt808()))).toMatchObject({ name: 'platformAck', result: 0 });

    const { client: api } = await listen(broker.url, []);
    const command = await insertCommand(client, { deviceId: jt808Id, type: 'text', params: { text: '请前往现场 Go to site' } });
    await api.publishAsync(topics.command(PHONE), JSON.stringify({ id: command.id }));
    const downlink = decodeJt808(unescapeJt808(await terminal.readJt808()));
    if (downlink instanceof FrameError || downlink.name !== 'text') throw new Error(`expected 0x8300, got ${JSON.stringify(downlink)}`);
    expect(downlink.text).toBe('请前往现场 Go to site');
    const sent = await eventually(() => findCommandById(client, command.id), (c) => c?.status === 'sent');
    expect(sent?.correlation).toBe(downlink.header.serial);

    terminal.send(encodeJt808.terminalResponse(target, { ackSerial: downlink.header.serial, ackId: 0x8300, result: 0 }, 2));
    const done = await eventually(() => findCommandById(client, command.id), (c) => c?.status === 'acknowledged');
    expect(done?.status).toBe('acknowledged');
    await api.endAsync();
    terminal.close();
  });

  it('publishes stored positions on an outside broker too (Mosquitto at TEST_MQTT_URL)', async () => {
    // A uniqueId of this run only, so parallel runs on the shared broker do not see each other.
    const imei = `86${String(process.pid).padStart(6, '0')}${String(Date.now() % 1e7).padStart(7, '0')}`;
    await insertDevice(client, { uniqueId: imei, name: 'mosquitto', protocol: 'gt06' });
    const outside = await createLiveBus(MOSQUITTO);
    const second = await startTestIngest(client, { bus: outside, jt808: false });
    const { client: subscriber, messages } = await listen(MOSQUITTO, [topics.position(imei)]);
    try {
      const terminal = await RawTerminal.open(second.ports.gt06!);
      terminal.send(encodeGt06.login(imei, 1));
      await terminal.read(10);
      terminal.send(hex(GT06_LOCATION));
      await terminal.read(10);
      await eventually(async () => messages.length, (n) => n >= 1);
      expect(messages[0]).toMatchObject({ topic: topics.position(imei), body: { uniqueId: imei } });
      expect(messages[0]?.body.lat).toBeCloseTo(23.1116683, 6);
      terminal.close();
    } finally {
      await subscriber.endAsync();
      await second.close();
      await outside.close();
    }
  });

  it('archives raw frames in and out when asked to (RAW_FRAMES_ARCHIVE)', async () => {
    const archiving = await startTestIngest(client, { jt808: false, archiveRawFrames: true });
    try {
      const terminal = await RawTerminal.open(archiving.ports.gt06!);
      terminal.send(hex(GT06_LOGIN));
      await terminal.read(10);
      terminal.send(hex(GT06_LOCATION));
      await terminal.read(10);
      terminal.close();
    } finally {
      await archiving.close();
    }
    const frames = await listRawFrames(client, gt06Id, Date.now() - 60_000, Date.now());
    const seen = frames.map((f) => `${f.direction} ${Buffer.from(f.frame).toString('hex')}`);
    expect(seen).toContain(`in ${GT06_LOCATION}`);
    expect(seen).toContain('out 787805010001d9dc0d0a');
    expect(seen).toContain(`out ${encodeGt06.ack(0x12, 3).toString('hex')}`);
  });
});

describe('live bus when the outside broker goes away', () => {
  it('drops what is published while the broker is down, and publishes again once it is back', async () => {
    const first = await startEmbeddedBroker({ host: '127.0.0.1' });
    const port = first.port;
    const bus = await createLiveBus(first.url);
    let second: EmbeddedBroker | undefined;
    try {
      await first.close();
      const whileDown = (n: number) => bus.publish(topics.position(IMEI), { n, phase: 'down' });
      const dropped = () => bus.dropped ?? 0;
      // The client notices the closed connection on its own schedule: publish until it counts a drop.
      await eventually(async () => (whileDown(0), dropped()), (count) => count > 0);
      const droppedBefore = dropped();
      expect(droppedBefore).toBeGreaterThan(0);
      for (let n = 1; n <= 5_000; n++) whileDown(n);
      // Nothing is kept for later: every message published while down is counted as dropped.
      expect(dropped()).toBe(droppedBefore + 5_000);

      second = await startEmbeddedBroker({ port, host: '127.0.0.1' });
      const { client: subscriber, messages } = await listen(second.url, [topics.position(IMEI)]);
      try {
        // The bus reconnects by itself (every second); publish until a message gets through.
        await eventually(async () => (bus.publish(topics.position(IMEI), { phase: 'up' }), messages.length), (n) => n > 0, 10_000);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(messages.length).toBeGreaterThan(0);
        // With mqtt.js's default QoS 0 queue the 5,000 messages would have been flushed on reconnect.
        expect(messages.filter((m) => m.body.phase === 'down')).toEqual([]);
      } finally {
        await subscriber.endAsync();
      }
    } finally {
      await bus.close();
      await second?.close();
    }
  }, 20_000);
});
