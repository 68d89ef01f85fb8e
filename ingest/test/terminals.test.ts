import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJt808, encodeGt06, encodeJt808, FrameError, type Jt808Target } from '@urbanlink/protocols';
import { findDeviceByUniqueId, insertDevice, listDeviceStates, listPositions, type SqlClient } from '@urbanlink/db';
import { createTestDatabase, createTestPglite } from '@urbanlink/db/testing';
import type { Ingest } from '../src/index.ts';
import { RawTerminal, eventually, hex, startTestIngest, udpExchange, unescapeJt808 } from './helpers.ts';

// Real frames from shared/vectors (gt06.tsv, jt808.tsv) and the acks they must get.
const GT06_LOGIN = '78780d01012345678901234500018cdd0d0a';
const GT06_LOGIN_ACK = '787805010001d9dc0d0a';
const GT06_HEARTBEAT = '78780a134004040001000fdcee0d0a';
const GT06_HEARTBEAT_ACK = '78780513000f008f0d0a';
const GT06_LOCATION = '78781f120b081d112e10cc027ac7eb0c46584900148f01cc00287d001fb8000373770d0a';
const GT06_IMEI = '123456789012345';
const JT808_LOCATION = '7e02000026123456789012007d02000000010000000200ba7f0e07e4f11c0028003c00001810151010100104000000640202007d01137e';
const JT808_PHONE = '123456789012';

const engines: [string, () => Promise<{ client: SqlClient; drop(): Promise<void> }>][] = [
  ['PostgreSQL', async () => createTestDatabase()],
  ['PGlite', async () => { const client = await createTestPglite(); return { client, drop: () => client.close() }; }],
];

describe.each(engines)('terminals over real sockets on %s', (_engine, open) => {
  let db: { client: SqlClient; drop(): Promise<void> };
  let ingest: Ingest;
  let gt06DeviceId: number;
  let jt808DeviceId: number;

  beforeAll(async () => {
    db = await open();
    gt06DeviceId = (await insertDevice(db.client, { uniqueId: GT06_IMEI, name: 'gt06', protocol: 'gt06' }))!.id;
    jt808DeviceId = (await insertDevice(db.client, { uniqueId: JT808_PHONE, name: 'jt808', protocol: 'jt808' }))!.id;
    ingest = await startTestIngest(db.client);
  });

  afterAll(async () => {
    await ingest?.close();
    await db?.drop();
  });

  it('GT06: login, heartbeat and location are answered byte-exact; the location is stored once though resent', async () => {
    const terminal = await RawTerminal.open(ingest.ports.gt06!);
    terminal.send(hex(GT06_LOGIN));
    expect((await terminal.read(10)).toString('hex')).toBe(GT06_LOGIN_ACK);
    terminal.send(hex(GT06_HEARTBEAT));
    expect((await terminal.read(10)).toString('hex')).toBe(GT06_HEARTBEAT_ACK);
    terminal.send(hex(GT06_LOCATION));
    expect(await terminal.read(10)).toEqual(encodeGt06.ack(0x12, 3));
    // The terminal did not trust the ack and sends the same frame again: acked again, stored once.
    terminal.send(hex(GT06_LOCATION));
    expect(await terminal.read(10)).toEqual(encodeGt06.ack(0x12, 3));
    const stored = await listPositions(db.client, gt06DeviceId, 0, Date.now());
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      uniqueId: GT06_IMEI,
      fixTimeMs: Date.parse('2011-08-29T17:46:16Z'),
      lat: 23.111668,
      lon: 114.409285,
      speedKmh: 0,
      course: 143,
      valid: true,
      satellites: 12,
    });
    terminal.close();
  });

  it('GT06: an unknown IMEI gets no answer and nothing is stored', async () => {
    const storedBefore = ingest.metrics.positionsStored.get();
    const knownBefore = (await listPositions(db.client, gt06DeviceId, 0, Date.now())).length;
    const terminal = await RawTerminal.open(ingest.ports.gt06!);
    terminal.send(encodeGt06.login('869999999999999', 1));
    terminal.send(hex(GT06_LOCATION));
    terminal.send(encodeGt06.location({
      uniqueId: '869999999999999', fixTimeMs: Date.parse('2026-02-01T00:00:00Z'), lat: 30, lon: 104, altitudeM: 0, speedKmh: 0,
      course: 0, valid: true, satellites: 5, ignition: null, odometerKm: null, fuelL: null, alarms: [], attributes: {},
    }, 2));
    expect((await terminal.drain(300)).length).toBe(0);
    expect(ingest.metrics.refused.get({ protocol: 'gt06' })).toBeGreaterThanOrEqual(3);
    expect(ingest.metrics.positionsStored.get()).toBe(storedBefore);
    expect(await listPositions(db.client, gt06DeviceId, 0, Date.now())).toHaveLength(knownBefore);
    expect(await findDeviceByUniqueId(db.client, '869999999999999')).toBeNull();
    terminal.close();
  });

  it('GT06 over UDP: a datagram login is answered', async () => {
    const answer = await udpExchange(ingest.ports.gt06!, hex(GT06_LOGIN));
    expect(answer?.toString('hex')).toBe(GT06_LOGIN_ACK);
  });

  it('JT/T 808: unauthenticated frames get 0x8001 failure and are not stored; register, authenticate, then locations are acked after storing', async () => {
    const terminal = await RawTerminal.open(ingest.ports.jt808!);
    const target: Jt808Target = { phone: JT808_PHONE, version: 2013 };
    terminal.send(hex(JT808_LOCATION));
    const refused = decodeJt808(unescapeJt808(await terminal.readJt808()));
    expect(refused).toMatchObject({ name: 'platformAck', ackSerial: 126, ackId: 0x0200, result: 1 });
    expect(await listPositions(db.client, jt808DeviceId, 0, Date.now())).toHaveLength(0);

    terminal.send(encodeJt808.register(target, { provinceId: 51, cityId: 100, manufacturerId: 'TEST', terminalModel: 'T1', terminalId: 'T000001', plateColor: 1, plate: 'A1' }, 1));
    const registered = decodeJt808(unescapeJt808(await terminal.readJt808()));
    if (registered instanceof FrameError || registered.name !== 'registerAck') throw new Error(`expected 0x8100, got ${JSON.stringify(registered)}`);
    expect(registered.result).toBe(0);
    expect(registered.authCode.length).toBeGreaterThan(0);

    terminal.send(encodeJt808.authenticate(target, { authCode: 'wrong' }, 2));
    expect(decodeJt808(unescapeJt808(await terminal.readJt808()))).toMatchObject({ name: 'platformAck', ackSerial: 2, ackId: 0x0102, result: 1 });
    terminal.send(encodeJt808.authenticate(target, { authCode: registered.authCode }, 3));
    expect(decodeJt808(unescapeJt808(await terminal.readJt808()))).toMatchObject({ name: 'platformAck', ackSerial: 3, ackId: 0x0102, result: 0 });

    terminal.send(hex(JT808_LOCATION));
    const ack = await terminal.readJt808();
    expect(decodeJt808(unescapeJt808(ack))).toMatchObject({ name: 'platformAck', ackSerial: 126, ackId: 0x0200, result: 0 });
    // Byte-exact: the 0x8001 the codec builds for this header, with the session's next serial.
    const header = (decodeJt808(unescapeJt808(ack)) as { header: { serial: number } }).header;
    expect(ack).toEqual(encodeJt808.platformAck(target, 126, 0x0200, 0, header.serial));

    const batch = encodeJt808.locationBatch(target, {
      batchType: 1,
      locations: [
        { lat: 30.1, lon: 104.1, fixTimeMs: Date.parse('2026-01-01T00:00:00Z'), speedKmh: 40, course: 90 },
        { lat: 30.2, lon: 104.2, fixTimeMs: Date.parse('2026-01-01T00:00:10Z'), speedKmh: 41, course: 91 },
      ],
    }, 4);
    terminal.send(batch);
    expect(decodeJt808(unescapeJt808(await terminal.readJt808()))).toMatchObject({ name: 'platformAck', ackSerial: 4, ackId: 0x0704, result: 0 });

    const stored = await listPositions(db.client, jt808DeviceId, 0, Date.now());
    expect(stored.map((p) => [p.fixTimeMs, p.lat, p.lon, p.speedKmh])).toEqual([
      [Date.parse('2018-10-15T02:10:10Z'), 12.222222, 132.444444, 6],
      [Date.parse('2026-01-01T00:00:00Z'), 30.1, 104.1, 40],
      [Date.parse('2026-01-01T00:00:10Z'), 30.2, 104.2, 41],
    ]);
    expect(stored[0]).toMatchObject({ altitudeM: 40, alarms: ['sos'] });

    const states = await eventually(() => listDeviceStates(db.client, [jt808DeviceId]), (rows) => rows[0]?.position?.lat === 30.2);
    expect(states[0]).toMatchObject({ online: true, transport: 'tcp' });
    terminal.close();
    const offline = await eventually(() => listDeviceStates(db.client, [jt808DeviceId]), (rows) => rows[0]?.online === false);
    expect(offline[0]?.online).toBe(false);
  });

  it('JT/T 808: the auth code given at registration is kept in the database, and a restarted ingest accepts it', async () => {
    const phone = '123456789099';
    const target: Jt808Target = { phone, version: 2013 };
    const deviceId = (await insertDevice(db.client, { uniqueId: phone, name: 'restart', protocol: 'jt808' }))!.id;
    const terminal = await RawTerminal.open(ingest.ports.jt808!);
    terminal.send(encodeJt808.register(target, { provinceId: 51, cityId: 100, manufacturerId: 'TEST', terminalModel: 'T1', terminalId: 'T000099', plateColor: 1, plate: 'A2' }, 1));
    const registered = decodeJt808(unescapeJt808(await terminal.readJt808()));
    if (registered instanceof FrameError || registered.name !== 'registerAck') throw new Error(`expected 0x8100, got ${JSON.stringify(registered)}`);
    terminal.close();
    expect(registered.authCode.length).toBeGreaterThan(0);
    expect((await findDeviceByUniqueId(db.client, phone))?.authCode).toBe(registered.authCode);

    // A new process knows nothing of the first one's cache: the code must come from the devices table.
    const restarted = await startTestIngest(db.client, { gt06: false });
    try {
      const again = await RawTerminal.open(restarted.ports.jt808!);
      again.send(encodeJt808.authenticate(target, { authCode: registered.authCode }, 2));
      expect(decodeJt808(unescapeJt808(await again.readJt808()))).toMatchObject({ name: 'platformAck', ackSerial: 2, ackId: 0x0102, result: 0 });
      again.send(encodeJt808.location(target, { status: 0x03, lat: 30.6, lon: 104.1, altitudeM: 500, speedKmh: 12, course: 45, fixTimeMs: Date.parse('2026-02-02T00:00:00Z') }, 3));
      expect(decodeJt808(unescapeJt808(await again.readJt808()))).toMatchObject({ name: 'platformAck', ackSerial: 3, ackId: 0x0200, result: 0 });
      expect((await listPositions(db.client, deviceId, 0, Date.now())).map((p) => p.fixTimeMs)).toEqual([Date.parse('2026-02-02T00:00:00Z')]);
      again.close();
    } finally {
      await restarted.close();
    }
  });

  it('closes a connection that sends only garbage, and keeps serving others', async () => {
    const terminal = await RawTerminal.open(ingest.ports.gt06!);
    for (let i = 0; i < 8; i++) terminal.send(Buffer.alloc(512, 0x41 + i));
    expect(await terminal.waitClosed()).toBe(true);
    const next = await RawTerminal.open(ingest.ports.gt06!);
    next.send(hex(GT06_LOGIN));
    expect((await next.read(10)).toString('hex')).toBe(GT06_LOGIN_ACK);
    next.close();
  });

  it('survives random bytes and frame-shaped noise on both protocols', async () => {
    let seed = 12345;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const noise = (length: number) => Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
    for (const port of [ingest.ports.gt06!, ingest.ports.jt808!]) {
      const terminals = await Promise.all(Array.from({ length: 8 }, () => RawTerminal.open(port)));
      for (let round = 0; round < 50; round++) {
        for (const terminal of terminals) {
          const body = noise(1 + Math.floor(random() * 60));
          const shape = round % 3;
          terminal.send(shape === 0 ? body : shape === 1 ? Buffer.concat([hex('7878'), body, hex('0d0a')]) : Buffer.concat([hex('7e'), body, hex('7e')]));
        }
      }
      for (const terminal of terminals) terminal.close();
    }
    const next = await RawTerminal.open(ingest.ports.gt06!);
    next.send(hex(GT06_LOGIN));
    expect((await next.read(10)).toString('hex')).toBe(GT06_LOGIN_ACK);
    next.close();
  });

  it('closes a connection that stays silent past the idle timeout', async () => {
    const impatient = await startTestIngest(db.client, { idleTimeoutMs: 300, jt808: false });
    try {
      const terminal = await RawTerminal.open(impatient.ports.gt06!);
      terminal.send(hex(GT06_LOGIN));
      await terminal.read(10);
      expect(await terminal.waitClosed(3_000)).toBe(true);
    } finally {
      await impatient.close();
    }
  });

  it('renders Prometheus metrics', () => {
    const text = ingest.renderMetrics();
    expect(text).toMatch(/urbanlink_ingest_frames_in_total\{protocol="gt06"\} \d+/);
    expect(text).toMatch(/urbanlink_ingest_positions_stored_total [1-9]/);
    expect(text).toContain('urbanlink_ingest_commit_seconds_bucket');
  });
});
