/**
 * Nearest vehicle: the in-memory moving-point grid behind GET /api/dispatch/nearest, against the same
 * question asked of kdbush/geokdbush (a static kd-tree) and of PostgreSQL, all in one run.
 *   1. Index: NEAREST_VEHICLES (1 000 000) vehicles spread over a city, moving between queries; the 10
 *      nearest standby vehicles, latency per query (p50/p99) and moves per second.
 *   2. HTTP: NEAREST_HTTP_VEHICLES (100 000) devices in PostgreSQL, the whole API answer over a real socket
 *      (auth included), beside nearestDeviceStates, the same question as one SQL query. The requests come
 *      from a child process (nearest-client.ts), as a dispatcher's browser is another process, so the latency
 *      is what a client sees and the GC pauses printed are the server's own. Meanwhile the fleet moves
 *      through the server's live feed. The npm script gives the server --max-semi-space-size=32, as
 *      `urbanlink start` does (cli/bin/urbanlink.mjs): a larger young generation scavenges less often.
 * Run: npm run -w @urbanlink/benchmarks nearest   (BENCH_DATABASE_URL or TEST_DATABASE_URL picks the server)
 */
import type { AddressInfo } from 'node:net';
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { pino } from 'pino';
import { constants as perfConstants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildApp, MovingPointGrid, type LiveFeed, type LivePosition } from '@urbanlink/api';
import { insertDevice, nearestDeviceStates, upsertDeviceStates, type SqlClient } from '@urbanlink/db';
import { createTestDatabase } from '@urbanlink/db/testing';
import type { Position } from '@urbanlink/protocols';
import type { NearestClientJob, NearestClientResult } from './nearest-client.ts';

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

const VEHICLES = Number(process.env.NEAREST_VEHICLES ?? 1_000_000);
const HTTP_VEHICLES = Number(process.env.NEAREST_HTTP_VEHICLES ?? 100_000);
const QUERIES = Number(process.env.NEAREST_QUERIES ?? 20_000);
const HTTP_REQUESTS = Number(process.env.NEAREST_HTTP_REQUESTS ?? 2_000);
// The HTTP fleet keeps moving while it is asked, as the fleet does: each of the 100 000 vehicles
// reports every 10 s, so 10 000 positions a second reach the server's live feed (0 to measure it still).
const HTTP_MOVES_PER_SECOND = Number(process.env.NEAREST_HTTP_MOVES_PER_SECOND ?? 10_000);
const MOVE_TICK_MS = 10;
const K = 10;
const WARMUP_REQUESTS = 100;
const CLIENT_SCRIPT = fileURLToPath(new URL('./nearest-client.ts', import.meta.url));
// Shenzhen-sized: 0.8° × 0.5°, about 80 km × 55 km.
const AREA = { lat: 22.45, lon: 113.75, dLat: 0.5, dLon: 0.8 };

// A seeded generator, so runs are comparable.
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pointInCity = () => ({ lat: AREA.lat + random() * AREA.dLat, lon: AREA.lon + random() * AREA.dLon });

interface Latency {
  p50: number;
  p99: number;
  mean: number;
}

function latency(samplesNs: Float64Array | number[]): Latency {
  const sorted = Float64Array.from(samplesNs).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1000;
  return { p50: at(0.5), p99: at(0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length / 1000 };
}

interface GcPause {
  epochMs: number;
  durationMs: number;
  /** A mark-compact of the whole heap rather than a scavenge of the young generation. */
  major: boolean;
}

/** Records the garbage-collector pauses of this (the server's) process until the returned function is called. */
function recordGcPauses(): () => GcPause[] {
  const pauses: GcPause[] = [];
  const keep = (entries: readonly PerformanceEntry[]) => {
    for (const entry of entries) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      pauses.push({ epochMs: performance.timeOrigin + entry.startTime, durationMs: entry.duration, major: kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR });
    }
  };
  const observer = new PerformanceObserver((list) => keep(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    keep(observer.takeRecords());
    observer.disconnect();
    return pauses;
  };
}

/** Runs the HTTP client in its own process, as a dispatcher's browser is, and returns what it measured. */
function runClient(job: NearestClientJob): Promise<NearestClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(JSON.parse(out) as NearestClientResult) : reject(new Error(`the client process exited ${code}`))));
    child.stdin.end(JSON.stringify(job));
  });
}

function row(name: string, l: Latency, unit: string, base?: Latency): string {
  const ratio = base ? `   p99 = ${(l.p99 / base.p99).toFixed(2)} × the baseline's` : '';
  return `${name.padEnd(46)} p50 ${l.p50.toFixed(1).padStart(8)} ${unit}  p99 ${l.p99.toFixed(1).padStart(8)} ${unit}  mean ${l.mean.toFixed(1).padStart(8)} ${unit}${ratio}`;
}

function benchIndex(): void {
  console.log(`\n1. Index: ${VEHICLES.toLocaleString('en-US')} vehicles, ${K} nearest standby (70 % of the fleet), ${QUERIES.toLocaleString('en-US')} queries`);
  const grid = new MovingPointGrid(0.01);
  const lat = new Float64Array(VEHICLES);
  const lon = new Float64Array(VEHICLES);
  const standby = new Uint8Array(VEHICLES);
  let started = performance.now();
  for (let id = 0; id < VEHICLES; id++) {
    const p = pointInCity();
    lat[id] = p.lat;
    lon[id] = p.lon;
    standby[id] = random() < 0.7 ? 1 : 0;
    grid.set(id, p.lat, p.lon);
  }
  const loadMs = performance.now() - started;
  // Every vehicle reports every 10 s: 100 000 moves a second at 1M vehicles; here, 50 moves between queries.
  const MOVES_PER_QUERY = 50;
  const accept = (id: number) => standby[id] === 1;
  const samples = new Float64Array(QUERIES);
  let moves = 0;
  let moveNs = 0;
  for (let q = -1000; q < QUERIES; q++) {
    let t = process.hrtime.bigint();
    for (let m = 0; m < MOVES_PER_QUERY; m++) {
      const id = Math.floor(random() * VEHICLES);
      lat[id]! += (random() - 0.5) * 0.002;
      lon[id]! += (random() - 0.5) * 0.002;
      grid.set(id, lat[id]!, lon[id]!);
    }
    if (q >= 0) {
      moveNs += Number(process.hrtime.bigint() - t);
      moves += MOVES_PER_QUERY;
    }
    const at = pointInCity();
    t = process.hrtime.bigint();
    const found = grid.nearest(at.lat, at.lon, K, accept);
    if (q >= 0) samples[q] = Number(process.hrtime.bigint() - t);
    if (found.length !== K) throw new Error('the grid found fewer than k vehicles');
  }
  const gridLatency = latency(samples);

  // Baseline: a static kd-tree answers fast but must be rebuilt to move a point.
  started = performance.now();
  const tree = new KDBush(VEHICLES);
  for (let id = 0; id < VEHICLES; id++) tree.add(lon[id]!, lat[id]!);
  tree.finish();
  const buildMs = performance.now() - started;
  const kdSamples = new Float64Array(QUERIES);
  for (let q = -1000; q < QUERIES; q++) {
    const at = pointInCity();
    const t = process.hrtime.bigint();
    around(tree, at.lon, at.lat, K, Infinity, accept);
    if (q >= 0) kdSamples[q] = Number(process.hrtime.bigint() - t);
  }
  const kdLatency = latency(kdSamples);
  console.log(row('kdbush + geokdbush around() (static, baseline)', kdLatency, 'µs'));
  console.log(row('MovingPointGrid.nearest (moving points)', gridLatency, 'µs', kdLatency));
  console.log(`load ${VEHICLES.toLocaleString('en-US')} points: grid ${loadMs.toFixed(0)} ms; kd-tree build ${buildMs.toFixed(0)} ms (needed again for every batch of moves)`);
  console.log(`moves: ${Math.round(moves / (moveNs / 1e9)).toLocaleString('en-US')} per second (${(moveNs / moves).toFixed(0)} ns each)`);
}

function position(lat: number, lon: number, fixTimeMs: number): Position {
  return { uniqueId: '', fixTimeMs, lat, lon, altitudeM: 0, speedKmh: 0, course: 0, valid: true, satellites: null, ignition: null, odometerKm: null, fuelL: null, alarms: [], attributes: {} };
}

interface FleetVehicle {
  deviceId: number;
  uniqueId: string;
  lat: number;
  lon: number;
}

async function seedFleet(client: SqlClient): Promise<FleetVehicle[]> {
  const ids: number[] = [];
  const uniqueIds = new Map<number, string>();
  // A thousand devices per transaction: one commit (one WAL flush) each instead of one per device.
  const BATCH = 1_000;
  for (let i = 0; i < HTTP_VEHICLES; i += BATCH) {
    await client.transaction(async (tx) => {
      for (let j = i; j < Math.min(i + BATCH, HTTP_VEHICLES); j++) {
        const device = (await insertDevice(tx, { uniqueId: `86${String(j).padStart(13, '0')}`, name: `car ${j}`, dispatchStatus: random() < 0.7 ? 'standby' : 'on_task' }))!;
        ids.push(device.id);
        uniqueIds.set(device.id, device.uniqueId);
      }
    });
  }
  const fleet: FleetVehicle[] = [];
  const now = Date.now();
  for (let i = 0; i < ids.length; i += 5_000) {
    const states = ids.slice(i, i + 5_000).map((deviceId) => {
      const p = pointInCity();
      fleet.push({ deviceId, uniqueId: uniqueIds.get(deviceId)!, lat: p.lat, lon: p.lon });
      return { deviceId, online: true, lastSeenMs: now, position: position(p.lat, p.lon, now - 10_000), transport: 'tcp' as const, remoteAddress: null };
    });
    await upsertDeviceStates(client, states);
  }
  return fleet;
}

/**
 * Feeds the server's live feed HTTP_MOVES_PER_SECOND positions of random vehicles, a few metres on from
 * where they were, until stopped. Each goes through JSON text first, as a bus message does, so the server
 * makes the garbage of the bus too.
 */
function moveFleet(feed: LiveFeed, fleet: FleetVehicle[]): { stop: () => number } {
  const perTick = Math.round((HTTP_MOVES_PER_SECOND * MOVE_TICK_MS) / 1000);
  let moves = 0;
  const timer = setInterval(() => {
    const fixTime = new Date().toISOString();
    for (let m = 0; m < perTick; m++) {
      const vehicle = fleet[Math.floor(random() * fleet.length)]!;
      vehicle.lat += (random() - 0.5) * 0.0005;
      vehicle.lon += (random() - 0.5) * 0.0005;
      const payload = JSON.stringify({ deviceId: vehicle.deviceId, fixTime, lat: vehicle.lat, lon: vehicle.lon, speedKmh: 30, course: 90, altitude: 10, valid: true, alarms: [], attributes: {} });
      feed.emit('position', { ...(JSON.parse(payload) as LivePosition), uniqueId: vehicle.uniqueId });
    }
    moves += perTick;
  }, MOVE_TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      return moves;
    },
  };
}

async function benchHttp(): Promise<void> {
  console.log(`\n2. HTTP: ${HTTP_VEHICLES.toLocaleString('en-US')} vehicles in PostgreSQL, ${HTTP_REQUESTS.toLocaleString('en-US')} requests, ${K} nearest`);
  const db = await createTestDatabase();
  try {
    let started = performance.now();
    const fleet = await seedFleet(db.client);
    console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const sqlSamples: number[] = [];
    const freshSince = Date.now() - 300_000;
    for (let q = -20; q < Math.min(HTTP_REQUESTS, 300); q++) {
      const at = pointInCity();
      const t = process.hrtime.bigint();
      await nearestDeviceStates(db.client, at.lat, at.lon, K, freshSince);
      if (q >= 0) sqlSamples.push(Number(process.hrtime.bigint() - t));
    }
    const app = await buildApp({ client: db.client, logger: pino({ level: 'silent' }), config: { adminPassword: 'bench-password', announce: () => {} } });
    // Time inside the server, from request to response sent: what the API itself costs, without the client;
    // and the server's CPU time from the first timed answer of a route to its last.
    const serverMs = new Map<string, number[]>();
    const serverCpu = new Map<string, { first: NodeJS.CpuUsage; last: NodeJS.CpuUsage }>();
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? '';
      const list = serverMs.get(route) ?? [];
      list.push(reply.elapsedTime);
      serverMs.set(route, list);
      if (list.length === WARMUP_REQUESTS + 1) serverCpu.set(route, { first: process.cpuUsage(), last: process.cpuUsage() });
      else if (list.length > WARMUP_REQUESTS + 1) serverCpu.get(route)!.last = process.cpuUsage();
    });
    started = performance.now();
    await app.ready();
    console.log(`API ready (index seeded) in ${(performance.now() - started).toFixed(0)} ms`);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // The floor every authenticated request pays (token lookup, HTTP) is GET /api/auth/me; then the question.
    const nearestPaths = Array.from({ length: WARMUP_REQUESTS + HTTP_REQUESTS }, () => {
      const at = pointInCity();
      return `/api/dispatch/nearest?lat=${at.lat}&lon=${at.lon}&limit=${K}`;
    });
    const job: NearestClientJob = {
      base,
      username: 'admin',
      password: 'bench-password',
      phases: [
        { name: '/api/auth/me', paths: Array.from({ length: WARMUP_REQUESTS + HTTP_REQUESTS }, () => '/api/auth/me'), warmup: WARMUP_REQUESTS },
        { name: '/api/dispatch/nearest', paths: nearestPaths, warmup: WARMUP_REQUESTS, expectItems: K },
      ],
    };
    serverMs.clear();
    const stopGc = recordGcPauses();
    const moving = moveFleet(app.liveFeed, fleet);
    const movesStarted = performance.now();
    const client = await runClient(job);
    const moves = moving.stop();
    const movesPerSecond = moves / ((performance.now() - movesStarted) / 1000);
    const gc = stopGc();
    await app.close();
    const [floor, nearest] = client.phases;
    const toMs = (samples: number[]) => latency(samples.map((ns) => ns / 1000));
    const sql = toMs(sqlSamples);
    const youngGeneration = process.execArgv.filter((a) => a.startsWith('--max-semi')).join(' ');
    console.log(`client: a separate process, node:http keep-alive, one request at a time; server flags: ${youngGeneration || 'V8 defaults'}`);
    console.log(`the fleet moved meanwhile: ${Math.round(movesPerSecond).toLocaleString('en-US')} positions a second into the server's live feed`);
    if (youngGeneration) console.log(`(\`urbanlink start\` runs the server with ${youngGeneration} too)`);
    console.log(row('PostgreSQL nearestDeviceStates (baseline)', sql, 'ms'));
    console.log(row('GET /api/auth/me (authenticated floor)', toMs(floor!.samplesNs), 'ms'));
    console.log(row('GET /api/dispatch/nearest over HTTP', toMs(nearest!.samplesNs), 'ms', sql));
    const inServer = (route: string) => latency((serverMs.get(route) ?? []).slice(WARMUP_REQUESTS).map((ms) => ms * 1e6));
    console.log(row('  of which inside the server: /api/auth/me', inServer('/api/auth/me'), 'µs'));
    console.log(row('  of which inside the server: /dispatch/nearest', inServer('/api/dispatch/nearest'), 'µs'));
    for (const [route, cpu] of serverCpu) {
      const answers = (serverMs.get(route)?.length ?? 0) - WARMUP_REQUESTS - 1;
      const between = cpu.last.user + cpu.last.system - cpu.first.user - cpu.first.system;
      console.log(`  server CPU per ${route} request, moves included: ${(between / answers).toFixed(0)} µs`);
    }
    for (const phase of client.phases) {
      const during = gc.filter((p) => p.epochMs >= phase.startedEpochMs && p.epochMs <= phase.endedEpochMs);
      const ms = during.map((p) => p.durationMs);
      const total = ms.reduce((x, y) => x + y, 0);
      const major = during.filter((p) => p.major).length;
      console.log(`  server GC pauses during the ${(WARMUP_REQUESTS + phase.samplesNs.length).toLocaleString('en-US')} ${phase.name} requests (warm-up included): ${during.length} (${major} major), ${total.toFixed(0)} ms in all, longest ${Math.max(0, ...ms).toFixed(1)} ms`);
      const clientTotal = phase.clientGcPausesMs.reduce((x, y) => x + y, 0);
      console.log(`  client GC pauses in the same requests: ${phase.clientGcPausesMs.length}, ${clientTotal.toFixed(0)} ms in all, longest ${Math.max(0, ...phase.clientGcPausesMs).toFixed(1)} ms`);
    }
  } finally {
    await db.drop();
  }
}

benchIndex();
await benchHttp();
