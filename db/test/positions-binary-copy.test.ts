import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Position } from '@urbanlink/protocols';
import type { SqlClient } from '../src/sql-client.ts';
import { insertDevice } from '../src/queries/devices.ts';
import { writePositions, type WriteMethod } from '../src/queries/positions-writer.ts';
import { toCopyBinary } from '../src/positions/copy-binary.ts';
import { toPositionRow } from '../src/positions/rows.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { fix } from './fixtures.ts';

// Every column's awkward values: nulls, negatives, -0, extremes of the types, times far from 2000 on both
// sides, alarms and attributes with text that needs escaping in the text format.
const T0 = Date.parse('2026-11-29T01:00:00.000Z');
const awkward: Position[] = [
  fix({ fixTimeMs: Date.parse('1999-12-31T23:59:59.999Z'), lat: -89.999999, lon: -179.999999, altitudeM: -0, speedKmh: 0, course: 0, valid: false, satellites: null, ignition: null, odometerKm: null, fuelL: null }),
  fix({ fixTimeMs: Date.parse('2000-01-01T00:00:00.000Z'), lat: 90, lon: 180, altitudeM: 8848.86, speedKmh: 255.5, course: 359, satellites: 0, ignition: false, odometerKm: 0, fuelL: 0 }),
  fix({ fixTimeMs: Date.parse('2255-12-31T23:59:59.123Z'), odometerKm: 987654321.123456, fuelL: 12.3456789, alarms: ['sos', 'powerCut', 'geofenceEnter'] }),
  fix({ fixTimeMs: T0, attributes: { text: 'a\tb\nc\\d\re "q" 中文 😀', nested: [1, null, true, { deep: 'x' }], big: 1e21 } }),
  fix({ fixTimeMs: T0 + 1_000, lat: 31.2305, lon: 121.4738, speedKmh: 1e-7, alarms: ['overspeed'] }),
  fix({ fixTimeMs: T0 + 2_000, lat: 31.2401, lon: 121.4801, speedKmh: 3.4028234e38, ignition: true }),
];

describe('positions through binary COPY (PostgreSQL)', () => {
  let db: TestDatabase;
  let client: SqlClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = db.client;
  });
  afterAll(() => db.drop());

  async function stored(deviceId: number): Promise<Record<string, unknown>[]> {
    const result = await client.query(
      `SELECT fix_time, lat_e6, lon_e6, altitude_m, speed_kmh, course, valid, satellites, ignition, odometer_km, fuel_l,
              alarms, attributes, distance_m, moving_s, on_duty_s
       FROM positions WHERE device_id = $1::integer ORDER BY fix_time`,
      [deviceId],
    );
    return result.rows;
  }

  async function writtenWith(method: WriteMethod, uniqueId: string): Promise<Record<string, unknown>[]> {
    const deviceId = (await insertDevice(client, { uniqueId, name: uniqueId }))!.id;
    const { inserted } = await writePositions(client, awkward.map((position) => ({ deviceId, position })), { method });
    expect(inserted).toEqual(awkward.map(() => true));
    return stored(deviceId);
  }

  it('stores every column exactly as the parameterised INSERT does', async () => {
    const viaInsert = await writtenWith('unnest', '861000000000001');
    expect(await writtenWith('direct', '861000000000002')).toEqual(viaInsert);
    expect(await writtenWith('copy', '861000000000003')).toEqual(viaInsert);
    // Not all zero: the motion columns and the values above were really compared.
    expect(viaInsert.map((row) => row.distance_m).some((metres) => (metres as number) > 0)).toBe(true);
    // Rows come back by fix time: the year-2255 fix is last.
    expect(viaInsert[5]!.fix_time).toEqual(new Date('2255-12-31T23:59:59.123Z'));
    expect(viaInsert[5]!.alarms).toEqual(['sos', 'powerCut', 'geofenceEnter']);
    expect(viaInsert[0]!.fix_time).toEqual(new Date('1999-12-31T23:59:59.999Z'));
  });

  it('refuses a value the column cannot hold instead of storing something else', () => {
    const motion = { distanceM: 0, movingS: 0, onDutyS: 0 };
    const row = (overrides: Partial<Position>) => toPositionRow(1, fix({ fixTimeMs: T0, ...overrides }), motion);
    expect(() => toCopyBinary([row({ lat: Number.NaN })])).toThrow(/lat_e6/);
    expect(() => toCopyBinary([row({ course: 1.5 })])).not.toThrow(); // rounded to a whole degree first
    expect(() => toCopyBinary([row({ satellites: 2.5 })])).toThrow(/satellites/);
    expect(() => toCopyBinary([row({ fixTimeMs: Number.NaN })])).toThrow(/fix_time/);
    expect(() => toCopyBinary([row({ fixTimeMs: 8.64e15 })])).not.toThrow(); // the last time a Date holds
    expect(() => toCopyBinary([row({ fixTimeMs: 1e19 })])).toThrow(/fix_time/);
  });
});
