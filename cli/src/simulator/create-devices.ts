import { insertDevice, openSqlClient } from '@urbanlink/db';
import type { SimulatedProtocol } from './fleet.ts';

function nameOf(protocol: SimulatedProtocol, uniqueId: string): string {
  return `SIM-${protocol.toUpperCase()}-${uniqueId.slice(-5)}`;
}

/**
 * Registers the simulated devices straight in the database (DATABASE_URL): a device that already exists is
 * left as it is. Returns how many were new.
 */
export async function createDevicesInDatabase(databaseUrl: string, protocol: SimulatedProtocol, uniqueIds: string[]): Promise<number> {
  const client = await openSqlClient({ databaseUrl, dataDir: '' });
  try {
    let created = 0;
    for (const uniqueId of uniqueIds) {
      if (await insertDevice(client, { uniqueId, name: nameOf(protocol, uniqueId), protocol })) created++;
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
 * Registers the simulated devices through a running server's HTTP API, as an operator would: the way that
 * works on the embedded PGlite database, which only the server process can open. 409 means already there.
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
  let created = 0;
  for (const uniqueId of uniqueIds) {
    const response = await fetch(`${base}/api/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ uniqueId, name: nameOf(protocol, uniqueId), protocol }),
    });
    if (response.status === 201) created++;
    else if (response.status !== 409) throw new Error(`creating device ${uniqueId} failed: HTTP ${response.status} ${await response.text()}`);
  }
  return created;
}
