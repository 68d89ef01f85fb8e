import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../src/sql-client.ts';
import { insertDevice } from '../src/queries/devices.ts';
import { writePositions, type LastFixes, type PositionInput } from '../src/queries/positions-writer.ts';
import { listDailyStats, refreshDailyStats } from '../src/queries/daily-stats.ts';
import { POSITION_ENGINES } from '../src/testing.ts';
import { fix } from './fixtures.ts';

const DAY = 86_400_000;
const MIDNIGHT = Date.parse('2026-11-26T00:00:00Z');
const T0 = MIDNIGHT + 8 * 3_600_000;

/** A vehicle driving north with its engine on: fix k at T0 + 10 s × k, 0.001° further each time. */
const drive = (deviceId: number, from: number, to: number): PositionInput[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ deviceId, position: fix({ fixTimeMs: T0 + (from + i) * 10_000, lat: 31.23 + (from + i) / 1000 }) }));

describe.each(POSITION_ENGINES)('positions written by overlapping batches on $name', (engine) => {
  let client: SqlClient;
  let close: () => Promise<void>;
  let serial = 0;
  beforeAll(async () => {
    ({ client, close } = await engine.open());
  });
  afterAll(() => close());

  async function newDevice(): Promise<number> {
    const uniqueId = `86200000000${String(++serial).padStart(4, '0')}`;
    return (await insertDevice(client, { uniqueId, name: uniqueId }))!.id;
  }

  /** The device's figures for the day, without its id, so two devices can be compared. */
  async function dayOf(deviceId: number) {
    await refreshDailyStats(client, MIDNIGHT, MIDNIGHT + DAY);
    const [stats] = await listDailyStats(client, MIDNIGHT, MIDNIGHT + 1, [deviceId]);
    const { deviceId: _, ...figures } = stats!;
    return figures;
  }

  // The second batch starts after the first, or with a resend of its last fix, which is not committed yet.
  it.each([
    ['looked up', 5, undefined],
    ['remembered', 5, () => new Map() as LastFixes],
    ['remembered, with a resend', 4, () => new Map() as LastFixes],
  ])('counts each stretch once when two batches of one device are in flight together (%s)', async (_, secondFrom, lastFixesFor) => {
    const sequential = await newDevice();
    await writePositions(client, drive(sequential, 0, 9));
    const concurrent = await newDevice();
    const lastFixes = lastFixesFor?.();
    await writePositions(client, drive(concurrent, 0, 0), { lastFixes });
    // Connections open for both, so their look-ups of the previous fix run at once (on PostgreSQL).
    await Promise.all([0, 1, 2, 3].map(() => client.query('SELECT 1')));
    const [first, second] = await Promise.all([
      writePositions(client, drive(concurrent, 1, 4), { lastFixes }),
      writePositions(client, drive(concurrent, secondFrom, 9), { lastFixes }),
    ]);
    expect([...first.inserted, ...second.inserted].filter(Boolean)).toHaveLength(9);
    const expected = await dayOf(sequential);
    expect(expected.distanceM).toBeGreaterThan(900);
    expect(expected).toMatchObject({ movingS: 90, onDutyS: 90, fixes: 10 });
    expect(await dayOf(concurrent)).toEqual(expected);
  });

  it('counts nothing for a late fix, alone or in a batch, whose stretch the fix after it counted', async () => {
    const inOrder = await newDevice();
    await writePositions(client, drive(inOrder, 0, 9).filter((_, k) => k !== 3 && k !== 6));
    const expected = await dayOf(inOrder);
    for (const lastFixes of [undefined, new Map() as LastFixes]) {
      const late = await newDevice();
      await writePositions(client, drive(late, 0, 9).filter((_, k) => k !== 3 && k !== 6), { lastFixes });
      await writePositions(client, drive(late, 3, 3), { lastFixes });
      await writePositions(client, drive(late, 6, 6), { lastFixes });
      expect(await dayOf(late)).toEqual({ ...expected, fixes: expected.fixes + 2 });
    }
  });
});
