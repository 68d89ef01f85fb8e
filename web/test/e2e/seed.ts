/** What a fresh installation needs before a dispatcher can work: a unit, a category, named vehicles. */
import { ADMIN_PASSWORD } from './server.ts';

async function call<T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function login(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login → ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** A closed GeoJSON ring: the box `marginDeg` around the points. */
function boxAround(points: { lat: number; lon: number }[], marginDeg: number): [number, number][] {
  const w = Math.min(...points.map((p) => p.lon)) - marginDeg;
  const e = Math.max(...points.map((p) => p.lon)) + marginDeg;
  const s = Math.min(...points.map((p) => p.lat)) - marginDeg;
  const n = Math.max(...points.map((p) => p.lat)) + marginDeg;
  return [[w, s], [e, s], [e, n], [w, n], [w, s]];
}

/**
 * Waits for `count` simulated vehicles to report, puts them in a squad with plates 粤BE2E01… whose boundary
 * is drawn around them, and draws a geofence around them (entering it raises an alarm for each).
 */
export async function seed(baseUrl: string, count: number): Promise<{ plates: string[] }> {
  const token = await login(baseUrl);
  const city = await call<{ id: number }>(baseUrl, token, 'POST', '/api/units', { name: '市城管执法局', kind: 'city' });
  await call(baseUrl, token, 'POST', '/api/categories', { code: 'vending', name: '占道经营', limits: { closed: 24 } });
  const deadline = Date.now() + 60_000;
  type Located = { id: number; position: { lat: number; lon: number } | null };
  let devices: Located[] = [];
  while (Date.now() < deadline) {
    devices = (await call<Located[]>(baseUrl, token, 'GET', '/api/devices')).filter((d) => d.position);
    if (devices.length >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (devices.length < count) throw new Error(`only ${devices.length} of ${count} simulated vehicles reported`);
  const fixes = devices.map((d) => d.position!);
  const squad = await call<{ id: number }>(baseUrl, token, 'POST', '/api/units', {
    name: '一中队',
    kind: 'squad',
    parentId: city.id,
    boundary: { type: 'Polygon', coordinates: [boxAround(fixes, 0.02)] },
  });
  const plates: string[] = [];
  for (const [i, device] of devices.sort((a, b) => a.id - b.id).entries()) {
    const plate = `粤BE2E${String(i + 1).padStart(2, '0')}`;
    await call(baseUrl, token, 'PATCH', `/api/devices/${device.id}`, { unitId: squad.id, plate });
    plates.push(plate);
  }
  await addGeofenceAroundFleet(baseUrl, token, '城区重点管控区');
  return { plates };
}

/** A geofence wide enough that the vehicles stay inside it: at their next fix each raises one entry alarm. */
export async function addGeofenceAroundFleet(baseUrl: string, token: string, name: string): Promise<void> {
  const devices = await call<Array<{ position: { lat: number; lon: number } | null }>>(baseUrl, token, 'GET', '/api/devices');
  const fixes = devices.flatMap((d) => (d.position ? [d.position] : []));
  const lat = fixes.reduce((sum, p) => sum + p.lat, 0) / fixes.length;
  const lon = fixes.reduce((sum, p) => sum + p.lon, 0) / fixes.length;
  await call(baseUrl, token, 'POST', '/api/geofences', { name, shape: { type: 'circle', center: { lat, lon }, radiusMeters: 30_000 } });
}
