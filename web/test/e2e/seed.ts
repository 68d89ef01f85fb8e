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

/**
 * Waits for `count` simulated vehicles to report, puts them in a squad with plates 粤BE2E01…, and draws a
 * geofence around them (entering it raises an alarm for each).
 */
export async function seed(baseUrl: string, count: number): Promise<{ plates: string[] }> {
  const token = await login(baseUrl);
  const city = await call<{ id: number }>(baseUrl, token, 'POST', '/api/units', { name: '市城管执法局', kind: 'city' });
  const squad = await call<{ id: number }>(baseUrl, token, 'POST', '/api/units', { name: '一中队', kind: 'squad', parentId: city.id });
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
  const plates: string[] = [];
  for (const [i, device] of devices.sort((a, b) => a.id - b.id).entries()) {
    const plate = `粤BE2E${String(i + 1).padStart(2, '0')}`;
    await call(baseUrl, token, 'PATCH', `/api/devices/${device.id}`, { unitId: squad.id, plate });
    plates.push(plate);
  }
  const lat = devices.reduce((sum, d) => sum + d.position!.lat, 0) / devices.length;
  const lon = devices.reduce((sum, d) => sum + d.position!.lon, 0) / devices.length;
  await call(baseUrl, token, 'POST', '/api/geofences', { name: '城区重点管控区', shape: { type: 'circle', center: { lat, lon }, radiusMeters: 30_000 } });
  return { plates };
}
