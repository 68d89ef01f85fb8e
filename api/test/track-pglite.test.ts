import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyGeofencePresence,
  insertDetectedAlarms,
  insertGeofence,
  listGeofencePresence,
  listUnresolvedAlarmKeys,
  readTrackPage,
  transitionAlarm,
  type SqlClient,
} from '@urbanlink/db';
import { createTestPglite } from '@urbanlink/db/testing';
import { addDevice, position, storePositions } from './track-http-fixtures.ts';

// `npm start` runs on embedded PGlite by default: the playback, geofence and alarm SQL must work there too.
describe('track, geofence and alarm queries on PGlite', () => {
  let client: SqlClient;
  beforeAll(async () => {
    client = await createTestPglite();
  });
  afterAll(() => client.close());

  it('pages a track by keyset', async () => {
    const device = await addDevice(client, null);
    const start = Date.UTC(2026, 0, 1);
    await storePositions(client, device.id, Array.from({ length: 25 }, (_, s) => position(start + s * 1000, 22.5 + s / 1e6, -114.25, s / 2)));
    const first = await readTrackPage(client, device.id, start, start + 60_000, 10);
    const second = await readTrackPage(client, device.id, first.fixTimeMs[9]! + 1, start + 60_000, 10);
    const third = await readTrackPage(client, device.id, second.fixTimeMs[9]! + 1, start + 60_000, 10);
    expect([first.length, second.length, third.length]).toEqual([10, 10, 5]);
    const last = Object.fromEntries(Object.entries(third).map(([column, values]) => [column, typeof values === 'number' ? values : values[4]]));
    expect(last).toEqual({ length: 5, fixTimeMs: start + 24_000, lat: 22.500024, lon: -114.25, speedKmh: 12, course: 90, altitudeM: 12, valid: 1 });
  });

  it('records presence and alarms idempotently and moves an alarm only from the expected state', async () => {
    const device = await addDevice(client, null);
    const fence = await insertGeofence(client, { name: 'f', shape: { type: 'circle', center: { lat: 0, lon: 0 }, radiusMeters: 10 } });
    const enter = { deviceId: device.id, geofenceId: fence.id, sinceMs: Date.UTC(2026, 0, 1) };
    await applyGeofencePresence(client, { enters: [enter, enter], exits: [] });
    expect(await listGeofencePresence(client)).toEqual([{ deviceId: device.id, geofenceId: fence.id }]);
    const alarm = { deviceId: device.id, source: 'geofence' as const, kind: 'geofenceEnter', geofenceId: fence.id, occurredAtMs: enter.sinceMs, lat: 0, lon: 0, speedKmh: 3, details: {} };
    const [stored] = await insertDetectedAlarms(client, [alarm]);
    expect(await insertDetectedAlarms(client, [alarm])).toEqual([]);
    expect(stored).toMatchObject({ uniqueId: device.uniqueId, state: 'open', geofenceId: fence.id });
    expect(await listUnresolvedAlarmKeys(client)).toContainEqual({ deviceId: device.id, source: 'geofence', kind: 'geofenceEnter', geofenceId: fence.id });
    expect(await transitionAlarm(client, stored!.id, ['assigned'], { to: 'resolved', userId: null })).toBeNull();
    expect(await transitionAlarm(client, stored!.id, ['open'], { to: 'acknowledged', userId: null })).toMatchObject({ state: 'acknowledged' });
    await applyGeofencePresence(client, { enters: [], exits: [enter] });
    expect(await listGeofencePresence(client)).toEqual([]);
  });
});
