import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGt06, type Position } from '@urbanlink/protocols';
import { insertDevice, listPositions } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { UdpTerminal, eventually, hex, startTestIngest } from './helpers.ts';

// shared/vectors/gt06.tsv: a login of IMEI 123456789012345 and a location with its fix of 2011-08-29 17:46:16.
const GT06_LOGIN = '78780d01012345678901234500018cdd0d0a';
const GT06_LOGIN_ACK = '787805010001d9dc0d0a';
const GT06_LOCATION = '78781f120b081d112e10cc027ac7eb0c46584900148f01cc00287d001fb8000373770d0a';
const IMEI = '123456789012345';
const FIX: Position = {
  uniqueId: IMEI, fixTimeMs: 0, lat: 30.5, lon: 104.05, altitudeM: 0, speedKmh: 20, course: 10, valid: true,
  satellites: 8, ignition: null, odometerKm: null, fuelL: null, alarms: [], attributes: {},
};

describe('terminals over UDP (PostgreSQL)', () => {
  let db: TestDatabase;
  let deviceId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    deviceId = (await insertDevice(db.client, { uniqueId: IMEI, name: 'gt06', protocol: 'gt06' }))!.id;
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('caps the UDP sessions: a new peer beyond INGEST_UDP_MAX_PEERS is refused until an idle one ends', async () => {
    const ingest = await startTestIngest(db.client, { jt808: false, udpMaxPeers: 2, idleTimeoutMs: 500 });
    const terminals = await Promise.all([1, 2, 3].map(() => UdpTerminal.open(ingest.ports.gt06!)));
    try {
      const [first, second, third] = terminals as [UdpTerminal, UdpTerminal, UdpTerminal];
      for (const terminal of [first, second]) {
        terminal.send(hex(GT06_LOGIN));
        expect((await terminal.next()).toString('hex')).toBe(GT06_LOGIN_ACK);
      }
      third.send(hex(GT06_LOGIN));
      await expect(third.next(500)).rejects.toThrow('no datagram');
      expect(ingest.metrics.udpPeersRefused.get({ protocol: 'gt06' })).toBe(1);
      expect(ingest.renderMetrics()).toMatch(/^urbanlink_ingest_udp_peers 2$/m);
      // The sessions already open keep working while the cap holds.
      first.send(hex(GT06_LOGIN));
      expect((await first.next()).toString('hex')).toBe(GT06_LOGIN_ACK);

      // Once the other two fall silent past the idle timeout, their places are free again.
      const answered = await eventually(
        async () => {
          third.send(hex(GT06_LOGIN));
          return third.next(300).then((answer) => answer.toString('hex'), () => null);
        },
        (answer) => answer !== null,
        5_000,
      );
      expect(answered).toBe(GT06_LOGIN_ACK);
    } finally {
      for (const terminal of terminals) terminal.close();
      await ingest.close();
    }
  });

  it('GT06 over UDP: a location is stored once, and acknowledged after it is stored', async () => {
    const ingest = await startTestIngest(db.client, { jt808: false });
    const terminal = await UdpTerminal.open(ingest.ports.gt06!);
    try {
      terminal.send(hex(GT06_LOGIN));
      expect((await terminal.next()).toString('hex')).toBe(GT06_LOGIN_ACK);
      terminal.send(hex(GT06_LOCATION));
      expect(await terminal.next()).toEqual(encodeGt06.ack(0x12, 3));
      // The ack came after the commit: the row is there now, not eventually.
      const stored = await listPositions(db.client, deviceId, 0, Date.now());
      expect(stored.map((p) => [p.fixTimeMs, p.lat, p.lon])).toEqual([[Date.parse('2011-08-29T17:46:16Z'), 23.111668, 114.409285]]);
    } finally {
      terminal.close();
      await ingest.close();
    }
  });

  it('on close, positions held for UDP peers are stored and still acknowledged before the socket closes', async () => {
    // A long batch window keeps the location waiting in the writer when close() begins.
    const ingest = await startTestIngest(db.client, { jt808: false, batchWindowMs: 10_000 });
    const terminal = await UdpTerminal.open(ingest.ports.gt06!);
    try {
      terminal.send(hex(GT06_LOGIN));
      expect((await terminal.next()).toString('hex')).toBe(GT06_LOGIN_ACK);
      const fix = Date.parse('2026-03-01T08:00:00Z');
      terminal.send(encodeGt06.location({ ...FIX, fixTimeMs: fix }, 7));
      await eventually(async () => ingest.renderMetrics(), (text) => /^urbanlink_ingest_positions_held 1$/m.test(text));
      const closing = ingest.close();
      expect(await terminal.next(3_000)).toEqual(encodeGt06.ack(0x12, 7));
      await closing;
      expect((await listPositions(db.client, deviceId, fix, fix)).map((p) => p.fixTimeMs)).toEqual([fix]);
    } finally {
      terminal.close();
    }
  });
});
