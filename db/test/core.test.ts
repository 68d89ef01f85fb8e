import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../src/sql-client.ts';
import { deleteUnit, insertUnit, isUnitWithin, listUnitBoundaries, listUnits, unitSubtreeIds, updateUnit, type LonLat, type UnitBoundary } from '../src/queries/units.ts';
import {
  deleteDevice,
  findDeviceById,
  findDeviceByUniqueId,
  insertDevice,
  listDevices,
  setAuthCode,
  updateDevice,
} from '../src/queries/devices.ts';
import {
  expireOlderThan,
  findCommandById,
  insertCommand,
  listQueued,
  markAcknowledged,
  markFailed,
  markSent,
} from '../src/queries/commands.ts';
import { isUniqueViolation } from '../src/errors.ts';
import { ENGINES } from '../src/testing.ts';

describe.each(ENGINES)('units, devices and commands on $name', (engine) => {
  let client: SqlClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await engine.open());
  });
  afterAll(() => close());

  it('returns a unit subtree and filters devices by it', async () => {
    const city = await insertUnit(client, { name: '市局', kind: 'city' });
    const east = await insertUnit(client, { name: '东区局', kind: 'district', parentId: city.id });
    const west = await insertUnit(client, { name: '西区局', kind: 'district', parentId: city.id });
    const squad = await insertUnit(client, { name: '一中队', kind: 'squad', parentId: east.id, phone: '110' });
    expect(squad).toMatchObject({ parentId: east.id, kind: 'squad', phone: '110', email: null });
    expect(await unitSubtreeIds(client, city.id)).toEqual([city.id, east.id, west.id, squad.id]);
    expect(await unitSubtreeIds(client, east.id)).toEqual([east.id, squad.id]);
    expect((await listUnits(client, { withinUnit: west.id })).map((u) => u.name)).toEqual(['西区局']);
    expect(await isUnitWithin(client, squad.id, city.id)).toBe(true);
    expect(await isUnitWithin(client, squad.id, west.id)).toBe(false);

    const a = await insertDevice(client, { uniqueId: '868120000000001', name: 'A', unitId: squad.id });
    const b = await insertDevice(client, { uniqueId: '13800000001', name: 'B', unitId: west.id, protocol: 'jt808' });
    const c = await insertDevice(client, { uniqueId: '13800000002', name: 'C' });
    expect((await listDevices(client, { withinUnit: east.id })).map((d) => d.id)).toEqual([a!.id]);
    expect((await listDevices(client, { withinUnit: city.id })).map((d) => d.id)).toEqual([a!.id, b!.id]);
    expect((await listDevices(client)).map((d) => d.id)).toEqual([a!.id, b!.id, c!.id]);

    await expect(updateUnit(client, east.id, { parentId: squad.id })).rejects.toThrow(/inside unit/);
    expect(await updateUnit(client, squad.id, { parentId: west.id, phone: null })).toMatchObject({
      parentId: west.id,
      phone: null,
      name: '一中队',
    });
    expect(await unitSubtreeIds(client, west.id)).toEqual([west.id, squad.id]);
    await expect(deleteUnit(client, west.id)).rejects.toThrow();
    expect(await deleteUnit(client, squad.id)).toBe(true);
    expect((await findDeviceById(client, a!.id))!.unitId).toBeNull();
  });

  it("stores a unit's boundary, lists the boundaries of a subtree and clears one", async () => {
    const ring = (lon: number, lat: number): LonLat[] => [[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]];
    const square = (lon: number, lat: number): UnitBoundary => ({ type: 'Polygon', coordinates: [ring(lon, lat)] });
    const city = await insertUnit(client, { name: '边界市局', kind: 'city', boundary: square(104, 30.6) });
    const north = await insertUnit(client, { name: '北区局', kind: 'district', parentId: city.id });
    const south = await insertUnit(client, { name: '南区局', kind: 'district', parentId: city.id, boundary: square(104, 30.6) });
    expect(city.boundary).toEqual(square(104, 30.6));
    expect(north.boundary).toBeNull();
    const two: UnitBoundary = { type: 'MultiPolygon', coordinates: [[ring(104.2, 30.7)], [ring(104.4, 30.7)]] };
    expect((await updateUnit(client, north.id, { boundary: two }))!.boundary).toEqual(two);
    // A patch without the key leaves the boundary alone.
    expect((await updateUnit(client, north.id, { phone: '12319' }))!.boundary).toEqual(two);
    expect((await listUnitBoundaries(client, { withinUnit: city.id })).map((u) => u.name)).toEqual(['边界市局', '北区局', '南区局']);
    expect(await listUnitBoundaries(client, { withinUnit: north.id })).toEqual([{ id: north.id, parentId: city.id, name: '北区局', kind: 'district', boundary: two }]);
    expect((await updateUnit(client, south.id, { boundary: null }))!.boundary).toBeNull();
    expect((await listUnitBoundaries(client, { withinUnit: city.id })).map((u) => u.id)).toEqual([city.id, north.id]);
    await expect(client.query(`UPDATE units SET boundary = '{"type":"Point","coordinates":[104,30]}' WHERE id = $1`, [city.id])).rejects.toThrow();
  });

  it('stores a device, refuses a duplicate unique id and patches only the given fields', async () => {
    const device = await insertDevice(client, {
      uniqueId: '868120000000099',
      name: '巡逻车 1',
      protocol: 'gt06',
      plate: '沪A12345',
      timeZoneOffsetMinutes: 480,
      attributes: { colour: 'white' },
    });
    expect(device).toMatchObject({
      uniqueId: '868120000000099',
      protocol: 'gt06',
      plate: '沪A12345',
      unitId: null,
      authCode: null,
      timeZoneOffsetMinutes: 480,
      model: null,
      lenient: false,
      dispatchStatus: 'standby',
      attributes: { colour: 'white' },
    });
    expect(device!.createdAt).toBeInstanceOf(Date);
    expect(await insertDevice(client, { uniqueId: '868120000000099', name: 'again' })).toBeNull();

    const patched = await updateDevice(client, device!.id, { dispatchStatus: 'on_task', plate: null, lenient: true });
    expect(patched).toMatchObject({ dispatchStatus: 'on_task', plate: null, lenient: true, name: '巡逻车 1' });
    await expect(updateDevice(client, device!.id, { dispatchStatus: 'busy' as never })).rejects.toThrow();
    expect(await updateDevice(client, 987654, { name: 'x' })).toBeNull();

    const other = await insertDevice(client, { uniqueId: '868120000000098', name: 'other' });
    const clash = await updateDevice(client, other!.id, { uniqueId: '868120000000099' }).catch((error) => error);
    expect(isUniqueViolation(clash)).toBe(true);

    expect(await setAuthCode(client, device!.id, 'AUTH42')).toBe(true);
    expect((await findDeviceByUniqueId(client, '868120000000099'))!.authCode).toBe('AUTH42');
    expect(await deleteDevice(client, device!.id)).toBe(true);
    expect(await deleteDevice(client, device!.id)).toBe(false);
    expect(await findDeviceById(client, device!.id)).toBeNull();
  });

  it('moves a command from queued to sent to acknowledged by correlation', async () => {
    const device = (await insertDevice(client, { uniqueId: '13900000001', name: 'cmd', protocol: 'jt808' }))!;
    const t0 = Date.parse('2026-11-28T10:00:00Z');
    const first = await insertCommand(client, { deviceId: device.id, type: 'text', params: { text: '前往现场' } });
    const second = await insertCommand(client, { deviceId: device.id, type: 'locate' });
    expect(first).toMatchObject({ status: 'queued', params: { text: '前往现场' }, correlation: null, createdBy: null });
    expect((await listQueued(client, device.id, t0)).map((c) => c.id)).toEqual([first.id, second.id]);

    const sent = await markSent(client, first.id, 0xfffffffe, t0);
    expect(sent).toMatchObject({ status: 'sent', correlation: 0xfffffffe, sentAt: new Date(t0) });
    expect(await markSent(client, first.id, 1, t0)).toBeNull();
    expect((await listQueued(client, device.id, t0)).map((c) => c.id)).toEqual([second.id]);

    expect(await markAcknowledged(client, device.id, 12, 'no such serial', t0)).toBeNull();
    const acked = await markAcknowledged(client, device.id, 0xfffffffe, 'OK', t0 + 2000);
    expect(acked).toMatchObject({ id: first.id, status: 'acknowledged', reply: 'OK', ackedAt: new Date(t0 + 2000) });
    expect(await markAcknowledged(client, device.id, 0xfffffffe, 'OK', t0 + 3000)).toBeNull();

    expect(await markFailed(client, second.id, 'terminal refused', t0)).toMatchObject({
      status: 'failed',
      error: 'terminal refused',
    });
    expect((await findCommandById(client, second.id))!.status).toBe('failed');
  });

  it('expires queued and sent commands past their expiry, and no others', async () => {
    const device = (await insertDevice(client, { uniqueId: '13900000002', name: 'exp' }))!;
    const t0 = Date.parse('2026-11-28T10:00:00Z');
    const late = await insertCommand(client, { deviceId: device.id, type: 'text', expiresAtMs: t0 + 60_000 });
    const due = await insertCommand(client, { deviceId: device.id, type: 'text', expiresAtMs: t0 - 1 });
    const sentDue = await insertCommand(client, { deviceId: device.id, type: 'text', expiresAtMs: t0 });
    const forever = await insertCommand(client, { deviceId: device.id, type: 'text' });
    await markSent(client, sentDue.id, 5, t0 - 5000);
    expect((await listQueued(client, device.id, t0)).map((c) => c.id)).toEqual([late.id, forever.id]);
    const expired = await expireOlderThan(client, t0);
    expect(expired.map((c) => c.id).sort((x, y) => x - y)).toEqual([due.id, sentDue.id]);
    expect(expired.every((c) => c.status === 'expired')).toBe(true);
    expect((await findCommandById(client, late.id))!.status).toBe('queued');
    expect(await expireOlderThan(client, t0)).toEqual([]);
  });
});
