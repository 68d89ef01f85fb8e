import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGt06, type Position } from '@urbanlink/protocols';
import { insertDevice, listPositions } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { RawTerminal, eventually, startTestIngest } from './helpers.ts';

const CELL = { mcc: 460, mnc: 0, lac: 10365, cellId: 8120, terminalInfo: 0x44, voltageLevel: 4, gsmSignal: 3, language: 2 };
const SOS = 0x01;

function fix(uniqueId: string, fixTimeMs: number): Position {
  return {
    uniqueId, fixTimeMs, lat: 30.657, lon: 104.066, altitudeM: 0, speedKmh: 30, course: 90, valid: true,
    satellites: 9, ignition: null, odometerKm: null, fuelL: null, alarms: [], attributes: {},
  };
}

async function loggedIn(port: number, imei: string): Promise<RawTerminal> {
  const terminal = await RawTerminal.open(port);
  terminal.send(encodeGt06.login(imei, 1));
  await terminal.read(10);
  return terminal;
}

/** All of a device's stored positions, whatever their time. */
function positionsOf(db: TestDatabase, deviceId: number) {
  return listPositions(db.client, deviceId, 0, Date.now() + 86_400_000);
}

describe('GT06 0x19 alarms without a fix (PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('from a device that never had a fix: stored invalid at (0, 0), acknowledged after storing, once though resent', async () => {
    const imei = '860000000000011';
    const deviceId = (await insertDevice(db.client, { uniqueId: imei, name: 'no fix', protocol: 'gt06' }))!.id;
    const ingest = await startTestIngest(db.client, { jt808: false });
    const terminal = await loggedIn(ingest.ports.gt06!, imei);
    try {
      const alarm = encodeGt06.lbsAlarm(SOS, CELL, 5);
      terminal.send(alarm);
      expect(await terminal.read(10)).toEqual(encodeGt06.ack(0x19, 5));
      const stored = await positionsOf(db, deviceId);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ lat: 0, lon: 0, valid: false, alarms: ['sos'] });
      expect(stored[0]?.attributes).toMatchObject({ lbsOnly: true, alarmCode: SOS, cellId: 8120 });

      // The ack was lost on the way; the terminal sends the same frame again.
      await new Promise((resolve) => setTimeout(resolve, 20));
      terminal.send(alarm);
      expect(await terminal.read(10)).toEqual(encodeGt06.ack(0x19, 5));
      expect(await positionsOf(db, deviceId)).toHaveLength(1);
      expect(ingest.metrics.positionsDuplicate.get()).toBe(1);
    } finally {
      terminal.close();
      await ingest.close();
    }
  });

  it('is stored at the last known place: this process\'s, or after a restart the one recorded in the database', async () => {
    const imei = '860000000000012';
    const deviceId = (await insertDevice(db.client, { uniqueId: imei, name: 'had a fix', protocol: 'gt06' }))!.id;
    const first = await startTestIngest(db.client, { jt808: false });
    const terminal = await loggedIn(first.ports.gt06!, imei);
    try {
      terminal.send(encodeGt06.location(fix(imei, Date.parse('2026-11-01T08:00:00Z')), 2));
      await terminal.read(10);
      terminal.send(encodeGt06.lbsAlarm(SOS, CELL, 3));
      expect(await terminal.read(10)).toEqual(encodeGt06.ack(0x19, 3));
    } finally {
      terminal.close();
      await first.close();
    }
    const second = await startTestIngest(db.client, { jt808: false });
    const again = await loggedIn(second.ports.gt06!, imei);
    try {
      again.send(encodeGt06.lbsAlarm(SOS, CELL, 4));
      expect(await again.read(10)).toEqual(encodeGt06.ack(0x19, 4));
    } finally {
      again.close();
      await second.close();
    }
    const stored = await eventually(() => positionsOf(db, deviceId), (rows) => rows.length === 3);
    expect(stored.map((p) => [p.valid, p.lat, p.lon, p.alarms])).toEqual([
      [true, 30.657, 104.066, []],
      [false, 30.657, 104.066, ['sos']],
      [false, 30.657, 104.066, ['sos']],
    ]);
  });
});
