import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJt808, encodeJt808, FrameError, type Jt808Message, type Jt808Target } from '@urbanlink/protocols';
import { insertDevice, listDeviceStates, listPositions } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import type { Ingest } from '../src/index.ts';
import { RawTerminal, UdpTerminal, eventually, startTestIngest, unescapeJt808 } from './helpers.ts';

const SUBPACKAGE_TIMEOUT_MS = 300;
const fix = (second: number, lat: number) => ({ lat, lon: 104.06, fixTimeMs: Date.parse('2026-03-01T08:00:00Z') + second * 1000, speedKmh: 30, course: 45 });

function decoded(frame: Buffer): Jt808Message {
  const message = decodeJt808(unescapeJt808(frame));
  if (message instanceof FrameError) throw message;
  return message;
}

/** A 0x0704 batch of `count` fixes split into subpackages of at most `maxBodyBytes`, serials from `firstSerial`. */
function splitBatch(target: Jt808Target, count: number, maxBodyBytes: number, firstSerial: number): { frames: Buffer[]; fixes: ReturnType<typeof fix>[] } {
  const fixes = Array.from({ length: count }, (_, i) => fix(i, 30 + i / 1000));
  const whole = unescapeJt808(encodeJt808.locationBatch(target, { batchType: 0, locations: fixes }, 0));
  // A 2013 header is 12 bytes; the check byte closes the content.
  const body = whole.subarray(12, whole.length - 1);
  return { frames: encodeJt808.fragments(target, 0x0704, body, firstSerial, maxBodyBytes), fixes };
}

describe('JT/T 808 sessions on PostgreSQL', () => {
  let db: TestDatabase;
  let ingest: Ingest;
  let phoneCounter = 0;

  /** A known device with its auth code, and a TCP terminal already authenticated as it. */
  async function authenticatedTerminal(): Promise<{ terminal: RawTerminal; target: Jt808Target; deviceId: number }> {
    const phone = `1391000${String(++phoneCounter).padStart(4, '0')}`;
    const deviceId = (await insertDevice(db.client, { uniqueId: phone, name: phone, protocol: 'jt808', authCode: 'code808' }))!.id;
    const target: Jt808Target = { phone, version: 2013 };
    const terminal = await RawTerminal.open(ingest.ports.jt808!);
    terminal.send(encodeJt808.authenticate(target, { authCode: 'code808' }, 1));
    expect(decoded(await terminal.readJt808())).toMatchObject({ name: 'platformAck', ackId: 0x0102, result: 0 });
    return { terminal, target, deviceId };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    ingest = await startTestIngest(db.client, { gt06: false, session: { subpackageTimeoutMs: SUBPACKAGE_TIMEOUT_MS, subpackageMaxAsks: 2 } });
  });

  afterAll(async () => {
    await ingest?.close();
    await db?.drop();
  });

  it('acknowledges a 0x0704 batch of no fixes at once, storing nothing', async () => {
    const { terminal, target, deviceId } = await authenticatedTerminal();
    terminal.send(encodeJt808.locationBatch(target, { batchType: 0, locations: [] }, 7));
    const ack = await terminal.readJt808();
    expect(ack).toEqual(encodeJt808.platformAck(target, 7, 0x0704, 0, decoded(ack).header.serial));
    expect(await listPositions(db.client, deviceId, 0, Date.now())).toHaveLength(0);
  });

  it('asks for a missing subpackage with 0x8003, and handles the message once it arrives', async () => {
    const { terminal, target, deviceId } = await authenticatedTerminal();
    const { frames, fixes } = splitBatch(target, 12, 150, 40);
    expect(frames).toHaveLength(3);
    terminal.send(frames[0]!);
    expect(decoded(await terminal.readJt808())).toMatchObject({ name: 'platformAck', ackSerial: 40, ackId: 0x0704, result: 0 });
    terminal.send(frames[2]!);
    expect(decoded(await terminal.readJt808())).toMatchObject({ name: 'platformAck', ackSerial: 42, ackId: 0x0704, result: 0 });
    expect(await listPositions(db.client, deviceId, 0, Date.now())).toHaveLength(0);

    // After the timeout: 0x8003 naming the first packet's serial and packet 2, byte-exact.
    const sentAt = Date.now();
    const request = await terminal.readJt808(SUBPACKAGE_TIMEOUT_MS * 5);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(SUBPACKAGE_TIMEOUT_MS / 2);
    const header = decoded(request).header;
    expect(request).toEqual(encodeJt808.resendRequest(target, { originalSerial: 40, packets: [2] }, header.serial));

    terminal.send(frames[1]!);
    const ack = await terminal.readJt808();
    expect(ack).toEqual(encodeJt808.platformAck(target, 41, 0x0704, 0, decoded(ack).header.serial));
    const stored = await listPositions(db.client, deviceId, 0, Date.now());
    expect(stored.map((p) => [p.fixTimeMs, p.lat, p.lon])).toEqual(fixes.map((f) => [f.fixTimeMs, f.lat, f.lon]));
    // Complete: nothing more is asked for.
    expect((await terminal.drain(SUBPACKAGE_TIMEOUT_MS * 2)).length).toBe(0);
    terminal.close();
  });

  it('stops asking after the last try and drops the partial message, counted', async () => {
    const { terminal, target, deviceId } = await authenticatedTerminal();
    const drops = ingest.metrics.subpackageDrops.get({ protocol: 'jt808' });
    const asks = ingest.metrics.subpackageAsks.get({ protocol: 'jt808' });
    const { frames } = splitBatch(target, 12, 150, 7);
    terminal.send(frames[0]!);
    await terminal.readJt808();
    for (let ask = 0; ask < 2; ask++) {
      const request = await terminal.readJt808(SUBPACKAGE_TIMEOUT_MS * 5);
      expect(decoded(request)).toMatchObject({ name: 'resendRequest', originalSerial: 7, packets: [2, 3] });
    }
    await eventually(async () => ingest.metrics.subpackageDrops.get({ protocol: 'jt808' }), (n) => n > drops, SUBPACKAGE_TIMEOUT_MS * 5);
    expect(ingest.metrics.subpackageDrops.get({ protocol: 'jt808' })).toBe(drops + 1);
    expect(ingest.metrics.subpackageAsks.get({ protocol: 'jt808' })).toBe(asks + 2);
    expect(ingest.renderMetrics()).toMatch(/urbanlink_ingest_subpackage_drops_total\{protocol="jt808"\} [1-9]/);

    // Dropped: the late packets no longer complete anything.
    terminal.send(frames[1]!);
    terminal.send(frames[2]!);
    expect(decoded(await terminal.readJt808())).toMatchObject({ name: 'platformAck', ackSerial: 8, result: 0 });
    expect(decoded(await terminal.readJt808())).toMatchObject({ name: 'platformAck', ackSerial: 9, result: 0 });
    expect(await listPositions(db.client, deviceId, 0, Date.now())).toHaveLength(0);
    terminal.close();
  });

  it('over UDP: register, authenticate, and a position stored then acknowledged byte-exact', async () => {
    const phone = '13910009999';
    const deviceId = (await insertDevice(db.client, { uniqueId: phone, name: 'udp', protocol: 'jt808' }))!.id;
    const target: Jt808Target = { phone, version: 2019 };
    const terminal = await UdpTerminal.open(ingest.ports.jt808!);
    try {
      terminal.send(encodeJt808.location(target, fix(0, 31.2), 3));
      expect(decoded(await terminal.next())).toMatchObject({ name: 'platformAck', ackSerial: 3, ackId: 0x0200, result: 1 });

      terminal.send(encodeJt808.register(target, { provinceId: 51, cityId: 100, manufacturerId: 'TEST', terminalModel: 'T1', terminalId: 'U000001', plateColor: 1, plate: '川A1' }, 4));
      const registered = decoded(await terminal.next());
      if (registered.name !== 'registerAck') throw new Error(`expected 0x8100, got ${registered.name}`);
      expect(registered).toMatchObject({ ackSerial: 4, result: 0, header: { version: 2019 } });
      terminal.send(encodeJt808.authenticate(target, { authCode: registered.authCode, imei: '867000000000001', softwareVersion: '1.0' }, 5));
      expect(decoded(await terminal.next())).toMatchObject({ name: 'platformAck', ackSerial: 5, ackId: 0x0102, result: 0 });

      terminal.send(encodeJt808.location(target, fix(0, 31.2), 6));
      const ack = await terminal.next();
      expect(ack).toEqual(encodeJt808.platformAck(target, 6, 0x0200, 0, decoded(ack).header.serial));
      const stored = await listPositions(db.client, deviceId, 0, Date.now());
      expect(stored.map((p) => [p.fixTimeMs, p.lat, p.lon, p.speedKmh])).toEqual([[fix(0, 31.2).fixTimeMs, 31.2, 104.06, 30]]);
      const states = await eventually(() => listDeviceStates(db.client, [deviceId]), (rows) => rows[0]?.online === true);
      expect(states[0]).toMatchObject({ online: true, transport: 'udp' });
    } finally {
      terminal.close();
    }
  });

  it('closes a connection that sends only garbage: unframed bytes, or frames that never decode', async () => {
    const unframed = await RawTerminal.open(ingest.ports.jt808!);
    for (let i = 0; i < 8; i++) unframed.send(Buffer.alloc(512, 0x41 + i));
    expect(await unframed.waitClosed()).toBe(true);

    const badFrames = await RawTerminal.open(ingest.ports.jt808!);
    for (let i = 0; i < 20; i++) badFrames.send(Buffer.from(`7e0200${'41'.repeat(20)}${i.toString(16).padStart(2, '0')}7e`, 'hex'));
    expect(await badFrames.waitClosed()).toBe(true);

    // Others are still served.
    const { terminal } = await authenticatedTerminal();
    terminal.close();
  });

  it('ends the session of a UDP peer that falls silent: the device goes offline', async () => {
    const impatient = await startTestIngest(db.client, { gt06: false, idleTimeoutMs: 300 });
    const phone = '13910008888';
    const deviceId = (await insertDevice(db.client, { uniqueId: phone, name: 'silent', protocol: 'jt808', authCode: 'code808' }))!.id;
    const target: Jt808Target = { phone, version: 2013 };
    const terminal = await UdpTerminal.open(impatient.ports.jt808!);
    try {
      terminal.send(encodeJt808.authenticate(target, { authCode: 'code808' }, 1));
      expect(decoded(await terminal.next())).toMatchObject({ name: 'platformAck', result: 0 });
      expect((await eventually(() => listDeviceStates(db.client, [deviceId]), (rows) => rows[0]?.online === true))[0]?.online).toBe(true);
      const offline = await eventually(() => listDeviceStates(db.client, [deviceId]), (rows) => rows[0]?.online === false, 5_000);
      expect(offline[0]?.online).toBe(false);
      expect(impatient.metrics.connectionsClosed.get({ protocol: 'jt808', reason: 'idle' })).toBe(1);
    } finally {
      terminal.close();
      await impatient.close();
    }
  });
});
