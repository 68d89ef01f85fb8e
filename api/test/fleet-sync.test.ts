import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteDevice, insertDevice, updateDevice } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { LiveFeed } from '../src/live/feed.ts';
import { FleetSync } from '../src/nearest/fleet-sync.ts';
import { NearestVehicles } from '../src/nearest/nearest-vehicles.ts';

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('FleetSync resync (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('reads the fleet page by page and picks up edits, removals and additions made by other processes', async () => {
    const ids: number[] = [];
    for (let n = 0; n < 5; n++) ids.push((await insertDevice(db.client, { uniqueId: `8612300000000${n}`, name: `car ${n}` }))!.id);
    const index = new NearestVehicles();
    // Pages of two: five devices take three pages, the last one short.
    const sync = new FleetSync(db.client, index, { pageSize: 2 });
    await sync.load();
    expect(index.deviceIds().sort((a, b) => a - b)).toEqual(ids);

    await updateDevice(db.client, ids[4]!, { dispatchStatus: 'unavailable' });
    await deleteDevice(db.client, ids[1]!);
    const added = (await insertDevice(db.client, { uniqueId: '86123000000009', name: 'new car' }))!.id;
    sync.listen(new LiveFeed(), 30);
    try {
      await eventually(() => index.get(ids[4]!)?.dispatchStatus === 'unavailable' && !index.get(ids[1]!) && index.get(added) !== undefined);
      expect(index.deviceIds().sort((a, b) => a - b)).toEqual([ids[0], ids[2], ids[3], ids[4], added]);
    } finally {
      sync.stop();
    }
  });
});
