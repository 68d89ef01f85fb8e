import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../src/sql-client.ts';
import { insertDevice } from '../src/queries/devices.ts';
import { writePositions, type LastFixes } from '../src/queries/positions-writer.ts';
import { listPositions } from '../src/queries/positions.ts';
import { POSITION_ENGINES } from '../src/testing.ts';
import { fix } from './fixtures.ts';

const T0 = Date.parse('2026-11-28T08:00:00.000Z');
const S = 1_000;

/** Batches one writer might see: in order, late, resent, invalid, speeds around the moving threshold, gaps. */
const BATCHES: { dt: number; lat?: number; speedKmh?: number; valid?: boolean }[][] = [
  [{ dt: 0 }, { dt: 10 * S, lat: 31.231 }],
  [{ dt: 20 * S, lat: 31.232, speedKmh: 4.9999999 }, { dt: 30 * S, lat: 31.233, speedKmh: 0.3 }],
  // Late: older than what is stored.
  [{ dt: 15 * S, lat: 31.2315 }, { dt: 40 * S, lat: 31.234 }],
  // Resent, then an invalid fix, then a fix after a long silence.
  [{ dt: 40 * S, lat: 31.234 }, { dt: 45 * S, lat: 0, valid: false }, { dt: 50 * S, lat: 31.235, speedKmh: 60.1 }],
  [{ dt: 2 * 3_600 * S, lat: 31.3 }, { dt: 2 * 3_600 * S + 5 * S, lat: 31.301, speedKmh: 12.345 }],
  [{ dt: 8 * 3_600 * S, lat: 31.4 }, { dt: 8 * 3_600 * S + 5 * S, lat: 31.4002 }],
];

describe.each(POSITION_ENGINES)('positions with a remembered last fix on $name', (engine) => {
  let client: SqlClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await engine.open());
  });
  afterAll(() => close());

  async function newDevice(uniqueId: string): Promise<number> {
    return (await insertDevice(client, { uniqueId, name: uniqueId }))!.id;
  }

  async function motionOf(deviceId: number): Promise<[number, number, number][]> {
    const result = await client.query<{ t: Date; d: number; m: number }>(
      `SELECT fix_time AS t, distance_m AS d, moving_s AS m FROM positions WHERE device_id = $1 ORDER BY fix_time`,
      [deviceId],
    );
    return result.rows.map((r) => [r.t.getTime() - T0, r.d, r.m]);
  }

  it('stores the same distance figures as the database look-up, late and resent fixes included', async () => {
    const lookedUp = await newDevice('860000000000101');
    const remembered = await newDevice('860000000000102');
    const lastFixes: LastFixes = new Map();
    for (const batch of BATCHES) {
      const rowsFor = (deviceId: number) => batch.map(({ dt, ...fields }) => ({ deviceId, position: fix({ fixTimeMs: T0 + dt, ...fields }) }));
      const plain = await writePositions(client, rowsFor(lookedUp));
      const withMemory = await writePositions(client, rowsFor(remembered), { lastFixes });
      expect(withMemory).toEqual(plain);
    }
    const expected = await motionOf(lookedUp);
    expect(expected.filter(([, d]) => d > 0).length).toBeGreaterThan(4);
    expect(await motionOf(remembered)).toEqual(expected);
    // What is remembered is the newest valid stored fix.
    expect(lastFixes.get(remembered)).toMatchObject({ fixTimeMs: T0 + 8 * 3_600 * S + 5 * S, latE6: 31_400_200, valid: true });
    expect(lastFixes.has(lookedUp)).toBe(false);
  });

  it('forgets a device when a row turns out to be stored already', async () => {
    const id = await newDevice('860000000000103');
    const lastFixes: LastFixes = new Map();
    await writePositions(client, [{ deviceId: id, position: fix({ fixTimeMs: T0 }) }], { lastFixes });
    expect(lastFixes.get(id)?.fixTimeMs).toBe(T0);
    const again = await writePositions(client, [{ deviceId: id, position: fix({ fixTimeMs: T0 }) }, { deviceId: id, position: fix({ fixTimeMs: T0 + S }) }], { lastFixes });
    expect(again.inserted).toEqual([false, true]);
    expect(lastFixes.has(id)).toBe(false);
  });

  it('writes a batch straight in and falls back when a row the look-up cannot see is already stored', async () => {
    const id = await newDevice('860000000000104');
    // Invalid fixes are not what the look-up finds, so the batch below looks fresh and is tried with COPY.
    await writePositions(client, [{ deviceId: id, position: fix({ fixTimeMs: T0 + 2 * S, valid: false, lat: 0 }) }]);
    const rows = [0, 1, 2, 3].map((k) => ({ deviceId: id, position: fix({ fixTimeMs: T0 + k * S, lat: 31.23 + k * 0.001 }) }));
    for (const method of [undefined, 'direct'] as const) {
      const other = await newDevice(`86000000000011${method ? 1 : 0}`);
      await writePositions(client, [{ deviceId: other, position: fix({ fixTimeMs: T0 + 2 * S, valid: false, lat: 0 }) }]);
      const { inserted } = await writePositions(client, rows.map((row) => ({ ...row, deviceId: other })), method ? { method } : {});
      expect(inserted).toEqual([true, true, false, true]);
      const stored = await listPositions(client, other, T0, T0 + 10 * S);
      expect(stored.map((p) => [p.fixTimeMs - T0, p.valid])).toEqual([
        [0, true],
        [1000, true],
        [2000, false],
        [3000, true],
      ]);
    }
    expect((await writePositions(client, rows, { method: 'direct' })).inserted).toEqual([true, true, false, true]);
  });
});
