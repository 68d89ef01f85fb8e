import { insertDevice, insertUnit, listUnits, openSqlClient, type LonLat, type UnitBoundary, type UnitKind } from '@urbanlink/db';
import type { SimulatedProtocol } from './fleet.ts';
import { CHENGDU, type CityArea } from './vehicle.ts';

function nameOf(protocol: SimulatedProtocol, uniqueId: string): string {
  return `SIM-${protocol.toUpperCase()}-${uniqueId.slice(-5)}`;
}

interface DemoUnit {
  name: string;
  kind: UnitKind;
  /** The index of the parent in the list; the city bureau has none. */
  parent: number | null;
  boundary: UnitBoundary;
}

const METRES_PER_DEGREE_LAT = 111_320;

/**
 * The demo's units, so that a fresh console has areas on its map: a city bureau whose boundary holds every
 * simulated route (vehicles drive within `radiusM` east-west and north-south of the centre), split into a west
 * and an east district bureau. The simulated vehicles are shared out between the two districts.
 */
export function demoUnits(area: CityArea = CHENGDU): DemoUnit[] {
  const margin = area.radiusM * 1.05;
  const dLat = margin / METRES_PER_DEGREE_LAT;
  const dLon = margin / (METRES_PER_DEGREE_LAT * Math.cos((area.lat * Math.PI) / 180));
  const round = (degrees: number) => Math.round(degrees * 1e6) / 1e6;
  const box = (west: number, east: number): UnitBoundary => {
    const [w, e, s, n] = [round(west), round(east), round(area.lat - dLat), round(area.lat + dLat)];
    const ring: LonLat[] = [[w, s], [e, s], [e, n], [w, n], [w, s]];
    return { type: 'Polygon', coordinates: [ring] };
  };
  return [
    { name: '模拟市城管执法局 (simulated)', kind: 'city', parent: null, boundary: box(area.lon - dLon, area.lon + dLon) },
    { name: '模拟西区分局 (simulated)', kind: 'district', parent: 0, boundary: box(area.lon - dLon, area.lon) },
    { name: '模拟东区分局 (simulated)', kind: 'district', parent: 0, boundary: box(area.lon, area.lon + dLon) },
  ];
}

/** Finds or creates the demo units in order; `create` gets the parent's id. Returns every unit's id. */
async function ensureDemoUnits(existing: { id: number; name: string }[], create: (unit: DemoUnit, parentId: number | null) => Promise<number>): Promise<number[]> {
  const ids: number[] = [];
  for (const unit of demoUnits()) {
    const found = existing.find((u) => u.name === unit.name);
    ids.push(found ? found.id : await create(unit, unit.parent === null ? null : ids[unit.parent]!));
  }
  return ids;
}

/** The districts' ids, which the simulated vehicles are shared between. */
const districtsOf = (ids: number[]) => ids.filter((_, i) => demoUnits()[i]!.kind === 'district');

/**
 * Registers the demo units and the simulated devices straight in the database (DATABASE_URL): a unit or a
 * device that already exists is left as it is. Returns how many devices were new.
 */
export async function createDevicesInDatabase(databaseUrl: string, protocol: SimulatedProtocol, uniqueIds: string[]): Promise<number> {
  const client = await openSqlClient({ databaseUrl, dataDir: '' });
  try {
    const unitIds = await ensureDemoUnits(await listUnits(client), async ({ name, kind, boundary }, parentId) => (await insertUnit(client, { name, kind, parentId, boundary })).id);
    const districts = districtsOf(unitIds);
    let created = 0;
    for (const [i, uniqueId] of uniqueIds.entries()) {
      if (await insertDevice(client, { uniqueId, name: nameOf(protocol, uniqueId), protocol, unitId: districts[i % districts.length]! })) created++;
    }
    return created;
  } finally {
    await client.close();
  }
}

export interface ApiLogin {
  url: string;
  username: string;
  password: string;
}

/**
 * Registers the demo units and the simulated devices through a running server's HTTP API, as an operator
 * would: the way that works on the embedded PGlite database, which only the server process can open. A device
 * answered 409 is already there.
 */
export async function createDevicesThroughApi(api: ApiLogin, protocol: SimulatedProtocol, uniqueIds: string[]): Promise<number> {
  const base = api.url.replace(/\/+$/, '');
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: api.username, password: api.password }),
  });
  if (!login.ok) throw new Error(`login to ${base} as ${api.username} failed: HTTP ${login.status} / 登录失败`);
  const { token } = (await login.json()) as { token: string };
  const send = async (method: string, path: string, body?: object): Promise<Response> =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
  const units = await send('GET', '/api/units');
  if (!units.ok) throw new Error(`listing units failed: HTTP ${units.status} ${await units.text()}`);
  const unitIds = await ensureDemoUnits((await units.json()) as { id: number; name: string }[], async ({ name, kind, boundary }, parentId) => {
    const response = await send('POST', '/api/units', { name, kind, parentId, boundary });
    if (response.status !== 201) throw new Error(`creating unit ${name} failed: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { id: number }).id;
  });
  const districts = districtsOf(unitIds);
  let created = 0;
  for (const [i, uniqueId] of uniqueIds.entries()) {
    const response = await send('POST', '/api/devices', { uniqueId, name: nameOf(protocol, uniqueId), protocol, unitId: districts[i % districts.length] });
    if (response.status === 201) created++;
    else if (response.status !== 409) throw new Error(`creating device ${uniqueId} failed: HTTP ${response.status} ${await response.text()}`);
  }
  return created;
}
