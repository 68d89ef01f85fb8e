import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDevice, listDeviceStates, upsertDeviceStates } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
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
});
