/**
 * Track playback: GET /api/devices/{id}/track for one day of 1 Hz fixes (86 400 points) of one vehicle,
 * over a real socket, in each format and simplified, beside the plain SQL query of the same rows (one
 * SELECT, rows parsed by the driver, nothing written) measured in the same run.
 * TRACK_DAYS=30 measures a month (2.6 M fixes; seeding takes a few minutes).
 * Run: npm run -w @urbanlink/benchmarks track   (BENCH_DATABASE_URL or TEST_DATABASE_URL picks the server)
 */
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { buildApp } from '@urbanlink/api';
import { insertDevice, readTrackPlain, writePositions, type SqlClient } from '@urbanlink/db';
import { createTestDatabase } from '@urbanlink/db/testing';
import type { Position } from '@urbanlink/protocols';

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

const DAYS = Number(process.env.TRACK_DAYS ?? 1);
const RUNS = Number(process.env.TRACK_RUNS ?? 20);
const START = Date.UTC(2026, 9, 1);
const POINTS = DAYS * 86_400;

/** A patrol day: drives at 20–60 km/h with turns, stops of a few minutes now and then. */
async function seed(client: SqlClient, deviceId: number): Promise<void> {
  let lat = 22.54;
  let lon = 114.05;
  let heading = 0;
  let stoppedUntil = -1;
  const BATCH = 10_000;
  let batch: { deviceId: number; position: Position }[] = [];
  for (let s = 0; s < POINTS; s++) {
    if (s % 1800 === 0) stoppedUntil = s + 300;
    const moving = s > stoppedUntil;
    const speedKmh = moving ? 20 + 40 * Math.abs(Math.sin(s / 600)) : 0;
    if (s % 120 === 0) heading = (heading + 90 * Math.sin(s)) % 360;
    const metres = speedKmh / 3.6;
    lat += (metres * Math.cos((heading * Math.PI) / 180)) / 111_195;
    lon += (metres * Math.sin((heading * Math.PI) / 180)) / 102_730;
    batch.push({
      deviceId,
      position: { uniqueId: '', fixTimeMs: START + s * 1000, lat, lon, altitudeM: 20, speedKmh, course: Math.round(heading + 360) % 360, valid: true, satellites: 10, ignition: true, odometerKm: null, fuelL: null, alarms: [], attributes: {} },
    });
    if (batch.length === BATCH) {
      await writePositions(client, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await writePositions(client, batch);
}

interface Timing {
  p50: number;
  /** Nearest rank: below 100 runs, the slowest. */
  p99: number;
  bytes: number;
}

async function time(runs: number, work: () => Promise<number>): Promise<Timing> {
  await work();
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    bytes = await work();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const p99 = samples[Math.ceil(0.99 * samples.length) - 1]!;
  return { p50: samples[Math.floor(samples.length / 2)]!, p99, bytes };
}

const db = await createTestDatabase();
try {
  const device = (await insertDevice(db.client, { uniqueId: '868120009999999', name: 'bench car' }))!;
  const t = performance.now();
  await seed(db.client, device.id);
  console.log(`seeded ${POINTS.toLocaleString('en-US')} fixes (${DAYS} day(s) at 1 Hz) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const app = await buildApp({ client: db.client, logger: pino({ level: 'silent' }), config: { adminPassword: 'bench-password', announce: () => {} } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-password' }) });
  const { token } = (await login.json()) as { token: string };
  const to = START + POINTS * 1000;
  const period = `from=${new Date(START).toISOString()}&to=${new Date(to).toISOString()}`;

  const baseline = await time(RUNS, async () => {
    const rows = await readTrackPlain(db.client, device.id, START, to);
    if (rows !== POINTS) throw new Error(`the plain query read ${rows} rows`);
    return 0;
  });
  console.log(`\n${RUNS} runs each after one warm-up`);
  console.log(`${'case'.padEnd(44)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'MB'.padStart(8)}  × plain SQL (p50)`);
  const line = (name: string, timing: Timing) =>
    console.log(
      `${name.padEnd(44)}${timing.p50.toFixed(0).padStart(10)}${timing.p99.toFixed(0).padStart(10)}${(timing.bytes / 1e6).toFixed(1).padStart(8)}  ${(timing.p50 / baseline.p50).toFixed(2)}`,
    );
  line('plain SQL SELECT of the same rows (baseline)', baseline);

  for (const query of ['format=json', 'format=geojson', 'format=gpx', 'format=csv', 'format=json&tolerance=5', 'format=json&tolerance=20']) {
    const timing = await time(RUNS, async () => {
      const response = await fetch(`${base}/api/devices/${device.id}/track?${period}&${query}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`${query}: HTTP ${response.status} ${await response.text()}`);
      let bytes = 0;
      for await (const chunk of response.body!) bytes += (chunk as Uint8Array).byteLength;
      return bytes;
    });
    line(`GET …/track?${query}`, timing);
  }
  // The server streams: its memory stays at about two pages whatever the period. Sampled while a client
  // reads the whole json answer and keeps none of it.
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5);
  const response = await fetch(`${base}/api/devices/${device.id}/track?${period}`, { headers: { authorization: `Bearer ${token}` } });
  for await (const chunk of response.body!) void chunk;
  clearInterval(sampler);
  console.log(`\nrss during one streamed json answer: +${((rssPeak - rssBefore) / 1e6).toFixed(0)} MB over ${(rssBefore / 1e6).toFixed(0)} MB`);
  await app.close();
} finally {
  await db.drop();
}
