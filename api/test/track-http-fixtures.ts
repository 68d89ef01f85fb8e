import type { FastifyInstance } from 'fastify';
import { insertDevice, insertUnit, insertUser, writePositions, type DeviceRecord, type Role, type SqlClient } from '@urbanlink/db';
import type { Position } from '@urbanlink/protocols';
import { hashPassword } from '../src/plugins/passwords.ts';
import { login } from './helper.ts';

/** Shared by the track, nearest, alarm and geofence HTTP tests: users, units and devices in a test database. */
export async function signedInAs(app: FastifyInstance, client: SqlClient, role: Role, unitId: number | null): Promise<string> {
  const username = `${role}-${unitId ?? 'all'}-${Math.random().toString(36).slice(2, 8)}`;
  await insertUser(client, { username, passwordHash: await hashPassword('secret-password'), role, unitId });
  return login(app, username, 'secret-password');
}

export async function twoSquads(client: SqlClient): Promise<{ city: number; east: number; west: number }> {
  const city = await insertUnit(client, { name: 'City bureau', kind: 'city' });
  const east = await insertUnit(client, { name: 'East squad', kind: 'squad', parentId: city.id });
  const west = await insertUnit(client, { name: 'West squad', kind: 'squad', parentId: city.id });
  return { city: city.id, east: east.id, west: west.id };
}

let serial = 0;
export async function addDevice(client: SqlClient, unitId: number | null, extra: Partial<Parameters<typeof insertDevice>[1]> = {}): Promise<DeviceRecord> {
  serial += 1;
  const uniqueId = `8681200${String(process.pid % 10000).padStart(4, '0')}${String(serial).padStart(4, '0')}`;
  return (await insertDevice(client, { uniqueId, name: `car ${serial}`, protocol: 'gt06', unitId, ...extra }))!;
}

export function position(fixTimeMs: number, lat: number, lon: number, speedKmh: number, alarms: Position['alarms'] = []): Position {
  return {
    uniqueId: '',
    fixTimeMs,
    lat,
    lon,
    altitudeM: 12,
    speedKmh,
    course: 90,
    valid: true,
    satellites: 9,
    ignition: true,
    odometerKm: null,
    fuelL: null,
    alarms,
    attributes: {},
  };
}

export async function storePositions(client: SqlClient, deviceId: number, positions: readonly Position[]): Promise<void> {
  for (let i = 0; i < positions.length; i += 5000) {
    await writePositions(client, positions.slice(i, i + 5000).map((p) => ({ deviceId, position: p })));
  }
}
