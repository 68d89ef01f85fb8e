import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDevice, type SqlClient } from '@urbanlink/db';
import { createTestPglite } from '@urbanlink/db/testing';
import { BusInbox } from '../src/live/bus-inbox.ts';
import { DeviceDirectory } from '../src/live/directory.ts';
import { LiveFeed, type LivePosition } from '../src/live/feed.ts';

const BURST = 3_000;

describe('bus inbox (in-memory database)', () => {
  let db: SqlClient;
  let feed: LiveFeed;
  let directory: DeviceDirectory;
  const cars: { id: number; uniqueId: string }[] = [];

  beforeAll(async () => {
    db = await createTestPglite();
    for (let i = 0; i < 2; i++) {
      const device = (await insertDevice(db, { uniqueId: `86100000000000${i}`, name: `car ${i}` }))!;
      cars.push({ id: device.id, uniqueId: device.uniqueId });
    }
    feed = new LiveFeed();
    directory = new DeviceDirectory(db, feed);
    await directory.load();
  });
  afterAll(async () => db?.close());

  const message = (car: { id: number; uniqueId: string }, n: number): [string, Buffer] => [
    `urbanlink/v1/devices/${car.uniqueId}/position`,
    Buffer.from(JSON.stringify({ deviceId: car.id, fixTime: new Date(Date.UTC(2026, 10, 28, 10, 0, 0, n)).toISOString(), lat: 22.5, lon: 114 + n * 1e-6, speedKmh: 30, alarms: [] })),
  ];

  function drained(inbox: BusInbox): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (inbox.waiting === 0 ? resolve() : setImmediate(check));
      check();
    });
  }

  /** An inbox whose listeners' errors fail the test. */
  const strictInbox = () =>
    new BusInbox(feed, directory, (error) => {
      throw error;
    });

  /** Runs `body` while the number of each position message the feed delivers is collected in `seen`. */
  async function watchingNumbers(body: (seen: number[]) => Promise<void>): Promise<void> {
    const seen: number[] = [];
    const listener = (position: LivePosition) => seen.push(Math.round((position.lon - 114) * 1e6));
    feed.on('position', listener);
    try {
      await body(seen);
    } finally {
      feed.off('position', listener);
    }
  }

  it('hands a burst to the listeners in arrival order, in several slices, letting other work run between them', async () => {
    const inbox = strictInbox();
    await watchingNumbers(async (seen) => {
      for (let n = 0; n < BURST; n++) inbox.push(...message(cars[n % 2]!, n));
      expect(seen).toEqual([]);
      let waitingWhenOtherWorkRan = -1;
      setImmediate(() => (waitingWhenOtherWorkRan = inbox.waiting));
      await drained(inbox);
      expect(seen).toEqual(Array.from({ length: BURST }, (_, n) => n));
      expect(inbox.slices).toBeGreaterThan(1);
      expect(waitingWhenOtherWorkRan).toBeGreaterThan(0);
      expect(waitingWhenOtherWorkRan).toBeLessThan(BURST);
    });
  });

  it('reports a throwing listener and goes on with the messages behind it, malformed ones counted', async () => {
    const errors: string[] = [];
    const inbox = new BusInbox(feed, directory, (_error, topic) => errors.push(topic));
    const seen: number[] = [];
    const listener = (position: LivePosition) => {
      if (position.deviceId === cars[0]!.id) throw new Error('listener failed');
      seen.push(position.deviceId);
    };
    feed.on('position', listener);
    const malformed = feed.malformed;
    try {
      inbox.push(...message(cars[0]!, 1));
      inbox.push(`urbanlink/v1/devices/${cars[1]!.uniqueId}/position`, Buffer.from('{not json'));
      inbox.push(...message(cars[1]!, 2));
      await drained(inbox);
      expect(errors).toEqual([`urbanlink/v1/devices/${cars[0]!.uniqueId}/position`]);
      expect(seen).toEqual([cars[1]!.id]);
      expect(feed.malformed).toBe(malformed + 1);
    } finally {
      feed.off('position', listener);
    }
  });

  it('drops what is waiting when cleared, and takes new messages afterwards', async () => {
    const inbox = strictInbox();
    await watchingNumbers(async (seen) => {
      inbox.push(...message(cars[0]!, 7));
      inbox.clear();
      await new Promise((resolve) => setImmediate(resolve));
      inbox.push(...message(cars[0]!, 8));
      await drained(inbox);
      expect(seen).toEqual([8]);
    });
  });

  it('refuses messages, counted, once 200 000 wait, instead of growing without bound', async () => {
    const inbox = strictInbox();
    const [topic, payload] = message(cars[1]!, 1);
    for (let i = 0; i < 200_005; i++) inbox.push(topic, payload);
    expect(inbox.waiting).toBe(200_000);
    expect(inbox.dropped).toBe(5);
    inbox.clear();
    await new Promise((resolve) => setImmediate(resolve));
    inbox.push(topic, payload);
    expect(inbox.waiting).toBe(1);
    expect(inbox.dropped).toBe(5);
    await drained(inbox);
  });
});
