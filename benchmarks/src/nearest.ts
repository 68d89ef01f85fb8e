/**
 * Nearest vehicle: the in-memory moving-point grid behind GET /api/dispatch/nearest, against the same
 * question asked of kdbush/geokdbush (a static kd-tree) and of PostgreSQL, all in one run.
 *   1. Index: NEAREST_VEHICLES (1 000 000) vehicles spread over a city, moving between queries; the 10
 *      nearest standby vehicles, latency per query (p50/p99) and moves per second.
 *   2. HTTP: NEAREST_HTTP_VEHICLES (100 000) devices in PostgreSQL, the whole API answer over a real socket
 *      (auth included), beside nearestDeviceStates, the same question as one SQL query. The requests come
 *      from a child process (nearest-client.ts), as a dispatcher's browser is another process: a thin client
 *      on a raw keep-alive socket, paced (one request every NEAREST_HTTP_INTERVAL_MS, 2 ms), GET /api/auth/me
 *      (the floor every authenticated request pays) and the nearest question in turn, each timed from its
 *      intended send time when a late answer held it back, so a pause counts for every request it delays.
 *      Meanwhile the fleet moves: its positions enter the server as bus messages do (app.busInbox), in bursts,
 *      and reach the live feed's listeners a slice at a time. Printed beside the latencies: the server's
 *      event-loop delay, its feed slices, its and the client's GC pauses, and what each answer over 2 ms met.
 *      Before the API's turn, the same client sends the same requests at the same pace to a bare HTTP responder
 *      in its own process (bare-responder.ts), the fleet moving meanwhile: the machine's own floor, i.e. what
 *      waking two processes on this machine costs an answer, measured in the same run.
 *      The npm script gives the server --max-semi-space-size=32, as `urbanlink start` does
 *      (cli/bin/urbanlink.mjs): a larger young generation scavenges less often. Its background threads get
 *      the nice value `urbanlink start` gives them (BACKGROUND_THREADS_NICE, 0 to compare without).
 * Run: npm run -w @urbanlink/benchmarks nearest   (BENCH_DATABASE_URL or TEST_DATABASE_URL picks the server)
 */
import type { AddressInfo } from 'node:net';
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { pino } from 'pino';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildApp, MovingPointGrid } from '@urbanlink/api';
import { insertDevice, nearestDeviceStates, upsertDeviceStates, type SqlClient } from '@urbanlink/db';
import { createTestDatabase } from '@urbanlink/db/testing';
import type { Position } from '@urbanlink/protocols';
import type { NearestClientJob, NearestClientResult, Span } from './nearest-client.ts';
import { lowerThreadsAsStartDoes } from './server-threads.ts';

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

const VEHICLES = Number(process.env.NEAREST_VEHICLES ?? 1_000_000);
const HTTP_VEHICLES = Number(process.env.NEAREST_HTTP_VEHICLES ?? 100_000);
const QUERIES = Number(process.env.NEAREST_QUERIES ?? 20_000);
const HTTP_REQUESTS = Number(process.env.NEAREST_HTTP_REQUESTS ?? 2_000);
// The client sends one request every this many ms, the two routes in turn: 500 a second by default.
const HTTP_INTERVAL_MS = Number(process.env.NEAREST_HTTP_INTERVAL_MS ?? 2);
// Answers slower than this are matched with what the server was doing meanwhile.
const SLOW_MS = 2;
const LOG_LEVEL = process.env.NEAREST_LOG_LEVEL ?? 'silent';
const FLOOR = '/api/auth/me';
const NEAREST = '/api/dispatch/nearest';
// The HTTP fleet keeps moving while it is asked, as the issue's fleet does: each of the 100 000 vehicles
// reports every 10 s, so 10 000 positions a second reach the server's live feed (0 to measure it still).
const HTTP_MOVES_PER_SECOND = Number(process.env.NEAREST_HTTP_MOVES_PER_SECOND ?? 10_000);
const MOVE_TICK_MS = 10;
const K = 10;
const WARMUP_REQUESTS = 100;
const CLIENT_SCRIPT = fileURLToPath(new URL('./nearest-client.ts', import.meta.url));
const RESPONDER_SCRIPT = fileURLToPath(new URL('./bare-responder.ts', import.meta.url));
const BARE = 'bare responder';
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
  /** On the monotonic clock of process.hrtime, which the client process shares. */
  startNs: number;
  endNs: number;
  /** A mark-compact of the whole heap rather than a scavenge of the young generation. */
  major: boolean;
}

/** Records the garbage-collector pauses of this (the server's) process until the returned function is called. */
function recordGcPauses(): () => GcPause[] {
  const pauses: GcPause[] = [];
  // performance.now() counts from the process's start on the same clock as process.hrtime.
  const originNs = Number(process.hrtime.bigint()) - performance.now() * 1e6;
  const keep = (entries: readonly PerformanceEntry[]) => {
    for (const entry of entries) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      const startNs = originNs + entry.startTime * 1e6;
      pauses.push({ startNs, endNs: startNs + entry.duration * 1e6, major: kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR });
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

/** Starts bare-responder.ts in its own process; resolves with its address and a function that stops it. */
function startBareResponder(): Promise<{ base: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RESPONDER_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the bare responder exited ${code}`)));
    child.stdout.setEncoding('utf8');
    child.stdout.once('data', (port: string) => resolve({ base: `http://127.0.0.1:${port.trim()}`, stop: () => child.stdin.end() }));
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

interface FeedTicks {
  /** Positions fed. */
  count: number;
  perTick: number;
  /** When each burst's arrival held the event loop (making the messages, as a socket read would). */
  bursts: Span[];
  /** When each slice of the inbox held the event loop handing messages to the feed's listeners. */
  slices: Span[];
}

/**
 * Sends the server HTTP_MOVES_PER_SECOND positions of random vehicles, a few metres on from where they were,
 * until stopped: every MOVE_TICK_MS a burst of bus messages (topic and JSON payload, as ingest publishes them)
 * into app.busInbox, where the MQTT client puts what the broker sends.
 */
function moveFleet(inbox: Awaited<ReturnType<typeof buildApp>>['busInbox'], fleet: FleetVehicle[]): { stop: () => FeedTicks } {
  const perTick = Math.round((HTTP_MOVES_PER_SECOND * MOVE_TICK_MS) / 1000);
  const ticks: FeedTicks = { count: 0, perTick, bursts: [], slices: [] };
  inbox.onSlice = (startNs, endNs) => ticks.slices.push({ startNs, endNs });
  const timer = setInterval(() => {
    const startNs = Number(process.hrtime.bigint());
    const fixTime = new Date().toISOString();
    for (let m = 0; m < perTick; m++) {
      const vehicle = fleet[Math.floor(random() * fleet.length)]!;
      vehicle.lat += (random() - 0.5) * 0.0005;
      vehicle.lon += (random() - 0.5) * 0.0005;
      const payload = JSON.stringify({ deviceId: vehicle.deviceId, fixTime, lat: vehicle.lat, lon: vehicle.lon, speedKmh: 30, course: 90, altitude: 10, valid: true, alarms: [], attributes: {} });
      inbox.push(`urbanlink/v1/devices/${vehicle.uniqueId}/position`, Buffer.from(payload));
    }
    ticks.count += perTick;
    ticks.bursts.push({ startNs, endNs: Number(process.hrtime.bigint()) });
  }, MOVE_TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      inbox.onSlice = null;
      return ticks;
    },
  };
}

async function benchHttp(): Promise<void> {
  console.log(`\n2. HTTP: ${HTTP_VEHICLES.toLocaleString('en-US')} vehicles in PostgreSQL, ${HTTP_REQUESTS.toLocaleString('en-US')} requests of each route, ${K} nearest`);
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
    // Silent by default; NEAREST_LOG_LEVEL=info logs as `urbanlink start` does (synchronously; at info only answers
    // of 500 or more and slower than a second), here to /dev/null, to see what the logging itself costs.
    const logger = pino({ level: LOG_LEVEL }, pino.destination({ dest: '/dev/null', sync: true }));
    const app = await buildApp({ client: db.client, logger, config: { adminPassword: 'bench-password', announce: () => {} } });
    // Time inside the server, from request to response sent: what the API itself costs, without the client.
    const serverMs = new Map<string, number[]>();
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? '';
      const list = serverMs.get(route) ?? [];
      list.push(reply.elapsedTime);
      serverMs.set(route, list);
    });
    started = performance.now();
    await app.ready();
    // As with a bus: the bus plugin loads the device directory when it connects, so no message waits for a lookup.
    await app.deviceDirectory.load();
    console.log(`API ready (index seeded) in ${(performance.now() - started).toFixed(0)} ms`);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const threads = await lowerThreadsAsStartDoes("the server's");
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // The floor every authenticated request pays (token check, HTTP) is GET /api/auth/me. The two routes take
    // turns in one paced run, so both meet the same moments of the server: the same feed bursts and GC pauses.
    const requests = Array.from({ length: 2 * (WARMUP_REQUESTS + HTTP_REQUESTS) }, (_, i) => {
      if (i % 2 === 0) return { route: FLOOR, path: FLOOR };
      const at = pointInCity();
      return { route: NEAREST, path: `${NEAREST}?lat=${at.lat}&lon=${at.lon}&limit=${K}` };
    });
    const job: NearestClientJob = {
      base,
      username: 'admin',
      password: 'bench-password',
      phases: [{ name: 'paced', requests, warmup: 2 * WARMUP_REQUESTS, intervalMs: HTTP_INTERVAL_MS, expectItems: { route: NEAREST, items: K } }],
    };
    serverMs.clear();
    const stopGc = recordGcPauses();
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    const moving = moveFleet(app.busInbox, fleet);
    const movesStarted = performance.now();
    // First the machine floor: the same client, requests and pacing against a bare responder in its own process,
    // while the fleet moves in the server (so the machine is as busy as it is for the API's turn).
    const bare = await startBareResponder();
    const floorRun = await runClient({
      base: bare.base,
      username: 'floor',
      password: 'floor',
      phases: [{ name: 'floor', requests: requests.map(() => ({ route: BARE, path: FLOOR })), warmup: 2 * WARMUP_REQUESTS, intervalMs: HTTP_INTERVAL_MS }],
    });
    bare.stop();
    loopDelay.enable();
    const client = await runClient(job);
    const moves = moving.stop();
    const movesPerSecond = moves.count / ((performance.now() - movesStarted) / 1000);
    loopDelay.disable();
    const gc = stopGc();
    await app.close();
    const phase = client.phases[0]!;
    const toMs = (samples: number[]) => latency(samples.map((ns) => ns / 1000));
    const sql = toMs(sqlSamples);
    const answered = (route: string) => phase.timed.filter((r) => r.route === route);
    const floor = toMs(answered(FLOOR).map((r) => r.answerNs - r.fromNs));
    const nearest = toMs(answered(NEAREST).map((r) => r.answerNs - r.fromNs));
    const youngGeneration = process.execArgv.filter((a) => a.startsWith('--max-semi')).join(' ');
    const perSecond = Math.round(1000 / HTTP_INTERVAL_MS);
    console.log(`client: a separate process, raw keep-alive socket, one request every ${HTTP_INTERVAL_MS} ms (${perSecond} a second, the two routes in turn), one at a time,`);
    console.log(`timed from the intended send time when a late answer held it back (${phase.timed.filter((r) => r.heldBack).length} of ${phase.timed.length}); server flags: ${youngGeneration || 'V8 defaults'}; server log level ${LOG_LEVEL}`);
    console.log(threads);
    console.log(`the fleet moved meanwhile: ${Math.round(movesPerSecond).toLocaleString('en-US')} positions a second into the server's bus inbox, ${moves.perTick} every ${MOVE_TICK_MS} ms`);
    if (youngGeneration) console.log(`(\`urbanlink start\` runs the server with ${youngGeneration} too)`);
    console.log(row('PostgreSQL nearestDeviceStates (baseline)', sql, 'ms'));
    const bareTimed = floorRun.phases[0]!.timed;
    const bareMs = bareTimed.map((r) => r.answerNs - r.fromNs);
    console.log(`${row(`${BARE}, own process (machine floor)`, toMs(bareMs), 'ms')}   ${bareMs.filter((ns) => ns > SLOW_MS * 1e6).length} of ${bareTimed.length} over ${SLOW_MS} ms`);
    console.log(row(`GET ${FLOOR} (authenticated floor)`, floor, 'ms'));
    console.log(row(`GET ${NEAREST} over HTTP`, nearest, 'ms', sql));
    const inServer = (route: string) => latency((serverMs.get(route) ?? []).slice(WARMUP_REQUESTS).map((ms) => ms * 1e6));
    console.log(row(`  of which inside the server: ${FLOOR}`, inServer(FLOOR), 'µs'));
    console.log(row(`  of which inside the server: /dispatch/nearest`, inServer(NEAREST), 'µs'));
    const during = gc.filter((p) => p.endNs >= phase.startedNs && p.startNs <= phase.endedNs);
    const gcMs = during.map((p) => (p.endNs - p.startNs) / 1e6);
    const seconds = (phase.endedNs - phase.startedNs) / 1e9;
    console.log(`  server event-loop delay: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms (1 ms timer resolution)`);
    const share = (ns: number[]) => `${((ns.reduce((a, b) => a + b, 0) / 1e9 / seconds) * 100).toFixed(0)} % of the time`;
    // The feed ran during the floor's turn too; only what it did during the API's counts here.
    const inPhase = (spans: Span[]) => spans.filter((s) => s.endNs >= phase.startedNs && s.startNs <= phase.endedNs);
    const burstNs = inPhase(moves.bursts).map((s) => s.endNs - s.startNs);
    const sliceSpans = inPhase(moves.slices);
    const sliceNs = sliceSpans.map((s) => s.endNs - s.startNs);
    const bursts = latency(burstNs);
    const slices = latency(sliceNs);
    const fedInPhase = movesPerSecond * seconds;
    console.log(`  server bus bursts (${moves.perTick} messages made and put in the inbox): p50 ${(bursts.p50 / 1000).toFixed(2)} ms, p99 ${(bursts.p99 / 1000).toFixed(2)} ms, ${share(burstNs)}`);
    console.log(`  server feed slices (${sliceNs.length}, ${(fedInPhase / Math.max(1, sliceNs.length)).toFixed(0)} positions each on average, through every listener): p50 ${(slices.p50 / 1000).toFixed(2)} ms, p99 ${(slices.p99 / 1000).toFixed(2)} ms, max ${(Math.max(0, ...sliceNs) / 1e6).toFixed(2)} ms, ${share(sliceNs)}`);
    console.log(`  server GC pauses: ${during.length} (${during.filter((p) => p.major).length} major), ${gcMs.reduce((a, b) => a + b, 0).toFixed(0)} ms in all (${((gcMs.reduce((a, b) => a + b, 0) / 1000 / seconds) * 100).toFixed(1)} % of the time), longest ${Math.max(0, ...gcMs).toFixed(1)} ms`);
    const clientMs = phase.clientGcPauses.map((p) => (p.endNs - p.startNs) / 1e6);
    console.log(`  client GC pauses: ${clientMs.length}, ${clientMs.reduce((x, y) => x + y, 0).toFixed(0)} ms in all, longest ${Math.max(0, ...clientMs).toFixed(1)} ms`);
    // What each slow answer met on its way: a server GC pause, else a client GC pause, else a feed slice. A request
    // held back by a slow answer shares that answer's cause, as it waited for it.
    const causes = new Map<string, number>();
    let previousCause = '';
    for (const r of phase.timed) {
      if (r.answerNs - r.fromNs <= SLOW_MS * 1e6) {
        previousCause = '';
        continue;
      }
      const met = (spans: Span[]) => spans.some((s) => s.endNs > r.fromNs && s.startNs < r.answerNs);
      let cause = met(during) ? 'a server GC pause' : met(phase.clientGcPauses) ? 'a client GC pause' : met(sliceSpans) ? 'a feed slice' : 'none of these';
      if (r.heldBack && previousCause) cause = previousCause;
      causes.set(cause, (causes.get(cause) ?? 0) + 1);
      previousCause = cause;
    }
    const slow = [...causes.values()].reduce((a, b) => a + b, 0);
    const listed = [...causes].sort((a, b) => b[1] - a[1]).map(([cause, n]) => `${n} ${cause}`).join(', ');
    console.log(`  answers over ${SLOW_MS} ms: ${slow} of ${phase.timed.length} (${((slow / phase.timed.length) * 100).toFixed(1)} %), by what they (or the answer that held them back) met: ${listed}`);
  } finally {
    await db.drop();
  }
}

benchIndex();
await benchHttp();
