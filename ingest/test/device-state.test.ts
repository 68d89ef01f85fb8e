import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGt06 } from '@urbanlink/protocols';
import { insertDevice, listDeviceStates, upsertDeviceStates } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { createSqlStore, type DeviceStateRow, type IngestStore } from '../src/index.ts';
import { RawTerminal, eventually, hex, startTestIngest } from './helpers.ts';

const GT06_LOGIN = '78780d01012345678901234500018cdd0d0a';
const GT06_HEARTBEAT = '78780a134004040001000fdcee0d0a';
const GT06_HEARTBEAT_ACK = '78780513000f008f0d0a';
const IMEI = '123456789012345';
const MINUTE = 60_000;

describe('device online state across ingest processes (PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('at start, marks offline the devices a killed process left online, and leaves live ones online', async () => {
    const crashed = (await insertDevice(db.client, { uniqueId: '860000000000001', name: 'crashed', protocol: 'gt06' }))!.id;
    const live = (await insertDevice(db.client, { uniqueId: '860000000000002', name: 'live', protocol: 'gt06' }))!.id;
    const now = Date.now();
    // What a process killed 20 minutes ago left behind, and what a live process with the device connected writes.
    await upsertDeviceStates(db.client, [
      { deviceId: crashed, online: true, lastSeenMs: now - 20 * MINUTE, position: null, transport: 'tcp', remoteAddress: '10.0.0.1:1000' },
      { deviceId: live, online: true, lastSeenMs: now - 2 * MINUTE, position: null, transport: 'tcp', remoteAddress: '10.0.0.2:1000' },
    ]);
    const ingest = await startTestIngest(db.client, { idleTimeoutMs: 5 * MINUTE, jt808: false });
    try {
      const states = await listDeviceStates(db.client, [crashed, live]);
      expect(states.map((s) => [s.deviceId, s.online])).toEqual([[crashed, false], [live, true]]);
      // When it was last heard of is kept.
      expect(states[0]?.lastSeenAt.getTime()).toBe(now - 20 * MINUTE);
    } finally {
      await ingest.close();
    }
  });

  it('a heartbeat refreshes last_seen_at, so a device that sends no positions is not taken for stale', async () => {
    const deviceId = (await insertDevice(db.client, { uniqueId: IMEI, name: 'gt06', protocol: 'gt06' }))!.id;
    const ingest = await startTestIngest(db.client, { jt808: false, stateFlushMs: 50 });
    const terminal = await RawTerminal.open(ingest.ports.gt06!);
    try {
      terminal.send(hex(GT06_LOGIN));
      await terminal.read(10);
      const atLogin = (await eventually(() => listDeviceStates(db.client, [deviceId]), (rows) => rows[0]?.online === true))[0]!.lastSeenAt.getTime();
      await new Promise((resolve) => setTimeout(resolve, 200));
      terminal.send(hex(GT06_HEARTBEAT));
      expect((await terminal.read(10)).toString('hex')).toBe(GT06_HEARTBEAT_ACK);
      const after = await eventually(() => listDeviceStates(db.client, [deviceId]), (rows) => rows[0]!.lastSeenAt.getTime() > atLogin);
      expect(after[0]!.lastSeenAt.getTime()).toBeGreaterThanOrEqual(atLogin + 200);
      expect(after[0]?.online).toBe(true);
    } finally {
      terminal.close();
      await ingest.close();
    }
  });

  it('writes a device reporting 20 times within a second at most once per flush, ending with its newest fix', async () => {
    const imei = '861234567890555';
    const deviceId = (await insertDevice(db.client, { uniqueId: imei, name: 'busy', protocol: 'gt06' }))!.id;
    const sqlStore = createSqlStore(db.client);
    const writes: { atMs: number; rows: DeviceStateRow[] }[] = [];
    const store: IngestStore = {
      ...sqlStore,
      upsertDeviceStates(rows) {
        writes.push({ atMs: Date.now(), rows });
        return sqlStore.upsertDeviceStates(rows);
      },
    };
    // The production interval, not the helper's 50 ms.
    const ingest = await startTestIngest(db.client, { store, jt808: false, stateFlushMs: 1_000 });
    const terminal = await RawTerminal.open(ingest.ports.gt06!);
    const ofDevice = (since: number) => writes.slice(since).filter((write) => write.rows.some((row) => row.deviceId === deviceId));
    try {
      terminal.send(encodeGt06.login(imei, 1));
      await terminal.read(10);
      // The login's own write (online), so what follows counts only the positions' writes.
      await eventually(async () => ofDevice(0).length, (count) => count > 0, 3_000);
      const since = writes.length;

      const count = 20;
      const base = Date.parse('2026-03-01T08:00:00Z');
      const fix = (i: number) => ({
        uniqueId: imei, fixTimeMs: base + i * 1_000, lat: 30.66 + i * 1e-4, lon: 104.06 + i * 1e-4, altitudeM: 0, speedKmh: 36,
        course: 90, valid: true, satellites: 8, ignition: null, odometerKm: null, fuelL: null, alarms: [], attributes: {},
      });
      for (let i = 0; i < count; i++) {
        terminal.send(encodeGt06.location(fix(i), i + 2));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await terminal.read(10 * count);
      // Two more flush intervals: anything still owed is written by then.
      await new Promise((resolve) => setTimeout(resolve, 2_200));

      const positionWrites = ofDevice(since);
      expect(positionWrites.length).toBeGreaterThanOrEqual(1);
      // 20 positions in about half a second: one write, two when a flush fell in between; never one per position.
      expect(positionWrites.length).toBeLessThanOrEqual(2);
      for (const write of positionWrites) expect(write.rows.filter((row) => row.deviceId === deviceId)).toHaveLength(1);
      if (positionWrites.length === 2) expect(positionWrites[1]!.atMs - positionWrites[0]!.atMs).toBeGreaterThanOrEqual(900);
      expect(positionWrites.at(-1)!.rows.find((row) => row.deviceId === deviceId)!.position?.fixTimeMs).toBe(fix(count - 1).fixTimeMs);

      const [state] = await listDeviceStates(db.client, [deviceId]);
      expect(state?.position?.fixTimeMs).toBe(fix(count - 1).fixTimeMs);
      expect(state?.position?.lat).toBeCloseTo(fix(count - 1).lat, 5);
      expect(state?.position?.lon).toBeCloseTo(fix(count - 1).lon, 5);
    } finally {
      terminal.close();
      await ingest.close();
    }
  });
});
