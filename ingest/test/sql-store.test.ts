import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceE6, insertDevice, type SqlClient } from '@urbanlink/db';
import { ENGINES } from '@urbanlink/db/testing';
import type { Position } from '@urbanlink/protocols';
import { createSqlStore } from '../src/index.ts';

const T0 = Date.parse('2026-11-28T08:00:00.000Z');

function fix(fixTimeMs: number, latE6: number): Position {
  return {
    uniqueId: '',
    fixTimeMs,
    lat: latE6 / 1e6,
    lon: 121.4737,
    altitudeM: 0,
    speedKmh: 36,
    course: 0,
    valid: true,
    satellites: 9,
    ignition: true,
    odometerKm: null,
    fuelL: null,
    alarms: [],
    attributes: {},
  };
}

describe.each(ENGINES)('SQL store on $name', (engine) => {
  let client: SqlClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await engine.open());
  });
  afterAll(() => close());

  it('stores each fix’s distance from the one before it across writes, whether remembered or looked up', async () => {
    const id = (await insertDevice(client, { uniqueId: '860000000000201', name: 'store' }))!.id;
    const store = createSqlStore(client);
    const write = (...fixes: [number, number][]) => store.writePositions(fixes.map(([s, latE6]) => ({ deviceId: id, position: fix(T0 + s * 1000, latE6) })));
    expect(await write([0, 31_230_000])).toEqual([true]);
    expect(await write([10, 31_231_000], [20, 31_232_000])).toEqual([true, true]);
    // Remembered fix: the next write follows it.
    expect(await write([30, 31_233_000])).toEqual([true]);
    // Late and resent: older than what is stored, so the store looks the device up.
    expect(await write([25, 31_232_500], [30, 31_233_000])).toEqual([true, false]);
    expect(await write([40, 31_234_000])).toEqual([true]);
    // A second store (another process after a restart) knows nothing and looks everything up.
    expect(await createSqlStore(client).writePositions([{ deviceId: id, position: fix(T0 + 50_000, 31_235_000) }])).toEqual([true]);
    const rows = await client.query<{ d: number; m: number }>(
      'SELECT distance_m AS d, moving_s AS m FROM positions WHERE device_id = $1 ORDER BY fix_time',
      [id],
    );
    const step = Number(distanceE6(31_230_000, 121_473_700, 31_231_000, 121_473_700).toFixed(3));
    expect(step).toBeGreaterThan(110);
    expect(rows.rows.map((r) => [Number(r.d.toFixed(3)), r.m])).toEqual([
      [0, 0],
      [step, 10],
      [step, 10],
      // The late fix at 25 s adds nothing: the stretch from 20 s to 30 s was already counted.
      [0, 0],
      [step, 10],
      [step, 10],
      [step, 10],
    ]);
  });

  it('measures a returning terminal from the fix another process stored meanwhile', async () => {
    const id = (await insertDevice(client, { uniqueId: '860000000000202', name: 'two processes' }))!.id;
    const here = createSqlStore(client);
    const elsewhere = createSqlStore(client);
    const write = (store: typeof here, s: number, latE6: number) => store.writePositions([{ deviceId: id, position: fix(T0 + s * 1000, latE6) }]);
    expect(await write(here, 0, 31_230_000)).toEqual([true]);
    // The terminal reconnects through the other process and moves on there …
    elsewhere.deviceConnected(id);
    expect(await write(elsewhere, 10, 31_240_000)).toEqual([true]);
    // … then comes back: the distance is from the fix stored elsewhere, not from the one remembered here.
    here.deviceConnected(id);
    expect(await write(here, 20, 31_241_000)).toEqual([true]);
    const rows = await client.query<{ d: number }>('SELECT distance_m AS d FROM positions WHERE device_id = $1 ORDER BY fix_time', [id]);
    const last = rows.rows.map((r) => r.d)[2]!;
    expect(last).toBeCloseTo(distanceE6(31_240_000, 121_473_700, 31_241_000, 121_473_700), 0);
    expect(last).toBeLessThan(200);
  });
});
