import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../src/sql-client.ts';
import { insertDevice } from '../src/queries/devices.ts';
import { COPY_MIN_ROWS, writePositions } from '../src/queries/positions-writer.ts';
import { listPositions } from '../src/queries/positions.ts';
import { latestPositions, listDeviceStates, upsertDeviceStates } from '../src/queries/device-state.ts';
import { distanceE6 } from '../src/positions/motion.ts';
import { POSITION_ENGINES } from '../src/testing.ts';
import { fix } from './fixtures.ts';

const T0 = Date.parse('2026-11-28T08:00:00.000Z');

describe.each(POSITION_ENGINES)('positions on $name', (engine) => {
  let client: SqlClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await engine.open());
  });
  afterAll(() => close());

  async function newDevice(uniqueId: string): Promise<number> {
    return (await insertDevice(client, { uniqueId, name: uniqueId }))!.id;
  }

  it('reads back what it wrote, coordinates rounded to micro-degrees', async () => {
    const id = await newDevice('860000000000001');
    const written = fix({
      fixTimeMs: T0 + 123,
      lat: -33.86881234567,
      lon: 151.20929876543,
      altitudeM: -3.5,
      speedKmh: 0,
      course: 359,
      valid: false,
      satellites: null,
      ignition: null,
      odometerKm: null,
      fuelL: 42.5,
      alarms: ['sos', 'powerCut'],
      attributes: { cell: { mcc: 460, mnc: 0 }, note: 'tab\there\nnewline \\ "quoted"', status: 'ACC' },
    });
    expect(await writePositions(client, [{ deviceId: id, position: written }])).toEqual({ inserted: [true] });
    const [read] = await listPositions(client, id, T0, T0 + 1000);
    expect(read).toEqual({
      ...written,
      deviceId: id,
      uniqueId: '860000000000001',
      // Documented rounding: round(deg × 10⁶) / 10⁶.
      lat: -33.868812,
      lon: 151.209299,
    });
  });

  it('ignores duplicates, in the table and within a batch, and reports them', async () => {
    const id = await newDevice('860000000000002');
    const first = [0, 10_000, 20_000].map((dt) => ({ deviceId: id, position: fix({ fixTimeMs: T0 + dt }) }));
    expect((await writePositions(client, first)).inserted).toEqual([true, true, true]);
    const resent = [
      { deviceId: id, position: fix({ fixTimeMs: T0 + 10_000, lat: 1 }) },
      { deviceId: id, position: fix({ fixTimeMs: T0 + 30_000 }) },
      { deviceId: id, position: fix({ fixTimeMs: T0 + 30_000 }) },
      { deviceId: id, position: fix({ fixTimeMs: T0 }) },
    ];
    expect((await writePositions(client, resent)).inserted).toEqual([false, true, false, false]);
    const stored = await listPositions(client, id, T0, T0 + 60_000);
    expect(stored.map((p) => p.fixTimeMs - T0)).toEqual([0, 10_000, 20_000, 30_000]);
    // The duplicate did not overwrite the stored row.
    expect(stored[1]!.lat).toBe(31.2304);
    expect(await listPositions(client, id, T0, T0 + 60_000, 2)).toHaveLength(2);
  });

  it('stores the same through COPY, duplicates and awkward text included', async () => {
    const id = await newDevice('860000000000008');
    const attributes = { text: 'a\tb\nc\\d\re "q" 中文', nested: [1, null, true] };
    const rows = [
      { deviceId: id, position: fix({ fixTimeMs: T0, alarms: ['overspeed'], attributes }) },
      { deviceId: id, position: fix({ fixTimeMs: T0 + 1000, satellites: null, ignition: false }) },
      { deviceId: id, position: fix({ fixTimeMs: T0 }) },
    ];
    expect((await writePositions(client, rows, { method: 'copy' })).inserted).toEqual([true, true, false]);
    expect((await writePositions(client, rows.slice(1), { method: 'copy' })).inserted).toEqual([false, false]);
    const stored = await listPositions(client, id, T0, T0 + 1000);
    const expected = [rows[0]!, rows[1]!].map((row) => ({ ...row.position, deviceId: id, uniqueId: '860000000000008' }));
    expect(stored).toEqual(expected);
  });

  it('writes a batch large enough for COPY on PostgreSQL, with one resent row', async () => {
    const ids = [await newDevice('860000000000009'), await newDevice('860000000000010')];
    const rows = Array.from({ length: COPY_MIN_ROWS + 1 }, (_, i) => ({
      deviceId: ids[i % 2]!,
      position: fix({ fixTimeMs: T0 + Math.floor(i / 2) * 1000 }),
    }));
    await writePositions(client, [rows[7]!]);
    const { inserted } = await writePositions(client, rows);
    expect(inserted.filter((fresh) => !fresh)).toHaveLength(1);
    expect(inserted[7]).toBe(false);
    expect(await listPositions(client, ids[1]!, T0, T0 + 3_600_000)).toHaveLength(Math.floor((COPY_MIN_ROWS + 1) / 2));
  });

  it('keeps devices apart and orders by fix time whatever the arrival order', async () => {
    const a = await newDevice('860000000000003');
    const b = await newDevice('860000000000004');
    const rows = [
      { deviceId: a, position: fix({ fixTimeMs: T0 + 2000 }) },
      { deviceId: b, position: fix({ fixTimeMs: T0 + 2000 }) },
      { deviceId: a, position: fix({ fixTimeMs: T0 + 1000 }) },
    ];
    expect((await writePositions(client, rows)).inserted).toEqual([true, true, true]);
    expect((await listPositions(client, a, T0, T0 + 5000)).map((p) => p.fixTimeMs - T0)).toEqual([1000, 2000]);
    expect((await listPositions(client, b, T0, T0 + 5000)).map((p) => p.deviceId)).toEqual([b]);
  });

  it('stores the distance from the previous stored fix, across batches, for moving valid fixes only', async () => {
    const id = await newDevice('860000000000005');
    const lats = [31.23, 31.231, 31.232, 31.233];
    await writePositions(client, [{ deviceId: id, position: fix({ fixTimeMs: T0, lat: lats[0]! }) }]);
    await writePositions(client, [
      { deviceId: id, position: fix({ fixTimeMs: T0 + 20_000, lat: lats[2]! }) },
      { deviceId: id, position: fix({ fixTimeMs: T0 + 10_000, lat: lats[1]! }) },
      // Invalid: neither counted nor used as the next fix's predecessor.
      { deviceId: id, position: fix({ fixTimeMs: T0 + 25_000, lat: 0, lon: 0, valid: false }) },
      { deviceId: id, position: fix({ fixTimeMs: T0 + 30_000, lat: lats[3]!, speedKmh: 0 }) },
    ]);
    const rows = await client.query<{ d: number; m: number }>(
      `SELECT distance_m AS d, moving_s AS m FROM positions WHERE device_id = $1 ORDER BY fix_time`,
      [id],
    );
    const step = distanceE6(31_230_000, 121_473_700, 31_231_000, 121_473_700);
    expect(step).toBeGreaterThan(110);
    expect(step).toBeLessThan(112);
    const got = rows.rows.map((r) => [Number(r.d.toFixed(2)), r.m]);
    expect(got).toEqual([
      [0, 0],
      [Number(step.toFixed(2)), 10],
      [Number(step.toFixed(2)), 10],
      [0, 0],
      // Stopped here, but moving at the previous fix: the last stretch still counts.
      [Number(step.toFixed(2)), 10],
    ]);
  });

  it('upserts many device states in one call, keeping the newest fix', async () => {
    const a = await newDevice('860000000000006');
    const b = await newDevice('860000000000007');
    const base = { online: true, transport: 'tcp' as const, remoteAddress: '10.0.0.1:5000' };
    await upsertDeviceStates(client, [
      { ...base, deviceId: a, lastSeenMs: T0, position: fix({ fixTimeMs: T0, lat: 30, alarms: ['sos'] }) },
      { ...base, deviceId: a, lastSeenMs: T0 + 5, position: fix({ fixTimeMs: T0 - 60_000, lat: 29 }) },
      { ...base, deviceId: b, lastSeenMs: T0, position: null },
      { ...base, deviceId: 999_999, lastSeenMs: T0, position: null },
    ]);
    await upsertDeviceStates(client, [
      { deviceId: a, online: false, lastSeenMs: T0 + 10, position: null, transport: null, remoteAddress: null },
    ]);
    const [stateA, stateB] = await listDeviceStates(client, [a, b]);
    expect(stateA).toMatchObject({ online: false, lastSeenAt: new Date(T0 + 10), remoteAddress: '10.0.0.1:5000' });
    expect(stateA!.position).toMatchObject({ deviceId: a, uniqueId: '860000000000006', lat: 30, alarms: ['sos'] });
    expect(stateA!.position!.fixTimeMs).toBe(T0);
    expect(stateB).toMatchObject({ online: true, position: null });
    await upsertDeviceStates(client, [
      { ...base, deviceId: b, lastSeenMs: T0 + 20, position: fix({ fixTimeMs: T0 + 20, lon: 120.5 }) },
    ]);
    const latest = await latestPositions(client, [a, b]);
    expect(latest.map((p) => [p.deviceId, p.lon])).toEqual([
      [a, 121.4737],
      [b, 120.5],
    ]);
  });
});
