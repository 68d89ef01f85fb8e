/**
 * Track playback: GET /api/devices/{id}/track for one day of 1 Hz fixes (86 400 points) of one vehicle,
 * over a real socket, in each format and simplified, beside the plain SQL query of the same rows (one
 * SELECT, rows parsed by the driver, nothing written) measured in the same run. The HTTP client runs in a
 * process of its own, as a browser or an auditor's tool does: in the server's process, reading 11 MB of
 * json took the event loop that was writing it.
 * TRACK_DAYS=30 measures a month (2.6 M fixes; seeding takes a few minutes).
 * Run: npm run -w @urbanlink/benchmarks track   (BENCH_DATABASE_URL or TEST_DATABASE_URL picks the server)
 */
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { buildApp } from '@urbanlink/api';
import { insertDevice, readTrackPlain, writePositions, type SqlClient } from '@urbanlink/db';
import { createTestDatabase } from '@urbanlink/db/testing';
import type { Position } from '@urbanlink/protocols';

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

/** What the client process is asked: GET `url` once to warm up, then `runs` times, timing each. */
interface ClientJob {
  url: string;
  token: string;
  runs: number;
}

interface ClientAnswer {
  samples: number[];
  bytes: number;
}

async function timeRequests(job: ClientJob): Promise<ClientAnswer> {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= job.runs; i++) {
    const t = performance.now();
    const response = await fetch(job.url, { headers: { authorization: `Bearer ${job.token}` } });
    if (response.status !== 200) throw new Error(`${job.url}: HTTP ${response.status} ${await response.text()}`);
    bytes = 0;
    for await (const chunk of response.body!) bytes += (chunk as Uint8Array).byteLength;
    if (i > 0) samples.push(performance.now() - t);
  }
  return { samples, bytes };
}

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

function summarise({ samples, bytes }: ClientAnswer): Timing {
  samples.sort((a, b) => a - b);
  const p99 = samples[Math.ceil(0.99 * samples.length) - 1]!;
  return { p50: samples[Math.floor(samples.length / 2)]!, p99, bytes };
}

async function time(runs: number, work: () => Promise<void>): Promise<Timing> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    samples.push(performance.now() - t);
  }
  return summarise({ samples, bytes: 0 });
}

async function benchmark(): Promise<void> {
  const db = await createTestDatabase();
  const client = fork(fileURLToPath(import.meta.url), ['client'], { execArgv: process.execArgv });
  const ask = (job: ClientJob) =>
    new Promise<ClientAnswer>((resolve, reject) => {
      client.once('message', (answer: ClientAnswer | { error: string }) => ('error' in answer ? reject(new Error(answer.error)) : resolve(answer)));
      client.send(job);
    });
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
    });
    console.log(`\n${RUNS} runs each after one warm-up`);
    console.log(`${'case'.padEnd(44)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'MB'.padStart(8)}  × plain SQL (p50)`);
    const line = (name: string, timing: Timing) =>
      console.log(
        `${name.padEnd(44)}${timing.p50.toFixed(0).padStart(10)}${timing.p99.toFixed(0).padStart(10)}${(timing.bytes / 1e6).toFixed(1).padStart(8)}  ${(timing.p50 / baseline.p50).toFixed(2)}`,
      );
    line('plain SQL SELECT of the same rows (baseline)', baseline);

    for (const query of ['format=json', 'format=geojson', 'format=gpx', 'format=csv', 'format=json&tolerance=5', 'format=json&tolerance=20']) {
      line(`GET …/track?${query}`, summarise(await ask({ url: `${base}/api/devices/${device.id}/track?${period}&${query}`, token, runs: RUNS })));
    }
    // The server streams: its memory stays at about two pages whatever the period. Sampled while the client
    // process reads the whole json answer once and keeps none of it.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5);
    await ask({ url: `${base}/api/devices/${device.id}/track?${period}`, token, runs: 0 });
    clearInterval(sampler);
    console.log(`\nrss during one streamed json answer: +${((rssPeak - rssBefore) / 1e6).toFixed(0)} MB over ${(rssBefore / 1e6).toFixed(0)} MB`);
    await app.close();
  } finally {
    client.kill();
    await db.drop();
  }
}

if (process.argv[2] === 'client') {
  process.on('message', (job: ClientJob) => {
    timeRequests(job).then(
      (answer) => process.send!(answer),
      (error: Error) => process.send!({ error: error.message }),
    );
  });
} else {
  await benchmark();
}
