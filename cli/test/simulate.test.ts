import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { findDeviceByUniqueId, insertDevice, listPositions, listUnitBoundaries, setAuthCode } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { createSqlStore, startIngest, type Ingest } from '@urbanlink/ingest';
import { Fleet, simulatedUniqueId } from '../src/simulator/fleet.ts';
import { Vehicle } from '../src/simulator/vehicle.ts';

const BIN = fileURLToPath(new URL('../bin/urbanlink.mjs', import.meta.url));

function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = (b.lat - a.lat) * 111_320;
  const dLon = (b.lon - a.lon) * 111_320 * Math.cos((a.lat * Math.PI) / 180);
  return Math.hypot(dLat, dLon);
}

describe('vehicle model', () => {
  it('drives at city speeds, within the city, and moves as far as its speed says', () => {
    const vehicle = new Vehicle(42);
    let previous = vehicle.fix();
    let moving = 0;
    for (let second = 0; second < 3_600; second++) {
      const fix = vehicle.step(1);
      expect(fix.speedKmh).toBeGreaterThanOrEqual(0);
      expect(fix.speedKmh).toBeLessThanOrEqual(60);
      expect(distanceM({ lat: 30.66, lon: 104.06 }, fix)).toBeLessThan(12_000);
      // One second at most 60 km/h is at most 16.7 m (plus rounding).
      expect(distanceM(previous, fix)).toBeLessThanOrEqual(17);
      if (fix.speedKmh > 5) moving++;
      previous = fix;
    }
    // A patrol car spends most of an hour moving.
    expect(moving).toBeGreaterThan(1_200);
  });

  it('repeats the same route for the same seed', () => {
    const a = new Vehicle(7);
    const b = new Vehicle(7);
    for (let i = 0; i < 100; i++) expect(a.step(5)).toEqual(b.step(5));
  });
});

describe.each(['gt06', 'jt808'] as const)('urbanlink simulate --protocol %s', (protocol) => {
  let db: TestDatabase;
  let ingest: Ingest;

  beforeAll(async () => {
    db = await createTestDatabase();
    ingest = await startIngest({
      store: createSqlStore(db.client),
      logger: pino({ level: 'silent' }),
      gt06: { port: 0, host: '127.0.0.1', udp: false },
      jt808: { port: 0, host: '127.0.0.1', udp: false },
      metricsLogMs: 0,
    });
  });

  afterAll(async () => {
    await ingest?.close();
    await db?.drop();
  });

  it('creates its devices, logs in as a real terminal does, and every acknowledged position is stored', async () => {
    const port = ingest.ports[protocol]!;
    const child = spawn(
      process.execPath,
      [BIN, 'simulate', '--protocol', protocol, '--devices', '3', '--interval', '0.5', '--duration', '3', '--port', String(port), '--create-devices'],
      { env: { ...process.env, DATABASE_URL: db.url }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain('devices: 3 created');
    const done = /done: connected \d+, logged in (\d+), sent (\d+), acked (\d+)/.exec(output);
    expect(done, output).not.toBeNull();
    const acked = Number(done![3]);
    expect(acked).toBeGreaterThanOrEqual(9);
    // The demo's units, with boundaries the map draws: a city bureau around every route, split in two districts.
    const units = await listUnitBoundaries(db.client);
    expect(units.map((u) => u.kind)).toEqual(['city', 'district', 'district']);
    const cityRing = units[0]!.boundary.coordinates[0] as [number, number][];
    const lons = cityRing.map(([lon]) => lon);
    const lats = cityRing.map(([, lat]) => lat);
    const inCity = (p: { lat: number; lon: number }) =>
      p.lon > Math.min(...lons) && p.lon < Math.max(...lons) && p.lat > Math.min(...lats) && p.lat < Math.max(...lats);
    let stored = 0;
    for (let n = 1; n <= 3; n++) {
      const device = await findDeviceByUniqueId(db.client, simulatedUniqueId(protocol, n));
      expect([units[1]!.id, units[2]!.id]).toContain(device!.unitId);
      const positions = await listPositions(db.client, device!.id, 0, Date.now() + 86_400_000);
      for (const p of positions) expect(distanceM({ lat: 30.66, lon: 104.06 }, p)).toBeLessThan(12_000);
      for (const p of positions) expect(inCity(p), JSON.stringify(p)).toBe(true);
      stored += positions.length;
    }
    expect(stored).toBeGreaterThanOrEqual(acked);
  }, 60_000);
});

describe('simulated JT/T 808 terminal whose code is no longer accepted', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  const startOn = (port: number) =>
    startIngest({ store: createSqlStore(db.client), logger: pino({ level: 'silent' }), gt06: false, jt808: { port, host: '127.0.0.1', udp: false }, metricsLogMs: 0 });

  it('registers again from scratch, as a real terminal does, and goes back online', async () => {
    const deviceId = (await insertDevice(db.client, { uniqueId: simulatedUniqueId('jt808', 1), name: 'sim', protocol: 'jt808' }))!.id;
    let ingest = await startOn(0);
    const port = ingest.ports.jt808!;
    const fleet = new Fleet({ protocol: 'jt808', devices: 1, intervalS: 60, host: '127.0.0.1', port });
    fleet.start();
    try {
      await eventually(() => fleet.stats.loggedIn === 1);
      // The device is given a new code meanwhile (re-registered by an operator); the server restarts, and the
      // terminal comes back with the code it kept.
      await ingest.close();
      await setAuthCode(db.client, deviceId, 'reissued');
      ingest = await startOn(port);
      await eventually(() => fleet.stats.loggedIn === 0);
      await eventually(() => fleet.stats.loggedIn === 1, 15_000);
      expect(fleet.stats.loggedIn).toBe(1);
      expect(fleet.stats.refused).toBe(0);
    } finally {
      fleet.stop();
      await ingest.close();
    }
  }, 30_000);
});

async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}
