import { insertDevice, openSqlClient } from '@urbanlink/db';
import type { SimulatedProtocol } from './fleet.ts';

/**
 * Registers the simulated devices straight in the database (DATABASE_URL): a device that already exists is
 * left as it is. Returns how many were new.
 */
export async function createSimulatedDevices(databaseUrl: string, protocol: SimulatedProtocol, uniqueIds: string[]): Promise<number> {
  const client = await openSqlClient({ databaseUrl, dataDir: '' });
  try {
    let created = 0;
    for (const uniqueId of uniqueIds) {
      const name = `SIM-${protocol.toUpperCase()}-${uniqueId.slice(-5)}`;
      if (await insertDevice(client, { uniqueId, name, protocol })) created++;
    }
    return created;
  } finally {
    await client.close();
  }
}
